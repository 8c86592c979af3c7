#include "tcp/isn.hpp"

#include <gtest/gtest.h>

namespace synack::tcp {
namespace {

const SipHashKey kKeyA = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
const SipHashKey kKeyB = {16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1};

const wire::IpAddress kLocal = *wire::IpAddress::parse("198.18.0.1");
const wire::IpAddress kRemote = *wire::IpAddress::parse("198.18.0.2");

TEST(IsnGenerator, AdvancesOneEvery64Nanoseconds) {
    // RFC 6528: M is the clock. Same 4-tuple, 64 µs later: exactly 1000 ticks of 64 ns further on.
    const IsnGenerator gen(kKeyA, kKeyB);
    const Instant t0 = Instant{} + std::chrono::seconds(1000);
    const auto a = gen.isn(kLocal, 40000, kRemote, 80, t0);
    const auto b = gen.isn(kLocal, 40000, kRemote, 80, t0 + std::chrono::microseconds(64));
    EXPECT_EQ(b.distance_from(a), 1000u);
}

TEST(IsnGenerator, TheHashSeparatesFourTuplesAndSecrets) {
    const IsnGenerator gen(kKeyA, kKeyB);
    const IsnGenerator other(kKeyB, kKeyA);
    const Instant t = Instant{} + std::chrono::seconds(5);
    const auto base = gen.isn(kLocal, 40000, kRemote, 80, t);
    EXPECT_NE(base, gen.isn(kLocal, 40001, kRemote, 80, t));
    EXPECT_NE(base, gen.isn(kLocal, 40000, kRemote, 81, t));
    EXPECT_NE(base, gen.isn(kRemote, 40000, kLocal, 80, t));
    EXPECT_NE(base, other.isn(kLocal, 40000, kRemote, 80, t));
    EXPECT_EQ(base, gen.isn(kLocal, 40000, kRemote, 80, t));  // a function of its inputs only
}

TEST(SipHash24, MatchesThePapersTestVector) {
    // SipHash paper, Appendix A: key 00..0f, message 00..0e (15 bytes) → a129ca6149be45e5.
    SipHashKey key{};
    std::uint8_t message[15];
    for (std::uint8_t i = 0; i < 16; ++i) key[i] = i;
    for (std::uint8_t i = 0; i < 15; ++i) message[i] = i;
    EXPECT_EQ(siphash24(wire::Bytes(message, 15), key), 0xa129ca6149be45e5ull);
    EXPECT_EQ(siphash24(wire::Bytes(), key), 0x726fdb47dd0e0e31ull);  // the empty message, first row of vectors
}

TEST(IsnGenerator, TimestampOffsetDependsOnTheAddressPairOnly) {
    const IsnGenerator gen(kKeyA, kKeyB);
    EXPECT_EQ(gen.ts_offset(kLocal, kRemote), gen.ts_offset(kLocal, kRemote));
    EXPECT_NE(gen.ts_offset(kLocal, kRemote), gen.ts_offset(kRemote, kLocal));
    const IsnGenerator rekeyed(kKeyA, kKeyA);
    EXPECT_NE(gen.ts_offset(kLocal, kRemote), rekeyed.ts_offset(kLocal, kRemote));
}

}  // namespace
}  // namespace synack::tcp
