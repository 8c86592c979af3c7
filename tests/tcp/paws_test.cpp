// PAWS (RFC 7323 §5) as the reference kernel applies it (captured against Linux 6.18): data with an old TSval
// gets a duplicate ACK (PAWSEstab); an old pure ACK below RCV.NXT is dropped silently (PAWSOldAck); a pure
// duplicate ACK at RCV.NXT whose TSval is within the replay window is accepted; an RST is never dropped by PAWS.
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

constexpr std::uint32_t C = kClientIss + 1;
constexpr std::uint32_t S = kServerIss + 1;

using Paws = EstablishedClient;

TEST_F(Paws, DataWithAnOldTimestampGetsADuplicateAck) {
    ASSERT_EQ(p.client.conn->ts_recent(), 510000u);
    Inject d;
    d.seq = S;
    d.ack = C;
    d.flags = wire::tcp_flags::kAck | wire::tcp_flags::kPsh;
    d.payload = {'z', 'z'};
    d.ts = {{509000, 11000}};  // older than ts_recent
    inject(d);
    EXPECT_EQ(replies(), std::vector<std::string>{"[.] seq " + std::to_string(C) + " ack " + std::to_string(S) +
                                                  " win 502 [nop,nop,TS val 11000 ecr 510000] len 0"});
    EXPECT_EQ(mib(Counter::kPawsEstab), 1u);
    EXPECT_EQ(p.client.conn->readable_bytes(), 0u);
    EXPECT_EQ(p.client.host.drops.back(), DropReason::kTcpRfc7323Paws);
}

TEST_F(Paws, OldPureAckBelowRcvNxtIsDroppedSilently) {
    Inject a;
    a.seq = S - 1;
    a.ack = C;
    a.ts = {{509000, 11000}};
    inject(a);
    EXPECT_TRUE(replies().empty());
    EXPECT_EQ(mib(Counter::kPawsOldAck), 1u);
    EXPECT_EQ(mib(Counter::kPawsEstab), 0u);
    EXPECT_EQ(p.client.host.drops.back(), DropReason::kTcpRfc7323PawsAck);
}

TEST_F(Paws, DuplicateAckWithinTheReplayWindowIsAccepted) {
    // First a current duplicate ACK, so SND.WL1 is at RCV.NXT (as after any segment from the peer).
    Inject current;
    current.seq = S;
    current.ack = C;
    current.ts = {{510000, 11000}};
    current.window = static_cast<std::uint16_t>(p.client.conn->snd_wnd() >> p.client.conn->snd_wscale());
    inject(current);
    ASSERT_EQ(p.client.conn->snd_wl1(), Seq32(S));
    Inject a;
    a.seq = S;
    a.ack = C;
    // 100 ms older than ts_recent: beyond PAWS's one-tick tolerance, within the replay window (1.2 × RTO).
    a.ts = {{509900, 11000}};
    // The window already known, so this is no window update (the SYN-ACK's 65160, as a scaled field).
    a.window = static_cast<std::uint16_t>(p.client.conn->snd_wnd() >> p.client.conn->snd_wscale());
    inject(a);
    EXPECT_TRUE(replies().empty());
    EXPECT_EQ(mib(Counter::kPawsOldAck), 0u);
    EXPECT_EQ(mib(Counter::kPawsEstab), 0u);
    EXPECT_TRUE(p.client.host.drops.empty());
}

TEST_F(Paws, ResetWithAnOldTimestampStillResets) {
    Inject r;
    r.seq = S;
    r.flags = wire::tcp_flags::kRst;
    r.window = 0;
    r.ts = {{1, 0}};
    inject(r);
    EXPECT_EQ(p.client.conn->state(), State::kClosed);
    EXPECT_EQ(p.client.conn->pending_error(), Errno::kConnReset);
}

TEST_F(Paws, DuplicateAcksForPawsAreRateLimited) {
    Inject d;
    d.seq = S;
    d.ack = C;
    d.flags = wire::tcp_flags::kAck | wire::tcp_flags::kPsh;
    d.payload = {'z'};
    d.ts = {{509000, 11000}};
    inject(d);
    // Data is never rate-limited (it cannot be an ACK loop)…
    inject(d);
    EXPECT_EQ(replies().size(), 2u);
    // …but a FIN-less, data-less segment failing PAWS is.
    Inject syn_like;
    syn_like.seq = S + 5;
    syn_like.ack = C + 1;  // not a duplicate ACK: fails the disordered-ACK exemption
    syn_like.ts = {{509000, 11000}};
    inject(syn_like);
    inject(syn_like);
    EXPECT_EQ(replies().size(), 3u);
    EXPECT_EQ(mib(Counter::kTcpAckSkippedPaws), 1u);
}

TEST(Wraparound, DataAndFinAcrossTwoToThe32) {
    Pair p;
    established(p);
    // The client's ISN is 2^32 - 6: its first data byte is 4294967291, the 10th byte is number 3.
    std::vector<std::uint8_t> data(10, 'a');
    ASSERT_EQ(*p.client.conn->send(data, p.now), 10u);
    ASSERT_TRUE(p.client.conn->shutdown(ShutdownHow::kWrite, p.now));
    p.deliver();
    p.advance(50ms);
    EXPECT_EQ(p.client.conn->snd_una(), Seq32(6));  // 4294967291 + 10 bytes + the FIN, modulo 2^32
    EXPECT_EQ(p.server.conn->rcv_nxt(), Seq32(6));
    std::uint8_t buf[16];
    EXPECT_EQ(*p.server.conn->recv(buf, p.now), 10u);
    EXPECT_EQ(*p.server.conn->recv(buf, p.now), 0u);
    EXPECT_EQ(p.client.conn->state(), State::kFinWait2);
    EXPECT_EQ(p.server.conn->state(), State::kCloseWait);
    EXPECT_EQ(describe(p.client.host.sent[2]),
              "[P.] seq 4294967291 ack " + std::to_string(kServerIss + 1) + " win 502 [nop,nop,TS val 11000 ecr 510000] len 10");
    EXPECT_EQ(describe(p.client.host.sent[3]),
              "[F.] seq 5 ack " + std::to_string(kServerIss + 1) + " win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
}

}  // namespace
}  // namespace synack::tcp::test
