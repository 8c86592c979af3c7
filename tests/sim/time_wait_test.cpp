// TIME_WAIT end to end, checked against the reference kernel's answers: a retransmitted FIN is ACKed again from
// the entry (IP ID 0, the timestamps echoed); a SYN with a higher sequence number reopens the 4-tuple with
// ISN = the old SND.NXT + 65537; tcp_tw_reuse lets connect() take an entry older than tcp_tw_reuse_delay.
#include "sim/harness.hpp"

namespace synack::sim::test {
namespace {

struct Closed {
    SimPair net;
    ListenerId listener;
    ConnectionId client;
    ConnectionId server;
    std::uint16_t client_port = 0;

    explicit Closed(const StackConfig& config = {}, std::optional<std::uint16_t> port = std::nullopt) : net(config) {
        listener = *net.server->listen(Endpoint{net.server_v4(), 6379}, 128);
        ConnectOptions o;
        if (port) o.local = Endpoint{net.client_v4(), *port};
        client = *net.client->connect(Endpoint{net.server_v4(), 6379}, net.now(), o);
        net.run_for(10ms);
        server = *net.server->accept(listener, net.now());
        client_port = net.captured[0].tcp().source_port();
        // The client closes first and ends in TIME_WAIT.
        EXPECT_TRUE(net.client->close(client, net.now()));
        net.run_for(100ms);
        EXPECT_TRUE(net.server->close(server, net.now()));
        net.run_for(100ms);
        EXPECT_EQ(net.client->time_wait_count(), 1u);
    }
};

TEST(TimeWait, RetransmittedFinIsAcknowledgedAgain) {
    Closed c;
    // The server's FIN again, as if the client's last ACK had been lost.
    const Packet* fin = nullptr;
    for (const Packet& p : c.net.captured) {
        if (p.from == 1 && p.flags() == "F.") fin = &p;
    }
    ASSERT_NE(fin, nullptr);
    const std::vector<std::uint8_t> copy = fin->bytes;
    const std::size_t n0 = c.net.captured.size();
    c.net.client->receive(0, copy, c.net.now());
    ASSERT_EQ(c.net.captured.size(), n0 + 1);
    const Packet& ack = c.net.captured.back();
    EXPECT_EQ(ack.flags(), ".");
    EXPECT_EQ(ack.ip_id(), 0);  // from the entry, as Linux's control socket sends it
    EXPECT_EQ(ack.tcp().ack().raw(), fin->tcp().seq().raw() + 1);
    EXPECT_EQ(options_text(ack.tcp().options()).substr(0, 11), "nop,nop,TS ");
    EXPECT_EQ(c.net.client->time_wait_count(), 1u);
}

TEST(TimeWait, NewSynWithHigherSequenceReopensWithIsnAfterTheOldOne) {
    // The server closes first, so its TIME_WAIT entry meets the client's next SYN on the same 4-tuple.
    SimPair fresh;
    const ListenerId l = *fresh.server->listen(Endpoint{fresh.server_v4(), 6379}, 128);
    ConnectOptions o;
    o.local = Endpoint{fresh.client_v4(), 40000};
    const ConnectionId client = *fresh.client->connect(Endpoint{fresh.server_v4(), 6379}, fresh.now(), o);
    fresh.run_for(10ms);
    const ConnectionId server = *fresh.server->accept(l, fresh.now());
    ASSERT_TRUE(fresh.server->close(server, fresh.now()));
    fresh.run_for(100ms);
    ASSERT_TRUE(fresh.client->close(client, fresh.now()));
    fresh.run_for(100ms);
    ASSERT_EQ(fresh.server->time_wait_count(), 1u);
    std::uint32_t server_snd_nxt = 0;
    for (const Packet& p : fresh.captured) {
        if (p.from == 1 && p.flags() == "F.") server_snd_nxt = p.tcp().seq().raw() + 1;
    }
    // The client closed second (LAST_ACK → CLOSED): the 4-tuple is free on its side. Its new SYN carries a newer
    // timestamp, which is what lets the server's entry accept it (the ISN, a keyed hash, may well be lower).
    fresh.run_for(1s);
    const std::size_t n0 = fresh.captured.size();
    const ConnectionId again = *fresh.client->connect(Endpoint{fresh.server_v4(), 6379}, fresh.now(), o);
    fresh.run_for(10ms);
    ASSERT_GE(fresh.captured.size(), n0 + 2);
    const Packet& syn = fresh.captured[n0];
    const Packet& synack = fresh.captured[n0 + 1];
    EXPECT_EQ(syn.flags(), "S");
    ASSERT_EQ(synack.flags(), "S.");
    // RFC 1122 §4.2.2.13 as Linux: the new ISN lies past the old connection's (tw_snd_nxt + 65535 + 2).
    EXPECT_EQ(synack.tcp().seq().raw(), server_snd_nxt + 65537);
    EXPECT_EQ(fresh.server->time_wait_count(), 0u);
    EXPECT_EQ(fresh.client->connection(again)->state(), tcp::State::kEstablished);
}

TEST(TimeWait, ReuseByConnectNeedsTcpTwReuseAndTheDelay) {
    StackConfig config;
    config.tcp_tw_reuse = 1;
    Closed c(config, 40000);
    SimPair& net = c.net;
    net.run_for(1s);  // older than tcp_tw_reuse_delay
    ConnectOptions o;
    o.local = Endpoint{net.client_v4(), 40000};
    const std::size_t n0 = net.captured.size();
    const ConnectionId again = *net.client->connect(Endpoint{net.server_v4(), 6379}, net.now(), o);
    EXPECT_EQ(net.client->counters().get(tcp::Counter::kTimeWaitRecycled), 1u);
    EXPECT_EQ(net.client->time_wait_count(), 0u);
    net.run_for(10ms);
    ASSERT_GT(net.captured.size(), n0);
    const Packet& syn = net.captured[n0];
    // The reused 4-tuple's SYN echoes the old peer timestamp (Linux copies ts_recent in tcp_twsk_unique()) and
    // its window is sized for the timestamp option: 45 × 1448 = 65160.
    const std::string opts = options_text(syn.tcp().options());
    EXPECT_EQ(opts.find("ecr 0"), std::string::npos) << opts;
    EXPECT_EQ(syn.tcp().window(), 65160);
    EXPECT_NE(net.client->connection(again), nullptr);
}

TEST(TimeWait, EphemeralChoiceSkipsATimeWaitTupleWithoutReuse) {
    StackConfig config;
    config.ip_local_port_range = {40000, 40001};  // two ports: 40000 first (low's parity)
    Closed c(config);
    ASSERT_EQ(c.client_port, 40000);
    const std::size_t n0 = c.net.captured.size();
    ASSERT_TRUE(c.net.client->connect(Endpoint{c.net.server_v4(), 6379}, c.net.now()));
    EXPECT_EQ(c.net.captured[n0].tcp().source_port(), 40001);  // 40000 is in TIME_WAIT (tcp_tw_reuse 2: not loopback)
    auto third = c.net.client->connect(Endpoint{c.net.server_v4(), 6379}, c.net.now());
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error(), tcp::Errno::kAddrNotAvail);
}

}  // namespace
}  // namespace synack::sim::test
