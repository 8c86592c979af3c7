// Linux's compiled-in TCP time constants (include/net/tcp.h), with HZ taken as 1000: synack's timers have a
// 1 ms resolution, where the reference kernel (CONFIG_HZ=250) rounds them to 4 ms jiffies.
#pragma once

#include <chrono>
#include <cstdint>

#include "wire/instant.hpp"

namespace synack::tcp {

inline constexpr Duration kTimeoutInit = std::chrono::seconds(1);      // TCP_TIMEOUT_INIT (RFC 6298 §2.1)
inline constexpr Duration kTimeoutFallback = std::chrono::seconds(3);  // TCP_TIMEOUT_FALLBACK (RFC 6298 §5.7)
inline constexpr Duration kTimeWaitLen = std::chrono::seconds(60);     // TCP_TIMEWAIT_LEN
inline constexpr Duration kDelackMin = std::chrono::milliseconds(40);  // TCP_DELACK_MIN (HZ/25)
inline constexpr Duration kDelackMax = std::chrono::milliseconds(200); // TCP_DELACK_MAX (HZ/5)
inline constexpr std::uint32_t kAtoMinMs = 40;                         // TCP_ATO_MIN
inline constexpr std::uint32_t kDelackMinMs = 40;
inline constexpr std::uint32_t kDelackMaxMs = 200;
inline constexpr std::uint32_t kMaxQuickAcks = 16;                     // TCP_MAX_QUICKACKS
inline constexpr std::uint32_t kInitCwnd = 10;                         // TCP_INIT_CWND (RFC 6928)
inline constexpr std::uint32_t kResourceProbeMs = 500;                 // TCP_RESOURCE_PROBE_INTERVAL
// TCP_TIMEOUT_MIN is a raw count of 2 jiffies, not a time: 8 ms at the reference kernel's HZ=250 (its timer
// fires 4 to 8 ms later, by the jiffy's phase; synack takes the full 8).
inline constexpr Duration kTimeoutMin = std::chrono::milliseconds(8);

inline std::int64_t to_ms(Duration d) noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
inline std::uint32_t ms_of(Instant t) noexcept {
    return static_cast<std::uint32_t>(to_ms(t.time_since_epoch()));
}

}  // namespace synack::tcp
