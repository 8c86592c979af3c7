// Initial sequence numbers and timestamp offsets, RFC 6528 §3 as Linux implements it (net/core/secure_seq.c):
//   ISN = M + F(local ip, local port, remote ip, remote port, secret)
// F is SipHash-2-4 (libsodium's crypto_shorthash) keyed with a per-stack secret; M is a clock ticking every 64 ns
// (Linux's ktime_get_real_ns() >> 6, wrapping every 274 s). RFC 6528 suggests a 4 µs tick; one founding document
// says 4 ms, which is wrong: either way M must outrun the sequence numbers a connection consumes.
#pragma once

#include <array>
#include <cstdint>

#include "tcp/siphash.hpp"
#include "wire/address.hpp"
#include "wire/instant.hpp"
#include "wire/seq32.hpp"

namespace synack::tcp {

class IsnGenerator {
public:
    IsnGenerator(const SipHashKey& isn_key, const SipHashKey& ts_key) noexcept;

    wire::Seq32 isn(const wire::IpAddress& local, std::uint16_t local_port, const wire::IpAddress& remote,
                    std::uint16_t remote_port, Instant now) const noexcept;

    // The offset added to this stack's 1 ms timestamp clock for a pair of addresses (Linux secure_tcp_ts_off):
    // TSval then does not reveal uptime, and stays monotonic for every connection between the same hosts.
    std::uint32_t ts_offset(const wire::IpAddress& local, const wire::IpAddress& remote) const noexcept;

private:
    SipHashKey isn_key_;
    SipHashKey ts_key_;
};

}  // namespace synack::tcp
