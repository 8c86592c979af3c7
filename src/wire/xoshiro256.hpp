// The one pseudo-random generator of the project: xoshiro256** (Blackman and Vigna, 2018) with its state expanded
// from a 64-bit seed by splitmix64 (Steele, Lea and Flood, 2014), as the authors' reference code does. The
// simulator (device/sim_random.hpp) and a stack (stack/random.hpp) build their own draws on it; it lives in wire/
// because that is the base layer both stand on.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace synack::wire {

// Advances `state` by the golden gamma and returns the mixed value.
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

using Xoshiro256State = std::array<std::uint64_t, 4>;

// Vigna: "we suggest to use a SplitMix64 to initialize the state" — never all zero, whatever the seed.
inline Xoshiro256State xoshiro256_seed(std::uint64_t seed) noexcept {
    Xoshiro256State s{};
    for (auto& word : s) word = splitmix64(seed);
    return s;
}

// The next 64 bits (the reference "next()").
inline std::uint64_t xoshiro256_next(Xoshiro256State& s) noexcept {
    const std::uint64_t result = std::rotl(s[1] * 5, 7) * 9;
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = std::rotl(s[3], 45);
    return result;
}

}  // namespace synack::wire
