#include "wire/ipv6.hpp"

#include <gtest/gtest.h>

#include "support/hex.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

#include "wire/ipv6_extensions.hpp"

namespace synack::wire {
namespace {

using test::hex;

Ipv6Address v6(std::string_view text) { return Ipv6Address::parse(text).value(); }

// Captured with tcpdump on a veth pair, Ethernet header removed. tcpdump -v:
// "(hlim 255, next-header ICMPv6 (58) payload length: 32) fd00:9::1 > ff02::1:ff00:2: … neighbor solicitation"
const std::vector<std::uint8_t> kNeighborSolicitation = hex(
    "6000 0000 0020 3aff fd00 0009 0000 0000"
    "0000 0000 0000 0001 ff02 0000 0000 0000"
    "0000 0001 ff00 0002 8700 7d7c 0000 0000"
    "fd00 0009 0000 0000 0000 0000 0000 0002"
    "0101 0200 0000 000a");
// `ping -6 -s 3000`, first fragment, first 64 bytes: "(flowlabel 0xc0300, hlim 64, next-header Fragment (44)
// payload length: 1456) fd00:9::1 > fd00:9::2: frag (0xb76c0949:0|1448)"
const std::vector<std::uint8_t> kFirstFragmentHead = hex(
    "600c 0300 05b0 2c40 fd00 0009 0000 0000"
    "0000 0000 0000 0001 fd00 0009 0000 0000"
    "0000 0000 0000 0002 3a00 0001 b76c 0949"
    "8000 a746 215a 0001 aa82 046b 0000 0000");

TEST(Ipv6View, RealNeighborSolicitation) {
    auto ip = Ipv6View::parse(kNeighborSolicitation);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->version(), 6);
    EXPECT_EQ(ip->traffic_class(), 0);
    EXPECT_EQ(ip->flow_label(), 0u);
    EXPECT_EQ(ip->payload_length(), 32);
    EXPECT_EQ(ip->declared_payload_length(), 32u);
    EXPECT_EQ(ip->jumbo_payload_length(), std::nullopt);
    EXPECT_EQ(ip->next_header(), ip_protocol::kIcmpv6);
    EXPECT_EQ(ip->hop_limit(), 255);
    EXPECT_EQ(ip->source(), v6("fd00:9::1"));
    EXPECT_EQ(ip->destination(), v6("ff02::1:ff00:2"));
    EXPECT_EQ(ip->header_length(), 40u);
    EXPECT_EQ(ip->header().size(), 40u);
    EXPECT_EQ(ip->payload().data(), kNeighborSolicitation.data() + 40);
    EXPECT_EQ(ip->payload().size(), 32u);
    EXPECT_EQ(ip->payload()[0], 135);  // neighbour solicitation
    EXPECT_FALSE(ip->payload_truncated());
    EXPECT_TRUE(ip->padding().empty());
    EXPECT_TRUE(Ipv6View::parse_strict(kNeighborSolicitation).ok());
}

TEST(Ipv6View, RealFragmentCutByTheCapture) {
    auto ip = Ipv6View::parse(kFirstFragmentHead);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->flow_label(), 0xc0300u);
    EXPECT_EQ(ip->traffic_class(), 0);
    EXPECT_EQ(ip->payload_length(), 1456);
    EXPECT_EQ(ip->next_header(), ip_protocol::kFragment);
    EXPECT_EQ(ip->hop_limit(), 64);
    EXPECT_EQ(ip->destination(), v6("fd00:9::2"));
    EXPECT_EQ(ip->payload().size(), 24u);
    EXPECT_TRUE(ip->payload_truncated());
    auto strict = Ipv6View::parse_strict(kFirstFragmentHead);
    ASSERT_FALSE(strict.ok());
    EXPECT_EQ(strict.error(), ParseError::BadTotalLength);
}

TEST(Ipv6View, EveryTruncationPoint) {
    for (std::size_t n = 0; n < 40; ++n) {
        auto ip = Ipv6View::parse(Bytes(kNeighborSolicitation.data(), n));
        ASSERT_FALSE(ip.ok()) << n;
        EXPECT_EQ(ip.error(), ParseError::Truncated) << n;
    }
    for (std::size_t n = 40; n < kNeighborSolicitation.size(); ++n) {
        auto ip = Ipv6View::parse(Bytes(kNeighborSolicitation.data(), n));
        ASSERT_TRUE(ip.ok()) << n;
        EXPECT_EQ(ip->payload().size(), n - 40);
        EXPECT_TRUE(ip->payload_truncated());
        EXPECT_EQ(Ipv6View::parse_strict(Bytes(kNeighborSolicitation.data(), n)).error(),
                  ParseError::BadTotalLength);
    }
}

TEST(Ipv6View, BadVersion) {
    for (const std::uint8_t version : {0, 4, 7, 15}) {
        auto bytes = kNeighborSolicitation;
        bytes[0] = static_cast<std::uint8_t>((version << 4) | (bytes[0] & 0x0f));
        auto ip = Ipv6View::parse(bytes);
        ASSERT_FALSE(ip.ok());
        EXPECT_EQ(ip.error(), ParseError::BadVersion) << int{version};
        EXPECT_EQ(Ipv6View::parse_strict(bytes).error(), ParseError::BadVersion);
    }
}

TEST(Ipv6View, LinkLayerPadding) {
    auto padded = kNeighborSolicitation;
    padded.insert(padded.end(), 6, 0);
    for (auto* parse : {&Ipv6View::parse, &Ipv6View::parse_strict}) {
        auto ip = parse(padded);
        ASSERT_TRUE(ip.ok());
        EXPECT_EQ(ip->payload().size(), 32u);
        EXPECT_FALSE(ip->payload_truncated());
        EXPECT_EQ(ip->padding().size(), 6u);
        EXPECT_EQ(ip->padding().data(), padded.data() + 72);
    }
}

TEST(Ipv6View, ZeroPayloadLength) {
    auto bytes = kNeighborSolicitation;
    bytes[4] = bytes[5] = 0;
    auto ip = Ipv6View::parse_strict(bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_TRUE(ip->payload().empty());
    EXPECT_EQ(ip->padding().size(), 32u);
    EXPECT_EQ(ip->jumbo_payload_length(), std::nullopt);
}

// A jumbogram (RFC 2675): payload length 0, a hop-by-hop header with the jumbo payload option first.
std::vector<std::uint8_t> jumbogram(std::uint16_t payload_length, std::uint32_t jumbo, std::size_t total_bytes) {
    std::vector<std::uint8_t> out(total_bytes, 0);
    Ipv6Builder ip;
    ip.payload_length = payload_length;
    ip.next_header = ip_protocol::kHopByHop;
    ip.source = v6("2001:db8::1");
    ip.destination = v6("2001:db8::2");
    ip.write(out);
    Ipv6OptionsHeaderBuilder hop;
    hop.next_header = ip_protocol::kNoNextHeader;
    hop.options = Ipv6OptionsBuilder().jumbo_payload(jumbo).bytes();
    hop.write(MutableBytes(out).subspan(40));
    return out;
}

TEST(Ipv6View, JumboPayload) {
    const std::uint32_t length = 70000;
    const auto whole = jumbogram(0, length, 40 + length + 3);
    EXPECT_EQ(load_be32(&whole[44]), length);  // option type c2, length 4, value at offset 4 of the header
    for (auto* parse : {&Ipv6View::parse, &Ipv6View::parse_strict}) {
        auto ip = parse(whole);
        ASSERT_TRUE(ip.ok());
        EXPECT_EQ(ip->payload_length(), 0);
        EXPECT_EQ(ip->jumbo_payload_length(), length);
        EXPECT_EQ(ip->declared_payload_length(), length);
        EXPECT_EQ(ip->payload().size(), length);
        EXPECT_FALSE(ip->payload_truncated());
        EXPECT_EQ(ip->padding().size(), 3u);
    }
    // Cut by the capture: the length still comes from the option.
    const auto cut = std::vector<std::uint8_t>(whole.begin(), whole.begin() + 100);
    auto ip = Ipv6View::parse(cut);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->jumbo_payload_length(), length);
    EXPECT_EQ(ip->payload().size(), 60u);
    EXPECT_TRUE(ip->payload_truncated());
    EXPECT_EQ(Ipv6View::parse_strict(cut).error(), ParseError::BadTotalLength);
}

TEST(Ipv6View, JumboPayloadErrors) {
    // RFC 2675 §3: a jumbo length that fits in 16 bits is an error (strict only; parse believes it).
    const auto small = jumbogram(0, 100, 140);
    auto lenient = Ipv6View::parse(small);
    ASSERT_TRUE(lenient.ok());
    EXPECT_EQ(lenient->jumbo_payload_length(), 100u);
    EXPECT_EQ(lenient->payload().size(), 100u);
    EXPECT_EQ(Ipv6View::parse_strict(small).error(), ParseError::BadTotalLength);

    // A jumbo option with a non-zero payload length: parse uses the payload length; strict refuses.
    const auto both = jumbogram(8, 70000, 48);
    auto ip = Ipv6View::parse(both);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->jumbo_payload_length(), std::nullopt);
    EXPECT_EQ(ip->payload().size(), 8u);
    EXPECT_EQ(Ipv6View::parse_strict(both).error(), ParseError::BadTotalLength);

    // A jumbo length smaller than the hop-by-hop header carrying it is always an error.
    const auto tiny = jumbogram(0, 7, 48);
    EXPECT_EQ(Ipv6View::parse(tiny).error(), ParseError::BadTotalLength);
    EXPECT_EQ(Ipv6View::parse_strict(tiny).error(), ParseError::BadTotalLength);

    // A hop-by-hop header cut short hides the option: no jumbo length, an empty payload.
    const auto hidden = std::vector<std::uint8_t>(small.begin(), small.begin() + 46);
    auto no_jumbo = Ipv6View::parse(hidden);
    ASSERT_TRUE(no_jumbo.ok());
    EXPECT_EQ(no_jumbo->jumbo_payload_length(), std::nullopt);
    EXPECT_TRUE(no_jumbo->payload().empty());
}

TEST(Ipv6View, ParseCapturedKeepsATooSmallJumboLength) {
    // The fixed header is all a printer needs: parse_captured refuses only a cut fixed header and a bad version.
    const auto tiny = jumbogram(0, 7, 48);
    auto ip = Ipv6View::parse_captured(tiny);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->payload_length(), 0);
    EXPECT_EQ(ip->next_header(), ip_protocol::kHopByHop);
    EXPECT_EQ(ip->jumbo_payload_length(), std::nullopt);
    EXPECT_EQ(ip->declared_payload_length(), 0u);
    EXPECT_TRUE(ip->payload().empty());
    // Otherwise it is parse.
    const auto whole = jumbogram(0, 70000, 140);
    EXPECT_EQ(Ipv6View::parse_captured(whole)->jumbo_payload_length(), 70000u);
    for (std::size_t n = 0; n < 40; ++n) {
        EXPECT_EQ(Ipv6View::parse_captured(Bytes(kNeighborSolicitation.data(), n)).error(), ParseError::Truncated);
    }
    auto bytes = kNeighborSolicitation;
    bytes[0] = 0x45;
    EXPECT_EQ(Ipv6View::parse_captured(bytes).error(), ParseError::BadVersion);
}

TEST(Ipv6Builder, WritesTheRealHeaders) {
    Ipv6Builder ns;
    ns.payload_length = 32;
    ns.next_header = ip_protocol::kIcmpv6;
    ns.hop_limit = 255;
    ns.source = v6("fd00:9::1");
    ns.destination = v6("ff02::1:ff00:2");
    EXPECT_EQ(ns.size(), 40u);
    std::vector<std::uint8_t> out(40, 0xee);
    ns.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kNeighborSolicitation.begin(), kNeighborSolicitation.begin() + 40));

    Ipv6Builder frag;
    frag.flow_label = 0xc0300;
    frag.payload_length = 1456;
    frag.next_header = ip_protocol::kFragment;
    frag.source = v6("fd00:9::1");
    frag.destination = v6("fd00:9::2");
    frag.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kFirstFragmentHead.begin(), kFirstFragmentHead.begin() + 40));
}

TEST(Ipv6Builder, RoundTripEveryField) {
    Ipv6Builder b;
    b.traffic_class = 0xb9;
    b.flow_label = 0xfffff;
    b.payload_length = 4;
    b.next_header = ip_protocol::kUdp;
    b.hop_limit = 1;
    b.source = v6("2001:db8::a");
    b.destination = v6("ff02::16");
    std::vector<std::uint8_t> out(44, 0);
    b.write(out);
    EXPECT_EQ(std::vector<std::uint8_t>(out.begin(), out.begin() + 8), hex("6b9f ffff 0004 1101"));
    auto ip = Ipv6View::parse_strict(out);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->traffic_class(), 0xb9);
    EXPECT_EQ(ip->dscp(), 46);
    EXPECT_EQ(ip->ecn(), 1);
    EXPECT_EQ(ip->flow_label(), 0xfffffu);
    EXPECT_EQ(ip->payload_length(), 4);
    EXPECT_EQ(ip->next_header(), ip_protocol::kUdp);
    EXPECT_EQ(ip->hop_limit(), 1);
    EXPECT_EQ(ip->source(), b.source);
    EXPECT_EQ(ip->destination(), b.destination);

    // Out-of-range flow labels are cut to 20 bits; a wrong version is written as asked.
    b.flow_label = 0x123456;
    b.version = 4;
    b.write(out);
    EXPECT_EQ(std::vector<std::uint8_t>(out.begin(), out.begin() + 4), hex("4b92 3456"));
    EXPECT_EQ(Ipv6View::parse(out).error(), ParseError::BadVersion);
}

}  // namespace
}  // namespace synack::wire
