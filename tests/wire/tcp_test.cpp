#include "wire/tcp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace synack::wire {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector to_vector(Bytes b) { return ByteVector(b.begin(), b.end()); }

// data/captures/seed-redis-ping.pcap (link type RAW), the TCP part of each packet (tcpdump -xx from offset 0x14).
// 10.179.181.97.39070 > 10.96.92.212.6379: Flags [S], cksum 0x872f (correct), seq 4133153791, win 29200,
// options [mss 1460,sackOK,TS val 2959270704 ecr 0,nop,wscale 7], length 0
constexpr std::array<std::uint8_t, 40> kSeedSyn = {
    0x98, 0x9e, 0x18, 0xeb, 0xf6, 0x5a, 0xeb, 0xff, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
    0x72, 0x10, 0x87, 0x2f, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
    0xb0, 0x62, 0xe3, 0x30, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};
// Flags [P.], cksum 0x4b5f (correct), seq 4133153792:4133153806, ack 4264776964, win 229,
// options [nop,nop,TS val 2959273132 ecr 3132256230], length 14: RESP "ping"
constexpr std::array<std::uint8_t, 46> kSeedPing = {
    0x98, 0x9e, 0x18, 0xeb, 0xf6, 0x5a, 0xec, 0x00, 0xfe, 0x33, 0x55, 0x04, 0x80, 0x18, 0x00, 0xe5,
    0x4b, 0x5f, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0xb0, 0x62, 0xec, 0xac, 0xba, 0xb2, 0x6f, 0xe6,
    0x2a, 0x31, 0x0d, 0x0a, 0x24, 0x34, 0x0d, 0x0a, 0x70, 0x69, 0x6e, 0x67, 0x0d, 0x0a,
};
const Ipv4Address kSeedClient = Ipv4Address::from_u32(0x0ab3b561);  // 10.179.181.97
const Ipv4Address kSeedServer = Ipv4Address::from_u32(0x0a605cd4);  // 10.96.92.212

// Captured on lo with tcpdump -i lo (nc -p 47913 127.0.0.1 47903). Linux leaves loopback checksums partial
// (only the pseudo-header sum is in the field); tcpdump -vv computes the full one: "incorrect -> 0x5f94".
// Flags [S], seq 823624777, win 65495, options [mss 65495,sackOK,TS val 867537163 ecr 0,nop,wscale 10]
constexpr std::array<std::uint8_t, 40> kLoopbackSyn = {
    0xbb, 0x29, 0xbb, 0x1f, 0x31, 0x17, 0x84, 0x49, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
    0xff, 0xd7, 0xfe, 0x30, 0x00, 0x00, 0x02, 0x04, 0xff, 0xd7, 0x04, 0x02, 0x08, 0x0a,
    0x33, 0xb5, 0x91, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a,
};
// Flags [P.], cksum 0xfe38 (incorrect -> 0x65d0), seq 823624778:823624794, ack 1542590975, win 64,
// options [nop,nop,TS val 867537163 ecr 1878622495], length 16 ("synack tcp test\n")
constexpr std::array<std::uint8_t, 48> kLoopbackData = {
    0xbb, 0x29, 0xbb, 0x1f, 0x31, 0x17, 0x84, 0x4a, 0x5b, 0xf2, 0x11, 0xff, 0x80, 0x18, 0x00, 0x40,
    0xfe, 0x38, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x33, 0xb5, 0x91, 0x0b, 0x6f, 0xf9, 0x81, 0x1f,
    0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b, 0x20, 0x74, 0x63, 0x70, 0x20, 0x74, 0x65, 0x73, 0x74, 0x0a,
};
const Ipv4Address kLoopback = Ipv4Address::from_u32(0x7f000001);

// IPv6 SYN between network namespaces: fd77:1::bc79:aff:fe91:a6a8.47134 > fd77:2::2.5002: Flags [S],
// cksum 0x67d6 (incorrect -> 0x6528), seq 2226393821, win 64320,
// options [mss 1340,sackOK,TS val 3240975356 ecr 0,nop,wscale 10], length 0
constexpr std::array<std::uint8_t, 40> kIpv6Syn = {
    0xb8, 0x1e, 0x13, 0x8a, 0x84, 0xb4, 0x12, 0xdd, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
    0xfb, 0x40, 0x67, 0xd6, 0x00, 0x00, 0x02, 0x04, 0x05, 0x3c, 0x04, 0x02, 0x08, 0x0a,
    0xc1, 0x2d, 0x5b, 0xfc, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a,
};
const Ipv6Address kV6Client = {{0xfd, 0x77, 0x00, 0x01, 0, 0, 0, 0, 0xbc, 0x79, 0x0a, 0xff, 0xfe, 0x91, 0xa6, 0xa8}};
const Ipv6Address kV6Server = {{0xfd, 0x77, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02}};

// A received (so fully checksummed) MD5-signed ACK: 10.77.2.2.5003 > 10.77.1.2.53162: Flags [.],
// cksum 0x577f (correct), ack 57403384, win 63, options [nop,nop,md5 ...707c83451627c7eab6144fb27747f774]
constexpr std::array<std::uint8_t, 40> kMd5Ack = {
    0x13, 0x8b, 0xcf, 0xaa, 0x55, 0xbf, 0x71, 0xa1, 0x03, 0x6b, 0xe7, 0xf8, 0xa0, 0x10,
    0x00, 0x3f, 0x57, 0x7f, 0x00, 0x00, 0x01, 0x01, 0x13, 0x12, 0x70, 0x7c, 0x83, 0x45,
    0x16, 0x27, 0xc7, 0xea, 0xb6, 0x14, 0x4f, 0xb2, 0x77, 0x47, 0xf7, 0x74,
};

// The records of a classic little-endian pcap file, for checking the arrays above against the seed capture.
std::vector<ByteVector> read_pcap_records(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const ByteVector file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<ByteVector> records;
    std::size_t off = 24;
    while (file.size() >= off + 16) {
        const std::size_t caplen = load_le32(file.data() + off + 8);
        off += 16;
        if (file.size() < off + caplen) break;
        records.emplace_back(file.begin() + static_cast<std::ptrdiff_t>(off),
                             file.begin() + static_cast<std::ptrdiff_t>(off + caplen));
        off += caplen;
    }
    return records;
}

TEST(TcpView, SeedArraysAreTheSeedCapture) {
    const auto records = read_pcap_records(std::string(SYNACK_SOURCE_DIR) + "/data/captures/seed-redis-ping.pcap");
    ASSERT_EQ(records.size(), 2u);
    // Raw IP, 20-byte IPv4 headers.
    EXPECT_EQ(ByteVector(records[0].begin() + 20, records[0].end()), to_vector(kSeedSyn));
    EXPECT_EQ(ByteVector(records[1].begin() + 20, records[1].end()), to_vector(kSeedPing));
    EXPECT_EQ(to_vector(Bytes(records[0]).subspan(12, 4)), to_vector(kSeedClient.octets));
    EXPECT_EQ(to_vector(Bytes(records[0]).subspan(16, 4)), to_vector(kSeedServer.octets));
}

TEST(TcpView, SeedSynFields) {
    auto parsed = TcpView::parse(kSeedSyn);
    ASSERT_TRUE(parsed.ok());
    const TcpView v = *parsed;
    EXPECT_EQ(v.source_port(), 39070);
    EXPECT_EQ(v.destination_port(), 6379);
    EXPECT_EQ(v.seq(), Seq32(4133153791u));
    EXPECT_EQ(v.ack(), Seq32(0));
    EXPECT_EQ(v.data_offset(), 10);
    EXPECT_EQ(v.header_length(), 40u);
    EXPECT_EQ(v.flags(), tcp_flags::kSyn);
    EXPECT_TRUE(v.has_flags(tcp_flags::kSyn));
    EXPECT_FALSE(v.has_flags(tcp_flags::kSyn | tcp_flags::kAck));
    EXPECT_EQ(v.reserved_bits(), 0);
    EXPECT_EQ(v.window(), 29200);
    EXPECT_EQ(v.checksum(), 0x872f);
    EXPECT_EQ(v.urgent_pointer(), 0);
    EXPECT_EQ(v.header().data(), kSeedSyn.data());
    EXPECT_EQ(v.header().size(), 40u);
    EXPECT_EQ(v.options().data(), kSeedSyn.data() + 20);
    EXPECT_EQ(v.options().size(), 20u);
    EXPECT_TRUE(v.payload().empty());
    EXPECT_EQ(v.bytes().size(), 40u);
    EXPECT_TRUE(v.checksum_valid(kSeedClient, kSeedServer));
    EXPECT_EQ(v.expected_checksum(kSeedClient, kSeedServer), 0x872f);
    EXPECT_FALSE(v.checksum_valid(kSeedClient, kLoopback));  // the pseudo-header's addresses are covered
    TcpOptionIterator it = v.option_iterator();
    EXPECT_EQ(it.next().value().as_mss().value(), 1460);
}

TEST(TcpView, SeedPingPayloadAndChecksum) {
    const TcpView v = TcpView::parse(kSeedPing).value();
    EXPECT_EQ(v.seq(), Seq32(4133153792u));
    EXPECT_EQ(v.ack(), Seq32(4264776964u));
    EXPECT_EQ(v.flags(), tcp_flags::kPsh | tcp_flags::kAck);
    EXPECT_EQ(v.window(), 229);
    EXPECT_EQ(v.header_length(), 32u);
    EXPECT_EQ(std::string(v.payload().begin(), v.payload().end()), "*1\r\n$4\r\nping\r\n");
    EXPECT_TRUE(v.checksum_valid(kSeedClient, kSeedServer));
    EXPECT_EQ(v.expected_checksum(kSeedClient, kSeedServer), 0x4b5f);
    // One flipped payload bit breaks it.
    auto damaged = kSeedPing;
    damaged[45] ^= 0x01;
    const TcpView d = TcpView::parse(damaged).value();
    EXPECT_FALSE(d.checksum_valid(kSeedClient, kSeedServer));
    EXPECT_EQ(d.expected_checksum(kSeedClient, kSeedServer), 0x4b5e);
}

TEST(TcpView, LoopbackAndIpv6ChecksumsMatchTcpdump) {
    const TcpView syn = TcpView::parse(kLoopbackSyn).value();
    EXPECT_EQ(syn.checksum(), 0xfe30);
    EXPECT_FALSE(syn.checksum_valid(kLoopback, kLoopback));
    EXPECT_EQ(syn.expected_checksum(kLoopback, kLoopback), 0x5f94);
    EXPECT_EQ(syn.window(), 65495);

    const TcpView data = TcpView::parse(kLoopbackData).value();
    EXPECT_EQ(data.expected_checksum(kLoopback, kLoopback), 0x65d0);
    EXPECT_EQ(std::string(data.payload().begin(), data.payload().end()), "synack tcp test\n");
    EXPECT_EQ(data.ack(), Seq32(1542590975u));

    const TcpView v6 = TcpView::parse(kIpv6Syn).value();
    EXPECT_EQ(v6.source_port(), 47134);
    EXPECT_EQ(v6.destination_port(), 5002);
    EXPECT_EQ(v6.seq(), Seq32(2226393821u));
    EXPECT_EQ(v6.expected_checksum(kV6Client, kV6Server), 0x6528);
    EXPECT_FALSE(v6.checksum_valid(kV6Client, kV6Server));

    const TcpView md5 = TcpView::parse(kMd5Ack).value();
    EXPECT_TRUE(md5.checksum_valid(Ipv4Address::from_u32(0x0a4d0202), Ipv4Address::from_u32(0x0a4d0102)));
    EXPECT_EQ(md5.expected_checksum(Ipv4Address::from_u32(0x0a4d0202), Ipv4Address::from_u32(0x0a4d0102)), 0x577f);
}

// ---- Builder: reproduces Linux's bytes exactly ----

TEST(TcpBuilder, RebuildsTheSeedSynByteForByte) {
    TcpOptionsBuilder options;
    options.mss(1460).sack_permitted().timestamps(2959270704u, 0).nop().window_scale(7);
    TcpBuilder b;
    b.source_port = 39070;
    b.destination_port = 6379;
    b.seq = Seq32(4133153791u);
    b.flags = tcp_flags::kSyn;
    b.window = 29200;
    b.options = options.bytes();
    EXPECT_EQ(b.size(), 40u);
    EXPECT_EQ(b.build({}, kSeedClient, kSeedServer), to_vector(kSeedSyn));
    std::array<std::uint8_t, 40> out{};
    b.write(out, {}, kSeedClient, kSeedServer);
    EXPECT_EQ(out, kSeedSyn);
}

TEST(TcpBuilder, RebuildsTheSeedPingWithItsPayload) {
    TcpOptionsBuilder options;
    options.nop().nop().timestamps(2959273132u, 3132256230u);
    const std::string resp = "*1\r\n$4\r\nping\r\n";
    const ByteVector payload(resp.begin(), resp.end());
    TcpBuilder b;
    b.source_port = 39070;
    b.destination_port = 6379;
    b.seq = Seq32(4133153792u);
    b.ack = Seq32(4264776964u);
    b.flags = tcp_flags::kPsh | tcp_flags::kAck;
    b.window = 229;
    b.options = options.bytes();
    EXPECT_EQ(b.build(payload, kSeedClient, kSeedServer), to_vector(kSeedPing));

    // write() leaves the payload where it is: header in front of payload bytes already in the buffer.
    std::array<std::uint8_t, 46> buffer{};
    std::copy(payload.begin(), payload.end(), buffer.begin() + 32);
    b.write(buffer, Bytes(buffer).subspan(32), kSeedClient, kSeedServer);
    EXPECT_EQ(buffer, kSeedPing);
}

TEST(TcpBuilder, RebuildsTheIpv6SynWithTheFullChecksum) {
    TcpOptionsBuilder options;
    options.mss(1340).sack_permitted().timestamps(3240975356u, 0).nop().window_scale(10);
    TcpBuilder b;
    b.source_port = 47134;
    b.destination_port = 5002;
    b.seq = Seq32(2226393821u);
    b.flags = tcp_flags::kSyn;
    b.window = 64320;
    b.options = options.bytes();
    auto expected = to_vector(kIpv6Syn);
    expected[16] = 0x65;  // the checksum Linux would have sent without offload (tcpdump: "-> 0x6528")
    expected[17] = 0x28;
    const ByteVector built = b.build({}, kV6Client, kV6Server);
    EXPECT_EQ(built, expected);
    EXPECT_TRUE(TcpView::parse(built).value().checksum_valid(kV6Client, kV6Server));
}

TEST(TcpBuilder, EveryFlagAndTheReservedBitsRoundTrip) {
    for (std::uint16_t f = 0; f <= tcp_flags::kAll; ++f) {
        TcpBuilder b;
        b.flags = f;
        b.reserved_bits = static_cast<std::uint8_t>(f & 0x07);
        const ByteVector bytes = b.build({}, kLoopback, kLoopback);
        // Byte 12: data offset 5 | 3 reserved bits | AE; byte 13: CWR ECE URG ACK PSH RST SYN FIN.
        ASSERT_EQ(bytes[12], 0x50 | ((f & 0x07) << 1) | (f >> 8));
        ASSERT_EQ(bytes[13], f & 0xff);
        const TcpView v = TcpView::parse(bytes).value();
        ASSERT_EQ(v.flags(), f);
        ASSERT_EQ(v.reserved_bits(), f & 0x07);
        ASSERT_EQ(v.data_offset(), 5);
        ASSERT_TRUE(v.checksum_valid(kLoopback, kLoopback));
    }
}

TEST(TcpBuilder, AllFieldsRoundTripWithWrappingSequenceNumbers) {
    TcpOptionsBuilder options;
    options.mss(1460).window_scale(3);  // 7 bytes: zero-padded to 8
    const ByteVector payload = {0xde, 0xad, 0xbe};
    TcpBuilder b;
    b.source_port = 0xffff;
    b.destination_port = 1;
    b.seq = Seq32(0xffffffffu);
    b.ack = Seq32(0xffffffffu) + 2;
    b.flags = tcp_flags::kAck | tcp_flags::kUrg | tcp_flags::kFin;
    b.window = 0x8001;
    b.urgent_pointer = 3;
    b.options = options.bytes().first(7);
    EXPECT_EQ(b.size(), 28u);
    const ByteVector bytes = b.build(payload, kSeedClient, kSeedServer);
    ASSERT_EQ(bytes.size(), 31u);
    EXPECT_EQ(bytes[27], 0x00);  // padding
    const TcpView v = TcpView::parse(bytes).value();
    EXPECT_EQ(v.source_port(), 0xffff);
    EXPECT_EQ(v.destination_port(), 1);
    EXPECT_EQ(v.seq(), Seq32(0xffffffffu));
    EXPECT_EQ(v.ack(), Seq32(1));
    EXPECT_TRUE(after(v.ack(), v.seq()));
    EXPECT_EQ(v.flags(), tcp_flags::kAck | tcp_flags::kUrg | tcp_flags::kFin);
    EXPECT_EQ(v.window(), 0x8001);
    EXPECT_EQ(v.urgent_pointer(), 3);
    EXPECT_EQ(v.data_offset(), 7);
    EXPECT_EQ(to_vector(v.options()), (ByteVector{0x02, 0x04, 0x05, 0xb4, 0x03, 0x03, 0x03, 0x00}));
    EXPECT_EQ(to_vector(v.payload()), payload);
    EXPECT_TRUE(v.checksum_valid(kSeedClient, kSeedServer));
    EXPECT_EQ(v.checksum(), v.expected_checksum(kSeedClient, kSeedServer));
}

TEST(TcpBuilder, OverridesCraftBadSegments) {
    TcpBuilder b;
    b.checksum = 0x1234;
    const ByteVector bad_sum = b.build({}, kLoopback, kLoopback);
    EXPECT_EQ(load_be16(bad_sum.data() + 16), 0x1234);
    EXPECT_FALSE(TcpView::parse(bad_sum).value().checksum_valid(kLoopback, kLoopback));

    b.checksum.reset();
    for (std::uint8_t offset = 0; offset < 5; ++offset) {
        b.data_offset = offset;
        const ByteVector bytes = b.build({}, kLoopback, kLoopback);
        ASSERT_EQ(bytes.size(), 20u);
        EXPECT_EQ(bytes[12] >> 4, offset);
        EXPECT_EQ(TcpView::parse(bytes).error(), ParseError::BadHeaderLength) << int{offset};
    }
    b.data_offset = 6;  // 24 bytes claimed, 20 written
    EXPECT_EQ(TcpView::parse(b.build({}, kLoopback, kLoopback)).error(), ParseError::Truncated);
    // ...but with 4 payload bytes behind it the same header parses: the payload's first word becomes "options".
    const ByteVector four = {0x01, 0x01, 0x01, 0x01};
    const ByteVector with_payload = b.build(four, kLoopback, kLoopback);
    const TcpView v = TcpView::parse(with_payload).value();
    EXPECT_EQ(v.header_length(), 24u);
    EXPECT_EQ(to_vector(v.options()), four);
    EXPECT_TRUE(v.payload().empty());
    EXPECT_TRUE(v.checksum_valid(kLoopback, kLoopback));
}

TEST(TcpView, AnOptionRunningPastTheHeaderDoesNotReachIntoThePayload) {
    // Data offset 6: four option bytes, a timestamps option claiming 10 of them; the payload would have enough.
    TcpBuilder b;
    const ByteVector options = {0x08, 0x0a, 0x00, 0x00};
    b.options = options;
    const ByteVector payload(16, 0x00);
    const ByteVector bytes = b.build(payload, kLoopback, kLoopback);
    const TcpView v = TcpView::parse(bytes).value();
    EXPECT_EQ(v.header_length(), 24u);
    EXPECT_EQ(v.payload().size(), 16u);
    TcpOptionIterator it = v.option_iterator();
    EXPECT_EQ(it.next().error(), ParseError::BadOptionLength);
    EXPECT_EQ(it.remaining().size(), 4u);
    EXPECT_EQ(validate_tcp_options(v.options()).error(), ParseError::BadOptionLength);
}

// ---- Every truncation point ----

TEST(TcpView, EveryTruncationOfTheSeedSyn) {
    for (std::size_t n = 0; n < kSeedSyn.size(); ++n) {
        auto r = TcpView::parse(Bytes(kSeedSyn).first(n));
        ASSERT_FALSE(r.ok()) << n;
        EXPECT_EQ(r.error(), ParseError::Truncated) << n;  // < 20: the fixed header; 20..39: its options
    }
    EXPECT_TRUE(TcpView::parse(kSeedSyn).ok());
}

TEST(TcpView, DataOffsetLimits) {
    ByteVector bytes(60, 0);
    for (std::uint8_t offset = 0; offset < 16; ++offset) {
        bytes[12] = static_cast<std::uint8_t>(offset << 4);
        auto r = TcpView::parse(bytes);
        if (offset < 5) {
            EXPECT_EQ(r.error(), ParseError::BadHeaderLength) << int{offset};
        } else {
            ASSERT_TRUE(r.ok()) << int{offset};
            EXPECT_EQ(r->header_length(), std::size_t{offset} * 4);
            EXPECT_EQ(r->options().size(), std::size_t{offset} * 4 - 20);
            EXPECT_EQ(r->payload().size(), 60u - std::size_t{offset} * 4);
        }
    }
    // Data offset 15 is the largest header: 60 bytes, 40 of options.
    bytes[12] = 0xf0;
    EXPECT_EQ(TcpView::parse(Bytes(bytes).first(59)).error(), ParseError::Truncated);
}

// ---- parse_captured: the fixed header is enough ----

TEST(TcpView, ParseCapturedBelowTheFixedHeaderIsTruncated) {
    for (std::size_t n = 0; n < TcpView::kMinHeaderLength; ++n) {
        auto r = TcpView::parse_captured(Bytes(kSeedSyn).first(n));
        ASSERT_FALSE(r.ok()) << n;
        EXPECT_EQ(r.error(), ParseError::Truncated) << n;
    }
}

TEST(TcpView, ParseCapturedAtEveryTruncationPointOfTheOptions) {
    // The seed SYN (data offset 10): tcpdump prints its fixed part whatever is missing of the 20 option bytes.
    for (std::size_t n = TcpView::kMinHeaderLength; n < kSeedSyn.size(); ++n) {
        const Bytes cut = Bytes(kSeedSyn).first(n);
        auto r = TcpView::parse_captured(cut);
        ASSERT_TRUE(r.ok()) << n;
        EXPECT_EQ(r->source_port(), 39070) << n;
        EXPECT_EQ(r->destination_port(), 6379) << n;
        EXPECT_EQ(r->seq(), Seq32(4133153791u)) << n;
        EXPECT_EQ(r->flags(), tcp_flags::kSyn) << n;
        EXPECT_EQ(r->window(), 29200) << n;
        EXPECT_EQ(r->checksum(), 0x872f) << n;
        EXPECT_EQ(r->header_length(), 40u) << n;  // what the data offset says
        EXPECT_TRUE(r->options_truncated()) << n;
        EXPECT_EQ(r->options().data(), kSeedSyn.data() + 20) << n;
        EXPECT_EQ(r->options().size(), n - 20) << n;
        EXPECT_EQ(r->header().size(), n) << n;
        EXPECT_TRUE(r->payload().empty()) << n;
    }
    auto whole = TcpView::parse_captured(kSeedSyn);
    ASSERT_TRUE(whole.ok());
    EXPECT_FALSE(whole->options_truncated());
    EXPECT_EQ(whole->options().size(), 20u);
    EXPECT_TRUE(whole->payload().empty());
}

TEST(TcpView, ParseCapturedEqualsParseOnWholeHeaders) {
    // The seed ping at every length from its whole header on: the same view as parse, the payload as captured.
    for (std::size_t n = 32; n <= kSeedPing.size(); ++n) {
        const Bytes cut = Bytes(kSeedPing).first(n);
        auto captured = TcpView::parse_captured(cut);
        auto strict = TcpView::parse(cut);
        ASSERT_TRUE(captured.ok() && strict.ok()) << n;
        EXPECT_FALSE(captured->options_truncated()) << n;
        EXPECT_EQ(captured->options().data(), strict->options().data()) << n;
        EXPECT_EQ(captured->options().size(), 12u) << n;
        EXPECT_EQ(captured->payload().data(), kSeedPing.data() + 32) << n;
        EXPECT_EQ(captured->payload().size(), n - 32) << n;
        EXPECT_EQ(strict->payload().size(), n - 32) << n;
    }
    for (std::size_t n = 20; n < 32; ++n) {
        auto captured = TcpView::parse_captured(Bytes(kSeedPing).first(n));
        ASSERT_TRUE(captured.ok()) << n;
        EXPECT_TRUE(captured->options_truncated()) << n;
        EXPECT_TRUE(captured->payload().empty()) << n;
        EXPECT_FALSE(TcpView::parse(Bytes(kSeedPing).first(n)).ok()) << n;
    }
}

TEST(TcpView, ParseCapturedRefusesADataOffsetBelowFive) {
    ByteVector bytes(kSeedSyn.begin(), kSeedSyn.end());
    for (std::uint8_t offset = 0; offset < 5; ++offset) {
        bytes[12] = static_cast<std::uint8_t>(offset << 4);
        auto r = TcpView::parse_captured(bytes);
        ASSERT_FALSE(r.ok()) << int{offset};
        EXPECT_EQ(r.error(), ParseError::BadHeaderLength) << int{offset};
    }
    bytes[12] = 0xf0;  // 60 bytes claimed, 40 present
    auto r = TcpView::parse_captured(bytes);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->header_length(), 60u);
    EXPECT_EQ(r->options().size(), 20u);
    EXPECT_TRUE(r->options_truncated());
}

}  // namespace
}  // namespace synack::wire
