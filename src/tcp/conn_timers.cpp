// The connection's deadlines, all served by one timer in the stack's wheel: retransmission (RFC 6298, Linux
// tcp_retransmit_timer(), tcp_write_timeout()), zero-window probes (RFC 9293 §3.8.6.1, tcp_probe_timer()),
// delayed ACKs (tcp_delack_timer_handler()), keepalive and the orphaned FIN_WAIT_2 timeout
// (tcp_keepalive_timer()).
#include <algorithm>
#include <bit>

#include "tcp/connection.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kAckSched = 1;
constexpr std::uint8_t kAckTimer = 2;

std::optional<Instant> earliest(std::optional<Instant> a, std::optional<Instant> b) noexcept {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}
}  // namespace

std::optional<Instant> Connection::next_deadline() const noexcept {
    return earliest(earliest(earliest(rto_deadline_, delack_deadline_), keepalive_deadline_), comp_sack_deadline_);
}

void Connection::on_timer(Instant now) {
    if (delack_deadline_ && *delack_deadline_ <= now) delack_timer(now);
    if (comp_sack_deadline_ && *comp_sack_deadline_ <= now) comp_sack_timer(now);  // tcp_compressed_ack_kick()
    if (state_ == State::kClosed || tw_handoff_) return;
    if (rto_deadline_ && *rto_deadline_ <= now) {
        if (probe_timer_) probe_timer(now);
        else if (reo_timer_) rack_reo_timeout(now);  // conn_recovery.cpp
        else retransmit_timer(now);
    }
    if (state_ == State::kClosed || tw_handoff_) return;
    if (keepalive_deadline_ && *keepalive_deadline_ <= now) keepalive_timer(now);
}

// Linux tcp_model_timeout(): how long `boundary` retransmissions take with exponential backoff from `rto_base`
// capped at TCP_RTO_MAX.
static std::uint64_t model_timeout_ms(std::uint32_t boundary, std::uint32_t rto_base_ms, std::uint32_t rto_max_ms) {
    const std::uint32_t ratio = rto_max_ms / std::max<std::uint32_t>(rto_base_ms, 1);
    const std::uint32_t thresh = ratio == 0 ? 0 : static_cast<std::uint32_t>(std::bit_width(ratio) - 1);
    if (boundary <= thresh) return ((std::uint64_t{2} << boundary) - 1) * rto_base_ms;
    return ((std::uint64_t{2} << thresh) - 1) * rto_base_ms + std::uint64_t{boundary - thresh} * rto_max_ms;
}

// Linux retransmits_timed_out(): measured from the first retransmitted transmission (retrans_stamp).
bool Connection::retransmits_timed_out(std::uint32_t boundary, std::uint32_t timeout_ms, Instant now) const noexcept {
    if (retransmits_ == 0) return false;
    std::uint64_t timeout = timeout_ms;
    if (timeout == 0) {
        const bool opening = state_ == State::kSynSent || state_ == State::kSynReceived;
        const std::uint32_t rto_base =
            opening ? static_cast<std::uint32_t>(to_ms(kTimeoutInit))
                    : static_cast<std::uint32_t>(sysctls().tcp_rto_min_us / 1000);
        timeout = model_timeout_ms(boundary, rto_base, 120000);
    }
    return static_cast<std::int32_t>(ms_of(now) - retrans_stamp_ - static_cast<std::uint32_t>(timeout)) >= 0;
}

// Linux tcp_write_err(): give up with the pending soft error or ETIMEDOUT.
void Connection::write_err(Instant now) {
    mib().inc(Counter::kTcpAbortOnTimeout);
    done_with_error(Errno::kTimedOut, now);
}

// Linux tcp_write_timeout(): true when the connection was closed.
bool Connection::write_timeout(Instant now) {
    const TcpSysctls& sc = sysctls();
    bool expired = false;
    std::uint32_t retry_until = 0;
    if (state_ == State::kSynSent || state_ == State::kSynReceived) {
        retry_until = options_.syn_retries != 0 ? options_.syn_retries : static_cast<std::uint32_t>(sc.tcp_syn_retries);
        std::uint32_t max_retransmits = retry_until;
        if (state_ == State::kSynSent) max_retransmits += static_cast<std::uint32_t>(sc.tcp_syn_linear_timeouts);
        expired = retransmits_ >= max_retransmits;
    } else {
        retry_until = static_cast<std::uint32_t>(sc.tcp_retries2);
        if (orphaned_) {
            const bool alive = rto_ms_ < static_cast<std::uint32_t>(sc.tcp_rto_max_ms);
            // tcp_orphan_retries(): 0 means 8 while the connection is alive.
            std::uint32_t retries = static_cast<std::uint32_t>(sc.tcp_orphan_retries);
            if (retries == 0 && alive) retries = 8;
            retry_until = retries;
        }
    }
    if (!expired) expired = retransmits_timed_out(retry_until, options_.user_timeout_ms, now);
    if (expired) {
        write_err(now);
        return true;
    }
    // sk_rethink_txhash(): a new flow hash (IPv6 flow label) in case the path was the problem.
    txhash_ = host_->random_u32();
    mib().inc(Counter::kTcpTimeoutRehash);
    return false;
}

// Linux tcp_retransmit_timer() (RFC 6298 §5.4–5.7): the oldest outstanding segment again, everything
// outstanding presumed lost (tcp_enter_loss(), conn_recovery.cpp), and the timeout doubled.
void Connection::retransmit_timer(Instant now) {
    rto_deadline_.reset();
    now_ = now;
    // Our SYN is still outstanding: the handshake (or, after a simultaneous open whose ACK did not cover the
    // SYN, the SYN-ACK, which Linux keeps at the head of its retransmission queue).
    const bool opening = state_ == State::kSynSent || state_ == State::kSynReceived || snd_una_ == iss_;
    if (!opening && packets_out_ == 0) return;  // nothing in flight
    host_->timer_fired(*this, TimerKind::kRetransmit);
    if (!opening && snd_wnd_ == 0 && !orphaned_) {
        // The receiver shrank its window to zero: the retransmissions probe it, and time out only without
        // progress for TCP_USER_TIMEOUT, or for twice TCP_RTO_MAX without hearing from the peer
        // (tcp_rtx_probe0_timed_out()).
        const std::uint32_t stamp = retrans_stamp_ != 0 ? retrans_stamp_ : static_cast<std::uint32_t>(rtx_[0].xmit_us / 1000);
        const std::uint32_t rtx_delta = ms_of(now) - stamp;
        std::uint32_t timeout = 2 * static_cast<std::uint32_t>(sysctls().tcp_rto_max_ms);
        bool timed_out = false;
        if (options_.user_timeout_ms != 0) {
            if (rtx_delta > options_.user_timeout_ms) timed_out = true;
            timeout = std::min(timeout, options_.user_timeout_ms);
        }
        if (!timed_out) {
            const auto rcv_delta = static_cast<std::int64_t>(to_ms(now - rcv_tstamp_));
            timed_out = rcv_delta > timeout && rtx_delta > timeout;
        }
        if (timed_out) {
            write_err(now);
            return;
        }
        enter_loss();
        retransmit_record(0, now);
    } else {
        mib().inc(Counter::kTcpTimeouts);
        if (write_timeout(now)) return;
        if (retransmits_ == 0 && ca_state_ == CaState::kLoss) mib().inc(Counter::kTcpLossFailures);
        if (!opening) enter_loss();
        ++retransmits_;  // tcp_update_rto_stats()
        ++total_rto_;
        if (opening) {
            // The SYN (or the SYN-ACK of a simultaneous open) again.
            mib().inc(Counter::kRetransSegs);
            mib().inc(Counter::kTcpSynRetrans);
            ++total_retrans_;
            rtt_timing_ = false;  // Karn's rule
            send_syn(now, true);
        } else {
            retransmit_record(0, now);  // the rest as ACKs open the congestion window
        }
    }
    // Back off (RFC 6298 §5.5), except for the first tcp_syn_linear_timeouts SYN retransmissions (Linux 6.5+).
    if (state_ != State::kSynSent || total_rto_ > sysctls().tcp_syn_linear_timeouts) {
        ++backoff_;
        rto_ms_ = std::min<std::uint32_t>(rto_ms_ * 2, static_cast<std::uint32_t>(sysctls().tcp_rto_max_ms));
    }
    std::uint32_t next = rto_ms_;
    // tcp_clamp_rto_to_user_timeout(): never wait past TCP_USER_TIMEOUT.
    if (options_.user_timeout_ms != 0 && retrans_stamp_ != 0) {
        const std::uint32_t elapsed = ms_of(now) - retrans_stamp_;
        const std::uint32_t remaining = options_.user_timeout_ms > elapsed ? options_.user_timeout_ms - elapsed : 1;
        next = std::min(next, remaining);
    }
    probe_timer_ = reo_timer_ = false;
    rto_deadline_ = now + std::chrono::milliseconds(next);
}

// Linux tcp_probe_timer(): probe a zero window (or send what cork or MSG_MORE held, conn_nagle.cpp) for as long
// as the peer answers (RFC 1122 §4.2.2.17); give up after tcp_retries2 unanswered probes, tcp_orphan_retries for
// an orphan, or TCP_USER_TIMEOUT after the first probe (icsk_probes_tstamp).
void Connection::probe_timer(Instant now) {
    rto_deadline_.reset();
    probe_timer_ = false;
    if (packets_out_ != 0 || !wire::before(snd_nxt_, write_seq_)) {
        probes_out_ = 0;
        probes_tstamp_ = 0;
        return;
    }
    host_->timer_fired(*this, TimerKind::kZeroWindowProbe);
    const TcpSysctls& sc = sysctls();
    // A first probe (no backoff yet): the window opened since any earlier probing, which tcp_ack_probe() ends by
    // clearing icsk_probes_tstamp.
    if (backoff_ == 0) probes_tstamp_ = 0;
    if (probes_tstamp_ == 0) {
        probes_tstamp_ = std::max<std::uint32_t>(ms_of(now), 1);
    } else if (options_.user_timeout_ms != 0 &&
               static_cast<std::int32_t>(ms_of(now) - probes_tstamp_) >= static_cast<std::int32_t>(options_.user_timeout_ms)) {
        write_err(now);
        return;
    }
    std::uint32_t max_probes = static_cast<std::uint32_t>(sc.tcp_retries2);
    if (orphaned_) {
        // inet_csk_rto_backoff(icsk, TCP_RTO_MAX) < TCP_RTO_MAX
        const std::uint64_t backed_off = std::uint64_t{rto_ms_} << std::min<std::uint8_t>(backoff_, 32);
        const bool alive = backed_off < static_cast<std::uint64_t>(sc.tcp_rto_max_ms);
        std::uint32_t retries = static_cast<std::uint32_t>(sc.tcp_orphan_retries);
        if (retries == 0 && alive) retries = 8;  // tcp_orphan_retries()
        max_probes = retries;
        if (!alive && backoff_ >= max_probes) {
            write_err(now);
            return;
        }
    }
    if (probes_out_ >= max_probes) {
        write_err(now);
        return;
    }
    send_probe0(now);
}

// Linux tcp_send_probe0(): tcp_write_wakeup(), then the next probe after tcp_probe0_when() — max(RTO, rto_min)
// doubled per probe (icsk_backoff, at most tcp_retries2 doublings), at most TCP_RTO_MAX, and never past
// TCP_USER_TIMEOUT (tcp_clamp_probe0_to_user_timeout()).
void Connection::send_probe0(Instant now) {
    const TcpSysctls& sc = sysctls();
    (void)write_wakeup(now);
    if (packets_out_ != 0 || !wire::before(snd_nxt_, write_seq_)) {
        // Data went out (the RTO runs now) or nothing is left: no more probing.
        probes_out_ = 0;
        backoff_ = 0;
        probes_tstamp_ = 0;
        return;
    }
    if (probes_out_ < 255) ++probes_out_;
    if (backoff_ < sc.tcp_retries2) ++backoff_;
    const std::uint32_t base = std::max<std::uint32_t>(rto_ms_, static_cast<std::uint32_t>(sc.tcp_rto_min_us / 1000));
    std::uint64_t when = std::min<std::uint64_t>(std::uint64_t{base} << std::min<std::uint8_t>(backoff_, 32),
                                                 static_cast<std::uint64_t>(sc.tcp_rto_max_ms));
    if (options_.user_timeout_ms != 0 && probes_tstamp_ != 0) {
        std::int32_t elapsed = static_cast<std::int32_t>(ms_of(now) - probes_tstamp_);
        if (elapsed < 0) elapsed = 0;
        std::uint32_t remaining = options_.user_timeout_ms - static_cast<std::uint32_t>(elapsed);  // u32, as Linux
        remaining = std::max<std::uint32_t>(remaining, static_cast<std::uint32_t>(to_ms(kTimeoutMin)));
        when = std::min<std::uint64_t>(remaining, when);
    }
    probe_timer_ = true;
    rto_deadline_ = now + std::chrono::milliseconds(when);
}

// Linux tcp_delack_timer_handler().
void Connection::delack_timer(Instant now) {
    delack_deadline_.reset();
    if ((ack_pending_ & kAckTimer) == 0) return;
    ack_pending_ = static_cast<std::uint8_t>(ack_pending_ & ~kAckTimer);
    if ((ack_pending_ & kAckSched) == 0) return;
    host_->timer_fired(*this, TimerKind::kDelayedAck);
    if (!in_pingpong()) {
        ato_ms_ = std::min(ato_ms_ << 1, rto_ms_);  // the delayed ACK was missed: inflate the ATO
    } else {
        pingpong_ = 0;  // leave ping-pong mode
        ato_ms_ = kAtoMinMs;
    }
    send_ack(now);
    mib().inc(Counter::kDelayedAcks);
}

void Connection::reset_keepalive(Instant now) noexcept {
    if (!options_.keepalive || state_ == State::kClosed || state_ == State::kSynSent) return;
    const std::uint32_t idle = options_.keepalive_time != 0 ? options_.keepalive_time
                                                            : static_cast<std::uint32_t>(sysctls().tcp_keepalive_time);
    keepalive_deadline_ = now + std::chrono::seconds(idle);
}

// Linux tcp_keepalive_timer(): the orphaned FIN_WAIT_2 timeout, and keepalive probes (RFC 1122 §4.2.3.6).
void Connection::keepalive_timer(Instant now) {
    keepalive_deadline_.reset();
    const TcpSysctls& sc = sysctls();
    if (state_ == State::kFinWait2 && orphaned_) {
        host_->timer_fired(*this, TimerKind::kFinWait2);
        if (options_.linger2 >= 0) {
            const Duration tmo = fin_time() - kTimeWaitLen;
            if (tmo > Duration::zero()) {
                time_wait(true, tmo, now);
                return;
            }
        }
        send_reset(now);
        done(now);
        return;
    }
    if (!options_.keepalive || state_ == State::kClosed || state_ == State::kSynSent) return;
    const std::uint32_t time_s = options_.keepalive_time != 0 ? options_.keepalive_time
                                                              : static_cast<std::uint32_t>(sc.tcp_keepalive_time);
    const std::uint32_t intvl_s = options_.keepalive_intvl != 0 ? options_.keepalive_intvl
                                                                : static_cast<std::uint32_t>(sc.tcp_keepalive_intvl);
    const std::uint32_t probes = options_.keepalive_probes != 0
                                     ? options_.keepalive_probes
                                     : static_cast<std::uint32_t>(sc.tcp_keepalive_probes);
    // It is alive without keepalive while something is in flight or queued.
    if (snd_una_ != snd_nxt_ || wire::before(snd_nxt_, write_seq_)) {
        keepalive_deadline_ = now + std::chrono::seconds(time_s);
        return;
    }
    host_->timer_fired(*this, TimerKind::kKeepalive);
    const Duration idle = std::min(now - lrcvtime_, now - rcv_tstamp_);
    if (idle >= std::chrono::seconds(time_s)) {
        const bool timed_out =
            options_.user_timeout_ms != 0
                ? (idle >= std::chrono::milliseconds(options_.user_timeout_ms) && probes_out_ > 0)
                : probes_out_ >= probes;
        if (timed_out) {
            send_reset(now);
            write_err(now);
            return;
        }
        mib().inc(Counter::kTcpKeepAlive);
        send_probe(now);
        ++probes_out_;
        keepalive_deadline_ = now + std::chrono::seconds(intvl_s);
    } else {
        keepalive_deadline_ = now + (std::chrono::seconds(time_s) - idle);
    }
}

}  // namespace synack::tcp
