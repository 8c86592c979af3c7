#include "tcp/time_wait.hpp"

#include "tcp/connection.hpp"
#include "tcp/paws.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {

// Linux tcp_in_window() (tcp_minisocks.c).
bool in_window(Seq32 seq, Seq32 end_seq, Seq32 s_win, Seq32 e_win) noexcept {
    if (seq == s_win) return true;
    if (wire::after(end_seq, s_win) && wire::before(seq, e_win)) return true;
    return seq == e_win && seq == end_seq;
}

// tcp_oow_rate_limited() on the entry's 16-bit stamp.
bool oow_limited(TimeWaitEntry& e, const Segment& seg, Instant now, const TcpSysctls& sysctls, Mib& mib,
                 Counter skipped) noexcept {
    if (seg.seg_len() != 0 && !seg.syn()) return false;
    const auto stamp = static_cast<std::uint16_t>(ms_of(now) + 1);
    if (e.last_oow_ack_time != 0) {
        const auto elapsed = static_cast<std::uint16_t>(stamp - e.last_oow_ack_time);
        if (elapsed < sysctls.tcp_invalid_ratelimit) {
            mib.inc(skipped);
            return true;
        }
    }
    e.last_oow_ack_time = stamp == 0 ? 1 : stamp;
    return false;
}

}  // namespace

std::uint32_t time_wait_ts_recent_stamp(const TimeWaitEntry& e, Instant now) noexcept {
    if (!e.has_ts_recent()) return 0;
    const std::uint32_t s = seconds_of(now);
    const auto age = static_cast<std::uint16_t>(static_cast<std::uint16_t>(s) - e.ts_recent_stamp);
    const std::uint32_t stamp = s - age;
    return stamp == 0 ? 1 : stamp;
}

TimeWaitEntry make_time_wait(const Connection& c, bool fin_wait2, Instant now) noexcept {
    TimeWaitEntry e;
    e.remote_address = c.tuple().remote_address;
    e.local_port = c.tuple().local_port;
    e.remote_port = c.tuple().remote_port;
    e.rcv_nxt = c.rcv_nxt();
    e.snd_nxt = c.snd_nxt();
    e.ts_recent = c.ts_recent();
    e.txhash = c.txhash();
    e.entry_ms = ms_of(now);
    e.window = static_cast<std::uint16_t>(std::min<std::uint32_t>(c.receive_window() >> c.rcv_wscale(), 65535));
    e.flags = static_cast<std::uint8_t>(c.rcv_wscale() & TimeWaitEntry::kWscaleMask);
    if (fin_wait2) e.flags |= TimeWaitEntry::kFinWait2;
    if (c.ts_recent_stamp() != 0) {
        e.flags |= TimeWaitEntry::kTsRecent;
        e.ts_recent_stamp = static_cast<std::uint16_t>(c.ts_recent_stamp());
    }
    return e;
}

// Linux tcp_timewait_state_process().
TimeWaitDecision time_wait_process(TimeWaitEntry& e, const Segment& seg, std::uint32_t ts_offset, Instant now,
                                   const TcpSysctls& sysctls, Mib& mib) noexcept {
    (void)ts_offset;
    TimeWaitDecision d;
    bool paws_rejected = false;
    const bool saw_tstamp = e.has_ts_recent() && seg.options.has_timestamps && sysctls.tcp_timestamps;
    if (saw_tstamp) {
        paws_rejected = paws_reject({e.ts_recent, time_wait_ts_recent_stamp(e, now), seg.options.tsval}, seg.rst(), now);
    }
    auto oow_ack = [&](Counter skipped) {
        d.verdict = oow_limited(e, seg, now, sysctls, mib, skipped) ? TimeWaitVerdict::kConsume : TimeWaitVerdict::kAck;
        return d;
    };
    const Seq32 rcv_nxt = e.rcv_nxt;

    if (e.fin_wait2()) {
        // "Just repeat all the checks of tcp_rcv_state_process()".
        if (paws_rejected || !in_window(seg.seq, seg.end_seq(), rcv_nxt, rcv_nxt + e.rcv_wnd())) {
            return oow_ack(Counter::kTcpAckSkippedFinWait2);
        }
        if (seg.rst()) {
            d.verdict = TimeWaitVerdict::kKill;
            return d;
        }
        if (seg.syn() && !wire::before(seg.seq, rcv_nxt)) {
            d.verdict = TimeWaitVerdict::kReset;
            return d;
        }
        // A duplicate ACK.
        if (!seg.ack_flag() || !wire::after(seg.end_seq(), rcv_nxt) || seg.seg_len() == 0) return d;
        // New data after a half-duplex close: reset. Only the FIN may come.
        if (!seg.fin() || seg.end_seq() != rcv_nxt + 1) {
            d.verdict = TimeWaitVerdict::kReset;
            return d;
        }
        // The FIN: true TIME_WAIT from now on.
        e.flags = static_cast<std::uint8_t>(e.flags & ~TimeWaitEntry::kFinWait2);
        e.rcv_nxt = seg.end_seq();
        if (saw_tstamp) {
            e.entry_ms = ms_of(now);
            e.ts_recent_stamp = static_cast<std::uint16_t>(seconds_of(now));
            e.ts_recent = seg.options.tsval;
        }
        d.reschedule = true;
        d.verdict = TimeWaitVerdict::kAck;
        return d;
    }

    // RFC 1122 §4.2.2.13: a TIME_WAIT connection "MAY accept a new SYN from the remote TCP to reopen the
    // connection directly" if its sequence number (or, Linux adds, its timestamp) is newer.
    if (!paws_rejected && seg.seq == rcv_nxt && (seg.seg_len() == 0 || seg.rst())) {
        // In window: it can only be a reset or a bare ACK.
        if (seg.rst()) {
            // TIME_WAIT assassination (RFC 1337): Linux accepts the RST unless tcp_rfc1337 is set.
            if (!sysctls.tcp_rfc1337) {
                d.verdict = TimeWaitVerdict::kKill;
                return d;
            }
        } else {
            d.reschedule = true;
        }
        if (saw_tstamp) {
            e.ts_recent = seg.options.tsval;
            e.ts_recent_stamp = static_cast<std::uint16_t>(seconds_of(now));
        }
        return d;
    }

    // Out of window. Everything is acknowledged at once — except a new SYN, which may reuse the 4-tuple.
    if (seg.syn() && !seg.rst() && !seg.ack_flag() && !paws_rejected &&
        (wire::after(seg.seq, rcv_nxt) ||
         (saw_tstamp && static_cast<std::int32_t>(e.ts_recent - seg.options.tsval) < 0))) {
        d.verdict = TimeWaitVerdict::kSyn;
        d.isn = time_wait_reuse_isn(e);
        return d;
    }
    if (paws_rejected) {
        d.drop_reason = DropReason::kTcpRfc7323TwPaws;
        mib.inc(Counter::kPawsTimewait);
    }
    if (!seg.rst()) {
        // An ACK-less SYN may be an old duplicate or a new SYN below rcv_nxt: do not extend TIME_WAIT for it.
        if (paws_rejected || seg.ack_flag()) d.reschedule = true;
        return oow_ack(Counter::kTcpAckSkippedTimeWait);
    }
    return d;
}

OutSegment make_time_wait_ack(const TimeWaitEntry& e, std::uint32_t ts_offset, Instant now) noexcept {
    OutSegment s;
    s.seq = e.snd_nxt;
    s.ack = e.rcv_nxt;
    s.flags = wire::tcp_flags::kAck;
    s.window = e.window;
    s.control = true;
    s.txhash = e.txhash;
    if (e.ts_recent != 0) {
        s.options.timestamps = true;
        s.options.tsval = ts_clock(now, ts_offset);
        s.options.tsecr = e.ts_recent;
    }
    return s;
}

bool time_wait_reusable(const TimeWaitEntry& e, bool loopback, bool port_chosen, Instant now,
                        const TcpSysctls& sysctls) noexcept {
    int reuse = sysctls.tcp_tw_reuse;
    if (e.fin_wait2()) reuse = 0;
    if (reuse == 2 && !loopback) reuse = 0;
    if (!e.has_ts_recent()) return false;
    if (port_chosen) return true;
    const std::uint32_t thresh = e.entry_ms + static_cast<std::uint32_t>(sysctls.tcp_tw_reuse_delay);
    return reuse != 0 && static_cast<std::int32_t>(ms_of(now) - thresh) > 0;
}

Seq32 time_wait_reuse_isn(const TimeWaitEntry& e) noexcept {
    Seq32 isn = e.snd_nxt + 65535 + 2;
    if (isn == Seq32(0)) isn = Seq32(1);
    return isn;
}

}  // namespace synack::tcp
