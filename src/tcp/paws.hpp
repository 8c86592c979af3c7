// RFC 7323 timestamps as Linux keeps them: TSval is a 1 ms clock plus a per-connection offset
// (tcp_clock_ms() + tsoffset), and PAWS (§5) rejects a segment whose TSval is older than the last one accepted.
#pragma once

#include <chrono>
#include <cstdint>

#include "wire/instant.hpp"

namespace synack::tcp {

// TSval for `now`: milliseconds of the stack's clock plus `offset`, modulo 2^32.
inline std::uint32_t ts_clock(Instant now, std::uint32_t offset) noexcept {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    return static_cast<std::uint32_t>(ms) + offset;
}

// Whole seconds of the stack's clock (Linux ktime_get_seconds(), which ts_recent_stamp records), counted from 1:
// a stamp of 0 means "never recorded" (Linux's `if (tcptw->tw_ts_recent_stamp)`), and a stack whose clock
// starts at 0 — the simulator's, drill's — must not lose PAWS during its first second. (Linux's seconds since
// boot are never 0 by the time TCP runs.)
inline std::uint32_t seconds_of(Instant now) noexcept {
    return static_cast<std::uint32_t>(
               std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()) + 1u;
}

inline constexpr std::int32_t kPawsWindow = 1;                // TCP_PAWS_WINDOW: tolerate 1 tick of disorder
inline constexpr std::uint32_t kPawsWrapSeconds = 2147483647u / 1000u;  // TCP_PAWS_WRAP (INT_MAX / HZ): 24.8 days
inline constexpr std::uint32_t kPawsMslSeconds = 60;          // TCP_PAWS_MSL

struct PawsInput {
    std::uint32_t ts_recent = 0;        // the last TSval accepted
    std::uint32_t ts_recent_stamp = 0;  // when (seconds_of); 0: none recorded
    std::uint32_t rcv_tsval = 0;        // this segment's TSval
};

// Linux tcp_paws_check(): true when the segment passes (TSval not older than ts_recent by more than
// `paws_win`, or ts_recent too old to trust, or never set).
inline bool paws_check(const PawsInput& in, std::int32_t paws_win, Instant now) noexcept {
    if (static_cast<std::int32_t>(in.ts_recent - in.rcv_tsval) <= paws_win) return true;
    if (static_cast<std::int32_t>(seconds_of(now) - (in.ts_recent_stamp + kPawsWrapSeconds)) >= 0) return true;
    // Some stacks send TSval 0 in SYN and SYN-ACK and valid values after: ignore a ts_recent of 0.
    return in.ts_recent == 0;
}

// Linux tcp_paws_reject(): PAWS with no tolerance; an RST passes if ts_recent is older than TCP_PAWS_MSL.
inline bool paws_reject(const PawsInput& in, bool rst, Instant now) noexcept {
    if (paws_check(in, 0, now)) return false;
    if (rst && static_cast<std::int32_t>(seconds_of(now) - (in.ts_recent_stamp + kPawsMslSeconds)) >= 0) return false;
    return true;
}

}  // namespace synack::tcp
