// The stack's randomness, all derived from the one 64-bit seed it is built with (the simulator passes a seed
// drawn from its own; a real-time runtime passes random bytes): SplitMix64 to derive secrets, xoshiro256** for
// the random choices Linux makes with get_random_u32() (initial IP IDs, flow hashes, port-choice jitter).
#pragma once

#include <array>
#include <cstdint>

#include "tcp/siphash.hpp"
#include "wire/xoshiro256.hpp"

namespace synack::stack {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept { return wire::splitmix64(state_); }
    tcp::SipHashKey key() noexcept {
        tcp::SipHashKey k{};
        const std::uint64_t a = next();
        const std::uint64_t b = next();
        for (int i = 0; i < 8; ++i) {
            k[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(a >> (8 * i));
            k[static_cast<std::size_t>(i + 8)] = static_cast<std::uint8_t>(b >> (8 * i));
        }
        return k;
    }

private:
    std::uint64_t state_;
};

class Xoshiro256 {
public:
    explicit Xoshiro256(std::uint64_t seed) noexcept : s_(wire::xoshiro256_seed(seed)) {}
    std::uint64_t next() noexcept { return wire::xoshiro256_next(s_); }
    std::uint32_t u32() noexcept { return static_cast<std::uint32_t>(next() >> 32); }
    // Uniform in [0, bound) (Lemire's multiply-shift; bound > 0).
    std::uint32_t below(std::uint32_t bound) noexcept {
        return static_cast<std::uint32_t>((std::uint64_t{u32()} * bound) >> 32);
    }

private:
    wire::Xoshiro256State s_{};
};

}  // namespace synack::stack
