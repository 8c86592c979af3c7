// A snapshot of one connection as Linux's struct tcp_info (include/uapi/linux/tcp.h, TCP_INFO): the same field
// names, types, order and layout — 280 bytes on the reference kernel, Linux 6.18 — and the same units
// (microseconds for times, bytes or segments as Linux counts them), so getsockopt(TCP_INFO) copies it as it is.
// Fields synack does not track (pacing, delivery rate, busy times, reordering events, AccECN counters …)
// read 0; see docs/socket-api.md.
#pragma once

#include <cstddef>
#include <cstdint>

namespace synack::tcp {

// tcpi_options bits.
namespace tcpi_option {
inline constexpr std::uint8_t kTimestamps = 1;
inline constexpr std::uint8_t kSack = 2;
inline constexpr std::uint8_t kWscale = 4;
inline constexpr std::uint8_t kEcn = 8;
}  // namespace tcpi_option

struct TcpInfo {
    std::uint8_t tcpi_state = 0;        // Linux's numbering: TCP_ESTABLISHED = 1 … TCP_CLOSING = 11
    std::uint8_t tcpi_ca_state = 0;     // 0 Open, 4 Loss
    std::uint8_t tcpi_retransmits = 0;
    std::uint8_t tcpi_probes = 0;
    std::uint8_t tcpi_backoff = 0;
    std::uint8_t tcpi_options = 0;
    std::uint8_t tcpi_snd_wscale : 4 = 0;
    std::uint8_t tcpi_rcv_wscale : 4 = 0;
    std::uint8_t tcpi_delivery_rate_app_limited : 1 = 0;
    std::uint8_t tcpi_fastopen_client_fail : 2 = 0;

    std::uint32_t tcpi_rto = 0;         // µs
    std::uint32_t tcpi_ato = 0;         // µs
    std::uint32_t tcpi_snd_mss = 0;
    std::uint32_t tcpi_rcv_mss = 0;

    std::uint32_t tcpi_unacked = 0;     // segments in flight; a listener: connections waiting in accept()
    std::uint32_t tcpi_sacked = 0;      // a listener: its backlog
    std::uint32_t tcpi_lost = 0;
    std::uint32_t tcpi_retrans = 0;
    std::uint32_t tcpi_fackets = 0;

    std::uint32_t tcpi_last_data_sent = 0;  // ms ago
    std::uint32_t tcpi_last_ack_sent = 0;   // never remembered (Linux: 0)
    std::uint32_t tcpi_last_data_recv = 0;  // ms ago
    std::uint32_t tcpi_last_ack_recv = 0;   // ms ago

    std::uint32_t tcpi_pmtu = 0;
    std::uint32_t tcpi_rcv_ssthresh = 0;
    std::uint32_t tcpi_rtt = 0;         // µs, smoothed
    std::uint32_t tcpi_rttvar = 0;      // µs
    std::uint32_t tcpi_snd_ssthresh = 0;
    std::uint32_t tcpi_snd_cwnd = 0;
    std::uint32_t tcpi_advmss = 0;
    std::uint32_t tcpi_reordering = 0;

    std::uint32_t tcpi_rcv_rtt = 0;
    std::uint32_t tcpi_rcv_space = 0;

    std::uint32_t tcpi_total_retrans = 0;

    std::uint64_t tcpi_pacing_rate = 0;
    std::uint64_t tcpi_max_pacing_rate = 0;
    std::uint64_t tcpi_bytes_acked = 0;
    std::uint64_t tcpi_bytes_received = 0;
    std::uint32_t tcpi_segs_out = 0;
    std::uint32_t tcpi_segs_in = 0;

    std::uint32_t tcpi_notsent_bytes = 0;
    std::uint32_t tcpi_min_rtt = 0;
    std::uint32_t tcpi_data_segs_in = 0;
    std::uint32_t tcpi_data_segs_out = 0;

    std::uint64_t tcpi_delivery_rate = 0;

    std::uint64_t tcpi_busy_time = 0;
    std::uint64_t tcpi_rwnd_limited = 0;
    std::uint64_t tcpi_sndbuf_limited = 0;

    std::uint32_t tcpi_delivered = 0;
    std::uint32_t tcpi_delivered_ce = 0;

    std::uint64_t tcpi_bytes_sent = 0;
    std::uint64_t tcpi_bytes_retrans = 0;
    std::uint32_t tcpi_dsack_dups = 0;
    std::uint32_t tcpi_reord_seen = 0;

    std::uint32_t tcpi_rcv_ooopack = 0;

    std::uint32_t tcpi_snd_wnd = 0;     // the peer's window, scaled
    std::uint32_t tcpi_rcv_wnd = 0;     // the window we offered, scaled

    std::uint32_t tcpi_rehash = 0;

    std::uint16_t tcpi_total_rto = 0;
    std::uint16_t tcpi_total_rto_recoveries = 0;
    std::uint32_t tcpi_total_rto_time = 0;

    std::uint32_t tcpi_received_ce = 0;
    std::uint32_t tcpi_delivered_e1_bytes = 0;
    std::uint32_t tcpi_delivered_e0_bytes = 0;
    std::uint32_t tcpi_delivered_ce_bytes = 0;
    std::uint32_t tcpi_received_e1_bytes = 0;
    std::uint32_t tcpi_received_e0_bytes = 0;
    std::uint32_t tcpi_received_ce_bytes = 0;
    std::uint16_t tcpi_accecn_fail_mode = 0;
    std::uint16_t tcpi_accecn_opt_seen = 0;
};

// The reference kernel's layout (getsockopt(TCP_INFO) returns 280 bytes there).
static_assert(sizeof(TcpInfo) == 280, "struct tcp_info is 280 bytes on Linux 6.18");
static_assert(offsetof(TcpInfo, tcpi_rto) == 8);
static_assert(offsetof(TcpInfo, tcpi_pacing_rate) == 104);
static_assert(offsetof(TcpInfo, tcpi_delivery_rate) == 160);
static_assert(offsetof(TcpInfo, tcpi_bytes_sent) == 200);
static_assert(offsetof(TcpInfo, tcpi_snd_wnd) == 228);
static_assert(offsetof(TcpInfo, tcpi_total_rto) == 240);
static_assert(offsetof(TcpInfo, tcpi_received_ce) == 248);
static_assert(offsetof(TcpInfo, tcpi_accecn_opt_seen) == 278);

}  // namespace synack::tcp
