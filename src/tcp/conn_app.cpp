// The application's side of a connection: SEND and RECEIVE (RFC 9293 §3.10.2, §3.10.3) with Linux's errors
// (tcp_sendmsg_locked(), tcp_recvmsg_locked(), tcp_cleanup_rbuf()), poll (tcp_poll()) and TCP_INFO
// (tcp_get_info()).
#include <algorithm>

#include "tcp/connection.hpp"
#include "tcp/timing.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kRcvShutdown = 1;
constexpr std::uint8_t kSendShutdown = 2;
constexpr std::uint8_t kShutdownMask = 3;
constexpr std::uint8_t kAckSched = 1;
constexpr std::uint8_t kAckPushed = 4;
constexpr std::uint8_t kAckPushed2 = 16;
}  // namespace

Errno Connection::take_error() noexcept {
    const Errno e = error_;
    error_ = Errno::kOk;
    return e;
}

// Linux tcp_sendmsg_locked() for a non-blocking socket.
Result<std::size_t, Errno> Connection::send(wire::Bytes data, Instant now) {
    if (options_.option_effects != 0 && data.empty()) {
        apply_option_effects(now);
        return std::size_t{0};
    }
    const bool more = options_.more_next_send;
    options_.more_next_send = false;
    // sk_stream_wait_connect(): not connected yet (EAGAIN), or never again (EPIPE).
    if (state_ != State::kEstablished && state_ != State::kCloseWait) {
        if (error_ != Errno::kOk) return Err{take_error()};
        if (state_ == State::kSynSent || state_ == State::kSynReceived) return Err{Errno::kAgain};
        return Err{Errno::kPipe};
    }
    if (error_ != Errno::kOk) return Err{take_error()};
    if ((shutdown_ & kSendShutdown) != 0) return Err{Errno::kPipe};
    if (data.empty()) return std::size_t{0};  // nothing to copy: 0, full buffer or not
    // SO_SNDBUF set after the connection was made takes effect here (Linux sets sk_sndbuf at once).
    if (options_.sndbuf != 0) sndbuf_ = options_.sndbuf;
    // sk_stream_memory_free(): take what the send buffer has room for. (Linux also stops at the not-sent
    // low-water mark, tcp_stream_memory_free(), but only when a new skb is needed: bytes appended to the unsent
    // tail skb are always taken. synack has no skb boundaries and takes them all; poll() applies the mark.)
    const std::size_t room = send_buffer_space();
    if (room == 0) return Err{Errno::kAgain};
    const std::size_t n = std::min(room, data.size());
    if (!snd_buf_.reserve(host_->buffers(), snd_buf_.size() + n, std::max<std::size_t>(sndbuf_, 4096))) {
        return Err{Errno::kAgain};
    }
    if (snd_nxt_ == write_seq_) {
        // Nothing unsent: tcp_sendmsg_locked() entails a new skb, and skb_entail() clears TCP_NAGLE_PUSH and
        // restarts the congestion window after idleness.
        nagle_push_ = false;
        slow_start_after_idle_check(now);
    }
    snd_buf_.append(data.first(n));
    write_seq_ += static_cast<std::uint32_t>(n);
    // tcp_push(): MSG_MORE pushes with TCP_NAGLE_CORK (this push only).
    msg_more_ = more;
    push(now);
    msg_more_ = false;
    return n;
}

// What a setsockopt() does to a connection besides storing the value (SocketOptions::option_effects).
void Connection::apply_option_effects(Instant now) {
    const std::uint8_t fx = options_.option_effects;
    options_.option_effects = 0;
    const bool keepalive_state = state_ != State::kClosed && state_ != State::kListen;
    if ((fx & option_effect::kKeepaliveOff) != 0 && keepalive_state) {
        keepalive_deadline_.reset();  // tcp_set_keepalive(sk, 0): inet_csk_delete_keepalive_timer()
    }
    const std::uint32_t keepalive_s = options_.keepalive_time != 0
                                          ? options_.keepalive_time
                                          : static_cast<std::uint32_t>(sysctls().tcp_keepalive_time);
    if ((fx & option_effect::kKeepaliveOn) != 0 && keepalive_state) {
        keepalive_deadline_ = now + std::chrono::seconds(keepalive_s);  // tcp_set_keepalive(sk, 1)
    }
    if ((fx & option_effect::kKeepidle) != 0 && options_.keepalive && keepalive_state) {
        // tcp_sock_set_keepidle_locked(): what is left of the new idle time (keepalive_time_elapsed()).
        const Duration elapsed = std::min(now - lrcvtime_, now - rcv_tstamp_);
        const Duration idle = std::chrono::seconds(keepalive_s);
        keepalive_deadline_ = now + (idle > elapsed ? idle - elapsed : Duration::zero());
    }
    if ((fx & option_effect::kNaglePush) != 0) nagle_push_ = true;
    if ((fx & option_effect::kPush) != 0) push(now);  // tcp_push_pending_frames()
}

// Linux tcp_recvmsg_locked() for a non-blocking socket, then tcp_cleanup_rbuf(). With MSG_PEEK
// (options_.peek_next_recv) the bytes stay queued, and tcp_cleanup_rbuf() runs all the same, as in Linux.
Result<std::size_t, Errno> Connection::recv(wire::MutableBytes out, Instant now) {
    const bool peek = options_.peek_next_recv;
    options_.peek_next_recv = false;
    if (state_ == State::kListen) return Err{Errno::kNotConn};
    const std::size_t available = rcv_buf_.size();
    if (available == 0) {
        if (done_flag_) return std::size_t{0};  // the peer's FIN: end of stream
        if (error_ != Errno::kOk) return Err{take_error()};
        if ((shutdown_ & kRcvShutdown) != 0) return std::size_t{0};
        if (state_ == State::kClosed) return Err{Errno::kNotConn};
        return Err{Errno::kAgain};
    }
    const std::size_t n = copy_received(out, peek);  // conn_urg.cpp: stops at the urgent mark, skips its byte
    if (n == 0 && !out.empty() && !done_flag_) return Err{Errno::kAgain};  // only the urgent byte was there

    // tcp_cleanup_rbuf(): ACK now if one was due and the read emptied the queue, or the window can open a lot.
    if (state_ == State::kClosed || state_ == State::kSynSent) return n;
    bool time_to_ack = false;
    if ((ack_pending_ & kAckSched) != 0) {
        if (rcv_nxt_.distance_from(rcv_wup_) > rcv_mss_ ||
            (n > 0 &&
             ((ack_pending_ & kAckPushed2) != 0 || ((ack_pending_ & kAckPushed) != 0 && !in_pingpong())) &&
             rcv_buf_.size() == 0)) {
            time_to_ack = true;
        }
    }
    if (n > 0 && !time_to_ack && (shutdown_ & kRcvShutdown) == 0) {
        const std::uint32_t rcv_window_now = receive_window();
        if (2 * rcv_window_now <= window_clamp_) {
            const std::uint32_t new_window = compute_select_window();
            if (new_window != 0 && new_window >= 2 * rcv_window_now) time_to_ack = true;
        }
    }
    if (time_to_ack) send_ack(now);
    return n;
}

// Linux tcp_poll().
std::uint32_t Connection::poll() const noexcept {
    using namespace poll_bits;
    std::uint32_t mask = 0;
    if (shutdown_ == kShutdownMask || state_ == State::kClosed) mask |= kHup;
    if ((shutdown_ & kRcvShutdown) != 0) mask |= kIn | kRdNorm | kRdHup;
    if (state_ != State::kSynSent && state_ != State::kSynReceived) {
        if (rcv_buf_.size() > urgent_at_head()) mask |= kIn | kRdNorm;  // the urgent byte is not readable
        if ((urg_data_ & 0x0100) != 0) mask |= kPri;                     // TCP_URG_VALID
        if ((shutdown_ & kSendShutdown) == 0) {
            // sk_stream_is_writeable(): free space at least half of what is queued.
            const std::size_t queued = snd_buf_.size();
            const std::size_t sndbuf = options_.sndbuf != 0 ? options_.sndbuf : sndbuf_;
            // tcp_stream_memory_free(sk, 1): twice the bytes not yet sent below the not-sent low-water mark.
            const bool memory_free = (std::uint64_t{unsent_bytes()} << 1) < notsent_lowat();
            if (sndbuf > queued && sndbuf - queued >= queued / 2 && memory_free) mask |= kOut | kWrNorm;
        } else {
            mask |= kOut | kWrNorm;
        }
    }
    if (error_ != Errno::kOk) mask |= kErr;
    return mask;
}

// Linux tcp_get_info().
TcpInfo Connection::info(Instant now) const noexcept {
    TcpInfo i;
    // Linux's numbering of states (include/net/tcp_states.h).
    constexpr std::uint8_t kLinuxState[] = {7, 10, 2, 3, 1, 4, 5, 8, 11, 9, 6};
    i.tcpi_state = kLinuxState[static_cast<std::size_t>(state_)];
    i.tcpi_ca_state = static_cast<std::uint8_t>(ca_state_);
    i.tcpi_retransmits = retransmits_;
    i.tcpi_probes = probes_out_;
    i.tcpi_backoff = backoff_;
    if (tstamp_ok_) i.tcpi_options |= tcpi_option::kTimestamps;
    if (sack_ok_) i.tcpi_options |= tcpi_option::kSack;
    if (wscale_ok_) {
        i.tcpi_options |= tcpi_option::kWscale;
        i.tcpi_snd_wscale = snd_wscale_ & 0xf;
        i.tcpi_rcv_wscale = rcv_wscale_ & 0xf;
    }
    i.tcpi_delivery_rate_app_limited = 1;  // tp->rate_app_limited: set at birth, no rate sampling here
    i.tcpi_rto = rto_ms_ * 1000;
    i.tcpi_ato = std::min(ato_ms_, kDelackMaxMs) * 1000;  // min(ato, tcp_delack_max()), as Linux 6.x reports it
    i.tcpi_snd_mss = mss_cache_;
    i.tcpi_rcv_mss = rcv_mss_;
    i.tcpi_unacked = packets_out_;
    i.tcpi_sacked = sacked_out_;
    i.tcpi_lost = lost_out_;
    i.tcpi_retrans = retrans_out_;
    auto ago = [&](Instant t) -> std::uint32_t {
        return t == Instant{} || now < t ? 0 : static_cast<std::uint32_t>(to_ms(now - t));
    };
    i.tcpi_last_data_sent = ago(lsndtime_);
    i.tcpi_last_data_recv = ago(last_data_recv_);
    i.tcpi_last_ack_recv = ago(last_ack_recv_);
    i.tcpi_pmtu = mtu_;
    i.tcpi_rcv_ssthresh = rcv_ssthresh_;
    i.tcpi_rtt = rtt_.srtt_us();
    // Before the first sample Linux's mdev_us holds TCP_TIMEOUT_INIT (1 s), and tcpi_rttvar reads a quarter.
    i.tcpi_rttvar = rtt_.has_sample() ? rtt_.mdev_us() : 250000;
    i.tcpi_snd_ssthresh = cw_.ssthresh;
    i.tcpi_snd_cwnd = cw_.cwnd;
    i.tcpi_advmss = advmss_;
    i.tcpi_reordering = reordering_;
    i.tcpi_rcv_space = rcv_wnd_;
    i.tcpi_total_retrans = total_retrans_;
    // sk_pacing_rate stays ~0 (unlimited) until Linux computes one from the first RTT sample; synack does not
    // pace, and after a sample reports 0 (not modelled). sk_max_pacing_rate is ~0 unless SO_MAX_PACING_RATE.
    i.tcpi_pacing_rate = rtt_.has_sample() ? 0 : ~std::uint64_t{0};
    i.tcpi_max_pacing_rate = ~std::uint64_t{0};
    i.tcpi_bytes_acked = bytes_acked_;
    i.tcpi_bytes_received = bytes_received_;
    i.tcpi_segs_out = segs_out_;
    i.tcpi_segs_in = segs_in_;
    i.tcpi_notsent_bytes = static_cast<std::uint32_t>(unsent_bytes());
    i.tcpi_min_rtt = rtt_.has_sample() ? 0 : ~std::uint32_t{0};  // an empty min filter reads ~0; not tracked
    i.tcpi_data_segs_in = data_segs_in_;
    i.tcpi_data_segs_out = data_segs_out_;
    i.tcpi_bytes_sent = bytes_sent_;
    i.tcpi_bytes_retrans = bytes_retrans_;
    i.tcpi_snd_wnd = snd_wnd_;
    i.tcpi_rcv_wnd = rcv_wnd_;
    i.tcpi_total_rto = total_rto_;
    return i;
}

}  // namespace synack::tcp
