#include "tcp/window.hpp"

#include <algorithm>
#include <bit>

namespace synack::tcp {

namespace {
constexpr std::uint32_t kU16Max = 65535;
constexpr std::uint32_t kMaxTcpWindow = 32767;  // MAX_TCP_WINDOW, for tcp_workaround_signed_windows
constexpr int kMaxWscale = 14;
}  // namespace

// Linux tcp_select_initial_window().
InitialWindow select_initial_window(const TcpSysctls& sysctls, std::uint32_t space, std::uint32_t mss,
                                    std::uint32_t window_clamp, bool window_scaling) noexcept {
    InitialWindow w;
    if (window_clamp == 0) window_clamp = kU16Max << kMaxWscale;
    space = std::min(window_clamp, space);
    // Quantize the offer to a multiple of the MSS.
    if (space > mss && mss > 0) space = space / mss * mss;
    w.rcv_wnd = sysctls.tcp_workaround_signed_windows ? std::min(space, kMaxTcpWindow) : std::min(space, kU16Max);
    w.rcv_wscale = 0;
    if (window_scaling) {
        // Scale for the largest window the buffer could ever grow to.
        std::uint32_t max_space = std::max<std::uint32_t>(space, static_cast<std::uint32_t>(sysctls.tcp_rmem[2]));
        max_space = std::max<std::uint32_t>(max_space, static_cast<std::uint32_t>(sysctls.rmem_max));
        max_space = std::min(max_space, window_clamp);
        const int ilog2 = max_space == 0 ? 0 : std::bit_width(max_space) - 1;
        w.rcv_wscale = static_cast<std::uint8_t>(std::clamp(ilog2 - 15, 0, kMaxWscale));
    }
    w.window_clamp = std::min(kU16Max << w.rcv_wscale, window_clamp);
    return w;
}

// Linux tcp_init_buffer_space().
std::uint32_t clamp_window_for_app(std::uint32_t window_clamp, std::uint32_t maxwin, std::uint32_t advmss,
                                   int tcp_app_win) noexcept {
    if (window_clamp >= maxwin) {
        window_clamp = maxwin;
        if (tcp_app_win > 0 && maxwin > 4 * advmss) {
            const std::uint32_t reserve = tcp_app_win >= 32 ? 0 : maxwin >> tcp_app_win;
            window_clamp = std::max(maxwin - reserve, 4 * advmss);
        }
    }
    // Force reservation of one segment.
    if (tcp_app_win > 0 && window_clamp > 2 * advmss && window_clamp + advmss > maxwin) {
        window_clamp = std::max(2 * advmss, maxwin - advmss);
    }
    return window_clamp;
}

// Linux __tcp_select_window().
std::uint32_t compute_window(const WindowInputs& in) noexcept {
    std::uint32_t mss = in.rcv_mss;
    std::uint32_t free_space = in.free_space;
    const std::uint32_t full_space = std::min(in.window_clamp, in.allowed_space);
    if (mss > full_space) {
        mss = full_space;
        if (mss == 0) return 0;
    }
    if (free_space < (full_space >> 1)) {
        // free_space might become the new window: do not let window scaling round it up.
        free_space &= ~((std::uint32_t{1} << in.rcv_wscale) - 1);
        if (free_space < (in.allowed_space >> 4) || free_space < mss) return 0;
    }
    free_space = std::min(free_space, in.rcv_ssthresh);
    if (in.rcv_wscale != 0) {
        // Advertise enough that scaling does not round the window away.
        const std::uint32_t unit = std::uint32_t{1} << in.rcv_wscale;
        return (free_space + unit - 1) & ~(unit - 1);
    }
    std::uint32_t window = in.rcv_wnd;
    // Keep the current offer when it is within one segment of the free space; otherwise a multiple of the MSS.
    if (window + mss <= free_space || window > free_space) {
        window = mss == 0 ? free_space : free_space / mss * mss;
    } else if (mss == full_space && free_space > window + (full_space >> 1)) {
        window = free_space;
    }
    return window;
}

}  // namespace synack::tcp
