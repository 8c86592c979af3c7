#include "tcp/rate_limit.hpp"

#include <chrono>

namespace synack::tcp {

bool oow_rate_limited_always(std::uint32_t& last_oow_ack_time, Instant now, const TcpSysctls& sysctls, Mib& mib,
                             Counter skipped) noexcept {
    const auto stamp = static_cast<std::uint32_t>(
                           std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()) +
                       1;
    if (last_oow_ack_time != 0) {
        const auto elapsed = static_cast<std::int32_t>(stamp - last_oow_ack_time);
        if (elapsed >= 0 && elapsed < sysctls.tcp_invalid_ratelimit) {
            mib.inc(skipped);
            return true;
        }
    }
    last_oow_ack_time = stamp;
    return false;
}

bool oow_rate_limited(const Segment& segment, std::uint32_t& last_oow_ack_time, Instant now,
                      const TcpSysctls& sysctls, Mib& mib, Counter skipped) noexcept {
    if (segment.seg_len() != 0 && !segment.syn()) return false;
    return oow_rate_limited_always(last_oow_ack_time, now, sysctls, mib, skipped);
}

}  // namespace synack::tcp
