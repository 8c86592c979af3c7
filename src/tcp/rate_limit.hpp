// Linux's limit on answers to invalid segments (tcp_oow_rate_limited(), net/ipv4/tcp_input.c): at most one
// duplicate or challenge ACK per tcp_invalid_ratelimit ms per socket, so two stacks cannot ACK each other in a loop.
#pragma once

#include <cstdint>

#include "tcp/mib.hpp"
#include "tcp/segment.hpp"
#include "tcp/sysctl.hpp"
#include "wire/instant.hpp"

namespace synack::tcp {

// `last_oow_ack_time` is milliseconds of the stack clock plus one (0: never), Linux's jiffies stamp.
// Returns true (and counts `skipped`) when an answer was sent less than tcp_invalid_ratelimit ago; otherwise
// records now and returns false. __tcp_oow_rate_limited().
bool oow_rate_limited_always(std::uint32_t& last_oow_ack_time, Instant now, const TcpSysctls& sysctls, Mib& mib,
                             Counter skipped) noexcept;

// tcp_oow_rate_limited(): data segments without SYN are never limited (they cannot be part of an ACK loop).
bool oow_rate_limited(const Segment& segment, std::uint32_t& last_oow_ack_time, Instant now,
                      const TcpSysctls& sysctls, Mib& mib, Counter skipped) noexcept;

}  // namespace synack::tcp
