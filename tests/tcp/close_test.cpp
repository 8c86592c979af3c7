// Every way a connection closes (RFC 9293 §3.6), with the segments Linux sends: the four-segment close, the
// three-segment close ([F.], [F.], [.]), FIN on the last data ([FP.]), half-close, simultaneous close through
// CLOSING, and the hand-off to TIME_WAIT. Captured on the reference kernel: the ACK of a FIN is delayed (the
// FIN puts the receiver in ping-pong mode), so an application that closes at once sends its FIN with it.
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

constexpr std::uint32_t C = kClientIss + 1;  // the client's first data byte
constexpr std::uint32_t S = kServerIss + 1;

std::string seq_text(std::uint32_t v) { return std::to_string(v); }

TEST(Close, FourSegmentsActiveHalfCloseThenPeerClose) {
    Pair p;
    established(p);
    const std::size_t c0 = p.client.host.sent.size();
    const std::size_t s0 = p.server.host.sent.size();
    ASSERT_TRUE(p.client.conn->shutdown(ShutdownHow::kWrite, p.now));
    EXPECT_EQ(p.client.conn->state(), State::kFinWait1);
    EXPECT_EQ(p.client.host.last_text(),
              "[F.] seq " + seq_text(C) + " ack " + seq_text(S) + " win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
    EXPECT_EQ(p.client.conn->snd_nxt(), Seq32(C + 1));  // the FIN consumes one sequence number
    p.deliver();
    // The server moves to CLOSE_WAIT; its ACK waits for the delayed-ACK timer (ATO 0 before any data: it fires on
    // the next tick) in case the application closes first.
    EXPECT_EQ(p.server.conn->state(), State::kCloseWait);
    EXPECT_EQ(p.server.host.sent.size(), s0);
    p.advance(0ms);
    ASSERT_EQ(p.server.host.sent.size(), s0 + 1);
    EXPECT_EQ(p.server.host.last_text(),
              "[.] seq " + seq_text(S) + " ack " + seq_text(C + 1) + " win 510 [nop,nop,TS val 510000 ecr 11000] len 0");
    EXPECT_EQ(p.client.conn->state(), State::kFinWait2);
    EXPECT_EQ(p.server.host.counters.get(Counter::kDelayedAcks), 1u);

    // Half-closed: the server may still send, the client still reads.
    const std::uint8_t data[] = {'o', 'k'};
    ASSERT_EQ(*p.server.conn->send(data, p.now), 2u);
    p.deliver();
    std::uint8_t buf[8];
    EXPECT_EQ(*p.client.conn->recv(buf, p.now), 2u);

    ASSERT_TRUE(p.server.conn->shutdown(ShutdownHow::kWrite, p.now));
    EXPECT_EQ(p.server.conn->state(), State::kLastAck);
    p.deliver();
    EXPECT_EQ(p.client.conn->state(), State::kTimeWait);
    ASSERT_TRUE(p.client.conn->time_wait_handoff());
    EXPECT_FALSE(p.client.conn->time_wait_handoff()->fin_wait2);
    EXPECT_EQ(p.client.conn->time_wait_handoff()->timeout, 60s);
    EXPECT_EQ(p.server.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.host.transitions_text(),
              "CLOSED->SYN_SENT, SYN_SENT->ESTABLISHED, ESTABLISHED->FIN_WAIT_1, FIN_WAIT_1->FIN_WAIT_2, "
              "FIN_WAIT_2->TIME_WAIT");
    EXPECT_EQ(p.server.host.transitions_text(),
              "LISTEN->SYN_RECEIVED, SYN_RECEIVED->ESTABLISHED, ESTABLISHED->CLOSE_WAIT, CLOSE_WAIT->LAST_ACK, "
              "LAST_ACK->CLOSED");
    const auto client_sent = Pair::texts(p.client.host, c0);
    ASSERT_EQ(client_sent.size(), 3u);  // FIN, ACK of the data, ACK of the FIN
    EXPECT_EQ(client_sent[2],
              "[.] seq " + seq_text(C + 1) + " ack " + seq_text(S + 3) + " win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
    EXPECT_EQ(p.server.host.counters.get(Counter::kCurrEstab), 0u);
    EXPECT_EQ(p.client.host.counters.get(Counter::kCurrEstab), 0u);
    EXPECT_EQ(p.server.host.counters.get(Counter::kEstabResets), 0u);
}

TEST(Close, ThreeSegmentsWhenThePeerClosesAtOnce) {
    Pair p;
    established(p);
    const std::size_t c0 = p.client.host.sent.size();
    const std::size_t s0 = p.server.host.sent.size();
    p.client.conn->close(p.now);
    p.deliver();
    ASSERT_EQ(p.server.conn->state(), State::kCloseWait);
    // The application sees the end of the stream and closes before the delayed ACK fires.
    std::uint8_t buf[4];
    EXPECT_EQ(*p.server.conn->recv(buf, p.now), 0u);
    p.server.conn->close(p.now);
    p.deliver();
    const auto c = Pair::texts(p.client.host, c0);
    const auto s = Pair::texts(p.server.host, s0);
    ASSERT_EQ(c.size(), 2u);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(c[0], "[F.] seq " + seq_text(C) + " ack " + seq_text(S) + " win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
    EXPECT_EQ(s[0],
              "[F.] seq " + seq_text(S) + " ack " + seq_text(C + 1) + " win 510 [nop,nop,TS val 510000 ecr 11000] len 0");
    EXPECT_EQ(c[1],
              "[.] seq " + seq_text(C + 1) + " ack " + seq_text(S + 1) + " win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
    EXPECT_EQ(p.client.conn->state(), State::kTimeWait);
    EXPECT_EQ(p.server.conn->state(), State::kClosed);
    // The [F.] that acknowledges our FIN and carries the peer's: FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT at once.
    EXPECT_EQ(p.client.host.transitions_text(),
              "CLOSED->SYN_SENT, SYN_SENT->ESTABLISHED, ESTABLISHED->FIN_WAIT_1, FIN_WAIT_1->FIN_WAIT_2, "
              "FIN_WAIT_2->TIME_WAIT");
}

TEST(Close, SimultaneousCloseThroughClosing) {
    Pair p;
    established(p);
    const std::size_t c0 = p.client.host.sent.size();
    ASSERT_TRUE(p.client.conn->shutdown(ShutdownHow::kWrite, p.now));
    ASSERT_TRUE(p.server.conn->shutdown(ShutdownHow::kWrite, p.now));
    p.deliver();
    // Each FIN meets a FIN_WAIT_1 peer: ACK at once, CLOSING; the ACKs complete both.
    EXPECT_EQ(p.client.conn->state(), State::kTimeWait);
    EXPECT_EQ(p.server.conn->state(), State::kTimeWait);
    EXPECT_EQ(p.client.host.transitions_text(),
              "CLOSED->SYN_SENT, SYN_SENT->ESTABLISHED, ESTABLISHED->FIN_WAIT_1, FIN_WAIT_1->CLOSING, "
              "CLOSING->TIME_WAIT");
    const auto c = Pair::texts(p.client.host, c0);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[1],
              "[.] seq " + seq_text(C + 1) + " ack " + seq_text(S + 1) + " win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
}

TEST(Close, FinRidesOnTheLastDataHeldByNagle) {
    Pair p;
    established(p);
    const std::size_t s0 = p.server.host.sent.size();
    const std::uint8_t a[] = {'A'};
    const std::uint8_t bb[] = {'B', 'B'};
    ASSERT_EQ(*p.server.conn->send(a, p.now), 1u);
    ASSERT_EQ(*p.server.conn->send(bb, p.now), 2u);  // held: a short segment is unacknowledged
    EXPECT_EQ(p.server.host.sent.size(), s0 + 1);
    p.server.conn->close(p.now);  // Linux tcp_send_fin() pushes with Nagle off
    const auto s = Pair::texts(p.server.host, s0);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0], "[P.] seq " + seq_text(S) + " ack " + seq_text(C) + " win 510 [nop,nop,TS val 510000 ecr 11000] len 1");
    EXPECT_EQ(s[1], "[FP.] seq " + seq_text(S + 1) + " ack " + seq_text(C) + " win 510 [nop,nop,TS val 510000 ecr 11000] len 2");
    EXPECT_EQ(p.server.conn->state(), State::kFinWait1);
}

TEST(Close, OrphanHandsFinWait2ToATimeWaitEntry) {
    Pair p;
    established(p);
    p.client.conn->close(p.now);
    p.deliver();
    p.advance(0ms);  // the server's delayed ACK
    // close()d and its FIN acknowledged: Linux keeps no full socket in FIN_WAIT_2 (tcp_rcv_state_process()).
    EXPECT_EQ(p.client.conn->state(), State::kFinWait2);
    ASSERT_TRUE(p.client.conn->time_wait_handoff());
    EXPECT_TRUE(p.client.conn->time_wait_handoff()->fin_wait2);
    EXPECT_EQ(p.client.conn->time_wait_handoff()->timeout, 60s);  // tcp_fin_timeout
    const TimeWaitEntry e = make_time_wait(*p.client.conn, true, p.now);
    EXPECT_TRUE(e.fin_wait2());
    EXPECT_EQ(e.rcv_nxt, Seq32(S));
    EXPECT_EQ(e.snd_nxt, Seq32(C + 1));
    EXPECT_EQ(e.ts_recent, 510000u);
    EXPECT_EQ(e.window, 502);
}

TEST(Close, ClosingInSynSentSendsNothing) {
    Pair p;
    p.connect();
    const std::size_t c0 = p.client.host.sent.size();
    p.client.conn->close(p.now);
    EXPECT_EQ(p.client.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.host.sent.size(), c0);
    EXPECT_FALSE(p.client.conn->next_deadline());
}

}  // namespace
}  // namespace synack::tcp::test
