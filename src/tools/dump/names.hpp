// Host, port and link-address names as tcpdump's addrtoname.c finds them: hosts through gethostbyaddr (so
// /etc/hosts and DNS, as the C library is configured), ports from the services database (getservent, the first
// entry for a port wins), every answer cached. With -n nothing is looked up.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"

namespace synack::dump {

class Names {
public:
    explicit Names(bool numeric);

    std::string_view ipv4(const std::uint8_t* address4);
    std::string_view ipv6(const std::uint8_t* address16);
    std::string_view ipv4(const wire::Ipv4Address& address) { return ipv4(address.octets.data()); }
    std::string_view ipv6(const wire::Ipv6Address& address) { return ipv6(address.octets.data()); }
    std::string_view tcp_port(std::uint16_t port);
    std::string_view udp_port(std::uint16_t port);
    // "02:00:00:00:00:01", and without -n " (oui Name)" after it (tcpdump addrtoname.c etheraddr_string).
    std::string_view mac(const std::uint8_t* address6);
    std::string_view mac(const wire::MacAddress& address) { return mac(address.octets.data()); }
    // The name this machine gives an interface index (if_indextoname, as tcpdump's LINUX_SLL2 printer asks even
    // with -n), "?" for none; asked once per index.
    std::string_view interface(std::uint32_t index);

    bool numeric() const noexcept { return numeric_; }

private:
    bool numeric_;
    std::unordered_map<std::uint32_t, std::string> ipv4_;
    struct Ipv6Hash {
        std::size_t operator()(const std::array<std::uint8_t, 16>& a) const noexcept;
    };
    std::unordered_map<std::array<std::uint8_t, 16>, std::string, Ipv6Hash> ipv6_;
    std::unordered_map<std::uint64_t, std::string> mac_;
    std::unordered_map<std::uint32_t, std::string> interfaces_;
    // Indexed by port, allocated on first use (numeric names are cached too).
    std::vector<std::string> tcp_ports_;
    std::vector<std::string> udp_ports_;
};

// The organisation tcpdump names for an OUI (the first three bytes of a MAC address), "Unknown" otherwise.
std::string_view oui_name(std::uint32_t oui);

}  // namespace synack::dump
