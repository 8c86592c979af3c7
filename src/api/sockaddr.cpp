#include "api/sockaddr.hpp"

namespace synack::api {

SockAddr SockAddr::parse(const std::string& address, std::uint16_t port) {
    if (auto v4 = wire::Ipv4Address::parse(address)) return SockAddr::v4(*v4, port);
    if (auto v6 = wire::Ipv6Address::parse(address)) return SockAddr::v6(wire::IpAddress(*v6), port);
    return SockAddr{};
}

std::string SockAddr::to_string() const {
    const std::string p = std::to_string(port);
    if (family == abi::kAfInet) return address.v4().to_string() + ":" + p;
    if (family == abi::kAfInet6) {
        if (address.is_v4()) return "[::ffff:" + address.v4().to_string() + "]:" + p;
        return "[" + address.v6().to_string() + "]:" + p;
    }
    return "AF_UNSPEC";
}

}  // namespace synack::api
