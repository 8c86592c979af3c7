// Resets as Linux sends and takes them (RFC 9293 §3.10.7.1, §3.5.2; tcp_v4_send_reset(), tcp_reset(),
// __tcp_close(), tcp_disconnect()). Expected segments as captured from the reference kernel:
//   SYN to a closed port          → [R.] seq 0 ack SEG.SEQ+1 win 0, no options
//   ACK to no connection          → [R] seq SEG.ACK win 0
//   close() with unread data      → [R.] seq SND.NXT ack RCV.NXT win <current> [nop,nop,TS …]
//   close() with SO_LINGER 0      → the same
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

constexpr std::uint32_t C = kClientIss + 1;
constexpr std::uint32_t S = kServerIss + 1;

TEST(ResetForNoConnection, SegmentWithoutAckGetsRstAckAtItsEnd) {
    Pair p;
    Inject syn;
    syn.seq = 777;
    syn.flags = wire::tcp_flags::kSyn;
    const Segment s = p.make(syn);
    const auto rst = make_reset(s);
    ASSERT_TRUE(rst);
    EXPECT_EQ(describe(TestHost::to_wire(p.server_tuple(), *rst)), "[R.] seq 0 ack 778 win 0 len 0");
    EXPECT_TRUE(rst->control);

    Inject fin_data;
    fin_data.seq = 777;
    fin_data.flags = wire::tcp_flags::kFin;
    fin_data.payload = {'x', 'y', 'z'};
    EXPECT_EQ(make_reset(p.make(fin_data))->ack, Seq32(781));  // SEG.SEQ + SEG.LEN, FIN counted
}

TEST(ResetForNoConnection, SegmentWithAckGetsRstAtItsAck) {
    Pair p;
    Inject ack;
    ack.seq = 777;
    ack.ack = 888;
    const auto rst = make_reset(p.make(ack));
    ASSERT_TRUE(rst);
    EXPECT_EQ(describe(TestHost::to_wire(p.server_tuple(), *rst)), "[R] seq 888 win 0 len 0");
}

TEST(ResetForNoConnection, NeverForAReset) {
    Pair p;
    Inject r;
    r.flags = wire::tcp_flags::kRst;
    EXPECT_FALSE(make_reset(p.make(r)));
}

TEST(ResetOnClose, UnreadDataMakesCloseSendRst) {
    Pair p;
    established(p);
    const std::uint8_t data[] = {'a', 'b', 'c'};
    ASSERT_EQ(*p.client.conn->send(data, p.now), 3u);
    p.deliver();
    const std::size_t s0 = p.server.host.sent.size();
    p.server.conn->close(p.now);
    ASSERT_EQ(p.server.host.sent.size(), s0 + 1);
    EXPECT_EQ(p.server.host.last_text(),
              "[R.] seq " + std::to_string(S) + " ack " + std::to_string(C + 3) +
                  " win 510 [nop,nop,TS val 510000 ecr 11000] len 0");
    EXPECT_EQ(p.server.conn->state(), State::kClosed);
    EXPECT_EQ(p.server.host.counters.get(Counter::kTcpAbortOnClose), 1u);
    EXPECT_EQ(p.server.host.counters.get(Counter::kOutRsts), 1u);
    EXPECT_EQ(p.server.host.counters.get(Counter::kEstabResets), 1u);
    // The peer takes the RST (SEG.SEQ = RCV.NXT exactly): CLOSED, ECONNRESET.
    p.deliver();
    EXPECT_EQ(p.client.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.conn->pending_error(), Errno::kConnReset);
    std::uint8_t buf[4];
    auto r = p.client.conn->recv(buf, p.now);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), Errno::kConnReset);
    EXPECT_EQ(*p.client.conn->recv(buf, p.now), 0u);  // the error is reported once; then end of stream
    EXPECT_EQ(p.client.host.counters.get(Counter::kEstabResets), 1u);
}

TEST(ResetOnClose, LingerZeroAborts) {
    Pair p;
    established(p);
    const std::size_t c0 = p.client.host.sent.size();
    p.client.conn->abort(p.now);
    ASSERT_EQ(p.client.host.sent.size(), c0 + 1);
    EXPECT_EQ(p.client.host.last_text(), "[R.] seq " + std::to_string(C) + " ack " + std::to_string(S) +
                                             " win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
    EXPECT_EQ(p.client.host.counters.get(Counter::kTcpAbortOnLinger), 1u);
    p.deliver();
    EXPECT_EQ(p.server.conn->state(), State::kClosed);
    EXPECT_EQ(p.server.conn->pending_error(), Errno::kConnReset);
}

TEST(ResetReceived, InSynSentRefusesTheConnection) {
    Pair p;
    p.connect();
    Inject rst;
    rst.seq = 0;
    rst.ack = C;  // acknowledges our SYN
    rst.flags = wire::tcp_flags::kRst | wire::tcp_flags::kAck;
    rst.window = 0;
    p.client.conn->on_segment(p.make(rst), p.now);
    EXPECT_EQ(p.client.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.conn->pending_error(), Errno::kConnRefused);
    EXPECT_EQ(p.client.host.counters.get(Counter::kAttemptFails), 1u);
    EXPECT_FALSE(p.client.conn->next_deadline());
}

TEST(ResetReceived, InSynSentWithoutAckIsIgnored) {
    Pair p;
    p.connect();
    Inject rst;
    rst.flags = wire::tcp_flags::kRst;
    p.client.conn->on_segment(p.make(rst), p.now);
    EXPECT_EQ(p.client.conn->state(), State::kSynSent);
}

TEST(ResetReceived, InCloseWaitReportsEpipe) {
    Pair p;
    established(p);
    ASSERT_TRUE(p.client.conn->shutdown(ShutdownHow::kWrite, p.now));
    p.deliver();
    ASSERT_EQ(p.server.conn->state(), State::kCloseWait);
    Inject rst;
    rst.seq = C + 1;
    rst.flags = wire::tcp_flags::kRst;
    rst.to_server = true;
    p.server.conn->on_segment(p.make(rst), p.now);
    EXPECT_EQ(p.server.conn->state(), State::kClosed);
    EXPECT_EQ(p.server.conn->pending_error(), Errno::kPipe);  // Linux tcp_reset(): "as BSD sees it"
}

TEST(ResetReceived, UnacceptableAckInSynSentIsAnsweredWithReset) {
    Pair p;
    p.connect();
    Inject bad;
    bad.seq = 5000;
    bad.ack = 12345;  // not our SYN
    bad.flags = wire::tcp_flags::kSyn | wire::tcp_flags::kAck;
    const std::size_t c0 = p.client.host.sent.size();
    p.client.conn->on_segment(p.make(bad), p.now);
    ASSERT_EQ(p.client.host.sent.size(), c0 + 1);
    EXPECT_EQ(p.client.host.last_text(), "[R] seq 12345 win 0 len 0");
    EXPECT_EQ(p.client.conn->state(), State::kSynSent);
}

TEST(ResetReceived, DataAfterCloseIsAnsweredWithReset) {
    Pair p;
    established(p);
    ASSERT_TRUE(p.server.conn->shutdown(ShutdownHow::kBoth, p.now));  // FIN_WAIT_1, no more reading
    const std::uint8_t data[] = {'x'};
    ASSERT_EQ(*p.client.conn->send(data, p.now), 1u);
    const std::size_t s0 = p.server.host.sent.size();
    p.deliver();
    EXPECT_EQ(p.server.conn->state(), State::kClosed);
    EXPECT_EQ(p.server.host.counters.get(Counter::kTcpAbortOnData), 1u);
    bool reset_sent = false;
    for (const auto& t : Pair::texts(p.server.host, s0)) reset_sent |= t.rfind("[R", 0) == 0;
    EXPECT_TRUE(reset_sent);
}

}  // namespace
}  // namespace synack::tcp::test
