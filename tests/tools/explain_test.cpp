// --explain: each segment of a connection's life, built with wire::TcpBuilder, and the exact line it gets.
// The expectations are the explainer's specification (src/tools/dump/explain.hpp), one behaviour per test.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tools/dump/explain.hpp"
#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::dump {
namespace {

namespace f = wire::tcp_flags;
using wire::Seq32;

const wire::Ipv4Address kClient{{10, 0, 0, 1}};
const wire::Ipv4Address kServer{{10, 0, 0, 2}};
constexpr std::uint16_t kClientPort = 40000;
constexpr std::uint16_t kServerPort = 80;
constexpr std::uint32_t kClientIsn = 1000;
constexpr std::uint32_t kServerIsn = 5000;

// A segment from one endpoint of the connection, fed to the explainer; returns its line.
class Conversation {
public:
    Conversation() : explainer_(names_) {}

    struct Segment {
        bool from_client = true;
        std::uint32_t seq = 0;
        std::uint32_t ack = 0;
        std::uint16_t flags = f::kAck;
        std::uint16_t window = 512;
        std::uint32_t length = 0;        // payload bytes
        std::vector<std::uint8_t> options;
    };

    std::string send(const Segment& s) {
        wire::TcpBuilder b;
        b.source_port = s.from_client ? kClientPort : kServerPort;
        b.destination_port = s.from_client ? kServerPort : kClientPort;
        b.seq = Seq32(s.seq);
        b.ack = Seq32(s.ack);
        b.flags = s.flags;
        b.window = s.window;
        b.options = s.options;
        const std::vector<std::uint8_t> payload(s.length, 'x');
        const wire::Ipv4Address& src = s.from_client ? kClient : kServer;
        const wire::Ipv4Address& dst = s.from_client ? kServer : kClient;
        bytes_ = b.build(payload, src, dst);
        const wire::TcpView view = wire::TcpView::parse(bytes_).value();
        explainer_.begin_packet();
        explainer_.on_segment(IpInfo::v4(src, dst, dst), view, s.length);
        return explainer_.line();
    }
    // Shorthands for the common segments.
    std::string client(std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::uint32_t length = 0,
                       std::uint16_t window = 512) {
        return send({true, seq, ack, flags, window, length, {}});
    }
    std::string server(std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::uint32_t length = 0,
                       std::uint16_t window = 512) {
        return send({false, seq, ack, flags, window, length, {}});
    }
    // SYN, SYN-ACK and ACK without options: the connection is established, both sides at ISN + 1.
    void establish() {
        client(kClientIsn, 0, f::kSyn);
        server(kServerIsn, kClientIsn + 1, f::kSyn | f::kAck);
        client(kClientIsn + 1, kServerIsn + 1, f::kAck);
    }

private:
    Names names_{true};
    Explainer explainer_;
    std::vector<std::uint8_t> bytes_;
};

std::vector<std::uint8_t> syn_options(std::uint8_t wscale) {
    wire::TcpOptionsBuilder o;
    o.mss(1460).sack_permitted().timestamps(100, 0).nop().window_scale(wscale);
    return {o.bytes().begin(), o.bytes().end()};
}

TEST(Explain, ThreeWayHandshakeWithOfferedOptions) {
    Conversation c;
    EXPECT_EQ(c.send({true, kClientIsn, 0, f::kSyn, 64240, 0, syn_options(7)}),
              "handshake 1/3: client SYN, ISN 1000, offers mss 1460, sackOK, TS, wscale 7");
    EXPECT_EQ(c.send({false, kServerIsn, kClientIsn + 1, f::kSyn | f::kAck, 65160, 0, syn_options(9)}),
              "handshake 2/3: server SYN-ACK, ISN 5000, acks ISN 1000, offers mss 1460, sackOK, TS, wscale 9");
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kAck), "handshake 3/3: client ACK, connection established");
}

TEST(Explain, EcnIsOfferedAndAccepted) {
    // RFC 3168 §6.1.1: [SEW] asks for ECN, [S.E] agrees.
    Conversation c;
    EXPECT_EQ(c.client(kClientIsn, 0, f::kSyn | f::kEce | f::kCwr), "handshake 1/3: client SYN, ISN 1000, offers ECN");
    EXPECT_EQ(c.server(kServerIsn, kClientIsn + 1, f::kSyn | f::kAck | f::kEce),
              "handshake 2/3: server SYN-ACK, ISN 5000, acks ISN 1000, offers ECN");
}

TEST(Explain, DataAndItsAcknowledgment) {
    Conversation c;
    c.establish();
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kPsh | f::kAck, 14), "data 14 bytes");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 15, f::kAck), "ACK of 14 bytes");
    // A reply that also acknowledges more data says both.
    EXPECT_EQ(c.client(kClientIsn + 15, kServerIsn + 1, f::kPsh | f::kAck, 10), "data 10 bytes");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 25, f::kPsh | f::kAck, 100), "data 100 bytes, ACK of 10 bytes");
}

TEST(Explain, RetransmissionOfTheSameRangeAndOfAnOverlap) {
    Conversation c;
    c.establish();
    c.client(kClientIsn + 1, kServerIsn + 1, f::kAck, 1448);
    c.client(kClientIsn + 1449, kServerIsn + 1, f::kAck, 1448);
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kAck, 1448), "retransmission of 1448 bytes (seq 1:1449)");
    EXPECT_EQ(c.client(kClientIsn + 1449, kServerIsn + 1, f::kAck, 2000),
              "retransmission of 2000 bytes (seq 1449:3449, 552 new)");
}

TEST(Explain, DataAfterAGapInTheCapture) {
    Conversation c;
    c.establish();
    c.client(kClientIsn + 1, kServerIsn + 1, f::kAck, 100);
    EXPECT_EQ(c.client(kClientIsn + 301, kServerIsn + 1, f::kAck, 100),
              "data 100 bytes (seq 301:401, 200 bytes before it not seen)");
}

TEST(Explain, FourSegmentClose) {
    Conversation c;
    c.establish();
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kFin | f::kAck), "close 1/4: FIN from 10.0.0.1");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 2, f::kAck), "close 2/4: ACK of FIN from 10.0.0.1");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 2, f::kFin | f::kAck), "close 3/4: FIN from 10.0.0.2");
    EXPECT_EQ(c.client(kClientIsn + 2, kServerIsn + 2, f::kAck),
              "close 4/4: ACK of FIN from 10.0.0.2, connection closed");
}

TEST(Explain, ThreeSegmentClose) {
    Conversation c;
    c.establish();
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 1, f::kFin | f::kAck), "close 1/4: FIN from 10.0.0.2");
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 2, f::kFin | f::kAck),
              "close 2-3/4: ACK of FIN from 10.0.0.2 and FIN from 10.0.0.1 (three-segment close)");
    EXPECT_EQ(c.server(kServerIsn + 2, kClientIsn + 2, f::kAck),
              "close 4/4: ACK of FIN from 10.0.0.1, connection closed");
}

TEST(Explain, FinOnData) {
    // [FP.]: the last bytes and the FIN in one segment; the peer acknowledges both.
    Conversation c;
    c.establish();
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kFin | f::kPsh | f::kAck, 77),
              "data 77 bytes, close 1/4: FIN from 10.0.0.1");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 79, f::kAck),
              "ACK of 77 bytes, close 2/4: ACK of FIN from 10.0.0.1");
}

TEST(Explain, HalfClose) {
    // RFC 9293 §3.6: after the client's FIN the server still sends (and the client still acknowledges).
    Conversation c;
    c.establish();
    c.client(kClientIsn + 1, kServerIsn + 1, f::kFin | f::kAck);
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 2, f::kPsh | f::kAck, 18),
              "data 18 bytes, close 2/4: ACK of FIN from 10.0.0.1, half-close: 10.0.0.2 sends after 10.0.0.1's FIN");
    EXPECT_EQ(c.client(kClientIsn + 2, kServerIsn + 19, f::kAck), "ACK of 18 bytes");
    EXPECT_EQ(c.server(kServerIsn + 19, kClientIsn + 2, f::kPsh | f::kAck, 5), "data 5 bytes");  // said once
    EXPECT_EQ(c.server(kServerIsn + 24, kClientIsn + 2, f::kFin | f::kAck), "close 3/4: FIN from 10.0.0.2");
    EXPECT_EQ(c.client(kClientIsn + 2, kServerIsn + 25, f::kAck),
              "ACK of 5 bytes, close 4/4: ACK of FIN from 10.0.0.2, connection closed");
}

TEST(Explain, SimultaneousOpen) {
    // RFC 9293 §3.5 figure 8: both send a SYN, then both a SYN-ACK.
    Conversation c;
    EXPECT_EQ(c.client(kClientIsn, 0, f::kSyn), "handshake 1/3: client SYN, ISN 1000");
    EXPECT_EQ(c.server(kServerIsn, 0, f::kSyn), "simultaneous open: SYN from 10.0.0.2, ISN 5000");
    EXPECT_EQ(c.client(kClientIsn, kServerIsn + 1, f::kSyn | f::kAck),
              "simultaneous open: SYN-ACK from 10.0.0.1, ISN 1000, acks ISN 5000");
    EXPECT_EQ(c.server(kServerIsn, kClientIsn + 1, f::kSyn | f::kAck),
              "simultaneous open: SYN-ACK from 10.0.0.2, ISN 5000, acks ISN 1000, connection established");
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kPsh | f::kAck, 3), "data 3 bytes");
}

TEST(Explain, SimultaneousClose) {
    // RFC 9293 §3.6 figure 13: both FINs cross; each side then acknowledges the other's.
    Conversation c;
    c.establish();
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kFin | f::kAck), "close 1/4: FIN from 10.0.0.1");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 1, f::kFin | f::kAck), "simultaneous close: FIN from 10.0.0.2");
    EXPECT_EQ(c.client(kClientIsn + 2, kServerIsn + 2, f::kAck), "simultaneous close: ACK of FIN from 10.0.0.2");
    EXPECT_EQ(c.server(kServerIsn + 2, kClientIsn + 2, f::kAck),
              "simultaneous close: ACK of FIN from 10.0.0.1, connection closed");
}

TEST(Explain, ResetRefusingAConnectionAndResetWithData) {
    Conversation c;
    c.client(kClientIsn, 0, f::kSyn);
    EXPECT_EQ(c.server(0, kClientIsn + 1, f::kRst | f::kAck), "reset from 10.0.0.2 (connection refused)");
    // A new SYN on the same 4-tuple starts over.
    EXPECT_EQ(c.client(kClientIsn + 100, 0, f::kSyn), "handshake 1/3: client SYN, ISN 1100");
    Conversation d;
    d.establish();
    EXPECT_EQ(d.client(kClientIsn + 1, kServerIsn + 1, f::kRst | f::kAck, 12),
              "reset from 10.0.0.1, 12 bytes of data");  // RFC 9293 §3.5.3
}

TEST(Explain, RetransmittedSynSynAckAndFin) {
    Conversation c;
    c.client(kClientIsn, 0, f::kSyn);
    EXPECT_EQ(c.client(kClientIsn, 0, f::kSyn), "retransmitted SYN, ISN 1000");
    c.server(kServerIsn, kClientIsn + 1, f::kSyn | f::kAck);
    EXPECT_EQ(c.server(kServerIsn, kClientIsn + 1, f::kSyn | f::kAck), "retransmitted SYN-ACK, ISN 5000");
    c.client(kClientIsn + 1, kServerIsn + 1, f::kAck);
    c.client(kClientIsn + 1, kServerIsn + 1, f::kFin | f::kAck);
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kFin | f::kAck), "retransmitted FIN from 10.0.0.1");
}

TEST(Explain, WindowUpdateAndZeroWindow) {
    Conversation c;
    c.establish();
    c.client(kClientIsn + 1, kServerIsn + 1, f::kAck, 100);
    c.server(kServerIsn + 1, kClientIsn + 101, f::kAck, 0, 512);
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 101, f::kAck, 0, 0), "zero window");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 101, f::kAck, 0, 300), "window update: 300");
}

TEST(Explain, WindowUpdateInBytesWhenBothSidesScale) {
    // RFC 7323 §2.2: the window is shifted only when both SYNs carried the option; each side its own shift.
    Conversation c;
    c.send({true, kClientIsn, 0, f::kSyn, 64240, 0, syn_options(7)});
    c.send({false, kServerIsn, kClientIsn + 1, f::kSyn | f::kAck, 65160, 0, syn_options(9)});
    c.client(kClientIsn + 1, kServerIsn + 1, f::kAck, 0, 502);
    EXPECT_EQ(c.client(kClientIsn + 1, kServerIsn + 1, f::kAck, 0, 600), "window update: 600 (76800 bytes)");
    c.server(kServerIsn + 1, kClientIsn + 1, f::kAck, 0, 100);
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 1, f::kAck, 0, 101), "window update: 101 (51712 bytes)");
}

TEST(Explain, DuplicateAcksWithAndWithoutSack) {
    Conversation c;
    c.establish();
    for (std::uint32_t i = 0; i < 4; ++i) c.client(kClientIsn + 1 + 1000 * i, kServerIsn + 1, f::kAck, 1000);
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 1001, f::kAck), "ACK of 1000 bytes");
    // RFC 5681 §2: the same ACK and window, data outstanding.
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 1001, f::kAck), "duplicate ACK #1 of 1001");
    // RFC 6675 §2: an ACK that newly SACKs data is a duplicate even though the window changed.
    wire::TcpOptionsBuilder o;
    const wire::SackBlock block{Seq32(kClientIsn + 2001), Seq32(kClientIsn + 3001)};
    o.nop().nop().sack(std::span(&block, 1));
    const std::vector<std::uint8_t> sack(o.bytes().begin(), o.bytes().end());
    EXPECT_EQ(c.send({false, kServerIsn + 1, kClientIsn + 1001, f::kAck, 600, 0, sack}),
              "duplicate ACK #2 of 1001, SACK 2001:3001");
    // The retransmission, and the ACK that covers everything.
    EXPECT_EQ(c.client(kClientIsn + 1001, kServerIsn + 1, f::kAck, 1000),
              "retransmission of 1000 bytes (seq 1001:2001)");
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 4001, f::kAck, 0, 600), "ACK of 3000 bytes");
}

TEST(Explain, KeepAliveAndPlainAck) {
    Conversation c;
    c.establish();
    // RFC 9293 §3.8.4: one below the next sequence number, no data.
    EXPECT_EQ(c.client(kClientIsn, kServerIsn + 1, f::kAck), "keep-alive");
    // Nothing new, nothing outstanding.
    EXPECT_EQ(c.server(kServerIsn + 1, kClientIsn + 1, f::kAck), "ACK");
}

TEST(Explain, SequenceNumbersWrapPast2To32) {
    // ISN just below 2^32: relative numbers and the retransmission test stay right across the wrap.
    Conversation c;
    const std::uint32_t isn = 0xfffffc00u;
    c.client(isn, 0, f::kSyn);
    c.server(kServerIsn, isn + 1, f::kSyn | f::kAck);
    c.client(isn + 1, kServerIsn + 1, f::kAck);
    EXPECT_EQ(c.client(isn + 1, kServerIsn + 1, f::kAck, 1448), "data 1448 bytes");  // 0xfffffc01 .. 0x000001a9
    EXPECT_EQ(c.client(isn + 1449, kServerIsn + 1, f::kAck, 1448), "data 1448 bytes");
    EXPECT_EQ(c.server(kServerIsn + 1, isn + 2897, f::kAck), "ACK of 2896 bytes");
    EXPECT_EQ(c.client(isn + 1449, kServerIsn + 1, f::kAck, 1448), "retransmission of 1448 bytes (seq 1449:2897)");
}

TEST(Explain, JoinedMidStreamCountsFromTheFirstByteSeen) {
    Conversation c;
    EXPECT_EQ(c.client(700000, 900000, f::kAck, 100), "data 100 bytes");
    EXPECT_EQ(c.server(900000, 700100, f::kAck), "ACK of 100 bytes");
    EXPECT_EQ(c.client(700000, 900000, f::kAck, 100), "retransmission of 100 bytes (seq 0:100)");
}

}  // namespace
}  // namespace synack::dump
