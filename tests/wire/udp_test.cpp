#include "wire/udp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace synack::wire {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector to_vector(Bytes b) { return ByteVector(b.begin(), b.end()); }

// Captured with tcpdump -i lo. Linux leaves loopback UDP checksums partial; tcpdump -vv computes the full one.
// `echo hello-udp | nc -u -p 47911 127.0.0.1 47901`:
// 127.0.0.1.47911 > 127.0.0.1.47901: [bad udp cksum 0xfe25 -> 0x6214!] UDP, length 10
constexpr std::array<std::uint8_t, 18> kLoopbackUdp = {0xbb, 0x27, 0xbb, 0x1d, 0x00, 0x12, 0xfe, 0x25, 0x68,
                                                       0x65, 0x6c, 0x6c, 0x6f, 0x2d, 0x75, 0x64, 0x70, 0x0a};
// `echo hello-udp6 | nc -6 -u -p 47912 ::1 47902`:
// ::1.47912 > ::1.47902: [bad udp cksum 0x0026 -> 0x55e5!] UDP, length 11
constexpr std::array<std::uint8_t, 19> kLoopbackUdp6 = {0xbb, 0x28, 0xbb, 0x1e, 0x00, 0x13, 0x00, 0x26, 0x68, 0x65,
                                                        0x6c, 0x6c, 0x6f, 0x2d, 0x75, 0x64, 0x70, 0x36, 0x0a};
// Sent from a socket with SO_NO_CHECK: 127.0.0.1.47922 > 127.0.0.1.47921: [no cksum] UDP, length 11
constexpr std::array<std::uint8_t, 19> kNoChecksumUdp = {0xbb, 0x32, 0xbb, 0x31, 0x00, 0x13, 0x00, 0x00, 0x6e, 0x6f,
                                                         0x20, 0x63, 0x68, 0x65, 0x63, 0x6b, 0x73, 0x75, 0x6d};

const Ipv4Address kLoopback = Ipv4Address::from_u32(0x7f000001);
const Ipv6Address kLoopback6 = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

TEST(UdpView, LoopbackDatagramFields) {
    const UdpView v = UdpView::parse(kLoopbackUdp).value();
    EXPECT_EQ(v.source_port(), 47911);
    EXPECT_EQ(v.destination_port(), 47901);
    EXPECT_EQ(v.length(), 18);
    EXPECT_EQ(v.checksum(), 0xfe25);
    EXPECT_EQ(v.header_length(), 8u);
    EXPECT_EQ(v.header().data(), kLoopbackUdp.data());
    EXPECT_EQ(v.header().size(), 8u);
    EXPECT_EQ(std::string(v.payload().begin(), v.payload().end()), "hello-udp\n");
    EXPECT_FALSE(v.payload_truncated());
    EXPECT_EQ(v.datagram().size(), 18u);
    EXPECT_EQ(v.expected_checksum(kLoopback, kLoopback), 0x6214);
    EXPECT_FALSE(v.checksum_valid(kLoopback, kLoopback));
}

TEST(UdpView, LoopbackIpv6DatagramChecksumMatchesTcpdump) {
    const UdpView v = UdpView::parse_strict(kLoopbackUdp6).value();
    EXPECT_EQ(v.source_port(), 47912);
    EXPECT_EQ(v.destination_port(), 47902);
    EXPECT_EQ(v.length(), 19);
    EXPECT_EQ(std::string(v.payload().begin(), v.payload().end()), "hello-udp6\n");
    EXPECT_EQ(v.expected_checksum(kLoopback6, kLoopback6), 0x55e5);
    EXPECT_FALSE(v.checksum_valid(kLoopback6, kLoopback6));
}

TEST(UdpView, ZeroChecksumMeansNoneOverIpv4Only) {
    const UdpView v = UdpView::parse(kNoChecksumUdp).value();
    EXPECT_EQ(v.checksum(), 0);
    EXPECT_TRUE(v.checksum_valid(kLoopback, kLoopback));       // RFC 768: "no checksum"
    EXPECT_FALSE(v.checksum_valid(kLoopback6, kLoopback6));    // RFC 8200 §8.1: mandatory over IPv6
    EXPECT_EQ(std::string(v.payload().begin(), v.payload().end()), "no checksum");
}

TEST(UdpBuilder, RebuildsTheLoopbackDatagramsWithFullChecksums) {
    UdpBuilder b;
    b.source_port = 47911;
    b.destination_port = 47901;
    const std::string text = "hello-udp\n";
    const ByteVector payload(text.begin(), text.end());
    ByteVector expected = to_vector(kLoopbackUdp);
    expected[6] = 0x62;
    expected[7] = 0x14;
    EXPECT_EQ(b.size(), 8u);
    const ByteVector built = b.build(payload, kLoopback, kLoopback);
    EXPECT_EQ(built, expected);
    EXPECT_TRUE(UdpView::parse(built).value().checksum_valid(kLoopback, kLoopback));

    UdpBuilder b6;
    b6.source_port = 47912;
    b6.destination_port = 47902;
    const std::string text6 = "hello-udp6\n";
    ByteVector expected6 = to_vector(kLoopbackUdp6);
    expected6[6] = 0x55;
    expected6[7] = 0xe5;
    const ByteVector built6 = b6.build(ByteVector(text6.begin(), text6.end()), kLoopback6, kLoopback6);
    EXPECT_EQ(built6, expected6);
    EXPECT_TRUE(UdpView::parse(built6).value().checksum_valid(kLoopback6, kLoopback6));

    // write() sums a payload that already sits behind the header.
    std::array<std::uint8_t, 18> buffer{};
    std::copy(payload.begin(), payload.end(), buffer.begin() + 8);
    b.write(buffer, Bytes(buffer).subspan(8), kLoopback, kLoopback);
    EXPECT_EQ(to_vector(buffer), expected);
}

TEST(UdpBuilder, ComputedZeroIsSentAsAllOnes) {
    // Choose a payload word that makes the one's-complement sum 0xffff, so the checksum computes to 0.
    UdpBuilder b;
    b.source_port = 1000;
    b.destination_port = 2000;
    const ByteVector zero_word = {0, 0};
    const std::uint16_t c = load_be16(b.build(zero_word, kLoopback, kLoopback).data() + 6);
    const ByteVector filler = {static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c)};
    const ByteVector bytes = b.build(filler, kLoopback, kLoopback);
    EXPECT_EQ(load_be16(bytes.data() + 6), 0xffff);  // RFC 768: a computed zero is transmitted as all ones
    const UdpView v = UdpView::parse(bytes).value();
    EXPECT_EQ(v.expected_checksum(kLoopback, kLoopback), 0xffff);
    EXPECT_TRUE(v.checksum_valid(kLoopback, kLoopback));
}

TEST(UdpBuilder, OverridesAndEmptyPayload) {
    UdpBuilder b;
    b.source_port = 53;
    b.destination_port = 33333;
    const ByteVector empty_dgram = b.build({}, kLoopback, kLoopback);
    ASSERT_EQ(empty_dgram.size(), 8u);
    EXPECT_EQ(load_be16(empty_dgram.data() + 4), 8);
    const UdpView e = UdpView::parse_strict(empty_dgram).value();
    EXPECT_TRUE(e.payload().empty());
    EXPECT_TRUE(e.checksum_valid(kLoopback, kLoopback));

    b.length = 100;
    b.checksum = 0;
    const ByteVector bytes = b.build(ByteVector{1, 2, 3}, kLoopback, kLoopback);
    EXPECT_EQ(to_vector(bytes), (ByteVector{0x00, 0x35, 0x82, 0x35, 0x00, 0x64, 0x00, 0x00, 1, 2, 3}));
}

// ---- Length field rules: captures cut short (parse) vs the stack's input (parse_strict) ----

TEST(UdpView, EveryTruncationOfTheHeader) {
    for (std::size_t n = 0; n < 8; ++n) {
        EXPECT_EQ(UdpView::parse(Bytes(kLoopbackUdp).first(n)).error(), ParseError::Truncated) << n;
        EXPECT_EQ(UdpView::parse_strict(Bytes(kLoopbackUdp).first(n)).error(), ParseError::Truncated) << n;
    }
}

TEST(UdpView, CapturesCutShortParseButNotStrictly) {
    for (std::size_t n = 8; n < kLoopbackUdp.size(); ++n) {
        const Bytes cut = Bytes(kLoopbackUdp).first(n);
        const UdpView v = UdpView::parse(cut).value();
        EXPECT_TRUE(v.payload_truncated()) << n;
        EXPECT_EQ(v.length(), 18);
        EXPECT_EQ(v.payload().size(), n - 8);
        EXPECT_EQ(v.datagram().size(), n);
        EXPECT_EQ(UdpView::parse_strict(cut).error(), ParseError::BadTotalLength) << n;
    }
}

TEST(UdpView, LengthBelowTheHeaderIsAlwaysAnError) {
    for (std::uint16_t length = 0; length < 8; ++length) {
        ByteVector bytes = to_vector(kLoopbackUdp);
        store_be16(bytes.data() + 4, length);
        EXPECT_EQ(UdpView::parse(bytes).error(), ParseError::BadTotalLength) << length;
        EXPECT_EQ(UdpView::parse_strict(bytes).error(), ParseError::BadTotalLength) << length;
    }
}

TEST(UdpView, ParseCapturedNeedsOnlyThePorts) {
    for (std::size_t n = 0; n < 4; ++n) {
        EXPECT_EQ(UdpView::parse_captured(Bytes(kLoopbackUdp).first(n)).error(), ParseError::Truncated) << n;
    }
    for (std::size_t n = 4; n < 8; ++n) {
        const UdpView v = UdpView::parse_captured(Bytes(kLoopbackUdp).first(n)).value();
        EXPECT_TRUE(v.header_truncated()) << n;
        EXPECT_EQ(v.source_port(), 47911) << n;
        EXPECT_EQ(v.destination_port(), 47901) << n;
        EXPECT_EQ(v.length(), n >= 6 ? 18 : 0) << n;
        EXPECT_EQ(v.checksum(), 0) << n;  // bytes 6-7 are never all there below 8
        EXPECT_EQ(v.header().size(), n) << n;
        EXPECT_TRUE(v.payload().empty()) << n;
    }
    for (std::size_t n = 8; n <= kLoopbackUdp.size(); ++n) {
        const UdpView v = UdpView::parse_captured(Bytes(kLoopbackUdp).first(n)).value();
        EXPECT_FALSE(v.header_truncated()) << n;
        EXPECT_EQ(v.checksum(), 0xfe25) << n;
        EXPECT_EQ(v.payload().size(), n - 8) << n;
        EXPECT_EQ(v.payload_truncated(), n < kLoopbackUdp.size()) << n;
    }
}

TEST(UdpView, ParseCapturedReportsALengthBelowTheHeader) {
    // A printer says "truncated-udplength 4" rather than refusing; RFC 2675 jumbograms carry a length of 0.
    for (std::uint16_t length = 0; length < 8; ++length) {
        ByteVector bytes = to_vector(kLoopbackUdp);
        store_be16(bytes.data() + 4, length);
        const UdpView v = UdpView::parse_captured(bytes).value();
        EXPECT_EQ(v.length(), length);
        EXPECT_EQ(v.payload().size(), 10u) << length;  // to the end of the bytes
    }
}

TEST(UdpView, BytesBeyondTheLengthAreNotPayload) {
    // E.g. Ethernet padding after a short datagram: Linux udp_rcv trims to the UDP length.
    ByteVector bytes = to_vector(kLoopbackUdp);
    bytes.insert(bytes.end(), {0, 0, 0, 0});
    const UdpView v = UdpView::parse_strict(bytes).value();
    EXPECT_FALSE(v.payload_truncated());
    EXPECT_EQ(std::string(v.payload().begin(), v.payload().end()), "hello-udp\n");
    EXPECT_EQ(v.expected_checksum(kLoopback, kLoopback), 0x6214);
}

}  // namespace
}  // namespace synack::wire
