// Retransmission of data and FIN on RTO (RFC 6298 with Linux's estimator: RTO = SRTT + max(4·RTTVAR, 200 ms),
// doubling on each timeout; Karn's rule), and the end of a connection whose peer went silent (tcp_retries2).
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

constexpr std::uint32_t C = kClientIss + 1;

TEST(Retransmit, DataIsResentOnRtoWithBackoff) {
    Pair p;
    established(p);
    // The handshake measured an RTT of ~0 (1 µs) on the harness's instant wire: RTO = SRTT + rttvar (at least
    // tcp_rto_min), rounded up to the timer tick as Linux's usecs_to_jiffies() does: 201 ms.
    EXPECT_EQ(p.client.conn->rto_ms(), 201u);
    const std::uint8_t data[] = {'a', 'b', 'c'};
    ASSERT_EQ(*p.client.conn->send(data, p.now), 3u);
    const std::size_t n0 = p.client.host.sent.size();
    p.client_read = n0;  // lose what was sent
    const Instant t0 = p.now;
    std::vector<std::int64_t> at;
    for (int i = 0; i < 4; ++i) {
        const Instant d = *p.client.conn->next_deadline();
        at.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(d - t0).count());
        p.now = d;
        p.client.conn->on_timer(p.now);
        p.client_read = p.client.host.sent.size();  // and lose the retransmission too
    }
    EXPECT_EQ(at, (std::vector<std::int64_t>{201, 603, 1407, 3015}));  // ×2 each time (RFC 6298 §5.5)
    ASSERT_EQ(p.client.host.sent.size(), n0 + 4);
    EXPECT_EQ(describe(p.client.host.sent[n0]).substr(0, 23), "[P.] seq " + std::to_string(C) + " ack");
    EXPECT_EQ(p.client.host.counters.get(Counter::kRetransSegs), 4u);
    EXPECT_EQ(p.client.host.counters.get(Counter::kTcpTimeouts), 4u);
    EXPECT_EQ(p.client.conn->snd_cwnd(), 1u);  // RFC 5681 §3.1: one segment after an RTO
    // Delivered at last: acknowledged, the timer stops.
    p.client_read = p.client.host.sent.size() - 1;
    p.deliver();
    p.advance(300ms);
    EXPECT_EQ(p.client.conn->snd_una(), Seq32(C + 3));
    EXPECT_FALSE(p.client.conn->next_deadline());
}

TEST(Retransmit, FinIsResentUntilAcknowledged) {
    Pair p;
    established(p);
    ASSERT_TRUE(p.client.conn->shutdown(ShutdownHow::kWrite, p.now));
    const std::size_t n0 = p.client.host.sent.size();
    p.client_read = n0;  // the FIN is lost
    p.now = *p.client.conn->next_deadline();
    p.client.conn->on_timer(p.now);
    ASSERT_EQ(p.client.host.sent.size(), n0 + 1);
    EXPECT_EQ(describe(p.client.host.sent[n0]), "[F.] seq " + std::to_string(C) + " ack " +
                                                    std::to_string(kServerIss + 1) + " win 502 [nop,nop,TS val " +
                                                    std::to_string(ts_clock(p.now, kClientTsOffset)) + " ecr 510000] len 0");
    p.deliver();
    p.advance(1ms);
    EXPECT_EQ(p.client.conn->state(), State::kFinWait2);
    EXPECT_EQ(p.server.conn->state(), State::kCloseWait);
}

TEST(Retransmit, SilentPeerEndsTheConnectionAfterTcpRetries2) {
    Pair p;
    established(p);
    const std::uint8_t data[] = {'x'};
    ASSERT_EQ(*p.client.conn->send(data, p.now), 1u);
    const Instant t0 = p.now;
    while (p.client.conn->state() != State::kClosed) {
        p.now = *p.client.conn->next_deadline();
        p.client.conn->on_timer(p.now);
    }
    // Linux tcp_model_timeout(15, 200 ms): 200 ms × (2^10 − 1) + 6 × 120 s = 924.6 s after the first
    // transmission; it is checked when an RTO fires: the 16th, at 201 ms × (2^10 − 1) + 6 × 120 s.
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(p.now - t0).count(), 925623);
    EXPECT_EQ(p.client.conn->pending_error(), Errno::kTimedOut);
    EXPECT_EQ(p.client.host.counters.get(Counter::kTcpAbortOnTimeout), 1u);
    EXPECT_EQ(p.client.host.counters.get(Counter::kRetransSegs), 15u);
}

}  // namespace
}  // namespace synack::tcp::test

namespace synack::tcp::test {
namespace {

TEST(Keepalive, ProbesWithAnOldSequenceNumberThenResets) {
    Pair p;
    p.client.conn->options().keepalive = true;
    p.client.conn->options().keepalive_time = 1;
    p.client.conn->options().keepalive_intvl = 1;
    p.client.conn->options().keepalive_probes = 2;
    established(p);
    const std::size_t n0 = p.client.host.sent.size();
    p.client_read = 1000000;  // the peer hears nothing more
    for (int i = 0; i < 3; ++i) {
        p.now = *p.client.conn->next_deadline();
        p.client.conn->on_timer(p.now);
    }
    const auto sent = Pair::texts(p.client.host, n0);
    ASSERT_EQ(sent.size(), 3u);
    // Linux tcp_keepalive_timer(): tcp_keepalive_probes ACKs with SEG.SEQ = SND.UNA - 1, then a reset.
    EXPECT_EQ(sent[0].substr(0, 33), "[.] seq " + std::to_string(kClientIss) + " ack " + std::to_string(kServerIss + 1));
    EXPECT_EQ(sent[1].substr(0, 33), sent[0].substr(0, 33));
    EXPECT_EQ(sent[2].substr(0, 4), "[R.]");
    EXPECT_EQ(p.now, kStart + 3s);
    EXPECT_EQ(p.client.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.conn->pending_error(), Errno::kTimedOut);
    EXPECT_EQ(p.client.host.counters.get(Counter::kTcpKeepAlive), 2u);
}

}  // namespace
}  // namespace synack::tcp::test
