// Opening a connection: the active open and its SYN, the SYN_SENT state, simultaneous open, and the step from
// SYN_RECEIVED to ESTABLISHED (RFC 9293 §3.5, §3.10.1, §3.10.7.3; Linux tcp_connect(), tcp_connect_init(),
// tcp_rcv_synsent_state_process(), tcp_create_openreq_child(), tcp_rcv_state_process() case TCP_SYN_RECV).
#include <algorithm>

#include "tcp/connection.hpp"
#include "tcp/mss.hpp"
#include "tcp/paws.hpp"
#include "tcp/reset.hpp"
#include "tcp/timing.hpp"
#include "tcp/window.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint32_t kU16Max = 65535;
}

Connection::Connection(Host& host, const ConnectionParams& p)
    : iss_(p.iss),
      ts_recent_(p.ts_recent),
      ts_recent_stamp_(p.ts_recent_stamp),
      ts_offset_(p.ts_offset),
      ip_id_(p.ip_id),
      txhash_(p.txhash),
      tuple_(p.tuple),
      mtu_(p.mtu),
      options_(p.options),
      host_(&host) {
    const bool v6 = !tuple_.is_v4();
    // Linux tcp_init_sock() / tcp_v6_connect(): the peer's MSS until it tells us.
    mss_clamp_ = peer_mss_clamp(0, v6, 0);
    advmss_ = advertised_mss(mtu_, v6, options_.user_mss);
    mss_cache_ = kMssDefaultV4;
    sndbuf_ = sndbuf();
}

Connection::~Connection() {
    snd_buf_.release(host_->buffers());
    clear_rtx_queue();
    rcv_buf_.release(host_->buffers());
}

std::uint32_t Connection::ts_now(Instant now) const noexcept { return ts_clock(now, ts_offset_); }

// Linux tcp_sync_mss(): the send MSS for the path MTU and the peer's MSS, less the timestamp option.
void Connection::sync_mss() noexcept {
    mss_cache_ = send_mss(mtu_, !tuple_.is_v4(), mss_clamp_, sysctls().tcp_min_snd_mss,
                          tstamp_ok_ ? kTimestampOptionBytes : 0);
}

// Linux tcp_initialize_rcv_mss(): a conservative guess of the peer's segment size, for delayed ACKs.
void Connection::init_rcv_mss() noexcept {
    std::uint32_t hint = std::min<std::uint32_t>(advmss_, mss_cache_);
    hint = std::min(hint, rcv_wnd_ / 2);
    hint = std::min<std::uint32_t>(hint, kMssDefaultV4);
    hint = std::max<std::uint32_t>(hint, 88);  // TCP_MIN_MSS
    rcv_mss_ = static_cast<std::uint16_t>(hint);
}

// Linux tcp_syn_options(): MSS always; timestamps, window scale and SACK-permitted as the sysctls allow.
OutOptions Connection::syn_options(Instant now) const noexcept {
    const TcpSysctls& sc = sysctls();
    OutOptions o;
    o.mss = advmss_;
    if (sc.tcp_timestamps) {
        o.timestamps = true;
        o.tsval = ts_now(now);
        o.tsecr = ts_recent_;
    }
    if (sc.tcp_window_scaling) o.window_scale = static_cast<std::int8_t>(rcv_wscale_);
    o.sack_permitted = sc.tcp_sack;
    return o;
}

// Linux tcp_connect_init() and tcp_connect().
void Connection::connect(Instant now) {
    const TcpSysctls& sc = sysctls();
    const bool v6 = !tuple_.is_v4();
    active_open_ = true;
    if (options_.user_mss != 0) mss_clamp_ = options_.user_mss;
    tstamp_ok_ = false;
    mss_cache_ = send_mss(mtu_, v6, mss_clamp_, sc.tcp_min_snd_mss, sc.tcp_timestamps ? kTimestampOptionBytes : 0);
    advmss_ = advertised_mss(mtu_, v6, options_.user_mss);
    window_clamp_ = 0;
    if (options_.rcvbuf != 0) window_clamp_ = full_space();  // SO_RCVBUF locks the window too
    // With a timestamp inherited from a reused TIME_WAIT entry, Linux sizes the window for the option.
    const std::uint32_t mss = advmss_ - (ts_recent_stamp_ != 0 && sc.tcp_timestamps ? kTimestampOptionBytes : 0);
    const InitialWindow w = select_initial_window(sc, full_space(), mss, window_clamp_, sc.tcp_window_scaling);
    rcv_wnd_ = w.rcv_wnd;
    window_clamp_ = w.window_clamp;
    rcv_wscale_ = w.rcv_wscale;
    rcv_ssthresh_ = rcv_wnd_;
    init_rcv_mss();
    error_ = Errno::kOk;
    snd_wnd_ = 0;
    snd_wl1_ = Seq32(0);
    snd_una_ = snd_sml_ = snd_nxt_ = iss_;
    rcv_nxt_ = rcv_wup_ = copied_seq_ = Seq32(0);
    rto_ms_ = static_cast<std::uint32_t>(to_ms(kTimeoutInit));
    retransmits_ = 0;

    write_seq_ = iss_ + 1;  // the SYN occupies one sequence number
    snd_buf_seq_ = write_seq_;
    retrans_stamp_ = ms_of(now);
    set_state(State::kSynSent);  // tcp_v4_connect() sets SYN_SENT before tcp_connect() sends
    send_syn(now, false);
    snd_nxt_ = write_seq_;
    rtt_timing_ = true;
    rtt_seq_ = snd_nxt_;
    rtt_time_ = now;
    mib().inc(Counter::kActiveOpens);
    rto_deadline_ = now + std::chrono::milliseconds(rto_ms_);
}

// The SYN (SYN_SENT), or our SYN-ACK of a simultaneous open (SYN_RECEIVED): Linux keeps the SYN in its
// retransmission queue and tcp_send_synack() only adds the ACK flag, so both carry the SYN's options.
void Connection::send_syn(Instant now, bool retransmission) {
    OutSegment s;
    s.seq = iss_;
    s.flags = wire::tcp_flags::kSyn;
    if (state_ != State::kSynSent) {  // a SYN-ACK (also when it is resent after a simultaneous open)
        s.flags |= wire::tcp_flags::kAck;
        s.ack = rcv_nxt_;
    }
    // RFC 7323 §2.2: the window of a SYN is never scaled.
    s.window = static_cast<std::uint16_t>(std::min(rcv_wnd_, kU16Max));
    s.options = syn_options(now);
    // Linux counts a segment in OutSegs only when it sends something new (tcp_transmit_skb()); the first SYN
    // counts, a retransmission goes to RetransSegs, and the SYN-ACK of a simultaneous open to neither.
    if (!retransmission && state_ == State::kSynSent) mib().inc(Counter::kOutSegs);
    ++segs_out_;
    if ((s.flags & wire::tcp_flags::kAck) != 0) ack_sent();
    host_->transmit(*this, s);
}

// Linux tcp_rcv_synsent_state_process() (RFC 9293 §3.10.7.3).
void Connection::synsent_state_process(const Segment& seg, Instant now) {
    const TcpSysctls& sc = sysctls();
    const SegmentOptions& o = seg.options;
    saw_tstamp_ = o.has_timestamps && sc.tcp_timestamps;
    rcv_tsval_ = o.tsval;
    rcv_tsecr_ = o.tsecr;
    if (saw_tstamp_ && rcv_tsecr_ != 0) rcv_tsecr_ -= ts_offset_;
    auto reset_peer = [&](DropReason reason) {
        drop(reason);
        if (auto rst = make_reset(seg, txhash_)) {
            mib().inc(Counter::kOutSegs);
            mib().inc(Counter::kOutRsts);
            host_->transmit(*this, *rst);
        }
    };

    if (seg.ack_flag()) {
        // "If SEG.ACK =< ISS, or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set)".
        if (!wire::after(seg.ack, snd_una_) || wire::after(seg.ack, snd_nxt_)) {
            // A previous FIN/ACK or RST/ACK may have been ignored: retry soon (TCP_TIMEOUT_MIN).
            if (retransmits_ == 0) rto_deadline_ = now + kTimeoutMin;
            reset_peer(DropReason::kTcpInvalidAckSequence);
            return;
        }
        // RFC 7323 §4.2 in Linux: the SYN-ACK must echo a TSval we sent since the first SYN.
        if (saw_tstamp_ && rcv_tsecr_ != 0 &&
            !wire::between(Seq32(rcv_tsecr_), Seq32(retrans_stamp_), Seq32(ms_of(now)))) {
            mib().inc(Counter::kPawsActive);
            reset_peer(DropReason::kTcpRfc7323Paws);
            return;
        }
        // "If the RST bit is set: if the ACK was acceptable, signal 'connection reset', enter CLOSED".
        if (seg.rst()) {
            reset_received(now);
            return;
        }
        // "Fifth, if neither of the SYN or RST bits is set, then drop the segment and return."
        if (!seg.syn()) {
            drop(DropReason::kTcpFlags);
            return;
        }
        finish_connect(seg, now);
        return;
    }

    // No ACK: "if the RST bit is set, drop the segment and return".
    if (seg.rst()) {
        drop(DropReason::kTcpReset);
        return;
    }
    if (ts_recent_stamp_ != 0 && saw_tstamp_ && paws_reject({ts_recent_, ts_recent_stamp_, rcv_tsval_}, false, now)) {
        drop(DropReason::kTcpRfc7323Paws);
        return;
    }
    if (seg.syn()) {
        // A SYN without ACK: simultaneous open (RFC 9293 §3.5 figure 8), or a connection to ourselves.
        set_state(State::kSynReceived);
        mss_clamp_ = peer_mss_clamp(o.mss, !tuple_.is_v4(), options_.user_mss);
        wscale_ok_ = sc.tcp_window_scaling && o.has_window_scale;
        snd_wscale_ = wscale_ok_ ? o.window_scale : 0;
        sack_ok_ = sc.tcp_sack && o.sack_permitted;
        if (saw_tstamp_) {
            tstamp_ok_ = true;
            store_ts_recent(seg, now);
        }
        rcv_nxt_ = seg.seq + 1;
        copied_seq_ = rcv_nxt_;
        rcv_wup_ = rcv_nxt_;
        irs_ = seg.seq;
        snd_wnd_ = seg.window;  // RFC 7323: the window of a SYN is never scaled
        snd_wl1_ = seg.seq;
        max_window_ = snd_wnd_;
        sync_mss();
        init_rcv_mss();
        send_syn(now, false);
        return;
    }
    drop(DropReason::kNotSpecified);
}

// The SYN-ACK was acceptable: Linux tcp_rcv_synsent_state_process() from "Now ACK is acceptable" on, and
// tcp_finish_connect().
void Connection::finish_connect(const Segment& seg, Instant now) {
    const TcpSysctls& sc = sysctls();
    const SegmentOptions& o = seg.options;
    mss_clamp_ = peer_mss_clamp(o.mss, !tuple_.is_v4(), options_.user_mss != 0 ? options_.user_mss : 0);
    if (o.mss == 0 && options_.user_mss != 0) mss_clamp_ = options_.user_mss;
    wscale_ok_ = sc.tcp_window_scaling && o.has_window_scale;
    snd_wscale_ = wscale_ok_ ? o.window_scale : 0;
    sack_ok_ = sc.tcp_sack && o.sack_permitted;
    irs_ = seg.seq;

    snd_wl1_ = seg.seq;  // tcp_init_wl()
    // A SYN retransmission was spurious when the SYN-ACK echoes the first SYN's timestamp (undo).
    const bool spurious_syn_rtx = saw_tstamp_ && rcv_tsecr_ == retrans_stamp_;
    process_ack(seg, now, false);

    rcv_nxt_ = seg.seq + 1;
    rcv_wup_ = rcv_nxt_;
    snd_wnd_ = seg.window;  // RFC 7323 §2.2: not scaled in a SYN-ACK
    max_window_ = std::max(max_window_, snd_wnd_);
    if (!wscale_ok_) {
        snd_wscale_ = rcv_wscale_ = 0;
        window_clamp_ = std::min(window_clamp_, kU16Max);
    }
    if (saw_tstamp_) {
        tstamp_ok_ = true;
        advmss_ = static_cast<std::uint16_t>(advmss_ - kTimestampOptionBytes);
        store_ts_recent(seg, now);
    } else {
        tstamp_ok_ = false;
    }
    sync_mss();
    init_rcv_mss();
    copied_seq_ = rcv_nxt_;

    // tcp_finish_connect()
    set_state(State::kEstablished);
    ever_connected_ = true;
    lrcvtime_ = now;
    if (spurious_syn_rtx) total_retrans_ = std::min<std::uint32_t>(total_retrans_, 1);
    init_transfer(now);
    lsndtime_ = now;
    reset_keepalive(now);
    connected_notified_ = true;
    notify(event::kConnected | event::kWritable);

    if (in_pingpong()) {
        // "Save one ACK": data is expected soon, so the ACK waits for it (quick ACK mode, TCP_DELACK_MAX).
        ack_pending_ |= 1;  // kAckSched
        enter_quickack(kMaxQuickAcks);
        delack_deadline_ = now + kDelackMax;
        return;
    }
    send_ack(now);
    push(now);
}

// Linux tcp_init_transfer() with tcp_init_metrics() (no cached metrics: synack keeps none, as a fresh
// namespace or tcp_no_metrics_save=1) and tcp_init_buffer_space().
void Connection::init_transfer(Instant now) {
    (void)now;
    cw_.ssthresh = 0x7fffffff;
    reordering_ = static_cast<std::uint32_t>(sysctls().tcp_reordering);  // tcp_init_sock()
    if (!rtt_.has_sample()) {
        // RFC 6298 §5.7: no RTT sample from the handshake (it was retransmitted): back to 3 s.
        rto_ms_ = static_cast<std::uint32_t>(to_ms(kTimeoutFallback));
    }
    cw_.cwnd = total_retrans_ > 1 ? 1 : kInitCwnd;
    cw_.cwnd_cnt = 0;
    sndbuf_expand();
    window_clamp_ = clamp_window_for_app(window_clamp_, full_space(), advmss_, sysctls().tcp_app_win);
    rcv_ssthresh_ = std::min(rcv_ssthresh_, window_clamp_);
}

// Linux tcp_create_openreq_child() and tcp_v4_syn_recv_sock(): the connection a request entry becomes.
void Connection::open_from_request(const RequestState& r, Instant now) {
    const bool v6 = !tuple_.is_v4();
    irs_ = r.irs;
    iss_ = r.iss;
    rcv_nxt_ = rcv_wup_ = copied_seq_ = r.irs + 1;
    snd_una_ = snd_nxt_ = snd_sml_ = r.iss + 1;
    write_seq_ = snd_buf_seq_ = r.iss + 1;
    snd_wl1_ = r.irs;
    rto_ms_ = static_cast<std::uint32_t>(to_ms(kTimeoutInit));
    total_retrans_ = r.num_retrans;
    cw_.cwnd = kInitCwnd;
    tstamp_ok_ = r.tstamp_ok;
    sack_ok_ = r.sack_ok;
    // The request's window clamp, as tcp_openreq_init_rwin() chose it with the listener's buffer.
    {
        std::uint32_t clamp = options_.rcvbuf != 0 ? full_space() : 0;
        const std::uint32_t mss = advertised_mss(mtu_, v6, options_.user_mss) - (r.tstamp_ok ? kTimestampOptionBytes : 0);
        window_clamp_ = select_initial_window(sysctls(), full_space(), mss, clamp, r.wscale_ok).window_clamp;
    }
    rcv_ssthresh_ = r.rcv_wnd;
    rcv_wnd_ = r.rcv_wnd;
    wscale_ok_ = r.wscale_ok;
    if (wscale_ok_) {
        snd_wscale_ = r.snd_wscale;
        rcv_wscale_ = r.rcv_wscale;
    } else {
        snd_wscale_ = rcv_wscale_ = 0;
        window_clamp_ = std::min(window_clamp_, kU16Max);
    }
    if (tstamp_ok_) {
        ts_recent_ = r.ts_recent;
        ts_recent_stamp_ = seconds_of(now);
    } else {
        ts_recent_stamp_ = 0;
    }
    ts_offset_ = r.ts_offset;
    txhash_ = r.txhash;
    mss_clamp_ = r.peer_mss;
    sync_mss();
    advmss_ = advertised_mss(mtu_, v6, options_.user_mss);
    init_rcv_mss();
    state_ = State::kSynReceived;  // the child is born in SYN_RECEIVED (the request's state)
    // tcp_check_req() → tcp_synack_rtt_meas(): the SYN-ACK's RTT, unless it was retransmitted (Karn's rule).
    if (r.num_retrans == 0 && r.synack_sent) {
        const auto now_us = static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count());
        rtt_sample(static_cast<std::int32_t>(now_us - r.snt_synack_us), now);
    }
    mib().inc(Counter::kPassiveOpens);
}

// Linux tcp_rcv_state_process() case TCP_SYN_RECV, after tcp_ack() accepted the segment.
void Connection::synrecv_to_established(const Segment& seg, Instant now) {
    retrans_stamp_ = 0;
    init_transfer(now);
    copied_seq_ = rcv_nxt_;
    set_state(State::kEstablished);
    ever_connected_ = true;
    snd_una_ = seg.ack;
    snd_wnd_ = static_cast<std::uint32_t>(seg.window) << snd_wscale_;
    snd_wl1_ = seg.seq;  // tcp_init_wl()
    snd_wl2_ = seg.ack;
    max_window_ = std::max(max_window_, snd_wnd_);
    if (tstamp_ok_) advmss_ = static_cast<std::uint16_t>(advmss_ - kTimestampOptionBytes);
    lsndtime_ = now;
    init_rcv_mss();
    reset_keepalive(now);
    connected_notified_ = true;
    notify(event::kConnected | event::kWritable);
    if ((shutdown_ & 2) != 0) send_fin(now);  // shutdown(SHUT_WR) came during the handshake
}

}  // namespace synack::tcp
