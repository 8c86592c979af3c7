// Closing: state changes and their counters (Linux tcp_set_state()), the end of a connection (tcp_done()),
// FIN (RFC 9293 §3.10.4, tcp_send_fin(), tcp_close_state()), close() (__tcp_close()), shutdown()
// (inet_shutdown(), tcp_shutdown()), abort (RFC 9293 §3.10.5, tcp_disconnect()), and the handoff to a
// time-wait entry (tcp_time_wait()).
#include <algorithm>

#include "tcp/connection.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kRcvShutdown = 1;
constexpr std::uint8_t kSendShutdown = 2;
constexpr std::uint8_t kShutdownMask = 3;
}  // namespace

// Linux tcp_set_state(): CurrEstab counts ESTABLISHED and CLOSE_WAIT; EstabResets counts their ends in CLOSED.
void Connection::set_state(State to) {
    const State from = state_;
    if (from == to) return;
    Mib& m = mib();
    if (to == State::kEstablished) {
        m.inc(Counter::kCurrEstab);
    } else if (to == State::kCloseWait) {
        if (from == State::kSynReceived) m.inc(Counter::kCurrEstab);
    } else {
        if (to == State::kClosed && (from == State::kEstablished || from == State::kCloseWait)) {
            m.inc(Counter::kEstabResets);
        }
        if (from == State::kEstablished || from == State::kCloseWait) m.dec(Counter::kCurrEstab);
    }
    state_ = to;
    host_->state_changed(*this, from, to);
}

// Linux tcp_done().
void Connection::done(Instant now) {
    (void)now;
    if (state_ == State::kSynSent || state_ == State::kSynReceived) mib().inc(Counter::kAttemptFails);
    set_state(State::kClosed);
    rto_deadline_.reset();
    probe_timer_ = false;
    delack_deadline_.reset();
    keepalive_deadline_.reset();
    ack_pending_ = 0;
    shutdown_ = kShutdownMask;
    if (!orphaned_) {
        notify(event::kClosed | event::kReadable | event::kWritable | (error_ != Errno::kOk ? event::kError : 0));
    }
}

// Linux tcp_done_with_error(): the error for the application, the send queue dropped, the connection over.
void Connection::done_with_error(Errno err, Instant now) {
    error_ = err;
    snd_buf_seq_ += snd_buf_.size();
    snd_buf_.release(host_->buffers());
    clear_rtx_queue();
    done(now);
}

// Linux tcp_fin_time(): how long an orphan waits in FIN_WAIT_2 — TCP_LINGER2 or tcp_fin_timeout, at least
// 3.5 RTOs.
Duration Connection::fin_time() const noexcept {
    const std::int64_t fin_timeout_ms =
        (options_.linger2 > 0 ? options_.linger2 : sysctls().tcp_fin_timeout) * std::int64_t{1000};
    const std::int64_t rto = rto_ms_;
    return std::chrono::milliseconds(std::max(fin_timeout_ms, (rto << 2) - (rto >> 1)));
}

// Linux tcp_time_wait(): hand the 4-tuple to a time-wait entry, TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN), or
// FIN_WAIT_2 for `timeout` (at least 3.5 RTOs) while the orphan waits for the peer's FIN.
void Connection::time_wait(bool fin_wait2, Duration timeout, Instant now) {
    (void)now;
    const std::int64_t rto = rto_ms_;
    const Duration rto_35 = std::chrono::milliseconds((rto << 2) - (rto >> 1));
    if (timeout < rto_35) timeout = rto_35;
    if (!fin_wait2) timeout = kTimeWaitLen;
    tw_handoff_ = TimeWaitHandoff{fin_wait2, timeout};
    if (!fin_wait2) set_state(State::kTimeWait);
    rto_deadline_.reset();
    probe_timer_ = false;
    delack_deadline_.reset();
    keepalive_deadline_.reset();
}

void Connection::complete_time_wait_handoff(Instant now) {
    (void)now;
    state_ = State::kClosed;  // the entry carries on in TIME_WAIT (or FIN_WAIT_2); no transition to trace here
    tw_handoff_.reset();      // handed over once: a socket the application still holds must not make another
    shutdown_ = kShutdownMask;
    if (!orphaned_) notify(event::kClosed | event::kReadable);
}

// Linux tcp_close_state(): the state close() leads to, and whether a FIN must be sent.
bool Connection::close_state() noexcept {
    switch (state_) {
        case State::kEstablished:
        case State::kSynReceived:
            set_state(State::kFinWait1);
            return true;
        case State::kCloseWait:
            set_state(State::kLastAck);
            return true;
        case State::kSynSent:
        case State::kTimeWait:
        case State::kListen:
            set_state(State::kClosed);
            return false;
        default:
            return false;  // FIN_WAIT_1/2, CLOSING, LAST_ACK: the FIN is on its way; CLOSED stays
    }
}

// Linux tcp_send_fin(): the FIN joins the queue (riding on the last data if unsent: [FP.]) and goes out now,
// Nagle or not.
void Connection::send_fin(Instant now) {
    if (fin_queued_) return;
    fin_queued_ = true;
    write_seq_ += 1;
    push(now, true);
}

// Linux __tcp_close() with a zero timeout.
void Connection::close(Instant now) {
    if (orphaned_) return;
    shutdown_ = kShutdownMask;
    // Unread data is tossed, and then RFC 2525 §2.17: a reset tells the peer its data was lost.
    const std::size_t unread = rcv_buf_.size();
    rcv_buf_.release(host_->buffers());
    purge_ofo();
    if (state_ == State::kClosed) {
        // Already reset or never connected.
    } else if (unread != 0) {
        mib().inc(Counter::kTcpAbortOnClose);
        set_state(State::kClosed);
        send_reset(now);
    } else if (close_state()) {
        send_fin(now);
    }
    orphaned_ = true;
    if (state_ == State::kFinWait2) {
        if (options_.linger2 < 0) {
            set_state(State::kClosed);
            send_reset(now);
            mib().inc(Counter::kTcpAbortOnLinger);
        } else {
            const Duration tmo = fin_time();
            if (tmo > kTimeWaitLen) {
                keepalive_deadline_ = now + (tmo - kTimeWaitLen);
            } else {
                time_wait(true, tmo, now);
                return;
            }
        }
    }
    if (state_ == State::kClosed) {
        rto_deadline_.reset();
        probe_timer_ = false;
        delack_deadline_.reset();
        keepalive_deadline_.reset();
    }
}

// close() with SO_LINGER {1, 0}: __tcp_close() then tcp_disconnect() — RFC 9293 §3.10.5 ABORT.
void Connection::abort(Instant now) {
    if (orphaned_) return;
    shutdown_ = kShutdownMask;
    const std::size_t unread = rcv_buf_.size();
    rcv_buf_.release(host_->buffers());
    purge_ofo();
    const State old = state_;
    if (old == State::kClosed) {
        // nothing to tell the peer
    } else if (unread != 0) {
        mib().inc(Counter::kTcpAbortOnClose);
        set_state(State::kClosed);
        send_reset(now);
    } else {
        mib().inc(Counter::kTcpAbortOnLinger);
        set_state(State::kClosed);
        // Linux tcp_need_reset(): synchronized states (and SYN_RECEIVED) are told with a reset.
        const bool need_reset = old == State::kEstablished || old == State::kCloseWait || old == State::kFinWait1 ||
                                old == State::kFinWait2 || old == State::kSynReceived;
        if (need_reset || (snd_nxt_ != write_seq_ && (old == State::kClosing || old == State::kLastAck))) {
            send_reset(now);
        }
    }
    snd_buf_seq_ += snd_buf_.size();
    snd_buf_.release(host_->buffers());
    clear_rtx_queue();
    orphaned_ = true;
    rto_deadline_.reset();
    probe_timer_ = false;
    delack_deadline_.reset();
    keepalive_deadline_.reset();
}

// Linux inet_shutdown() and tcp_shutdown().
Result<void, Errno> Connection::shutdown(ShutdownHow how, Instant now) {
    const std::uint8_t bits = static_cast<std::uint8_t>(static_cast<std::uint8_t>(how) + 1);
    switch (state_) {
        case State::kSynSent:
            // Linux disconnects an attempt in progress (tcp_disconnect()): no segment, the attempt is over.
            set_state(State::kClosed);
            error_ = Errno::kConnReset;
            rto_deadline_.reset();
            shutdown_ |= bits;
            notify(event::kClosed | event::kError);
            return {};
        case State::kClosed:
            shutdown_ |= bits;
            return Err{Errno::kNotConn};
        default:
            break;
    }
    shutdown_ |= bits;
    if ((bits & kSendShutdown) != 0 &&
        (state_ == State::kEstablished || state_ == State::kSynReceived || state_ == State::kCloseWait)) {
        if (close_state()) send_fin(now);
    }
    if ((bits & kRcvShutdown) != 0) notify(event::kReadable);
    return {};
}

}  // namespace synack::tcp
