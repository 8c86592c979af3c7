// Where a script's two hosts are: the stack under test ("local") on an interface with local_ip, the script's
// peer ("remote") behind gateway_ip. Defaults lie inside 198.18.0.0/15 and 2001:2::/48, the ranges set aside
// for benchmarking networks (RFC 2544, RFC 5180), not packetdrill's private and documentation ranges.
#pragma once

#include <cstdint>

#include "wire/address.hpp"

namespace synack::drill {

enum class IpVersion : std::uint8_t {
    kIpv4,            // AF_INET sockets, IPv4 packets
    kIpv6,            // AF_INET6 sockets, IPv6 packets
    kIpv4MappedIpv6,  // AF_INET6 sockets with ::ffff:a.b.c.d addresses, IPv4 packets
};

struct NetworkSettings {
    IpVersion ip_version = IpVersion::kIpv4;
    // The addresses as the packets carry them (IPv4 for kIpv4MappedIpv6).
    wire::IpAddress local_ip;
    wire::IpAddress remote_ip;
    wire::IpAddress gateway_ip;
    std::uint8_t prefix_len = 16;  // of local_ip's subnet, which holds gateway_ip but not remote_ip
    std::uint32_t mtu = 1500;

    bool ipv6_packets() const noexcept { return ip_version == IpVersion::kIpv6; }
    // The socket family scripts use: AF_INET6 for kIpv6 and kIpv4MappedIpv6.
    bool ipv6_sockets() const noexcept { return ip_version != IpVersion::kIpv4; }
};

}  // namespace synack::drill
