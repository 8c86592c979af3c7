// RFC 9293 §3.10.7.4 "fifth, check the ACK field", as Linux's tcp_ack(): old and unsent ACKs, the send window
// (RFC 9293 §3.8.6.1 with Linux's tcp_may_update_window()), the SACK scoreboard (conn_sack.cpp), the
// retransmission queue (tcp_clean_rtx_queue()), RTT samples (RFC 6298 with Karn's rule, per ACK from the send
// times of the segments it covers, RFC 7323 timestamps when those are ambiguous), and then loss recovery and
// congestion control (conn_recovery.cpp).
#include <algorithm>

#include "tcp/ack_flags.hpp"
#include "tcp/sack_state.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kSendShutdown = 2;
}  // namespace

// Linux tcp_may_update_window() (RFC 9293's SND.WL1/SND.WL2 test, with SND.UNA standing in for WL2).
bool Connection::may_update_window(Seq32 ack, Seq32 seq, std::uint32_t nwin) const noexcept {
    return wire::after(ack, snd_una_) || wire::after(seq, snd_wl1_) ||
           (seq == snd_wl1_ && (nwin > snd_wnd_ || nwin == 0));
}

// Linux tcp_ack_update_window(): true (FLAG_WIN_UPDATE) when the segment may update the window.
bool Connection::update_window(const Segment& seg) noexcept {
    std::uint32_t nwin = seg.window;
    if (!seg.syn()) nwin <<= snd_wscale_;  // RFC 7323 §2.2: never scaled in a SYN
    if (!may_update_window(seg.ack, seg.seq, nwin)) return false;
    snd_wl1_ = seg.seq;
    snd_wl2_ = seg.ack;
    if (snd_wnd_ != nwin) {
        snd_wnd_ = nwin;
        if (nwin > max_window_) max_window_ = nwin;
    }
    return true;
}

// Linux tcp_ack(). Returns kAckOk (1) when the ACK was acceptable, kAckOld (0) for an old duplicate (processing
// continues), kAckInvalid (-1) when the segment was dropped here.
int Connection::process_ack(const Segment& seg, Instant now, bool update_ts) {
    using namespace ack_flag;
    const Seq32 prior_snd_una = snd_una_;
    const Seq32 ack = seg.ack;
    if (!seg.ack_flag()) return kAckOld;
    now_ = now;
    const bool has_sack = sack_ok_ && seg.options.sack.count != 0;
    SackState sack;
    std::uint32_t flag = 0;
    bool rexmit = false;

    if (wire::before(ack, prior_snd_una)) {
        // RFC 5961 §5.2: an ACK older than anything the peer could have seen is blind data injection: challenge
        // it (from ESTABLISHED only: Linux's tcp_rcv_state_process() passes FLAG_NO_CHALLENGE_ACK).
        const std::uint64_t max_window = std::min<std::uint64_t>(max_window_, bytes_acked_);
        if (wire::before(ack, prior_snd_una - static_cast<std::uint32_t>(max_window))) {
            if (state_ == State::kEstablished) send_challenge_ack(now);
            drop(DropReason::kTcpTooOldAck);
            return kAckInvalid;
        }
        // An old ACK's SACK blocks still count (tcp_ack(), old_ack).
        if (has_sack && packets_out_ != 0) {
            flag |= sacktag_write_queue(seg, prior_snd_una, sack);
            delivered_ += sack.sack_delivered;
            fastretrans_alert(prior_snd_una, 0, flag, rexmit);
            if (rexmit) xmit_retransmit_queue(now);
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

    const Seq32 prior_fack = sack_ok_ ? highest_sack_seq() : snd_una_;
    const std::uint32_t prior_packets = packets_out_;
    const std::uint32_t prior_delivered = delivered_;
    const std::uint32_t prior_lost = lost_;
    if (wire::after(ack, prior_snd_una)) {
        flag |= kSndUnaAdvanced;
        retransmits_ = 0;
    }
    if (update_ts) update_ts_recent(seg, now);
    if (seg.seg_len() != 0) flag |= kData;
    if (update_window(seg)) flag |= kWinUpdate;
    snd_una_ = ack;
    if (has_sack) flag |= sacktag_write_queue(seg, prior_snd_una, sack);
    delivered_ += sack.sack_delivered;  // tcp_count_delivered()
    probes_out_ = 0;
    rcv_tstamp_ = now;
    last_ack_recv_ = now;

    if (prior_packets == 0) {
        // Nothing of the send queue was in flight (tcp_ack(), no_queue): our SYN, or window probes.
        if (rtt_timing_ && !wire::before(ack, rtt_seq_)) {
            rtt_timing_ = false;  // the SYN's RTT (only when it was never retransmitted: Karn's rule)
            rtt_sample(std::chrono::duration_cast<std::chrono::microseconds>(now - rtt_time_).count(), now);
        }
        if ((flag & kSndUnaAdvanced) != 0) rearm_rto(now);  // the SYN is ACKed: its timer stops
        if ((flag & kDsackingAck) != 0) fastretrans_alert(prior_snd_una, 0, flag, rexmit);
        // If this ACK opened the window for what waits, stop probing it (tcp_ack_probe()).
        if (probe_timer_ && rto_deadline_ &&
            !wire::after(snd_nxt_ + std::min<std::uint32_t>(unsent_bytes(), mss_cache_), snd_una_ + snd_wnd_)) {
            backoff_ = 0;
            rto_deadline_.reset();
            probe_timer_ = false;
        }
        return kAckOk;
    }

    flag |= clean_rtx_queue(prior_snd_una, prior_fack, sack, now);
    rack_update_reo_wnd(sack.prior_delivered);

    // tcp_ack_is_dubious(): not a plain forward-moving ACK in the Open state.
    if ((flag & kNotDup) == 0 || (flag & kCaAlert) != 0 || ca_state_ != CaState::kOpen) {
        const std::uint32_t num_dupack = (flag & (kSndUnaAdvanced | kNotDup | kDsackingAck)) == 0 ? 1 : 0;
        fastretrans_alert(prior_snd_una, num_dupack, flag, rexmit);
    }
    if ((flag & kSetXmitTimer) != 0) rearm_rto(now);  // tcp_set_xmit_timer() (no loss probes: TLP is off)
    cong_control(delivered_ - prior_delivered, lost_ - prior_lost, flag);
    if (rexmit) xmit_retransmit_queue(now);  // tcp_xmit_recovery()
    return kAckOk;
}

// Linux tcp_clean_rtx_queue(): takes what the ACK covers off the retransmission queue and the send ring, counts
// what was delivered, and takes the RTT samples the ACK allows.
std::uint32_t Connection::clean_rtx_queue(Seq32 prior_snd_una, Seq32 prior_fack, SackState& sack, Instant now) {
    using namespace ack_flag;
    std::uint32_t flag = 0;
    std::uint64_t first_ackt = 0;
    std::uint64_t last_ackt = 0;
    const std::uint32_t prior_sacked = sacked_out_;
    Seq32 reord = snd_nxt_;
    std::uint32_t pkts_acked = 0;
    bool fully_acked = true;

    while (!rtx_.empty()) {
        TxRecord& r = rtx_.front();
        const Seq32 end = r.end_seq();
        if (wire::after(end, snd_una_)) {
            // Partly ACKed: keep the rest (Linux trims a one-segment skb when it retransmits it).
            if (wire::after(snd_una_, r.seq)) {
                r.len = static_cast<std::uint16_t>(r.len - snd_una_.distance_from(r.seq));
                r.seq = snd_una_;
            }
            fully_acked = false;
            break;
        }
        const std::uint8_t sacked = r.flags;
        if ((sacked & tx_flag::kEverRetrans) != 0) {
            if ((sacked & tx_flag::kSackedRetrans) != 0) --retrans_out_;
            flag |= kRetransDataAcked;
        } else if ((sacked & tx_flag::kSackedAcked) == 0) {
            last_ackt = r.xmit_us;
            if (first_ackt == 0) first_ackt = last_ackt;
            if (wire::before(r.seq, reord)) reord = r.seq;
            if (!wire::after(end, high_seq_)) flag |= kOrigSackAcked;
        }
        if ((sacked & tx_flag::kSackedAcked) != 0) {
            --sacked_out_;
        } else if (sack_ok_) {
            ++delivered_;
            rack_advance(sacked, end, r.xmit_us);
        }
        if ((sacked & tx_flag::kSackedAcked) == 0) sack.rate_delivered(r);
        if ((sacked & tx_flag::kLost) != 0) --lost_out_;
        --packets_out_;
        ++pkts_acked;
        flag |= kDataAcked;
        rtx_.pop_front();
    }
    rtx_.release_if_empty(host_->buffers());

    // The send ring gives up the bytes the peer has.
    if (wire::after(snd_una_, snd_buf_seq_)) {
        const std::uint32_t n = std::min<std::uint32_t>(snd_una_.distance_from(snd_buf_seq_), snd_buf_.size());
        snd_buf_.consume(n);
        snd_buf_seq_ += n;
        bytes_acked_ += n;
        snd_buf_.release_if_empty(host_->buffers());
        if (n != 0 && !orphaned_ && (shutdown_ & kSendShutdown) == 0) notify(event::kWritable);
    }
    // A SACKed segment at the head after the cumulative ACK: the receiver dropped what it had SACKed.
    if (!rtx_.empty() && rtx_.front().has(tx_flag::kSackedAcked)) flag |= kSackReneging;

    std::int64_t seq_rtt_us = -1;
    std::int64_t sack_rtt_us = -1;
    std::int64_t ca_rtt_us = -1;
    if (first_ackt != 0 && (flag & kRetransDataAcked) == 0) {
        seq_rtt_us = static_cast<std::int64_t>(now_us() - first_ackt);
        ca_rtt_us = static_cast<std::int64_t>(now_us() - last_ackt);
        // Conservatively mark a delayed ACK: a lone runt segment ACKed, nothing unusual (no min-RTT sample).
        if (pkts_acked == 1 && fully_acked && prior_sacked == 0 &&
            snd_una_.distance_from(prior_snd_una) < mss_cache_ && sack.prior_delivered + 1 == delivered_ &&
            ((flag | sack.flag) & kCaAlert) == 0) {
            flag |= kAckMaybeDelayed;
        }
    }
    if (sack.first_sackt != 0) {
        sack_rtt_us = static_cast<std::int64_t>(now_us() - sack.first_sackt);
        ca_rtt_us = static_cast<std::int64_t>(now_us() - sack.last_sackt);
    }
    const bool rtt_update = ack_update_rtt(flag, seq_rtt_us, sack_rtt_us, ca_rtt_us, now);

    if ((flag & kAcked) != 0) {
        flag |= kSetXmitTimer;
        if (!sack_ok_) {
            remove_reno_sacks(pkts_acked);
            // Without SACK a cumulative ACK cannot tell an original from a retransmission.
            if ((flag & kRetransDataAcked) != 0) flag &= ~kOrigSackAcked;
        } else if (wire::before(reord, prior_fack)) {
            check_sack_reordering(reord);  // a never-retransmitted hole was filled: reordering
        }
    } else if (!rtx_.empty() && rtt_update && sack_rtt_us >= 0 &&
               sack_rtt_us > static_cast<std::int64_t>(now_us() - rtx_.front().xmit_us)) {
        // Re-arm the RTO unless the SACK RTT comes from data sent after the head's last transmission.
        flag |= kSetXmitTimer;
    }
    return flag;
}

// Linux tcp_ack_update_rtt(): the RTT of the oldest segment this ACK covers (never retransmitted, Karn's rule),
// else of a SACKed one, else the timestamp echo (RFC 7323 §4.1, only when the ACK covers new data).
bool Connection::ack_update_rtt(std::uint32_t flag, std::int64_t seq_rtt_us, std::int64_t sack_rtt_us,
                                std::int64_t ca_rtt_us, Instant now) noexcept {
    if (seq_rtt_us < 0) seq_rtt_us = sack_rtt_us;
    if (seq_rtt_us < 0 && saw_tstamp_ && rcv_tsecr_ != 0 && (flag & ack_flag::kAcked) != 0) {
        std::uint32_t delta = ms_of(now) - rcv_tsecr_;
        if (delta < 2147483647u / 1000u) {
            if (delta == 0) delta = 1;
            seq_rtt_us = ca_rtt_us = static_cast<std::int64_t>(delta) * 1000;
        }
    }
    if (seq_rtt_us < 0) return false;
    // tcp_update_rtt_min(): a likely delayed ACK says nothing new about the minimum.
    if (!((flag & ack_flag::kAckMaybeDelayed) != 0 && static_cast<std::uint64_t>(ca_rtt_us) > min_rtt_us())) {
        rtt_min_.update(min_rtt_window_ms(), ms_of(now), ca_rtt_us != 0 ? static_cast<std::uint32_t>(ca_rtt_us) : 1000);
    }
    rtt_.sample(seq_rtt_us, snd_una_, snd_nxt_, static_cast<std::uint32_t>(sysctls().tcp_rto_min_us));
    set_rto();
    backoff_ = 0;  // RFC 6298: a valid RTT measurement ends the backoff
    return true;
}

// An RTT sample of the handshake (Linux tcp_synack_rtt_meas() and FLAG_SYN_ACKED): it also seeds the minimum.
void Connection::rtt_sample(std::int64_t us, Instant now) noexcept {
    if (us < 0) return;
    rtt_min_.update(min_rtt_window_ms(), ms_of(now), us == 0 ? 1000 : static_cast<std::uint32_t>(us));
    rtt_.sample(us, snd_una_, snd_nxt_, static_cast<std::uint32_t>(sysctls().tcp_rto_min_us));
    set_rto();
    backoff_ = 0;
}

// Linux tcp_set_rto() and tcp_bound_rto(): srtt + rttvar, rounded up to the timer tick, at most tcp_rto_max.
void Connection::set_rto() noexcept {
    const std::uint32_t us = rtt_.rto_us();
    std::uint32_t ms = (us + 999) / 1000;
    ms = std::min<std::uint32_t>(ms, static_cast<std::uint32_t>(sysctls().tcp_rto_max_ms));
    rto_ms_ = ms;
}

}  // namespace synack::tcp
