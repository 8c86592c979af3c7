// Opening variants: simultaneous open (RFC 9293 §3.5 figure 8) exactly as the reference kernel does it — the
// SYN-ACK carries the SYN's options and the final ACK a D-SACK of the peer's SYN —, option negotiation with peers
// that offer less, MSS defaults and floors, and the request entry answering a retransmitted SYN.
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

TEST(SimultaneousOpen, BothSidesGoThroughSynReceived) {
    TestHost ha;
    TestHost hb;
    ConnectionParams pa;
    pa.tuple = {kClientAddress, kServerAddress, 5555, 5555};
    pa.iss = Seq32(kClientIss);
    pa.ts_offset = kClientTsOffset;
    ConnectionParams pb;
    pb.tuple = {kServerAddress, kClientAddress, 5555, 5555};
    pb.iss = Seq32(kServerIss);
    pb.ts_offset = kServerTsOffset;
    Connection a(ha, pa);
    Connection b(hb, pb);
    Instant now = kStart;
    a.connect(now);
    b.connect(now);
    // The SYNs cross.
    b.on_segment(parse(ha.sent[0]), now);
    a.on_segment(parse(hb.sent[0]), now);
    EXPECT_EQ(a.state(), State::kSynReceived);
    EXPECT_EQ(b.state(), State::kSynReceived);
    ASSERT_EQ(ha.sent.size(), 2u);
    EXPECT_EQ(describe(ha.sent[1]), "[S.] seq 4294967290 ack 4294967001 win 64240 [mss 1460,sackOK,TS val 11000 ecr "
                                    "510000,nop,wscale 7] len 0");
    // The SYN-ACKs cross: each acknowledges the other's SYN.
    b.on_segment(parse(ha.sent[1]), now);
    a.on_segment(parse(hb.sent[1]), now);
    EXPECT_EQ(a.state(), State::kEstablished);
    EXPECT_EQ(b.state(), State::kEstablished);
    ASSERT_EQ(ha.sent.size(), 3u);
    EXPECT_EQ(describe(ha.sent[2]), "[.] seq 4294967291 ack 4294967001 win 502 [nop,nop,TS val 11000 ecr 510000,nop,nop,"
                                    "sack 1 {4294967000:4294967001}] len 0");
    EXPECT_EQ(ha.transitions_text(), "CLOSED->SYN_SENT, SYN_SENT->SYN_RECEIVED, SYN_RECEIVED->ESTABLISHED");
    EXPECT_EQ(ha.counters.get(Counter::kCurrEstab), 1u);
}

TEST(SimultaneousOpen, CloseInSynReceivedSendsFin) {
    TestHost ha;
    TestHost hb;
    ConnectionParams pa;
    pa.tuple = {kClientAddress, kServerAddress, 5555, 5555};
    pa.iss = Seq32(kClientIss);
    ConnectionParams pb;
    pb.tuple = {kServerAddress, kClientAddress, 5555, 5555};
    pb.iss = Seq32(kServerIss);
    Connection a(ha, pa);
    Connection b(hb, pb);
    a.connect(kStart);
    b.connect(kStart);
    a.on_segment(parse(hb.sent[0]), kStart);
    ASSERT_EQ(a.state(), State::kSynReceived);
    ASSERT_TRUE(a.shutdown(ShutdownHow::kWrite, kStart));  // Linux tcp_close_state(): SYN_RECV → FIN_WAIT1
    EXPECT_EQ(a.state(), State::kFinWait1);
    EXPECT_EQ(describe(ha.sent.back()).substr(0, 4), "[F.]");
}

TEST(Negotiation, PeerWithoutOptionsGetsNoneAndTheDefaultMss) {
    Pair p;
    p.connect();
    // A SYN-ACK with no options at all: no window scaling, timestamps or SACK; MSS 536 (RFC 9293 §3.7.1).
    Inject sa;
    sa.seq = kServerIss;
    sa.ack = kClientIss + 1;
    sa.flags = wire::tcp_flags::kSyn | wire::tcp_flags::kAck;
    sa.window = 8192;
    p.client.conn->on_segment(p.make(sa), p.now);
    Connection& c = *p.client.conn;
    EXPECT_EQ(c.state(), State::kEstablished);
    EXPECT_FALSE(c.window_scaling_enabled());
    EXPECT_FALSE(c.timestamps_enabled());
    EXPECT_FALSE(c.sack_enabled());
    EXPECT_EQ(c.mss(), 536);
    EXPECT_EQ(c.snd_wnd(), 8192u);
    EXPECT_EQ(c.rcv_wscale(), 0);
    // The ACK: no options, and an unscaled window (the SYN offered 64240).
    EXPECT_EQ(p.client.host.last_text(), "[.] seq 4294967291 ack 4294967001 win 64240 len 0");
}

TEST(Negotiation, SynAckAnswersOnlyWhatTheSynOffered) {
    Pair p;
    Inject syn;
    syn.seq = 1000;
    syn.flags = wire::tcp_flags::kSyn;
    syn.window = 8192;
    syn.to_server = true;
    syn.extra_options.mss(1200);
    p.to_listener(p.make(syn));
    ASSERT_TRUE(p.request);
    // MSS always (ours, not the peer's), nothing else; the window a multiple of our MSS: 44 × 1460.
    EXPECT_EQ(p.server.host.last_text(), "[S.] seq 4294967000 ack 1001 win 64240 [mss 1460] len 0");
    EXPECT_EQ(p.request->peer_mss, 1200);
}

TEST(Negotiation, PeerMssBelowTheFloorIsRaisedToTcpMinSndMss) {
    Pair p;
    p.connect();
    Inject sa;
    sa.seq = kServerIss;
    sa.ack = kClientIss + 1;
    sa.flags = wire::tcp_flags::kSyn | wire::tcp_flags::kAck;
    sa.extra_options.mss(20);
    p.client.conn->on_segment(p.make(sa), p.now);
    EXPECT_EQ(p.client.conn->mss(), 48);  // tcp_min_snd_mss
}

TEST(Negotiation, Ipv6DefaultMssIs1220) {
    TestHost h;
    ConnectionParams params;
    params.tuple = {*wire::IpAddress::parse("2001:2::1"), *wire::IpAddress::parse("2001:2::2"), 40000, 80};
    params.iss = Seq32(1);
    Connection c(h, params);
    c.connect(kStart);
    Segment sa{};
    sa.seq = Seq32(7);
    sa.ack = Seq32(2);
    sa.flags = wire::tcp_flags::kSyn | wire::tcp_flags::kAck;
    sa.window = 1000;
    c.on_segment(sa, kStart);
    EXPECT_EQ(c.state(), State::kEstablished);
    EXPECT_EQ(c.mss(), 1220);
}

TEST(RequestEntry, RetransmittedSynGetsTheSynAckAgainRateLimited) {
    Pair p;
    p.connect();
    const Wire syn = p.client.host.sent[0];
    p.to_listener(parse(syn));
    ASSERT_EQ(p.server.host.sent.size(), 1u);
    p.now += 1s;
    p.to_listener(parse(syn));  // the client retransmitted its SYN
    ASSERT_EQ(p.server.host.sent.size(), 2u);
    EXPECT_EQ(describe(p.server.host.sent[1]).substr(0, 4), "[S.]");
    p.now += 100ms;
    p.to_listener(parse(syn));  // within tcp_invalid_ratelimit: not again
    EXPECT_EQ(p.server.host.sent.size(), 2u);
    EXPECT_EQ(p.server.host.counters.get(Counter::kTcpAckSkippedSynRecv), 1u);
}

TEST(RequestEntry, UnacceptableAckIsResetByTheListener) {
    Pair p;
    p.connect();
    p.to_listener(parse(p.client.host.sent[0]));
    Inject bad;
    bad.seq = kClientIss + 1;
    bad.ack = 12345;
    bad.to_server = true;
    p.to_listener(p.make(bad));
    EXPECT_EQ(p.server.host.last_text(), "[R] seq 12345 win 0 len 0");
    EXPECT_TRUE(p.request);  // the request stays
}

TEST(RequestEntry, RstInWindowDropsTheRequest) {
    Pair p;
    p.connect();
    p.to_listener(parse(p.client.host.sent[0]));
    Inject rst;
    rst.seq = kClientIss + 1;
    rst.flags = wire::tcp_flags::kRst;
    rst.to_server = true;
    const std::size_t n = p.server.host.sent.size();
    p.to_listener(p.make(rst));
    EXPECT_FALSE(p.request);
    EXPECT_EQ(p.server.host.sent.size(), n);  // no reset for a reset
    EXPECT_EQ(p.server.host.counters.get(Counter::kEmbryonicRsts), 1u);
    EXPECT_EQ(p.server.host.counters.get(Counter::kAttemptFails), 1u);
}

}  // namespace
}  // namespace synack::tcp::test
