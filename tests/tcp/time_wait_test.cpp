// The time-wait entry's rules (Linux tcp_timewait_state_process()), one segment at a time, as the reference
// kernel answers them: a retransmitted FIN is ACKed again; the orphan's FIN_WAIT_2 becomes TIME_WAIT on the FIN;
// new data or a SYN in FIN_WAIT_2 is reset; an RST ends TIME_WAIT (tcp_rfc1337 = 0); a SYN with a higher sequence
// number or a newer timestamp may reopen the 4-tuple.
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

constexpr std::uint32_t C = kClientIss + 1;
constexpr std::uint32_t S = kServerIss + 1;

// The client closed (orphan) and its FIN was acknowledged: a FIN_WAIT_2 entry.
struct TimeWaitEntries : ::testing::Test {
    Pair p;
    TimeWaitEntry e;
    void SetUp() override {
        established(p);
        p.client.conn->close(p.now);
        p.deliver();
        p.advance(0ms);
        ASSERT_TRUE(p.client.conn->time_wait_handoff());
        e = make_time_wait(*p.client.conn, true, p.now);
    }
    TimeWaitDecision feed(const Inject& in) {
        return time_wait_process(e, p.make(in), kClientTsOffset, p.now, p.client.host.config, p.client.host.counters);
    }
    Inject from_server(std::uint32_t seq, std::uint16_t flags, std::uint32_t tsval = 510100) {
        Inject in;
        in.seq = seq;
        in.ack = C + 1;
        in.flags = flags;
        in.ts = {{tsval, 11000}};
        return in;
    }
};

TEST_F(TimeWaitEntries, FinTurnsFinWait2IntoTimeWaitAndIsAcked) {
    const TimeWaitDecision d = feed(from_server(S, wire::tcp_flags::kFin | wire::tcp_flags::kAck));
    EXPECT_EQ(d.verdict, TimeWaitVerdict::kAck);
    EXPECT_TRUE(d.reschedule);
    EXPECT_FALSE(e.fin_wait2());
    EXPECT_EQ(e.rcv_nxt, Seq32(S + 1));
    EXPECT_EQ(e.ts_recent, 510100u);
    const Wire ack = TestHost::to_wire(p.client_tuple(), make_time_wait_ack(e, kClientTsOffset, p.now));
    EXPECT_EQ(describe(ack), "[.] seq " + std::to_string(C + 1) + " ack " + std::to_string(S + 1) +
                                 " win 502 [nop,nop,TS val 11000 ecr 510100] len 0");
    EXPECT_TRUE(ack.control);
}

TEST_F(TimeWaitEntries, RetransmittedFinInTimeWaitIsAckedAgain) {
    feed(from_server(S, wire::tcp_flags::kFin | wire::tcp_flags::kAck));
    p.now += 200ms;
    const TimeWaitDecision d = feed(from_server(S, wire::tcp_flags::kFin | wire::tcp_flags::kAck, 510300));
    EXPECT_EQ(d.verdict, TimeWaitVerdict::kAck);  // out of window: ACK at once (the FIN carries data, no rate limit)
    EXPECT_TRUE(d.reschedule);
    EXPECT_EQ(e.ts_recent, 510100u);  // not taken from an out-of-window segment (as the kernel's reply showed)
}

TEST_F(TimeWaitEntries, NewDataInFinWait2IsReset) {
    Inject d = from_server(S, wire::tcp_flags::kAck | wire::tcp_flags::kPsh);
    d.payload = {'x'};
    EXPECT_EQ(feed(d).verdict, TimeWaitVerdict::kReset);
}

TEST_F(TimeWaitEntries, SynInFinWait2IsReset) {
    Inject syn = from_server(S + 100, wire::tcp_flags::kSyn);
    EXPECT_EQ(feed(syn).verdict, TimeWaitVerdict::kReset);
}

TEST_F(TimeWaitEntries, RstEndsTimeWait) {
    feed(from_server(S, wire::tcp_flags::kFin | wire::tcp_flags::kAck));
    Inject rst = from_server(S + 1, wire::tcp_flags::kRst);
    rst.ts.reset();
    EXPECT_EQ(feed(rst).verdict, TimeWaitVerdict::kKill);
    p.client.host.config.tcp_rfc1337 = true;  // RFC 1337: ignore it instead
    EXPECT_EQ(feed(rst).verdict, TimeWaitVerdict::kConsume);
}

TEST_F(TimeWaitEntries, SynWithHigherSequenceMayReopen) {
    feed(from_server(S, wire::tcp_flags::kFin | wire::tcp_flags::kAck));
    Inject syn;
    syn.seq = S + 100;
    syn.flags = wire::tcp_flags::kSyn;
    syn.ts = {{510200, 0}};
    const TimeWaitDecision d = feed(syn);
    EXPECT_EQ(d.verdict, TimeWaitVerdict::kSyn);
    EXPECT_EQ(d.isn, Seq32(C + 1 + 65535 + 2));
    // A lower sequence number with an older timestamp is an old duplicate: just ACKed.
    Inject old;
    old.seq = S - 100;
    old.flags = wire::tcp_flags::kSyn;
    old.ts = {{510000, 0}};
    EXPECT_EQ(feed(old).verdict, TimeWaitVerdict::kAck);
}

TEST_F(TimeWaitEntries, ReuseByConnectNeedsTheSysctlTimestampsAndTheDelay) {
    feed(from_server(S, wire::tcp_flags::kFin | wire::tcp_flags::kAck));
    TcpSysctls sc;
    EXPECT_FALSE(time_wait_reusable(e, false, false, p.now + 2s, sc));  // tcp_tw_reuse 2: loopback only
    EXPECT_TRUE(time_wait_reusable(e, true, false, p.now + 2s, sc));
    EXPECT_FALSE(time_wait_reusable(e, true, false, p.now + 500ms, sc));  // younger than tcp_tw_reuse_delay
    EXPECT_TRUE(time_wait_reusable(e, false, true, p.now, sc));            // a port the application chose
    sc.tcp_tw_reuse = 0;
    EXPECT_FALSE(time_wait_reusable(e, true, false, p.now + 2s, sc));
}

}  // namespace
}  // namespace synack::tcp::test
