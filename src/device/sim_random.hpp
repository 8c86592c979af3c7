// The simulator's random numbers: xoshiro256** seeded through splitmix64 (wire/xoshiro256.hpp), with our own
// mappings to ranges, probabilities and durations. std::*_distribution is not used on purpose: its results differ
// between standard libraries, and a simulated run must be reproducible from its seed on any build.
#pragma once

#include <array>
#include <cstdint>

#include "wire/instant.hpp"
#include "wire/xoshiro256.hpp"

namespace synack::device {

// splitmix64 (Steele, Lea and Flood, 2014; Vigna's reference splitmix64.c): advances `state` by the golden gamma
// and returns the mixed value. Used to expand one 64-bit seed into xoshiro's 256-bit state, and to derive seeds.
std::uint64_t splitmix64(std::uint64_t& state) noexcept;

class SimRandom {
public:
    explicit SimRandom(std::uint64_t seed) noexcept;
    // The generator with its 256-bit state as given (not all zero), e.g. the reference implementation's test state.
    static SimRandom from_state(const std::array<std::uint64_t, 4>& state) noexcept;

    // The next 64 random bits (xoshiro256** "next()").
    std::uint64_t next_u64() noexcept;
    // Uniform in [0, 1): the top 53 bits scaled by 2^-53, so every value is a multiple of 2^-53.
    double uniform() noexcept;
    // True with probability p: one draw, uniform() < p. p <= 0 is never true, p >= 1 always.
    bool chance(double p) noexcept;
    // Uniform in [0, n) for n >= 1, without modulo bias (draws again below 2^64 mod n). n == 0 returns 0, no draw.
    std::uint64_t below(std::uint64_t n) noexcept;
    // Uniform in [0, max] nanoseconds; max <= 0 returns 0 without a draw.
    Duration duration_up_to(Duration max) noexcept;
    // A seed for someone else's generator (a stack's secrets): the next 64 bits.
    std::uint64_t derive_seed() noexcept { return next_u64(); }

private:
    SimRandom() = default;
    wire::Xoshiro256State s_{};
};

}  // namespace synack::device
