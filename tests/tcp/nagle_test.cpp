// Nagle, TCP_CORK, MSG_MORE and TCP_NODELAY as Linux applies them (tcp_nagle_test(), tcp_push()), slow start
// after idle (tcp_cwnd_restart()) and the not-sent low-water mark (tcp_poll()); conn_nagle.cpp.
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

constexpr std::uint32_t C = kClientIss + 1;

std::uint32_t seq_of(const Wire& w) { return wire::TcpView::parse(w.bytes)->seq().raw(); }
std::size_t len_of(const Wire& w) { return wire::TcpView::parse(w.bytes)->payload().size(); }

TEST(Nagle, SmallSegmentWaitsForTheAckOfTheLastSmallOne) {
    Pair p;
    established(p);
    std::vector<std::uint8_t> data(100, 'x');
    const std::size_t n0 = p.client.host.sent.size();
    ASSERT_EQ(*p.client.conn->send(data, p.now), 100u);
    ASSERT_EQ(*p.client.conn->send(data, p.now), 100u);
    ASSERT_EQ(p.client.host.sent.size(), n0 + 1);  // the second is held (tcp_minshall_check())
    p.client_read = n0 + 1;  // the peer does not see it yet
    p.client.conn->options().nodelay = true;
    p.client.conn->options().option_effects = option_effect::kPush | option_effect::kNaglePush;
    ASSERT_EQ(*p.client.conn->send({}, p.now), 0u);  // setsockopt(TCP_NODELAY, 1)'s push
    ASSERT_EQ(p.client.host.sent.size(), n0 + 2);
    EXPECT_EQ(seq_of(p.client.host.sent[n0 + 1]), C + 100);
    EXPECT_EQ(len_of(p.client.host.sent[n0 + 1]), 100u);
}

TEST(Nagle, CorkHoldsPartialSegmentsUntilUncorkedOrTheProbeTimer) {
    Pair p;
    established(p);
    p.client.conn->options().cork = true;
    std::vector<std::uint8_t> data(2000, 'x');
    const std::size_t n0 = p.client.host.sent.size();
    ASSERT_EQ(*p.client.conn->send(data, p.now), 2000u);
    ASSERT_EQ(p.client.host.sent.size(), n0 + 1);  // the full segment only
    EXPECT_EQ(len_of(p.client.host.sent[n0]), p.client.conn->mss());
    p.deliver();
    p.advance(1ms);  // ACKed: nothing in flight, the tail still corked
    const std::size_t n1 = p.client.host.sent.size();
    EXPECT_EQ(p.client.conn->unsent_bytes(), 2000u - p.client.conn->mss());
    // tcp_check_probe_timer(): max(RTO, 200 ms) later tcp_write_wakeup() sends the corked bytes with PSH.
    ASSERT_TRUE(p.client.conn->next_deadline());
    p.now = *p.client.conn->next_deadline();
    p.client.conn->on_timer(p.now);
    ASSERT_EQ(p.client.host.sent.size(), n1 + 1);
    EXPECT_EQ(describe(p.client.host.sent[n1]).substr(0, 4), "[P.]");
    EXPECT_EQ(p.client.conn->unsent_bytes(), 0u);
}

TEST(Nagle, MsgMoreHoldsTheTailForThatSendOnly) {
    Pair p;
    established(p);
    std::vector<std::uint8_t> data(100, 'x');
    const std::size_t n0 = p.client.host.sent.size();
    p.client.conn->options().more_next_send = true;
    ASSERT_EQ(*p.client.conn->send(data, p.now), 100u);
    EXPECT_EQ(p.client.host.sent.size(), n0);  // TCP_NAGLE_CORK for this push
    EXPECT_FALSE(p.client.conn->options().more_next_send);  // consumed
    ASSERT_EQ(*p.client.conn->send(data, p.now), 100u);  // no MSG_MORE: both go, in one segment
    ASSERT_EQ(p.client.host.sent.size(), n0 + 1);
    EXPECT_EQ(len_of(p.client.host.sent[n0]), 200u);
}

TEST(Nagle, FinIsNeverHeld) {
    Pair p;
    established(p);
    p.client.conn->options().cork = true;
    std::vector<std::uint8_t> data(100, 'x');
    const std::size_t n0 = p.client.host.sent.size();
    ASSERT_EQ(*p.client.conn->send(data, p.now), 100u);
    EXPECT_EQ(p.client.host.sent.size(), n0);
    ASSERT_TRUE(p.client.conn->shutdown(ShutdownHow::kWrite, p.now));  // tcp_send_fin(): TCP_NAGLE_OFF
    ASSERT_EQ(p.client.host.sent.size(), n0 + 1);
    EXPECT_EQ(describe(p.client.host.sent[n0]).substr(0, 5), "[FP.]");
}

TEST(SlowStartAfterIdle, CwndRestartsAfterAnIdleRto) {
    Pair p;
    established(p);
    p.client.conn->options().nodelay = true;
    std::vector<std::uint8_t> data(p.client.conn->mss(), 'x');
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(p.client.conn->send(data, p.now));
    p.deliver();
    p.advance(1ms);
    ASSERT_EQ(p.client.conn->snd_cwnd(), 20u);  // slow start: +10
    p.advance(2s);
    ASSERT_TRUE(p.client.conn->send(data, p.now));
    EXPECT_EQ(p.client.conn->snd_cwnd(), 10u);  // tcp_cwnd_restart(): halved per RTO idle, not below 10
}

TEST(SlowStartAfterIdle, OffKeepsTheWindow) {
    Pair p;
    p.client.host.config.tcp_slow_start_after_idle = false;
    established(p);
    p.client.conn->options().nodelay = true;
    std::vector<std::uint8_t> data(p.client.conn->mss(), 'x');
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(p.client.conn->send(data, p.now));
    p.deliver();
    p.advance(1ms);
    p.advance(2s);
    ASSERT_TRUE(p.client.conn->send(data, p.now));
    EXPECT_EQ(p.client.conn->snd_cwnd(), 20u);
}

TEST(NotsentLowat, PollOutWhileTwiceTheUnsentBytesStayBelowTheMark) {
    Pair p;
    established(p);
    p.client.conn->options().cork = true;
    p.client.conn->options().notsent_lowat = 1000;
    std::vector<std::uint8_t> data(400, 'x');
    ASSERT_TRUE(p.client.conn->send(data, p.now));
    EXPECT_NE(p.client.conn->poll() & poll_bits::kOut, 0u);  // 800 < 1000
    ASSERT_TRUE(p.client.conn->send(wire::Bytes(data.data(), 100), p.now));
    EXPECT_EQ(p.client.conn->poll() & poll_bits::kOut, 0u);  // 1000 is not below 1000
}

}  // namespace
}  // namespace synack::tcp::test
