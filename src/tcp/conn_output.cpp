// What to send and when: segmentation within the send and congestion windows with Nagle (RFC 9293 §3.8.6.2.1,
// Linux tcp_write_xmit()), the retransmission of lost data after an RTO, ACKs now or delayed (RFC 9293
// §3.8.6.3, RFC 1122 §4.2.3.2; Linux's quick-ACK/ping-pong engine: tcp_send_delayed_ack(),
// __tcp_ack_snd_check(), tcp_event_data_recv()), the receive window we offer (RFC 9293 §3.8.6.2.2, Linux
// tcp_select_window()), and the options on every segment (RFC 7323 timestamps, RFC 2018/2883 SACK blocks).
#include <algorithm>

#include "tcp/connection.hpp"
#include "tcp/mss.hpp"
#include "tcp/timing.hpp"
#include "tcp/window.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kAckSched = 1;
constexpr std::uint8_t kAckTimer = 2;
constexpr std::uint8_t kAckPushed = 4;
constexpr std::uint8_t kAckNow = 8;
constexpr std::uint8_t kAckPushed2 = 16;
constexpr std::uint32_t kU16Max = 65535;

std::uint32_t ms_between(Instant later, Instant earlier) noexcept {
    return later <= earlier ? 0 : static_cast<std::uint32_t>(to_ms(later - earlier));
}
}  // namespace

std::uint32_t Connection::rcvbuf() const noexcept {
    return options_.rcvbuf != 0 ? options_.rcvbuf : static_cast<std::uint32_t>(sysctls().tcp_rmem[1]);
}

std::uint32_t Connection::sndbuf() const noexcept {
    return options_.sndbuf != 0 ? options_.sndbuf : static_cast<std::uint32_t>(sysctls().tcp_wmem[1]);
}

// Linux tcp_sndbuf_expand(): room for two windows of 10 (or cwnd) full-sized segments, counted as Linux's
// buffers hold them — roundup_pow_of_two(MSS + MAX_TCP_HEADER + skb_shared_info) + sk_buff, which is 2304 bytes
// for a 1460-byte MSS on the reference kernel — unless SO_SNDBUF fixed the size.
void Connection::sndbuf_expand() noexcept {
    if (options_.sndbuf != 0) return;
    const std::uint32_t seg = std::max<std::uint32_t>(mss_clamp_, mss_cache_) + 256 + 320;
    std::uint32_t pow2 = 1;
    while (pow2 < seg) pow2 <<= 1;
    const std::uint32_t per_mss = pow2 + 256;
    const std::uint32_t nr_segs = std::max(kInitCwnd, cw_.cwnd);
    const std::uint64_t sndmem = 2ull * nr_segs * per_mss;
    if (sndbuf_ < sndmem) {
        sndbuf_ = static_cast<std::uint32_t>(std::min<std::uint64_t>(sndmem, sysctls().tcp_wmem[2]));
    }
}

// Linux tcp_full_space(): the window-worth of the whole receive buffer.
std::uint32_t Connection::full_space() const noexcept { return win_from_space(rcvbuf()); }

// Linux tcp_space(): the window-worth of what is free (synack counts the payload bytes held, in order or
// not; Linux counts the memory of the buffers holding them, which is more).
std::uint32_t Connection::rcv_space_bytes() const noexcept {
    const std::int64_t used = static_cast<std::int64_t>(rcv_buf_.size()) + static_cast<std::int64_t>(ofo_extent());
    return win_from_space(static_cast<std::int64_t>(rcvbuf()) - used);
}

std::size_t Connection::rcv_buffer_limit() const noexcept {
    // Everything the windows we offered could bring, with room for window-scale rounding.
    return static_cast<std::size_t>(rcvbuf()) + (std::size_t{1} << rcv_wscale_) + kU16Max;
}


Seq32 Connection::data_end() const noexcept { return snd_buf_seq_ + snd_buf_.size(); }

std::size_t Connection::unsent_bytes() const noexcept {
    const Seq32 end = data_end();
    return wire::after(end, snd_nxt_) ? end.distance_from(snd_nxt_) : 0;
}

std::size_t Connection::send_buffer_space() const noexcept {
    return sndbuf_ > snd_buf_.size() ? sndbuf_ - snd_buf_.size() : 0;
}

// Linux __tcp_select_window().
std::uint32_t Connection::compute_select_window() const noexcept {
    WindowInputs in;
    in.free_space = rcv_space_bytes();
    in.allowed_space = full_space();
    in.window_clamp = window_clamp_;
    in.rcv_ssthresh = rcv_ssthresh_;
    in.rcv_wnd = rcv_wnd_;
    in.rcv_mss = rcv_mss_;
    in.rcv_wscale = rcv_wscale_;
    return compute_window(in);
}

// Linux tcp_select_window(): the window field of the next segment. The offer never shrinks (RFC 9293
// §3.8.6.2.2: the right edge never moves left), rounded up to the scale unit.
std::uint16_t Connection::select_window() noexcept {
    const std::uint32_t old_win = rcv_wnd_;
    const std::uint32_t cur_win = receive_window();
    std::uint32_t new_win = compute_select_window();
    if (new_win < cur_win) {
        if (!sysctls().tcp_shrink_window || rcv_wscale_ == 0) {
            const std::uint32_t unit = std::uint32_t{1} << rcv_wscale_;
            new_win = (cur_win + unit - 1) & ~(unit - 1);
        }
    }
    rcv_wnd_ = new_win;
    rcv_wup_ = rcv_nxt_;
    if (rcv_wscale_ == 0 && sysctls().tcp_workaround_signed_windows) {
        new_win = std::min<std::uint32_t>(new_win, 32767);
    } else {
        new_win = std::min<std::uint32_t>(new_win, kU16Max << rcv_wscale_);
    }
    new_win >>= rcv_wscale_;
    (void)old_win;
    return static_cast<std::uint16_t>(new_win);
}

// Linux tcp_established_options(): timestamps on every segment once negotiated; SACK blocks (a D-SACK first)
// while we hold out-of-order data — three fit beside the timestamps, four without.
OutOptions Connection::established_options(Instant now) const noexcept {
    OutOptions o;
    if (tstamp_ok_) {
        o.timestamps = true;
        o.tsval = ts_now(now);
        o.tsecr = ts_recent_;
    }
    if (sack_ok_) {
        const std::size_t max_blocks = tstamp_ok_ ? 3 : 4;
        std::size_t n = 0;
        for (std::size_t i = 0; i < dsack_count_ && n < max_blocks; ++i) o.sack[n++] = {dsack_.start, dsack_.end};
        for (std::size_t i = 0; i < sacks_.num && n < max_blocks; ++i) {
            o.sack[n++] = {sacks_.block[i].start, sacks_.block[i].end};
        }
        o.sack_count = static_cast<std::uint8_t>(n);
    }
    return o;
}

// Linux tcp_dsack_set(): remember a duplicate range to report once (RFC 2883), if SACK and tcp_dsack are on.
void Connection::dsack_set(Seq32 start, Seq32 end) noexcept {
    if (!sack_ok_ || !sysctls().tcp_dsack) return;
    dsack_ = {start, end};
    dsack_count_ = 1;
}

// Linux tcp_dsack_extend(): the first duplicate range of a segment sets the D-SACK, the next ones may only
// extend it (tcp_sack_extend()), so a D-SACK stays one contiguous block.
void Connection::dsack_extend(Seq32 start, Seq32 end) noexcept {
    if (dsack_count_ == 0) {
        dsack_set(start, end);
        return;
    }
    SeqRange d{dsack_.start, dsack_.end};
    SackBlocks::extend(d, start, end);
    dsack_ = {d.start, d.end};
}

// Linux tcp_acceptable_seq(): SND.NXT, unless the peer shrank its window below it.
Seq32 Connection::acceptable_seq() const noexcept {
    const Seq32 wnd_end = snd_una_ + snd_wnd_;
    if (!wire::before(wnd_end, snd_nxt_) ||
        (wscale_ok_ && snd_nxt_.distance_from(wnd_end) < (std::uint32_t{1} << rcv_wscale_))) {
        return snd_nxt_;
    }
    return wnd_end;
}

// Hands one segment to the host with the per-segment bookkeeping of Linux __tcp_transmit_skb().
void Connection::emit(OutSegment& s, Instant now, bool counts_as_new) {
    if (counts_as_new) mib().inc(Counter::kOutSegs);
    ++segs_out_;
    if ((s.flags & wire::tcp_flags::kAck) != 0) ack_sent();
    const std::size_t len = s.payload_size();
    if (len != 0) {
        ++data_segs_out_;
        bytes_sent_ += len;
        event_data_sent(now);
    }
    host_->transmit(*this, s);
    dsack_count_ = 0;  // a D-SACK is reported once
}

// Linux tcp_send_ack(): a pure ACK.
void Connection::send_ack(Instant now) {
    if (state_ == State::kClosed) return;
    OutSegment s;
    s.seq = acceptable_seq();
    s.ack = rcv_nxt_;
    s.flags = wire::tcp_flags::kAck;
    s.window = select_window();
    s.options = established_options(now);
    emit(s, now, true);
}

// Linux tcp_send_dupack(): answer an unacceptable segment; a retransmission of data we have gets a D-SACK and
// puts us in quick ACK mode.
void Connection::send_dupack(const Segment& seg, Instant now) {
    if (seg.seg_len() != 0 && wire::before(seg.seq, rcv_nxt_)) {
        mib().inc(Counter::kDelayedAckLost);
        enter_quickack(kMaxQuickAcks);
        Seq32 end = seg.end_seq();
        if (wire::after(end, rcv_nxt_)) end = rcv_nxt_;
        dsack_set(seg.seq, end);
    }
    send_ack(now);
}

// Linux tcp_send_active_reset(): <SEQ=acceptable><ACK=RCV.NXT><CTL=RST,ACK>, with the connection's options.
void Connection::send_reset(Instant now) {
    OutSegment s;
    s.seq = acceptable_seq();
    s.ack = rcv_nxt_;
    s.flags = wire::tcp_flags::kRst | wire::tcp_flags::kAck;
    s.window = select_window();
    s.options = established_options(now);
    mib().inc(Counter::kOutRsts);
    emit(s, now, true);
}

// Linux tcp_xmit_probe_skb(): an ACK with an old sequence number (SND.UNA - 1) the peer must answer —
// zero-window probes and keepalives.
void Connection::send_probe(Instant now) {
    OutSegment s;
    s.seq = snd_una_ - 1;
    s.ack = rcv_nxt_;
    s.flags = wire::tcp_flags::kAck;
    s.window = select_window();
    s.options = established_options(now);
    emit(s, now, true);
}

// One segment [seq, seq+len) of the send queue, with the FIN after it when `fin` and PSH when `psh`.
void Connection::transmit_segment(Seq32 seq, std::uint32_t len, bool fin, bool psh, Instant now,
                                  bool retransmission) {
    OutSegment s;
    s.seq = seq;
    s.ack = rcv_nxt_;
    s.flags = wire::tcp_flags::kAck;
    if (fin) s.flags |= wire::tcp_flags::kFin;
    if (psh) s.flags |= wire::tcp_flags::kPsh;
    s.payload = snd_buf_.peek(seq.distance_from(snd_buf_seq_), len);
    s.window = select_window();
    s.options = established_options(now);
    if (retransmission) {
        mib().inc(Counter::kRetransSegs);
        ++total_retrans_;
        bytes_retrans_ += len;
    } else {
        mib().inc(Counter::kTcpOrigDataSent);
    }
    emit(s, now, !retransmission);
}

// New data: the segment [snd_nxt, snd_nxt+len) (and the FIN) goes out and into the retransmission queue, and
// SND.NXT moves past it (Linux tcp_event_new_data_sent()).
void Connection::transmit_new(std::uint32_t len, bool fin, bool psh, Instant now) {
    now_ = now;
    TxRecord record;
    record.seq = snd_nxt_;
    record.len = static_cast<std::uint16_t>(len);
    record.flags = static_cast<std::uint8_t>((fin ? tx_flag::kFin : 0) | (psh ? tx_flag::kPsh : 0));
    record.xmit_us = now_us();
    record.tx_delivered = delivered_;  // tcp_rate_skb_sent()
    rtx_.push_back(host_->buffers(), record);
    transmit_segment(snd_nxt_, len, fin, psh, now, false);
    ++packets_out_;
    snd_nxt_ = record.end_seq();
}

// Linux tcp_push_pending_frames() / tcp_write_xmit(): new data as the congestion window, the send window and
// Nagle allow, each segment recorded in the retransmission queue; a FIN follows the last byte. (Lost segments
// go first, from the ACK processing: xmit_retransmit_queue() in conn_recovery.cpp.)
void Connection::push(Instant now, bool nagle_off) {
    if (state_ == State::kSynSent || state_ == State::kSynReceived || state_ == State::kClosed ||
        state_ == State::kListen || state_ == State::kTimeWait) {
        return;
    }
    now_ = now;
    const std::uint32_t mss = std::max<std::uint32_t>(current_mss(), 1);  // tcp_current_mss(): SACK blocks
    const bool nagle = !nagle_off && !options_.nodelay;
    bool blocked = false;
    std::uint32_t sent_pkts = 0;
    while (wire::before(snd_nxt_, write_seq_)) {
        const Seq32 end = data_end();
        const std::uint32_t unsent = wire::after(end, snd_nxt_) ? end.distance_from(snd_nxt_) : 0;
        const std::uint32_t len = std::min(unsent, mss);
        const bool fin = fin_queued_ && snd_nxt_ + len == end;
        // Linux tcp_cwnd_test(): the congestion window, which a lone FIN may exceed.
        if (len != 0 && packets_in_flight() >= cw_.cwnd) break;
        // Linux tcp_snd_wnd_test(): the whole segment (FIN included) must fit in the send window.
        const Seq32 seg_end = snd_nxt_ + len + (fin ? 1 : 0);
        if (wire::after(seg_end, snd_una_ + snd_wnd_)) {
            blocked = true;
            break;
        }
        // Nagle (RFC 9293 §3.7.4) in Linux's form (Minshall's variant, tcp_nagle_check()): hold back a short
        // segment while an earlier short one is unacknowledged. Never for the FIN.
        if (!nagle_test(len, mss, fin, nagle, now)) break;  // conn_nagle.cpp
        const bool first_in_flight = packets_out_ == 0;
        // Linux marks the segment that ends what the application queued with PSH (tcp_push()).
        const bool psh = len != 0 && snd_nxt_ + len == end;
        transmit_new(len, fin, psh, now);
        ++sent_pkts;
        if (len < mss) snd_sml_ = snd_nxt_;  // tcp_minshall_update()
        lsndtime_ = now;
        if (first_in_flight || (probe_timer_ && rto_deadline_)) {
            probe_timer_ = false;
            rearm_rto(now);  // the RTO runs from the first segment in flight
        }
    }
    if (sent_pkts != 0 && in_cwnd_reduction()) prr_out_ += sent_pkts;  // RFC 6937: what recovery sent
    // Linux tcp_cwnd_validate(): remember how much of the window this flight used, and whether it was the limit.
    const bool cwnd_limited = packets_in_flight() >= cw_.cwnd;
    if (sent_pkts != 0 || cwnd_limited) {
        if (!wire::before(snd_una_, cwnd_usage_seq_) || cwnd_limited ||
            (!is_cwnd_limited_ && packets_out_ > max_packets_out_)) {
            is_cwnd_limited_ = cwnd_limited;
            max_packets_out_ = packets_out_;
            cwnd_usage_seq_ = snd_nxt_;
        }
    }
    // Nothing in flight but something waits for the window: probe it (Linux tcp_check_probe_timer()).
    if (blocked && packets_out_ == 0 && !rto_deadline_) {
        probe_timer_ = true;
        const std::uint32_t base =
            std::max<std::uint32_t>(rto_ms_, static_cast<std::uint32_t>(sysctls().tcp_rto_min_us / 1000));
        rto_deadline_ = now + std::chrono::milliseconds(base);
    }
}

// Linux tcp_rearm_rto(): the RTO runs while something is in flight; after RACK's reordering timer it counts
// from the head's last transmission (tcp_rto_delta_us()).
void Connection::rearm_rto(Instant now) {
    if (packets_out_ == 0) {
        if (!probe_timer_) rto_deadline_.reset();
        reo_timer_ = false;
        return;
    }
    Duration rto = std::chrono::milliseconds(rto_ms_);
    if (reo_timer_) {
        const auto head_sent = Instant{} + std::chrono::microseconds(rtx_[0].xmit_us);
        const Duration left = head_sent + rto - now;
        rto = std::max<Duration>(left, std::chrono::microseconds(1));
    }
    probe_timer_ = false;
    reo_timer_ = false;
    rto_deadline_ = now + rto;
}

// ---- ACK scheduling (Linux icsk_ack) ----

bool Connection::in_pingpong() const noexcept { return pingpong_ >= sysctls().tcp_pingpong_thresh; }

bool Connection::in_quickack_mode() const noexcept { return ack_quick_ != 0 && !in_pingpong(); }

// Linux tcp_incr_quickack(): ACK the next segments at once, as many as half a window of them.
void Connection::incr_quickack(std::uint32_t max_quickacks) noexcept {
    std::uint32_t quickacks = rcv_wnd_ / (2 * std::max<std::uint32_t>(rcv_mss_, 1));
    if (quickacks == 0) quickacks = 2;
    quickacks = std::min(quickacks, max_quickacks);
    if (quickacks > ack_quick_) ack_quick_ = static_cast<std::uint8_t>(quickacks);
}

// Linux tcp_enter_quickack_mode().
void Connection::enter_quickack(std::uint32_t max_quickacks) noexcept {
    incr_quickack(max_quickacks);
    pingpong_ = 0;
    ato_ms_ = kAtoMinMs;
}

void Connection::schedule_ack(Instant now) {
    (void)now;
    ack_pending_ |= kAckSched;
}

// Linux tcp_event_ack_sent() → tcp_dec_quickack_mode(), inet_csk_clear_xmit_timer(ICSK_TIME_DACK).
void Connection::ack_sent() noexcept {
    if (ack_quick_ != 0) {
        const std::uint32_t pkts = (ack_pending_ & kAckSched) != 0 ? 1 : 0;
        if (pkts >= ack_quick_) {
            ack_quick_ = 0;
            ato_ms_ = kAtoMinMs;  // leaving quick ACK mode deflates the ATO
        } else {
            ack_quick_ = static_cast<std::uint8_t>(ack_quick_ - pkts);
        }
    }
    ack_pending_ = 0;
    delack_deadline_.reset();
    compressed_ack_ = 0;  // tcp_event_ack_sent(): any ACK ends SACK compression
    comp_sack_deadline_.reset();
}

// Linux tcp_event_data_recv() with tcp_measure_rcv_mss() and tcp_grow_window().
void Connection::event_data_recv(const Segment& seg, std::size_t len, Instant now) {
    ack_pending_ |= kAckSched;
    // tcp_measure_rcv_mss(): a full segment sets the estimate; a short one marks a push.
    if (len >= rcv_mss_) {
        rcv_mss_ = static_cast<std::uint16_t>(std::min<std::size_t>(len, advmss_));
    } else {
        if ((ack_pending_ & kAckPushed) != 0) ack_pending_ |= kAckPushed2;
        ack_pending_ |= kAckPushed;
    }
    (void)seg;
    if (ato_ms_ == 0) {
        // The first data: start the delayed-ACK engine in quick ACK mode.
        incr_quickack(kMaxQuickAcks);
        ato_ms_ = kAtoMinMs;
    } else {
        const std::uint32_t m = ms_between(now, lrcvtime_);
        if (m <= kAtoMinMs / 2) {
            ato_ms_ = (ato_ms_ >> 1) + kAtoMinMs / 2;
        } else if (m < ato_ms_) {
            ato_ms_ = (ato_ms_ >> 1) + m;
            if (ato_ms_ > rto_ms_) ato_ms_ = rto_ms_;
        } else if (m > rto_ms_) {
            // A long gap: the sender probably restarted its window, ACK it quickly.
            incr_quickack(kMaxQuickAcks);
        }
    }
    lrcvtime_ = now;
    if (len >= 128) {
        // tcp_grow_window(): let the window open towards the buffer as data flows.
        const std::int64_t room = static_cast<std::int64_t>(std::min(window_clamp_, rcv_space_bytes())) -
                                  static_cast<std::int64_t>(rcv_ssthresh_);
        if (room > 0) {
            const std::int64_t incr = std::max<std::int64_t>(2 * advmss_, 2 * static_cast<std::int64_t>(len));
            rcv_ssthresh_ += static_cast<std::uint32_t>(std::min(room, incr));
            ack_quick_ = static_cast<std::uint8_t>(ack_quick_ | 1);
        }
    }
}

// Linux tcp_event_data_sent(): a reply within the ATO of the last data received counts towards ping-pong
// (interactive) mode, where ACKs wait to ride on the next reply.
void Connection::event_data_sent(Instant now) {
    if (ato_ms_ != 0 && ms_between(now, lrcvtime_) < ato_ms_ && pingpong_ < 255) ++pingpong_;
}

// Linux tcp_send_delayed_ack().
void Connection::schedule_delayed_ack(Instant now) {
    std::uint32_t ato = ato_ms_;
    if (ato > kDelackMinMs) {
        std::uint32_t max_ato = 500;  // HZ / 2
        if (in_pingpong() || (ack_pending_ & kAckPushed) != 0) max_ato = kDelackMaxMs;
        // Bound it by the RTT when known.
        if (rtt_.has_sample()) {
            const std::uint32_t rtt = std::max<std::uint32_t>((rtt_.srtt_us() + 999) / 1000, kDelackMinMs);
            if (rtt < max_ato) max_ato = rtt;
        }
        ato = std::min(ato, max_ato);
    }
    ato = std::min(ato, kDelackMaxMs);
    Instant timeout = now + std::chrono::milliseconds(ato);
    if ((ack_pending_ & kAckTimer) != 0 && delack_deadline_) {
        // An earlier timer about to fire: send now.
        if (*delack_deadline_ <= now + std::chrono::milliseconds(ato >> 2)) {
            send_ack(now);
            return;
        }
        if (!(timeout < *delack_deadline_)) timeout = *delack_deadline_;
    }
    ack_pending_ |= kAckSched | kAckTimer;
    delack_deadline_ = timeout;
}

// Linux __tcp_ack_snd_check(): ACK now (more than one full segment unacknowledged and the window may open,
// quick ACK mode, or a reason to ACK at once), else delay it — unless out-of-order data is held: then the
// first TCP_FASTRETRANS_THRESH duplicate ACKs for this rcv_nxt go at once (they trigger fast retransmit), and
// with SACK the next ones are compressed, up to tcp_comp_sack_nr of them, behind a timer of 5 % of the RTT
// (the smaller of the receiver's estimate and srtt; none yet: 0) capped at tcp_comp_sack_delay_ns.
void Connection::ack_snd_check(Instant now) {
    if ((ack_pending_ & kAckSched) == 0) return;
    const bool more_than_one_segment = rcv_nxt_.distance_from(rcv_wup_) > rcv_mss_;
    if ((more_than_one_segment && (rcv_nxt_ == copied_seq_ || compute_select_window() >= rcv_wnd_)) ||
        in_quickack_mode() || (ack_pending_ & kAckNow) != 0) {
        send_ack(now);
        return;
    }
    if (ofo_.empty()) {
        schedule_delayed_ack(now);
        return;
    }
    if (!sack_ok_ || compressed_ack_ >= sysctls().tcp_comp_sack_nr) {
        send_ack(now);
        return;
    }
    if (compressed_ack_rcv_nxt_ != rcv_nxt_) {
        compressed_ack_rcv_nxt_ = rcv_nxt_;
        dup_ack_counter_ = 0;
    }
    constexpr std::uint8_t kFastRetransThresh = 3;  // TCP_FASTRETRANS_THRESH
    if (dup_ack_counter_ < kFastRetransThresh) {
        ++dup_ack_counter_;
        send_ack(now);
        return;
    }
    ++compressed_ack_;
    if (comp_sack_deadline_) return;
    std::uint64_t rtt_us8 = rcv_rtt_us8_;
    const std::uint64_t srtt_us8 = std::uint64_t{rtt_.srtt_us()} << 3;
    if (srtt_us8 != 0 && srtt_us8 < rtt_us8) rtt_us8 = srtt_us8;
    const std::uint64_t delay_ns = std::min<std::uint64_t>(
        static_cast<std::uint64_t>(std::max<std::int64_t>(sysctls().tcp_comp_sack_delay_ns, 0)), rtt_us8 * 125 / 20);
    comp_sack_deadline_ = now + std::chrono::nanoseconds(delay_ns);
}

}  // namespace synack::tcp
