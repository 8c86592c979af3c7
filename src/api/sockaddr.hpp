// A socket address as the socket calls take and return it: struct sockaddr_in or sockaddr_in6, by value.
// The address is a wire::IpAddress, so IPv4 is held in its mapped form (::ffff:a.b.c.d): an AF_INET6 socket
// talking to an IPv4 peer reports exactly that address, as Linux does.
#pragma once

#include <cstdint>
#include <string>

#include "api/abi.hpp"
#include "wire/address.hpp"

namespace synack::api {

struct SockAddr {
    int family = abi::kAfUnspec;  // abi::kAfInet or abi::kAfInet6 (kAfUnspec: connect()'s "disconnect")
    wire::IpAddress address{};
    std::uint16_t port = 0;
    std::uint32_t flowinfo = 0;   // sin6_flowinfo
    std::uint32_t scope_id = 0;   // sin6_scope_id

    static SockAddr v4(const wire::Ipv4Address& address, std::uint16_t port) noexcept {
        return SockAddr{abi::kAfInet, wire::IpAddress(address), port, 0, 0};
    }
    // IPv6, or an IPv4-mapped address given as wire::IpAddress(Ipv4Address).
    static SockAddr v6(const wire::IpAddress& address, std::uint16_t port) noexcept {
        return SockAddr{abi::kAfInet6, address, port, 0, 0};
    }
    // Parses "198.18.0.1" (AF_INET) or "2001:2::1", "::ffff:198.18.0.1" (AF_INET6); AF_UNSPEC when unparsable.
    static SockAddr parse(const std::string& address, std::uint16_t port);

    // "198.18.0.1:80", "[2001:2::1]:80", "[::ffff:198.18.0.1]:80" (the family decides the form).
    std::string to_string() const;
    friend bool operator==(const SockAddr&, const SockAddr&) = default;
};

}  // namespace synack::api
