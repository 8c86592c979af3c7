// RFC 5961 and out-of-window segments on an established connection, with the reference kernel's answers
// (captured with a scripted peer against Linux 6.18): an in-window inexact RST and a SYN get a challenge ACK
// (at most one per tcp_invalid_ratelimit = 500 ms per connection), an out-of-window RST nothing, an ACK of data
// never sent a challenge ACK, an exact RST closes.
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

constexpr std::uint32_t C = kClientIss + 1;
constexpr std::uint32_t S = kServerIss + 1;

struct Established : EstablishedClient {
    std::string challenge() const {
        return "[.] seq " + std::to_string(C) + " ack " + std::to_string(S) + " win 502 [nop,nop,TS val " +
               std::to_string(ts_clock(p.now, kClientTsOffset)) + " ecr 510000] len 0";
    }
    Inject rst(std::uint32_t seq) const {
        Inject r;
        r.seq = seq;
        r.flags = wire::tcp_flags::kRst;
        r.window = 0;
        return r;
    }
};

TEST_F(Established, InWindowInexactRstGetsAChallengeAck) {
    inject(rst(S + 9));
    EXPECT_EQ(replies(), std::vector<std::string>{challenge()});
    EXPECT_EQ(p.client.conn->state(), State::kEstablished);
    EXPECT_EQ(mib(Counter::kTcpChallengeAck), 1u);
}

TEST_F(Established, ChallengeAcksAreRateLimitedPerConnection) {
    inject(rst(S + 9));
    p.now += 100ms;
    inject(rst(S + 10));  // within 500 ms: skipped
    EXPECT_EQ(replies().size(), 1u);
    EXPECT_EQ(mib(Counter::kTcpAckSkippedChallenge), 1u);
    p.now += 400ms;  // 500 ms after the first: allowed again
    inject(rst(S + 11));
    EXPECT_EQ(replies().size(), 2u);
    EXPECT_EQ(mib(Counter::kTcpChallengeAck), 2u);
}

TEST_F(Established, OutOfWindowRstIsDroppedSilently) {
    inject(rst(S + 10000000));
    EXPECT_TRUE(replies().empty());
    EXPECT_EQ(p.client.conn->state(), State::kEstablished);
    EXPECT_EQ(mib(Counter::kTcpChallengeAck), 0u);
    EXPECT_EQ(p.client.host.drops.back(), DropReason::kTcpInvalidSequence);
}

TEST_F(Established, ExactRstResets) {
    inject(rst(S));
    EXPECT_TRUE(replies().empty());
    EXPECT_EQ(p.client.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.conn->pending_error(), Errno::kConnReset);
    EXPECT_EQ(mib(Counter::kEstabResets), 1u);
}

TEST_F(Established, SynGetsAChallengeAckAndCountsInErrs) {
    Inject syn;
    syn.seq = S + 49;
    syn.flags = wire::tcp_flags::kSyn;
    syn.ts = {{110, 0}};
    inject(syn);
    EXPECT_EQ(replies(), std::vector<std::string>{challenge()});
    EXPECT_EQ(mib(Counter::kTcpSynChallenge), 1u);
    EXPECT_EQ(mib(Counter::kTcpChallengeAck), 1u);
    EXPECT_EQ(mib(Counter::kInErrs), 1u);  // tcp_rcv_established() counts it (syn_inerr)
    EXPECT_EQ(p.client.conn->state(), State::kEstablished);
}

TEST_F(Established, AckOfUnsentDataGetsAChallengeAck) {
    Inject a;
    a.seq = S;
    a.ack = C + 999;
    a.ts = {{510001, 11000}};
    inject(a);
    EXPECT_EQ(replies().size(), 1u);
    EXPECT_EQ(mib(Counter::kTcpChallengeAck), 1u);
    EXPECT_EQ(p.client.host.drops.back(), DropReason::kTcpAckUnsentData);
}

TEST_F(Established, BlindDataInjectionWithAnOldAckIsRefused) {
    // RFC 5961 §5.2: SEG.ACK below SND.UNA - MAX.SND.WND (here the bytes acknowledged so far: none).
    const std::uint8_t data[] = {'x'};
    ASSERT_EQ(*p.client.conn->send(data, p.now), 1u);
    p.deliver();
    sent0 = p.client.host.sent.size();
    Inject a;
    a.seq = S;
    a.ack = C - 100000;
    a.flags = wire::tcp_flags::kAck | wire::tcp_flags::kPsh;
    a.payload = {'w', 'w'};
    a.ts = {{510001, 11000}};
    inject(a);
    EXPECT_EQ(p.client.host.drops.back(), DropReason::kTcpTooOldAck);
    EXPECT_EQ(mib(Counter::kTcpChallengeAck), 1u);
    EXPECT_EQ(p.client.conn->readable_bytes(), 0u);  // the data was not taken
}

TEST_F(Established, DataBeyondTheWindowGetsADuplicateAck) {
    Inject d;
    d.seq = S + 200000;
    d.flags = wire::tcp_flags::kAck | wire::tcp_flags::kPsh;
    d.ack = C;
    d.payload = {'q', 'q'};
    d.ts = {{510001, 11000}};
    inject(d);
    EXPECT_EQ(replies(), std::vector<std::string>{challenge()});
    EXPECT_EQ(mib(Counter::kBeyondWindow), 1u);
    EXPECT_EQ(p.client.host.drops.back(), DropReason::kTcpInvalidSequence);
}

TEST_F(Established, RstAtRcvNxtMinusOneAfterTheFinResets) {
    ASSERT_TRUE(p.server.conn->shutdown(ShutdownHow::kWrite, p.now));
    p.deliver();
    ASSERT_EQ(p.client.conn->state(), State::kCloseWait);
    inject(rst(S));  // RCV.NXT is S + 1 now (the FIN): Linux tcp_reset_check() accepts RCV.NXT - 1
    EXPECT_EQ(p.client.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.conn->pending_error(), Errno::kPipe);
}

}  // namespace
}  // namespace synack::tcp::test
