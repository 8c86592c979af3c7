// The parser of packetdrill's script language. Inputs are lines of google/packetdrill's gtests/net/tcp scripts and
// of the Linux kernel's tools/testing/selftests/net/packetdrill scripts (short excerpts as test data); expected
// values follow from packetdrill's parser.y, lexer.l and tcp_packet.c.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "tools/drill/expr_text.hpp"
#include "tools/drill/parser.hpp"

namespace synack::drill {
namespace {

Script parse_ok(std::string_view text, const Definitions& defines = {}) {
    auto result = parse_script(text, "test.pkt", defines);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().to_string());
    return result.ok() ? result.value() : Script{};
}

ParseFailure parse_fail(std::string_view text, const Definitions& defines = {}) {
    auto result = parse_script(text, "test.pkt", defines);
    EXPECT_FALSE(result.ok()) << "parsed: " << text;
    return result.ok() ? ParseFailure{} : result.error();
}

const TcpSpec& tcp_of(const Event& e) { return std::get<TcpSpec>(std::get<PacketEvent>(e.body).body); }
const SyscallEvent& call_of(const Event& e) { return std::get<SyscallEvent>(e.body); }

// ---- options, comments, commands ----

TEST(DrillParser, OptionLinesBeforeTheFirstEventWithTheirLines) {
    Script s = parse_ok(
        "// Test for blocking read.\n"
        "--tolerance_usecs=10000\n"
        "--send_omit_free\t// do not reuse send buffers with zerocopy\n"
        "--ip_version=ipv4 --local_ip=192.168.0.2\n"
        "--define=CC=\"reno\"\n"
        "    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
    ASSERT_EQ(s.options.size(), 5u);
    EXPECT_EQ(s.path, "test.pkt");
    EXPECT_EQ(s.options[0].line, 2);
    EXPECT_EQ(s.options[0].name, "tolerance_usecs");
    EXPECT_EQ(s.options[0].value, "10000");
    EXPECT_EQ(s.options[1].line, 3);
    EXPECT_EQ(s.options[1].name, "send_omit_free");
    EXPECT_EQ(s.options[1].value, "");
    EXPECT_EQ(s.options[2].name, "ip_version");
    EXPECT_EQ(s.options[2].value, "ipv4");
    EXPECT_EQ(s.options[3].line, 4);
    EXPECT_EQ(s.options[3].name, "local_ip");
    EXPECT_EQ(s.options[3].value, "192.168.0.2");
    EXPECT_EQ(s.options[4].name, "define");
    EXPECT_EQ(s.options[4].value, "CC=\"reno\"");  // parser.y: WORD '=' STRING keeps the quotes
    ASSERT_EQ(s.events.size(), 1u);
    EXPECT_EQ(s.events[0].line, 6);
}

TEST(DrillParser, AnOptionAfterAnEventIsAnError) {
    ParseFailure f = parse_fail("0 close(3) = 0\n--mss=1000\n");
    EXPECT_EQ(f.line, 2);
    EXPECT_EQ(f.message, "option '--mss' after the first event: options come first");
    EXPECT_EQ(f.to_string(), "test.pkt:2: option '--mss' after the first event: options come first");
}

TEST(DrillParser, CommandsAndCodeBlocksSpanLines) {
    Script s = parse_ok(
        "`../../../common/defaults.sh\n"
        "sysctl -q \\\n"
        "  net.ipv4.tcp_fastopen=0x30403`\n"
        "/* a C comment\n   over two lines */\n"
        "   +0 %{ assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options }%\n"
        "+.1 `nstat > /dev/null`\n"
        "0.5 %{\n"
        "assert tcpi_snd_cwnd == 10\n"
        "}%\n");
    ASSERT_EQ(s.events.size(), 4u);
    EXPECT_EQ(s.events[0].line, 1);
    EXPECT_EQ(s.events[0].time.kind, TimeKind::kNone);
    EXPECT_EQ(std::get<CommandEvent>(s.events[0].body).text,
              "../../../common/defaults.sh\nsysctl -q \\\n  net.ipv4.tcp_fastopen=0x30403");
    EXPECT_EQ(s.events[1].line, 6);
    EXPECT_EQ(s.events[1].time.kind, TimeKind::kRelative);
    // lexer.l code(): spaces and tabs at both ends are stripped, newlines are not.
    EXPECT_EQ(std::get<CodeEvent>(s.events[1].body).text, "assert (tcpi_options & TCPI_OPT_SYN_DATA) != 0, tcpi_options");
    EXPECT_EQ(s.events[2].line, 7);
    EXPECT_EQ(std::get<CommandEvent>(s.events[2].body).text, "nstat > /dev/null");
    EXPECT_EQ(s.events[2].time.start, 100000);
    EXPECT_EQ(s.events[3].line, 8);
    EXPECT_EQ(s.events[3].time.kind, TimeKind::kAbsolute);
    EXPECT_EQ(s.events[3].time.start, 500000);
    EXPECT_EQ(std::get<CodeEvent>(s.events[3].body).text, "\nassert tcpi_snd_cwnd == 10\n");
}

TEST(DrillParser, CommentedOutLinesAndCrLfAreIgnored) {
    Script s = parse_ok("//--tolerance_usecs=10000\r\n//`../common/defaults.sh`\r\n0 close(3) = 0 // trailing\r\n");
    EXPECT_TRUE(s.options.empty());
    ASSERT_EQ(s.events.size(), 1u);
    EXPECT_EQ(s.events[0].line, 3);
    EXPECT_EQ(call_of(s.events[0]).name, "close");
}

// ---- times ----

TEST(DrillParser, EventTimes) {
    Script s = parse_ok(
        "0 close(3) = 0\n"
        "0.100 close(3) = 0\n"
        ".1 close(3) = 0\n"
        "+0.1 close(3) = 0\n"
        "+.1 close(3) = 0\n"
        "* > . 1:1(0) ack 1\n"
        "0.1~0.2 > . 1:1(0) ack 1\n"
        "+0.1~+0.25 > . 1:1(0) ack 1\n"
        "1.001 close(3) = 0\n"
        "2 close(3) = 0\n");
    ASSERT_EQ(s.events.size(), 10u);
    auto expect_time = [&](std::size_t i, TimeKind kind, Usecs start, std::optional<Usecs> end) {
        SCOPED_TRACE(i);
        EXPECT_EQ(s.events[i].line, static_cast<int>(i) + 1);
        EXPECT_EQ(s.events[i].time.kind, kind);
        EXPECT_EQ(s.events[i].time.start, start);
        EXPECT_EQ(s.events[i].time.end, end);
    };
    expect_time(0, TimeKind::kAbsolute, 0, std::nullopt);
    expect_time(1, TimeKind::kAbsolute, 100000, std::nullopt);
    expect_time(2, TimeKind::kAbsolute, 100000, std::nullopt);
    expect_time(3, TimeKind::kRelative, 100000, std::nullopt);
    expect_time(4, TimeKind::kRelative, 100000, std::nullopt);
    expect_time(5, TimeKind::kAny, 0, std::nullopt);
    expect_time(6, TimeKind::kAbsolute, 100000, 200000);
    expect_time(7, TimeKind::kRelative, 100000, 250000);
    expect_time(8, TimeKind::kAbsolute, 1001000, std::nullopt);  // exact, where 1.001 * 1e6 in double truncates
    expect_time(9, TimeKind::kAbsolute, 2000000, std::nullopt);
}

TEST(DrillParser, BlockingCallsFromBlockingReadPkt) {
    // gtests/net/tcp/blocking/blocking-read.pkt and blocking-connect.pkt
    Script s = parse_ok(
        "   +0...0.100 read(4, ..., 2000) = 2000\n"
        "  +.1...0.200 read(4, ..., 2000) = 2000\n"
        "   +0...0.000 read(4, ..., 1000) = 1000\n"
        "  0.1...0.3 connect(3, ..., ...) = 0\n");
    ASSERT_EQ(s.events.size(), 4u);
    const auto& r0 = call_of(s.events[0]);
    EXPECT_EQ(s.events[0].time.kind, TimeKind::kRelative);
    EXPECT_EQ(s.events[0].time.start, 0);
    ASSERT_TRUE(r0.end.has_value());
    EXPECT_EQ(r0.end->kind, TimeKind::kRelative);
    EXPECT_EQ(r0.end->start, 100000);
    EXPECT_FALSE(r0.end->end.has_value());
    EXPECT_EQ(s.events[1].time.start, 100000);
    EXPECT_EQ(call_of(s.events[1]).end->start, 200000);
    EXPECT_EQ(call_of(s.events[2]).end->start, 0);
    EXPECT_EQ(call_of(s.events[3]).end->kind, TimeKind::kAbsolute);
    EXPECT_EQ(call_of(s.events[3]).end->start, 300000);
    EXPECT_EQ(call_of(s.events[3]).name, "connect");
}

TEST(DrillParser, TimeErrors) {
    EXPECT_EQ(parse_fail("0.2~0.1 > . 1:1(0) ack 1\n").message, "time range is backwards");
    EXPECT_EQ(parse_fail("+0.1~0.2 > . 1:1(0) ack 1\n").message,
              "expected '+' before the end of a relative time range (\"+0.1~+0.2\"), found '0.2'");
    EXPECT_EQ(parse_fail("0.1~+0.2 > . 1:1(0) ack 1\n").message,
              "an absolute time range takes an absolute end (\"0.1~0.2\")");
    ParseFailure star = parse_fail("0 close(3) = 0\n* < . 1:1(0) win 1\n");
    EXPECT_EQ(star.line, 2);
    EXPECT_EQ(star.message, "event time <star> can only be used with outbound packets");
    EXPECT_EQ(parse_fail("0~1 close(3) = 0\n").message, "event time range can only be used with outbound packets");
    EXPECT_EQ(parse_fail("-1 close(3) = 0\n").message, "negative time: -1");
    ParseFailure no_time = parse_fail("0 close(3) = 0\n\nclose(4) = 0\n");
    EXPECT_EQ(no_time.line, 3);
    EXPECT_EQ(no_time.message,
              "expected an event time (\"0.100\", \"+0.1\", \"*\") at the start of an event, found 'close'");
    EXPECT_EQ(parse_fail("+ close(3) = 0\n").message, "expected a time, found 'close'");
}

// ---- TCP packet lines ----

TEST(DrillParser, HandshakeLinesFromBlockingConnectPkt) {
    Script s = parse_ok(
        "   +0 > S 0:0(0) <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 8>\n"
        "  +.1 < S. 0:0(0) ack 1 win 5792 <mss 1460,nop,wscale 2,nop,nop,sackOK>\n"
        "   +0 > . 1:1(0) ack 1\n");
    ASSERT_EQ(s.events.size(), 3u);
    const auto& syn_packet = std::get<PacketEvent>(s.events[0].body);
    EXPECT_EQ(syn_packet.direction, Direction::kOutbound);
    EXPECT_FALSE(syn_packet.ipv6);
    EXPECT_FALSE(syn_packet.ip.ecn.has_value());
    const TcpSpec& syn = tcp_of(s.events[0]);
    EXPECT_EQ(syn.flags, "S");
    EXPECT_EQ(syn.start_seq, 0u);
    EXPECT_EQ(syn.end_seq, 0u);
    EXPECT_EQ(syn.payload_length, 0u);
    EXPECT_FALSE(syn.ack.has_value());
    EXPECT_FALSE(syn.window.has_value());
    EXPECT_FALSE(syn.urgent.has_value());
    EXPECT_FALSE(syn.any_options);
    EXPECT_FALSE(syn.ports.has_value());
    ASSERT_EQ(syn.options.size(), 5u);
    using Kind = TcpOptionSpec::Kind;
    EXPECT_EQ(syn.options[0].kind, Kind::kMss);
    EXPECT_EQ(syn.options[0].value, 1460u);
    EXPECT_EQ(syn.options[1].kind, Kind::kSackOk);
    EXPECT_EQ(syn.options[2].kind, Kind::kTimestamp);
    EXPECT_EQ(syn.options[2].value, 100u);
    EXPECT_EQ(syn.options[2].echo, 0u);
    EXPECT_EQ(syn.options[3].kind, Kind::kNop);
    EXPECT_EQ(syn.options[4].kind, Kind::kWscale);
    EXPECT_EQ(syn.options[4].value, 8u);

    const TcpSpec& synack = tcp_of(s.events[1]);
    EXPECT_EQ(std::get<PacketEvent>(s.events[1].body).direction, Direction::kInbound);
    EXPECT_EQ(synack.flags, "S.");
    EXPECT_EQ(synack.ack, 1u);
    EXPECT_EQ(synack.window, 5792u);
    ASSERT_EQ(synack.options.size(), 6u);
    EXPECT_EQ(synack.options[2].kind, Kind::kWscale);
    EXPECT_EQ(synack.options[2].value, 2u);
    EXPECT_EQ(synack.options[5].kind, Kind::kSackOk);

    const TcpSpec& ack = tcp_of(s.events[2]);
    EXPECT_EQ(ack.flags, ".");
    EXPECT_EQ(ack.start_seq, 1u);
    EXPECT_EQ(ack.end_seq, 1u);
    EXPECT_EQ(ack.ack, 1u);
    EXPECT_TRUE(ack.options.empty());  // no list written: no options
    EXPECT_FALSE(ack.any_options);
}

TEST(DrillParser, DataSackUrgAndAnyOptions) {
    Script s = parse_ok(
        "+0 > P. 1:1461(1460) ack 1\n"
        "+0 < . 1:1(0) ack 1 win 257 <sack 2001:3001 4001:5001,nop,nop>\n"
        "+0 < P. 1:11(10) ack 1 win 100 urg 5\n"
        "+0 > S. 0:0(0) ack 1 <...>\n"
        "+0 < F. 1:1(0) ack 2 win 257 <nop,nop,TS val 3 ecr 10001>\n"
        "+0 > R 1:1(0)\n"
        "+0 > - 1:1(0)\n"
        "+0 < FP. 1:101(100) ack 1 win 4000\n"
        "+0 < SEW 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,nop,wscale 7>\n");
    ASSERT_EQ(s.events.size(), 9u);
    EXPECT_EQ(tcp_of(s.events[0]).flags, "P.");
    EXPECT_EQ(tcp_of(s.events[0]).start_seq, 1u);
    EXPECT_EQ(tcp_of(s.events[0]).end_seq, 1461u);
    EXPECT_EQ(tcp_of(s.events[0]).payload_length, 1460u);
    const TcpSpec& sack = tcp_of(s.events[1]);
    ASSERT_EQ(sack.options.size(), 3u);
    EXPECT_EQ(sack.options[0].kind, TcpOptionSpec::Kind::kSack);
    ASSERT_EQ(sack.options[0].blocks.size(), 2u);
    EXPECT_EQ(sack.options[0].blocks[0], std::make_pair(2001u, 3001u));
    EXPECT_EQ(sack.options[0].blocks[1], std::make_pair(4001u, 5001u));
    EXPECT_EQ(tcp_of(s.events[2]).urgent, 5);
    EXPECT_EQ(tcp_of(s.events[2]).window, 100u);
    EXPECT_TRUE(tcp_of(s.events[3]).any_options);
    EXPECT_TRUE(tcp_of(s.events[3]).options.empty());
    EXPECT_EQ(tcp_of(s.events[4]).options[2].value, 3u);
    EXPECT_EQ(tcp_of(s.events[4]).options[2].echo, 10001u);
    EXPECT_EQ(tcp_of(s.events[5]).flags, "R");
    EXPECT_FALSE(tcp_of(s.events[5]).ack.has_value());
    EXPECT_EQ(tcp_of(s.events[6]).flags, "-");
    EXPECT_EQ(tcp_of(s.events[7]).flags, "FP.");
    EXPECT_EQ(tcp_of(s.events[8]).flags, "SEW");
}

TEST(DrillParser, PortsIpInfoAndFastOpen) {
    Script s = parse_ok(
        "+0 < 8081>8080 S 0:0(0) win 1000\n"
        "+0 > 8080 > 8081 S. 0:0(0) ack 1\n"
        "+0 < [ect0] . 1:1(0) ack 1 win 257\n"
        "+0 > [ect01] . 1:1(0) ack 1\n"
        "+0 < [ce] . 1:1(0) ack 1 win 257\n"
        "+0 < (tos 0x10) . 1:1(0) ack 1 win 257\n"
        "+0 < [noecn, flowlabel 0x12345] . 1:1(0) ack 1 win 257\n"
        "+0 < (flowlabel 0xabc) . 1:1(0) ack 1 win 257\n"
        "+0 < [ttl 64] . 1:1(0) ack 1 win 257\n"
        "+0 > S. 0:0(0) ack 1428933 <mss 1460,sackOK,TS val 10000 ecr 1,nop,wscale 8, FO 00abaaabe8e954c2,nop,nop>\n"
        "+0 < S 1428932:1428932(0) win 10000 <mss 1012,FO,nop,nop,sackOK,TS val 1 ecr 0,nop,wscale 7>\n"
        "+0 < S 0:10(10) win 32792 <mss 1460,sackOK,nop,nop,FOEXP TFO_COOKIE>\n"
        "+0 < . 1:1(0) ack 1 win 1 <md5 00112233445566778899aabbccddeeff,nop,nop>\n",
        {{"TFO_COOKIE", "3021b9d7"}});
    ASSERT_EQ(s.events.size(), 13u);
    EXPECT_EQ(tcp_of(s.events[0]).ports, std::make_pair(std::uint16_t{8081}, std::uint16_t{8080}));
    EXPECT_EQ(tcp_of(s.events[1]).ports, std::make_pair(std::uint16_t{8080}, std::uint16_t{8081}));
    auto ip = [&](std::size_t i) { return std::get<PacketEvent>(s.events[i].body).ip; };
    EXPECT_EQ(ip(2).ecn, EcnCodepoint::kEct0);
    EXPECT_EQ(ip(3).ecn, EcnCodepoint::kEct01);
    EXPECT_EQ(ip(4).ecn, EcnCodepoint::kCe);
    EXPECT_FALSE(ip(5).ecn.has_value());
    EXPECT_EQ(ip(5).tos, 0x10);
    EXPECT_EQ(ip(6).ecn, EcnCodepoint::kNotEct);
    EXPECT_EQ(ip(6).flow_label, 0x12345u);
    EXPECT_EQ(ip(7).flow_label, 0xabcu);
    EXPECT_FALSE(ip(7).tos.has_value());
    EXPECT_EQ(ip(8).ttl, 64);
    const auto& fo = tcp_of(s.events[9]).options[5];
    EXPECT_EQ(fo.kind, TcpOptionSpec::Kind::kFastOpen);
    EXPECT_EQ(fo.bytes, (std::vector<std::uint8_t>{0x00, 0xab, 0xaa, 0xab, 0xe8, 0xe9, 0x54, 0xc2}));
    const auto& fo_request = tcp_of(s.events[10]).options[1];
    EXPECT_EQ(fo_request.kind, TcpOptionSpec::Kind::kFastOpen);
    EXPECT_TRUE(fo_request.bytes.empty());
    // FOEXP: option 254 with the magic 0xF989 then the cookie (RFC 7413 §4.1.1's experimental form).
    const auto& foexp = tcp_of(s.events[11]).options[4];
    EXPECT_EQ(foexp.kind, TcpOptionSpec::Kind::kGeneric);
    EXPECT_EQ(foexp.generic_kind, 254);
    EXPECT_EQ(foexp.bytes, (std::vector<std::uint8_t>{0xf9, 0x89, 0x30, 0x21, 0xb9, 0xd7}));
    const auto& md5 = tcp_of(s.events[12]).options[0];
    EXPECT_EQ(md5.kind, TcpOptionSpec::Kind::kMd5);
    ASSERT_EQ(md5.bytes.size(), 16u);
    EXPECT_EQ(md5.bytes[15], 0xff);
}

TEST(DrillParser, TcpLineErrors) {
    struct Case {
        const char* text;
        int line;
        const char* message;
    };
    const Case cases[] = {
        {"0 < . 1:1(0) ack win 257\n", 1, "expected ack value after 'ack', found 'win'"},
        {"0 < . 1:1(0) ack 1 win\n", 1, "expected window value after 'win', found the end of the script"},
        {"0 < . 1:1(0) ack 1\n", 1, "window must be specified for inbound packets"},
        {"0 > . 1:2(0) ack 1\n", 1, "inconsistent TCP sequence numbers and payload size"},
        {"0 > . 1:1 ack 1\n", 1,
         "expected '(' and the payload length in sequence numbers \"start:end(length)\" after the flags, found 'ack'"},
        {"0 > SX 0:0(0)\n", 1, "Invalid TCP flag: 'X' in 'SX'"},
        {"0 > S.1E 0:0(0)\n", 1, "Conflicting TCP flag: 'E' in 'S.1E'"},
        {"0 > 0:0(0)\n", 1, "expected '>' between the source and destination ports (\"8081>8080\"), found ':'"},
        {"0 > S 0:0(0) <mss 1460,nop>\n", 1,
         "TCP options are not padded correctly to ensure TCP header is a multiple of 4 bytes: 1 excess bytes"},
        {"0 < S 0:0(0) win 1 <...>\n", 1, "<...> for TCP options can only be used with outbound packets"},
        {"0 > S 0:0(0) <mss 1460 nop>\n", 1, "expected ',' or '>' after a TCP option, found 'nop'"},
        {"0 > S 0:0(0) <mss>\n", 1, "expected mss value after 'mss', found '>'"},
        {"0 > S 0:0(0) <mss 70000>\n", 1, "mss value out of range: 70000"},
        {"0 > S 0:0(0) <foo>\n", 1, "unknown TCP option 'foo'"},
        {"0 > S 0:0(0) <TS val 1>\n", 1, "expected 'ecr' after the TS value, found '>'"},
        {"0 > S 0:0(0) <FO abc>\n", 1, "TCP fast open cookie has an odd number of digits"},
        {"0 > S 0:0(0) <FOEXP 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344>\n", 1,
         "TCP fast open cookie of 37 bytes exceeds maximum cookie length of 36 bytes"},
        {"0 > S 0:0(0) <sack 1:2 3:4 5:6 7:8 9:10>\n", 1, "TCP option list too long"},
        {"0 < [ect01] . 1:1(0) ack 1 win 1\n", 1, "[ect01] can only be used with outbound packets"},
        {"0 < udp (100)\n", 1, "unsupported: udp packets"},
        {"0 > 70000>1 S 0:0(0)\n", 1, "src port out of range: 70000"},
        {"0 < (tos 0x100) . 1:1(0) win 1\n", 1, "tos out of range for 8 bits: 0x100"},
        {"0 close(3) = 0\n\n+0 > S 4294967296:4294967296(0)\n", 3,
         "TCP start sequence number out of range: 4294967296"},
        {"0 close(3) = 0\n+0 > S. 0:0(0)\n  ack 1 <mss 1460,\n nop,wscale x>\n", 4,
         "expected shift count after 'wscale', found 'x'"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        ParseFailure f = parse_fail(c.text);
        EXPECT_EQ(f.line, c.line);
        EXPECT_EQ(f.message, c.message);
        EXPECT_EQ(f.path, "test.pkt");
    }
}

// ---- ICMP ----

TEST(DrillParser, IcmpLines) {
    Script s = parse_ok(
        "+0.01 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n"
        "   +0 < icmp unreachable [5000:6000(1000)]\n"
        "   +0 < icmp unreachable CODE [0:10(10)]\n"
        "   +0 > icmp time_exceeded\n",
        {{"CODE", "port_unreachable"}});
    ASSERT_EQ(s.events.size(), 4u);
    const auto& frag = std::get<IcmpSpec>(std::get<PacketEvent>(s.events[0].body).body);
    EXPECT_EQ(std::get<PacketEvent>(s.events[0].body).direction, Direction::kInbound);
    EXPECT_EQ(s.events[0].time.start, 10000);
    EXPECT_EQ(frag.type, "unreachable");
    EXPECT_EQ(frag.code, "frag_needed");
    EXPECT_EQ(frag.mtu, 1200u);
    EXPECT_EQ(frag.quoted_seq, std::make_pair(1u, 1461u));
    EXPECT_EQ(frag.quoted_length, 1460u);
    const auto& no_code = std::get<IcmpSpec>(std::get<PacketEvent>(s.events[1].body).body);
    EXPECT_EQ(no_code.code, "");
    EXPECT_FALSE(no_code.mtu.has_value());
    EXPECT_EQ(no_code.quoted_seq, std::make_pair(5000u, 6000u));
    EXPECT_EQ(no_code.quoted_length, 1000u);
    EXPECT_EQ(std::get<IcmpSpec>(std::get<PacketEvent>(s.events[2].body).body).code, "port_unreachable");
    const auto& bare = std::get<IcmpSpec>(std::get<PacketEvent>(s.events[3].body).body);
    EXPECT_EQ(bare.type, "time_exceeded");
    EXPECT_FALSE(bare.quoted_seq.has_value());
    EXPECT_EQ(bare.quoted_length, 0u);

    EXPECT_EQ(parse_fail("0 < icmp\n").message, "expected an ICMP type after 'icmp', found the end of the script");
    EXPECT_EQ(parse_fail("0 < icmp unreachable [1:2(2)]\n").message,
              "inconsistent TCP sequence numbers and payload size");
    EXPECT_EQ(parse_fail("0 < icmp unreachable [udp (10)]\n").message, "unsupported: ICMP quoting a udp datagram");
}

// ---- system calls and expressions ----

TEST(DrillParser, SystemCallsAndTheirExpressions) {
    Script s = parse_ok(
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
        "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
        "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
        "+0 read(4, ..., 512) = -1 EHOSTUNREACH(No route to host)\n"
        "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
        "+0 poll([{fd=4, events=POLLOUT|POLLIN, revents=POLLOUT}], 1, 0) = 1\n"
        "+0 writev(4, [{..., 1000}, {..., 0x10}], 2) = 1016\n"
        "+0 setsockopt(3, SOL_TCP, TCP_CONGESTION, \"reno\" \"\\x41\\n\", 5) = 0\n"
        "+0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0\n"
        "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0\n"
        "+0 accept(3, NULL, NULL) = ...\n"
        "+0 shutdown(4, SHUT_WR) = 0\n"
        "+0 ioctl(4, SIOCINQ, [-1]) = 0\n"
        "+0 getpid() = 0x7fffffffffffffff\n");
    ASSERT_EQ(s.events.size(), 15u);

    const auto& socket = call_of(s.events[0]);
    EXPECT_EQ(socket.name, "socket");
    ASSERT_EQ(socket.args.size(), 3u);
    EXPECT_EQ(socket.args[0].kind, Expr::Kind::kEllipsis);
    EXPECT_EQ(socket.args[1].kind, Expr::Kind::kName);
    EXPECT_EQ(socket.args[1].text, "SOCK_STREAM");
    EXPECT_EQ(socket.result.kind, Expr::Kind::kInteger);
    EXPECT_EQ(socket.result.integer, 3);
    EXPECT_EQ(socket.errno_name, "");
    EXPECT_EQ(socket.errno_note, "");
    EXPECT_FALSE(socket.end.has_value());

    const auto& reuse = call_of(s.events[1]);
    ASSERT_EQ(reuse.args[3].kind, Expr::Kind::kList);
    ASSERT_EQ(reuse.args[3].items.size(), 1u);
    EXPECT_EQ(reuse.args[3].items[0].integer, 1);

    const auto& fcntl = call_of(s.events[2]);
    ASSERT_EQ(fcntl.args[2].kind, Expr::Kind::kOr);
    ASSERT_EQ(fcntl.args[2].items.size(), 2u);
    EXPECT_EQ(fcntl.args[2].items[0].text, "O_RDWR");
    EXPECT_EQ(fcntl.args[2].items[1].text, "O_NONBLOCK");

    const auto& connect = call_of(s.events[3]);
    EXPECT_EQ(connect.result.integer, -1);
    EXPECT_EQ(connect.errno_name, "EINPROGRESS");
    EXPECT_EQ(connect.errno_note, "Operation now in progress");
    EXPECT_EQ(call_of(s.events[4]).errno_name, "EHOSTUNREACH");
    EXPECT_EQ(call_of(s.events[4]).errno_note, "No route to host");

    const auto& linger = call_of(s.events[5]).args[3];
    ASSERT_EQ(linger.kind, Expr::Kind::kStruct);
    EXPECT_EQ(linger.fields, (std::vector<std::string>{"l_onoff", "l_linger"}));
    EXPECT_EQ(linger.items[0].integer, 1);
    EXPECT_EQ(linger.items[1].integer, 0);

    const auto& pollfd = call_of(s.events[6]).args[0].items[0];
    EXPECT_EQ(pollfd.fields, (std::vector<std::string>{"fd", "events", "revents"}));
    EXPECT_EQ(pollfd.items[1].kind, Expr::Kind::kOr);

    const auto& iov = call_of(s.events[7]).args[1];
    ASSERT_EQ(iov.items.size(), 2u);
    EXPECT_EQ(iov.items[0].fields, (std::vector<std::string>{"", ""}));
    EXPECT_EQ(iov.items[0].items[0].kind, Expr::Kind::kEllipsis);
    EXPECT_EQ(iov.items[0].items[1].integer, 1000);
    EXPECT_EQ(iov.items[1].items[1].integer, 16);

    const auto& cc = call_of(s.events[8]).args[3];
    EXPECT_EQ(cc.kind, Expr::Kind::kString);
    EXPECT_EQ(cc.text, "renoA\n");  // adjacent strings concatenate; escapes resolved

    const auto& sockaddr = call_of(s.events[9]).args[1];
    EXPECT_EQ(sockaddr.fields, (std::vector<std::string>{"sa_family", "sin_port", "sin_addr"}));
    EXPECT_EQ(sockaddr.items[1].kind, Expr::Kind::kCall);
    EXPECT_EQ(sockaddr.items[1].text, "htons");
    EXPECT_EQ(sockaddr.items[1].items[0].integer, 8080);
    EXPECT_EQ(sockaddr.items[2].text, "inet_addr");
    EXPECT_EQ(sockaddr.items[2].items[0].text, "192.0.2.1");

    EXPECT_EQ(call_of(s.events[10]).args[4].items[0].integer, 4);
    EXPECT_EQ(call_of(s.events[11]).args[1].kind, Expr::Kind::kNull);
    EXPECT_EQ(call_of(s.events[11]).result.kind, Expr::Kind::kEllipsis);
    EXPECT_EQ(call_of(s.events[13]).args[2].items[0].integer, -1);
    EXPECT_TRUE(call_of(s.events[14]).args.empty());
    EXPECT_EQ(call_of(s.events[14]).result.integer, 0x7fffffffffffffff);
}

TEST(DrillParser, RecvmsgOverSeveralLinesFromTheKernelSelftests) {
    // tools/testing/selftests/net/packetdrill/tcp_zerocopy_basic.pkt, run with -D CMSG_LEVEL_IP=SOL_IP as
    // ksft_runner.sh does.
    Script s = parse_ok(
        "   +0 recvmsg(4, {msg_name(...)=...,\n"
        "                  msg_iov(1)=[{...,0}],\n"
        "                  msg_flags=MSG_ERRQUEUE,\n"
        "                  msg_control=[\n"
        "                        {cmsg_level=CMSG_LEVEL_IP,\n"
        "                         cmsg_type=CMSG_TYPE_RECVERR,\n"
        "                         cmsg_data={ee_errno=0,\n"
        "                                    ee_data=1}}\n"
        "                   ]}, MSG_ERRQUEUE) = 0\n"
        "   +0 send(4, ..., 4000, MSG_ZEROCOPY) = 4000\n",
        {{"CMSG_LEVEL_IP", "SOL_IP"}, {"CMSG_TYPE_RECVERR", "IP_RECVERR"}});
    ASSERT_EQ(s.events.size(), 2u);
    EXPECT_EQ(s.events[1].line, 10);
    const auto& msg = call_of(s.events[0]).args[1];
    ASSERT_EQ(msg.kind, Expr::Kind::kStruct);
    EXPECT_EQ(msg.fields, (std::vector<std::string>{"msg_name(...)", "msg_iov(1)", "msg_flags", "msg_control"}));
    EXPECT_EQ(msg.items[0].kind, Expr::Kind::kEllipsis);
    const auto& cmsg = msg.items[3].items[0];
    EXPECT_EQ(cmsg.fields, (std::vector<std::string>{"cmsg_level", "cmsg_type", "cmsg_data"}));
    EXPECT_EQ(cmsg.items[0].text, "SOL_IP");
    EXPECT_EQ(cmsg.items[1].text, "IP_RECVERR");
    EXPECT_EQ(cmsg.items[2].items[1].integer, 1);
    EXPECT_EQ(expr_to_text(msg),
              "{msg_name(...)=..., msg_iov(1)=[{..., 0}], msg_flags=MSG_ERRQUEUE, msg_control=[{cmsg_level=SOL_IP, "
              "cmsg_type=IP_RECVERR, cmsg_data={ee_errno=0, ee_data=1}}]}");
}

TEST(DrillParser, SyscallErrors) {
    struct Case {
        const char* text;
        int line;
        const char* message;
    };
    const Case cases[] = {
        {"0 close(3)\n+0 close(4) = 0\n", 2, "expected '=' and the expected result after close(...), found '+'"},
        {"0 close 3 = 0\n", 1, "expected '(' after the system call name 'close', found '3'"},
        {"0 setsockopt(3, [1, 2) = 0\n", 1, "expected ',' or ']', found ')'"},
        {"0 f(a=1) = 0\n", 1, "'=' outside { }: a member \"name=value\" belongs in a struct"},
        {"0 f({1=2}) = 0\n", 1, "expected a member name before '=', found 1"},
        {"0 f(x) = \n", 1,
         "expected an expression (a number, a name, a string, ..., [list], {struct}), found the end of the script"},
        {"0 f(\"abc) = 0\n", 1, "unterminated string"},
        {"0 f(99999999999999999999) = 0\n", 1, "integer out of range: 99999999999999999999"},
        {"0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now\n", 1,
         "expected ')' to close the note after the result"},
        {"0 f(\"a\"...) = 0\n", 1, "unsupported: a string prefix \"...\"... (STRING ELLIPSIS)"},
        {"0 close(3) = 0\n/* never closed\n", 2, "unterminated /* comment"},
        {"0 %{ x\n", 1, "unterminated %{ code block"},
        {"0 `ls\n", 1, "unterminated back-quoted command"},
        {"+0...+0.1 read(4, ..., 1) = 1\n", 1, "the end of a blocking call is written without '+' (\"+0...0.1\")"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.text);
        ParseFailure f = parse_fail(c.text);
        EXPECT_EQ(f.line, c.line);
        EXPECT_EQ(f.message, c.message);
    }
}

TEST(DrillParser, DeepNestingIsRefusedNotRecursedInto) {
    std::string deep = "0 f(" + std::string(100000, '[') + ") = 0\n";
    EXPECT_EQ(parse_fail(deep).message, "expression nested too deeply");
    std::string ok = "0 f(" + std::string(20, '[') + "1" + std::string(20, ']') + ") = 0\n";
    Script s = parse_ok(ok);
    const Expr* e = &call_of(s.events[0]).args[0];
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(e->kind, Expr::Kind::kList);
        e = &e->items[0];
    }
    EXPECT_EQ(e->integer, 1);
}

// ---- -D definitions ----

TEST(DrillParser, DefinitionsReplaceWordsButNotKeywords) {
    Script s = parse_ok(
        "--define=PORT=8080\n"
        "--define=CC=\"cubic\"\n"
        "--define=SETUP=`true`\n"
        "0 setsockopt(3, SOL_TCP, TCP_CONGESTION, CC, 5) = 0\n"
        "+0 bind(3, {sa_family=FAMILY, sin_port=htons(PORT), sin_addr=inet_addr(\"198.18.0.1\")}, 16) = 0\n"
        "+0 SETUP\n"
        "+0 < . 1:1(0) ack 1 win 257\n",
        {{"CC", "\"reno\""}, {"FAMILY", "AF_INET"}, {"ack", "2"}});
    ASSERT_EQ(s.events.size(), 4u);
    // The command line's definition overrides the script's, as packetdrill parses argv after the script's options.
    EXPECT_EQ(call_of(s.events[0]).args[3].kind, Expr::Kind::kString);
    EXPECT_EQ(call_of(s.events[0]).args[3].text, "reno");
    const auto& sockaddr = call_of(s.events[1]).args[1];
    EXPECT_EQ(sockaddr.items[0].kind, Expr::Kind::kName);
    EXPECT_EQ(sockaddr.items[0].text, "AF_INET");
    EXPECT_EQ(sockaddr.items[1].items[0].kind, Expr::Kind::kInteger);
    EXPECT_EQ(sockaddr.items[1].items[0].integer, 8080);
    EXPECT_EQ(std::get<CommandEvent>(s.events[2].body).text, "true");
    EXPECT_EQ(tcp_of(s.events[3]).ack, 1u);  // "ack" is a keyword: never replaced

    EXPECT_EQ(parse_fail("--define=NOVALUE\n0 close(3) = 0\n").message,
              "bad definition 'NOVALUE': expected --define=NAME=value");
}

// ---- expressions printed back ----

TEST(DrillParser, ExprTextPrintsScriptSyntax) {
    Script s = parse_ok("0 f(-5, 0x10, \"a\\\"b\\n\", NULL, [], [1, 2], {..., 3}, A|B|C, htons(80)) = ...\n");
    const auto& args = call_of(s.events[0]).args;
    ASSERT_EQ(args.size(), 9u);
    const char* expected[] = {"-5", "16", "\"a\\\"b\\n\"", "NULL", "[]", "[1, 2]", "{..., 3}", "A|B|C", "htons(80)"};
    for (std::size_t i = 0; i < args.size(); ++i) {
        EXPECT_EQ(expr_to_text(args[i]), expected[i]);
    }
    EXPECT_EQ(expr_to_text(call_of(s.events[0]).result), "...");
}

// ---- robustness ----

TEST(DrillParser, GarbledInputsNeverCrash) {
    const std::string base =
        "--tolerance_usecs=10000\n`../common/defaults.sh`\n"
        "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
        "+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
        "+.1 < [ect0] 8081>8080 S 0:0(0) win 32792 <mss 1000,sackOK,TS val 1 ecr 0,nop,wscale 7,FO 0011>\n"
        "0.1~0.2 > S. 0:0(0) ack 1 <...>\n"
        "+0...0.1 read(4, ..., 2000) = -1 EAGAIN (Resource temporarily unavailable)\n"
        "+0.01 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n"
        "+0 %{ assert tcpi_snd_cwnd == 10 }%\n"
        "/* c */ +0 poll([{fd=4, events=POLLOUT|POLLIN}], 1, 0) = 1 // x\n";
    ASSERT_TRUE(parse_script(base, "base.pkt").ok());
    const std::string alphabet = "<>+-*~.:,()[]{}=|\"`%/ \n\t0123456789xSFRPEWAUackwinmsTSvlecr.";
    std::mt19937 rng(20240917);
    int parsed = 0;
    for (int i = 0; i < 600; ++i) {
        std::string text = base;
        int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits && !text.empty(); ++e) {
            std::size_t at = rng() % text.size();
            switch (rng() % 4) {
                case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
                case 1: text.erase(at, 1 + rng() % 5); break;
                case 2: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
                default: text.resize(at); break;  // truncated scripts
            }
        }
        auto result = parse_script(text, "fuzz.pkt");
        if (result.ok()) {
            ++parsed;
            for (const Event& event : result->events) {
                EXPECT_GE(event.line, 1);
            }
        } else {
            EXPECT_GE(result.error().line, 1);
            EXPECT_FALSE(result.error().message.empty());
        }
    }
    for (int i = 0; i < 300; ++i) {
        std::string text(rng() % 200, '\0');
        for (char& c : text) c = static_cast<char>(rng() % 256);
        auto result = parse_script(text, "random.pkt");
        if (!result.ok()) {
            EXPECT_FALSE(result.error().message.empty());
        }
    }
    EXPECT_GT(parsed, 0);  // some mutations (inside comments, names) still parse
}

}  // namespace
}  // namespace synack::drill
