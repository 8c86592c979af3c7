#include "wire/icmpv6.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "wire/ip_protocol.hpp"
#include "wire/ipv6.hpp"
#include "wire/udp.hpp"

namespace synack::wire {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector to_vector(Bytes b) { return ByteVector(b.begin(), b.end()); }

Ipv6Address v6(const char* text) { return Ipv6Address::parse(text).value(); }

// Real ICMPv6 messages (the IPv6 payload), captured with tcpdump from Linux 6.18; tcpdump -v says
// "[icmp6 sum ok]" for every one of them.

// `ping6 -c1 ::1`: "ICMP6, echo request, id 5510, seq 1, length 64" and its reply.
constexpr std::array<std::uint8_t, 64> kEchoRequest = {
    0x80, 0x00, 0x7f, 0x10, 0x15, 0x86, 0x00, 0x01, 0xb7, 0x81, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00,
    0x63, 0x2c, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
    0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
};
constexpr std::array<std::uint8_t, 8> kEchoReplyHeader = {0x81, 0x00, 0x7e, 0x10, 0x15, 0x86, 0x00, 0x01};
// `echo hello-udp6 | nc -6 -u ::1 47998` with nothing listening:
// "ICMP6, destination unreachable, unreachable port, ::1 udp port 47998", length 67.
constexpr std::array<std::uint8_t, 67> kPortUnreachable = {
    0x01, 0x04, 0xe6, 0x9b, 0x00, 0x00, 0x00, 0x00, 0x60, 0x06, 0xcd, 0x17, 0x00, 0x13, 0x11, 0x40, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xea, 0x1b, 0xbb,
    0x7e, 0x00, 0x13, 0x00, 0x26, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2d, 0x75, 0x64, 0x70, 0x36, 0x0a,
};
// Network namespaces with a Linux router (fd77:1::1) between fd77:1::/64 and fd77:2::/64 (link MTU 1280).
// fd77:1::3 > ff02::1:ff00:1: "neighbor solicitation, who has fd77:1::1", source link-address be:79:0a:91:a6:a8
constexpr std::array<std::uint8_t, 32> kNeighborSolicitation = {
    0x87, 0x00, 0x0e, 0xf5, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x77, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0xbe, 0x79, 0x0a, 0x91, 0xa6, 0xa8,
};
// fd77:1::1 > fd77:1::3: "neighbor advertisement, tgt is fd77:1::1, Flags [router, solicited, override]",
// destination link-address 6a:39:82:84:25:b5
constexpr std::array<std::uint8_t, 32> kNeighborAdvertisement = {
    0x88, 0x00, 0x8a, 0xc0, 0xe0, 0x00, 0x00, 0x00, 0xfd, 0x77, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x01, 0x6a, 0x39, 0x82, 0x84, 0x25, 0xb5,
};
// fd77:1::3 > fe80::6839:82ff:fe84:25b5: "neighbor advertisement, length 24, tgt is fd77:1::3, Flags [solicited]"
constexpr std::array<std::uint8_t, 24> kBareNeighborAdvertisement = {
    0x88, 0x00, 0x2e, 0xc1, 0x40, 0x00, 0x00, 0x00, 0xfd, 0x77, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
};
// Duplicate address detection: :: > ff02::1:ff91:a6a8: "neighbor solicitation, who has fe80::bc79:aff:fe91:a6a8",
// "unknown option (14), length 8 (1): 0x0000: 2be7 d1dc f2b6" (the RFC 7527 nonce; kept raw).
constexpr std::array<std::uint8_t, 32> kDadSolicitation = {
    0x87, 0x00, 0x69, 0xb6, 0x00, 0x00, 0x00, 0x00, 0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xbc, 0x79, 0x0a, 0xff, 0xfe, 0x91, 0xa6, 0xa8, 0x0e, 0x01, 0x2b, 0xe7, 0xd1, 0xdc, 0xf2, 0xb6,
};
// fe80::bc79:aff:fe91:a6a8 > ff02::2: "router solicitation, length 16", source link-address be:79:0a:91:a6:a8
constexpr std::array<std::uint8_t, 16> kRouterSolicitation = {
    0x85, 0x00, 0x9f, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x01, 0x01, 0xbe, 0x79, 0x0a, 0x91, 0xa6, 0xa8,
};
// radvd on the router: fe80::6839:82ff:fe84:25b5 > ff02::1: "router advertisement, length 88
//   hop limit 64, Flags [other stateful], pref medium, router lifetime 12s, reachable time 30000ms,
//   retrans timer 1000ms
//   prefix info option (3), length 32 (4): fd77:1::/64, Flags [onlink, auto], valid time 86400s, pref. time 14400s
//   rdnss option (25), length 24 (3):  lifetime 4s, addr: fd77:1::53
//   mtu option (5), length 8 (1):  1400
//   source link-address option (1), length 8 (1): 6a:39:82:84:25:b5"
constexpr std::array<std::uint8_t, 88> kRouterAdvertisement = {
    0x86, 0x00, 0xb3, 0x51, 0x40, 0x40, 0x00, 0x0c, 0x00, 0x00, 0x75, 0x30, 0x00, 0x00, 0x03, 0xe8, 0x03, 0x04,
    0x40, 0xc0, 0x00, 0x01, 0x51, 0x80, 0x00, 0x00, 0x38, 0x40, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x77, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x19, 0x03, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x04, 0xfd, 0x77, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x53,
    0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0x78, 0x01, 0x01, 0x6a, 0x39, 0x82, 0x84, 0x25, 0xb5,
};
// `ping6 -t1 fd77:2::2`: fd77:1::1 > fd77:1::3: "time exceeded in-transit for fd77:2::2", length 112.
constexpr std::array<std::uint8_t, 112> kTimeExceeded = {
    0x03, 0x00, 0x1e, 0xf3, 0x00, 0x00, 0x00, 0x00, 0x60, 0x0f, 0x48, 0x96, 0x00, 0x40, 0x3a, 0x01,
    0xfd, 0x77, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
    0xfd, 0x77, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x80, 0x00, 0x45, 0x11, 0x17, 0x75, 0x00, 0x01, 0xdb, 0x81, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00,
    0x7b, 0x46, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
    0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
};
// A raw IPv6 packet with next header 253 to fd77:2::2: fd77:2::2 > fd77:1::3: "parameter problem, next header -
// octet 6", length 60.
constexpr std::array<std::uint8_t, 60> kParameterProblem = {
    0x04, 0x01, 0xfc, 0x9d, 0x00, 0x00, 0x00, 0x06, 0x60, 0x07, 0x76, 0x0b, 0x00, 0x0c, 0xfd, 0x3f,
    0xfd, 0x77, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
    0xfd, 0x77, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
    0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b, 0x2d, 0x70, 0x61, 0x72, 0x61, 0x6d,
};
// `ping6 -s 1400 fd77:2::2` over the 1280-byte link: fd77:1::1 > fd77:1::3: "packet too big, mtu 1280", length 1240.
// These are its first 72 bytes; Linux quotes up to the minimum MTU, and the rest of the quoted echo request is
// ping's fill pattern (data byte i = i for i >= 16), which packet_too_big() restores. The captured checksum
// 0xef90 then proves the 1240 bytes are the ones on the wire.
constexpr std::array<std::uint8_t, 72> kPacketTooBigStart = {
    0x02, 0x00, 0xef, 0x90, 0x00, 0x00, 0x05, 0x00, 0x60, 0x0f, 0x48, 0x96, 0x05, 0x80, 0x3a, 0x40, 0xfd, 0x77,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xfd, 0x77, 0x00, 0x02,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x80, 0x00, 0xb6, 0x57, 0x17, 0x76,
    0x00, 0x01, 0xdb, 0x81, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x58, 0x75, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00,
};
ByteVector packet_too_big() {
    ByteVector v(kPacketTooBigStart.begin(), kPacketTooBigStart.end());
    for (std::size_t i = 16; v.size() < 1240; ++i) v.push_back(static_cast<std::uint8_t>(i));
    return v;
}

const Ipv6Address kLoopback = v6("::1");
const Ipv6Address kRouter = v6("fd77:1::1");
const Ipv6Address kHost = v6("fd77:1::3");
const Ipv6Address kRouterLinkLocal = v6("fe80::6839:82ff:fe84:25b5");
const MacAddress kHostMac = {{0xbe, 0x79, 0x0a, 0x91, 0xa6, 0xa8}};
const MacAddress kRouterMac = {{0x6a, 0x39, 0x82, 0x84, 0x25, 0xb5}};

std::vector<NdOption> all_options(Bytes options) {
    std::vector<NdOption> out;
    NdOptionIterator it(options);
    while (!it.at_end()) {
        auto opt = it.next();
        EXPECT_TRUE(opt.ok()) << "framing error at offset " << it.offset();
        if (!opt) break;
        out.push_back(*opt);
    }
    return out;
}

TEST(Icmpv6View, EchoRequestAndReplyOnLoopback) {
    const Icmpv6View v = Icmpv6View::parse(kEchoRequest).value();
    EXPECT_EQ(v.type(), icmpv6_type::kEchoRequest);
    EXPECT_EQ(v.code(), 0);
    EXPECT_EQ(v.checksum(), 0x7f10);
    EXPECT_EQ(v.identifier(), 5510);
    EXPECT_EQ(v.sequence(), 1);
    EXPECT_EQ(v.rest_of_header(), 0x15860001u);
    EXPECT_FALSE(v.is_error());
    EXPECT_EQ(v.header_length(), 8u);
    EXPECT_EQ(v.header().size(), 8u);
    EXPECT_EQ(v.payload().size(), 56u);
    EXPECT_EQ(v.payload().data(), kEchoRequest.data() + 8);
    EXPECT_TRUE(v.quoted().empty());
    EXPECT_TRUE(v.nd_options().empty());
    EXPECT_EQ(v.target(), Ipv6Address{});
    EXPECT_EQ(v.reachable_time(), 0u);
    EXPECT_TRUE(v.checksum_valid(kLoopback, kLoopback));
    EXPECT_EQ(v.expected_checksum(kLoopback, kLoopback), 0x7f10);
    EXPECT_FALSE(v.checksum_valid(kLoopback, kHost));  // the pseudo-header is covered

    const Bytes data = v.payload();
    EXPECT_EQ(Icmpv6Builder::echo_request(5510, 1).build(data, kLoopback, kLoopback), to_vector(kEchoRequest));
    ByteVector reply(kEchoReplyHeader.begin(), kEchoReplyHeader.end());
    reply.insert(reply.end(), data.begin(), data.end());
    EXPECT_EQ(Icmpv6Builder::echo_reply(5510, 1).build(data, kLoopback, kLoopback), reply);

    std::array<std::uint8_t, 64> buffer{};
    std::copy(data.begin(), data.end(), buffer.begin() + 8);
    Icmpv6Builder::echo_request(5510, 1).write(buffer, Bytes(buffer).subspan(8), kLoopback, kLoopback);
    EXPECT_EQ(buffer, kEchoRequest);
}

TEST(Icmpv6View, PortUnreachableQuotesTheDatagram) {
    const Icmpv6View v = Icmpv6View::parse(kPortUnreachable).value();
    EXPECT_EQ(v.type(), icmpv6_type::kDestinationUnreachable);
    EXPECT_EQ(v.code(), icmpv6_unreachable::kPort);
    EXPECT_TRUE(v.is_error());
    EXPECT_TRUE(v.checksum_valid(kLoopback, kLoopback));
    ASSERT_EQ(v.quoted().size(), 59u);
    const Ipv6View ip = Ipv6View::parse(v.quoted()).value();
    EXPECT_EQ(ip.next_header(), ip_protocol::kUdp);
    const UdpView udp = UdpView::parse(ip.payload()).value();
    EXPECT_EQ(udp.destination_port(), 47998);
    EXPECT_EQ(std::string(udp.payload().begin(), udp.payload().end()), "hello-udp6\n");
    EXPECT_EQ(Icmpv6Builder::destination_unreachable(icmpv6_unreachable::kPort).build(v.quoted(), kLoopback, kLoopback),
              to_vector(kPortUnreachable));
}

TEST(Icmpv6View, TimeExceededAndParameterProblemFromARouter) {
    const Icmpv6View te = Icmpv6View::parse(kTimeExceeded).value();
    EXPECT_EQ(te.type(), icmpv6_type::kTimeExceeded);
    EXPECT_EQ(te.code(), icmpv6_time_exceeded::kHopLimit);
    EXPECT_TRUE(te.checksum_valid(kRouter, kHost));
    const Ipv6View expired = Ipv6View::parse(te.quoted()).value();
    EXPECT_EQ(expired.hop_limit(), 1);
    EXPECT_EQ(expired.destination(), v6("fd77:2::2"));
    EXPECT_EQ(Icmpv6Builder::time_exceeded(icmpv6_time_exceeded::kHopLimit).build(te.quoted(), kRouter, kHost),
              to_vector(kTimeExceeded));

    const Ipv6Address far = v6("fd77:2::2");
    const Icmpv6View pp = Icmpv6View::parse(kParameterProblem).value();
    EXPECT_EQ(pp.type(), icmpv6_type::kParameterProblem);
    EXPECT_EQ(pp.code(), icmpv6_parameter_problem::kUnrecognizedNextHeader);
    EXPECT_EQ(pp.pointer(), 6u);  // the next header field of the quoted IPv6 header
    EXPECT_TRUE(pp.checksum_valid(far, kHost));
    EXPECT_EQ(pp.quoted()[pp.pointer()], 253);
    EXPECT_EQ(Icmpv6Builder::parameter_problem(icmpv6_parameter_problem::kUnrecognizedNextHeader, 6)
                  .build(pp.quoted(), far, kHost),
              to_vector(kParameterProblem));
}

TEST(Icmpv6View, PacketTooBigCarriesTheMtu) {
    const ByteVector bytes = packet_too_big();
    const Icmpv6View v = Icmpv6View::parse(bytes).value();
    EXPECT_EQ(v.type(), icmpv6_type::kPacketTooBig);
    EXPECT_EQ(v.mtu(), 1280u);
    EXPECT_TRUE(v.checksum_valid(kRouter, kHost));
    EXPECT_EQ(v.quoted().size(), 1232u);  // RFC 4443 §2.4(c): as much as fits in the minimum MTU
    const Ipv6View ip = Ipv6View::parse(v.quoted()).value();
    EXPECT_EQ(ip.payload_length(), 1408);
    EXPECT_TRUE(ip.payload_truncated());
    const Icmpv6View echo = Icmpv6View::parse(ip.payload()).value();
    EXPECT_EQ(echo.identifier(), 6006);
    EXPECT_EQ(Icmpv6Builder::packet_too_big(1280).build(v.quoted(), kRouter, kHost), bytes);
}

TEST(Icmpv6View, NeighborSolicitationWithSourceLinkLayerAddress) {
    const Ipv6Address solicited_node = v6("ff02::1:ff00:1");
    const Icmpv6View v = Icmpv6View::parse(kNeighborSolicitation).value();
    EXPECT_EQ(v.type(), icmpv6_type::kNeighborSolicitation);
    EXPECT_EQ(v.header_length(), 24u);
    EXPECT_EQ(v.target(), kRouter);
    EXPECT_TRUE(v.checksum_valid(kHost, solicited_node));
    EXPECT_TRUE(v.quoted().empty());
    ASSERT_EQ(v.nd_options().size(), 8u);
    const auto opts = all_options(v.nd_options());
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0].type(), nd_option_type::kSourceLinkLayerAddress);
    EXPECT_EQ(opts[0].length(), 1);
    EXPECT_EQ(opts[0].size(), 8u);
    EXPECT_EQ(opts[0].as_mac_address().value(), kHostMac);
    EXPECT_EQ(to_vector(opts[0].as_link_layer_address().value()), to_vector(kHostMac.octets));

    NdOptionsBuilder options;
    options.source_link_layer_address(kHostMac);
    EXPECT_EQ(Icmpv6Builder::neighbor_solicitation(kRouter).build(options.bytes(), kHost, solicited_node),
              to_vector(kNeighborSolicitation));
}

TEST(Icmpv6View, NeighborAdvertisementsWithAndWithoutOptions) {
    const Icmpv6View v = Icmpv6View::parse(kNeighborAdvertisement).value();
    EXPECT_EQ(v.type(), icmpv6_type::kNeighborAdvertisement);
    EXPECT_TRUE(v.router_flag());
    EXPECT_TRUE(v.solicited_flag());
    EXPECT_TRUE(v.override_flag());
    EXPECT_EQ(v.target(), kRouter);
    EXPECT_TRUE(v.checksum_valid(kRouter, kHost));
    const auto opts = all_options(v.nd_options());
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0].type(), nd_option_type::kTargetLinkLayerAddress);
    EXPECT_EQ(opts[0].as_mac_address().value(), kRouterMac);
    NdOptionsBuilder options;
    options.target_link_layer_address(kRouterMac);
    const auto flags = icmpv6_na_flag::kRouter | icmpv6_na_flag::kSolicited | icmpv6_na_flag::kOverride;
    EXPECT_EQ(Icmpv6Builder::neighbor_advertisement(static_cast<std::uint8_t>(flags), kRouter)
                  .build(options.bytes(), kRouter, kHost),
              to_vector(kNeighborAdvertisement));

    const Icmpv6View bare = Icmpv6View::parse(kBareNeighborAdvertisement).value();
    EXPECT_FALSE(bare.router_flag());
    EXPECT_TRUE(bare.solicited_flag());
    EXPECT_FALSE(bare.override_flag());
    EXPECT_EQ(bare.target(), kHost);
    EXPECT_TRUE(bare.nd_options().empty());
    EXPECT_TRUE(bare.checksum_valid(kHost, kRouterLinkLocal));
    EXPECT_EQ(Icmpv6Builder::neighbor_advertisement(icmpv6_na_flag::kSolicited, kHost)
                  .build({}, kHost, kRouterLinkLocal),
              to_vector(kBareNeighborAdvertisement));
}

TEST(Icmpv6View, DadSolicitationKeepsAnUnknownOptionRaw) {
    const Icmpv6View v = Icmpv6View::parse(kDadSolicitation).value();
    EXPECT_EQ(v.target(), v6("fe80::bc79:aff:fe91:a6a8"));
    EXPECT_TRUE(v.checksum_valid(Ipv6Address{}, v6("ff02::1:ff91:a6a8")));
    const auto opts = all_options(v.nd_options());
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0].type(), nd_option_type::kNonce);
    EXPECT_EQ(to_vector(opts[0].data()), (ByteVector{0x2b, 0xe7, 0xd1, 0xdc, 0xf2, 0xb6}));
    EXPECT_EQ(opts[0].as_link_layer_address().error(), ParseError::Unsupported);
    EXPECT_EQ(opts[0].as_mtu().error(), ParseError::Unsupported);
}

TEST(Icmpv6View, RouterSolicitation) {
    const Ipv6Address all_routers = v6("ff02::2");
    const Ipv6Address host_ll = v6("fe80::bc79:aff:fe91:a6a8");
    const Icmpv6View v = Icmpv6View::parse(kRouterSolicitation).value();
    EXPECT_EQ(v.type(), icmpv6_type::kRouterSolicitation);
    EXPECT_EQ(v.header_length(), 8u);
    EXPECT_TRUE(v.checksum_valid(host_ll, all_routers));
    const auto opts = all_options(v.nd_options());
    ASSERT_EQ(opts.size(), 1u);
    EXPECT_EQ(opts[0].as_mac_address().value(), kHostMac);
    NdOptionsBuilder options;
    options.source_link_layer_address(kHostMac);
    EXPECT_EQ(Icmpv6Builder::router_solicitation().build(options.bytes(), host_ll, all_routers),
              to_vector(kRouterSolicitation));
}

TEST(Icmpv6View, RouterAdvertisementFromRadvd) {
    const Ipv6Address all_nodes = v6("ff02::1");
    const Icmpv6View v = Icmpv6View::parse(kRouterAdvertisement).value();
    EXPECT_EQ(v.type(), icmpv6_type::kRouterAdvertisement);
    EXPECT_EQ(v.header_length(), 16u);
    EXPECT_EQ(v.cur_hop_limit(), 64);
    EXPECT_EQ(v.ra_flags(), icmpv6_ra_flag::kOtherConfig);
    EXPECT_FALSE(v.managed_flag());
    EXPECT_TRUE(v.other_config_flag());
    EXPECT_EQ(v.router_preference(), 0);  // medium
    EXPECT_EQ(v.router_lifetime(), 12);
    EXPECT_EQ(v.reachable_time(), 30000u);
    EXPECT_EQ(v.retrans_timer(), 1000u);
    EXPECT_EQ(v.target(), Ipv6Address{});
    EXPECT_TRUE(v.checksum_valid(kRouterLinkLocal, all_nodes));

    const auto opts = all_options(v.nd_options());
    ASSERT_EQ(opts.size(), 4u);
    const NdPrefixInformation prefix = opts[0].as_prefix_information().value();
    EXPECT_EQ(prefix.prefix_length, 64);
    EXPECT_TRUE(prefix.on_link());
    EXPECT_TRUE(prefix.autonomous());
    EXPECT_FALSE(prefix.router_address());
    EXPECT_EQ(prefix.valid_lifetime, 86400u);
    EXPECT_EQ(prefix.preferred_lifetime, 14400u);
    EXPECT_EQ(prefix.prefix, v6("fd77:1::"));
    EXPECT_EQ(opts[1].type(), nd_option_type::kRdnss);  // kept raw
    EXPECT_EQ(opts[1].length(), 3);
    EXPECT_EQ(opts[1].offset(), 32u);
    EXPECT_EQ(load_be32(opts[1].data().data() + 2), 4u);  // lifetime 4s after 2 reserved bytes
    EXPECT_EQ(opts[2].as_mtu().value(), 1400u);
    EXPECT_EQ(opts[3].as_mac_address().value(), kRouterMac);

    // Rebuilt from the parsed values, byte for byte.
    NdOptionsBuilder options;
    options.prefix_information(prefix).option(nd_option_type::kRdnss, opts[1].data()).mtu(1400)
        .source_link_layer_address(kRouterMac);
    EXPECT_EQ(options.bytes(), to_vector(v.nd_options()));
    EXPECT_EQ(Icmpv6Builder::router_advertisement(64, icmpv6_ra_flag::kOtherConfig, 12, 30000, 1000)
                  .build(options.bytes(), kRouterLinkLocal, all_nodes),
              to_vector(kRouterAdvertisement));
}

TEST(Icmpv6Builder, RedirectRoundTrip) {
    const Ipv6Address target = v6("fd77:1::7");
    const Ipv6Address destination = v6("fd77:9::9");
    NdOptionsBuilder options;
    options.target_link_layer_address(kHostMac);
    const ByteVector quoted = {0x60, 0, 0, 0, 0, 0, 59, 64};
    options.option(nd_option_type::kRedirectedHeader, ByteVector(6 + quoted.size(), 0));
    const ByteVector bytes = Icmpv6Builder::redirect(target, destination).build(options.bytes(), kRouter, kHost);
    ASSERT_EQ(bytes.size(), 40u + 8 + 16);
    EXPECT_EQ(bytes[0], icmpv6_type::kRedirect);
    const Icmpv6View v = Icmpv6View::parse(bytes).value();
    EXPECT_EQ(v.header_length(), 40u);
    EXPECT_EQ(v.target(), target);
    EXPECT_EQ(v.redirect_destination(), destination);
    EXPECT_TRUE(v.checksum_valid(kRouter, kHost));
    const auto opts = all_options(v.nd_options());
    ASSERT_EQ(opts.size(), 2u);
    EXPECT_EQ(opts[0].as_mac_address().value(), kHostMac);
    EXPECT_EQ(opts[1].as_redirected_header().value().size(), 8u);
    EXPECT_EQ(Icmpv6View::parse(Bytes(bytes).first(39)).error(), ParseError::Truncated);
}

// ---- Errors ----

TEST(Icmpv6View, EveryTruncationOfTheFixedPart) {
    struct Case {
        Bytes bytes;
        std::size_t fixed;
    };
    const Case cases[] = {{kEchoRequest, 8}, {kNeighborSolicitation, 24}, {kNeighborAdvertisement, 24},
                          {kRouterSolicitation, 8}, {kRouterAdvertisement, 16}, {kPortUnreachable, 8}};
    for (const Case& c : cases) {
        for (std::size_t n = 0; n < c.fixed; ++n) {
            EXPECT_EQ(Icmpv6View::parse(c.bytes.first(n)).error(), ParseError::Truncated) << int{c.bytes[0]} << n;
        }
        const Icmpv6View v = Icmpv6View::parse(c.bytes.first(c.fixed)).value();
        EXPECT_TRUE(v.payload().empty());
    }
}

TEST(Icmpv6View, ParseCapturedNeedsOnlyTypeAndCode) {
    for (std::size_t n = 0; n < 2; ++n) {
        EXPECT_EQ(Icmpv6View::parse_captured(Bytes(kNeighborSolicitation).first(n)).error(), ParseError::Truncated);
    }
    // The neighbor solicitation's fixed part is 24 bytes: its target reads as :: until all of it is there.
    const Ipv6Address target = Icmpv6View::parse(kNeighborSolicitation).value().target();
    for (std::size_t n = 2; n < 24; ++n) {
        const Icmpv6View v = Icmpv6View::parse_captured(Bytes(kNeighborSolicitation).first(n)).value();
        EXPECT_TRUE(v.header_truncated()) << n;
        EXPECT_EQ(v.type(), icmpv6_type::kNeighborSolicitation) << n;
        EXPECT_EQ(v.target(), Ipv6Address{}) << n;
        EXPECT_EQ(v.header().size(), n) << n;
        EXPECT_TRUE(v.payload().empty()) << n;
        EXPECT_TRUE(v.nd_options().empty()) << n;
    }
    for (std::size_t n = 24; n <= kNeighborSolicitation.size(); ++n) {
        const Icmpv6View v = Icmpv6View::parse_captured(Bytes(kNeighborSolicitation).first(n)).value();
        EXPECT_FALSE(v.header_truncated()) << n;
        EXPECT_EQ(v.target(), target) << n;
        EXPECT_EQ(v.nd_options().size(), n - 24) << n;
    }
    // The first 8 bytes' fields, and the router advertisement's timers, read as 0 while missing.
    for (std::size_t n = 2; n < 16; ++n) {
        const Icmpv6View ra = Icmpv6View::parse_captured(Bytes(kRouterAdvertisement).first(n)).value();
        EXPECT_TRUE(ra.header_truncated()) << n;
        EXPECT_EQ(ra.router_lifetime(), n >= 8 ? Icmpv6View::parse(kRouterAdvertisement)->router_lifetime() : 0);
        EXPECT_EQ(ra.reachable_time(), n >= 12 ? Icmpv6View::parse(kRouterAdvertisement)->reachable_time() : 0u);
        EXPECT_EQ(ra.retrans_timer(), 0u) << n;
    }
    const Icmpv6View echo = Icmpv6View::parse_captured(Bytes(kEchoRequest).first(7)).value();
    EXPECT_TRUE(echo.header_truncated());
    EXPECT_EQ(echo.identifier(), 5510);
    EXPECT_EQ(echo.sequence(), 0);
    EXPECT_EQ(echo.mtu(), 0u);
}

TEST(NdOptionIterator, FramingErrors) {
    struct Case {
        const char* name;
        ByteVector bytes;
        std::size_t good_before;
        std::size_t error_offset;
    };
    const std::vector<Case> cases = {
        {"zero length", {0x01, 0x00, 1, 2, 3, 4, 5, 6}, 0, 0},
        {"type without a length byte", {0x01, 0x01, 1, 2, 3, 4, 5, 6, 0x05}, 1, 8},
        {"length past the end", {0x03, 0x04, 0, 0, 0, 0, 0, 0}, 0, 0},
        {"second option cut short", {0x05, 0x01, 0, 0, 0, 0, 5, 0x78, 0x01, 0x01, 0xaa}, 1, 8},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        NdOptionIterator it(c.bytes);
        for (std::size_t i = 0; i < c.good_before; ++i) ASSERT_TRUE(it.next().ok());
        EXPECT_EQ(it.offset(), c.error_offset);
        EXPECT_EQ(it.next().error(), ParseError::BadOptionLength);
        EXPECT_TRUE(it.at_end());
        EXPECT_EQ(it.remaining()[0], c.bytes[c.error_offset]);
        EXPECT_EQ(it.next().error(), ParseError::Truncated);
        EXPECT_EQ(validate_nd_options(c.bytes).error(), ParseError::BadOptionLength);
    }
    EXPECT_TRUE(validate_nd_options(Bytes(kRouterAdvertisement).subspan(16)).ok());
}

TEST(NdOption, TypedReadersRejectBadLengths) {
    // A link-layer address option of 2 units (16 bytes) is framed fine but is not an Ethernet address.
    NdOptionsBuilder long_lla;
    long_lla.option(nd_option_type::kSourceLinkLayerAddress, ByteVector(10, 0xab));
    const NdOption lla = NdOptionIterator(long_lla.bytes()).next().value();
    EXPECT_EQ(lla.length(), 2);
    EXPECT_EQ(lla.as_link_layer_address().value().size(), 14u);
    EXPECT_EQ(lla.as_mac_address().error(), ParseError::BadOptionLength);

    NdOptionsBuilder prefix;
    prefix.option(nd_option_type::kPrefixInformation, ByteVector(14, 0));  // 2 units, needs 4
    EXPECT_EQ(NdOptionIterator(prefix.bytes()).next().value().as_prefix_information().error(),
              ParseError::BadOptionLength);
    NdOptionsBuilder mtu;
    mtu.option(nd_option_type::kMtu, ByteVector(14, 0));  // 2 units, needs 1
    const NdOption long_mtu = NdOptionIterator(mtu.bytes()).next().value();
    EXPECT_EQ(long_mtu.as_mtu().error(), ParseError::BadOptionLength);
    EXPECT_EQ(long_mtu.as_prefix_information().error(), ParseError::Unsupported);
    EXPECT_EQ(long_mtu.as_redirected_header().error(), ParseError::Unsupported);
    EXPECT_EQ(to_vector(long_mtu.raw()).size(), 16u);
}

TEST(Icmpv6Builder, NamedConstructorsAndOverrides) {
    EXPECT_EQ(icmpv6_fixed_length(icmpv6_type::kEchoReply), 8u);
    EXPECT_EQ(icmpv6_fixed_length(icmpv6_type::kRedirect), 40u);
    for (int t = 0; t < 256; ++t) EXPECT_EQ(icmpv6_is_error(static_cast<std::uint8_t>(t)), t < 128);

    Icmpv6Builder b = Icmpv6Builder::packet_too_big(0x01020304);
    b.checksum = 0xbeef;
    EXPECT_EQ(b.build({}, kRouter, kHost), (ByteVector{2, 0, 0xbe, 0xef, 1, 2, 3, 4}));
    const ByteVector pp = Icmpv6Builder::parameter_problem(icmpv6_parameter_problem::kErroneousHeader, 40)
                              .build({}, kRouter, kHost);
    EXPECT_EQ(Icmpv6View::parse(pp).value().pointer(), 40u);
    const ByteVector bad = b.build({}, kRouter, kHost);
    EXPECT_FALSE(Icmpv6View::parse(bad).value().checksum_valid(kRouter, kHost));
    const ByteVector un = Icmpv6Builder::destination_unreachable(icmpv6_unreachable::kAdminProhibited)
                              .build({}, kRouter, kHost);
    EXPECT_EQ(un[1], icmpv6_unreachable::kAdminProhibited);
}

}  // namespace
}  // namespace synack::wire
