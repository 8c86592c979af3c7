// Receive window arithmetic, as Linux computes it (net/ipv4/tcp_output.c, tcp_input.c, include/net/tcp.h).
#pragma once

#include <cstdint>

#include "tcp/sysctl.hpp"

namespace synack::tcp {

// Linux assumes half of the receive buffer holds payload until it measures better (TCP_DEFAULT_SCALING_RATIO):
// a window is buffer space * ratio / 256.
inline constexpr std::uint32_t kDefaultScalingRatio = 128;

// Linux __tcp_win_from_space().
constexpr std::uint32_t win_from_space(std::int64_t space, std::uint32_t ratio = kDefaultScalingRatio) noexcept {
    if (space <= 0) return 0;
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(space) * ratio) >> 8);
}

struct InitialWindow {
    std::uint32_t rcv_wnd = 0;       // the window offered in the SYN or SYN-ACK
    std::uint32_t window_clamp = 0;  // the largest window this connection will ever offer
    std::uint8_t rcv_wscale = 0;     // the shift we announce (used only if the peer also sends one)
};

// Linux tcp_select_initial_window(): `space` is the buffer's window-worth (tcp_full_space), `mss` the segment
// size the peer will send us (our MSS less the timestamp option when it is used).
InitialWindow select_initial_window(const TcpSysctls& sysctls, std::uint32_t space, std::uint32_t mss,
                                    std::uint32_t window_clamp, bool window_scaling) noexcept;

// Linux tcp_init_buffer_space()'s clamp, applied when a connection becomes established: keep
// maxwin/2^tcp_app_win and one segment back for the application.
std::uint32_t clamp_window_for_app(std::uint32_t window_clamp, std::uint32_t maxwin, std::uint32_t advmss,
                                   int tcp_app_win) noexcept;

// The inputs of Linux __tcp_select_window().
struct WindowInputs {
    std::uint32_t free_space = 0;     // tcp_space(): window-worth of the free receive buffer
    std::uint32_t allowed_space = 0;  // tcp_full_space(): window-worth of the whole buffer
    std::uint32_t window_clamp = 0;
    std::uint32_t rcv_ssthresh = 0;
    std::uint32_t rcv_wnd = 0;        // the window last offered
    std::uint32_t rcv_mss = 0;        // icsk_ack.rcv_mss, the segment size we guess the peer sends
    std::uint8_t rcv_wscale = 0;
};

// Linux __tcp_select_window() (without tcp_shrink_window): the window the free space allows; 0 when it is
// below 1/16 of the buffer or one segment. The caller never lets the offer shrink (tcp_select_window()).
std::uint32_t compute_window(const WindowInputs& in) noexcept;

}  // namespace synack::tcp
