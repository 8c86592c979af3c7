#include "tcp/request.hpp"

#include <algorithm>

#include "tcp/mss.hpp"
#include "tcp/window.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint32_t kU16Max = 65535;

// Linux tcp_synack_window().
std::uint32_t synack_window(const RequestState& r) noexcept { return std::min(r.rcv_wnd, kU16Max); }

// Linux tcp_in_window() (net/ipv4/tcp_minisocks.c).
bool in_window(Seq32 seq, Seq32 end_seq, Seq32 s_win, Seq32 e_win) noexcept {
    if (seq == s_win) return true;
    if (wire::after(end_seq, s_win) && wire::before(seq, e_win)) return true;
    return seq == e_win && seq == end_seq;
}
}  // namespace

// Linux tcp_conn_request(), tcp_openreq_init(), tcp_openreq_init_rwin().
RequestState open_request(const TcpSysctls& sysctls, const ListenerParams& listener, const Segment& syn, Seq32 iss,
                          std::uint32_t ts_offset, std::uint32_t txhash) noexcept {
    RequestState r;
    const SegmentOptions& o = syn.options;
    r.irs = syn.seq;
    r.iss = iss;
    r.txhash = txhash;
    r.peer_mss = peer_mss_clamp(o.mss, listener.v6, listener.options.user_mss);
    r.tstamp_ok = sysctls.tcp_timestamps && o.has_timestamps;
    r.ts_recent = r.tstamp_ok ? o.tsval : 0;
    r.ts_offset = r.tstamp_ok ? ts_offset : 0;
    r.wscale_ok = sysctls.tcp_window_scaling && o.has_window_scale;
    r.snd_wscale = r.wscale_ok ? o.window_scale : 0;
    r.sack_ok = sysctls.tcp_sack && o.sack_permitted;
    r.advmss = advertised_mss(listener.mtu, listener.v6, listener.options.user_mss);

    // The window: tcp_full_space() of the listener, offered in multiples of the MSS the peer will send.
    const std::uint32_t rcvbuf =
        listener.options.rcvbuf != 0 ? listener.options.rcvbuf : static_cast<std::uint32_t>(sysctls.tcp_rmem[1]);
    const std::uint32_t full_space = win_from_space(rcvbuf);
    std::uint32_t clamp = 0;
    if (listener.options.rcvbuf != 0) clamp = full_space;  // SO_RCVBUF locks the buffer: never offer more
    const std::uint32_t mss = r.advmss - (r.tstamp_ok ? kTimestampOptionBytes : 0);
    const InitialWindow w = select_initial_window(sysctls, full_space, mss, clamp, r.wscale_ok);
    r.rcv_wnd = w.rcv_wnd;
    r.rcv_wscale = w.rcv_wscale;
    return r;
}

// Linux tcp_make_synack() and tcp_synack_options(): MSS always, window scale, timestamps and SACK-permitted as the
// SYN offered them; the window unscaled.
OutSegment make_synack(RequestState& r, Instant now) noexcept {
    OutSegment s;
    if (!r.synack_sent) {
        r.synack_sent = true;
        r.snt_synack_us = static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count());
    }
    s.seq = r.iss;
    s.ack = r.irs + 1;
    s.flags = wire::tcp_flags::kSyn | wire::tcp_flags::kAck;
    s.window = static_cast<std::uint16_t>(synack_window(r));
    s.options.mss = r.advmss;
    if (r.wscale_ok) s.options.window_scale = static_cast<std::int8_t>(r.rcv_wscale);
    if (r.tstamp_ok) {
        std::uint32_t tsval = ts_clock(now, r.ts_offset);
        if (r.snt_tsval_first == 0) {
            if (tsval == 0) tsval = ~0u;
            r.snt_tsval_first = tsval;
        }
        r.snt_tsval_last = tsval;
        s.options.timestamps = true;
        s.options.tsval = tsval;
        s.options.tsecr = r.ts_recent;
    }
    s.options.sack_permitted = r.sack_ok;
    return s;
}

// Linux tcp_v4_reqsk_send_ack() / tcp_v6_reqsk_send_ack() through tcp_v4_send_ack(): timestamps only when the
// peer's TSval is known (non-zero).
OutSegment make_request_ack(const RequestState& r, Instant now) noexcept {
    OutSegment s;
    s.seq = r.iss + 1;
    s.ack = r.irs + 1;
    s.flags = wire::tcp_flags::kAck;
    s.window = static_cast<std::uint16_t>(synack_window(r) >> r.rcv_wscale);
    if (r.ts_recent != 0) {
        s.options.timestamps = true;
        s.options.tsval = ts_clock(now, r.ts_offset);
        s.options.tsecr = r.ts_recent;
    }
    return s;
}

Duration request_retry_delay(const RequestState& r) noexcept {
    // Linux reqsk_timeout(): TCP_TIMEOUT_INIT << num_timeout, at most TCP_RTO_MAX.
    const std::int64_t seconds = r.num_timeout >= 7 ? 120 : std::min<std::int64_t>(std::int64_t{1} << r.num_timeout, 120);
    return std::chrono::seconds(seconds);
}

bool request_timer_expired(RequestState& r, const ListenerParams& listener, const TcpSysctls& sysctls) noexcept {
    // Linux syn_ack_recalc() without TCP_DEFER_ACCEPT. (Pruning old requests when the queue is more than half
    // full belongs to the listener limits of issue 6.)
    const int max_retries = listener.options.syn_retries != 0 ? listener.options.syn_retries : sysctls.tcp_synack_retries;
    if (r.num_timeout >= max_retries) return false;
    ++r.num_timeout;
    return true;
}

// Linux tcp_check_req().
RequestDecision check_request(RequestState& r, const Segment& seg, Instant now, const TcpSysctls& sysctls,
                              Mib& mib) noexcept {
    using namespace wire::tcp_flags;
    std::uint16_t flg = seg.flags & (kRst | kSyn | kAck);
    bool paws_rejected = false;
    bool tsecr_rejected = false;
    const bool saw_tstamp = seg.options.has_timestamps && sysctls.tcp_timestamps;
    if (saw_tstamp) {
        if (seg.options.tsecr != 0 && r.tstamp_ok) {
            tsecr_rejected = !wire::between(Seq32(seg.options.tsecr), Seq32(r.snt_tsval_first),
                                            Seq32(r.snt_tsval_last));
        }
        // Linux does not store when ts_recent was taken; it estimates it from the request's age.
        const auto timeout = std::chrono::duration_cast<std::chrono::seconds>(request_retry_delay(r)).count();
        PawsInput paws{r.ts_recent, seconds_of(now) - static_cast<std::uint32_t>(timeout), seg.options.tsval};
        paws_rejected = paws_reject(paws, seg.rst(), now);
    }

    // A retransmitted SYN: send the SYN-ACK again (RFC 793 figure 8 as RFC 1122 fixed it).
    if (seg.seq == r.irs && flg == kSyn && !paws_rejected) {
        if (oow_rate_limited(seg, r.last_oow_ack_time, now, sysctls, mib, Counter::kTcpAckSkippedSynRecv)) {
            return {RequestVerdict::kDrop, DropReason::kNotSpecified};
        }
        return {RequestVerdict::kRetransmitSynAck, DropReason::kNotSpecified};
    }

    // RFC 9293 §3.10.7.3: an ACK of something never sent gets a reset (sent by the listener).
    if ((flg & kAck) != 0 && seg.ack != r.iss + 1) return {RequestVerdict::kListenerReset, DropReason::kNotSpecified};

    // "First check sequence number".
    const Seq32 rcv_nxt = r.irs + 1;
    if (paws_rejected || tsecr_rejected || !in_window(seg.seq, seg.end_seq(), rcv_nxt, rcv_nxt + synack_window(r))) {
        RequestDecision d{RequestVerdict::kDrop, DropReason::kTcpOverWindow};
        if ((flg & kRst) == 0 &&
            !oow_rate_limited(seg, r.last_oow_ack_time, now, sysctls, mib, Counter::kTcpAckSkippedSynRecv)) {
            d.verdict = RequestVerdict::kSendAck;
        }
        if (paws_rejected) {
            d.drop_reason = DropReason::kTcpRfc7323Paws;
            mib.inc(Counter::kPawsEstab);
        } else if (tsecr_rejected) {
            d.drop_reason = DropReason::kTcpRfc7323Tsecr;
            mib.inc(Counter::kTsEcrRejected);
        }
        return d;
    }

    if (saw_tstamp && !wire::after(seg.seq, rcv_nxt)) r.ts_recent = seg.options.tsval;
    // The SYN itself lies before the window: a segment starting there only counts for what follows the SYN.
    if (seg.seq == r.irs) flg = static_cast<std::uint16_t>(flg & ~kSyn);

    // "Second check the RST bit", "fourth, check the SYN bit".
    if ((flg & (kRst | kSyn)) != 0) {
        mib.inc(Counter::kAttemptFails);
        mib.inc(Counter::kEmbryonicRsts);
        return {RequestVerdict::kEmbryonicReset, (flg & kRst) != 0 ? DropReason::kTcpReset : DropReason::kTcpInvalidSyn};
    }
    if ((flg & kAck) == 0) return {RequestVerdict::kDrop, DropReason::kTcpFlags};
    return {RequestVerdict::kCreateChild, DropReason::kNotSpecified};
}

}  // namespace synack::tcp
