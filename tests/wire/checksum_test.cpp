#include "wire/checksum.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

namespace synack::wire {
namespace {

// The IPv4 header of the seed Redis SYN (data/captures/seed-redis-ping.pcap): checksum 0x14a5 on the wire.
constexpr std::array<std::uint8_t, 20> kSeedIpHeader = {0x45, 0x00, 0x00, 0x3c, 0x08, 0xcf, 0x40, 0x00, 0x36, 0x06,
                                                         0x14, 0xa5, 0x0a, 0xb3, 0xb5, 0x61, 0x0a, 0x60, 0x5c, 0xd4};

TEST(InternetChecksum, SeedHeaderVerifiesAndRecomputes) {
    EXPECT_EQ(internet_checksum(kSeedIpHeader), 0);
    auto zeroed = kSeedIpHeader;
    zeroed[10] = zeroed[11] = 0;
    EXPECT_EQ(internet_checksum(zeroed), 0x14a5);
}

TEST(InternetChecksum, Rfc1071Example) {
    // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 (folded), so the checksum is 0x220d.
    const std::array<std::uint8_t, 8> b = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    InternetChecksum c;
    c.add(b);
    EXPECT_EQ(c.folded(), 0xddf2);
    EXPECT_EQ(c.finish(), 0x220d);
}

TEST(InternetChecksum, OddRunsCarryIntoTheNext) {
    const std::vector<std::uint8_t> all = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde};
    InternetChecksum pieces;
    pieces.add(Bytes(all.data(), 1));
    pieces.add(Bytes(all.data() + 1, 3));
    pieces.add(Bytes(all.data() + 4, 3));
    EXPECT_EQ(pieces.finish(), internet_checksum(all));
}

// The word-at-a-time sum against RFC 1071's definition (16-bit big-endian words, a last odd byte padded with zero),
// for every length up to 300 at every alignment, in one run and split into pieces of every parity.
std::uint16_t reference_checksum(const std::vector<std::uint8_t>& b) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < b.size(); i += 2) {
        sum += (std::uint32_t{b[i]} << 8) | (i + 1 < b.size() ? b[i + 1] : 0u);
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

TEST(InternetChecksum, MatchesTheDefinitionAtEveryLengthAlignmentAndSplit) {
    std::vector<std::uint8_t> storage(320 + 8);
    std::uint32_t x = 12345;
    for (auto& v : storage) {
        x = x * 1103515245u + 12345u;
        v = static_cast<std::uint8_t>(x >> 16);
    }
    storage[5] = storage[6] = 0xff;  // runs of 0xff exercise the end-around carry
    for (std::size_t align = 0; align < 8; ++align) {
        for (std::size_t n = 0; n <= 300; ++n) {
            const std::vector<std::uint8_t> b(storage.begin() + static_cast<std::ptrdiff_t>(align),
                                              storage.begin() + static_cast<std::ptrdiff_t>(align + n));
            const std::uint16_t want = reference_checksum(b);
            ASSERT_EQ(internet_checksum(Bytes(b.data(), n)), want) << "n " << n << " align " << align;
            for (std::size_t cut : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, n / 2}) {
                if (cut > n) continue;
                InternetChecksum c;
                c.add(Bytes(b.data(), cut));
                c.add(Bytes(b.data() + cut, (n - cut) / 3));
                c.add(Bytes(b.data() + cut + (n - cut) / 3, n - cut - (n - cut) / 3));
                ASSERT_EQ(c.finish(), want) << "n " << n << " cut " << cut;
            }
        }
    }
    const std::vector<std::uint8_t> ones(65535, 0xff);  // the largest IPv4 payload of 0xff: the sum folds many times
    EXPECT_EQ(internet_checksum(Bytes(ones.data(), ones.size())), reference_checksum(ones));
}

TEST(InternetChecksum, IncrementalUpdateMatchesRecompute) {
    // RFC 1624: change the TTL/protocol word and both addresses, update incrementally, compare with a full sum.
    auto h = kSeedIpHeader;
    const std::uint16_t old_cksum = load_be16(&h[10]);
    const std::uint16_t old_ttl_proto = load_be16(&h[8]);
    const std::uint32_t old_src = load_be32(&h[12]);
    store_be16(&h[8], 0x3506);
    store_be32(&h[12], 0xc6120001u);
    std::uint16_t c = checksum_update16(old_cksum, old_ttl_proto, 0x3506);
    c = checksum_update32(c, old_src, 0xc6120001u);
    h[10] = h[11] = 0;
    EXPECT_EQ(c, internet_checksum(h));
}

TEST(InternetChecksum, PseudoHeadersFoldIntoTcpChecksum) {
    // The seed SYN's TCP segment: cksum 0x872f is correct over the IPv4 pseudo-header.
    const std::array<std::uint8_t, 40> tcp = {0x98, 0x9e, 0x18, 0xeb, 0xf6, 0x5a, 0xeb, 0xff, 0x00, 0x00,
                                              0x00, 0x00, 0xa0, 0x02, 0x72, 0x10, 0x87, 0x2f, 0x00, 0x00,
                                              0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0xb0, 0x62,
                                              0xe3, 0x30, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};
    InternetChecksum c;
    add_pseudo_header_v4(c, *Ipv4Address::parse("10.179.181.97"), *Ipv4Address::parse("10.96.92.212"), 6, 40);
    c.add(tcp);
    EXPECT_EQ(c.folded(), 0xffff);

    InternetChecksum v6;
    const auto a = *Ipv6Address::parse("2001:2::1");
    const auto b = *Ipv6Address::parse("2001:2::2");
    add_pseudo_header_v6(v6, a, b, 6, 40);
    v6.add(tcp);
    EXPECT_NE(v6.folded(), 0xffff);  // different pseudo-header, different sum
}

}  // namespace
}  // namespace synack::wire
