// Retransmission timing end to end, as the reference kernel times it (captured: SYN at 0, 1, 2, 3, 4, 5, 7, 11,
// 19, 35, 67 s and ETIMEDOUT at 131 s; SYN-ACK at 0, 1, 3, 7, 15, 31 s and the request dropped at 63 s), and a
// whole lifecycle surviving loss.
#include <set>

#include "sim/harness.hpp"

namespace synack::sim::test {
namespace {

std::vector<std::int64_t> seconds_of_sends(const SimPair& net, int from, const std::string& flags, Instant start) {
    std::vector<std::int64_t> out;
    for (const Packet& p : net.captured) {
        if (p.from == from && p.flags() == flags) out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(p.at - start).count());
    }
    return out;
}

TEST(Timing, SynRetransmissionsLinearThenExponentialThenEtimedout) {
    SimPair net;
    net.lose = [](const Packet& p) { return p.from == 0; };  // nothing the client sends arrives
    const Instant start = net.now();
    const ConnectionId c = *net.client->connect(Endpoint{net.server_v4(), 80}, net.now());
    net.run_for(130s);
    EXPECT_EQ(seconds_of_sends(net, 0, "S", start),
              (std::vector<std::int64_t>{0, 1000, 2000, 3000, 4000, 5000, 7000, 11000, 19000, 35000, 67000}));
    ASSERT_NE(net.client->connection(c), nullptr);
    EXPECT_EQ(net.client->connection(c)->state(), tcp::State::kSynSent);
    net.run_for(1001ms);
    EXPECT_EQ(net.client->connection(c)->state(), tcp::State::kClosed);
    EXPECT_EQ(net.client->connection(c)->pending_error(), tcp::Errno::kTimedOut);
    const tcp::Mib& m = net.client->counters();
    EXPECT_EQ(m.get(tcp::Counter::kActiveOpens), 1u);
    EXPECT_EQ(m.get(tcp::Counter::kAttemptFails), 1u);
    EXPECT_EQ(m.get(tcp::Counter::kOutSegs), 1u);  // retransmissions are not new segments
    EXPECT_EQ(m.get(tcp::Counter::kRetransSegs), 10u);
    EXPECT_EQ(m.get(tcp::Counter::kTcpSynRetrans), 10u);
    EXPECT_EQ(m.get(tcp::Counter::kTcpTimeouts), 11u);
    EXPECT_EQ(m.get(tcp::Counter::kTcpAbortOnTimeout), 1u);
    EXPECT_EQ(m.get(tcp::Counter::kTcpTimeoutRehash), 10u);
}

TEST(Timing, SynRetransmissionsOverIpv6ChangeTheFlowLabel) {
    SimPair net;
    net.lose = [](const Packet& p) { return p.from == 0; };
    ASSERT_TRUE(net.client->connect(Endpoint{net.server_v6(), 80}, net.now()));
    net.run_for(3500ms);
    ASSERT_EQ(net.captured.size(), 4u);
    // Linux rethinks the flow hash on every RTO (sk_rethink_txhash()), so each SYN has a new flow label.
    EXPECT_NE(net.captured[0].flow_label(), net.captured[1].flow_label());
    EXPECT_NE(net.captured[1].flow_label(), net.captured[2].flow_label());
}

TEST(Timing, SynAckRetransmissionsThenTheRequestIsDropped) {
    SimPair net;
    ASSERT_TRUE(net.server->listen(Endpoint{net.server_v4(), 80}, 128));
    // Nothing the server sends arrives; and to keep the client's own SYN retransmissions out of the way, only
    // the first SYN reaches the server.
    int syns = 0;
    net.lose = [&](const Packet& p) { return p.from == 1 || (p.flags() == "S" && ++syns > 1); };
    const Instant start = net.now();
    ASSERT_TRUE(net.client->connect(Endpoint{net.server_v4(), 80}, net.now()));
    net.run_for(62s);
    const auto synacks = seconds_of_sends(net, 1, "S.", start);
    EXPECT_EQ(synacks, (std::vector<std::int64_t>{1, 1001, 3001, 7001, 15001, 31001}));
    EXPECT_EQ(net.server->request_count(), 1u);
    net.run_for(2s);
    EXPECT_EQ(net.server->request_count(), 0u);  // dropped 32 s after the last SYN-ACK: 63 s in all
    const tcp::Mib& m = net.server->counters();
    EXPECT_EQ(m.get(tcp::Counter::kOutSegs), 6u);  // every SYN-ACK counts (the reference kernel: 6)
    EXPECT_EQ(m.get(tcp::Counter::kRetransSegs), 5u);
    EXPECT_EQ(m.get(tcp::Counter::kTcpSynRetrans), 5u);
    EXPECT_EQ(m.get(tcp::Counter::kTcpTimeouts), 6u);
    EXPECT_EQ(m.get(tcp::Counter::kPassiveOpens), 0u);
    EXPECT_EQ(m.get(tcp::Counter::kAttemptFails), 0u);
}

TEST(Timing, LifecycleSurvivesLoss) {
    SimPair net;
    const ListenerId l = *net.server->listen(Endpoint{net.server_v4(), 6379}, 128);
    // Lose the first copy of the third ACK, the request, the response and both FINs.
    std::vector<std::string> lost;
    std::set<std::string> seen;
    net.lose = [&](const Packet& p) {
        const std::string key = std::to_string(p.from) + p.flags() + std::to_string(p.tcp().seq().raw()) + "/" +
                                std::to_string(p.tcp().payload().size());
        const bool first = seen.insert(key).second;
        const bool victim = first && (p.flags().find('P') != std::string::npos || p.flags().find('F') != std::string::npos);
        if (victim) lost.push_back(key);
        return victim;
    };
    const ConnectionId c = *net.client->connect(Endpoint{net.server_v4(), 6379}, net.now());
    net.run_for(10ms);
    const ConnectionId s = *net.server->accept(l, net.now());
    const std::string ping = "*1\r\n$4\r\nping\r\n";
    ASSERT_TRUE(net.client->send(c, wire::Bytes(reinterpret_cast<const std::uint8_t*>(ping.data()), ping.size()), net.now()));
    net.run_for(2s);
    std::uint8_t buf[64];
    ASSERT_EQ(*net.server->recv(s, buf, net.now()), ping.size());
    const std::string pong = "+PONG\r\n";
    ASSERT_TRUE(net.server->send(s, wire::Bytes(reinterpret_cast<const std::uint8_t*>(pong.data()), pong.size()), net.now()));
    net.run_for(2s);
    ASSERT_EQ(*net.client->recv(c, buf, net.now()), pong.size());
    ASSERT_TRUE(net.client->close(c, net.now()));
    net.run_for(2s);
    ASSERT_EQ(*net.server->recv(s, buf, net.now()), 0u);
    ASSERT_TRUE(net.server->close(s, net.now()));
    net.run_for(5s);
    EXPECT_EQ(lost.size(), 4u);
    EXPECT_EQ(net.client->connection_count(), 0u);
    EXPECT_EQ(net.server->connection_count(), 0u);
    EXPECT_EQ(net.client->time_wait_count(), 1u);
    EXPECT_GE(net.client->counters().get(tcp::Counter::kRetransSegs), 2u);
    EXPECT_GE(net.server->counters().get(tcp::Counter::kRetransSegs), 2u);
}

}  // namespace
}  // namespace synack::sim::test
