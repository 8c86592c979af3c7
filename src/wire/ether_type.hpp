// EtherType values (IEEE 802 numbers, IANA "IEEE 802 Numbers") carried by Ethernet II, 802.1Q tags and the
// protocol field of Linux cooked captures.
#pragma once

#include <cstdint>

namespace synack::wire::ether_type {

inline constexpr std::uint16_t kIpv4 = 0x0800;
inline constexpr std::uint16_t kArp = 0x0806;
inline constexpr std::uint16_t kRarp = 0x8035;
inline constexpr std::uint16_t kVlan = 0x8100;        // IEEE 802.1Q customer tag (C-TAG)
inline constexpr std::uint16_t kIpv6 = 0x86dd;
inline constexpr std::uint16_t kMpls = 0x8847;
inline constexpr std::uint16_t kMplsMulticast = 0x8848;
inline constexpr std::uint16_t kPppoeDiscovery = 0x8863;
inline constexpr std::uint16_t kPppoeSession = 0x8864;
inline constexpr std::uint16_t kQinQ = 0x88a8;        // IEEE 802.1ad service tag (S-TAG)
inline constexpr std::uint16_t kLldp = 0x88cc;
inline constexpr std::uint16_t kQinQLegacy = 0x9100;  // pre-802.1ad QinQ TPIDs, still seen (tcpdump ethertype.h)
inline constexpr std::uint16_t kQinQLegacy9200 = 0x9200;

// Values up to 1500 in the type position are an IEEE 802.3 length, not a type; 0x0600 is the first EtherType.
inline constexpr std::uint16_t kMaxLength = 1500;
inline constexpr std::uint16_t kMinEtherType = 0x0600;

constexpr bool is_length(std::uint16_t value) noexcept { return value <= kMaxLength; }

// TPIDs after which a 4-byte VLAN tag follows (tcpdump print-ether.c treats the same four as VLAN tags).
constexpr bool is_vlan_tpid(std::uint16_t value) noexcept {
    return value == kVlan || value == kQinQ || value == kQinQLegacy || value == kQinQLegacy9200;
}

}  // namespace synack::wire::ether_type
