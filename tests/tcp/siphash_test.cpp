// SipHasher (inlined, key prepared once) must be SipHash-2-4 exactly: the paper's vector, and libsodium's answer
// (siphash24()) for every length from 0 to 80 bytes under random keys and messages.
#include "tcp/siphash.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace synack::tcp {
namespace {

TEST(SipHasher, MatchesThePapersTestVector) {
    // SipHash paper, Appendix A: key 00..0f, message 00..0e (15 bytes) → a129ca6149be45e5.
    SipHashKey key{};
    std::uint8_t message[15];
    for (std::uint8_t i = 0; i < 16; ++i) key[i] = i;
    for (std::uint8_t i = 0; i < 15; ++i) message[i] = i;
    EXPECT_EQ(SipHasher(key)(message, sizeof message), 0xa129ca6149be45e5ull);
}

TEST(SipHasher, MatchesLibsodiumForEveryLength) {
    std::mt19937_64 rng(11);
    for (int round = 0; round < 20; ++round) {
        SipHashKey key{};
        for (auto& b : key) b = static_cast<std::uint8_t>(rng());
        const SipHasher hasher(key);
        for (std::size_t len = 0; len <= 80; ++len) {
            std::vector<std::uint8_t> m(len);
            for (auto& b : m) b = static_cast<std::uint8_t>(rng());
            ASSERT_EQ(hasher(m.data(), m.size()), siphash24(wire::Bytes(m.data(), m.size()), key)) << "length " << len;
        }
    }
}

}  // namespace
}  // namespace synack::tcp
