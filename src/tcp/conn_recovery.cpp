// Loss detection and recovery as the reference kernel does them (net/ipv4/tcp_input.c, tcp_recovery.c):
// - the congestion-avoidance state machine of tcp_fastretrans_alert(): Open, Disorder, Recovery, Loss;
// - loss detection by RACK (RFC 8985: a segment is lost when one sent sufficiently later was delivered), with
//   its duplicate-ACK threshold rule (no reordering window while `reordering` segments are SACKed and no
//   reordering was seen) — Linux 6.17+ detects losses with RACK only; peers without SACK get NewReno's
//   "the head is lost after `reordering` duplicate ACKs, and after each partial ACK" (RFC 6582);
// - Proportional Rate Reduction in recovery (RFC 6937, tcp_cwnd_reduction());
// - retransmission of what is marked lost, within the congestion window (tcp_xmit_retransmit_queue());
// - the RTO's "everything outstanding is lost" (tcp_enter_loss(), tcp_timeout_mark_lost()).
// Undo of spurious reductions (Eifel, D-SACK), F-RTO and tail loss probes are not implemented: parity scripts
// switch the latter two off on the kernel (tcp_frto=0, tcp_early_retrans=0), and docs/tcp-linux-differences.md
// says where the missing undo shows.
#include <algorithm>

#include "tcp/ack_flags.hpp"
#include "tcp/connection.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint32_t kInfiniteSsthresh = 0x7fffffff;  // TCP_INFINITE_SSTHRESH
constexpr int kRackStaticReoWnd = 0x2;                   // tcp_recovery bits (TCP_RACK_STATIC_REO_WND …)
constexpr int kRackNoDupthresh = 0x4;                    // (… TCP_RACK_NO_DUPTHRESH)
constexpr std::uint8_t kRackRecoveryThresh = 16;         // TCP_RACK_RECOVERY_THRESH

// Linux tcp_skb_sent_after(): t1 later than t2, or at the same time but further in sequence space.
bool sent_after(std::uint64_t t1, std::uint64_t t2, Seq32 seq1, Seq32 seq2) noexcept {
    return t1 > t2 || (t1 == t2 && wire::after(seq1, seq2));
}
}  // namespace

// Linux tcp_packets_in_flight(): sent, less what left the network (SACKed or lost), plus retransmissions.
std::uint32_t Connection::packets_in_flight() const noexcept {
    return packets_out_ - (sacked_out_ + lost_out_) + retrans_out_;
}

// Linux tcp_any_retrans_done().
bool Connection::any_retrans_done() const noexcept {
    return retrans_out_ != 0 || (!rtx_.empty() && rtx_[0].has(tx_flag::kEverRetrans));
}

// The queue and its scoreboard emptied at once (the connection is done).
void Connection::clear_rtx_queue() noexcept {
    rtx_.release(host_->buffers());
    packets_out_ = sacked_out_ = lost_out_ = retrans_out_ = 0;
}

// Linux tcp_fastretrans_alert(): the recovery state machine, run for every ACK that is not a plain forward one.
// `rexmit` says whether lost segments should be retransmitted after congestion control has run.
void Connection::fastretrans_alert(Seq32 prior_snd_una, std::uint32_t num_dupack, std::uint32_t& flag,
                                   bool& rexmit) {
    using namespace ack_flag;
    (void)prior_snd_una;
    if (packets_out_ == 0 && sacked_out_ != 0) sacked_out_ = 0;

    // B. The receiver reneged on its SACKs (tcp_check_sack_reneging()): wait a little for it to ACK them.
    if ((flag & kSackReneging) != 0 && (flag & kSndUnaAdvanced) != 0) {
        const std::uint32_t delay_ms = std::max<std::uint32_t>((rtt_.srtt_us() / 2 + 999) / 1000, 10);
        rto_deadline_ = now_ + std::chrono::milliseconds(delay_ms);
        probe_timer_ = reo_timer_ = false;
        flag &= ~kSetXmitTimer;
        return;
    }

    // D. Leaving a state once everything outstanding when it began is ACKed.
    if (ca_state_ == CaState::kOpen) {
        retrans_stamp_ = 0;
    } else if (!wire::before(snd_una_, high_seq_)) {
        if (ca_state_ == CaState::kCwr) {
            // CWR holds until something above high_seq is ACKed, so the peer saw the CWR bit.
            if (snd_una_ != high_seq_) {
                end_cwnd_reduction();
                ca_state_ = CaState::kOpen;
            }
        } else if (ca_state_ == CaState::kRecovery) {
            if (!sack_ok_) sacked_out_ = 0;  // tcp_reset_reno_sack()
            if (try_undo_recovery()) return;
            end_cwnd_reduction();
        }
    }

    // E. What this ACK means in the current state.
    switch (ca_state_) {
        case CaState::kRecovery:
            if ((flag & kSndUnaAdvanced) == 0 && !sack_ok_) add_reno_sack(num_dupack);
            identify_packet_loss(flag);
            break;
        case CaState::kLoss:
            process_loss(flag, num_dupack, rexmit);
            identify_packet_loss(flag);
            if (!(ca_state_ == CaState::kOpen || (flag & kLostRetrans) != 0)) return;
            [[fallthrough]];
        default:
            if (!sack_ok_) {
                if ((flag & kSndUnaAdvanced) != 0) sacked_out_ = 0;
                add_reno_sack(num_dupack);
            }
            identify_packet_loss(flag);
            // tcp_time_to_recover(): with RACK, only a loss detected is a reason.
            if (lost_out_ == 0) {
                try_to_open(flag);
                return;
            }
            enter_recovery();
            break;
    }
    rexmit = true;
}

// Linux tcp_identify_packet_loss().
void Connection::identify_packet_loss(std::uint32_t& flag) {
    if (rtx_.empty()) return;
    if (!sack_ok_) {
        newreno_mark_lost((flag & ack_flag::kSndUnaAdvanced) != 0);
        return;
    }
    const std::uint32_t prior_retrans = retrans_out_;
    if (rack_mark_lost()) flag &= ~ack_flag::kSetXmitTimer;
    if (prior_retrans > retrans_out_) flag |= ack_flag::kLostRetrans;
}

// Linux tcp_newreno_mark_lost() (RFC 6582): without SACK, the head is lost after `reordering` duplicate ACKs,
// and again after each partial ACK in recovery.
void Connection::newreno_mark_lost(bool snd_una_advanced) {
    if ((ca_state_ < CaState::kRecovery && sacked_out_ >= reordering_) ||
        (ca_state_ == CaState::kRecovery && snd_una_advanced)) {
        TxRecord& head = rtx_.front();
        if (head.has(tx_flag::kLost)) return;
        mark_lost(head);
    }
}

// Linux tcp_mark_skb_lost().
void Connection::mark_lost(TxRecord& r) noexcept {
    if (r.has(tx_flag::kSackedAcked)) return;
    if (r.has(tx_flag::kLost)) {
        if (r.has(tx_flag::kSackedRetrans)) {
            // A retransmission lost again.
            r.flags &= static_cast<std::uint8_t>(~tx_flag::kSackedRetrans);
            --retrans_out_;
            mib().inc(Counter::kTcpLostRetransmit);
            ++lost_;
        }
    } else {
        ++lost_out_;
        r.flags |= tx_flag::kLost;
        ++lost_;
    }
}

// ---- RACK (RFC 8985; Linux tcp_recovery.c) ----

// Linux tcp_rack_advance(): remember the most recently sent segment that was delivered, and its RTT. A
// retransmitted one counts only if its RTT cannot be the original's (at least min_rtt).
void Connection::rack_advance(std::uint8_t flags, Seq32 end_seq, std::uint64_t xmit_us) noexcept {
    if (rack_mstamp_us_ != 0 && !sent_after(xmit_us, rack_mstamp_us_, end_seq, rack_end_seq_)) return;
    const std::uint64_t rtt_us = now_us() - xmit_us;
    if ((flags & tx_flag::kEverRetrans) != 0 && rtt_us < min_rtt_us()) return;
    rack_rtt_us_ = static_cast<std::uint32_t>(rtt_us);
    rack_mstamp_us_ = xmit_us;
    rack_end_seq_ = end_seq;
    rack_advanced_ = true;
}

// Linux tcp_rack_reo_wnd(): no settling time while no reordering was seen and either recovery is under way or
// `reordering` segments are SACKed (RFC 8985 §6.2's duplicate-ACK threshold rule); else a quarter of the
// minimum RTT, at most the smoothed RTT.
std::uint32_t Connection::rack_reo_wnd() const noexcept {
    if (reord_seen_ == 0) {
        if (ca_state_ >= CaState::kRecovery) return 0;
        if (sacked_out_ >= reordering_ && (sysctls().tcp_recovery & kRackNoDupthresh) == 0) return 0;
    }
    const std::uint64_t quarter = std::uint64_t{min_rtt_us() >> 2} * rack_reo_wnd_steps_;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(quarter, rtt_.srtt_us()));
}

// Linux tcp_rack_update_reo_wnd() (RFC 8985 §6.2 step 4): after a round trip with D-SACKs (spurious
// retransmissions reordering may have caused) the window grows by a step; it shrinks back to one step after 16
// recoveries without. `rate_prior_delivered` is the delivered count when the newest segment this ACK delivered
// was sent (0: it delivered none).
void Connection::rack_update_reo_wnd(std::uint32_t rate_prior_delivered) noexcept {
    if ((sysctls().tcp_recovery & kRackStaticReoWnd) != 0 || rate_prior_delivered == 0) return;
    // A D-SACK within a round trip of the last change does not count again.
    if (static_cast<std::int32_t>(rate_prior_delivered - rack_last_delivered_) < 0) rack_dsack_seen_ = false;
    if (rack_dsack_seen_) {
        if (rack_reo_wnd_steps_ < 255) ++rack_reo_wnd_steps_;
        rack_dsack_seen_ = false;
        rack_last_delivered_ = delivered_;
        rack_reo_wnd_persist_ = kRackRecoveryThresh;
    } else if (rack_reo_wnd_persist_ == 0) {
        rack_reo_wnd_steps_ = 1;
    }
}

// Linux tcp_rack_skb_timeout(): how long until the segment counts as lost (≤ 0: now).
std::int64_t Connection::rack_skb_timeout(const TxRecord& r, std::uint32_t reo_wnd) const noexcept {
    return static_cast<std::int64_t>(rack_rtt_us_) + reo_wnd - static_cast<std::int64_t>(now_us() - r.xmit_us);
}

// Linux tcp_rack_detect_loss(): every segment sent before the RACK segment and not delivered within RACK's RTT
// plus the reordering window is lost; for the others, the longest wait left.
void Connection::rack_detect_loss(std::uint32_t& reo_timeout_us) {
    reo_timeout_us = 0;
    const std::uint32_t reo_wnd = rack_reo_wnd();
    for (std::uint32_t i = 0; i < rtx_.size(); ++i) {
        TxRecord& r = rtx_[i];
        if (r.has(tx_flag::kSackedAcked)) continue;
        if (r.has(tx_flag::kLost) && !r.has(tx_flag::kSackedRetrans)) continue;  // lost, not yet resent
        if (!sent_after(rack_mstamp_us_, r.xmit_us, rack_end_seq_, r.end_seq())) continue;
        const std::int64_t remaining = rack_skb_timeout(r, reo_wnd);
        if (remaining <= 0) {
            mark_lost(r);
        } else {
            reo_timeout_us = std::max(reo_timeout_us, static_cast<std::uint32_t>(remaining));
        }
    }
}

// Linux tcp_rack_mark_lost(): true when the reordering timer was armed for segments not yet overdue.
bool Connection::rack_mark_lost() {
    if (!rack_advanced_) return false;
    rack_advanced_ = false;
    std::uint32_t timeout_us = 0;
    rack_detect_loss(timeout_us);
    if (timeout_us == 0) return false;
    // usecs_to_jiffies(timeout) + TCP_TIMEOUT_MIN, on synack's 1 ms clock.
    const auto wait = std::chrono::milliseconds((timeout_us + 999) / 1000) + kTimeoutMin;
    rto_deadline_ = now_ + wait;
    reo_timer_ = true;
    probe_timer_ = false;
    return true;
}

// Linux tcp_rack_reo_timeout(): the reordering window passed; what is overdue now is lost.
void Connection::rack_reo_timeout(Instant now) {
    now_ = now;
    rto_deadline_.reset();
    const std::uint32_t prior_inflight = packets_in_flight();
    std::uint32_t timeout_us = 0;
    rack_detect_loss(timeout_us);
    if (prior_inflight != packets_in_flight()) {
        if (ca_state_ != CaState::kRecovery) {
            enter_recovery();
            cwnd_reduction(1, 0, 0);
        }
        xmit_retransmit_queue(now);
    }
    rearm_rto(now);  // from the head's last transmission (the reordering timer was pending)
}

// ---- Duplicate ACKs of peers without SACK (Linux tcp_add_reno_sack() and friends) ----

// Linux tcp_limit_reno_sacked(): never more "SACKed" than sent less one hole.
bool Connection::limit_reno_sacked() noexcept {
    std::uint32_t holes = std::max<std::uint32_t>(lost_out_, 1);
    holes = std::min(holes, packets_out_);
    if (sacked_out_ + holes > packets_out_) {
        sacked_out_ = packets_out_ - holes;
        return true;
    }
    return false;
}

// Linux tcp_check_reno_reordering(): more duplicate ACKs than holes means the network reordered.
void Connection::check_reno_reordering(std::uint32_t addend) {
    if (!limit_reno_sacked()) return;
    reordering_ = std::min(packets_out_ + addend, static_cast<std::uint32_t>(sysctls().tcp_max_reordering));
    ++reord_seen_;
    mib().inc(Counter::kTcpRenoReorder);
}

// Linux tcp_add_reno_sack(): each duplicate ACK stands for a segment that left the network.
void Connection::add_reno_sack(std::uint32_t num_dupack) {
    if (num_dupack == 0) return;
    const std::uint32_t prior_sacked = sacked_out_;
    sacked_out_ += num_dupack;
    check_reno_reordering(0);
    if (sacked_out_ > prior_sacked) delivered_ += sacked_out_ - prior_sacked;
}

// Linux tcp_remove_reno_sacks(): a cumulative ACK fills the hole; the rest of what it covers was counted by
// duplicate ACKs already.
void Connection::remove_reno_sacks(std::uint32_t acked) {
    if (acked > 0) {
        delivered_ += std::max<std::uint32_t>(acked > sacked_out_ ? acked - sacked_out_ : 0, 1);
        if (acked - 1 >= sacked_out_) sacked_out_ = 0;
        else sacked_out_ -= acked - 1;
    }
    check_reno_reordering(acked);
}

// ---- Recovery and the congestion window ----

// Linux tcp_enter_recovery().
void Connection::enter_recovery() {
    if (!any_retrans_done()) retrans_stamp_ = 0;  // the clock starts with the fast retransmit
    mib().inc(sack_ok_ ? Counter::kTcpSackRecovery : Counter::kTcpRenoRecovery);
    if (!in_cwnd_reduction()) init_cwnd_reduction();
    ca_state_ = CaState::kRecovery;
}

// Linux tcp_init_cwnd_reduction().
void Connection::init_cwnd_reduction() noexcept {
    high_seq_ = snd_nxt_;
    cw_.cwnd_cnt = 0;
    cw_.prior_cwnd = cw_.cwnd;
    prr_delivered_ = 0;
    prr_out_ = 0;
    cw_.ssthresh = ca_ops_->ssthresh(cw_);
}

// Linux tcp_cwnd_reduction(), RFC 6937 PRR: while more is in flight than ssthresh, send in proportion to what
// is delivered (prr_delivered × ssthresh / prior_cwnd); below it, grow back towards ssthresh by what is
// delivered (PRR-SSRB, one more on a cumulative ACK without new losses). The first call always allows the fast
// retransmit.
void Connection::cwnd_reduction(std::uint32_t newly_acked_sacked, std::uint32_t newly_lost,
                                std::uint32_t flag) noexcept {
    if (newly_acked_sacked == 0 || cw_.prior_cwnd == 0) return;
    const std::int64_t delta = static_cast<std::int64_t>(cw_.ssthresh) - packets_in_flight();
    std::int64_t sndcnt = 0;
    prr_delivered_ += newly_acked_sacked;
    if (delta < 0) {
        const std::uint64_t dividend = std::uint64_t{cw_.ssthresh} * prr_delivered_ + cw_.prior_cwnd - 1;
        sndcnt = static_cast<std::int64_t>(dividend / cw_.prior_cwnd) - prr_out_;
    } else {
        sndcnt = std::max<std::int64_t>(static_cast<std::int64_t>(prr_out_) - prr_delivered_, newly_acked_sacked);
        if ((flag & ack_flag::kSndUnaAdvanced) != 0 && newly_lost == 0) ++sndcnt;
        sndcnt = std::min(delta, sndcnt);
    }
    sndcnt = std::max<std::int64_t>(sndcnt, prr_out_ != 0 ? 0 : 1);
    cw_.cwnd = static_cast<std::uint32_t>(packets_in_flight() + sndcnt);
}

// Linux tcp_end_cwnd_reduction(): recovery over, continue from ssthresh.
void Connection::end_cwnd_reduction() noexcept {
    if (cw_.ssthresh < kInfiniteSsthresh) cw_.cwnd = cw_.ssthresh;
}

// Linux tcp_try_undo_recovery() without undo: leave recovery, except that a peer without SACK holds the state
// until something above high_seq is ACKed (RFC 6582: no false fast retransmits).
bool Connection::try_undo_recovery() noexcept {
    if (rack_reo_wnd_persist_ != 0) --rack_reo_wnd_persist_;
    if (snd_una_ == high_seq_ && !sack_ok_) {
        if (!any_retrans_done()) retrans_stamp_ = 0;
        return true;
    }
    ca_state_ = CaState::kOpen;
    return false;
}

// Linux tcp_try_to_open() and tcp_try_keep_open(): Disorder while anything is SACKed, lost or retransmitted.
void Connection::try_to_open(std::uint32_t flag) noexcept {
    (void)flag;
    if (!any_retrans_done()) retrans_stamp_ = 0;
    if (ca_state_ == CaState::kCwr) return;
    const CaState st = (sacked_out_ + lost_out_ != 0 || any_retrans_done()) ? CaState::kDisorder : CaState::kOpen;
    if (ca_state_ != st) {
        ca_state_ = st;
        high_seq_ = snd_nxt_;
    }
}

// Linux tcp_process_loss() with F-RTO off: the RTO's recovery ends when everything outstanding then is ACKed.
void Connection::process_loss(std::uint32_t flag, std::uint32_t num_dupack, bool& rexmit) {
    if (!wire::before(snd_una_, high_seq_)) {
        try_undo_recovery();
        return;
    }
    if (!sack_ok_) {
        // A duplicate ACK after new data went out means something left the network.
        if (wire::after(snd_nxt_, high_seq_) && num_dupack != 0) add_reno_sack(num_dupack);
        else if ((flag & ack_flag::kSndUnaAdvanced) != 0) sacked_out_ = 0;
    }
    rexmit = true;
}

// Linux tcp_cong_control(): PRR in recovery, else grow the window when the ACK delivered in-order data.
void Connection::cong_control(std::uint32_t acked_sacked, std::uint32_t newly_lost, std::uint32_t flag) noexcept {
    if (in_cwnd_reduction()) {
        cwnd_reduction(acked_sacked, newly_lost, flag);
        return;
    }
    // tcp_may_raise_cwnd(): with much reordering, any delivery counts; otherwise only in-order delivery.
    const bool may_raise = reordering_ > static_cast<std::uint32_t>(sysctls().tcp_reordering)
                               ? (flag & ack_flag::kForwardProgress) != 0
                               : (flag & ack_flag::kDataAcked) != 0;
    if (!may_raise) return;
    // tcp_is_cwnd_limited(): grow only when the window was used (in slow start, up to twice what was in flight).
    const bool limited = is_cwnd_limited_ || (cw_.in_slow_start() && cw_.cwnd < 2 * max_packets_out_);
    if (!limited || acked_sacked == 0) return;
    ca_ops_->cong_avoid(cw_, acked_sacked);
}

// Linux tcp_xmit_retransmit_queue(): resend what is marked lost, oldest first, while the congestion window
// has room; the RTO restarts when the head goes out again.
void Connection::xmit_retransmit_queue(Instant now) {
    if (packets_out_ == 0) return;
    bool rearm = false;
    for (std::uint32_t i = 0; i < rtx_.size(); ++i) {
        if (packets_in_flight() >= cw_.cwnd) break;
        if (retrans_out_ >= lost_out_) break;
        const TxRecord& r = rtx_[i];
        if (!r.has(tx_flag::kLost)) continue;
        if ((r.flags & (tx_flag::kSackedAcked | tx_flag::kSackedRetrans)) != 0) continue;
        if (!retransmit_record(i, now)) break;
        mib().inc(ca_state_ != CaState::kLoss ? Counter::kTcpFastRetrans : Counter::kTcpSlowStartRetrans);
        if (in_cwnd_reduction()) ++prr_out_;
        if (i == 0 && !reo_timer_) rearm = true;
    }
    if (rearm) {
        probe_timer_ = false;
        rto_deadline_ = now + std::chrono::milliseconds(rto_ms_);
    }
}

// Linux tcp_retransmit_skb(): one record again, as it was sent — only its first part if it no longer fits a
// segment or the peer's window; nothing that starts beyond the window unless it is the head (then it probes a
// window shrunk to zero).
bool Connection::retransmit_record(std::uint32_t index, Instant now) {
    const std::uint32_t mss = std::max<std::uint32_t>(current_mss(), 1);
    // What the peer's window still takes from here; nothing beyond it, except the head as a window probe.
    auto avail = static_cast<std::int64_t>(static_cast<std::int32_t>((snd_una_ + snd_wnd_).raw() - rtx_[index].seq.raw()));
    if (avail <= 0) {
        if (rtx_[index].seq != snd_una_) return false;
        avail = mss;
    }
    std::uint32_t len = mss;
    if (len > avail) {
        len = static_cast<std::uint32_t>(avail);  // rounddown(avail, mss) is 0 here: the window's remainder
    }
    // Larger than that (SACK blocks now take room, or the window shrank): send the first part (tcp_fragment()).
    if (rtx_[index].len > len) {
        if (!rtx_.split(host_->buffers(), index, rtx_[index].seq + len)) return false;
        ++packets_out_;
        if (rtx_[index].has(tx_flag::kLost)) ++lost_out_;
    }
    TxRecord& r = rtx_[index];
    transmit_segment(r.seq, r.len, r.has(tx_flag::kFin), r.has(tx_flag::kPsh), now, true);
    r.flags |= tx_flag::kSackedRetrans | tx_flag::kEverRetrans;
    r.xmit_us = now_us();
    r.tx_delivered = delivered_;  // tcp_rate_skb_sent()
    ++retrans_out_;
    if (retrans_stamp_ == 0) retrans_stamp_ = ms_of(now);  // the first retransmission of this episode
    return true;
}

// Linux tcp_timeout_mark_lost(): after an RTO everything outstanding is lost, except segments sent within the
// last RACK RTT (they may still arrive); SACKs at the head mean the receiver reneged: forget them all.
void Connection::timeout_mark_lost() noexcept {
    if (rtx_.empty()) return;
    const bool is_reneg = rtx_[0].has(tx_flag::kSackedAcked);
    if (is_reneg) {
        mib().inc(Counter::kTcpSackReneging);
        sacked_out_ = 0;
    } else if (!sack_ok_) {
        sacked_out_ = 0;
    }
    for (std::uint32_t i = 0; i < rtx_.size(); ++i) {
        TxRecord& r = rtx_[i];
        if (is_reneg) {
            r.flags &= static_cast<std::uint8_t>(~tx_flag::kSackedAcked);
        } else if (i != 0 && rack_skb_timeout(r, 0) > 0) {
            continue;
        }
        mark_lost(r);
    }
}

// Linux tcp_enter_loss(): the RTO fired. Reduce ssthresh once per episode, restart from one segment beyond
// what is still in flight, and retransmit what is lost as the window opens.
void Connection::enter_loss() noexcept {
    timeout_mark_lost();
    if (ca_state_ <= CaState::kDisorder || !wire::after(high_seq_, snd_una_) ||
        (ca_state_ == CaState::kLoss && retransmits_ == 0)) {
        cw_.prior_cwnd = cw_.cwnd;
        cw_.ssthresh = ca_ops_->ssthresh(cw_);
    }
    cw_.cwnd = packets_in_flight() + 1;
    cw_.cwnd_cnt = 0;
    // A timeout after many duplicate ACKs: the reordering estimate was too high.
    const auto sysctl_reordering = static_cast<std::uint32_t>(sysctls().tcp_reordering);
    if (ca_state_ <= CaState::kDisorder && sacked_out_ >= sysctl_reordering) {
        reordering_ = std::min(reordering_, sysctl_reordering);
    }
    ca_state_ = CaState::kLoss;
    high_seq_ = snd_nxt_;
}

}  // namespace synack::tcp
