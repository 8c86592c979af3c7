// Reno (RFC 5681 slow start and congestion avoidance; Linux net/ipv4/tcp_cong.c tcp_reno_*).
#include <algorithm>

#include "tcp/congestion.hpp"

namespace synack::tcp {

// Linux tcp_slow_start(): one segment per segment ACKed, up to ssthresh; returns the ACKs left over.
std::uint32_t slow_start(CongestionWindow& w, std::uint32_t acked) noexcept {
    const std::uint32_t cwnd = std::min(w.cwnd + acked, w.ssthresh);
    acked -= cwnd - w.cwnd;
    w.cwnd = cwnd;
    return acked;
}

// Linux tcp_cong_avoid_ai(): one segment per `window` segments ACKed.
void cong_avoid_ai(CongestionWindow& w, std::uint32_t window, std::uint32_t acked) noexcept {
    if (w.cwnd_cnt >= window) {
        w.cwnd_cnt = 0;
        ++w.cwnd;
    }
    w.cwnd_cnt += acked;
    if (w.cwnd_cnt >= window) {
        const std::uint32_t delta = w.cwnd_cnt / window;
        w.cwnd_cnt -= delta * window;
        w.cwnd += delta;
    }
}

namespace {

// tcp_reno_ssthresh(): half the window, at least two segments.
std::uint32_t reno_ssthresh(const CongestionWindow& w) { return std::max<std::uint32_t>(w.cwnd >> 1, 2); }

// tcp_reno_cong_avoid() (its tcp_is_cwnd_limited() test is the caller's).
void reno_cong_avoid(CongestionWindow& w, std::uint32_t acked) {
    if (w.in_slow_start()) {
        acked = slow_start(w, acked);
        if (acked == 0) return;
    }
    cong_avoid_ai(w, w.cwnd, acked);
}

// tcp_reno_undo_cwnd()
std::uint32_t reno_undo_cwnd(const CongestionWindow& w) { return std::max(w.cwnd, w.prior_cwnd); }

constexpr CongestionOps kReno{"reno", reno_ssthresh, reno_cong_avoid, reno_undo_cwnd};

}  // namespace

const CongestionOps& reno_ops() noexcept { return kReno; }

const CongestionOps* find_congestion_ops(std::string_view name) noexcept {
    if (name == kReno.name) return &kReno;
    return nullptr;
}

}  // namespace synack::tcp
