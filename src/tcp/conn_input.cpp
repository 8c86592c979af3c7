// SEGMENT ARRIVES (RFC 9293 §3.10.7.4) for every state but LISTEN, with Linux's checks in Linux's order:
// tcp_rcv_state_process(), tcp_validate_incoming(), tcp_sequence(), tcp_data_queue(), tcp_fin(), tcp_reset().
#include <algorithm>

#include "tcp/connection.hpp"
#include "tcp/paws.hpp"
#include "tcp/rate_limit.hpp"
#include "tcp/reset.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kRcvShutdown = 1;
constexpr std::uint8_t kSendShutdown = 2;
constexpr std::uint8_t kAckSched = 1;
constexpr std::uint8_t kAckNow = 8;
}  // namespace

std::uint32_t Connection::receive_window() const noexcept {
    // Linux tcp_receive_window(): what is left of the window last offered.
    const auto win = static_cast<std::int32_t>((rcv_wup_ + rcv_wnd_).distance_from(rcv_nxt_));
    return win < 0 ? 0 : static_cast<std::uint32_t>(win);
}

void Connection::on_segment(const Segment& seg, Instant now) {
    ++segs_in_;
    switch (state_) {
        case State::kClosed:
        case State::kListen:
        case State::kTimeWait:
            drop(DropReason::kTcpClose);
            return;
        case State::kSynSent:
            saw_tstamp_ = false;
            synsent_state_process(seg, now);
            if (state_ == State::kEstablished) push(now);
            return;
        default:
            break;
    }

    // Linux tcp_rcv_state_process(): a segment with none of ACK, RST and SYN is dropped.
    if (!seg.ack_flag() && !seg.rst() && !seg.syn()) {
        drop(DropReason::kTcpFlags);
        return;
    }
    const bool established_at_entry = state_ == State::kEstablished;
    if (!validate_incoming(seg, now)) return;

    // RFC 9293 §3.10.7.4 "fifth, check the ACK field" (Linux tcp_ack()).
    const int ack = process_ack(seg, now, true);
    if (ack <= 0) {
        if (state_ == State::kSynReceived) {
            // An unacceptable ACK in SYN-RECEIVED: "form a reset segment <SEQ=SEG.ACK><CTL=RST> and send it".
            drop(ack == 0 ? DropReason::kTcpOldAck : DropReason::kTcpAckUnsentData);
            if (auto rst = make_reset(seg, txhash_)) {
                mib().inc(Counter::kOutSegs);
                mib().inc(Counter::kOutRsts);
                host_->transmit(*this, *rst);
            }
            return;
        }
        if (ack < 0) return;  // dropped inside process_ack(), with its reason
        // An old duplicate ACK is still processed further (it may carry data or a FIN).
    }

    switch (state_) {
        case State::kSynReceived:
            synrecv_to_established(seg, now);
            break;
        case State::kFinWait1:
            // "In addition to the processing for the ESTABLISHED state, if the FIN segment is now acknowledged,
            // then enter FIN-WAIT-2".
            if (snd_una_ != write_seq_) break;
            set_state(State::kFinWait2);
            shutdown_ |= kSendShutdown;
            if (!orphaned_) {
                notify(event::kWritable);
                break;
            }
            // An orphan: Linux does not wait in a full connection for the peer's FIN.
            if (options_.linger2 < 0) {
                mib().inc(Counter::kTcpAbortOnData);
                done(now);
                return;
            }
            if (seg.seg_len() != 0 && wire::after(seg.end_seq() - (seg.fin() ? 1 : 0), rcv_nxt_)) {
                // Data after close(): abort, and the peer gets a reset (tcp_v4_do_rcv()).
                mib().inc(Counter::kTcpAbortOnData);
                done(now);
                drop(DropReason::kTcpAbortOnData);
                if (auto rst = make_reset(seg, txhash_)) {
                    mib().inc(Counter::kOutSegs);
                    mib().inc(Counter::kOutRsts);
                    host_->transmit(*this, *rst);
                }
                return;
            }
            {
                const Duration tmo = fin_time();
                if (tmo > kTimeWaitLen) {
                    keepalive_deadline_ = now + (tmo - kTimeWaitLen);
                } else if (seg.fin()) {
                    // The FIN rides on this ACK: keep the connection to process it below.
                    keepalive_deadline_ = now + tmo;
                } else {
                    time_wait(true, tmo, now);
                    return;
                }
            }
            break;
        case State::kClosing:
            if (snd_una_ == write_seq_) {
                time_wait(false, Duration::zero(), now);
                return;
            }
            break;
        case State::kLastAck:
            if (snd_una_ == write_seq_) {
                done(now);
                return;
            }
            break;
        default:
            break;
    }

    // Linux tcp_rcv_established()'s slow path measures the receiver's RTT from the echoed timestamp.
    if (established_at_entry) rcv_rtt_measure_ts(seg, now);
    // "Sixth, check the URG bit" (Linux tcp_urg()). "Seventh, process the segment text".
    urg(seg);
    switch (state_) {
        case State::kCloseWait:
        case State::kClosing:
        case State::kLastAck:
            if (!wire::before(seg.seq, rcv_nxt_)) break;  // after the peer's FIN: nothing more can come
            [[fallthrough]];
        case State::kFinWait1:
        case State::kFinWait2:
            // RFC 1122 §4.2.2.13: data arriving after we closed for reading gets a reset.
            if ((shutdown_ & kRcvShutdown) != 0 && seg.seg_len() != 0 &&
                wire::after(seg.end_seq() - (seg.fin() ? 1 : 0), rcv_nxt_)) {
                mib().inc(Counter::kTcpAbortOnData);
                reset_received(now);
                drop(DropReason::kTcpAbortOnData);
                if (auto rst = make_reset(seg, txhash_)) {
                    mib().inc(Counter::kOutSegs);
                    mib().inc(Counter::kOutRsts);
                    host_->transmit(*this, *rst);
                }
                return;
            }
            [[fallthrough]];
        case State::kEstablished:
            process_text(seg, now);
            break;
        default:
            break;
    }

    // The FIN may have moved us to TIME_WAIT (or CLOSED).
    if (state_ != State::kClosed && state_ != State::kTimeWait) {
        push(now);
        ack_snd_check(now);
    }
}

// Linux tcp_validate_incoming(): PAWS (RFC 7323 §5), the sequence number check (RFC 9293 §3.10.7.4 first),
// RST (second, with RFC 5961 §3), SYN (fourth, RFC 5961 §4). Returns false when the segment was consumed.
bool Connection::validate_incoming(const Segment& seg, Instant now) {
    // Linux tcp_fast_parse_options(): timestamps count only when negotiated.
    saw_tstamp_ = tstamp_ok_ && seg.options.has_timestamps;
    rcv_tsval_ = seg.options.tsval;
    rcv_tsecr_ = seg.options.tsecr;
    if (saw_tstamp_ && rcv_tsecr_ != 0) rcv_tsecr_ -= ts_offset_;
    const bool syn_inerr = state_ == State::kEstablished;  // tcp_rcv_established() counts InErrs for a SYN

    bool syn_challenge = false;
    if (saw_tstamp_ && !paws_check({ts_recent_, ts_recent_stamp_, rcv_tsval_}, kPawsWindow, now)) {
        const DropReason reason = disordered_ack_check(seg);
        if (reason != DropReason::kNotSpecified && !seg.rst()) {  // "Reset is accepted even if it did not pass PAWS"
            if (seg.syn()) {
                syn_challenge = true;
            } else if (reason == DropReason::kTcpRfc7323PawsAck) {
                // Old ACKs are common (reordering): no duplicate ACK for them.
                mib().inc(Counter::kPawsOldAck);
                drop(reason);
                return false;
            } else {
                mib().inc(Counter::kPawsEstab);
                if (!oow_rate_limited(seg, last_oow_ack_time_, now, sysctls(), mib(), Counter::kTcpAckSkippedPaws)) {
                    send_dupack(seg, now);
                }
                drop(reason);
                return false;
            }
        }
    }

    if (!syn_challenge) {
        // Step 1: check the sequence number.
        const DropReason reason = sequence_check(seg);
        if (reason != DropReason::kNotSpecified) {
            // RFC 9293: "If an incoming segment is not acceptable, an acknowledgment should be sent in reply
            // (unless the RST bit is set, if so drop the segment and return)".
            if (!seg.rst()) {
                if (seg.syn()) {
                    syn_challenge = true;
                } else {
                    if (reason == DropReason::kTcpInvalidSequence || reason == DropReason::kTcpInvalidEndSequence) {
                        mib().inc(Counter::kBeyondWindow);
                    }
                    if (!oow_rate_limited(seg, last_oow_ack_time_, now, sysctls(), mib(),
                                          Counter::kTcpAckSkippedSeq)) {
                        send_dupack(seg, now);
                    }
                    drop(reason);
                    return false;
                }
            } else if (reset_check(seg)) {
                reset_received(now);
                return false;
            } else {
                drop(reason);
                return false;
            }
        }
    }

    if (!syn_challenge) {
        // Step 2: check the RST bit. RFC 5961 §3.2: reset only when SEG.SEQ is exactly RCV.NXT (or RCV.NXT - 1
        // after the peer's FIN, or the right edge of the highest SACK block we sent); otherwise challenge.
        if (seg.rst()) {
            if (seg.seq == rcv_nxt_ || reset_check(seg)) {
                reset_received(now);
                return false;
            }
            if (sack_ok_ && sacks_.num > 0) {
                Seq32 max_sack = sacks_.block[0].end;
                for (std::size_t i = 1; i < sacks_.num; ++i) max_sack = wire::seq_max(max_sack, sacks_.block[i].end);
                if (seg.seq == max_sack) {
                    reset_received(now);
                    return false;
                }
            }
            send_challenge_ack(now);
            drop(DropReason::kTcpReset);
            return false;
        }
        // Step 4: check the SYN bit (RFC 5961 §4.2: challenge ACK). Linux lets one through: the peer's SYN-ACK
        // of a simultaneous open, which exactly matches the SYN we already took and acknowledges ours.
        if (!seg.syn()) return true;
        if (state_ == State::kSynReceived && active_open_ && seg.ack_flag() && seg.seg_len() == 1 &&
            seg.seq + 1 == rcv_nxt_ && seg.ack == snd_nxt_) {
            return true;
        }
    }

    if (syn_inerr) mib().inc(Counter::kInErrs);
    mib().inc(Counter::kTcpSynChallenge);
    send_challenge_ack(now);
    drop(DropReason::kTcpInvalidSyn);
    return false;
}

// Linux tcp_sequence(): RFC 9293's acceptability test, window edges as Linux keeps them (rcv_wup).
DropReason Connection::sequence_check(const Segment& seg) const noexcept {
    const Seq32 end_seq = seg.end_seq();
    if (wire::before(end_seq, rcv_wup_)) return DropReason::kTcpOldSequence;
    const Seq32 right = rcv_nxt_ + receive_window();
    if (wire::after(end_seq, right)) {
        if (wire::after(seg.seq, right)) return DropReason::kTcpInvalidSequence;
        // A segment running past the window is only taken while nothing waits to be read (Linux 6.17+).
        if (rcv_buf_.size() != 0) return DropReason::kTcpInvalidEndSequence;
    }
    return DropReason::kNotSpecified;
}

// Linux tcp_store_ts_recent().
void Connection::store_ts_recent(const Segment& seg, Instant now) noexcept {
    ts_recent_ = seg.options.tsval;
    ts_recent_stamp_ = seconds_of(now);
}

// Linux tcp_replace_ts_recent(): RFC 7323 §4.3, take TSval from a segment that does not start beyond the window
// edge last advertised.
void Connection::update_ts_recent(const Segment& seg, Instant now) noexcept {
    if (saw_tstamp_ && !wire::after(seg.seq, rcv_wup_)) {
        if (paws_check({ts_recent_, ts_recent_stamp_, rcv_tsval_}, 0, now)) store_ts_recent(seg, now);
    }
}

// Linux tcp_reset(): an accepted RST. RFC 9293 §3.10.7.4 second: "signal connection reset" — Linux's errors
// are ECONNREFUSED in SYN_SENT, EPIPE in CLOSE_WAIT, ECONNRESET otherwise.
void Connection::reset_received(Instant now) {
    Errno err = Errno::kConnReset;
    if (state_ == State::kSynSent) err = Errno::kConnRefused;
    else if (state_ == State::kCloseWait) err = Errno::kPipe;
    else if (state_ == State::kClosed) return;
    done_with_error(err, now);
}

// Linux tcp_data_queue(): in-order data to the receive queue, duplicates acknowledged at once with a D-SACK,
// out-of-order data held until the hole fills.
void Connection::process_text(const Segment& seg, Instant now) {
    if (seg.seg_len() == 0) return;
    dsack_count_ = 0;  // tp->rx_opt.dsack = 0
    Seq32 seq = seg.seq;
    wire::Bytes data = seg.payload;
    if (seg.syn()) seq += 1;  // the SYN itself is not data (only the SYN-ACK of a simultaneous open gets here)
    const Seq32 end_seq = seg.end_seq();

    auto out_of_window = [&](DropReason reason) {
        enter_quickack(kMaxQuickAcks);
        ack_pending_ |= kAckSched;
        drop(reason);
    };

    if (seg.seq == rcv_nxt_ && !seg.syn()) {
        if (receive_window() == 0 && !(data.empty() && seg.fin())) {
            // A bare FIN is taken even into a zero window; data is not.
            mib().inc(Counter::kTcpZeroWindowDrop);
            out_of_window(DropReason::kTcpZeroWindow);
            return;
        }
    } else if (!wire::after(end_seq, rcv_nxt_)) {
        // A retransmission of what we have: acknowledge at once, with a D-SACK (RFC 2883).
        mib().inc(Counter::kDelayedAckLost);
        dsack_set(seg.seq, end_seq);
        out_of_window(DropReason::kTcpOldData);
        return;
    } else if (!wire::before(seg.seq, rcv_nxt_ + receive_window())) {
        out_of_window(DropReason::kTcpOverWindow);  // e.g. a zero-window probe
        return;
    } else if (wire::before(seg.seq, rcv_nxt_)) {
        // Partly old: seq < rcv_nxt < end_seq. D-SACK the old part, keep the rest.
        dsack_set(seg.seq, rcv_nxt_);
        if (receive_window() == 0) {
            mib().inc(Counter::kTcpZeroWindowDrop);
            out_of_window(DropReason::kTcpZeroWindow);
            return;
        }
        const std::uint32_t skip = rcv_nxt_.distance_from(seq);
        data = data.subspan(std::min<std::size_t>(skip, data.size()));
        seq = rcv_nxt_;
    } else {
        queue_out_of_order(seg, now);
        return;
    }

    // In sequence and in the window: queue it (Linux tcp_queue_rcv()). The ring already holds the out-of-order
    // bytes at their place beyond rcv_nxt; the in-order copy overwrites what it overlaps (Linux delivers the
    // in-order skb and trims the overlapping head of the out-of-order ones, tcp_ofo_queue()).
    if (!data.empty()) {
        const std::size_t need = rcv_buf_.size() + std::max<std::size_t>(data.size(), ofo_extent());
        if (!rcv_buf_.reserve(host_->buffers(), need, rcv_buffer_limit())) {
            ack_pending_ |= kAckNow | kAckSched;
            mib().inc(Counter::kTcpRcvQDrop);
            drop(DropReason::kSocketRcvBuff);
            return;
        }
        rcv_buf_.write_at(rcv_buf_.size(), data);
        rcv_buf_.extend(static_cast<std::uint32_t>(data.size()));
        rcv_nxt_ += static_cast<std::uint32_t>(data.size());
        bytes_received_ += data.size();
        ++data_segs_in_;
        last_data_recv_ = now;
        event_data_recv(seg, data.size(), now);
        rcv_rtt_measure(now);  // tcp_event_data_recv() → tcp_rcv_rtt_measure()
    }
    if (seg.fin()) {
        rcv_nxt_ += 1;
        on_fin(now);
    }
    if (!ofo_.empty()) {
        ofo_queue(now);
        // RFC 5681 §4.2: acknowledge at once when a hole is filled.
        if (ofo_.empty()) ack_pending_ |= kAckNow;
    }
    if (sacks_.num != 0) sacks_.remove(rcv_nxt_, ofo_.empty());
    if (!orphaned_ && (!data.empty() || seg.fin())) notify(event::kReadable);
}

// Linux tcp_rcv_rtt_measure_ts(): the receiver's RTT from the timestamp a full-sized segment echoes.
void Connection::rcv_rtt_measure_ts(const Segment& seg, Instant now) noexcept {
    if (!saw_tstamp_ || rcv_tsecr_ == rcv_rtt_last_tsecr_) return;
    rcv_rtt_last_tsecr_ = rcv_tsecr_;
    if (seg.end_seq().distance_from(seg.seq) < rcv_mss_) return;
    // tcp_rtt_tsopt_us(tp, 0): whole milliseconds of the TS clock; 0 is no sample.
    const std::uint32_t delta_ms = (ts_now(now) - ts_offset_) - rcv_tsecr_;
    if (delta_ms == 0 || delta_ms >= 0x7fffffffu / 1000) return;
    rcv_rtt_update(delta_ms * 1000, false);
}

// Linux tcp_rcv_rtt_measure(): without timestamps, the time a window's worth of data takes to arrive.
void Connection::rcv_rtt_measure(Instant now) noexcept {
    if (rcv_rtt_started_) {
        if (wire::before(rcv_nxt_, rcv_rtt_seq_)) return;
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - rcv_rtt_time_).count();
        rcv_rtt_update(us <= 0 ? 1 : static_cast<std::uint32_t>(std::min<std::int64_t>(us, 0x0fffffff)), true);
    }
    rcv_rtt_started_ = true;
    rcv_rtt_seq_ = rcv_nxt_ + rcv_wnd_;
    rcv_rtt_time_ = now;
}

// Linux tcp_rcv_rtt_update(): the minimum of the window-based samples, a smoothed mean of the timestamp ones.
void Connection::rcv_rtt_update(std::uint32_t sample_us, bool win_dep) noexcept {
    const std::uint32_t old = rcv_rtt_us8_;
    const std::uint32_t m = sample_us << 3;
    if (old == 0 || m < old) {
        rcv_rtt_us8_ = m;
    } else if (!win_dep) {
        rcv_rtt_us8_ = old - (old >> 3) + sample_us;
    }
}

// Linux tcp_fin(): RFC 9293 §3.10.7.4 "eighth, check the FIN bit".
void Connection::on_fin(Instant now) {
    ack_pending_ |= kAckSched;
    shutdown_ |= kRcvShutdown;
    done_flag_ = true;
    switch (state_) {
        case State::kSynReceived:
        case State::kEstablished:
            set_state(State::kCloseWait);
            pingpong_ = static_cast<std::uint8_t>(sysctls().tcp_pingpong_thresh);  // inet_csk_enter_pingpong_mode()
            break;
        case State::kFinWait1:
            // Simultaneous close: acknowledge the FIN, enter CLOSING.
            send_ack(now);
            set_state(State::kClosing);
            break;
        case State::kFinWait2:
            send_ack(now);
            time_wait(false, Duration::zero(), now);
            break;
        default:
            break;  // CLOSE_WAIT, CLOSING, LAST_ACK: a retransmitted FIN
    }
    // Out-of-order data after the FIN is dropped, and the SACK state with it (tcp_sack_reset()).
    purge_ofo();
    dsack_count_ = 0;
    if (!orphaned_) notify(event::kReadable);
}

}  // namespace synack::tcp
