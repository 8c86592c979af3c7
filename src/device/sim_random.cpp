#include "device/sim_random.hpp"

namespace synack::device {

std::uint64_t splitmix64(std::uint64_t& state) noexcept { return wire::splitmix64(state); }

SimRandom::SimRandom(std::uint64_t seed) noexcept : s_(wire::xoshiro256_seed(seed)) {}

SimRandom SimRandom::from_state(const std::array<std::uint64_t, 4>& state) noexcept {
    SimRandom r;
    r.s_ = state;
    return r;
}

std::uint64_t SimRandom::next_u64() noexcept { return wire::xoshiro256_next(s_); }

double SimRandom::uniform() noexcept {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

bool SimRandom::chance(double p) noexcept {
    return uniform() < p;
}

std::uint64_t SimRandom::below(std::uint64_t n) noexcept {
    if (n == 0) return 0;
    // Values below 2^64 mod n would make the low residues more likely: draw again (at most half the time).
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
        const std::uint64_t r = next_u64();
        if (r >= threshold) return r % n;
    }
}

Duration SimRandom::duration_up_to(Duration max) noexcept {
    if (max.count() <= 0) return Duration{0};
    // max.count() <= 2^63 - 1, so max + 1 does not wrap.
    return Duration{static_cast<Duration::rep>(below(static_cast<std::uint64_t>(max.count()) + 1))};
}

}  // namespace synack::device
