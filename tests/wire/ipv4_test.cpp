#include "wire/ipv4.hpp"

#include <gtest/gtest.h>

#include "support/hex.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace synack::wire {
namespace {

using test::hex;

const Ipv4Address kA{{10, 9, 0, 1}};
const Ipv4Address kB{{10, 9, 0, 2}};

// IPv4 packets captured with tcpdump on a veth pair (10.9.0.1 -> 10.9.0.2), Ethernet header removed.
// "(tos 0x0, ttl 64, id 55165, offset 0, flags [DF], proto ICMP (1), length 84)": a whole echo request.
const std::vector<std::uint8_t> kEchoRequest = hex(
    "4500 0054 d77d 4000 4001 4f17 0a09 0001"
    "0a09 0002 0800 1eb7 2147 0001 aa82 046b"
    "0000 0000 4640 0400 0000 0000 1011 1213"
    "1415 1617 1819 1a1b 1c1d 1e1f 2021 2223"
    "2425 2627 2829 2a2b 2c2d 2e2f 3031 3233"
    "3435 3637");
// `ping -s 3000 -Q 0xb9`: "(tos 0xb9,ECT(1), ttl 64, id 9974, offset 0, flags [+], proto ICMP (1), length 1500)",
// first 46 bytes only (as a capture with a small snapshot length holds it).
const std::vector<std::uint8_t> kFirstFragmentHead = hex(
    "45b9 05dc 26f6 2000 4001 195e 0a09 0001"
    "0a09 0002 0800 4dd1 2dde 0001 4283 046b"
    "0000 0000 50b3 0500 0000 0000 1011");
// "(tos 0xb9,ECT(1), ttl 64, id 9974, offset 1480, flags [+], proto ICMP (1), length 1500)", first 20 bytes.
const std::vector<std::uint8_t> kMiddleFragmentHeader = hex(
    "45b9 05dc 26f6 20b9 4001 18a5 0a09 0001 0a09 0002");
// "(tos 0xb9,ECT(1), ttl 64, id 9974, offset 2960, flags [none], proto ICMP (1), length 68)": whole.
const std::vector<std::uint8_t> kLastFragment = hex(
    "45b9 0044 26f6 0172 4001 3d84 0a09 0001"
    "0a09 0002 8889 8a8b 8c8d 8e8f 9091 9293"
    "9495 9697 9899 9a9b 9c9d 9e9f a0a1 a2a3"
    "a4a5 a6a7 a8a9 aaab acad aeaf b0b1 b2b3"
    "b4b5 b6b7");
// `ping -R`: "(tos 0x0, ttl 64, id 55169, offset 0, flags [DF], proto ICMP (1), length 124, options (NOP,RR 10.9.0.1,
// 0.0.0.0 …))", the 60-byte header and 8 bytes of ICMP.
const std::vector<std::uint8_t> kRecordRouteHead = hex(
    "4f00 007c d781 4000 4001 12d2 0a09 0001"
    "0a09 0002 0107 2708 0a09 0001 0000 0000"
    "0000 0000 0000 0000 0000 0000 0000 0000"
    "0000 0000 0000 0000 0000 0000 0800 ca47"
    "214a 0001");
// data/captures/seed-loopback-handshake.pcap, the first SYN's IP header:
// "127.0.0.1.48448 > 127.0.0.1.7899: Flags [S]", tos 0x10.
const std::vector<std::uint8_t> kSeedSynHeader = hex("4510 003c dbf7 4000 4006 60b2 7f00 0001 7f00 0001");

TEST(Ipv4View, RealEchoRequest) {
    auto ip = Ipv4View::parse(kEchoRequest);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->version(), 4);
    EXPECT_EQ(ip->ihl(), 5);
    EXPECT_EQ(ip->header_length(), 20u);
    EXPECT_EQ(ip->header().size(), 20u);
    EXPECT_EQ(ip->tos(), 0);
    EXPECT_EQ(ip->total_length(), 84);
    EXPECT_EQ(ip->identification(), 55165);
    EXPECT_FALSE(ip->reserved_flag());
    EXPECT_TRUE(ip->dont_fragment());
    EXPECT_FALSE(ip->more_fragments());
    EXPECT_EQ(ip->fragment_offset(), 0);
    EXPECT_FALSE(ip->is_fragment());
    EXPECT_EQ(ip->ttl(), 64);
    EXPECT_EQ(ip->protocol(), ip_protocol::kIcmp);
    EXPECT_EQ(ip->checksum(), 0x4f17);
    EXPECT_EQ(ip->source(), kA);
    EXPECT_EQ(ip->destination(), kB);
    EXPECT_TRUE(ip->options().empty());
    EXPECT_EQ(ip->payload().data(), kEchoRequest.data() + 20);
    EXPECT_EQ(ip->payload().size(), 64u);
    EXPECT_EQ(ip->payload()[0], 0x08);  // ICMP echo request
    EXPECT_FALSE(ip->payload_truncated());
    EXPECT_TRUE(ip->padding().empty());
    EXPECT_TRUE(ip->header_checksum_valid());
    EXPECT_TRUE(Ipv4View::parse_strict(kEchoRequest).ok());
}

TEST(Ipv4View, RealSeedHeaderWithTos) {
    auto ip = Ipv4View::parse(kSeedSynHeader);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->tos(), 0x10);
    EXPECT_EQ(ip->dscp(), 4);
    EXPECT_EQ(ip->ecn(), 0);
    EXPECT_EQ(ip->total_length(), 60);
    EXPECT_EQ(ip->identification(), 0xdbf7);
    EXPECT_EQ(ip->protocol(), ip_protocol::kTcp);
    EXPECT_EQ(ip->source(), (Ipv4Address{{127, 0, 0, 1}}));
    EXPECT_TRUE(ip->header_checksum_valid());
    // Only the header is here: the capture "cut" the 40 bytes of TCP.
    EXPECT_TRUE(ip->payload().empty());
    EXPECT_TRUE(ip->payload_truncated());
    auto strict = Ipv4View::parse_strict(kSeedSynHeader);
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(strict.error(), ParseError::BadTotalLength);
}

TEST(Ipv4View, RealFragments) {
    auto first = Ipv4View::parse(kFirstFragmentHead);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->tos(), 0xb9);
    EXPECT_EQ(first->dscp(), 46);
    EXPECT_EQ(first->ecn(), 1);
    EXPECT_EQ(first->total_length(), 1500);
    EXPECT_EQ(first->identification(), 9974);
    EXPECT_FALSE(first->dont_fragment());
    EXPECT_TRUE(first->more_fragments());
    EXPECT_EQ(first->fragment_offset(), 0);
    EXPECT_TRUE(first->is_fragment());
    EXPECT_TRUE(first->header_checksum_valid());
    EXPECT_EQ(first->payload().size(), 26u);
    EXPECT_TRUE(first->payload_truncated());

    auto middle = Ipv4View::parse(kMiddleFragmentHeader);
    ASSERT_TRUE(middle.ok());
    EXPECT_TRUE(middle->more_fragments());
    EXPECT_EQ(middle->fragment_offset(), 1480);
    EXPECT_TRUE(middle->is_fragment());
    EXPECT_TRUE(middle->header_checksum_valid());

    auto last = Ipv4View::parse_strict(kLastFragment);
    ASSERT_TRUE(last.ok());
    EXPECT_EQ(last->total_length(), 68);
    EXPECT_FALSE(last->more_fragments());
    EXPECT_FALSE(last->dont_fragment());
    EXPECT_EQ(last->fragment_offset(), 2960);
    EXPECT_TRUE(last->is_fragment());
    EXPECT_EQ(last->payload().size(), 48u);
    EXPECT_EQ(last->payload()[0], 0x88);
    EXPECT_FALSE(last->payload_truncated());
    EXPECT_TRUE(last->header_checksum_valid());
}

TEST(Ipv4View, RealHeaderWithOptions) {
    auto ip = Ipv4View::parse(kRecordRouteHead);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->ihl(), 15);
    EXPECT_EQ(ip->header_length(), 60u);
    EXPECT_EQ(ip->options().size(), 40u);
    EXPECT_EQ(ip->options().data(), kRecordRouteHead.data() + 20);
    EXPECT_EQ(ip->options()[0], 0x01);
    EXPECT_EQ(ip->options()[1], 0x07);
    EXPECT_EQ(ip->total_length(), 124);
    EXPECT_EQ(ip->payload().data(), kRecordRouteHead.data() + 60);
    EXPECT_EQ(ip->payload().size(), 8u);
    EXPECT_TRUE(ip->payload_truncated());
    EXPECT_TRUE(ip->header_checksum_valid());
}

TEST(Ipv4View, EveryTruncationPointOfTheFixedHeader) {
    for (std::size_t n = 0; n < 20; ++n) {
        auto ip = Ipv4View::parse(Bytes(kEchoRequest.data(), n));
        ASSERT_FALSE(ip.ok()) << n;
        EXPECT_EQ(ip.error(), ParseError::Truncated) << n;
    }
    auto header_only = Ipv4View::parse(Bytes(kEchoRequest.data(), 20));
    ASSERT_TRUE(header_only.ok());
    EXPECT_TRUE(header_only->payload().empty());
    EXPECT_TRUE(header_only->payload_truncated());
}

TEST(Ipv4View, EveryTruncationPointOfTheOptions) {
    for (std::size_t n = 20; n < 60; ++n) {
        auto ip = Ipv4View::parse(Bytes(kRecordRouteHead.data(), n));
        ASSERT_FALSE(ip.ok()) << n;
        EXPECT_EQ(ip.error(), ParseError::Truncated) << n;
        auto strict = Ipv4View::parse_strict(Bytes(kRecordRouteHead.data(), n));
        ASSERT_FALSE(strict.ok()) << n;
        EXPECT_EQ(strict.error(), ParseError::Truncated) << n;
    }
    auto ip = Ipv4View::parse(Bytes(kRecordRouteHead.data(), 60));
    ASSERT_TRUE(ip.ok());
    EXPECT_TRUE(ip->payload().empty());
}

TEST(Ipv4View, ParseCapturedAtEveryTruncationPointOfTheOptions) {
    // The record-route header (IHL 15): the fixed part is there from 20 bytes on, the options as far as captured.
    for (std::size_t n = 0; n < 20; ++n) {
        auto ip = Ipv4View::parse_captured(Bytes(kRecordRouteHead.data(), n));
        ASSERT_FALSE(ip.ok()) << n;
        EXPECT_EQ(ip.error(), ParseError::Truncated) << n;
    }
    for (std::size_t n = 20; n < 60; ++n) {
        auto ip = Ipv4View::parse_captured(Bytes(kRecordRouteHead.data(), n));
        ASSERT_TRUE(ip.ok()) << n;
        EXPECT_EQ(ip->header_length(), 60u) << n;
        EXPECT_EQ(ip->total_length(), 124) << n;
        EXPECT_EQ(ip->identification(), 55169) << n;
        EXPECT_EQ(ip->protocol(), ip_protocol::kIcmp) << n;
        EXPECT_EQ(ip->source(), kA) << n;
        EXPECT_EQ(ip->destination(), kB) << n;
        EXPECT_TRUE(ip->options_truncated()) << n;
        EXPECT_EQ(ip->options().data(), kRecordRouteHead.data() + 20) << n;
        EXPECT_EQ(ip->options().size(), n - 20) << n;
        EXPECT_EQ(ip->header().size(), n) << n;
        EXPECT_TRUE(ip->payload().empty()) << n;
        EXPECT_TRUE(ip->payload_truncated()) << n;
        EXPECT_EQ(ip->datagram().size(), n) << n;
    }
    for (std::size_t n = 60; n <= kRecordRouteHead.size(); ++n) {
        auto captured = Ipv4View::parse_captured(Bytes(kRecordRouteHead.data(), n));
        auto whole = Ipv4View::parse(Bytes(kRecordRouteHead.data(), n));
        ASSERT_TRUE(captured.ok() && whole.ok()) << n;
        EXPECT_FALSE(captured->options_truncated()) << n;
        EXPECT_EQ(captured->options().size(), 40u) << n;
        EXPECT_EQ(captured->payload().data(), whole->payload().data()) << n;
        EXPECT_EQ(captured->payload().size(), n - 60) << n;
        EXPECT_TRUE(captured->header_checksum_valid()) << n;
    }
}

TEST(Ipv4View, ParseCapturedRefusesWhatParseRefusesBesidesCutOptions) {
    auto bytes = kRecordRouteHead;
    bytes[0] = 0x65;
    EXPECT_EQ(Ipv4View::parse_captured(bytes).error(), ParseError::BadVersion);
    bytes[0] = 0x44;
    EXPECT_EQ(Ipv4View::parse_captured(bytes).error(), ParseError::BadHeaderLength);
    bytes[0] = 0x4f;
    store_be16(&bytes[2], 59);  // below the 60-byte header, even with the options cut short
    EXPECT_EQ(Ipv4View::parse_captured(Bytes(bytes.data(), 30)).error(), ParseError::BadTotalLength);
}

TEST(Ipv4View, CapturedPayloadCutShortAtEveryPoint) {
    for (std::size_t n = 20; n < kEchoRequest.size(); ++n) {
        auto ip = Ipv4View::parse(Bytes(kEchoRequest.data(), n));
        ASSERT_TRUE(ip.ok()) << n;
        EXPECT_EQ(ip->payload().size(), n - 20);
        EXPECT_TRUE(ip->payload_truncated());
        EXPECT_TRUE(ip->padding().empty());
        auto strict = Ipv4View::parse_strict(Bytes(kEchoRequest.data(), n));
        ASSERT_FALSE(strict.ok()) << n;
        EXPECT_EQ(strict.error(), ParseError::BadTotalLength) << n;
    }
}

TEST(Ipv4View, LinkLayerPaddingAfterTheTotalLength) {
    // Six bytes of link-layer padding after the last fragment's 68.
    auto padded = kLastFragment;
    padded.insert(padded.end(), {0, 0, 0, 0, 0, 0});
    for (auto* parse : {&Ipv4View::parse, &Ipv4View::parse_strict}) {
        auto ip = parse(padded);
        ASSERT_TRUE(ip.ok());
        EXPECT_EQ(ip->payload().size(), 48u);
        EXPECT_FALSE(ip->payload_truncated());
        EXPECT_EQ(ip->padding().size(), 6u);
        EXPECT_EQ(ip->padding().data(), padded.data() + 68);
    }
}

TEST(Ipv4View, BadVersion) {
    for (const std::uint8_t version : {0, 1, 5, 6, 15}) {
        auto bytes = kEchoRequest;
        bytes[0] = static_cast<std::uint8_t>((version << 4) | 5);
        auto ip = Ipv4View::parse(bytes);
        ASSERT_FALSE(ip.ok());
        EXPECT_EQ(ip.error(), ParseError::BadVersion) << int{version};
    }
    // Fewer than 20 bytes is reported as truncation before the version is looked at.
    auto bytes = kEchoRequest;
    bytes[0] = 0x65;
    auto ip = Ipv4View::parse(Bytes(bytes.data(), 19));
    ASSERT_FALSE(ip.ok());
    EXPECT_EQ(ip.error(), ParseError::Truncated);
}

TEST(Ipv4View, BadHeaderLength) {
    for (std::uint8_t ihl = 0; ihl < 5; ++ihl) {
        auto bytes = kEchoRequest;
        bytes[0] = static_cast<std::uint8_t>(0x40 | ihl);
        auto ip = Ipv4View::parse(bytes);
        ASSERT_FALSE(ip.ok());
        EXPECT_EQ(ip.error(), ParseError::BadHeaderLength) << int{ihl};
    }
}

TEST(Ipv4View, TotalLengthBelowTheHeader) {
    for (const std::uint16_t total : {0, 1, 19}) {
        auto bytes = kEchoRequest;
        store_be16(&bytes[2], total);
        auto ip = Ipv4View::parse(bytes);
        ASSERT_FALSE(ip.ok());
        EXPECT_EQ(ip.error(), ParseError::BadTotalLength) << total;
    }
    // With options the header is 60 bytes: a total length of 59 is below it, even with all the bytes present.
    auto bytes = kRecordRouteHead;
    store_be16(&bytes[2], 59);
    auto ip = Ipv4View::parse(bytes);
    ASSERT_FALSE(ip.ok());
    EXPECT_EQ(ip.error(), ParseError::BadTotalLength);
    // Exactly the header: an empty payload.
    store_be16(&bytes[2], 60);
    auto exact = Ipv4View::parse_strict(bytes);
    ASSERT_TRUE(exact.ok());
    EXPECT_TRUE(exact->payload().empty());
    EXPECT_FALSE(exact->payload_truncated());
    EXPECT_EQ(exact->padding().size(), 8u);
}

TEST(Ipv4View, ChecksumAndReservedFlag) {
    auto bytes = kEchoRequest;
    bytes[8] = 63;  // ttl changed without updating the checksum
    auto ip = Ipv4View::parse(bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_FALSE(ip->header_checksum_valid());
    bytes[6] |= 0x80;
    auto evil = Ipv4View::parse(bytes);
    ASSERT_TRUE(evil.ok());
    EXPECT_TRUE(evil->reserved_flag());
    EXPECT_TRUE(evil->dont_fragment());
}

TEST(Ipv4Builder, WritesTheRealEchoRequestHeader) {
    Ipv4Builder b;
    b.identification = 55165;
    b.dont_fragment = true;
    b.ttl = 64;
    b.protocol = ip_protocol::kIcmp;
    b.source = kA;
    b.destination = kB;
    b.payload_length = 64;
    EXPECT_EQ(b.size(), 20u);
    std::vector<std::uint8_t> out(20, 0xee);
    b.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kEchoRequest.begin(), kEchoRequest.begin() + 20));
}

TEST(Ipv4Builder, WritesTheRealFragmentHeaders) {
    Ipv4Builder b;
    b.tos = 0xb9;
    b.identification = 9974;
    b.more_fragments = true;
    b.fragment_offset = 1480;
    b.protocol = ip_protocol::kIcmp;
    b.source = kA;
    b.destination = kB;
    b.payload_length = 1480;
    std::vector<std::uint8_t> out(20);
    b.write(out);
    EXPECT_EQ(out, kMiddleFragmentHeader);

    b.more_fragments = false;
    b.fragment_offset = 2960;
    b.payload_length = 48;
    b.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kLastFragment.begin(), kLastFragment.begin() + 20));
}

TEST(Ipv4Builder, WritesTheRealHeaderWithOptions) {
    Ipv4Builder b;
    b.identification = 55169;
    b.dont_fragment = true;
    b.protocol = ip_protocol::kIcmp;
    b.source = kA;
    b.destination = kB;
    b.options.assign(kRecordRouteHead.begin() + 20, kRecordRouteHead.begin() + 60);
    b.payload_length = 64;
    EXPECT_EQ(b.size(), 60u);
    std::vector<std::uint8_t> out(60);
    b.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kRecordRouteHead.begin(), kRecordRouteHead.begin() + 60));
}

TEST(Ipv4Builder, PadsOptionsWithEndOfList) {
    Ipv4Builder b;
    b.options = {0x94, 0x04, 0x00};  // three bytes: one zero byte of padding follows
    EXPECT_EQ(b.size(), 24u);
    std::vector<std::uint8_t> out(24, 0xee);
    b.write(out);
    EXPECT_EQ(out[0], 0x46);
    EXPECT_EQ(out[20], 0x94);
    EXPECT_EQ(out[22], 0x00);
    EXPECT_EQ(out[23], 0x00);
    auto ip = Ipv4View::parse_strict(out);
    ASSERT_TRUE(ip.ok());
    EXPECT_TRUE(ip->header_checksum_valid());
    EXPECT_EQ(ip->options().size(), 4u);
}

TEST(Ipv4Builder, RoundTripEveryField) {
    Ipv4Builder b;
    b.tos = 0xfe;
    b.identification = 0xffff;
    b.reserved_flag = true;
    b.dont_fragment = true;
    b.more_fragments = true;
    b.fragment_offset = 65528;  // the largest: 8191 * 8
    b.ttl = 255;
    b.protocol = ip_protocol::kUdp;
    b.source = Ipv4Address{{192, 0, 2, 1}};
    b.destination = Ipv4Address{{198, 51, 100, 255}};
    b.options = {0x01, 0x01, 0x01, 0x00};
    b.payload_length = 8;
    std::vector<std::uint8_t> out(b.size() + 8, 0);
    b.write(out);
    auto ip = Ipv4View::parse_strict(out);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->tos(), 0xfe);
    EXPECT_EQ(ip->identification(), 0xffff);
    EXPECT_TRUE(ip->reserved_flag());
    EXPECT_TRUE(ip->dont_fragment());
    EXPECT_TRUE(ip->more_fragments());
    EXPECT_EQ(ip->fragment_offset(), 65528);
    EXPECT_EQ(ip->ttl(), 255);
    EXPECT_EQ(ip->protocol(), ip_protocol::kUdp);
    EXPECT_EQ(ip->source(), b.source);
    EXPECT_EQ(ip->destination(), b.destination);
    EXPECT_EQ(ip->total_length(), 32);
    EXPECT_EQ(ip->payload().size(), 8u);
    EXPECT_TRUE(ip->header_checksum_valid());
}

TEST(Ipv4Builder, OverridesBuildMalformedHeaders) {
    Ipv4Builder b;
    b.source = kA;
    b.destination = kB;
    std::vector<std::uint8_t> out(40, 0);

    b.ihl = 4;
    b.write(out);
    EXPECT_EQ(out[0], 0x44);
    EXPECT_EQ(Ipv4View::parse(out).error(), ParseError::BadHeaderLength);

    b.ihl = 15;  // claims 60 bytes of header, only 40 present
    b.write(out);
    EXPECT_EQ(Ipv4View::parse(out).error(), ParseError::BadTotalLength);  // total 20 < 60 is checked first
    b.total_length = 60;
    b.write(out);
    EXPECT_EQ(Ipv4View::parse(out).error(), ParseError::Truncated);

    b.ihl.reset();
    b.total_length = 19;
    b.write(out);
    EXPECT_EQ(load_be16(&out[2]), 19);
    EXPECT_EQ(Ipv4View::parse(out).error(), ParseError::BadTotalLength);

    b.total_length = 1000;
    b.write(out);
    auto cut = Ipv4View::parse(out);
    ASSERT_TRUE(cut.ok());
    EXPECT_TRUE(cut->payload_truncated());
    EXPECT_EQ(Ipv4View::parse_strict(out).error(), ParseError::BadTotalLength);

    b.total_length.reset();
    b.checksum = 0x1234;
    b.write(out);
    auto bad_sum = Ipv4View::parse(out);
    ASSERT_TRUE(bad_sum.ok());
    EXPECT_EQ(bad_sum->checksum(), 0x1234);
    EXPECT_FALSE(bad_sum->header_checksum_valid());

    b.checksum.reset();
    b.version = 6;
    b.write(out);
    EXPECT_EQ(out[0], 0x65);
    EXPECT_EQ(Ipv4View::parse(out).error(), ParseError::BadVersion);
}

}  // namespace
}  // namespace synack::wire
