#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

#include "device/sim_random.hpp"

namespace synack::device {
namespace {

TEST(SplitMix64, MatchesTheReferenceSequence) {
    // Vigna's splitmix64.c from state 1234567 (the values Java's SplittableRandom tests and rand_xoshiro use).
    std::uint64_t state = 1234567;
    const std::array<std::uint64_t, 5> expected{6457827717110365317ULL, 3203168211198807973ULL,
                                                9817491932198370423ULL, 4593380528125082431ULL,
                                                16408922859458223821ULL};
    for (const auto e : expected) EXPECT_EQ(splitmix64(state), e);
}

TEST(SimRandom, MatchesTheXoshiro256StarStarReference) {
    // xoshiro256starstar.c with the state {1, 2, 3, 4} (rand_xoshiro's reference test vector).
    auto r = SimRandom::from_state({1, 2, 3, 4});
    const std::array<std::uint64_t, 10> expected{11520ULL,
                                                 0ULL,
                                                 1509978240ULL,
                                                 1215971899390074240ULL,
                                                 1216172134540287360ULL,
                                                 607988272756665600ULL,
                                                 16172922978634559625ULL,
                                                 8476171486693032832ULL,
                                                 10595114339597558777ULL,
                                                 2904607092377533576ULL};
    for (const auto e : expected) EXPECT_EQ(r.next_u64(), e);
}

TEST(SimRandom, SeedsTheStateWithFourSplitMix64Outputs) {
    std::uint64_t state = 42;
    std::array<std::uint64_t, 4> s{};
    for (auto& word : s) word = splitmix64(state);
    auto from_state = SimRandom::from_state(s);
    SimRandom seeded(42);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(seeded.next_u64(), from_state.next_u64());
}

TEST(SimRandom, SameSeedSameSequenceOtherSeedOtherSequence) {
    SimRandom a(7), b(7), c(8);
    int differ = 0;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a.next_u64();
        EXPECT_EQ(x, b.next_u64());
        differ += x != c.next_u64() ? 1 : 0;
    }
    EXPECT_EQ(differ, 1000);
}

TEST(SimRandom, UniformIsTheTop53BitsScaled) {
    auto r = SimRandom::from_state({1, 2, 3, 4});
    auto reference = SimRandom::from_state({1, 2, 3, 4});
    for (int i = 0; i < 100; ++i) {
        const double u = r.uniform();
        EXPECT_EQ(u, static_cast<double>(reference.next_u64() >> 11) / 9007199254740992.0);
        EXPECT_GE(u, 0.0);
        EXPECT_LT(u, 1.0);
    }
}

TEST(SimRandom, ChanceAtTheEdgesAndOneDrawEach) {
    SimRandom r(1), twin(1);
    for (int i = 0; i < 1000; ++i) {
        EXPECT_FALSE(r.chance(0.0));
        EXPECT_TRUE(r.chance(1.0));
        twin.next_u64();
        twin.next_u64();
    }
    EXPECT_EQ(r.next_u64(), twin.next_u64());  // exactly one draw per call, whatever p
}

TEST(SimRandom, ChanceFrequencyWithinFiveSigma) {
    SimRandom r(2024);
    constexpr int kN = 200000;
    for (const double p : {0.001, 0.01, 0.1, 0.5, 0.9}) {
        int hits = 0;
        for (int i = 0; i < kN; ++i) hits += r.chance(p) ? 1 : 0;
        const double sigma = std::sqrt(kN * p * (1 - p));
        EXPECT_NEAR(hits, kN * p, 5 * sigma) << "p = " << p;
    }
}

TEST(SimRandom, BelowStaysInRangeAndIsUniform) {
    SimRandom r(99);
    EXPECT_EQ(r.below(0), 0u);
    EXPECT_EQ(r.below(1), 0u);
    constexpr int kBuckets = 10;
    constexpr int kN = 100000;
    std::vector<int> count(kBuckets);
    for (int i = 0; i < kN; ++i) {
        const auto v = r.below(kBuckets);
        ASSERT_LT(v, static_cast<std::uint64_t>(kBuckets));
        ++count[v];
    }
    // Chi-square with 9 degrees of freedom: 27.88 is the 0.999 quantile.
    double chi2 = 0;
    for (const int c : count) chi2 += (c - kN / kBuckets) * (c - kN / kBuckets) / double{kN / kBuckets};
    EXPECT_LT(chi2, 27.88);
    // A bound that is not a power of two and close to 2^64 exercises the rejection of the biased low residues.
    const std::uint64_t big = (std::uint64_t{1} << 63) + 12345;
    for (int i = 0; i < 1000; ++i) EXPECT_LT(r.below(big), big);
}

TEST(SimRandom, DurationUpToIsInclusiveAndZeroWithoutADraw) {
    SimRandom r(5), twin(5);
    EXPECT_EQ(r.duration_up_to(Duration{0}), Duration{0});
    EXPECT_EQ(r.duration_up_to(Duration{-3}), Duration{0});
    EXPECT_EQ(r.next_u64(), twin.next_u64());
    bool saw_zero = false, saw_max = false;
    for (int i = 0; i < 2000; ++i) {
        const Duration d = r.duration_up_to(Duration{3});
        ASSERT_GE(d.count(), 0);
        ASSERT_LE(d.count(), 3);
        saw_zero |= d.count() == 0;
        saw_max |= d.count() == 3;
    }
    EXPECT_TRUE(saw_zero);
    EXPECT_TRUE(saw_max);
}

}  // namespace
}  // namespace synack::device
