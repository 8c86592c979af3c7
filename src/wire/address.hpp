// Link and network addresses as small values, with the text forms tcpdump and ip(8) print.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wire/bytes.hpp"

namespace synack::wire {

struct MacAddress {
    std::array<std::uint8_t, 6> octets{};

    static MacAddress from_bytes(const std::uint8_t* p) noexcept;
    void write(std::uint8_t* p) const noexcept;
    std::string to_string() const;  // "02:00:00:00:00:01"
    friend bool operator==(const MacAddress&, const MacAddress&) = default;
};

struct Ipv4Address {
    std::array<std::uint8_t, 4> octets{};

    static Ipv4Address from_bytes(const std::uint8_t* p) noexcept;
    static Ipv4Address from_u32(std::uint32_t host_order) noexcept;
    static std::optional<Ipv4Address> parse(std::string_view text);
    std::uint32_t to_u32() const noexcept;  // host order
    void write(std::uint8_t* p) const noexcept;
    std::string to_string() const;  // dotted quad
    friend bool operator==(const Ipv4Address&, const Ipv4Address&) = default;
};

struct Ipv6Address {
    std::array<std::uint8_t, 16> octets{};

    static Ipv6Address from_bytes(const std::uint8_t* p) noexcept;
    static std::optional<Ipv6Address> parse(std::string_view text);
    void write(std::uint8_t* p) const noexcept;
    std::string to_string() const;  // RFC 5952 text, as inet_ntop prints it
    friend bool operator==(const Ipv6Address&, const Ipv6Address&) = default;
};

// An IPv4 or IPv6 address in 16 bytes: IPv4 is held in its IPv4-mapped form (::ffff:a.b.c.d, RFC 4291 §2.5.5.2),
// which never appears on the wire as an IPv6 address, so the family is derived from the bytes.
struct IpAddress {
    std::array<std::uint8_t, 16> octets{};

    IpAddress() = default;
    IpAddress(const Ipv4Address& v4) noexcept;  // NOLINT(google-explicit-constructor): an IPv4 address is one
    IpAddress(const Ipv6Address& v6) noexcept;  // NOLINT(google-explicit-constructor)
    static std::optional<IpAddress> parse(std::string_view text);  // dotted quad or IPv6 text

    bool is_v4() const noexcept;
    Ipv4Address v4() const noexcept;  // meaningful when is_v4()
    Ipv6Address v6() const noexcept;  // the 16 bytes as they are (the mapped form for IPv4)
    bool is_unspecified() const noexcept;  // 0.0.0.0 or ::
    std::string to_string() const;  // dotted quad for IPv4, RFC 5952 for IPv6
    friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

}  // namespace synack::wire
