// The TCP settings of one stack, named after the Linux sysctls they mirror (Documentation/networking/
// ip-sysctl.rst) and defaulting to Linux's compiled-in values — what a fresh network namespace shows once
// tcp_rmem, tcp_congestion_control and tcp_ecn are set as docs/linux-defaults.md explains. Times keep the
// unit of their sysctl (seconds, milliseconds or microseconds, as the name or comment says).
#pragma once

#include <array>
#include <cstdint>

namespace synack::tcp {

struct TcpSysctls {
    // Opening.
    int tcp_syn_retries = 6;              // SYN retransmissions before connect() fails with ETIMEDOUT …
    int tcp_syn_linear_timeouts = 4;      // … plus this many more at the initial RTO before backoff (Linux 6.5+)
    int tcp_synack_retries = 5;           // SYN-ACK retransmissions of a request entry
    bool tcp_timestamps = true;           // RFC 7323 timestamps offered and accepted
    bool tcp_window_scaling = true;       // RFC 7323 window scale offered and accepted
    bool tcp_sack = true;                 // RFC 2018 SACK-permitted offered and accepted
    int tcp_ecn = 2;                      // Linux's default (accept ECN when asked); synack behaves as 0 for now
    int tcp_min_snd_mss = 48;             // floor of the send MSS whatever the peer announces
    int tcp_syncookies = 1;               // issue 6 (listener queues and cookies) acts on it
    int tcp_max_syn_backlog = 2048;       // memory-dependent in Linux (this value on the reference machines)
    int somaxconn = 4096;                 // net.core.somaxconn: caps listen()'s backlog
    bool tcp_abort_on_overflow = false;   // accept queue full at the third ACK: drop it (false) or reset (true)

    // Buffers (bytes). A fresh namespace copies the host's tcp_rmem; Linux's compiled-in max is 6 MiB, hence
    // window scale 7 in the SYN.
    std::array<int, 3> tcp_rmem = {4096, 131072, 6291456};
    std::array<int, 3> tcp_wmem = {4096, 16384, 4194304};
    int rmem_max = 212992;                // net.core.rmem_max (SK_RMEM_MAX)
    int wmem_max = 212992;                // net.core.wmem_max
    int tcp_app_win = 31;                 // reserve window/2^tcp_app_win (and one MSS) for the application
    bool tcp_workaround_signed_windows = false;
    bool tcp_shrink_window = false;

    // Retransmission (RFC 6298 with Linux's bounds).
    int tcp_rto_min_us = 200000;
    int tcp_rto_max_ms = 120000;
    int tcp_retries1 = 3;
    int tcp_retries2 = 15;
    int tcp_orphan_retries = 0;           // 0 means 8 while the connection is alive (tcp_orphan_retries())

    // Loss detection (RACK, RFC 8985) and reordering.
    int tcp_recovery = 1;                 // bits: 0x2 static reordering window, 0x4 no duplicate-ACK rule
    int tcp_reordering = 3;               // the initial reordering degree (segments)
    int tcp_max_reordering = 300;         // the most it may grow to
    int tcp_min_rtt_wlen = 300;           // seconds of the windowed minimum RTT

    // Closing.
    int tcp_fin_timeout = 60;             // seconds an orphaned FIN_WAIT_2 waits for the peer's FIN
    int tcp_max_tw_buckets = 131072;      // ehash size / 2 in Linux, so memory-dependent; this machine's value
    int tcp_tw_reuse = 2;                 // 0 off, 1 on, 2 loopback only (Linux's default)
    int tcp_tw_reuse_delay = 1000;        // ms a TIME_WAIT entry must have existed before tcp_tw_reuse takes it
    bool tcp_rfc1337 = false;             // false: an RST in TIME_WAIT kills the entry (RFC 1337 says ignore it)

    // RFC 5961 and out-of-window replies.
    int tcp_invalid_ratelimit = 500;      // ms between duplicate/challenge ACKs answering invalid segments
    std::int64_t tcp_challenge_ack_limit = 2147483647;  // per second, host-wide; INT_MAX disables it (6.0+)

    // Receiving: D-SACK (RFC 2883), SACK compression (Linux __tcp_ack_snd_check()), urgent pointer (RFC 6093).
    bool tcp_dsack = true;
    int tcp_comp_sack_nr = 44;                        // ACKs compressed at most, then one goes (0: off)
    std::int64_t tcp_comp_sack_delay_ns = 1000000;    // the compression timer: at most this …
    std::int64_t tcp_comp_sack_slack_ns = 100000;     // … plus up to this slack (hrtimer range)
    bool tcp_stdurg = false;                          // false: the pointer is one past the urgent byte (BSD)

    // Delayed ACKs.
    int tcp_pingpong_thresh = 1;

    // Sending.
    bool tcp_slow_start_after_idle = true;     // tcp_cwnd_restart() when sending after an idle RTO
    std::uint32_t tcp_notsent_lowat = 0xffffffffu;  // unsent bytes above which the socket is not writable

    // Keepalive (seconds).
    int tcp_keepalive_time = 7200;
    int tcp_keepalive_intvl = 75;
    int tcp_keepalive_probes = 9;
};

}  // namespace synack::tcp
