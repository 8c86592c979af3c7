// The retransmission timeout of RFC 6298 as Linux computes it (tcp_rtt_estimator(), tcp_set_rto() in
// net/ipv4/tcp_input.c): srtt and mdev in Van Jacobson's fixed point (×8 and ×4), the variance term held at
// least tcp_rto_min and decayed once per flight, RTO = srtt + rttvar, bounded by tcp_rto_max.
#pragma once

#include <cstdint>

#include "wire/seq32.hpp"

namespace synack::tcp {

class RttEstimator {
public:
    // One RTT sample `m_us`, taken when the ACK of `snd_una` arrived with `snd_nxt` sent.
    void sample(std::int64_t m_us, wire::Seq32 snd_una, wire::Seq32 snd_nxt, std::uint32_t rto_min_us) noexcept;

    bool has_sample() const noexcept { return srtt_us_ != 0; }
    std::uint32_t srtt_us() const noexcept { return srtt_us_ >> 3; }    // smoothed RTT
    std::uint32_t mdev_us() const noexcept { return mdev_us_ >> 2; }    // mean deviation (TCP_INFO rttvar)
    std::uint32_t rttvar_us() const noexcept { return rttvar_us_; }
    // srtt + rttvar (before clamping to tcp_rto_max), as Linux __tcp_set_rto().
    std::uint32_t rto_us() const noexcept { return (srtt_us_ >> 3) + rttvar_us_; }

private:
    std::uint32_t srtt_us_ = 0;      // ×8
    std::uint32_t mdev_us_ = 0;      // ×4
    std::uint32_t mdev_max_us_ = 0;  // the largest mdev this flight
    std::uint32_t rttvar_us_ = 0;
    wire::Seq32 rtt_seq_{};          // when snd_una passes it, a flight has ended
};

}  // namespace synack::tcp
