// The three-way handshake (RFC 9293 §3.5) with Linux's options, windows and timestamps. Expected segments
// are those the reference kernel sends (Linux 6.18, tcp_rmem max 6 MiB → wscale 7, MSS 1460 on a 1500 MTU):
// SYN win 64240 [mss 1460,sackOK,TS,nop,wscale 7], SYN-ACK win 65160, third ACK win 502 (64256 >> 7).
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

TEST(Handshake, ActiveOpenSendsLinuxSyn) {
    Pair p;
    p.connect();
    EXPECT_EQ(p.client.conn->state(), State::kSynSent);
    EXPECT_EQ(p.client.host.last_text(), "[S] seq 4294967290 win 64240 [mss 1460,sackOK,TS val 11000 ecr 0,nop,wscale 7] len 0");
    EXPECT_EQ(p.client.host.transitions_text(), "CLOSED->SYN_SENT");
    EXPECT_EQ(p.client.conn->snd_una(), Seq32(kClientIss));
    EXPECT_EQ(p.client.conn->snd_nxt(), Seq32(kClientIss + 1));
    EXPECT_EQ(p.client.host.counters.get(Counter::kActiveOpens), 1u);
    EXPECT_EQ(p.client.host.counters.get(Counter::kOutSegs), 1u);
    EXPECT_EQ(p.client.conn->next_deadline(), kStart + 1s);  // initial RTO 1 s (RFC 6298 §2.1)
}

TEST(Handshake, ThreeSegmentsBothSidesEstablished) {
    Pair p;
    established(p);
    ASSERT_EQ(p.client.host.sent.size(), 2u);
    ASSERT_EQ(p.server.host.sent.size(), 1u);
    EXPECT_EQ(describe(p.server.host.sent[0]),
              "[S.] seq 4294967000 ack 4294967291 win 65160 [mss 1460,sackOK,TS val 510000 ecr 11000,nop,wscale 7] len 0");
    EXPECT_EQ(describe(p.client.host.sent[1]), "[.] seq 4294967291 ack 4294967001 win 502 [nop,nop,TS val 11000 ecr 510000] len 0");
    EXPECT_EQ(p.client.host.transitions_text(), "CLOSED->SYN_SENT, SYN_SENT->ESTABLISHED");
    EXPECT_EQ(p.server.host.transitions_text(), "LISTEN->SYN_RECEIVED, SYN_RECEIVED->ESTABLISHED");
    // Both sides negotiated everything; timestamps take 12 bytes of each segment.
    for (Connection* c : {p.client.conn.get(), p.server.conn.get()}) {
        EXPECT_TRUE(c->timestamps_enabled());
        EXPECT_TRUE(c->sack_enabled());
        EXPECT_TRUE(c->window_scaling_enabled());
        EXPECT_EQ(c->snd_wscale(), 7);
        EXPECT_EQ(c->rcv_wscale(), 7);
        EXPECT_EQ(c->mss(), 1448);
        EXPECT_EQ(c->advmss(), 1448);
    }
    EXPECT_EQ(p.client.conn->snd_una(), Seq32(kClientIss + 1));
    EXPECT_EQ(p.client.conn->rcv_nxt(), Seq32(kServerIss + 1));
    EXPECT_EQ(p.client.conn->snd_wnd(), 65160u);       // the SYN-ACK's window, never scaled
    EXPECT_EQ(p.server.conn->snd_wnd(), 502u << 7);    // the third ACK's window, scaled
    EXPECT_EQ(p.server.conn->rcv_nxt(), Seq32(kClientIss + 1));
    EXPECT_EQ(p.server.conn->snd_una(), Seq32(kServerIss + 1));
    EXPECT_EQ(p.client.host.counters.get(Counter::kCurrEstab), 1u);
    EXPECT_EQ(p.server.host.counters.get(Counter::kPassiveOpens), 1u);
    EXPECT_EQ(p.server.host.counters.get(Counter::kCurrEstab), 1u);
    // Linux tcp_init_buffer_space(): the window clamp keeps one segment back: 65536 - 1448.
    EXPECT_EQ(p.client.conn->window_clamp(), 64088u);
    EXPECT_EQ(p.client.conn->rcv_ssthresh(), 64088u);
    // Nothing is in flight: no timer but none needed.
    EXPECT_FALSE(p.client.conn->next_deadline());
}

}  // namespace
}  // namespace synack::tcp::test
