// RFC 5961 (blind in-window attacks) and the PAWS exemption for disordered ACKs, as Linux implements them:
// tcp_send_challenge_ack(), tcp_reset_check(), tcp_disordered_ack_check() in net/ipv4/tcp_input.c.
#include "tcp/connection.hpp"
#include "tcp/rate_limit.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

// RFC 5961 §3.2 and §4.2: answer an in-window RST or a SYN with an ACK the genuine peer can act on. Linux
// rate-limits it per connection (tcp_invalid_ratelimit), then host-wide per second (tcp_challenge_ack_limit,
// which Linux 6.0+ sets to INT_MAX: off).
void Connection::send_challenge_ack(Instant now) {
    if (oow_rate_limited_always(last_oow_ack_time_, now, sysctls(), mib(), Counter::kTcpAckSkippedChallenge)) {
        return;
    }
    if (!host_->challenge_ack_allowed(now)) return;
    mib().inc(Counter::kTcpChallengeAck);
    send_ack(now);
}

// Linux tcp_reset_check(): after the peer's FIN, an RST may carry RCV.NXT - 1 (some stacks send it so).
bool Connection::reset_check(const Segment& seg) const noexcept {
    return seg.seq == rcv_nxt_ - 1 &&
           (state_ == State::kCloseWait || state_ == State::kLastAck || state_ == State::kClosing);
}

// Linux tcp_disordered_ack_check() (RFC 7323 §5.2 leaves room for it): a segment that failed PAWS is still
// accepted when it is a pure duplicate ACK at RCV.NXT that updates nothing and whose TSval lies within the
// replay window (1.2 × RTO ticks). Returns kNotSpecified to accept; TCP_RFC7323_PAWS_ACK for an old pure ACK
// (dropped quietly); TCP_RFC7323_PAWS otherwise.
DropReason Connection::disordered_ack_check(const Segment& seg) const noexcept {
    const Seq32 seq = seg.seq;
    if (!seg.ack_flag() || seg.seg_len() != 0) return DropReason::kTcpRfc7323Paws;  // not a pure ACK
    if (seq != rcv_nxt_) {
        return wire::before(seq, rcv_nxt_) ? DropReason::kTcpRfc7323PawsAck : DropReason::kTcpRfc7323Paws;
    }
    if (seg.ack != snd_una_) return DropReason::kTcpRfc7323Paws;  // not a duplicate ACK
    if (may_update_window(seg.ack, seq, static_cast<std::uint32_t>(seg.window) << snd_wscale_)) {
        return DropReason::kTcpRfc7323Paws;
    }
    // tcp_tsval_replay(): RFC 7323 allows TSval clocks up to 1 kHz; Linux assumes 1200 Hz to be safe.
    const std::int64_t replay = static_cast<std::int64_t>(rto_ms_) * 1200 / 1000;
    if (static_cast<std::int32_t>(ts_recent_ - rcv_tsval_) > replay) return DropReason::kTcpRfc7323Paws;
    return DropReason::kNotSpecified;
}

}  // namespace synack::tcp
