// A snapshot of one connection in the shape of Linux's struct tcp_info (include/uapi/linux/tcp.h, TCP_INFO):
// the same field names, units (microseconds for times, bytes or segments as Linux counts them).
#pragma once

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
    std::uint8_t tcpi_snd_wscale = 0;
    std::uint8_t tcpi_rcv_wscale = 0;
    std::uint32_t tcpi_rto = 0;         // µs
    std::uint32_t tcpi_ato = 0;         // µs
    std::uint32_t tcpi_snd_mss = 0;
    std::uint32_t tcpi_rcv_mss = 0;
    std::uint32_t tcpi_unacked = 0;     // segments in flight
    std::uint32_t tcpi_retrans = 0;
    std::uint32_t tcpi_last_data_sent = 0;  // ms ago
    std::uint32_t tcpi_last_data_recv = 0;  // ms ago
    std::uint32_t tcpi_last_ack_recv = 0;   // ms ago
    std::uint32_t tcpi_pmtu = 0;
    std::uint32_t tcpi_rcv_ssthresh = 0;
    std::uint32_t tcpi_rtt = 0;         // µs, smoothed
    std::uint32_t tcpi_rttvar = 0;      // µs
    std::uint32_t tcpi_snd_ssthresh = 0;
    std::uint32_t tcpi_snd_cwnd = 0;
    std::uint32_t tcpi_advmss = 0;
    std::uint32_t tcpi_reordering = 3;
    std::uint32_t tcpi_rcv_space = 0;
    std::uint32_t tcpi_total_retrans = 0;
    std::uint64_t tcpi_bytes_acked = 0;
    std::uint64_t tcpi_bytes_received = 0;
    std::uint32_t tcpi_segs_out = 0;
    std::uint32_t tcpi_segs_in = 0;
    std::uint32_t tcpi_notsent_bytes = 0;
    std::uint32_t tcpi_data_segs_in = 0;
    std::uint32_t tcpi_data_segs_out = 0;
    std::uint64_t tcpi_bytes_sent = 0;
    std::uint64_t tcpi_bytes_retrans = 0;
    std::uint32_t tcpi_snd_wnd = 0;
    std::uint32_t tcpi_rcv_wnd = 0;
    std::uint16_t tcpi_total_rto = 0;
};

}  // namespace synack::tcp
