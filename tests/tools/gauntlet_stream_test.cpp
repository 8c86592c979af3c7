// The gauntlet's payload and its check (tools/gauntlet/stream.hpp): the pattern is a function of key and offset,
// and the verifier fails on every way a byte stream can go wrong — a flipped bit, a duplicate, a gap, reordering,
// extra bytes, an early end.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tools/gauntlet/stream.hpp"

namespace synack::tools::gauntlet {
namespace {

std::vector<std::uint8_t> stream(std::uint64_t key, std::uint64_t offset, std::size_t n) {
    std::vector<std::uint8_t> v(n);
    StreamPattern(key).fill(offset, v);
    return v;
}

TEST(GauntletStream, FillAtAnyOffsetAgreesWithByteAt) {
    const StreamPattern p(42);
    for (std::uint64_t offset : {0ull, 1ull, 7ull, 8ull, 13ull, 1000003ull}) {
        for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 31u}) {
            const auto v = stream(42, offset, n);
            for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(v[i], p.byte_at(offset + i)) << offset << "+" << i;
        }
    }
    // A stretch cut out of a longer fill is the same bytes.
    const auto whole = stream(42, 0, 100);
    const auto part = stream(42, 37, 13);
    EXPECT_EQ(part, std::vector<std::uint8_t>(whole.begin() + 37, whole.begin() + 50));
}

TEST(GauntletStream, KeysGiveDifferentStreams) {
    EXPECT_NE(stream(1, 0, 64), stream(2, 0, 64));
    // Not a constant or a short cycle: the 64 KiB of one key hold every byte value.
    const auto v = stream(7, 0, 65536);
    std::vector<bool> seen(256);
    for (auto b : v) seen[b] = true;
    for (int b = 0; b < 256; ++b) EXPECT_TRUE(seen[b]) << b;
}

TEST(GauntletStream, AcceptsTheStreamInAnyPieces) {
    const auto v = stream(9, 0, 10000);
    for (std::size_t piece : {1u, 3u, 8u, 1448u, 10000u}) {
        StreamVerifier check(9, v.size());
        for (std::size_t i = 0; i < v.size(); i += piece) {
            const std::size_t n = std::min(piece, v.size() - i);
            ASSERT_TRUE(check.consume(wire::Bytes(v.data() + i, n))) << check.failure();
        }
        EXPECT_TRUE(check.finish()) << check.failure();
        EXPECT_TRUE(check.complete());
        EXPECT_EQ(check.delivered(), v.size());
    }
}

TEST(GauntletStream, EmptyStreamEndsAtOnce) {
    StreamVerifier check(9, 0);
    EXPECT_TRUE(check.finish());
    EXPECT_TRUE(check.complete());
}

TEST(GauntletStream, CatchesAFlippedBitAtItsOffset) {
    auto v = stream(5, 0, 4096);
    v[1234] ^= 0x10;
    StreamVerifier check(5, v.size());
    EXPECT_FALSE(check.consume(v));
    EXPECT_FALSE(check.ok());
    EXPECT_EQ(check.first_bad_offset(), 1234u);
    EXPECT_NE(check.failure().find("byte 1234"), std::string::npos) << check.failure();
    EXPECT_FALSE(check.finish());
    EXPECT_FALSE(check.complete());
}

TEST(GauntletStream, CatchesADuplicatedSegment) {
    // Bytes 1000..1999 delivered twice: the second copy sits where 2000.. belongs.
    const auto v = stream(5, 0, 3000);
    StreamVerifier check(5, 4000);
    EXPECT_TRUE(check.consume(wire::Bytes(v.data(), 2000)));
    EXPECT_FALSE(check.consume(wire::Bytes(v.data() + 1000, 1000)));
    EXPECT_EQ(check.first_bad_offset(), 2000u);
}

TEST(GauntletStream, CatchesAGap) {
    const auto v = stream(5, 0, 3000);
    StreamVerifier check(5, 3000);
    EXPECT_TRUE(check.consume(wire::Bytes(v.data(), 1000)));
    EXPECT_FALSE(check.consume(wire::Bytes(v.data() + 1448, 1552)));  // one segment missing
    EXPECT_EQ(check.first_bad_offset(), 1000u);
}

TEST(GauntletStream, CatchesReorderedSegments) {
    const auto v = stream(5, 0, 2896);
    StreamVerifier check(5, 2896);
    EXPECT_FALSE(check.consume(wire::Bytes(v.data() + 1448, 1448)));
    EXPECT_EQ(check.first_bad_offset(), 0u);
}

TEST(GauntletStream, CatchesBytesBeyondTheEnd) {
    const auto v = stream(5, 0, 101);
    StreamVerifier check(5, 100);
    EXPECT_FALSE(check.consume(v));
    EXPECT_EQ(check.first_bad_offset(), 100u);
    EXPECT_NE(check.failure().find("more than the 100 bytes"), std::string::npos) << check.failure();
}

TEST(GauntletStream, CatchesAnEarlyEnd) {
    const auto v = stream(5, 0, 99);
    StreamVerifier check(5, 100);
    EXPECT_TRUE(check.consume(v));
    EXPECT_FALSE(check.finish());
    EXPECT_EQ(check.failure(), "the stream ended after 99 of 100 bytes");
}

TEST(GauntletStream, AnotherKeysStreamIsWrong) {
    const auto v = stream(6, 0, 64);
    StreamVerifier check(5, 64);
    EXPECT_FALSE(check.consume(v));
}

}  // namespace
}  // namespace synack::tools::gauntlet
