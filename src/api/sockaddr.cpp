#include "api/sockaddr.hpp"

namespace synack::api {

SockAddr SockAddr::parse(const std::string& address, std::uint16_t port) {
    if (auto v4 = wire::Ipv4Address::parse(address)) return SockAddr::v4(*v4, port);
    if (auto v6 = wire::Ipv6Address::parse(address)) return SockAddr::v6(wire::IpAddress(*v6), port);
    return SockAddr{};
}

std::string SockAddr::to_string() const {
    // Built by appending: GCC 12's -Wrestrict misfires on `"[" + std::string&&` at -O3.
    std::string text;
    if (family == abi::kAfInet) {
        text = address.v4().to_string();
    } else if (family == abi::kAfInet6) {
        text = address.is_v4() ? "[::ffff:" : "[";
        text += address.is_v4() ? address.v4().to_string() : address.v6().to_string();
        text += ']';
    } else {
        return "AF_UNSPEC";
    }
    text += ':';
    text += std::to_string(port);
    return text;
}

}  // namespace synack::api
