#include "wire/address.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

namespace synack::wire {

MacAddress MacAddress::from_bytes(const std::uint8_t* p) noexcept {
    MacAddress m;
    std::memcpy(m.octets.data(), p, m.octets.size());
    return m;
}

void MacAddress::write(std::uint8_t* p) const noexcept { std::memcpy(p, octets.data(), octets.size()); }

std::string MacAddress::to_string() const {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", octets[0], octets[1], octets[2], octets[3],
                  octets[4], octets[5]);
    return buf;
}

Ipv4Address Ipv4Address::from_bytes(const std::uint8_t* p) noexcept {
    Ipv4Address a;
    std::memcpy(a.octets.data(), p, a.octets.size());
    return a;
}

Ipv4Address Ipv4Address::from_u32(std::uint32_t host_order) noexcept {
    Ipv4Address a;
    store_be32(a.octets.data(), host_order);
    return a;
}

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    std::string s(text);
    Ipv4Address a;
    if (inet_pton(AF_INET, s.c_str(), a.octets.data()) != 1) return std::nullopt;
    return a;
}

std::uint32_t Ipv4Address::to_u32() const noexcept { return load_be32(octets.data()); }

void Ipv4Address::write(std::uint8_t* p) const noexcept { std::memcpy(p, octets.data(), octets.size()); }

std::string Ipv4Address::to_string() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", octets[0], octets[1], octets[2], octets[3]);
    return buf;
}

Ipv6Address Ipv6Address::from_bytes(const std::uint8_t* p) noexcept {
    Ipv6Address a;
    std::memcpy(a.octets.data(), p, a.octets.size());
    return a;
}

std::optional<Ipv6Address> Ipv6Address::parse(std::string_view text) {
    std::string s(text);
    Ipv6Address a;
    if (inet_pton(AF_INET6, s.c_str(), a.octets.data()) != 1) return std::nullopt;
    return a;
}

void Ipv6Address::write(std::uint8_t* p) const noexcept { std::memcpy(p, octets.data(), octets.size()); }

std::string Ipv6Address::to_string() const {
    char buf[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, octets.data(), buf, sizeof buf) == nullptr) return "?";
    return buf;
}

namespace {
constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}  // namespace

IpAddress::IpAddress(const Ipv4Address& v4) noexcept {
    std::memcpy(octets.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
    std::memcpy(octets.data() + 12, v4.octets.data(), 4);
}

IpAddress::IpAddress(const Ipv6Address& v6) noexcept : octets(v6.octets) {}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (auto v4 = Ipv4Address::parse(text)) return IpAddress(*v4);
    if (auto v6 = Ipv6Address::parse(text)) return IpAddress(*v6);
    return std::nullopt;
}

bool IpAddress::is_v4() const noexcept {
    return std::memcmp(octets.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
}

Ipv4Address IpAddress::v4() const noexcept { return Ipv4Address::from_bytes(octets.data() + 12); }

Ipv6Address IpAddress::v6() const noexcept { return Ipv6Address{octets}; }

bool IpAddress::is_unspecified() const noexcept {
    if (is_v4()) return v4().to_u32() == 0;
    for (auto b : octets) {
        if (b != 0) return false;
    }
    return true;
}

std::string IpAddress::to_string() const { return is_v4() ? v4().to_string() : v6().to_string(); }

}  // namespace synack::wire
