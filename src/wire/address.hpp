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

}  // namespace synack::wire
