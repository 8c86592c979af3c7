// Focused checks of the printer's pieces. Expected text comes from tcpdump 4.99.3 runs noted beside each test.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tools/dump/explain.hpp"
#include "tools/dump/hex_dump.hpp"
#include "tools/dump/seq_tracker.hpp"
#include "tools/dump/timestamp.hpp"

namespace synack::dump {
namespace {

// The 28-byte ARP reply of tests/tools/captures/crafted-arp.pcap; `tcpdump -t -n -X` printed these two lines.
constexpr std::uint8_t kArpReply[] = {0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x02,
                                      0xc6, 0x12, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x01};

TEST(HexDump, HexAndAsciiPadsTheLastLine) {
    Output out;
    hex_ascii_dump(out, kArpReply);
    EXPECT_EQ(out.view(),
              "\n\t0x0000:  0001 0800 0604 0002 0000 0c00 0002 c612  ................"
              "\n\t0x0010:  0002 0200 0000 0001 c612 0001            ............");
}

TEST(HexDump, HexOnlyHasNoPadding) {
    Output out;
    hex_dump(out, kArpReply);  // `tcpdump -t -n -x` on the same packet
    EXPECT_EQ(out.view(),
              "\n\t0x0000:  0001 0800 0604 0002 0000 0c00 0002 c612"
              "\n\t0x0010:  0002 0200 0000 0001 c612 0001");
}

TEST(HexDump, OddLengthEndsWithASingleByte) {
    // `tcpdump -t -X` on a raw-IP capture of the 3 bytes 45 00 41 printed exactly this line.
    const std::uint8_t bytes[] = {0x45, 0x00, 0x41};
    Output out;
    hex_ascii_dump(out, bytes);
    EXPECT_EQ(out.view(), "\n\t0x0000:  4500 41                                  E.A");
}

TEST(AsciiDump, DropsCrBeforeLfAndDotsTheRest) {
    // tcpdump -A prints "ping\r\n" as "ping" + newline, and a lone CR as '.'.
    const std::uint8_t bytes[] = {'p', 'i', 'n', 'g', '\r', '\n', '\r', 'x', 0x01, '\t'};
    Output out;
    ascii_dump(out, bytes);
    EXPECT_EQ(out.view(), "\nping\n.x.\t");
}

TEST(Timestamp, FormatsOfTheSeedCapture) {
    // seed-loopback-handshake.pcap: tcpdump -ttt prints 00:00:00.000000, 00:00:00.000019, 00:00:00.000015;
    // -ttttt 00:00:00.000000, 00:00:00.000019, 00:00:00.000034; -tttt 2018-12-27 10:56:00.000001.
    setenv("TZ", "UTC", 1);
    const device::CaptureTimestamp t1{1545908160, 1000}, t2{1545908160, 20000}, t3{1545908160, 35000};
    Output out;
    TimestampPrinter delta(3, false);
    delta.print(out, t1);
    delta.print(out, t2);
    delta.print(out, t3);
    EXPECT_EQ(out.view(), " 00:00:00.000000  00:00:00.000019  00:00:00.000015 ");
    out.clear();
    TimestampPrinter since_first(5, false);
    since_first.print(out, t1);
    since_first.print(out, t2);
    since_first.print(out, t3);
    EXPECT_EQ(out.view(), " 00:00:00.000000  00:00:00.000019  00:00:00.000034 ");
    out.clear();
    TimestampPrinter date(4, false);
    date.print(out, t1);
    EXPECT_EQ(out.view(), "2018-12-27 10:56:00.000001 ");
    out.clear();
    TimestampPrinter epoch(2, false);
    epoch.print(out, t1);
    EXPECT_EQ(out.view(), "1545908160.000001 ");
}

TEST(SeqTracker, FirstAckedSegmentIsAbsoluteThenRelative) {
    // seed-loopback-handshake.pcap: the SYN-ACK (first segment with ACK) prints seq 2031501770, ack 3051156310;
    // the client's ACK then prints "ack 1" (tcpdump print-tcp.c tcp_seq_hash).
    const std::uint8_t lo[4] = {127, 0, 0, 1};
    SeqTracker t;
    RelativeSeq r = t.track(lo, lo, 4, 7899, 48448, 2031501770u, 3051156310u, true);
    EXPECT_EQ(r.seq, 2031501770u);
    EXPECT_EQ(r.ack, 3051156310u);
    r = t.track(lo, lo, 4, 48448, 7899, 3051156310u, 2031501771u, false);
    EXPECT_EQ(r.seq, 1u);
    EXPECT_EQ(r.ack, 1u);
}

TEST(Explainer, HandshakeLinesFromTheSeedCapture) {
    Names names(true);
    Explainer e(names);
    const wire::Ipv4Address a{{127, 0, 0, 1}};
    const IpInfo ip = IpInfo::v4(a, a, a);
    // The SYN's options of seed-loopback-handshake.pcap: mss 65495, sackOK, TS, nop, wscale 7.
    const std::uint8_t syn_options[] = {0x02, 0x04, 0xff, 0xd7, 0x04, 0x02, 0x08, 0x0a, 0x7a, 0x57,
                                        0x23, 0x14, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};
    SegmentFacts syn{&ip, 48448, 7899, wire::Seq32(3051156309u), wire::Seq32(0), 0x02, 65495, 0, syn_options};
    e.on_segment(syn);
    EXPECT_EQ(e.line(), "handshake 1/3: client SYN, ISN 3051156309, offers mss 65495, sackOK, TS, wscale 7");
    SegmentFacts synack{&ip, 7899, 48448, wire::Seq32(2031501770u), wire::Seq32(3051156310u), 0x12, 65483, 0,
                        syn_options};
    e.on_segment(synack);
    EXPECT_EQ(e.line(),
              "handshake 2/3: server SYN-ACK, ISN 2031501770, acks ISN 3051156309, offers mss 65495, sackOK, TS, "
              "wscale 7");
    SegmentFacts ack{&ip, 48448, 7899, wire::Seq32(3051156310u), wire::Seq32(2031501771u), 0x10, 512, 0, {}};
    e.on_segment(ack);
    EXPECT_EQ(e.line(), "handshake 3/3: client ACK, connection established");
    SegmentFacts data{&ip, 48448, 7899, wire::Seq32(3051156310u), wire::Seq32(2031501771u), 0x18, 512, 14, {}};
    e.on_segment(data);
    EXPECT_EQ(e.line(), "data 14 bytes");
    e.on_segment(data);
    EXPECT_EQ(e.line(), "retransmission of 14 bytes");
    SegmentFacts acked{&ip, 7899, 48448, wire::Seq32(2031501771u), wire::Seq32(3051156324u), 0x10, 512, 0, {}};
    e.on_segment(acked);
    EXPECT_EQ(e.line(), "ACK of 14 bytes");
    SegmentFacts fin{&ip, 48448, 7899, wire::Seq32(3051156324u), wire::Seq32(2031501771u), 0x11, 512, 0, {}};
    e.on_segment(fin);
    EXPECT_EQ(e.line(), "close 1/4: FIN from 127.0.0.1");
    SegmentFacts rst{&ip, 7899, 48448, wire::Seq32(2031501771u), wire::Seq32(0), 0x04, 0, 0, {}};
    e.on_segment(rst);
    EXPECT_EQ(e.line(), "reset from 127.0.0.1");
}

}  // namespace
}  // namespace synack::dump
