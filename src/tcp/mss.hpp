// Segment sizes: the MSS we announce (the route MTU less the IP and TCP headers) and the defaults Linux assumes
// when the peer announces none.
#pragma once

#include <algorithm>
#include <cstdint>

namespace synack::tcp {

inline constexpr std::uint16_t kMssDefaultV4 = 536;    // TCP_MSS_DEFAULT (RFC 9293 §3.7.1)
inline constexpr std::uint16_t kMssDefaultV6 = 1220;   // IPV6_MIN_MTU - 40 - 20 (Linux tcp_v6 mss_clamp)
inline constexpr std::uint32_t kTimestampOptionBytes = 12;  // TCPOLEN_TSTAMP_ALIGNED

// The MSS a route MTU allows (Linux dst_metric_advmss(): MTU less 40 for IPv4, 60 for IPv6), capped by
// TCP_MAXSEG (tcp_mss_clamp()).
constexpr std::uint16_t advertised_mss(std::uint32_t mtu, bool v6, std::uint16_t user_mss) noexcept {
    const std::uint32_t headers = v6 ? 60 : 40;
    std::uint32_t mss = mtu > headers ? mtu - headers : 0;
    mss = std::min<std::uint32_t>(mss, 65535 - headers);
    if (user_mss != 0 && user_mss < mss) mss = user_mss;
    return static_cast<std::uint16_t>(mss);
}

// The peer's MSS as Linux keeps it (rx_opt.mss_clamp): what it announced (capped by TCP_MAXSEG), else the
// default of the family.
constexpr std::uint16_t peer_mss_clamp(std::uint16_t announced, bool v6, std::uint16_t user_mss) noexcept {
    if (announced == 0) return v6 ? kMssDefaultV6 : kMssDefaultV4;
    if (user_mss != 0 && user_mss < announced) return user_mss;
    return announced;
}

// Linux tcp_mtu_to_mss() / tcp_sync_mss(): the payload of a full segment for a path MTU, given the peer's MSS,
// never below tcp_min_snd_mss, less the TCP options every segment carries (the timestamps).
constexpr std::uint16_t send_mss(std::uint32_t pmtu, bool v6, std::uint16_t mss_clamp, int tcp_min_snd_mss,
                                 std::uint32_t option_bytes) noexcept {
    const std::uint32_t headers = v6 ? 60 : 40;
    std::int64_t mss = static_cast<std::int64_t>(pmtu) - headers;
    mss = std::min<std::int64_t>(mss, mss_clamp);
    mss = std::max<std::int64_t>(mss, tcp_min_snd_mss);
    mss -= option_bytes;
    return static_cast<std::uint16_t>(std::max<std::int64_t>(mss, 8));
}

}  // namespace synack::tcp
