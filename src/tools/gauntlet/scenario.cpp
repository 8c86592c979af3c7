#include "tools/gauntlet/scenario.hpp"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "device/sim_random.hpp"

namespace synack::tools::gauntlet {

namespace {

using device::SimRandom;
using std::chrono::microseconds;
using std::chrono::milliseconds;

// Uniform in [lo, hi] (lo <= hi).
std::uint64_t between(SimRandom& r, std::uint64_t lo, std::uint64_t hi) { return lo + r.below(hi - lo + 1); }

// Roughly log-uniform in [lo, hi] (1 <= lo <= hi) without floating point: a bit length uniform over those of
// [lo, hi], then a value uniform among the numbers of that length, clamped to the range.
std::uint64_t log_between(SimRandom& r, std::uint64_t lo, std::uint64_t hi) {
    lo = std::max<std::uint64_t>(lo, 1);
    const unsigned lo_bits = static_cast<unsigned>(std::bit_width(lo));
    const unsigned hi_bits = static_cast<unsigned>(std::bit_width(hi));
    const unsigned bits = static_cast<unsigned>(between(r, lo_bits, hi_bits));
    const std::uint64_t first = std::uint64_t{1} << (bits - 1);
    const std::uint64_t last = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
    return std::clamp(between(r, std::max(first, lo), std::min(last, hi)), lo, hi);
}

// A probability uniform in [0, max], or 0 with probability `none`.
double maybe_probability(SimRandom& r, double none, double max) {
    if (r.chance(none)) return 0.0;
    return r.uniform() * max;
}

Duration log_duration(SimRandom& r, Duration lo, Duration hi) {
    return Duration{static_cast<Duration::rep>(
        log_between(r, static_cast<std::uint64_t>(lo.count()), static_cast<std::uint64_t>(hi.count())))};
}

device::SimLinkConfig draw_link(SimRandom& r) {
    device::SimLinkConfig c;
    c.loss = maybe_probability(r, 0.25, 0.30);
    c.duplicate = maybe_probability(r, 0.6, 0.05);
    c.corrupt = maybe_probability(r, 0.6, 0.05);
    c.reorder = maybe_probability(r, 0.5, 0.10);
    c.reorder_delay = c.reorder > 0 ? log_duration(r, microseconds(100), milliseconds(50)) : Duration{0};
    c.delay = r.chance(0.1) ? Duration{0} : log_duration(r, microseconds(20), milliseconds(150));
    c.jitter = r.chance(0.5) ? Duration{0} : r.duration_up_to(milliseconds(10));
    if (!r.chance(0.25)) {
        c.rate_bps = log_between(r, 1'000'000, 10'000'000'000);
        c.queue_packets = static_cast<std::size_t>(log_between(r, 2, 1000));
    }
    return c;
}

std::uint64_t draw_bytes(SimRandom& r, std::uint64_t max) {
    const std::uint64_t pick = r.below(100);
    if (pick < 8 || max == 0) return 0;
    if (pick < 16) return between(r, 1, std::min<std::uint64_t>(max, 16));
    if (pick < 20) return max;
    return log_between(r, 1, max);
}

// A largest size for the application's calls: at most 1 MiB, and large enough that moving `bytes` takes no more
// than about 16,384 calls (wall-clock time goes into the calls, not into what they test).
std::uint32_t draw_call_size(SimRandom& r, std::uint64_t bytes) {
    const std::uint64_t lo = std::clamp<std::uint64_t>(bytes / 8192, 1, kMiB);
    return static_cast<std::uint32_t>(log_between(r, lo, kMiB));
}

}  // namespace

std::string_view to_string(CloseOrder order) noexcept {
    switch (order) {
        case CloseOrder::kClientFirst: return "client-first";
        case CloseOrder::kServerFirst: return "server-first";
        case CloseOrder::kEither: return "either";
    }
    return "?";
}

Scenario draw_scenario(std::uint64_t seed, const ScenarioLimits& limits) {
    // The draws' order is part of the seed's meaning: append new draws at the end, never in between.
    SimRandom r(seed ^ 0x67617574'6c657421ull);  // "gauntlet!" apart from the network's own use of the seed
    Scenario s;
    s.seed = seed;
    s.network_seed = r.derive_seed();
    s.ipv6 = r.chance(0.5);
    const std::uint64_t min_mtu = s.ipv6 ? 1280 : 576;  // RFC 8200 §5; RFC 791's 576 for IPv4
    static constexpr std::uint32_t kCommonMtus[] = {576, 1280, 1500, 4096, 9000};
    if (r.chance(0.3)) {
        do {
            s.mtu = kCommonMtus[r.below(std::size(kCommonMtus))];
        } while (s.mtu < min_mtu);
    } else {
        s.mtu = static_cast<std::uint32_t>(between(r, min_mtu, 9000));
    }
    s.client_to_server = draw_link(r);
    s.server_to_client = draw_link(r);
    s.client.bytes = draw_bytes(r, limits.max_bytes);
    s.server.bytes = draw_bytes(r, limits.max_bytes);
    s.client.stream_key = r.derive_seed();
    s.server.stream_key = r.derive_seed();
    // Each side writes what it sends and reads what the other sends.
    s.client.max_write = draw_call_size(r, s.client.bytes);
    s.server.max_write = draw_call_size(r, s.server.bytes);
    s.client.max_read = draw_call_size(r, s.server.bytes);
    s.server.max_read = draw_call_size(r, s.client.bytes);
    s.client.nodelay = r.chance(0.5);
    s.server.nodelay = r.chance(0.5);
    s.client.app_seed = r.derive_seed();
    s.server.app_seed = r.derive_seed();
    s.close_order = static_cast<CloseOrder>(r.below(3));
    return s;
}

namespace {

std::string duration_text(Duration d) {
    const auto us = std::chrono::duration_cast<microseconds>(d).count();
    if (us >= 1000) return fmt::format("{:g}ms", static_cast<double>(us) / 1000.0);
    return fmt::format("{}us", us);
}

std::string rate_text(std::uint64_t bps) {
    if (bps == 0) return "unlimited";
    if (bps >= 1'000'000'000) return fmt::format("{:.3g}Gbit/s", static_cast<double>(bps) / 1e9);
    return fmt::format("{:.3g}Mbit/s", static_cast<double>(bps) / 1e6);
}

std::string link_text(const device::SimLinkConfig& c) {
    std::string t = fmt::format("delay {}", duration_text(c.delay));
    if (c.jitter.count() > 0) t += fmt::format(" jitter {}", duration_text(c.jitter));
    t += fmt::format(" rate {}", rate_text(c.rate_bps));
    if (c.rate_bps != 0) t += fmt::format(" queue {}", c.queue_packets);
    if (c.loss > 0) t += fmt::format(" loss {:.2f}%", c.loss * 100);
    if (c.duplicate > 0) t += fmt::format(" dup {:.2f}%", c.duplicate * 100);
    if (c.reorder > 0) t += fmt::format(" reorder {:.2f}%/{}", c.reorder * 100, duration_text(c.reorder_delay));
    if (c.corrupt > 0) t += fmt::format(" corrupt {:.2f}%", c.corrupt * 100);
    return t;
}

std::string side_text(const SideScenario& s) {
    return fmt::format("sends {} B (writes ≤{}, reads ≤{}{})", s.bytes, s.max_write, s.max_read,
                       s.nodelay ? ", nodelay" : "");
}

}  // namespace

std::string describe(const Scenario& s) {
    return fmt::format("{} mtu {}; c→s {}; s→c {}; client {}; server {}; close {}", s.ipv6 ? "IPv6" : "IPv4", s.mtu,
                       link_text(s.client_to_server), link_text(s.server_to_client), side_text(s.client),
                       side_text(s.server), to_string(s.close_order));
}

}  // namespace synack::tools::gauntlet
