// RFC 9293 §3.10.7.4 "fifth, check the ACK field", as Linux's tcp_ack(): old and unsent ACKs, the send window
// (RFC 9293 §3.8.6.1 with Linux's tcp_may_update_window()), the send queue, RTT samples (RFC 6298, Karn's rule,
// RFC 7323 timestamps) and the congestion window (RFC 5681 slow start and congestion avoidance: Reno).
#include <algorithm>

#include "tcp/connection.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kSendShutdown = 2;
}

// Linux tcp_may_update_window() (RFC 9293's SND.WL1/SND.WL2 test, with SND.UNA standing in for WL2).
bool Connection::may_update_window(Seq32 ack, Seq32 seq, std::uint32_t nwin) const noexcept {
    return wire::after(ack, snd_una_) || wire::after(seq, snd_wl1_) ||
           (seq == snd_wl1_ && (nwin > snd_wnd_ || nwin == 0));
}

// Linux tcp_ack_update_window().
void Connection::update_window(const Segment& seg) noexcept {
    std::uint32_t nwin = seg.window;
    if (!seg.syn()) nwin <<= snd_wscale_;  // RFC 7323 §2.2: never scaled in a SYN
    if (may_update_window(seg.ack, seg.seq, nwin)) {
        snd_wl1_ = seg.seq;
        snd_wl2_ = seg.ack;
        if (snd_wnd_ != nwin) {
            snd_wnd_ = nwin;
            if (nwin > max_window_) max_window_ = nwin;
        }
    }
}

// Linux tcp_ack(). Returns kAckOk (1) when the ACK was acceptable, kAckOld (0) for an old duplicate (processing
// continues), kAckInvalid (-1) when the segment was dropped here.
int Connection::process_ack(const Segment& seg, Instant now, bool update_ts) {
    const Seq32 prior_snd_una = snd_una_;
    const Seq32 ack = seg.ack;
    if (!seg.ack_flag()) return kAckOld;
    if (wire::before(ack, prior_snd_una)) {
        // RFC 5961 §5.2: an ACK older than anything the peer could have seen is blind data injection: challenge
        // it (from ESTABLISHED only: Linux's tcp_rcv_state_process() passes FLAG_NO_CHALLENGE_ACK).
        const std::uint64_t max_window = std::min<std::uint64_t>(max_window_, bytes_acked_);
        if (wire::before(ack, prior_snd_una - static_cast<std::uint32_t>(max_window))) {
            if (state_ == State::kEstablished) send_challenge_ack(now);
            drop(DropReason::kTcpTooOldAck);
            return kAckInvalid;
        }
        return kAckOld;
    }
    // RFC 9293: "If the ACK acks something not yet sent (SEG.ACK > SND.NXT) then send an ACK, drop the segment"
    // — RFC 5961 §5.2 makes that ACK a (rate-limited) challenge ACK; from ESTABLISHED only, as above.
    if (wire::after(ack, snd_nxt_)) {
        if (state_ == State::kEstablished) send_challenge_ack(now);
        drop(DropReason::kTcpAckUnsentData);
        return kAckInvalid;
    }
    if (wire::after(ack, prior_snd_una)) retransmits_ = 0;
    if (update_ts) update_ts_recent(seg, now);
    update_window(seg);
    snd_una_ = ack;
    probes_out_ = 0;
    rcv_tstamp_ = now;
    last_ack_recv_ = now;
    if (prior_snd_una == snd_nxt_) {
        // Nothing was in flight. If this ACK opened the window for what waits, stop probing it (tcp_ack_probe()).
        if (probe_timer_ && rto_deadline_ && !wire::after(snd_nxt_ + std::min<std::uint32_t>(unsent_bytes(), mss_cache_),
                                                            snd_una_ + snd_wnd_)) {
            backoff_ = 0;
            rto_deadline_.reset();
            probe_timer_ = false;
        }
        return kAckOk;
    }
    if (wire::after(ack, prior_snd_una)) clean_acked(prior_snd_una, now, seg);
    return kAckOk;
}

// Linux tcp_clean_rtx_queue(): what the ACK took off the queue, the RTT it measured, the timers and cwnd.
void Connection::clean_acked(Seq32 prior_snd_una, Instant now, const Segment& seg) {
    const Seq32 ack = snd_una_;
    // The SYN (our active open, or a simultaneous open) occupies the sequence number before the data.
    // Data: the send ring starts at snd_buf_seq_.
    if (wire::after(ack, snd_buf_seq_)) {
        const std::uint32_t n = std::min<std::uint32_t>(ack.distance_from(snd_buf_seq_), snd_buf_.size());
        snd_buf_.consume(n);
        snd_buf_seq_ += n;
        bytes_acked_ += n;
        snd_buf_.release_if_empty(host_->buffers());
        if (n != 0 && !orphaned_ && (shutdown_ & kSendShutdown) == 0) notify(event::kWritable);
    }
    const std::uint32_t acked_bytes = ack.distance_from(prior_snd_una);

    // RTT: the timed segment (Karn: only if never retransmitted), else the timestamp echo (RFC 7323 §4.1).
    if (rtt_timing_ && !wire::before(ack, rtt_seq_)) {
        rtt_timing_ = false;
        rtt_sample(std::chrono::duration_cast<std::chrono::microseconds>(now - rtt_time_).count(), now);
    } else if (saw_tstamp_ && rcv_tsecr_ != 0) {
        std::uint32_t delta = ms_of(now) - rcv_tsecr_;
        if (delta < 2147483647u / 1000u) {
            if (delta == 0) delta = 1;
            rtt_sample(static_cast<std::int64_t>(delta) * 1000, now);
        }
    }
    (void)seg;

    // Loss recovery ends when everything outstanding at the RTO is acknowledged.
    if (in_loss_) {
        if (wire::before(rtx_nxt_, ack)) rtx_nxt_ = ack;
        if (!wire::before(ack, high_seq_)) {
            in_loss_ = false;
            retrans_stamp_ = 0;
        }
    }
    if (!in_loss_) retrans_stamp_ = 0;
    congestion_on_ack(acked_bytes);
    rearm_rto(now);
}

void Connection::rtt_sample(std::int64_t us, Instant now) noexcept {
    (void)now;
    rtt_.sample(us, snd_una_, snd_nxt_, static_cast<std::uint32_t>(sysctls().tcp_rto_min_us));
    set_rto();
    backoff_ = 0;  // RFC 6298: a valid RTT measurement ends the backoff
}

// Linux tcp_set_rto() and tcp_bound_rto(): srtt + rttvar, rounded up to the timer tick, at most tcp_rto_max.
void Connection::set_rto() noexcept {
    const std::uint32_t us = rtt_.rto_us();
    std::uint32_t ms = (us + 999) / 1000;
    ms = std::min<std::uint32_t>(ms, static_cast<std::uint32_t>(sysctls().tcp_rto_max_ms));
    rto_ms_ = ms;
}

// Reno (Linux tcp_reno_cong_avoid()): slow start below ssthresh, then one segment per window.
void Connection::congestion_on_ack(std::uint32_t acked_bytes) noexcept {
    if (in_loss_ && state_ != State::kEstablished && state_ != State::kCloseWait) return;
    std::uint32_t acked = (acked_bytes + mss_cache_ - 1) / std::max<std::uint32_t>(mss_cache_, 1);
    if (acked == 0) return;
    // tcp_is_cwnd_limited(): grow only when the window was used.
    const bool slow_start = snd_cwnd_ < snd_ssthresh_;
    if (!(is_cwnd_limited_ || (slow_start && snd_cwnd_ < 2 * max_packets_out_))) return;
    if (slow_start) {
        const std::uint32_t cwnd = std::min(snd_cwnd_ + acked, snd_ssthresh_);
        acked -= cwnd - snd_cwnd_;
        snd_cwnd_ = cwnd;
        if (acked == 0) return;
    }
    // tcp_cong_avoid_ai()
    const std::uint32_t w = snd_cwnd_;
    if (snd_cwnd_cnt_ >= w) {
        snd_cwnd_cnt_ = 0;
        ++snd_cwnd_;
    }
    snd_cwnd_cnt_ += acked;
    if (snd_cwnd_cnt_ >= w) {
        const std::uint32_t delta = snd_cwnd_cnt_ / w;
        snd_cwnd_cnt_ -= delta * w;
        snd_cwnd_ += delta;
    }
}

}  // namespace synack::tcp
