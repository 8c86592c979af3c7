// The drill packet codec: inbound packets built and read back with the wire parsers, live packets (made with the
// wire builders, as a stack would send them) checked against script expectations. The mapping rules are
// packetdrill's (run_packet.c, socket.h): SYN sequence numbers absolute, the others relative to the ISNs.
#include <gtest/gtest.h>

#include <vector>

#include "tools/drill/packet_codec.hpp"
#include "wire/icmpv4.hpp"
#include "wire/icmpv6.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/tcp.hpp"

namespace synack::drill {
namespace {

namespace flag = wire::tcp_flags;
using Kind = PacketCodec::Verdict::Kind;
using Bytes = std::vector<std::uint8_t>;

const wire::Ipv4Address kLocal4 = *wire::Ipv4Address::parse("198.18.0.1");
const wire::Ipv4Address kRemote4 = *wire::Ipv4Address::parse("198.19.0.1");
const wire::Ipv6Address kLocal6 = *wire::Ipv6Address::parse("2001:2:0:1::1");
const wire::Ipv6Address kRemote6 = *wire::Ipv6Address::parse("2001:2:0:2::1");

CodecSettings settings(IpVersion version = IpVersion::kIpv4) {
    CodecSettings s;
    s.network.ip_version = version;
    if (version == IpVersion::kIpv6) {
        s.network.local_ip = kLocal6;
        s.network.remote_ip = kRemote6;
    } else {
        s.network.local_ip = kLocal4;
        s.network.remote_ip = kRemote4;
    }
    return s;
}

TcpOptionSpec opt(TcpOptionSpec::Kind kind, std::uint32_t value = 0, std::uint32_t echo = 0) {
    TcpOptionSpec o;
    o.kind = kind;
    o.value = value;
    o.echo = echo;
    return o;
}
TcpOptionSpec nop() { return opt(TcpOptionSpec::Kind::kNop); }
TcpOptionSpec mss(std::uint32_t v) { return opt(TcpOptionSpec::Kind::kMss, v); }
TcpOptionSpec ts(std::uint32_t val, std::uint32_t ecr) { return opt(TcpOptionSpec::Kind::kTimestamp, val, ecr); }
TcpOptionSpec sack(std::uint32_t left, std::uint32_t right) {
    TcpOptionSpec o = opt(TcpOptionSpec::Kind::kSack);
    o.blocks.emplace_back(left, right);
    return o;
}

// "< flags start:end(len) ack A win W <options>" / "> ...".
PacketEvent tcp(Direction d, const std::string& flags, std::uint32_t start, std::uint32_t len,
                std::optional<std::uint32_t> ack = std::nullopt, std::optional<std::uint32_t> win = std::nullopt,
                std::vector<TcpOptionSpec> options = {}) {
    TcpSpec t;
    t.flags = flags;
    t.start_seq = start;
    t.end_seq = start + len;
    t.payload_length = len;
    t.ack = ack;
    t.window = win;
    t.options = std::move(options);
    PacketEvent p;
    p.direction = d;
    p.body = t;
    return p;
}
PacketEvent in(const std::string& flags, std::uint32_t start, std::uint32_t len, std::optional<std::uint32_t> ack,
               std::uint32_t win, std::vector<TcpOptionSpec> options = {}) {
    return tcp(Direction::kInbound, flags, start, len, ack, win, std::move(options));
}
PacketEvent out(const std::string& flags, std::uint32_t start, std::uint32_t len,
                std::optional<std::uint32_t> ack = std::nullopt, std::optional<std::uint32_t> win = std::nullopt,
                std::vector<TcpOptionSpec> options = {}) {
    return tcp(Direction::kOutbound, flags, start, len, ack, win, std::move(options));
}

// A segment as the stack under test would send it, built with the wire builders.
struct Live {
    std::uint16_t sport = 8080;
    std::uint16_t dport = 40000;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t flags = 0;
    std::uint16_t window = 65535;
    Bytes options{};
    std::size_t payload = 0;
    std::uint8_t tos = 0;
    std::uint8_t ttl = 64;
    bool v6 = false;
    std::uint32_t flow_label = 0;

    Bytes build() const {
        wire::TcpBuilder t;
        t.source_port = sport;
        t.destination_port = dport;
        t.seq = wire::Seq32(seq);
        t.ack = wire::Seq32(ack);
        t.flags = flags;
        t.window = window;
        t.options = options;
        const Bytes data(payload, 0);
        Bytes segment = v6 ? t.build(data, kLocal6, kRemote6) : t.build(data, kLocal4, kRemote4);
        Bytes packet;
        if (v6) {
            wire::Ipv6Builder ip;
            ip.traffic_class = tos;
            ip.flow_label = flow_label;
            ip.hop_limit = ttl;
            ip.payload_length = static_cast<std::uint16_t>(segment.size());
            ip.source = kLocal6;
            ip.destination = kRemote6;
            packet.resize(ip.size());
            ip.write(packet);
        } else {
            wire::Ipv4Builder ip;
            ip.tos = tos;
            ip.ttl = ttl;
            ip.dont_fragment = true;
            ip.identification = 0x1234;
            ip.source = kLocal4;
            ip.destination = kRemote4;
            ip.payload_length = static_cast<std::uint16_t>(segment.size());
            packet.resize(ip.size());
            ip.write(packet);
        }
        packet.insert(packet.end(), segment.begin(), segment.end());
        return packet;
    }
};

Bytes options_bytes(std::initializer_list<std::uint8_t> b) { return Bytes(b); }
Bytes ts_option(std::uint32_t val, std::uint32_t ecr) {
    wire::TcpOptionsBuilder b;
    b.nop().nop().timestamps(val, ecr);
    return Bytes(b.bytes().begin(), b.bytes().end());
}

constexpr std::uint32_t kLocalIsn = 123456789;

// listen(); < S 0:0(0) win 65535 <mss 1460>; > S. 0:0(0) ack 1 <mss 1460> answered with ISN kLocalIsn.
void passive_handshake(PacketCodec& codec) {
    codec.listening(8080);
    ASSERT_TRUE(codec.build_inbound(in("S", 0, 0, std::nullopt, 65535, {mss(1460)})).ok());
    Live synack{.seq = kLocalIsn, .ack = 1, .flags = flag::kSyn | flag::kAck, .options = options_bytes({2, 4, 5, 0xb4})};
    const PacketEvent expected = out("S.", 0, 0, 1, std::nullopt, {mss(1460)});
    ASSERT_EQ(codec.match_outbound(expected, synack.build()).kind, Kind::kMatch);
}

TEST(DrillCodecInbound, SynIsAWholeIpv4PacketWithValidChecksums) {
    PacketCodec codec(settings());
    codec.listening(8080);
    TcpOptionSpec wscale = opt(TcpOptionSpec::Kind::kWscale, 7);
    auto bytes = codec.build_inbound(in("S", 0, 0, std::nullopt, 65535,
                                        {mss(1460), opt(TcpOptionSpec::Kind::kSackOk), nop(), nop(), nop(), wscale}));
    ASSERT_TRUE(bytes.ok()) << bytes.error();
    auto ip = wire::Ipv4View::parse_strict(*bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->source(), kRemote4);
    EXPECT_EQ(ip->destination(), kLocal4);
    EXPECT_EQ(ip->protocol(), wire::ip_protocol::kTcp);
    EXPECT_EQ(ip->ttl(), 255);
    EXPECT_EQ(ip->tos(), 0);
    EXPECT_EQ(ip->identification(), 0);
    EXPECT_FALSE(ip->dont_fragment());
    EXPECT_EQ(ip->total_length(), bytes->size());
    EXPECT_TRUE(ip->header_checksum_valid());
    auto t = wire::TcpView::parse(ip->payload());
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->source_port(), 40000);  // the codec's remote port
    EXPECT_EQ(t->destination_port(), 8080);
    EXPECT_EQ(t->seq().raw(), 0u);
    EXPECT_EQ(t->ack().raw(), 0u);
    EXPECT_EQ(t->flags(), flag::kSyn);
    EXPECT_EQ(t->window(), 65535);
    EXPECT_EQ(t->urgent_pointer(), 0);
    const Bytes want_options{2, 4, 0x05, 0xb4, 4, 2, 1, 1, 1, 3, 3, 7};
    EXPECT_EQ(Bytes(t->options().begin(), t->options().end()), want_options);
    EXPECT_TRUE(t->payload().empty());
    EXPECT_TRUE(t->checksum_valid(kRemote4, kLocal4));
}

TEST(DrillCodecInbound, DataIsZerosAndUrgentAndEcnAreWritten) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    PacketEvent p = in("P.U", 1, 10, 1, 257);
    std::get<TcpSpec>(p.body).urgent = 5;
    p.ip.ecn = EcnCodepoint::kEct0;
    p.ip.ttl = 7;
    auto bytes = codec.build_inbound(p);
    ASSERT_TRUE(bytes.ok()) << bytes.error();
    auto ip = wire::Ipv4View::parse_strict(*bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->ecn(), 2);  // ECT(0), RFC 3168 §5
    EXPECT_EQ(ip->ttl(), 7);
    auto t = wire::TcpView::parse(ip->payload());
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->flags(), flag::kPsh | flag::kAck | flag::kUrg);
    EXPECT_EQ(t->urgent_pointer(), 5);
    EXPECT_EQ(t->payload().size(), 10u);
    for (std::uint8_t b : t->payload()) EXPECT_EQ(b, 0);
    EXPECT_TRUE(t->checksum_valid(kRemote4, kLocal4));
}

TEST(DrillCodecInbound, RefusesWhatPacketdrillRefuses) {
    PacketCodec codec(settings());
    PacketEvent no_window = tcp(Direction::kInbound, "S", 0, 0, std::nullopt, std::nullopt);
    auto r = codec.build_inbound(no_window);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), "window must be specified for inbound packets");
    auto unpadded = codec.build_inbound(in("S", 0, 0, std::nullopt, 100, {opt(TcpOptionSpec::Kind::kWscale, 7)}));
    ASSERT_FALSE(unpadded.ok());
    EXPECT_EQ(unpadded.error(), "TCP options are not padded to a multiple of 4 bytes: 3 excess bytes");
    auto bad_flag = codec.build_inbound(in("SX", 0, 0, std::nullopt, 100));
    ASSERT_FALSE(bad_flag.ok());
    EXPECT_EQ(bad_flag.error(), "invalid TCP flag 'X' in \"SX\"");
}

TEST(DrillCodecFlows, PassiveOpenMapsAckToTheLearntLocalIsn) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    auto ack = codec.build_inbound(in(".", 1, 0, 1, 257));
    ASSERT_TRUE(ack.ok());
    auto t = wire::TcpView::parse(wire::Ipv4View::parse(*ack)->payload());
    EXPECT_EQ(t->seq().raw(), 1u);
    EXPECT_EQ(t->ack().raw(), kLocalIsn + 1);

    Live data{.seq = kLocalIsn + 1, .ack = 1, .flags = flag::kPsh | flag::kAck, .window = 502, .payload = 1000};
    EXPECT_EQ(codec.match_outbound(out("P.", 1, 1000, 1, 502), data.build()).kind, Kind::kMatch);
    auto ack2 = codec.build_inbound(in(".", 1, 0, 1001, 257));
    ASSERT_TRUE(ack2.ok());
    EXPECT_EQ(wire::TcpView::parse(wire::Ipv4View::parse(*ack2)->payload())->ack().raw(), kLocalIsn + 1001);
}

TEST(DrillCodecFlows, ActiveOpenLearnsLocalPortAndIsnAndTheRemoteIsnFromTheSynAck) {
    PacketCodec codec(settings());
    codec.connecting(8080);
    Live syn{.sport = 51000, .dport = 8080, .seq = 1000, .flags = flag::kSyn, .options = options_bytes({2, 4, 5, 0xb4})};
    EXPECT_EQ(codec.match_outbound(out("S", 0, 0, std::nullopt, std::nullopt, {mss(1460)}), syn.build()).kind,
              Kind::kMatch);
    auto synack = codec.build_inbound(in("S.", 5000, 0, 1, 65535, {mss(1460)}));
    ASSERT_TRUE(synack.ok());
    auto t = wire::TcpView::parse(wire::Ipv4View::parse(*synack)->payload());
    EXPECT_EQ(t->source_port(), 8080);
    EXPECT_EQ(t->destination_port(), 51000);
    EXPECT_EQ(t->seq().raw(), 5000u);  // absolute in a SYN
    EXPECT_EQ(t->ack().raw(), 1001u);  // the local ISN 1000 + 1
    auto data = codec.build_inbound(in("P.", 1, 100, 1, 65535));
    t = wire::TcpView::parse(wire::Ipv4View::parse(*data)->payload());
    EXPECT_EQ(t->seq().raw(), 5001u);  // relative to the remote ISN 5000
    EXPECT_EQ(t->ack().raw(), 1001u);
    Live ack{.sport = 51000, .dport = 8080, .seq = 1001, .ack = 5101, .flags = flag::kAck};
    EXPECT_EQ(codec.match_outbound(out(".", 1, 0, 101), ack.build()).kind, Kind::kMatch);
}

TEST(DrillCodecFlows, ExplicitPortsPickTheirFlow) {
    PacketCodec codec(settings());
    codec.listening(8080);
    PacketEvent first = in("S", 0, 0, std::nullopt, 100);
    std::get<TcpSpec>(first.body).ports = std::pair<std::uint16_t, std::uint16_t>{40001, 8080};
    auto a = codec.build_inbound(first);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(wire::TcpView::parse(wire::Ipv4View::parse(*a)->payload())->source_port(), 40001);
    // The second passive flow without ports gets the codec's own remote port.
    codec.listening(8080);
    auto b = codec.build_inbound(in("S", 700, 0, std::nullopt, 100));
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(wire::TcpView::parse(wire::Ipv4View::parse(*b)->payload())->source_port(), 40000);
    // Back to the first flow by its ports: its remote ISN (0), not the current flow's (700).
    PacketEvent again = in(".", 1, 0, std::nullopt, 100);
    std::get<TcpSpec>(again.body).ports = std::pair<std::uint16_t, std::uint16_t>{40001, 8080};
    auto c = codec.build_inbound(again);
    auto t = wire::TcpView::parse(wire::Ipv4View::parse(*c)->payload());
    EXPECT_EQ(t->source_port(), 40001);
    EXPECT_EQ(t->seq().raw(), 1u);
    auto d = codec.build_inbound(in(".", 1, 0, std::nullopt, 100));  // the current flow
    t = wire::TcpView::parse(wire::Ipv4View::parse(*d)->payload());
    EXPECT_EQ(t->source_port(), 40000);
    EXPECT_EQ(t->seq().raw(), 701u);
}

TEST(DrillCodecOutbound, EachMismatchIsNamed) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    const PacketEvent expected = out(".", 1, 0, 1001, 502);
    auto check = [&](Live live) { return codec.match_outbound(expected, live.build()); };
    Live good{.seq = kLocalIsn + 1, .ack = 1001, .flags = flag::kAck, .window = 502};
    EXPECT_EQ(check(good).kind, Kind::kMatch);

    Live bad_ack = good;
    bad_ack.ack = 1;
    auto v = check(bad_ack);
    EXPECT_EQ(v.kind, Kind::kMismatch);
    EXPECT_EQ(v.difference, "ack: expected 1001, got 1");

    Live bad_flags = good;
    bad_flags.flags = flag::kRst | flag::kAck;
    EXPECT_EQ(check(bad_flags).difference, "flags: expected ., got R.");

    Live bad_seq = good;
    bad_seq.seq = kLocalIsn + 11;
    EXPECT_EQ(check(bad_seq).difference, "seq: expected 1, got 11");

    Live bad_win = good;
    bad_win.window = 29200;
    EXPECT_EQ(check(bad_win).difference, "win: expected 502, got 29200");

    Live bad_len = good;
    bad_len.payload = 5;
    EXPECT_EQ(check(bad_len).difference, "length: expected 0, got 5");

    Live bad_ports = good;
    bad_ports.dport = 40009;
    EXPECT_EQ(check(bad_ports).difference, "ports: expected 8080 > 40000, got 8080 > 40009");

    Live with_options = good;
    with_options.options = ts_option(7, 9);
    EXPECT_EQ(check(with_options).difference, "options: expected <>, got <nop,nop,TS val 7 ecr 9>");

    Live two = good;
    two.ack = 2;
    two.window = 1;
    EXPECT_EQ(check(two).difference, "ack: expected 1001, got 2; win: expected 502, got 1");
}

TEST(DrillCodecOutbound, OptionsAreCheckedInOrderUnlessEllipsis) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    Live live{.seq = kLocalIsn + 1, .ack = 1, .flags = flag::kAck, .options = options_bytes({1, 1, 5, 10, 0, 0, 0, 0, 0,
                                                                                            0, 0, 100})};
    // sack 0:100 in the remote's numbering (remote ISN 0).
    auto v = codec.match_outbound(out(".", 1, 0, 1, std::nullopt, {nop(), nop(), sack(0, 100)}), live.build());
    EXPECT_EQ(v.kind, Kind::kMatch) << v.difference;
    v = codec.match_outbound(out(".", 1, 0, 1, std::nullopt, {nop(), nop(), sack(0, 200)}), live.build());
    EXPECT_EQ(v.difference, "options: expected <nop,nop,sack 0:200>, got <nop,nop,sack 0:100>");
    PacketEvent any = out(".", 1, 0, 1);
    std::get<TcpSpec>(any.body).any_options = true;
    EXPECT_EQ(codec.match_outbound(any, live.build()).kind, Kind::kMatch);
}

TEST(DrillCodecOutbound, SackBlocksMoveWithTheRemoteIsn) {
    PacketCodec codec(settings());
    codec.connecting(8080);
    Live syn{.sport = 51000, .dport = 8080, .seq = 1000, .flags = flag::kSyn};
    ASSERT_EQ(codec.match_outbound(out("S", 0, 0), syn.build()).kind, Kind::kMatch);
    ASSERT_TRUE(codec.build_inbound(in("S.", 70000, 0, 1, 65535)).ok());
    wire::TcpOptionsBuilder b;
    const wire::SackBlock block{wire::Seq32(70000 + 1001), wire::Seq32(70000 + 2001)};
    b.nop().nop().sack(std::span(&block, 1));
    Live dupack{.sport = 51000, .dport = 8080, .seq = 1001, .ack = 70001, .flags = flag::kAck,
                .options = Bytes(b.bytes().begin(), b.bytes().end())};
    auto v = codec.match_outbound(out(".", 1, 0, 1, std::nullopt, {nop(), nop(), sack(1001, 2001)}), dupack.build());
    EXPECT_EQ(v.kind, Kind::kMatch) << v.difference;
    // Inbound SACK blocks move with the local ISN.
    auto in_sack = codec.build_inbound(in(".", 1, 0, 1, 100, {nop(), nop(), sack(101, 201)}));
    ASSERT_TRUE(in_sack.ok());
    auto t = wire::TcpView::parse(wire::Ipv4View::parse(*in_sack)->payload());
    wire::TcpOptionIterator it = t->option_iterator();
    ASSERT_TRUE(it.next().ok());
    ASSERT_TRUE(it.next().ok());
    auto blocks = it.next()->as_sack_blocks();
    ASSERT_TRUE(blocks.ok());
    ASSERT_EQ(blocks->size(), 1u);
    EXPECT_EQ((*blocks)[0].left.raw(), 1000u + 101);
    EXPECT_EQ((*blocks)[0].right.raw(), 1000u + 201);
}

TEST(DrillCodecOutbound, SegmentsMergeIntoALargerScriptedOne) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    const PacketEvent expected = out("P.", 1, 3000, 1);
    Live part{.seq = kLocalIsn + 1, .ack = 1, .flags = flag::kAck, .payload = 1460};
    EXPECT_EQ(codec.match_outbound(expected, part.build()).kind, Kind::kPartial);
    part.seq += 1460;
    EXPECT_EQ(codec.match_outbound(expected, part.build()).kind, Kind::kPartial);
    part.seq += 1460;
    part.payload = 80;
    part.flags = flag::kPsh | flag::kAck;
    EXPECT_EQ(codec.match_outbound(expected, part.build()).kind, Kind::kMatch);

    // A gap in between is a mismatch, in the script's numbering.
    const PacketEvent next = out("P.", 3001, 3000, 1);
    Live a{.seq = kLocalIsn + 3001, .ack = 1, .flags = flag::kAck, .payload = 1460};
    EXPECT_EQ(codec.match_outbound(next, a.build()).kind, Kind::kPartial);
    a.seq += 1500;
    auto v = codec.match_outbound(next, a.build());
    EXPECT_EQ(v.kind, Kind::kMismatch);
    EXPECT_EQ(v.difference, "seq: expected 4461, got 4501");
    // A FIN before the end is a mismatch too.
    Live fin{.seq = kLocalIsn + 3001, .ack = 1, .flags = flag::kFin | flag::kAck, .payload = 1460};
    EXPECT_EQ(codec.match_outbound(next, fin.build()).difference, "flags: expected ., got F.");
}

// packetdrill verify_packet_fragments: the parts of a merged segment are a TSO/GSO train, every part but the last
// as long as the one before it (so as the first); the last one carries what remains, shorter or longer.
TEST(DrillCodecOutbound, MergedPartsButTheLastAreAsLongAsTheFirst) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    const PacketEvent expected = out("P.", 1, 3000, 1);
    const auto part = [](std::uint32_t offset, std::size_t length, std::uint16_t flags = flag::kAck) {
        return Live{.seq = kLocalIsn + 1 + offset, .ack = 1, .flags = flags, .payload = length}.build();
    };
    // 1200 + 1200 + 600: the shorter part is the last.
    EXPECT_EQ(codec.match_outbound(expected, part(0, 1200)).kind, Kind::kPartial);
    EXPECT_EQ(codec.match_outbound(expected, part(1200, 1200)).kind, Kind::kPartial);
    EXPECT_EQ(codec.match_outbound(expected, part(2400, 600, flag::kPsh | flag::kAck)).kind, Kind::kMatch);

    // 1000 + 500 + ...: a shorter part with 1500 bytes still to come.
    const PacketEvent next = out("P.", 3001, 3000, 1);
    EXPECT_EQ(codec.match_outbound(next, part(3000, 1000)).kind, Kind::kPartial);
    auto v = codec.match_outbound(next, part(4000, 500));
    EXPECT_EQ(v.kind, Kind::kMismatch);
    EXPECT_EQ(v.difference, "segment sizes: parts of 1000 bytes, then 500 bytes at 1000 with 1500 to come");
    // 1000 + 1500 + ...: a longer one in the middle is no train either.
    EXPECT_EQ(codec.match_outbound(next, part(3000, 1000)).kind, Kind::kPartial);
    v = codec.match_outbound(next, part(4000, 1500));
    EXPECT_EQ(v.kind, Kind::kMismatch);
    EXPECT_EQ(v.difference, "segment sizes: parts of 1000 bytes, then 1500 bytes at 1000 with 500 to come");
    // 1000 + 2000: the last part may be longer than the first.
    EXPECT_EQ(codec.match_outbound(next, part(3000, 1000)).kind, Kind::kPartial);
    EXPECT_EQ(codec.match_outbound(next, part(4000, 2000, flag::kPsh | flag::kAck)).kind, Kind::kMatch);
}

TEST(DrillCodecOutbound, StrictSegmentsDoNotMerge) {
    CodecSettings s = settings();
    s.strict_segments = true;
    PacketCodec codec(s);
    passive_handshake(codec);
    Live part{.seq = kLocalIsn + 1, .ack = 1, .flags = flag::kAck, .payload = 1460};
    auto v = codec.match_outbound(out("P.", 1, 3000, 1), part.build());
    EXPECT_EQ(v.kind, Kind::kMismatch);
    EXPECT_EQ(v.difference, "flags: expected P., got .; length: expected 3000, got 1460");
}

TEST(DrillCodecTimestamps, InboundEcrNamesAnEarlierOutboundVal) {
    PacketCodec codec(settings());
    codec.connecting(8080);
    Live syn{.sport = 51000, .dport = 8080, .seq = 1000, .flags = flag::kSyn, .options = ts_option(777777, 0)};
    ASSERT_EQ(codec.match_outbound(out("S", 0, 0, std::nullopt, std::nullopt, {nop(), nop(), ts(100, 0)}), syn.build())
                  .kind,
              Kind::kMatch);
    auto synack = codec.build_inbound(in("S.", 0, 0, 1, 65535, {nop(), nop(), ts(500, 100)}));
    ASSERT_TRUE(synack.ok()) << synack.error();
    auto t = wire::TcpView::parse(wire::Ipv4View::parse(*synack)->payload());
    wire::TcpOptionIterator it = t->option_iterator();
    (void)it.next();
    (void)it.next();
    auto stamps = it.next()->as_timestamps();
    ASSERT_TRUE(stamps.ok());
    EXPECT_EQ(stamps->value, 500u);
    EXPECT_EQ(stamps->echo_reply, 777777u);

    auto unknown = codec.build_inbound(in(".", 1, 0, 1, 65535, {nop(), nop(), ts(501, 200)}));
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error(), "unable to infer live TS ecr for script TS ecr 200: no outbound TS val was numbered so");
}

TEST(DrillCodecTimestamps, ScaledEcrIsExtrapolatedFromTheFirstPair) {
    CodecSettings s = settings();
    s.tcp_ts_ecr_scaled = true;
    PacketCodec codec(s);
    codec.connecting(8080);
    Live syn{.sport = 51000, .dport = 8080, .seq = 1000, .flags = flag::kSyn, .options = ts_option(777777, 0)};
    ASSERT_EQ(codec.match_outbound(out("S", 0, 0, std::nullopt, std::nullopt, {nop(), nop(), ts(100, 0)}), syn.build())
                  .kind,
              Kind::kMatch);
    auto synack = codec.build_inbound(in("S.", 0, 0, 1, 65535, {nop(), nop(), ts(500, 200)}));
    ASSERT_TRUE(synack.ok());
    auto t = wire::TcpView::parse(wire::Ipv4View::parse(*synack)->payload());
    wire::TcpOptionIterator it = t->option_iterator();
    (void)it.next();
    (void)it.next();
    EXPECT_EQ(it.next()->as_timestamps()->echo_reply, 777877u);
}

TEST(DrillCodecTimestamps, OutboundValIsCheckedOnlyWithATick) {
    for (const Usecs tick : {Usecs{0}, Usecs{1000}}) {
        CodecSettings s = settings();
        s.tcp_ts_tick_usecs = tick;
        PacketCodec codec(s);
        codec.connecting(8080);
        Live syn{.sport = 51000, .dport = 8080, .seq = 1000, .flags = flag::kSyn, .options = ts_option(777777, 0)};
        ASSERT_EQ(
            codec.match_outbound(out("S", 0, 0, std::nullopt, std::nullopt, {nop(), nop(), ts(100, 0)}), syn.build())
                .kind,
            Kind::kMatch);
        // 10 ticks later the script says 110: exact. 20 ticks later is 10 ms off: beyond the 4 ms tolerance.
        Live ack{.sport = 51000, .dport = 8080, .seq = 1001, .ack = 1, .flags = flag::kAck,
                 .options = ts_option(777787, 0)};
        const PacketEvent expected = out(".", 1, 0, 1, std::nullopt, {nop(), nop(), ts(110, 0)});
        EXPECT_EQ(codec.match_outbound(expected, ack.build()).kind, Kind::kMatch);
        ack.options = ts_option(777797, 0);
        auto v = codec.match_outbound(expected, ack.build());
        if (tick == 0) {
            EXPECT_EQ(v.kind, Kind::kMatch);
        } else {
            EXPECT_EQ(v.difference, "TS val: expected 110, got 120 (tolerance 4000 usecs, 1000 usecs per tick)");
        }
    }
}

// Unlike packetdrill, drill checks the outbound TS ecr: inbound TS vals keep their script values, so the ecr the
// script writes is the one the stack must echo.
TEST(DrillCodecTimestamps, OutboundEcrIsCheckedExactly) {
    PacketCodec codec(settings());
    codec.connecting(8080);
    Live syn{.sport = 51000, .dport = 8080, .seq = 1000, .flags = flag::kSyn, .options = ts_option(777777, 0)};
    ASSERT_EQ(codec.match_outbound(out("S", 0, 0, std::nullopt, std::nullopt, {nop(), nop(), ts(100, 0)}), syn.build())
                  .kind,
              Kind::kMatch);
    Live ack{.sport = 51000, .dport = 8080, .seq = 1001, .ack = 1, .flags = flag::kAck,
             .options = ts_option(777787, 220)};
    EXPECT_EQ(codec.match_outbound(out(".", 1, 0, 1, std::nullopt, {nop(), nop(), ts(110, 220)}), ack.build()).kind,
              Kind::kMatch);
    const auto v = codec.match_outbound(out(".", 1, 0, 1, std::nullopt, {nop(), nop(), ts(110, 230)}), ack.build());
    EXPECT_EQ(v.kind, Kind::kMismatch);
    EXPECT_EQ(v.difference, "options: expected <nop,nop,TS val 110 ecr 230>, got <nop,nop,TS val 110 ecr 220>");
}

TEST(DrillCodecIp, EcnTosAndTtlAreCheckedWhenWritten) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    PacketEvent expected = out(".", 1, 0, 1);
    expected.ip.ecn = EcnCodepoint::kCe;
    Live live{.seq = kLocalIsn + 1, .ack = 1, .flags = flag::kAck};
    EXPECT_EQ(codec.match_outbound(expected, live.build()).difference, "ecn: expected ce, got not-ect");
    live.tos = 3;
    EXPECT_EQ(codec.match_outbound(expected, live.build()).kind, Kind::kMatch);
    expected.ip.ecn = EcnCodepoint::kEct01;
    live.tos = 1;
    EXPECT_EQ(codec.match_outbound(expected, live.build()).kind, Kind::kMatch);
    expected.ip.ecn.reset();
    expected.ip.tos = 0x10;
    expected.ip.ttl = 64;
    live.ttl = 63;
    EXPECT_EQ(codec.match_outbound(expected, live.build()).difference,
              "tos: expected 0x10, got 0x1; ttl: expected 64, got 63");
}

TEST(DrillCodecIp, Ipv6PacketsAndFlowLabels) {
    PacketCodec codec(settings(IpVersion::kIpv6));
    codec.listening(8080);
    PacketEvent syn = in("S", 0, 0, std::nullopt, 65535, {mss(1440)});
    syn.ip.flow_label = 0x12345;
    auto bytes = codec.build_inbound(syn);
    ASSERT_TRUE(bytes.ok()) << bytes.error();
    auto ip = wire::Ipv6View::parse_strict(*bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->source(), kRemote6);
    EXPECT_EQ(ip->destination(), kLocal6);
    EXPECT_EQ(ip->next_header(), wire::ip_protocol::kTcp);
    EXPECT_EQ(ip->hop_limit(), 255);
    EXPECT_EQ(ip->flow_label(), 0x12345u);
    EXPECT_EQ(ip->payload_length(), 24);
    auto t = wire::TcpView::parse(ip->payload());
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE(t->checksum_valid(kRemote6, kLocal6));
    EXPECT_EQ(t->destination_port(), 8080);

    Live synack{.seq = 99, .ack = 1, .flags = flag::kSyn | flag::kAck, .v6 = true, .flow_label = 0xabcde};
    PacketEvent expected = out("S.", 0, 0, 1);
    expected.ip.flow_label = 1;  // a name for whatever label the stack picks
    EXPECT_EQ(codec.match_outbound(expected, synack.build()).kind, Kind::kMatch);
    Live ack{.seq = 100, .ack = 1, .flags = flag::kAck, .v6 = true, .flow_label = 0xabcdf};
    PacketEvent same = out(".", 1, 0, 1);
    same.ip.flow_label = 1;
    EXPECT_EQ(codec.match_outbound(same, ack.build()).difference, "flowlabel: expected 0xabcde, got 0xabcdf");
    Live v4{.seq = 100, .ack = 1, .flags = flag::kAck};
    EXPECT_EQ(codec.match_outbound(out(".", 1, 0, 1), v4.build()).difference, "ip version: expected 6, got 4");
}

TEST(DrillCodecIp, Ipv4MappedIpv6UsesIpv4Packets) {
    PacketCodec codec(settings(IpVersion::kIpv4MappedIpv6));
    codec.listening(8080);
    auto bytes = codec.build_inbound(in("S", 0, 0, std::nullopt, 100));
    ASSERT_TRUE(bytes.ok());
    auto ip = wire::Ipv4View::parse_strict(*bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->source(), kRemote4);
    EXPECT_EQ(ip->destination(), kLocal4);
}

TEST(DrillCodecIcmp, FragNeededQuotesTheFlowsOutboundHeader) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    IcmpSpec icmp;
    icmp.type = "unreachable";
    icmp.code = "frag_needed";
    icmp.mtu = 1200;
    icmp.quoted_seq = std::pair<std::uint32_t, std::uint32_t>{1, 1461};
    icmp.quoted_length = 1460;
    PacketEvent p;
    p.body = icmp;
    auto bytes = codec.build_inbound(p);
    ASSERT_TRUE(bytes.ok()) << bytes.error();
    auto ip = wire::Ipv4View::parse_strict(*bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->protocol(), wire::ip_protocol::kIcmp);
    EXPECT_EQ(ip->source(), kRemote4);
    EXPECT_TRUE(ip->header_checksum_valid());
    auto m = wire::Icmpv4View::parse(ip->payload());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->type(), wire::icmpv4_type::kDestinationUnreachable);
    EXPECT_EQ(m->code(), wire::icmpv4_unreachable::kFragmentationNeeded);
    EXPECT_EQ(m->next_hop_mtu(), 1200);
    EXPECT_TRUE(m->checksum_valid());
    auto quoted = wire::Ipv4View::parse(m->quoted());
    ASSERT_TRUE(quoted.ok());
    EXPECT_EQ(quoted->source(), kLocal4);
    EXPECT_EQ(quoted->destination(), kRemote4);
    EXPECT_EQ(quoted->protocol(), wire::ip_protocol::kTcp);
    EXPECT_EQ(quoted->total_length(), 20 + 20 + 1460);
    ASSERT_EQ(m->quoted().size(), 28u);  // RFC 792: the IP header and the first 8 bytes of its payload
    const std::uint8_t* tcp8 = m->quoted().data() + 20;
    EXPECT_EQ(wire::load_be16(tcp8), 8080);
    EXPECT_EQ(wire::load_be16(tcp8 + 2), 40000);
    EXPECT_EQ(wire::load_be32(tcp8 + 4), kLocalIsn + 1);
}

TEST(DrillCodecIcmp, Ipv6PacketTooBig) {
    PacketCodec codec(settings(IpVersion::kIpv6));
    codec.listening(8080);
    ASSERT_TRUE(codec.build_inbound(in("S", 0, 0, std::nullopt, 100)).ok());
    Live synack{.seq = 99, .ack = 1, .flags = flag::kSyn | flag::kAck, .v6 = true};
    ASSERT_EQ(codec.match_outbound(out("S.", 0, 0, 1), synack.build()).kind, Kind::kMatch);
    IcmpSpec icmp;
    icmp.type = "unreachable";  // the IPv4 name stands for packet too big in an IPv6 run
    icmp.code = "frag_needed";
    icmp.mtu = 1280;
    PacketEvent p;
    p.body = icmp;
    auto bytes = codec.build_inbound(p);
    ASSERT_TRUE(bytes.ok()) << bytes.error();
    auto ip = wire::Ipv6View::parse_strict(*bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->next_header(), wire::ip_protocol::kIcmpv6);
    auto m = wire::Icmpv6View::parse(ip->payload());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->type(), wire::icmpv6_type::kPacketTooBig);
    EXPECT_EQ(m->mtu(), 1280u);
    EXPECT_TRUE(m->checksum_valid(kRemote6, kLocal6));
    ASSERT_EQ(m->payload().size(), 48u);  // the IPv6 header and the TCP header's first 8 bytes
    auto quoted = wire::Ipv6View::parse(m->payload());
    ASSERT_TRUE(quoted.ok());
    EXPECT_EQ(quoted->source(), kLocal6);
    EXPECT_EQ(quoted->destination(), kRemote6);
    EXPECT_EQ(quoted->payload_length(), 20);
    // No quoted segment written: seq 0, i.e. the local ISN itself (packetdrill icmp_packet.c and socket.h).
    EXPECT_EQ(wire::load_be32(m->payload().data() + 40 + 4), 99u);
}

TEST(DrillCodecIcmp, NeedsAFlow) {
    PacketCodec codec(settings());
    IcmpSpec icmp;
    icmp.type = "unreachable";
    icmp.code = "port_unreachable";
    PacketEvent p;
    p.body = icmp;
    auto r = codec.build_inbound(p);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), "an ICMP packet quotes a connection, but none exists yet");
}

TEST(DrillCodecText, LinesAreTcpdumpsWithAbsoluteSequenceNumbers) {
    PacketCodec codec(settings());
    passive_handshake(codec);
    Live synack{.seq = kLocalIsn, .ack = 1, .flags = flag::kSyn | flag::kAck, .options = options_bytes({2, 4, 5, 0xb4})};
    // `tcpdump -t -nn -S -r` of the same segment in a LINKTYPE_RAW capture (tcpdump 4.99.3).
    const std::string line =
        "IP 198.18.0.1.8080 > 198.19.0.1.40000: Flags [S.], seq 123456789, ack 1, win 65535, options [mss 1460], "
        "length 0";
    EXPECT_EQ(codec.live_text(synack.build()), line);
    EXPECT_EQ(codec.expected_text(out("S.", 0, 0, 1, 65535, {mss(1460)})), line);
    EXPECT_EQ(codec.expected_text(in(".", 1, 0, 1, 257)),
              "IP 198.19.0.1.40000 > 198.18.0.1.8080: Flags [.], ack 123456790, win 257, length 0");
    EXPECT_EQ(codec.expected_text(tcp(Direction::kInbound, ".", 1, 0, 1, std::nullopt)),
              "(cannot build: window must be specified for inbound packets)");
}

}  // namespace
}  // namespace synack::drill
