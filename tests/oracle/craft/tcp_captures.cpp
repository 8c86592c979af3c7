// The TCP-bearing crafted captures: sequence-number wrap, TCP options, IPv4 options, IPv6 extension headers,
// checksums, truncation and length fields (see main.cpp for the list of files).
#include <vector>

#include "craft/craft.hpp"
#include "wire/ipv4_options.hpp"
#include "wire/ipv6_extensions.hpp"
#include "wire/tcp_options.hpp"

namespace synack::craft {
namespace {

TcpOptionsBuilder syn_options(std::uint32_t ts_val, std::uint32_t ts_ecr) {
    TcpOptionsBuilder o;
    o.mss(1460).sack_permitted().timestamps(ts_val, ts_ecr).nop().window_scale(7);
    return o;
}

TcpOptionsBuilder ts_options(std::uint32_t ts_val, std::uint32_t ts_ecr) {
    TcpOptionsBuilder o;
    o.nop().nop().timestamps(ts_val, ts_ecr);
    return o;
}

}  // namespace

// Sequence numbers that wrap past 2^32 in the middle of the connection: tcpdump's relative numbers are
// (seq - ISN) mod 2^32; SACK blocks straddle the wrap; the IPv6 flow's ISN is 2^32 - 1 so its first data byte is 0.
void seq_wrap(const std::string& dir) {
    Capture cap(dir + "/crafted-seq-wrap.tcp.pcap", device::LinkType::Ethernet);
    Flow4 f{v4("198.18.3.1"), v4("198.18.3.2"), 40000, 9100};
    const std::uint32_t c = 0xFFFFF000u;  // client ISN: 4096 bytes before the wrap
    const std::uint32_t s = 0xFFFFFFF0u;  // server ISN: 16 bytes before the wrap
    std::uint32_t tv = 100, te = 900;
    auto o = syn_options(tv, 0);
    cap.add(ethernet(f.segment(true, tcp(c, 0, kSyn, 64240, o.bytes()))));
    o = syn_options(te, tv);
    cap.add(ethernet(f.segment(false, tcp(s, c + 1, kSyn | kAck, 65160, o.bytes())), false));
    o = ts_options(++tv, te);
    cap.add(ethernet(f.segment(true, tcp(c + 1, s + 1, kAck, 502, o.bytes()))));
    const Packet data = filler(5 * 1448, "seq-wrap");
    auto chunk = [&](std::size_t i) { return Bytes(data).subspan(i * 1448, 1448); };
    // Five segments; the third is lost on the way (it never reaches the server's ACKs), the wrap is in the third.
    for (std::size_t i = 0; i < 5; ++i) {
        o = ts_options(++tv, te);
        const std::uint16_t flags = i == 4 ? kAck | kPsh : kAck;
        cap.add(ethernet(f.segment(true, tcp(c + 1 + static_cast<std::uint32_t>(i * 1448), s + 1, flags, 502,
                                             o.bytes()), chunk(i))), 12);
    }
    // The server acknowledges the first two and SACKs the fourth and fifth: the block starts after the wrap.
    const std::uint32_t hole = c + 1 + 2 * 1448;
    SackBlock blocks[] = {{Seq32(hole + 1448), Seq32(hole + 3 * 1448)}};
    TcpOptionsBuilder sack;
    sack.nop().nop().timestamps(++te, tv).nop().nop().sack(blocks);
    cap.add(ethernet(f.segment(false, tcp(s + 1, hole, kAck, 530, sack.bytes())), false), 40);
    // A second SACK with two blocks, one of them straddling the wrap (D-SACK-like duplicate report).
    SackBlock two[] = {{Seq32(hole + 1448), Seq32(hole + 3 * 1448)}, {Seq32(0xFFFFFFF0u), Seq32(0x00000100u)}};
    TcpOptionsBuilder sack2;
    sack2.nop().nop().sack(two);
    cap.add(ethernet(f.segment(false, tcp(s + 1, hole, kAck, 530, sack2.bytes())), false), 3);
    // The retransmission crosses 2^32.
    o = ts_options(++tv, te);
    cap.add(ethernet(f.segment(true, tcp(hole, s + 1, kAck, 502, o.bytes()), chunk(2))), 20500);
    o = ts_options(++te, tv);
    cap.add(ethernet(f.segment(false, tcp(s + 1, c + 1 + 5 * 1448, kAck, 530, o.bytes())), false), 30);
    // The server answers 100 bytes: its sequence numbers wrap too (ISN + 1 + 100 > 2^32).
    const Packet reply = filler(100, "reply");
    o = ts_options(++te, tv);
    cap.add(ethernet(f.segment(false, tcp(s + 1, c + 1 + 5 * 1448, kAck | kPsh, 530, o.bytes()), reply), false),
            900);
    o = ts_options(++tv, te);
    cap.add(ethernet(f.segment(true, tcp(c + 1 + 5 * 1448, s + 101, kAck, 502, o.bytes()))), 40);
    // Close: client FIN, server FIN, last ACK.
    o = ts_options(++tv, te);
    cap.add(ethernet(f.segment(true, tcp(c + 1 + 5 * 1448, s + 101, kAck | kFin, 502, o.bytes()))), 1000);
    o = ts_options(++te, tv);
    cap.add(ethernet(f.segment(false, tcp(s + 101, c + 2 + 5 * 1448, kAck | kFin, 530, o.bytes())), false), 60);
    o = ts_options(++tv, te);
    cap.add(ethernet(f.segment(true, tcp(c + 2 + 5 * 1448, s + 102, kAck, 502, o.bytes()))), 30);

    // IPv6: ISN 2^32 - 1, so the first data byte has sequence number 0; the server's ISN is 0.
    Flow6 g{v6("2001:2:0:3::1"), v6("2001:2:0:3::2"), 40001, 9100};
    const std::uint32_t c6 = 0xFFFFFFFFu;
    o = syn_options(tv, 0);
    cap.add(ethernet(g.segment(true, tcp(c6, 0, kSyn, 64800, o.bytes()))), 5000);
    o = syn_options(te, tv);
    cap.add(ethernet(g.segment(false, tcp(0, c6 + 1, kSyn | kAck, 64260, o.bytes())), false), 20);
    o = ts_options(++tv, te);
    cap.add(ethernet(g.segment(true, tcp(c6 + 1, 1, kAck, 507, o.bytes()))), 20);
    o = ts_options(++tv, te);
    cap.add(ethernet(g.segment(true, tcp(c6 + 1, 1, kAck | kPsh, 507, o.bytes()), chunk(0).first(300))), 20);
    o = ts_options(++te, tv);
    cap.add(ethernet(g.segment(false, tcp(1, c6 + 301, kAck, 502, o.bytes())), false), 20);
    o = ts_options(++tv, te);
    cap.add(ethernet(g.segment(true, tcp(c6 + 301, 1, kAck | kRst, 0, o.bytes()))), 20);
}

// Every TCP option kind tcpdump knows, and malformed ones; every flag bit.
void tcp_options(const std::string& dir) {
    Capture cap(dir + "/crafted-tcp-options.tcp.pcap", device::LinkType::Raw);
    Flow4 f{v4("198.18.4.1"), v4("198.18.4.2"), 40002, 9101};
    std::uint32_t seq = 1000000, ack = 2000000;
    auto syn = [&](const TcpOptionsBuilder& o) { cap.add(f.segment(true, tcp(seq, 0, kSyn, 64240, o.bytes()))); };
    auto ack_seg = [&](const TcpOptionsBuilder& o, bool from_client = false) {
        cap.add(f.segment(from_client, tcp(from_client ? seq : ack, from_client ? ack : seq, kAck, 1024,
                                           o.bytes())));
    };
    auto raw_options = [&](std::initializer_list<std::uint8_t> bytes, std::uint16_t flags = kAck) {
        const Packet b(bytes);
        TcpOptionsBuilder o;
        o.raw(b);
        cap.add(f.segment(true, tcp(seq, ack, flags, 1024, o.bytes())));
    };
    TcpOptionsBuilder o;
    syn(o);  // no options at all
    o = {};
    syn(o.mss(1460).sack_permitted().timestamps(1, 0).nop().window_scale(14));
    o = {};
    syn(o.mss(65495).nop().window_scale(15).nop().nop().sack_permitted());  // wscale beyond RFC 7323's 14
    o = {};
    syn(o.mss(0).nop().nop().sack_permitted());
    const std::uint8_t cookie8[] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    const std::uint8_t cookie4[] = {0xde, 0xad, 0xbe, 0xef};
    o = {};
    syn(o.mss(1460).sack_permitted().timestamps(7, 0).nop().window_scale(7).fast_open({}));  // TFO cookie request
    o = {};
    syn(o.mss(1460).fast_open(cookie8).pad_with_nops());
    o = {};
    syn(o.mss(1460).fast_open_experimental(cookie4).pad_with_nops());
    o = {};
    syn(o.mss(1460).fast_open_experimental({}).pad_with_nops());
    // SACK with 1 to 4 blocks; with timestamps, 3 blocks fill the 40 bytes.
    for (std::size_t n = 1; n <= 4; ++n) {
        std::vector<SackBlock> blocks;
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint32_t left = seq + 1000 + static_cast<std::uint32_t>(i) * 3000;
            blocks.push_back({Seq32(left), Seq32(left + 1448)});
        }
        o = {};
        ack_seg(o.nop().nop().sack(blocks));
    }
    {
        std::vector<SackBlock> blocks{{Seq32(seq + 100), Seq32(seq + 200)},
                                      {Seq32(seq + 300), Seq32(seq + 400)},
                                      {Seq32(seq + 500), Seq32(seq + 600)}};
        o = {};
        ack_seg(o.nop().nop().timestamps(123456789, 987654321).nop().nop().sack(blocks));
    }
    const std::uint8_t digest[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    o = {};
    syn(o.md5_signature(digest).pad_with_nops());
    // MD5 on a segment whose payload the capture cut: tcpdump cannot check it ("snaplen too short, ").
    {
        const Packet signed_syn = f.segment(true, tcp(seq, 0, kSyn, 64240, o.bytes()), filler(20, "md5"));
        cap.add_cut(signed_syn, signed_syn.size() - 5);
        cap.add_cut(signed_syn, signed_syn.size() - 20);  // the header whole, no payload byte
    }
    const std::uint8_t mac[12] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab};
    o = {};
    ack_seg(o.authentication(3, 4, mac).pad_with_nops(), true);
    // MPTCP (RFC 8684): MP_CAPABLE (SYN, v1; ACK with both keys), MP_JOIN, DSS, ADD_ADDR, REMOVE_ADDR, MP_PRIO,
    // MP_FAIL, MP_FASTCLOSE, MP_TCPRST, an unknown subtype.
    const std::uint8_t mp_capable_syn[] = {0x01, 0x81};
    o = {};
    syn(o.mss(1460).mptcp(mp_capable_syn).pad_with_nops());
    const std::uint8_t mp_capable_ack[] = {0x01, 0x81, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    o = {};
    ack_seg(o.mptcp(mp_capable_ack).pad_with_nops(), true);
    const std::uint8_t mp_join_syn[] = {0x10, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x11, 0x22, 0x33, 0x44};
    o = {};
    syn(o.mptcp(mp_join_syn).pad_with_nops());
    // DSS with a 4-byte data ACK and a 4-byte DSN mapping (flags A, M), and one with 8-byte values (a, m) and F.
    const std::uint8_t dss4[] = {0x20, 0x05, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00,
                                 0x00, 0x00, 0x00, 0x01, 0x05, 0xa8, 0x12, 0x34};
    o = {};
    ack_seg(o.mptcp(dss4).pad_with_nops(), true);
    const std::uint8_t dss8[] = {0x20, 0x1f, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
                                 0x00, 0x02, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05, 0xa8};
    o = {};
    ack_seg(o.mptcp(dss8).pad_with_nops(), true);
    const std::uint8_t add_addr[] = {0x30, 0x05, 198, 18, 4, 9, 0x23, 0x8d, 1, 2, 3, 4, 5, 6, 7, 8};
    o = {};
    ack_seg(o.mptcp(add_addr).pad_with_nops());
    const std::uint8_t remove_addr[] = {0x40, 0x05, 0x06};
    o = {};
    ack_seg(o.mptcp(remove_addr).pad_with_nops());
    const std::uint8_t mp_prio[] = {0x51, 0x00};
    o = {};
    ack_seg(o.mptcp(mp_prio).pad_with_nops(), true);
    const std::uint8_t mp_fail[] = {0x60, 0x00, 0, 0, 0, 0, 0, 0, 0x12, 0x34};
    o = {};
    ack_seg(o.mptcp(mp_fail).pad_with_nops(), true);
    const std::uint8_t fastclose[] = {0x70, 0x00, 1, 2, 3, 4, 5, 6, 7, 8};
    o = {};
    ack_seg(o.mptcp(fastclose).pad_with_nops(), true);
    const std::uint8_t tcprst[] = {0x80, 0x01, 0x02, 0x00};
    o = {};
    ack_seg(o.mptcp(tcprst).pad_with_nops(), true);
    const std::uint8_t mp_unknown[] = {0xf0, 0x00, 0x01};
    o = {};
    ack_seg(o.mptcp(mp_unknown).pad_with_nops(), true);
    // User timeout (RFC 5482), in seconds and in minutes.
    o = {};
    syn(o.user_timeout(false, 30).user_timeout(true, 5));
    // Unknown kinds keep their bytes; RFC 6994 experiments with an unknown ExID.
    const std::uint8_t unknown[] = {0xab, 0xcd};
    o = {};
    ack_seg(o.option(99, unknown).pad_with_nops(), true);
    const std::uint8_t exp253[] = {0x12, 0x34, 0x56};
    o = {};
    ack_seg(o.option(253, exp253).pad_with_nops(), true);
    o = {};
    ack_seg(o.option(76, {}).pad_with_nops(), true);  // a 2-byte option with no data
    // EOL ends the list: what follows is not options.
    raw_options({1, 0, 2, 4, 5, 0xb4, 0, 0});
    raw_options({1, 1, 1, 1, 1, 1, 1, 0});
    // 40 bytes of options: data offset 15.
    o = {};
    ack_seg(o.nop().nop().timestamps(1, 2).nop().window_scale(3).nop().nop().sack_permitted()
                .mss(536).nop().nop().timestamps(3, 4).nop().nop(), true);
    // Malformed: lengths that do not fit the kind, length 0 and 1, a length running past the header.
    raw_options({2, 3, 5, 1}, kSyn);             // MSS of length 3
    raw_options({3, 2, 1, 1}, kSyn);             // window scale of length 2
    raw_options({4, 3, 1, 1}, kSyn);             // SACK-permitted of length 3
    raw_options({8, 8, 0, 0, 0, 1, 0, 0}, kAck);  // timestamps of length 8
    raw_options({5, 7, 0, 0, 0, 1, 0, 0}, kAck);  // SACK of length 7
    raw_options({5, 2, 1, 1}, kAck);             // SACK with no block
    raw_options({2, 0, 1, 1}, kSyn);             // length 0
    raw_options({2, 1, 1, 1}, kSyn);             // length 1
    raw_options({8, 20, 0, 0, 0, 1, 0, 0}, kAck);  // length past the end of the header
    raw_options({2}, kSyn);                       // a kind without its length byte (then zero padding)
    raw_options({34, 20, 1, 2}, kSyn);            // TFO cookie running past the header
    raw_options({30, 2, 1, 1}, kAck);             // MPTCP without a subtype
    raw_options({19, 10, 1, 2, 3, 4, 5, 6, 7, 8}, kSyn);  // MD5 of length 10
    // Every flag bit: FIN SYN RST PSH ACK URG ECE CWR and AE, and the three reserved bits; an urgent pointer.
    {
        TcpBuilder t = tcp(seq, ack, tcp_flags::kAll, 1024);
        t.urgent_pointer = 5;
        t.reserved_bits = 0x07;
        cap.add(f.segment(true, t, filler(10, "urg")));
        t = tcp(seq, ack, kAck | tcp_flags::kUrg | kPsh, 1024);
        t.urgent_pointer = 3;
        cap.add(f.segment(true, t, filler(10, "urg")));
        t = tcp(seq, ack, kAck, 1024);
        t.urgent_pointer = 77;  // an urgent pointer without URG
        cap.add(f.segment(true, t));
        cap.add(f.segment(true, tcp(seq, ack, kAck | tcp_flags::kAe, 1024)));
        cap.add(f.segment(true, tcp(seq, ack, kAck | tcp_flags::kEce | tcp_flags::kCwr, 1024)));
        cap.add(f.segment(true, tcp(seq, 0, 0, 1024)));  // no flags at all
        cap.add(f.segment(true, tcp(seq, ack, kRst, 0)));  // RST without ACK
        cap.add(f.segment(true, tcp(seq, ack, kFin | kPsh | kAck, 1024), filler(5, "fin")));
    }
    // The same options over IPv6.
    Flow6 g{v6("2001:2:0:4::1"), v6("2001:2:0:4::2"), 40003, 9101};
    o = {};
    o.mss(1440).sack_permitted().timestamps(5, 0).nop().window_scale(9);
    cap.add(g.segment(true, tcp(seq, 0, kSyn, 64800, o.bytes())));
    o = {};
    o.nop().nop().timestamps(6, 5).nop().nop().sack(std::vector<SackBlock>{{Seq32(seq + 1), Seq32(seq + 2)}});
    cap.add(g.segment(false, tcp(ack, seq, kAck, 64800, o.bytes())));
}

// IPv4 options (shown with -v), DF/MF and fragment offsets, TOS with ECN bits, TTL.
void ipv4_options(const std::string& dir) {
    Capture cap(dir + "/crafted-ipv4-options.tcp.pcap", device::LinkType::LinuxSll);
    Flow4 f{v4("198.18.5.1"), v4("198.18.5.2"), 40004, 9102};
    const std::uint32_t seq = 5000, ack = 6000;
    auto with = [&](const Ipv4OptionsBuilder& opts, bool from_client = true, std::uint8_t ttl = 64) {
        Ipv4Builder ip;
        ip.options = opts.bytes();
        ip.ttl = ttl;
        cap.add(sll(f.segment(from_client, tcp(from_client ? seq : ack, from_client ? ack : seq, kAck, 1000), {}, ip),
                    from_client));
    };
    auto raw = [&](std::initializer_list<std::uint8_t> bytes) {
        const Packet b(bytes);
        Ipv4OptionsBuilder o;
        o.raw(b);
        with(o);
    };
    const Ipv4Address route[] = {v4("198.18.5.10"), v4("198.18.5.11"), v4("198.18.5.12")};
    Ipv4OptionsBuilder o;
    with(o.nop().nop().nop().end_of_list());
    o = {};
    with(o.record_route(std::span(route).first(2), 2), false);
    o = {};
    with(o.record_route({}, 9));  // an empty record route with 9 slots: 39 bytes
    o = {};
    with(o.source_route(false, std::span(route).first(2), 4).nop());
    o = {};
    with(o.source_route(true, route, 8).nop());
    const Ipv4TimestampEntry entries[] = {{v4("198.18.5.10"), 1000}, {v4("198.18.5.11"), 2000},
                                          {v4("198.18.5.12"), 3000}};
    o = {};
    with(o.timestamp(ipv4_timestamp_flag::kTimestampsOnly, entries, 2));
    o = {};
    with(o.timestamp(ipv4_timestamp_flag::kAddressAndTimestamp, std::span(entries).first(2), 1, 3));
    o = {};
    with(o.timestamp(ipv4_timestamp_flag::kPrespecified, std::span(entries).first(2), 0));
    o = {};
    with(o.router_alert(0));
    const std::uint8_t data[] = {0xca, 0xfe};
    o = {};
    with(o.option(0x99, data).nop().nop());  // unknown, copied class
    o = {};
    with(o.option(ipv4_option::kSecurity, std::span(data)).nop().nop());
    // Malformed: a length below the minimum, a length past the header, a zero length, an odd timestamp length.
    raw({7, 2, 4, 1});
    raw({7, 30, 4, 0});
    raw({131, 0, 0, 0});
    raw({68, 6, 5, 0, 0, 0, 0, 0});
    raw({148, 3, 0, 0});
    // DF, MF, fragment offsets (the TCP header is in the first fragment only), the reserved ("evil") bit.
    {
        const Packet payload = filler(48, "fragment");
        TcpBuilder t = tcp(seq, ack, kAck | kPsh, 1000);
        t.source_port = f.client_port;
        t.destination_port = f.server_port;
        const Packet seg = t.build(payload, f.client, f.server);
        Ipv4Builder ip;
        ip.source = f.client;
        ip.destination = f.server;
        ip.identification = 0x4242;
        ip.more_fragments = true;
        cap.add(sll(ipv4(ip, Bytes(seg).first(24)), true));
        ip.fragment_offset = 24;
        cap.add(sll(ipv4(ip, Bytes(seg).subspan(24, 24)), true));
        ip.more_fragments = false;
        ip.fragment_offset = 48;
        cap.add(sll(ipv4(ip, Bytes(seg).subspan(48)), true));
        Ipv4Builder evil;
        evil.source = f.client;
        evil.destination = f.server;
        evil.identification = 7;
        evil.reserved_flag = true;
        evil.dont_fragment = true;
        t = tcp(seq, ack, kAck, 1000);
        t.source_port = f.client_port;
        t.destination_port = f.server_port;
        cap.add(sll(ipv4(evil, t.build({}, f.client, f.server)), true));
    }
    // TOS: DSCP and each ECN codepoint; TTL 1 and 255; identification 0.
    for (std::uint8_t tos : {std::uint8_t{0x01}, std::uint8_t{0x02}, std::uint8_t{0x03}, std::uint8_t{0xb8}}) {
        Ipv4Builder ip;
        ip.tos = tos;
        cap.add(sll(f.segment(true, tcp(seq, ack, kAck, 1000), {}, ip), true));
    }
    {
        Ipv4Builder ip;
        ip.ttl = 1;
        cap.add(sll(f.segment(true, tcp(seq, ack, kAck, 1000), {}, ip), true));
        ip.ttl = 255;
        cap.add(sll(f.segment(false, tcp(ack, seq, kAck, 1000), {}, ip), false));
    }
}

// IPv6 extension header chains ending in TCP (or not).
void ipv6_extensions(const std::string& dir) {
    Capture cap(dir + "/crafted-ipv6-ext.tcp.pcap", device::LinkType::LinuxSll2);
    const Ipv6Address client = v6("2001:2:0:6::1"), server = v6("2001:2:0:6::2");
    const Ipv6Address hops[] = {v6("2001:2:0:6::10"), v6("2001:2:0:6::11"), v6("2001:2:0:6::12")};
    const std::uint32_t seq = 70000, ack = 80000;
    std::uint32_t ifindex = 1;
    // A TCP segment over `dst_for_checksum` (the final destination, RFC 8200 §8.1) behind `ext`.
    auto send = [&](const Packet& ext, std::uint8_t first, const Ipv6Address& dst, std::uint16_t flags = kAck,
                    Bytes payload = {}, std::optional<std::uint16_t> payload_length = {}, Ipv6Builder ip = {}) {
        TcpBuilder t = tcp(seq, ack, flags, 900);
        t.source_port = 40005;
        t.destination_port = 9103;
        const Packet seg = t.build(payload, client, dst);
        ip.source = client;
        ip.destination = server;
        cap.add(sll2(ipv6(ip, concat({ext, seg}), first, payload_length), true, ifindex));
        ifindex = ifindex % 3 + 1;
    };
    auto options_header = [](std::uint8_t next, const Ipv6OptionsBuilder& o) {
        Ipv6OptionsHeaderBuilder h;
        h.next_header = next;
        h.options = o.bytes();
        return header_bytes(h);
    };
    constexpr std::uint8_t kTcp = ip_protocol::kTcp;
    Ipv6OptionsBuilder o;
    send(options_header(kTcp, o.padn(6)), ip_protocol::kHopByHop, server);
    o = {};
    send(options_header(kTcp, o.router_alert(ipv6_router_alert::kMld).padn(2)), ip_protocol::kHopByHop, server);
    o = {};
    send(options_header(kTcp, o.pad1().padn(3).option(0x1e, std::vector<std::uint8_t>{1, 2}).pad1()),
         ip_protocol::kDestinationOptions, server);
    o = {};
    send(options_header(kTcp, o.tunnel_encapsulation_limit(4).padn(3)), ip_protocol::kDestinationOptions, server);
    // Jumbograms (RFC 2675): payload length 0 and the jumbo payload option carrying the length, which must exceed
    // 65535: a 70000-byte segment captured with its first 160 bytes; then one whose jumbo length is too small.
    for (const std::size_t data_length : {std::size_t{70000}, std::size_t{10}}) {
        o = {};
        o.jumbo_payload(0);  // patched below once the length is known
        Packet hbh = options_header(kTcp, o);
        TcpBuilder t = tcp(seq, ack, kAck | kPsh, 900);
        t.source_port = 40005;
        t.destination_port = 9103;
        const Packet seg = t.build(filler(data_length, "jumbo"), client, server);
        const std::uint32_t jumbo = static_cast<std::uint32_t>(hbh.size() + seg.size());
        store_be32(hbh.data() + 4, jumbo);  // option at offset 2: type, length, then the 4-byte length
        Ipv6Builder ip;
        ip.source = client;
        ip.destination = server;
        cap.add_cut(sll2(ipv6(ip, concat({hbh, seg}), ip_protocol::kHopByHop, 0), true, ifindex), 160);
    }
    // Routing headers: type 0 (two addresses, one segment left), type 2 (home address), type 4 (SRH, 3 segments).
    {
        Ipv6RoutingBuilder r;
        r.next_header = kTcp;
        r.routing_type = ipv6_routing_type::kSourceRoute;
        r.segments_left = 1;
        r.addresses = {hops[0], hops[1]};
        send(header_bytes(r), ip_protocol::kRouting, hops[1]);
        r.routing_type = ipv6_routing_type::kMobileIpv6;
        r.segments_left = 1;
        r.addresses = {hops[2]};
        send(header_bytes(r), ip_protocol::kRouting, hops[2]);
        r.routing_type = ipv6_routing_type::kSegmentRouting;
        r.segments_left = 2;
        r.addresses = {hops[2], hops[1], hops[0]};
        send(header_bytes(r), ip_protocol::kRouting, hops[2]);
    }
    // Fragment headers: a first fragment carrying the TCP header, a later one, an atomic fragment.
    {
        const Packet payload = filler(64, "v6 fragment");
        TcpBuilder t = tcp(seq, ack, kAck | kPsh, 900);
        t.source_port = 40005;
        t.destination_port = 9103;
        const Packet seg = t.build(payload, client, server);
        Ipv6FragmentBuilder fr;
        fr.next_header = kTcp;
        fr.identification = 0x12345678;
        fr.more_fragments = true;
        Ipv6Builder ip;
        ip.source = client;
        ip.destination = server;
        cap.add(sll2(ipv6(ip, concat({header_bytes(fr), Bytes(seg).first(48)}), ip_protocol::kFragment), true, 2));
        fr.more_fragments = false;
        fr.fragment_offset = 48;
        cap.add(sll2(ipv6(ip, concat({header_bytes(fr), Bytes(seg).subspan(48)}), ip_protocol::kFragment), true, 2));
        fr.fragment_offset = 0;  // atomic fragment (RFC 6946): offset 0, M clear
        cap.add(sll2(ipv6(ip, concat({header_bytes(fr), seg}), ip_protocol::kFragment), true, 2));
    }
    // A long chain: HBH → DSTOPT → routing → fragment → DSTOPT → TCP.
    {
        Ipv6OptionsBuilder pad;
        pad.padn(6);
        Ipv6RoutingBuilder r;
        r.next_header = ip_protocol::kFragment;
        r.routing_type = ipv6_routing_type::kSourceRoute;
        r.segments_left = 0;
        r.addresses = {hops[0]};
        Ipv6FragmentBuilder fr;
        fr.next_header = ip_protocol::kDestinationOptions;
        fr.identification = 99;
        const Packet chain = concat({options_header(ip_protocol::kDestinationOptions, pad),
                                     options_header(ip_protocol::kRouting, pad), header_bytes(r),
                                     header_bytes(fr), options_header(kTcp, pad)});
        send(chain, ip_protocol::kHopByHop, server, kAck | kPsh, filler(20, "chain"));
    }
    // Authentication header, then TCP.
    {
        Ipv6AuthenticationBuilder ah;
        ah.next_header = kTcp;
        ah.spi = 0x1000;
        ah.sequence = 7;
        ah.icv = std::vector<std::uint8_t>(12, 0xa5);
        send(header_bytes(ah), ip_protocol::kAh, server);
    }
    // No next header after destination options; an unknown upper protocol.
    {
        o = {};
        Ipv6Builder ip;
        ip.source = client;
        ip.destination = server;
        cap.add(sll2(ipv6(ip, options_header(ip_protocol::kNoNextHeader, o.padn(6)), ip_protocol::kDestinationOptions),
                     true, 1));
        const std::uint8_t junk[] = {1, 2, 3, 4, 5, 6, 7, 8};
        cap.add(sll2(ipv6(ip, junk, 253), true, 1));
    }
    // Malformed: an extension header whose length runs past the packet; an option running past its header.
    {
        Ipv6OptionsHeaderBuilder h;
        h.next_header = kTcp;
        Ipv6OptionsBuilder pad;
        h.options = pad.padn(6).bytes();
        h.header_ext_length = 20;
        send(header_bytes(h), ip_protocol::kDestinationOptions, server);
        const Packet bad_option = {kTcp, 0, 0x1e, 9, 0, 0, 0, 0};
        send(bad_option, ip_protocol::kHopByHop, server);
    }
    // Traffic class (DSCP, ECN) and flow label, shown with -v.
    {
        Ipv6Builder ip;
        ip.traffic_class = 0xb9;
        ip.flow_label = 0xfedcb;
        ip.hop_limit = 1;
        send({}, kTcp, server, kAck, {}, {}, ip);
        ip.traffic_class = 0x03;
        ip.flow_label = 0;
        ip.hop_limit = 255;
        send({}, kTcp, server, kSyn, {}, {}, ip);
    }
}

// Wrong checksums, shown by -v as "incorrect -> 0x…" (TCP) and "bad cksum … (->…)!" (IPv4); VLAN tags.
void bad_checksums(const std::string& dir) {
    Capture cap(dir + "/crafted-bad-checksums.tcp.pcap", device::LinkType::Ethernet);
    Flow4 f{v4("198.18.7.1"), v4("198.18.7.2"), 40006, 80};
    const std::uint32_t seq = 111, ack = 222;
    const Tag vlan10[] = {{ether_type::kVlan, 10, 0, false}};
    const Tag vlan_prio[] = {{ether_type::kVlan, 4094, 5, true}};
    const Tag qinq[] = {{ether_type::kQinQ, 100, 3, false}, {ether_type::kVlan, 10, 0, false}};
    const Bytes get = text("GET /crafted HTTP/1.1\r\nHost: server\r\n\r\n");
    const Packet request(get.begin(), get.end());
    TcpOptionsBuilder ts;
    ts.nop().nop().timestamps(10, 20);
    // Correct, for contrast.
    cap.add(tagged(f.segment(true, tcp(seq, ack, kAck | kPsh, 502, ts.bytes()), request), vlan10));
    // TCP checksum off by one bit; then zero; then 0xffff.
    for (std::uint16_t sum : {std::uint16_t{0x1234}, std::uint16_t{0x0000}, std::uint16_t{0xffff}}) {
        TcpBuilder t = tcp(seq, ack, kAck | kPsh, 502, ts.bytes());
        t.checksum = sum;
        cap.add(tagged(f.segment(true, t, request), vlan10));
    }
    // IPv4 header checksum wrong (TCP right), and both wrong.
    {
        Ipv4Builder ip;
        ip.checksum = 0xbeef;
        cap.add(tagged(f.segment(false, tcp(ack, seq + 40, kAck, 509, ts.bytes()), {}, ip), vlan_prio, false));
        TcpBuilder t = tcp(ack, seq + 40, kAck, 509, ts.bytes());
        t.checksum = 0x0bad;
        cap.add(tagged(f.segment(false, t, {}, ip), vlan_prio, false));
    }
    // IPv6: wrong and right, inside QinQ, and untagged.
    Flow6 g{v6("2001:2:0:7::1"), v6("2001:2:0:7::2"), 40007, 80};
    {
        TcpBuilder t = tcp(seq, ack, kAck | kPsh, 502, ts.bytes());
        t.checksum = 0x5555;
        cap.add(tagged(g.segment(true, t, request), qinq));
        cap.add(tagged(g.segment(true, tcp(seq, ack, kAck | kPsh, 502, ts.bytes()), request), qinq));
        t = tcp(ack, seq + 40, kAck, 509);
        t.checksum = 0x0001;
        cap.add(ethernet(g.segment(false, t), false));
    }
}

// Packets cut by the snapshot length at and inside every header.
void truncated(const std::string& dir) {
    Capture cap(dir + "/crafted-truncated.tcp.pcap", device::LinkType::Ethernet);
    Flow4 f{v4("198.18.8.1"), v4("198.18.8.2"), 40008, 80};
    TcpOptionsBuilder ts;
    ts.nop().nop().timestamps(1000, 2000);
    const std::string_view get = "GET /truncated/path HTTP/1.1\r\nHost: server\r\nUser-Agent: craft\r\n\r\n";
    const Packet v4frame = ethernet(f.segment(true, tcp(1, 1, kAck | kPsh, 502, ts.bytes()), text(get)));
    // 14 Ethernet + 20 IPv4 + 32 TCP (12 of options) + payload.
    for (std::size_t cut : {6u, 13u, 14u, 15u, 25u, 33u, 34u, 35u, 46u, 53u, 54u, 58u, 65u, 66u, 67u, 80u, 100u}) {
        cap.add_cut(v4frame, cut);
    }
    cap.add(v4frame);
    // IPv4 with options, cut inside them.
    {
        Ipv4OptionsBuilder o;
        const Ipv4Address route[] = {v4("198.18.8.10"), v4("198.18.8.11")};
        o.record_route(route, 1).nop();
        Ipv4Builder ip;
        ip.options = o.bytes();
        const Packet frame = ethernet(f.segment(true, tcp(1, 1, kAck, 502), {}, ip));
        cap.add_cut(frame, 14 + 20 + 5);
        cap.add_cut(frame, 14 + 20 + 16);
    }
    // IPv6, cut inside its header, at its end, inside TCP; and inside an extension header.
    Flow6 g{v6("2001:2:0:8::1"), v6("2001:2:0:8::2"), 40009, 80};
    const Packet v6frame = ethernet(g.segment(true, tcp(1, 1, kAck | kPsh, 502, ts.bytes()), text(get)));
    for (std::size_t cut : {20u, 53u, 54u, 60u, 74u, 86u, 90u}) cap.add_cut(v6frame, cut);
    cap.add(v6frame);
    {
        Ipv6OptionsHeaderBuilder h;
        h.next_header = ip_protocol::kTcp;
        Ipv6OptionsBuilder pad;
        h.options = pad.padn(14).bytes();
        TcpBuilder t = tcp(1, 1, kAck, 502);
        t.source_port = 40009;
        t.destination_port = 80;
        Ipv6Builder ip;
        ip.source = g.client;
        ip.destination = g.server;
        const Packet frame = ethernet(ipv6(ip, concat({header_bytes(h), t.build({}, g.client, g.server)}),
                                           ip_protocol::kHopByHop));
        cap.add_cut(frame, 14 + 40 + 4);
        cap.add_cut(frame, 14 + 40 + 16 + 10);
    }
}

// Length fields that are zero, too small, or larger than the packet.
void lengths(const std::string& dir) {
    Capture cap(dir + "/crafted-lengths.tcp.pcap", device::LinkType::Raw);
    const Ipv4Address c = v4("198.18.9.1"), s = v4("198.18.9.2");
    TcpBuilder t = tcp(1, 1, kAck | kPsh, 502);
    t.source_port = 40010;
    t.destination_port = 9104;
    const Packet payload = filler(30, "len");
    const Packet seg = t.build(payload, c, s);
    auto v4_with = [&](auto&& tweak, Bytes body) {
        Ipv4Builder ip;
        ip.source = c;
        ip.destination = s;
        ip.identification = 77;
        tweak(ip);
        return ipv4(ip, body);
    };
    cap.add(v4_with([](Ipv4Builder&) {}, seg));                                       // correct, for contrast
    cap.add(v4_with([](Ipv4Builder& ip) { ip.total_length = 0; }, seg));              // zero (as with TSO)
    cap.add(v4_with([](Ipv4Builder& ip) { ip.total_length = 10; }, seg));             // below the header
    cap.add(v4_with([](Ipv4Builder& ip) { ip.total_length = 20; }, seg));             // header only
    cap.add(v4_with([](Ipv4Builder& ip) { ip.total_length = 30; }, seg));             // TCP header cut
    cap.add(v4_with([](Ipv4Builder& ip) { ip.total_length = 55; }, seg));             // payload cut
    cap.add(v4_with([](Ipv4Builder& ip) { ip.total_length = 1500; }, seg));           // beyond the packet
    cap.add(v4_with([](Ipv4Builder& ip) { ip.total_length = 65535; }, seg));          // the maximum
    cap.add(v4_with([](Ipv4Builder& ip) { ip.ihl = 4; }, seg));                       // IHL below 5
    cap.add(v4_with([](Ipv4Builder& ip) { ip.ihl = 0; }, seg));                       // IHL 0
    cap.add(v4_with([](Ipv4Builder& ip) { ip.ihl = 15; }, seg));                      // options that are TCP
    cap.add(v4_with([](Ipv4Builder& ip) { ip.version = 5; }, seg));                   // not version 4
    // TCP data offset below 5, and beyond the segment.
    for (std::uint8_t offset : {std::uint8_t{0}, std::uint8_t{4}, std::uint8_t{15}}) {
        TcpBuilder bad = t;
        bad.data_offset = offset;
        cap.add(v4_with([](Ipv4Builder&) {}, bad.build({}, c, s)));
    }
    {
        TcpBuilder bad = t;
        bad.data_offset = 12;  // 48 bytes claimed, 20 + 30 present: the "options" run into the payload
        cap.add(v4_with([](Ipv4Builder&) {}, bad.build(payload, c, s)));
    }
    // Zero everything that can be zero.
    {
        TcpBuilder zero;
        cap.add(v4_with([](Ipv4Builder& ip) { ip.ttl = 0; ip.identification = 0; }, zero.build({}, c, s)));
    }
    // IPv6 payload length: zero without a jumbo option, too small, beyond the packet, the maximum.
    const Ipv6Address c6 = v6("2001:2:0:9::1"), s6 = v6("2001:2:0:9::2");
    const Packet seg6 = t.build(payload, c6, s6);
    Ipv6Builder ip6;
    ip6.source = c6;
    ip6.destination = s6;
    cap.add(ipv6(ip6, seg6, ip_protocol::kTcp));
    for (std::uint16_t len : {std::uint16_t{0}, std::uint16_t{8}, std::uint16_t{30}, std::uint16_t{3000},
                              std::uint16_t{65535}}) {
        cap.add(ipv6(ip6, seg6, ip_protocol::kTcp, len));
    }
    // A whole jumbogram (RFC 2675) of 70,040 bytes: the hex dumps' offsets go past 0xffff ("0x10000:").
    {
        Ipv6OptionsBuilder jumbo;
        jumbo.jumbo_payload(0);  // patched below once the length is known
        Ipv6OptionsHeaderBuilder hbh;
        hbh.next_header = ip_protocol::kTcp;
        hbh.options = jumbo.bytes();
        Packet hbh_bytes = header_bytes(hbh);
        const Packet big = t.build(filler(70000 - hbh_bytes.size() - 20, "jumbo"), c6, s6);
        store_be32(hbh_bytes.data() + 4, static_cast<std::uint32_t>(hbh_bytes.size() + big.size()));
        cap.add(ipv6(ip6, concat({hbh_bytes, big}), ip_protocol::kHopByHop, 0));
    }
    // An IPv6 header alone; then the clock goes backwards (for -ttt and -ttttt), and jumps forward by a day.
    cap.add(ipv6(ip6, {}, ip_protocol::kNoNextHeader));
    cap.add(ipv6(ip6, seg6, ip_protocol::kTcp), -2500000);
    cap.add(ipv6(ip6, seg6, ip_protocol::kTcp), 86400LL * 1000000 + 1);
}

}  // namespace synack::craft
