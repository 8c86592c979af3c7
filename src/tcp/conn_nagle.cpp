// Whether the send head may go out now — Nagle's algorithm in Linux's form (RFC 9293 §3.7.4 with Minshall's
// variant: tcp_nagle_test(), tcp_nagle_check(), tcp_minshall_check()) and what TCP_NODELAY, TCP_CORK and MSG_MORE
// change in it (the nonagle bits TCP_NAGLE_OFF, TCP_NAGLE_CORK, TCP_NAGLE_PUSH) — and the sending side's other
// small rules: tcp_write_wakeup() (what a zero-window probe sends), tcp_slow_start_after_idle_check() and
// tcp_notsent_lowat().
#include <algorithm>

#include "tcp/connection.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
// include/net/tcp.h
constexpr unsigned kNagleOff = 1;   // TCP_NAGLE_OFF: TCP_NODELAY
constexpr unsigned kNagleCork = 2;  // TCP_NAGLE_CORK: TCP_CORK, or this push's MSG_MORE
constexpr unsigned kNaglePush = 4;  // TCP_NAGLE_PUSH: push once what TCP_CORK held
}  // namespace

// Linux tcp_nagle_test() for the send head, which push() only asks about the last segment of the queued data
// (tcp_write_xmit() passes TCP_NAGLE_PUSH for every skb but the last; tcp_mss_split_point() asks
// tcp_nagle_check() about a partial tail). `nagle` is false for TCP_NODELAY and for tcp_send_fin()'s push
// (TCP_NAGLE_OFF, which leaves cork out). When nothing is in flight and the head is held, the zero-window probe
// timer is armed as tcp_check_probe_timer() does (tcp_write_xmit() returned true): it sends the held bytes
// after max(RTO, rto_min) — the "200 ms" ceiling of TCP_CORK and MSG_MORE.
bool Connection::nagle_test(std::uint32_t len, std::uint32_t mss, bool fin, bool nagle, Instant now) {
    unsigned nonagle = 0;
    if (nagle || options_.nodelay) {
        // tp->nonagle, as tcp_push() and tcp_push_pending_frames() pass it
        if (!nagle) nonagle |= kNagleOff;
        if (options_.cork) nonagle |= kNagleCork;
        if (nagle_push_) nonagle |= kNaglePush;
        if (msg_more_) nonagle = kNagleCork;  // tcp_push(): if (flags & MSG_MORE) nonagle = TCP_NAGLE_CORK
    } else {
        nonagle = kNagleOff;  // tcp_send_fin()
    }
    if ((nonagle & kNaglePush) != 0) return true;
    if (fin) return true;  // "Don't use the nagle rule for urgent data (or for the final FIN)."
    // tcp_nagle_check(): a partial segment waits when corked, or under Nagle while a small segment sent earlier
    // is unacknowledged (tcp_minshall_check(): snd_una < snd_sml <= snd_nxt).
    const bool partial = len < mss;
    const bool minshall = wire::after(snd_sml_, snd_una_) && !wire::after(snd_sml_, snd_nxt_);
    const bool hold = partial && ((nonagle & kNagleCork) != 0 || (nonagle == 0 && packets_out_ != 0 && minshall));
    if (!hold) return true;
    if (packets_out_ == 0 && !rto_deadline_) {
        // tcp_check_probe_timer(): tcp_probe0_base() = max(icsk_rto, TCP_RTO_MIN)
        probe_timer_ = true;
        const std::uint32_t base =
            std::max<std::uint32_t>(rto_ms_, static_cast<std::uint32_t>(sysctls().tcp_rto_min_us / 1000));
        rto_deadline_ = now + std::chrono::milliseconds(base);
    }
    return false;
}

// Linux tcp_write_wakeup(): the first bytes of the send head that fit in the offered window go out with PSH
// (at most one MSS), regardless of Nagle and cork; with no room, the probe ACK of tcp_xmit_probe_skb().
// True when data (or the FIN) was sent.
bool Connection::write_wakeup(Instant now) {
    if (state_ == State::kClosed) return false;
    const Seq32 wnd_end = snd_una_ + snd_wnd_;
    if (wire::before(snd_nxt_, write_seq_) && wire::before(snd_nxt_, wnd_end)) {
        const std::uint32_t mss = std::max<std::uint32_t>(mss_cache_, 1);
        const std::uint32_t room = wnd_end.distance_from(snd_nxt_);
        const std::uint32_t unsent = static_cast<std::uint32_t>(unsent_bytes());
        const std::uint32_t len = std::min({unsent, mss, room});
        // The FIN rides along when the whole tail fits (tcp_fragment() leaves it on the part not sent).
        const bool fin = fin_queued_ && len == unsent && room > len;
        if (len == 0 && !fin) return false;
        transmit_new(len, fin, len != 0, now);  // conn_output.cpp: also into the retransmission queue
        lsndtime_ = now;
        // tcp_event_new_data_sent(): nothing was in flight, so the RTO starts.
        probe_timer_ = false;
        rearm_rto(now);
        return true;
    }
    mib().inc(Counter::kTcpWinProbe);
    send_probe(now);
    return false;
}

// Linux tcp_slow_start_after_idle_check() (from skb_entail(), when send() starts a new skb with nothing in
// flight) and tcp_cwnd_restart() (RFC 5681 §4.1, RFC 2861): after more than an RTO without sending, the
// congestion window halves for every RTO of idleness, down to the initial window.
void Connection::slow_start_after_idle_check(Instant now) noexcept {
    if (!sysctls().tcp_slow_start_after_idle || packets_out_ != 0) return;
    if (lsndtime_ == Instant{} || now < lsndtime_) return;
    std::int64_t delta = to_ms(now - lsndtime_);
    const std::int64_t rto = rto_ms_;
    if (delta <= rto) return;
    const std::uint32_t restart_cwnd = std::min(kInitCwnd, cw_.cwnd);  // tcp_init_cwnd()
    // tcp_current_ssthresh()
    if (!in_cwnd_reduction()) cw_.ssthresh = std::max(cw_.ssthresh, (cw_.cwnd >> 1) + (cw_.cwnd >> 2));
    std::uint32_t cwnd = cw_.cwnd;
    while ((delta -= rto) > 0 && cwnd > restart_cwnd) cwnd >>= 1;
    cw_.cwnd = std::max(cwnd, restart_cwnd);
}

// Linux tcp_notsent_lowat(): the socket's TCP_NOTSENT_LOWAT, else the sysctl.
std::uint32_t Connection::notsent_lowat() const noexcept {
    return options_.notsent_lowat != 0 ? options_.notsent_lowat : sysctls().tcp_notsent_lowat;
}

}  // namespace synack::tcp
