#include "device/sim_random.hpp"

namespace synack::device {

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

SimRandom::SimRandom(std::uint64_t seed) noexcept {
    // Vigna: "we suggest to use a SplitMix64 to initialize the state" — never all zero, whatever the seed.
    std::uint64_t state = seed;
    for (auto& word : s_) word = splitmix64(state);
}

SimRandom SimRandom::from_state(const std::array<std::uint64_t, 4>& state) noexcept {
    SimRandom r;
    r.s_ = state;
    return r;
}

std::uint64_t SimRandom::next_u64() noexcept {
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
