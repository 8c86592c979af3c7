// The stack's randomness, all derived from the one 64-bit seed it is built with (the simulator passes a seed
// drawn from its own; a real-time runtime passes random bytes): SplitMix64 to derive secrets, xoshiro256** for
// the random choices Linux makes with get_random_u32() (initial IP IDs, flow hashes, port-choice jitter).
#pragma once

#include <array>
#include <cstdint>

#include "tcp/siphash.hpp"

namespace synack::stack {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
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
    explicit Xoshiro256(std::uint64_t seed) noexcept {
        SplitMix64 sm(seed);
        for (auto& s : s_) s = sm.next();
    }
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    std::uint32_t u32() noexcept { return static_cast<std::uint32_t>(next() >> 32); }
    // Uniform in [0, bound) (Lemire's multiply-shift; bound > 0).
    std::uint32_t below(std::uint32_t bound) noexcept {
        return static_cast<std::uint32_t>((std::uint64_t{u32()} * bound) >> 32);
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::array<std::uint64_t, 4> s_{};
};

}  // namespace synack::stack
