// The congestion-control interface (Linux struct tcp_congestion_ops): a controller decides the slow-start
// threshold after a loss and how the window grows on ACKs; the loss-recovery machinery (conn_recovery.cpp)
// decides when those are called. Controllers are stateless tables of functions over the connection's window
// (and, for later controllers such as CUBIC, the private words it carries), chosen by name as
// net.ipv4.tcp_congestion_control and TCP_CONGESTION choose them.
#pragma once

#include <cstdint>
#include <string_view>

namespace synack::tcp {

// Linux's congestion-avoidance states (enum tcp_ca_state), the values TCP_INFO reports as tcpi_ca_state.
enum class CaState : std::uint8_t {
    kOpen = 0,      // nothing unusual
    kDisorder = 1,  // SACKs or duplicate ACKs seen, no loss detected yet
    kCwr = 2,       // reducing the window for a congestion signal (ECN, local congestion)
    kRecovery = 3,  // fast recovery: a loss detected by ACKs, the window reduced by PRR
    kLoss = 4,      // after an RTO: everything in flight presumed lost, slow start from one segment
};

// The congestion state a controller reads and writes (Linux tcp_sock's snd_cwnd, snd_ssthresh, snd_cwnd_cnt).
struct CongestionWindow {
    std::uint32_t cwnd = 10;            // segments (TCP_INIT_CWND, RFC 6928)
    std::uint32_t ssthresh = 0x7fffffff;  // TCP_INFINITE_SSTHRESH
    std::uint32_t cwnd_cnt = 0;         // ACKed segments towards the next increase in congestion avoidance
    std::uint32_t prior_cwnd = 0;       // the window when the last reduction started (undo, PRR)

    bool in_slow_start() const noexcept { return cwnd < ssthresh; }
};

struct CongestionOps {
    std::string_view name;
    // The slow-start threshold after a congestion event (tcp_congestion_ops.ssthresh).
    std::uint32_t (*ssthresh)(const CongestionWindow& w);
    // Grows the window for `acked` newly delivered segments; called only when the window was the limit
    // (tcp_congestion_ops.cong_avoid after tcp_is_cwnd_limited()).
    void (*cong_avoid)(CongestionWindow& w, std::uint32_t acked);
    // The window to go back to when a reduction proves spurious (tcp_congestion_ops.undo_cwnd).
    std::uint32_t (*undo_cwnd)(const CongestionWindow& w);
};

// Linux's tcp_slow_start() and tcp_cong_avoid_ai(), shared by controllers.
std::uint32_t slow_start(CongestionWindow& w, std::uint32_t acked) noexcept;
void cong_avoid_ai(CongestionWindow& w, std::uint32_t window, std::uint32_t acked) noexcept;

const CongestionOps& reno_ops() noexcept;
// The controller of that name, or nullptr when synack has none (today: "reno" only).
const CongestionOps* find_congestion_ops(std::string_view name) noexcept;

}  // namespace synack::tcp
