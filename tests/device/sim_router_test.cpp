#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "device/sim_random.hpp"
#include "device/sim_router.hpp"
#include "wire/checksum.hpp"
#include "wire/icmpv4.hpp"
#include "wire/icmpv6.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv4_options.hpp"
#include "wire/ipv6.hpp"
#include "wire/ipv6_extensions.hpp"

namespace synack::device {
namespace {

using Packet = std::vector<std::uint8_t>;

const wire::Ipv4Address kR1v4{{198, 18, 1, 254}};
const wire::Ipv4Address kR2v4{{198, 18, 2, 254}};
const wire::Ipv4Address kH1v4{{198, 18, 1, 1}};
const wire::Ipv4Address kH2v4{{198, 18, 2, 1}};
const wire::Ipv6Address kR1v6 = *wire::Ipv6Address::parse("2001:2:0:1::fe");
const wire::Ipv6Address kR2v6 = *wire::Ipv6Address::parse("2001:2:0:2::fe");
const wire::Ipv6Address kH1v6 = *wire::Ipv6Address::parse("2001:2:0:1::1");
const wire::Ipv6Address kH2v6 = *wire::Ipv6Address::parse("2001:2:0:2::1");

struct Sent {
    SimInterfaceId interface;
    Packet bytes;
};

class Recorder : public SimRouter::Output {
public:
    void transmit(SimInterfaceId interface, wire::Bytes packet) override {
        sent.push_back({interface, Packet(packet.begin(), packet.end())});
    }
    std::vector<Sent> sent;
};

// h1 — [0] router [1] — h2, as in tests/runtime/linux_router_capture.sh: MTU 1500 towards h1, 1280 towards h2.
SimRouter make_router(std::uint32_t mtu0 = 1500, std::uint32_t mtu1 = 1280) {
    SimRouter r;
    r.add_interface({mtu0, kR1v4, kR1v6});
    r.add_interface({mtu1, kR2v4, kR2v6});
    r.add_route(kH1v4, 24, 0);
    r.add_route(kH2v4, 24, 1);
    r.add_route(kH1v6, 64, 0);
    r.add_route(kH2v6, 64, 1);
    return r;
}

// An IPv4 packet of `total` bytes whose payload bytes count up from 0.
Packet ipv4(std::size_t total, std::uint8_t ttl = 64, bool df = false, std::uint8_t protocol = 17,
            wire::Ipv4Address src = kH1v4, wire::Ipv4Address dst = kH2v4) {
    wire::Ipv4Builder h;
    h.identification = 0x1c46;
    h.dont_fragment = df;
    h.ttl = ttl;
    h.protocol = protocol;
    h.source = src;
    h.destination = dst;
    h.payload_length = static_cast<std::uint16_t>(total - h.size());
    Packet p(total);
    for (std::size_t i = h.size(); i < total; ++i) p[i] = static_cast<std::uint8_t>(i - h.size());
    if (protocol == 1) p[20] = 8;  // an echo request, not an error
    h.write(p);
    return p;
}

Packet ipv6(std::size_t total, std::uint8_t hop_limit = 64, std::uint8_t next_header = 17,
            wire::Ipv6Address src = kH1v6, wire::Ipv6Address dst = kH2v6) {
    wire::Ipv6Builder h;
    h.flow_label = 0x61144;
    h.payload_length = static_cast<std::uint16_t>(total - h.size());
    h.next_header = next_header;
    h.hop_limit = hop_limit;
    h.source = src;
    h.destination = dst;
    Packet p(total);
    for (std::size_t i = h.size(); i < total; ++i) p[i] = static_cast<std::uint8_t>(i * 7);
    if (next_header == 58) p[40] = 128;  // an echo request, not an error
    h.write(p);
    return p;
}

std::uint16_t recomputed_checksum(Packet header) {
    header[10] = header[11] = 0;
    return wire::internet_checksum(header);
}

// The fields of an ICMPv4 error every test checks: RFC 792 and Linux's icmp_send().
void expect_icmpv4_error(const Packet& p, const Packet& invoking, std::uint8_t type, std::uint8_t code,
                         std::uint32_t rest, std::size_t quoted, wire::Ipv4Address from) {
    const auto ip = wire::Ipv4View::parse_strict(p);
    ASSERT_TRUE(ip.ok());
    const auto orig = *wire::Ipv4View::parse(invoking);
    EXPECT_EQ(ip->total_length(), 20 + 8 + quoted);
    EXPECT_EQ(ip->header_length(), 20u);
    EXPECT_EQ(ip->tos(), (orig.tos() & 0x1e) | 0xc0);
    EXPECT_FALSE(ip->dont_fragment());
    EXPECT_FALSE(ip->is_fragment());
    EXPECT_EQ(ip->ttl(), 64);
    EXPECT_EQ(ip->protocol(), 1);
    EXPECT_EQ(ip->source(), from);
    EXPECT_EQ(ip->destination(), orig.source());
    EXPECT_TRUE(ip->header_checksum_valid());
    const auto icmp = wire::Icmpv4View::parse(ip->payload());
    ASSERT_TRUE(icmp.ok());
    EXPECT_EQ(icmp->type(), type);
    EXPECT_EQ(icmp->code(), code);
    EXPECT_EQ(icmp->rest_of_header(), rest);
    EXPECT_TRUE(icmp->checksum_valid());
    EXPECT_EQ(Packet(icmp->payload().begin(), icmp->payload().end()),
              Packet(invoking.begin(), invoking.begin() + static_cast<std::ptrdiff_t>(quoted)));
}

void expect_icmpv6_error(const Packet& p, const Packet& invoking, std::uint8_t type, std::uint8_t code,
                         std::uint32_t rest, std::size_t quoted, const wire::Ipv6Address& from) {
    const auto ip = wire::Ipv6View::parse_strict(p);
    ASSERT_TRUE(ip.ok());
    const auto orig = *wire::Ipv6View::parse(invoking);
    EXPECT_EQ(p.size(), 40 + 8 + quoted);
    EXPECT_EQ(ip->payload_length(), 8 + quoted);
    EXPECT_EQ(ip->traffic_class(), 0);
    EXPECT_EQ(ip->next_header(), 58);
    EXPECT_EQ(ip->hop_limit(), 64);
    EXPECT_EQ(ip->source(), from);
    EXPECT_EQ(ip->destination(), orig.source());
    const auto icmp = wire::Icmpv6View::parse(ip->payload());
    ASSERT_TRUE(icmp.ok());
    EXPECT_EQ(icmp->type(), type);
    EXPECT_EQ(icmp->code(), code);
    EXPECT_EQ(icmp->rest_of_header(), rest);
    EXPECT_TRUE(icmp->checksum_valid(ip->source(), ip->destination()));
    EXPECT_EQ(Packet(icmp->payload().begin(), icmp->payload().end()),
              Packet(invoking.begin(), invoking.begin() + static_cast<std::ptrdiff_t>(quoted)));
}

TEST(SimRouter, ForwardsIpv4WithTheTtlDecrementedAndTheChecksumUpdated) {
    SimRouter r = make_router();
    Recorder out;
    const Packet in = ipv4(100);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    EXPECT_EQ(out.sent[0].interface, 1);
    Packet expected = in;
    expected[8] = 63;
    const std::uint16_t check = recomputed_checksum(Packet(expected.begin(), expected.begin() + 20));
    wire::store_be16(expected.data() + 10, check);
    EXPECT_EQ(out.sent[0].bytes, expected);
    EXPECT_EQ(r.counters().forwarded, 1u);
    // And back the other way.
    r.receive(1, ipv4(60, 64, true, 6, kH2v4, kH1v4), out);
    ASSERT_EQ(out.sent.size(), 2u);
    EXPECT_EQ(out.sent[1].interface, 0);
    EXPECT_EQ(out.sent[1].bytes[8], 63);
}

TEST(SimRouter, TtlChecksumUpdateEqualsAFullRecomputationForRandomHeaders) {
    SimRandom random(1624);
    for (int i = 0; i < 20'000; ++i) {
        Packet h(20);
        for (auto& b : h) b = static_cast<std::uint8_t>(random.below(256));
        h[0] = 0x45;
        h[8] = static_cast<std::uint8_t>(2 + random.below(254));  // TTL 2..255
        wire::store_be16(h.data() + 10, recomputed_checksum(h));
        Packet after = h;
        SimRouter::decrease_ttl(after);
        ASSERT_EQ(after[8], h[8] - 1);
        ASSERT_EQ(wire::load_be16(after.data() + 10), recomputed_checksum(after)) << i;
    }
}

TEST(SimRouter, DecreaseTtlFoldsAsLinuxIpDecreaseTtl) {
    // check + 0x0100 = 0xffff becomes 0x0000 (check >= 0xFFFF adds the carry); 0xffff + 0x0100 wraps to 0x0100.
    Packet h(20, 0);
    h[8] = 10;
    wire::store_be16(h.data() + 10, 0xfeff);
    SimRouter::decrease_ttl(h);
    EXPECT_EQ(wire::load_be16(h.data() + 10), 0x0000);
    EXPECT_EQ(h[8], 9);
    wire::store_be16(h.data() + 10, 0xffff);
    SimRouter::decrease_ttl(h);
    EXPECT_EQ(wire::load_be16(h.data() + 10), 0x0100);
    wire::store_be16(h.data() + 10, 0x1234);
    SimRouter::decrease_ttl(h);
    EXPECT_EQ(wire::load_be16(h.data() + 10), 0x1334);
}

TEST(SimRouter, RoutesByTheLongestPrefixOfTheSameFamily) {
    SimRouter r;
    for (int i = 0; i < 4; ++i) r.add_interface({});
    r.add_route(wire::Ipv4Address{{198, 18, 0, 0}}, 15, 0);
    r.add_route(wire::Ipv4Address{{198, 18, 2, 128}}, 25, 2);
    r.add_route(wire::Ipv4Address{{198, 18, 2, 77}}, 24, 1);  // host bits in the prefix are ignored
    r.add_route(*wire::Ipv6Address::parse("::"), 0, 3);
    EXPECT_EQ(r.route(wire::Ipv4Address{{198, 18, 2, 200}}), 2);
    EXPECT_EQ(r.route(wire::Ipv4Address{{198, 18, 2, 5}}), 1);
    EXPECT_EQ(r.route(wire::Ipv4Address{{198, 19, 255, 1}}), 0);
    EXPECT_EQ(r.route(wire::Ipv4Address{{198, 20, 0, 1}}), std::nullopt);  // ::/0 is IPv6 only
    EXPECT_EQ(r.route(*wire::Ipv6Address::parse("2001:db8::1")), 3);
    r.add_route(wire::Ipv4Address{}, 0, 3);
    EXPECT_EQ(r.route(wire::Ipv4Address{{10, 0, 0, 1}}), 3);
}

TEST(SimRouter, TtlOneOrZeroGetsTimeExceededQuotingThePacketAsItArrived) {
    for (const std::uint8_t ttl : {1, 0}) {
        SimRouter r = make_router();
        Recorder out;
        const Packet in = ipv4(84, ttl, true, 1);
        r.receive(0, in, out);
        ASSERT_EQ(out.sent.size(), 1u);
        EXPECT_EQ(out.sent[0].interface, 0);
        expect_icmpv4_error(out.sent[0].bytes, in, 11, 0, 0, 84, kR1v4);
        EXPECT_EQ(r.counters().dropped_ttl, 1u);
        EXPECT_EQ(r.counters().icmp_errors, 1u);
    }
}

TEST(SimRouter, DontFragmentTooBigGetsFragmentationNeededWithTheNextHopMtu) {
    SimRouter r = make_router();
    Recorder out;
    const Packet in = ipv4(1428, 64, true, 1);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    // 576 bytes in all: the IP header, 8 bytes of ICMP and the first 548 bytes of the packet.
    expect_icmpv4_error(out.sent[0].bytes, in, 3, 4, 1280, 548, kR1v4);
    EXPECT_EQ(r.counters().dropped_too_big, 1u);
    EXPECT_EQ(r.counters().forwarded, 0u);
    // Exactly the MTU passes.
    r.receive(0, ipv4(1280, 64, true), out);
    ASSERT_EQ(out.sent.size(), 2u);
    EXPECT_EQ(out.sent[1].interface, 1);
}

TEST(SimRouter, IcmpErrorsFitTheReturnLinksMtuWhenBelow576) {
    SimRouter r = make_router(500, 1280);
    Recorder out;
    const Packet in = ipv4(1428, 64, true, 1);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    expect_icmpv4_error(out.sent[0].bytes, in, 3, 4, 1280, 500 - 28, kR1v4);
}

TEST(SimRouter, IcmpErrorTosIsInternetControlPlusTheTosBits) {
    SimRouter r = make_router();
    Recorder out;
    Packet in = ipv4(84, 1);
    in[1] = 0xb9;  // DSCP EF, ECT(1)
    wire::store_be16(in.data() + 10, recomputed_checksum(Packet(in.begin(), in.begin() + 20)));
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    EXPECT_EQ(out.sent[0].bytes[1], 0xd8);  // 0xc0 | (0xb9 & 0x1e)
}

TEST(SimRouter, IcmpIdentificationCountsFromTheValueSet) {
    SimRouter r = make_router();
    Recorder out;
    r.set_next_ipv4_id(0xfffe);
    for (int i = 0; i < 3; ++i) r.receive(0, ipv4(84, 1), out);
    ASSERT_EQ(out.sent.size(), 3u);
    EXPECT_EQ(wire::load_be16(out.sent[0].bytes.data() + 4), 0xfffe);
    EXPECT_EQ(wire::load_be16(out.sent[1].bytes.data() + 4), 0xffff);
    EXPECT_EQ(wire::load_be16(out.sent[2].bytes.data() + 4), 0x0000);
}

TEST(SimRouter, FragmentsWithoutDfIntoEightByteMultiples) {
    SimRouter r = make_router();
    Recorder out;
    const Packet in = ipv4(1428, 64, false, 1);
    r.receive(0, in, out);
    // As Linux fragmented the same ping (tests/runtime/linux_router_capture.sh): 1276 + 172 bytes.
    ASSERT_EQ(out.sent.size(), 2u);
    Packet payload;
    const std::size_t lengths[] = {1276, 172};
    const std::size_t offsets[] = {0, 1256};
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(out.sent[i].interface, 1);
        const auto f = wire::Ipv4View::parse_strict(out.sent[i].bytes);
        ASSERT_TRUE(f.ok());
        EXPECT_EQ(f->total_length(), lengths[i]);
        EXPECT_EQ(f->fragment_offset(), offsets[i]);
        EXPECT_EQ(f->more_fragments(), i == 0);
        EXPECT_FALSE(f->dont_fragment());
        EXPECT_EQ(f->identification(), 0x1c46);
        EXPECT_EQ(f->ttl(), 63);
        EXPECT_EQ(f->protocol(), 1);
        EXPECT_TRUE(f->header_checksum_valid());
        payload.insert(payload.end(), f->payload().begin(), f->payload().end());
    }
    EXPECT_EQ(payload, Packet(in.begin() + 20, in.end()));
    EXPECT_EQ(r.counters().fragmented, 1u);
    EXPECT_EQ(r.counters().fragments, 2u);
    EXPECT_EQ(r.counters().forwarded, 1u);
}

TEST(SimRouter, RefragmentsAFragmentKeepingItsOffsetAndMoreFragments) {
    SimRouter r = make_router(1500, 600);
    Recorder out;
    wire::Ipv4Builder h;
    h.identification = 77;
    h.more_fragments = true;
    h.fragment_offset = 800;
    h.protocol = 17;
    h.source = kH1v4;
    h.destination = kH2v4;
    h.payload_length = 1000;
    Packet in(1020, 0xab);
    h.write(in);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 2u);
    const auto a = *wire::Ipv4View::parse_strict(out.sent[0].bytes);
    const auto b = *wire::Ipv4View::parse_strict(out.sent[1].bytes);
    EXPECT_EQ(a.fragment_offset(), 800);
    EXPECT_EQ(a.payload().size(), 576u);  // (600 - 20) rounded down to a multiple of 8
    EXPECT_TRUE(a.more_fragments());
    EXPECT_EQ(b.fragment_offset(), 1376);
    EXPECT_EQ(b.payload().size(), 424u);
    EXPECT_TRUE(b.more_fragments());  // the original was not the last fragment
}

TEST(SimRouter, OptionsNotCopiedBecomeNopsAfterTheFirstFragment) {
    SimRouter r = make_router(1500, 600);
    Recorder out;
    wire::Ipv4Builder h;
    h.protocol = 17;
    h.source = kH1v4;
    h.destination = kH2v4;
    // Record route (7: copied flag clear) with two empty slots, then router alert (148: copied flag set).
    h.options = wire::Ipv4OptionsBuilder().record_route({}, 2).router_alert().bytes();
    ASSERT_EQ(h.size(), 36u);
    h.payload_length = 1000;
    Packet in(36 + 1000, 0x5a);
    h.write(in);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 2u);
    const auto first = *wire::Ipv4View::parse_strict(out.sent[0].bytes);
    const auto second = *wire::Ipv4View::parse_strict(out.sent[1].bytes);
    EXPECT_EQ(Packet(first.options().begin(), first.options().end()),
              Packet(in.begin() + 20, in.begin() + 36));
    // RFC 791: record route is not copied into fragments (11 NOPs), router alert is, then EOL padding.
    const Packet nopped = {0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x94, 4, 0, 0, 0};
    EXPECT_EQ(Packet(second.options().begin(), second.options().end()), nopped);
    EXPECT_EQ(second.header_length(), 36u);
    EXPECT_TRUE(second.header_checksum_valid());
    EXPECT_EQ(first.payload().size(), 560u);  // 600 - 36 = 564, down to 560
    EXPECT_EQ(second.fragment_offset(), 560);
}

TEST(SimRouter, ForwardsIpv6WithTheHopLimitDecremented) {
    SimRouter r = make_router();
    Recorder out;
    const Packet in = ipv6(104);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    EXPECT_EQ(out.sent[0].interface, 1);
    Packet expected = in;
    expected[7] = 63;
    EXPECT_EQ(out.sent[0].bytes, expected);
}

// RFC 2675 jumbogram: payload length 0 and a hop-by-hop Jumbo Payload option counting every byte after the fixed
// header. Forwarded whole to a link whose MTU allows it; "packet too big" (with the MTU) to one that does not.
TEST(SimRouter, ForwardsAJumbogramToALinkWithAnMtuAboveIt) {
    constexpr std::uint32_t kJumbo = 70000;  // bytes after the fixed header
    wire::Ipv6OptionsBuilder jumbo;
    jumbo.jumbo_payload(kJumbo);
    wire::Ipv6OptionsHeaderBuilder hbh;
    hbh.next_header = 17;
    hbh.options = jumbo.bytes();
    Packet in = ipv6(40 + kJumbo, 64, 0);
    in[4] = in[5] = 0;  // payload length 0
    hbh.write(wire::MutableBytes(in).subspan(40, hbh.size()));
    ASSERT_TRUE(wire::Ipv6View::parse_strict(in).ok());
    ASSERT_EQ(wire::Ipv6View::parse_strict(in)->jumbo_payload_length(), kJumbo);

    SimRouter r = make_router(1500, 100000);
    Recorder out;
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    EXPECT_EQ(out.sent[0].interface, 1);
    Packet expected = in;
    expected[7] = 63;
    EXPECT_EQ(out.sent[0].bytes, expected);
    EXPECT_EQ(r.counters().forwarded, 1u);

    SimRouter small = make_router(1500, 65575);
    Recorder refused;
    small.receive(0, in, refused);
    ASSERT_EQ(refused.sent.size(), 1u);
    expect_icmpv6_error(refused.sent[0].bytes, in, 2, 0, 65575, 1280 - 48, kR1v6);
}

TEST(SimRouter, HopLimitOneGetsIcmpv6TimeExceeded) {
    SimRouter r = make_router();
    r.config().icmpv6_flow_label = 0xcc3c2;
    Recorder out;
    const Packet in = ipv6(104, 1, 58);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    EXPECT_EQ(out.sent[0].interface, 0);
    expect_icmpv6_error(out.sent[0].bytes, in, 3, 0, 0, 104, kR1v6);
    EXPECT_EQ(wire::Ipv6View::parse(out.sent[0].bytes)->flow_label(), 0xcc3c2u);
}

TEST(SimRouter, TooBigIpv6GetsPacketTooBigOf1280BytesInAll) {
    SimRouter r = make_router();
    Recorder out;
    const Packet in = ipv6(1448, 64, 58);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    expect_icmpv6_error(out.sent[0].bytes, in, 2, 0, 1280, 1232, kR1v6);
    EXPECT_EQ(r.counters().dropped_too_big, 1u);
    r.receive(0, ipv6(1280), out);  // exactly the MTU passes
    ASSERT_EQ(out.sent.size(), 2u);
    EXPECT_EQ(out.sent[1].interface, 1);
}

TEST(SimRouter, Ipv6FromALinkLocalSourceGetsBeyondScope) {
    SimRouter r = make_router();
    r.add_route(*wire::Ipv6Address::parse("fe80::"), 64, 0);  // so the error has a way back
    Recorder out;
    const Packet in = ipv6(80, 64, 17, *wire::Ipv6Address::parse("fe80::1"));
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    expect_icmpv6_error(out.sent[0].bytes, in, 1, 2, 0, 80, kR1v6);
}

TEST(SimRouter, NoRouteGetsNetUnreachableOrNoRoute) {
    SimRouter r = make_router();
    Recorder out;
    const Packet v4 = ipv4(84, 1, false, 1, kH1v4, wire::Ipv4Address{{198, 18, 9, 9}});
    r.receive(0, v4, out);  // the route lookup comes before the TTL check
    const Packet v6 = ipv6(104, 64, 58, kH1v6, *wire::Ipv6Address::parse("2001:2:0:9::9"));
    r.receive(0, v6, out);
    ASSERT_EQ(out.sent.size(), 2u);
    expect_icmpv4_error(out.sent[0].bytes, v4, 3, 0, 0, 84, kR1v4);
    expect_icmpv6_error(out.sent[1].bytes, v6, 1, 0, 0, 104, kR1v6);
    EXPECT_EQ(r.counters().dropped_no_route, 2u);
    EXPECT_EQ(r.counters().dropped_ttl, 0u);
}

TEST(SimRouter, NeverAnErrorAboutAnIcmpErrorOrANonFirstFragment) {
    SimRouter r = make_router();
    Recorder out;
    // An ICMP time exceeded (type 11) with TTL 1.
    Packet icmp_error = ipv4(56, 1, false, 1);
    icmp_error[20] = 11;
    wire::store_be16(icmp_error.data() + 10, recomputed_checksum(Packet(icmp_error.begin(), icmp_error.begin() + 20)));
    r.receive(0, icmp_error, out);
    // An ICMP type beyond 18 (icmp_send: "> NR_ICMP_TYPES").
    Packet unknown = icmp_error;
    unknown[20] = 42;
    r.receive(0, unknown, out);
    // A second fragment with TTL 1.
    wire::Ipv4Builder h;
    h.ttl = 1;
    h.fragment_offset = 1480;
    h.source = kH1v4;
    h.destination = kH2v4;
    h.payload_length = 40;
    Packet fragment(60);
    h.write(fragment);
    r.receive(0, fragment, out);
    // An ICMPv6 packet too big (type 2) with hop limit 1.
    Packet icmpv6_error = ipv6(100, 1, 58);
    icmpv6_error[40] = 2;
    r.receive(0, icmpv6_error, out);
    EXPECT_TRUE(out.sent.empty());
    EXPECT_EQ(r.counters().dropped_ttl, 4u);
    // An echo request (type 8) does get one.
    Packet echo = icmp_error;
    echo[20] = 8;
    r.receive(0, echo, out);
    EXPECT_EQ(out.sent.size(), 1u);
}

TEST(SimRouter, DropsBadHeadersAndTrimsPadding) {
    SimRouter r = make_router();
    Recorder out;
    Packet bad_checksum = ipv4(100);
    bad_checksum[11] ^= 1;
    r.receive(0, bad_checksum, out);
    Packet truncated = ipv4(100);
    truncated.resize(99);
    r.receive(0, truncated, out);
    r.receive(0, Packet{0x55, 0, 0, 0}, out);  // version 5
    r.receive(0, Packet{}, out);
    r.receive(7, ipv4(100), out);  // no such interface
    Packet v6_truncated = ipv6(100);
    v6_truncated.resize(90);
    r.receive(0, v6_truncated, out);
    EXPECT_TRUE(out.sent.empty());
    EXPECT_EQ(r.counters().dropped_header, 6u);
    // Bytes past the total length (link padding) are not forwarded.
    Packet padded = ipv4(40);
    padded.resize(60, 0xee);
    r.receive(0, padded, out);
    ASSERT_EQ(out.sent.size(), 1u);
    EXPECT_EQ(out.sent[0].bytes.size(), 40u);
}

TEST(SimRouter, DoesNotForwardToItselfOrToGroups) {
    SimRouter r = make_router();
    Recorder out;
    r.receive(0, ipv4(60, 64, false, 17, kH1v4, kR2v4), out);
    r.receive(0, ipv6(60, 64, 17, kH1v6, kR2v6), out);
    EXPECT_EQ(r.counters().dropped_local, 2u);
    r.receive(0, ipv4(60, 64, false, 17, kH1v4, wire::Ipv4Address{{224, 0, 0, 251}}), out);
    r.receive(0, ipv4(60, 64, false, 17, kH1v4, wire::Ipv4Address{{255, 255, 255, 255}}), out);
    r.receive(0, ipv4(60, 64, false, 17, wire::Ipv4Address{{127, 0, 0, 1}}, kH2v4), out);
    r.receive(0, ipv6(60, 64, 17, kH1v6, *wire::Ipv6Address::parse("ff02::1")), out);
    EXPECT_EQ(r.counters().dropped_not_forwardable, 4u);
    EXPECT_TRUE(out.sent.empty());
}

TEST(SimRouter, IcmpSourceFallsBackToAnotherInterfacesAddress) {
    SimRouter r;
    r.add_interface({1500, std::nullopt, std::nullopt});  // unnumbered towards h1
    r.add_interface({1500, kR2v4, kR2v6});
    r.add_route(kH1v4, 24, 0);
    r.add_route(kH2v4, 24, 1);
    Recorder out;
    const Packet in = ipv4(84, 1);
    r.receive(0, in, out);
    ASSERT_EQ(out.sent.size(), 1u);
    EXPECT_EQ(out.sent[0].interface, 0);
    expect_icmpv4_error(out.sent[0].bytes, in, 11, 0, 0, 84, kR2v4);
}

TEST(SimRouter, Icmpv6FlowLabelIsAKeyedHashOfTheAddresses) {
    auto label = [](std::uint64_t seed, const wire::Ipv6Address& to) {
        SimRouterConfig config;
        config.seed = seed;
        SimRouter r(config);
        r.add_interface({1500, std::nullopt, kR1v6});
        r.add_interface({1280, std::nullopt, kR2v6});
        r.add_route(*wire::Ipv6Address::parse("2001:2::"), 48, 0);
        Recorder out;
        r.receive(1, ipv6(100, 1, 17, to, kH1v6), out);
        return wire::Ipv6View::parse(out.sent.at(0).bytes)->flow_label();
    };
    EXPECT_EQ(label(1, kH2v6), label(1, kH2v6));
    EXPECT_NE(label(1, kH2v6), label(2, kH2v6));
    EXPECT_NE(label(1, kH2v6), label(1, *wire::Ipv6Address::parse("2001:2:0:3::1")));
}

}  // namespace
}  // namespace synack::device
