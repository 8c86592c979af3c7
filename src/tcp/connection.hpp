// One TCP connection, sans-IO: it takes events (a segment arrived, a timer is due, the application sends,
// receives, shuts down, closes or aborts), emits segments through its Host, and says when it next needs the
// clock (next_deadline()). Nothing here reads a clock or does I/O; `now` is always an argument.
//
// The protocol follows RFC 9293 §3.10 ("Event Processing") with Linux's refinements; each rule cites the Linux
// function it mirrors. Fields keep RFC 9293's names (snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2, iss, rcv_nxt,
// rcv_wnd, irs) and Linux's where the RFC has none (rcv_wup, write_seq, copied_seq, window_clamp, rcv_ssthresh).
// snd_nxt is Linux's: one past the highest sequence number sent, even while retransmitting.
//
// The work is split by concern: conn_open.cpp (opening and the handshake), conn_input.cpp (segment arrives),
// conn_ack.cpp (ACK processing, RTT), conn_output.cpp (what to send, ACK scheduling, windows),
// conn_timers.cpp (retransmission, delayed ACK, probes, keepalive), conn_close.cpp (FIN, close, abort, reset),
// conn_app.cpp (the application's calls), rfc5961.cpp (challenge ACKs and their checks).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "tcp/byte_ring.hpp"
#include "tcp/congestion.hpp"
#include "tcp/errno.hpp"
#include "tcp/flow.hpp"
#include "tcp/host.hpp"
#include "tcp/ofo_queue.hpp"
#include "tcp/sack_blocks.hpp"
#include "tcp/minmax.hpp"
#include "tcp/request.hpp"
#include "tcp/rtt_estimator.hpp"
#include "tcp/rtx_queue.hpp"
#include "tcp/segment.hpp"
#include "tcp/socket_options.hpp"
#include "tcp/state.hpp"
#include "tcp/tcp_info.hpp"
#include "wire/instant.hpp"
#include "wire/result.hpp"

namespace synack::tcp {

enum class ShutdownHow : std::uint8_t { kRead = 0, kWrite = 1, kBoth = 2 };  // SHUT_RD, SHUT_WR, SHUT_RDWR

// Linux poll bits (include/uapi/asm-generic/poll.h), as tcp_poll() reports them.
namespace poll_bits {
inline constexpr std::uint32_t kIn = 0x0001;
inline constexpr std::uint32_t kPri = 0x0002;
inline constexpr std::uint32_t kOut = 0x0004;
inline constexpr std::uint32_t kErr = 0x0008;
inline constexpr std::uint32_t kHup = 0x0010;
inline constexpr std::uint32_t kRdNorm = 0x0040;
inline constexpr std::uint32_t kWrNorm = 0x0100;
inline constexpr std::uint32_t kRdHup = 0x2000;
}  // namespace poll_bits

// What a connection is created from. The stack picks the ISN (tcp/isn.hpp), the timestamp offset, the random
// flow hash and the first IP ID; tests pass what they like (ISNs just below 2^32, say).
struct ConnectionParams {
    FlowTuple tuple{};
    std::uint32_t mtu = 1500;        // of the route towards the peer
    Seq32 iss{};
    std::uint32_t ts_offset = 0;
    std::uint32_t txhash = 0;        // Linux sk_txhash: the IPv6 flow label comes from it
    std::uint16_t ip_id = 0;         // Linux inet_id: the IPv4 ID of the first segment (then +1 per segment)
    SocketOptions options{};
    // An active open reusing a TIME_WAIT 4-tuple inherits the peer's last timestamp (tcp_twsk_unique()).
    std::uint32_t ts_recent = 0;
    std::uint32_t ts_recent_stamp = 0;
};

class Connection {
public:
    Connection(Host& host, const ConnectionParams& params);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // ---- Opening (conn_open.cpp) ----
    // Active open (RFC 9293 §3.10.1 OPEN, Linux tcp_connect()): SYN_SENT, and the SYN goes out.
    void connect(Instant now);
    // Passive open completing (Linux tcp_create_openreq_child()): a SYN_RECEIVED connection made from a request
    // entry when its third ACK arrives; the caller then hands that ACK to on_segment(), which establishes it.
    void open_from_request(const RequestState& request, Instant now);

    // ---- Events ----
    void on_segment(const Segment& segment, Instant now);  // RFC 9293 §3.10.7 SEGMENT ARRIVES
    void on_timer(Instant now);                             // every deadline at or before now
    std::optional<Instant> next_deadline() const noexcept;

    // ---- The application (conn_app.cpp, conn_close.cpp) ----
    // Queues bytes (RFC 9293 §3.10.2 SEND): how many were taken; EAGAIN when the send buffer is full or the
    // handshake is not done yet, EPIPE after shutdown(SHUT_WR), the pending error otherwise (Linux tcp_sendmsg()).
    Result<std::size_t, Errno> send(wire::Bytes data, Instant now);
    // Reads in order (RFC 9293 §3.10.3 RECEIVE): bytes read, 0 at the end of the stream, EAGAIN when nothing is
    // there yet, the pending error once (ECONNRESET…), ENOTCONN when never connected (Linux tcp_recvmsg()).
    Result<std::size_t, Errno> recv(wire::MutableBytes out, Instant now);
    Result<void, Errno> shutdown(ShutdownHow how, Instant now);
    // RFC 9293 §3.10.4 CLOSE with Linux's __tcp_close(): FIN (or RST when received data was left unread); the
    // connection becomes an orphan the stack reaps when it reaches CLOSED or TIME_WAIT.
    void close(Instant now);
    // RFC 9293 §3.10.5 ABORT, Linux tcp_disconnect() (SO_LINGER with l_linger 0): RST when synchronized.
    void abort(Instant now);

    // ---- Queries ----
    State state() const noexcept { return state_; }
    const FlowTuple& tuple() const noexcept { return tuple_; }
    bool orphaned() const noexcept { return orphaned_; }
    // The pending socket error (SO_ERROR), cleared by reading it.
    Errno take_error() noexcept;
    Errno pending_error() const noexcept { return error_; }
    std::uint32_t poll() const noexcept;
    std::size_t readable_bytes() const noexcept { return rcv_buf_.size(); }
    std::uint32_t ofo_ranges() const noexcept { return ofo_.size(); }  // disjoint out-of-order ranges held
    std::size_t unsent_bytes() const noexcept;
    std::size_t send_queue_bytes() const noexcept { return snd_buf_.size(); }
    std::size_t send_buffer_space() const noexcept;
    TcpInfo info(Instant now) const noexcept;
    const SocketOptions& options() const noexcept { return options_; }
    SocketOptions& options() noexcept { return options_; }
    bool holds_buffer_memory() const noexcept {
        return snd_buf_.has_buffer() || rcv_buf_.has_buffer() || rtx_.has_buffer();
    }

    // For the stack's IP layer: the IPv4 ID for the next segment (Linux inet_id, +1 per segment) and the flow
    // hash the IPv6 flow label derives from.
    std::uint16_t take_ip_id() noexcept { return ip_id_++; }
    std::uint32_t txhash() const noexcept { return txhash_; }

    // Sequence variables, for tests, time-wait entries and TCP_INFO.
    Seq32 snd_una() const noexcept { return snd_una_; }
    Seq32 snd_nxt() const noexcept { return snd_nxt_; }
    std::uint32_t snd_wnd() const noexcept { return snd_wnd_; }
    Seq32 snd_wl1() const noexcept { return snd_wl1_; }
    Seq32 snd_wl2() const noexcept { return snd_wl2_; }
    Seq32 iss() const noexcept { return iss_; }
    Seq32 irs() const noexcept { return irs_; }
    Seq32 rcv_nxt() const noexcept { return rcv_nxt_; }
    Seq32 copied_seq() const noexcept { return copied_seq_; }  // the next byte the application reads
    std::uint32_t rcv_wnd() const noexcept { return rcv_wnd_; }
    Seq32 write_seq() const noexcept { return write_seq_; }
    std::uint8_t snd_wscale() const noexcept { return snd_wscale_; }
    std::uint8_t rcv_wscale() const noexcept { return rcv_wscale_; }
    std::uint16_t mss() const noexcept { return mss_cache_; }
    std::uint16_t advmss() const noexcept { return advmss_; }
    bool timestamps_enabled() const noexcept { return tstamp_ok_; }
    bool sack_enabled() const noexcept { return sack_ok_; }
    bool window_scaling_enabled() const noexcept { return wscale_ok_; }
    std::uint32_t ts_recent() const noexcept { return ts_recent_; }
    std::uint32_t ts_recent_stamp() const noexcept { return ts_recent_stamp_; }
    std::uint32_t ts_offset() const noexcept { return ts_offset_; }
    std::uint32_t rto_ms() const noexcept { return rto_ms_; }
    std::uint32_t snd_cwnd() const noexcept { return cw_.cwnd; }
    std::uint32_t snd_ssthresh() const noexcept { return cw_.ssthresh; }
    // The scoreboard (Linux tp->packets_out, sacked_out, lost_out, retrans_out) and the recovery state.
    std::uint32_t packets_out() const noexcept { return packets_out_; }
    std::uint32_t sacked_out() const noexcept { return sacked_out_; }
    std::uint32_t lost_out() const noexcept { return lost_out_; }
    std::uint32_t retrans_out() const noexcept { return retrans_out_; }
    std::uint32_t packets_in_flight() const noexcept;  // Linux tcp_packets_in_flight()
    CaState ca_state() const noexcept { return ca_state_; }
    std::uint32_t reordering() const noexcept { return reordering_; }
    std::uint32_t window_clamp() const noexcept { return window_clamp_; }
    std::uint32_t rcv_ssthresh() const noexcept { return rcv_ssthresh_; }
    // The window the next segment would offer, unscaled (Linux tcp_receive_window() before selection).
    std::uint32_t receive_window() const noexcept;

    // A connection that reached TIME_WAIT, or an orphan that reached FIN_WAIT_2, hands its 4-tuple over to a
    // compact time-wait entry (Linux tcp_time_wait()); the stack makes the entry and lets the connection go.
    struct TimeWaitHandoff {
        bool fin_wait2 = false;  // the entry still waits for the peer's FIN (substate FIN_WAIT_2)
        Duration timeout{};
    };
    const std::optional<TimeWaitHandoff>& time_wait_handoff() const noexcept { return tw_handoff_; }
    // After the handoff the connection itself is CLOSED (Linux tcp_done() after tcp_time_wait()).
    void complete_time_wait_handoff(Instant now);

private:
    // conn_open.cpp
    void send_syn(Instant now, bool retransmission);
    void synsent_state_process(const Segment& seg, Instant now);
    void finish_connect(const Segment& seg, Instant now);
    void synrecv_to_established(const Segment& seg, Instant now);
    void init_transfer(Instant now);
    void sync_mss() noexcept;
    void init_rcv_mss() noexcept;
    OutOptions syn_options(Instant now) const noexcept;

    // conn_input.cpp
    bool validate_incoming(const Segment& seg, Instant now);
    DropReason sequence_check(const Segment& seg) const noexcept;
    void process_text(const Segment& seg, Instant now);
    void queue_out_of_order(const Segment& seg, Instant now);
    void ofo_queue(Instant now);
    std::size_t ofo_extent() const noexcept;
    void store_ts_recent(const Segment& seg, Instant now) noexcept;
    void update_ts_recent(const Segment& seg, Instant now) noexcept;
    void reset_received(Instant now);
    void on_fin(Instant now);
    void purge_ofo() noexcept;                                  // tcp_fin()/tcp_disconnect(): skb_rbtree_purge()
    void sack_new_ofo(Seq32 seq, Seq32 end_seq, Instant now);  // tcp_sack_new_ofo_skb()
    bool prune_ofo(Seq32 seq) noexcept;                         // tcp_prune_ofo_queue()
    void rcv_rtt_measure_ts(const Segment& seg, Instant now) noexcept;
    void rcv_rtt_measure(Instant now) noexcept;
    void rcv_rtt_update(std::uint32_t sample_us, bool win_dep) noexcept;
    void urg(const Segment& seg);                               // tcp_urg(), tcp_check_urg()
    void comp_sack_timer(Instant now);                          // tcp_compressed_ack_kick()
    void sack_compress_send_ack(Instant now);
    void grow_window_ofo(std::size_t len) noexcept;
    std::uint32_t current_mss() const noexcept;  // conn_ofo.cpp: tcp_current_mss(), less room with SACK blocks
    std::size_t urgent_at_head() const noexcept;                           // conn_urg.cpp
    std::size_t copy_received(wire::MutableBytes out, bool peek) noexcept;  // conn_urg.cpp

    // conn_ack.cpp
    enum AckResult : int { kAckOld = 0, kAckOk = 1, kAckInvalid = -1 };
    struct SackState;  // conn_sack.cpp: what one ACK's SACK blocks did (Linux struct tcp_sacktag_state)
    int process_ack(const Segment& seg, Instant now, bool update_ts);
    bool may_update_window(Seq32 ack, Seq32 seq, std::uint32_t nwin) const noexcept;
    bool update_window(const Segment& seg) noexcept;
    std::uint32_t clean_rtx_queue(Seq32 prior_snd_una, Seq32 prior_fack, SackState& sack, Instant now);
    bool ack_update_rtt(std::uint32_t flag, std::int64_t seq_rtt_us, std::int64_t sack_rtt_us,
                        std::int64_t ca_rtt_us, Instant now) noexcept;
    void rtt_sample(std::int64_t us, Instant now) noexcept;  // a handshake sample (Linux FLAG_SYN_ACKED)
    void set_rto() noexcept;
    std::uint32_t min_rtt_us() const noexcept { return rtt_min_.get(); }
    std::uint32_t min_rtt_window_ms() const noexcept {
        return static_cast<std::uint32_t>(sysctls().tcp_min_rtt_wlen) * 1000;  // net.ipv4.tcp_min_rtt_wlen
    }

    // conn_sack.cpp: the SACK scoreboard (RFC 2018, RFC 2883; Linux tcp_sacktag_write_queue())
    std::uint32_t sacktag_write_queue(const Segment& seg, Seq32 prior_snd_una, SackState& state);
    bool check_dsack(const Segment& seg, Seq32 prior_snd_una, SackState& state);
    bool sack_block_valid(bool dsack, Seq32 start, Seq32 end) const noexcept;
    void sacktag_one(SackState& state, TxRecord& r, bool dup_sack);
    void check_sack_reordering(Seq32 low_seq);
    Seq32 highest_sack_seq() const noexcept;

    // conn_recovery.cpp: loss detection (RACK, RFC 8985; NewReno, RFC 6582) and recovery (RFC 6937 PRR,
    // RFC 5681), Linux tcp_fastretrans_alert() and its helpers
    void fastretrans_alert(Seq32 prior_snd_una, std::uint32_t num_dupack, std::uint32_t& flag, bool& rexmit);
    void identify_packet_loss(std::uint32_t& flag);
    bool rack_mark_lost();
    void rack_detect_loss(std::uint32_t& reo_timeout_us);
    void rack_advance(std::uint8_t flags, Seq32 end_seq, std::uint64_t xmit_us) noexcept;
    void rack_reo_timeout(Instant now);
    void rack_update_reo_wnd(std::uint32_t rate_prior_delivered) noexcept;
    std::int64_t rack_skb_timeout(const TxRecord& r, std::uint32_t reo_wnd) const noexcept;
    std::uint32_t rack_reo_wnd() const noexcept;
    void newreno_mark_lost(bool snd_una_advanced);
    void mark_lost(TxRecord& r) noexcept;
    void add_reno_sack(std::uint32_t num_dupack);
    void remove_reno_sacks(std::uint32_t acked);
    void check_reno_reordering(std::uint32_t addend);
    bool limit_reno_sacked() noexcept;
    void enter_recovery();
    void init_cwnd_reduction() noexcept;
    void cwnd_reduction(std::uint32_t newly_acked_sacked, std::uint32_t newly_lost, std::uint32_t flag) noexcept;
    void end_cwnd_reduction() noexcept;
    void try_to_open(std::uint32_t flag) noexcept;
    bool try_undo_recovery() noexcept;
    void process_loss(std::uint32_t flag, std::uint32_t num_dupack, bool& rexmit);
    void cong_control(std::uint32_t acked_sacked, std::uint32_t newly_lost, std::uint32_t flag) noexcept;
    void xmit_retransmit_queue(Instant now);
    bool retransmit_record(std::uint32_t index, Instant now);
    void timeout_mark_lost() noexcept;
    bool in_cwnd_reduction() const noexcept { return ca_state_ == CaState::kCwr || ca_state_ == CaState::kRecovery; }
    bool any_retrans_done() const noexcept;
    void clear_rtx_queue() noexcept;
    std::uint64_t now_us() const noexcept {
        return static_cast<std::uint64_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now_.time_since_epoch()).count());
    }

    // conn_output.cpp
    void push(Instant now, bool nagle_off = false);
    void transmit_segment(Seq32 seq, std::uint32_t len, bool fin, bool psh, Instant now, bool retransmission);
    void transmit_new(std::uint32_t len, bool fin, bool psh, Instant now);
    void emit(OutSegment& segment, Instant now, bool counts_as_new);
    void send_ack(Instant now);
    void send_dupack(const Segment& seg, Instant now);
    void send_reset(Instant now);
    void send_probe(Instant now);  // an ACK with SEG.SEQ = SND.UNA - 1 (zero-window and keepalive probes)
    OutOptions established_options(Instant now) const noexcept;
    void dsack_set(Seq32 start, Seq32 end) noexcept;
    void dsack_extend(Seq32 start, Seq32 end) noexcept;
    Seq32 acceptable_seq() const noexcept;
    std::uint16_t select_window() noexcept;
    std::uint32_t compute_select_window() const noexcept;
    void ack_sent() noexcept;
    void ack_snd_check(Instant now);
    void schedule_ack(Instant now);
    void schedule_delayed_ack(Instant now);
    void enter_quickack(std::uint32_t max_quickacks) noexcept;
    void incr_quickack(std::uint32_t max_quickacks) noexcept;
    bool in_quickack_mode() const noexcept;
    bool in_pingpong() const noexcept;
    void event_data_recv(const Segment& seg, std::size_t len, Instant now);
    void event_data_sent(Instant now);
    void rearm_rto(Instant now);
    std::uint32_t rcv_space_bytes() const noexcept;  // window-worth of free receive buffer (tcp_space)
    std::uint32_t full_space() const noexcept;       // window-worth of the receive buffer (tcp_full_space)
    std::size_t rcv_buffer_limit() const noexcept;
    std::uint32_t rcvbuf() const noexcept;
    std::uint32_t sndbuf() const noexcept;
    void sndbuf_expand() noexcept;
    Seq32 data_end() const noexcept;                 // one past the last byte of data queued

    // conn_timers.cpp
    void retransmit_timer(Instant now);
    void probe_timer(Instant now);
    void delack_timer(Instant now);
    void keepalive_timer(Instant now);
    bool write_timeout(Instant now);
    bool retransmits_timed_out(std::uint32_t boundary, std::uint32_t timeout_ms, Instant now) const noexcept;
    void write_err(Instant now);
    void enter_loss() noexcept;
    void reset_keepalive(Instant now) noexcept;
    void send_probe0(Instant now);

    // conn_nagle.cpp: Linux's tcp_nagle_test() and what TCP_CORK, MSG_MORE and TCP_NODELAY change in it
    bool nagle_test(std::uint32_t len, std::uint32_t mss, bool fin, bool nagle, Instant now);
    bool write_wakeup(Instant now);
    void slow_start_after_idle_check(Instant now) noexcept;
    std::uint32_t notsent_lowat() const noexcept;
    void apply_option_effects(Instant now);  // conn_app.cpp

    // conn_close.cpp
    void set_state(State to);
    void done(Instant now);
    void done_with_error(Errno err, Instant now);
    void send_fin(Instant now);
    bool close_state() noexcept;
    Duration fin_time() const noexcept;
    void time_wait(bool fin_wait2, Duration timeout, Instant now);

    // rfc5961.cpp
    void send_challenge_ack(Instant now);
    bool reset_check(const Segment& seg) const noexcept;
    DropReason disordered_ack_check(const Segment& seg) const noexcept;

    void notify(std::uint8_t events) { host_->notify(*this, events); }
    void drop(DropReason reason) { host_->dropped(*this, reason); }
    const TcpSysctls& sysctls() const noexcept { return host_->sysctls(); }
    Mib& mib() noexcept { return host_->mib(); }
    std::uint32_t ts_now(Instant now) const noexcept;

    // ---- Hot: RFC 9293 §3.3.1 sequence variables ----
    Seq32 snd_una_{};
    Seq32 snd_nxt_{};
    Seq32 snd_wl1_{};
    Seq32 snd_wl2_{};
    std::uint32_t snd_wnd_ = 0;      // scaled
    Seq32 write_seq_{};              // one past the last byte queued (the FIN included once queued)
    Seq32 rcv_nxt_{};
    Seq32 rcv_wup_{};                // rcv_nxt when the window was last offered
    std::uint32_t rcv_wnd_ = 0;      // the window last offered, unscaled
    Seq32 copied_seq_{};             // the next byte the application reads
    Seq32 iss_{};
    Seq32 irs_{};
    Seq32 snd_buf_seq_{};            // the sequence number of the send ring's first byte
    Seq32 snd_sml_{};                // end of the last small segment sent (Nagle, Minshall's variant)
    bool nagle_push_ = false;        // Linux TCP_NAGLE_PUSH: set by TCP_NODELAY, cleared by the next new skb
    bool msg_more_ = false;          // this push comes from a send() with MSG_MORE (TCP_NAGLE_CORK for it)
    std::uint32_t probes_tstamp_ = 0;  // icsk_probes_tstamp: ms_of() of the first zero-window probe (0: none)
    Seq32 high_seq_{};               // snd_nxt when recovery or loss began: it ends when this is ACKed
    State state_ = State::kClosed;
    std::uint8_t snd_wscale_ = 0;
    std::uint8_t rcv_wscale_ = 0;
    bool wscale_ok_ = false;
    bool tstamp_ok_ = false;
    bool sack_ok_ = false;
    bool fin_queued_ = false;        // a FIN is in the write queue (at write_seq - 1)
    CaState ca_state_ = CaState::kOpen;  // Linux icsk_ca_state
    std::uint16_t mss_cache_ = 0;    // payload of a full segment we send
    std::uint16_t mss_clamp_ = 0;    // the peer's MSS (rx_opt.mss_clamp)
    std::uint16_t advmss_ = 0;       // the MSS we announce (less the timestamp option once established)
    std::uint16_t rcv_mss_ = 0;      // icsk_ack.rcv_mss: the segment size we think the peer sends
    std::uint32_t window_clamp_ = 0;
    std::uint32_t rcv_ssthresh_ = 0;
    std::uint32_t max_window_ = 0;
    CongestionWindow cw_{};          // snd_cwnd, snd_ssthresh, snd_cwnd_cnt, prior_cwnd
    const CongestionOps* ca_ops_ = &reno_ops();
    std::uint32_t max_packets_out_ = 0;  // Linux tcp_cwnd_validate(): the most in flight this window …
    bool is_cwnd_limited_ = false;       // … and whether the congestion window limited it
    Seq32 cwnd_usage_seq_{};

    // ---- Timestamps (RFC 7323) ----
    std::uint32_t ts_recent_ = 0;
    std::uint32_t ts_recent_stamp_ = 0;   // seconds_of() when ts_recent was taken; 0: never
    std::uint32_t ts_offset_ = 0;
    std::uint32_t rcv_tsval_ = 0;         // of the segment being processed
    std::uint32_t rcv_tsecr_ = 0;
    bool saw_tstamp_ = false;
    std::uint32_t last_oow_ack_time_ = 0;  // tcp_invalid_ratelimit (ms + 1; 0: never)

    // ---- The retransmission queue and its scoreboard (Linux tcp_rtx_queue, packets_out …) ----
    RtxQueue rtx_;
    std::uint32_t packets_out_ = 0;
    std::uint32_t sacked_out_ = 0;   // SACKed segments, or duplicate ACKs counted for a peer without SACK
    std::uint32_t lost_out_ = 0;
    std::uint32_t retrans_out_ = 0;  // retransmissions in flight
    std::uint32_t delivered_ = 0;    // segments delivered (ACKed or SACKed) in all (tp->delivered)
    std::uint32_t lost_ = 0;         // segments ever marked lost (tp->lost)
    std::uint32_t prr_delivered_ = 0;  // RFC 6937 PRR: delivered and sent since recovery began
    std::uint32_t prr_out_ = 0;
    std::uint32_t reordering_ = 3;   // tp->reordering: the reordering degree seen, in segments
    std::uint32_t reord_seen_ = 0;
    std::uint32_t dsack_dups_ = 0;   // segments reported duplicate by D-SACKs (tp->dsack_dups)
    Seq32 highest_sack_{};           // start of the highest SACKed segment (when sacked_out_ != 0)
    Instant now_{};                  // tp->tcp_mstamp: the time of the event being processed
    // RACK (RFC 8985): the most recently sent segment that was delivered, and the reordering window.
    std::uint64_t rack_mstamp_us_ = 0;
    Seq32 rack_end_seq_{};
    std::uint32_t rack_rtt_us_ = 0;
    std::uint8_t rack_reo_wnd_steps_ = 1;   // the reordering window in quarters of min_rtt, grown by D-SACKs
    std::uint8_t rack_reo_wnd_persist_ = 0;  // recoveries the grown window is kept for
    bool rack_advanced_ = false;
    bool rack_dsack_seen_ = false;
    std::uint32_t rack_last_delivered_ = 0;  // delivered_ when the window last grew
    bool reo_timer_ = false;         // rto_deadline_ is RACK's reordering timer (ICSK_TIME_REO_TIMEOUT)
    WindowedMin rtt_min_;            // tp->rtt_min over tcp_min_rtt_wlen

    // ---- Retransmission ----
    RttEstimator rtt_;
    Seq32 rtt_seq_{};                // a timed segment ends here (one RTT sample per flight, Karn's rule)
    Instant rtt_time_{};
    bool rtt_timing_ = false;
    std::uint32_t rto_ms_ = 1000;    // icsk_rto (TCP_TIMEOUT_INIT)
    std::uint8_t backoff_ = 0;       // icsk_backoff
    std::uint8_t retransmits_ = 0;   // icsk_retransmits: RTOs since the last forward progress
    std::uint8_t probes_out_ = 0;    // icsk_probes_out (zero-window and keepalive probes unanswered)
    std::uint16_t total_rto_ = 0;    // tp->total_rto (drives tcp_syn_linear_timeouts)
    std::uint32_t total_retrans_ = 0;
    std::uint32_t retrans_stamp_ = 0;  // TS clock (ms, no offset) of the first (re)transmission being waited on
    Instant lsndtime_{};             // last data sent
    Instant rcv_tstamp_{};           // last ACK received (keepalive idle time)
    Instant lrcvtime_{};             // icsk_ack.lrcvtime: last data received

    // ---- Delayed ACK (Linux icsk_ack) ----
    std::uint8_t ack_pending_ = 0;   // kAckSched | kAckTimer | kAckPushed | kAckNow
    std::uint8_t ack_quick_ = 0;     // ACKs still sent at once (quick ACK mode)
    std::uint8_t pingpong_ = 0;      // interactive exchanges seen (≥ tcp_pingpong_thresh: delay ACKs)
    std::uint32_t ato_ms_ = 0;       // 0 until the first data arrives

    // ---- Deadlines (one timer in the stack's wheel serves them all) ----
    std::optional<Instant> rto_deadline_;      // retransmission or zero-window probe
    bool probe_timer_ = false;                 // rto_deadline_ is the zero-window probe timer
    std::optional<Instant> delack_deadline_;
    std::optional<Instant> keepalive_deadline_;  // keepalive, or the FIN_WAIT_2 timeout of an orphan

    // ---- Buffers: allocated while they hold data ----
    ByteRing snd_buf_;
    ByteRing rcv_buf_;
    struct Interval {
        Seq32 start{};
        Seq32 end{};
    };
    OfoQueue ofo_;                   // out-of-order ranges beyond rcv_nxt, their bytes held in rcv_buf_
    SackBlocks sacks_;               // tp->selective_acks[]: the SACK blocks we report (RFC 2018)
    bool ofo_fin_ = false;           // an out-of-order segment carried the FIN, at ofo_fin_seq_
    Seq32 ofo_fin_seq_{};
    Interval dsack_{};               // a duplicate to report once (RFC 2883)
    std::uint8_t dsack_count_ = 0;
    // SACK compression (Linux tp->compressed_ack, dup_ack_counter, compressed_ack_rcv_nxt, compressed_ack_timer)
    std::uint8_t compressed_ack_ = 0;
    std::uint8_t dup_ack_counter_ = 0;
    Seq32 compressed_ack_rcv_nxt_{};
    std::optional<Instant> comp_sack_deadline_;
    // The receiver's RTT estimate (Linux tp->rcv_rtt_est, tcp_rcv_rtt_measure*()), µs × 8; 0: none yet
    std::uint32_t rcv_rtt_us8_ = 0;
    Seq32 rcv_rtt_seq_{};
    Instant rcv_rtt_time_{};
    bool rcv_rtt_started_ = false;
    std::uint32_t rcv_rtt_last_tsecr_ = 0;
    // Urgent data (Linux tp->urg_data, tp->urg_seq): kUrgNotYet until the byte arrives, then kUrgValid | byte
    std::uint16_t urg_data_ = 0;
    Seq32 urg_seq_{};
    std::uint32_t sndbuf_ = 0;       // bytes the send queue may hold (sk_sndbuf)

    // ---- Application side ----
    std::uint8_t shutdown_ = 0;      // kRcvShutdown | kSendShutdown (Linux sk_shutdown)
    bool orphaned_ = false;          // close()d: nobody reads or writes any more (SOCK_DEAD)
    bool done_flag_ = false;         // the peer's FIN was received (SOCK_DONE)
    bool ever_connected_ = false;
    bool active_open_ = false;       // connect()ed (Linux: the socket has a user, sk->sk_socket)
    bool connected_notified_ = false;
    Errno error_ = Errno::kOk;       // sk_err
    std::uint16_t ip_id_ = 0;
    std::uint32_t txhash_ = 0;
    std::optional<TimeWaitHandoff> tw_handoff_;

    // ---- Counters for TCP_INFO ----
    std::uint64_t bytes_acked_ = 0;
    std::uint64_t bytes_received_ = 0;
    std::uint64_t bytes_sent_ = 0;
    std::uint64_t bytes_retrans_ = 0;
    std::uint32_t segs_in_ = 0;
    std::uint32_t segs_out_ = 0;
    std::uint32_t data_segs_in_ = 0;
    std::uint32_t data_segs_out_ = 0;
    Instant last_data_recv_{};
    Instant last_ack_recv_{};

    FlowTuple tuple_;
    std::uint32_t mtu_ = 1500;
    SocketOptions options_;
    Host* host_;
};

}  // namespace synack::tcp
