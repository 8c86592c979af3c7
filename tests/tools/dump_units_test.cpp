// Focused checks of the printer's pieces. Expected text comes from tcpdump 4.99.3 runs noted beside each test.
#include <gtest/gtest.h>

#include <cstdlib>

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

TEST(AsciiDump, LeavesOutACrAmongTheLastTwoBytes) {
    // print-ascii.c ascii_print prints a CR as '.' only with two more bytes after it: in eth-loss.tcp.pcap
    // (snapshot length 128) a CR as the second-to-last captured byte is not printed by tcpdump -A.
    const std::uint8_t second_to_last[] = {'a', '\r', 'b'};
    const std::uint8_t last[] = {'a', 'b', '\r'};
    const std::uint8_t third_to_last[] = {'\r', 'a', 'b'};
    Output out;
    ascii_dump(out, second_to_last);
    EXPECT_EQ(out.view(), "\nab");
    out.clear();
    ascii_dump(out, last);
    EXPECT_EQ(out.view(), "\nab");
    out.clear();
    ascii_dump(out, third_to_last);
    EXPECT_EQ(out.view(), "\n.ab");
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

}  // namespace
}  // namespace synack::dump
