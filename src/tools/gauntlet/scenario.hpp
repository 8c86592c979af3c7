// One gauntlet run, drawn from its seed: the network (IPv4 or IPv6, the MTU, each direction's impairments) and
// the two applications (bytes each sends, write and read sizes, TCP_NODELAY, which one half-closes first).
// Everything is drawn with integer arithmetic and the project's xoshiro256** (device/sim_random.hpp), never
// with <random>'s distributions or libm, so a seed names the same run on every build.
#pragma once

#include <cstdint>
#include <string>

#include "device/sim_link.hpp"

namespace synack::tools::gauntlet {

inline constexpr std::uint64_t kMiB = 1024 * 1024;
inline constexpr std::uint64_t kDefaultMaxBytes = 64 * kMiB;

// Who calls shutdown(SHUT_WR) first: the other waits for the end of the stream before its own shutdown.
// kEither: each shuts down as soon as its writes are done, so the FINs may cross.
enum class CloseOrder : std::uint8_t { kClientFirst, kServerFirst, kEither };
std::string_view to_string(CloseOrder order) noexcept;

// One application's part.
struct SideScenario {
    std::uint64_t bytes = 0;          // what it sends
    std::uint64_t stream_key = 0;     // the pattern of what it sends (StreamPattern)
    std::uint32_t max_write = 1;      // each send() asks for a size uniform in [1, max_write]
    std::uint32_t max_read = 1;       // each recv() offers a buffer uniform in [1, max_read]
    bool nodelay = false;             // TCP_NODELAY
    std::uint64_t app_seed = 0;       // the application's own draws (the sizes)
};

struct Scenario {
    std::uint64_t seed = 0;
    std::uint64_t network_seed = 0;   // the simulated network's generator (losses, jitter, the stacks' secrets)
    bool ipv6 = false;
    std::uint32_t mtu = 1500;
    device::SimLinkConfig client_to_server{};
    device::SimLinkConfig server_to_client{};
    SideScenario client{};
    SideScenario server{};
    CloseOrder close_order = CloseOrder::kEither;
};

struct ScenarioLimits {
    std::uint64_t max_bytes = kDefaultMaxBytes;  // per direction
};

// Ranges (docs/gauntlet.md): MTU 576–9000 (IPv6 1280–9000); per direction loss 0–30 %, duplication 0–5 %,
// reordering 0–10 % held 0.1–50 ms, single-bit corruption 0–5 %, delay 0–150 ms, jitter 0–10 ms, bandwidth
// unlimited or 1 Mbit/s–10 Gbit/s behind a drop-tail queue of 2–1000 packets; 0..max_bytes each way.
Scenario draw_scenario(std::uint64_t seed, const ScenarioLimits& limits = {});

// One line: "v6 mtu 1500 c→s[loss 3.1% …] s→c[…] client 123 B (w≤… r≤…) server … close client-first".
std::string describe(const Scenario& s);

}  // namespace synack::tools::gauntlet
