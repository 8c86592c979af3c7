// IP protocol numbers (IPv4 "protocol", IPv6 "next header"), IANA "Assigned Internet Protocol Numbers".
#pragma once

#include <cstdint>

namespace synack::wire::ip_protocol {

inline constexpr std::uint8_t kHopByHop = 0;
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kIgmp = 2;
inline constexpr std::uint8_t kIpInIp = 4;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kIpv6 = 41;
inline constexpr std::uint8_t kRouting = 43;
inline constexpr std::uint8_t kFragment = 44;
inline constexpr std::uint8_t kGre = 47;
inline constexpr std::uint8_t kEsp = 50;
inline constexpr std::uint8_t kAh = 51;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kNoNextHeader = 59;
inline constexpr std::uint8_t kDestinationOptions = 60;
inline constexpr std::uint8_t kSctp = 132;
inline constexpr std::uint8_t kMobility = 135;

}  // namespace synack::wire::ip_protocol
