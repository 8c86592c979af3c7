// Two stacks end to end over IPv4 and IPv6: the handshake through a listener's request entry, a PING/PONG
// exchange, each way of closing, TIME_WAIT and its expiry — checked packet by packet (IP header fields
// included) and by the counters and state transitions each stack reports.
#include <cstring>

#include "sim/harness.hpp"

namespace synack::sim::test {
namespace {

const std::string kPing = "*1\r\n$4\r\nping\r\n";
const std::string kPong = "+PONG\r\n";

wire::Bytes bytes_of(const std::string& s) {
    return wire::Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

struct Session {
    SimPair net;
    ListenerId listener;
    ConnectionId client;
    ConnectionId server;

    explicit Session(bool v6 = false, const StackConfig& config = {}) : net(config) {
        const auto server_address = v6 ? net.server_v6() : net.server_v4();
        listener = *net.server->listen(Endpoint{server_address, 6379}, 128);
        client = *net.client->connect(Endpoint{server_address, 6379}, net.now());
    }
    void handshake() {
        net.run_for(10ms);
        auto a = net.server->accept(listener, net.now());
        ASSERT_TRUE(a);
        server = *a;
    }
    std::string read(Stack& s, ConnectionId id) {
        std::uint8_t buf[256];
        auto r = s.recv(id, buf, net.now());
        if (!r) return "<" + std::string(tcp::to_string(r.error())) + ">";
        return std::string(reinterpret_cast<const char*>(buf), *r);
    }
};

TEST(Lifecycle, HandshakeOverIpv4AsLinuxSendsIt) {
    Session s;
    s.handshake();
    ASSERT_EQ(s.net.captured.size(), 3u);
    const Packet& syn = s.net.captured[0];
    const Packet& synack = s.net.captured[1];
    const Packet& ack = s.net.captured[2];
    const std::uint32_t c_iss = syn.tcp().seq().raw();
    const std::uint32_t s_iss = synack.tcp().seq().raw();
    EXPECT_EQ(syn.flags(), "S");
    EXPECT_EQ(syn.tcp().window(), 64240);
    EXPECT_EQ(options_text(syn.tcp().options()).substr(0, 20), "mss 1460,sackOK,TS v");
    EXPECT_EQ(synack.flags(), "S.");
    EXPECT_EQ(synack.tcp().ack().raw(), c_iss + 1);
    EXPECT_EQ(synack.tcp().window(), 65160);
    EXPECT_EQ(ack.text().substr(0, 3), "[.]");
    EXPECT_EQ(ack.tcp().seq().raw(), c_iss + 1);
    EXPECT_EQ(ack.tcp().ack().raw(), s_iss + 1);
    EXPECT_EQ(ack.tcp().window(), 502);
    // IPv4: DF and TTL 64 everywhere; the SYN-ACK (from a request entry) has ID 0, the client's segments count
    // up from a random start (Linux inet_id).
    for (const Packet& p : s.net.captured) {
        const auto ip = *wire::Ipv4View::parse(p.bytes);
        EXPECT_TRUE(ip.dont_fragment());
        EXPECT_EQ(ip.ttl(), 64);
        EXPECT_TRUE(ip.header_checksum_valid());
        EXPECT_TRUE(p.tcp().checksum_valid(ip.source(), ip.destination()));
    }
    EXPECT_EQ(synack.ip_id(), 0);
    EXPECT_EQ(ack.ip_id(), static_cast<std::uint16_t>(syn.ip_id() + 1));
    // Ephemeral port: in ip_local_port_range, low's parity on the first pass.
    const std::uint16_t port = syn.tcp().source_port();
    EXPECT_GE(port, 32768);
    EXPECT_LE(port, 60999);
    EXPECT_EQ(port % 2, 0);

    EXPECT_EQ(s.net.client->connection(s.client)->state(), tcp::State::kEstablished);
    EXPECT_EQ(s.net.server->connection(s.server)->state(), tcp::State::kEstablished);
    EXPECT_EQ(s.net.client->counters().get(tcp::Counter::kActiveOpens), 1u);
    EXPECT_EQ(s.net.server->counters().get(tcp::Counter::kPassiveOpens), 1u);
    EXPECT_EQ(s.net.client->counters().get(tcp::Counter::kCurrEstab), 1u);
    EXPECT_EQ(s.net.server->counters().get(tcp::Counter::kCurrEstab), 1u);
    EXPECT_EQ(s.net.client->counters().get(tcp::Counter::kOutSegs), 2u);
    EXPECT_EQ(s.net.server->counters().get(tcp::Counter::kOutSegs), 1u);
    EXPECT_EQ(s.net.server->counters().get(tcp::Counter::kInSegs), 2u);
    const std::string port_text = std::to_string(port);
    EXPECT_EQ(s.net.client_trace.lines,
              (std::vector<std::string>{port_text + " CLOSED->SYN_SENT", port_text + " SYN_SENT->ESTABLISHED"}));
    EXPECT_EQ(s.net.server_trace.lines,
              (std::vector<std::string>{"6379 LISTEN->SYN_RECEIVED", "6379 SYN_RECEIVED->ESTABLISHED"}));
}

TEST(Lifecycle, PingPongThenClientClosesThreeSegmentsAndTimeWaitExpires) {
    Session s;
    s.handshake();
    ASSERT_EQ(*s.net.client->send(s.client, bytes_of(kPing), s.net.now()), kPing.size());
    s.net.run_for(5ms);
    EXPECT_EQ(s.read(*s.net.server, s.server), kPing);
    ASSERT_EQ(*s.net.server->send(s.server, bytes_of(kPong), s.net.now()), kPong.size());
    s.net.run_for(5ms);
    EXPECT_EQ(s.read(*s.net.client, s.client), kPong);
    const std::size_t before_close = s.net.captured.size();
    ASSERT_TRUE(s.net.client->close(s.client, s.net.now()));
    s.net.run_for(1ms);  // the FIN arrives; the server application sees the end of the stream and closes at once
    EXPECT_EQ(s.read(*s.net.server, s.server), "");
    ASSERT_TRUE(s.net.server->close(s.server, s.net.now()));
    s.net.run_for(10ms);
    const auto t = s.net.texts(before_close);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0].substr(0, 6), "C [F.]");
    EXPECT_EQ(t[1].substr(0, 6), "S [F.]");
    EXPECT_EQ(t[2].substr(0, 5), "C [.]");
    EXPECT_EQ(s.net.client->time_wait_count(), 1u);
    EXPECT_EQ(s.net.client->connection_count(), 0u);  // the orphan's block is gone; the entry keeps the 4-tuple
    EXPECT_EQ(s.net.server->connection_count(), 0u);
    EXPECT_EQ(s.net.server->counters().get(tcp::Counter::kCurrEstab), 0u);
    // TIME_WAIT lasts 60 s (TCP_TIMEWAIT_LEN).
    s.net.run_for(59990ms);
    EXPECT_EQ(s.net.client->time_wait_count(), 1u);
    s.net.run_for(20ms);
    EXPECT_EQ(s.net.client->time_wait_count(), 0u);
    EXPECT_EQ(s.net.client->counters().get(tcp::Counter::kTimeWaited), 1u);
    EXPECT_EQ(s.net.client_trace.lines.back().substr(s.net.client_trace.lines.back().find(' ')), " TIME_WAIT->CLOSED");
}

TEST(Lifecycle, Ipv6HandshakeMssFlowLabelsHopLimit) {
    Session s(true);
    s.handshake();
    ASSERT_EQ(s.net.captured.size(), 3u);
    const Packet& syn = s.net.captured[0];
    const Packet& synack = s.net.captured[1];
    EXPECT_FALSE(syn.v4());
    EXPECT_EQ(options_text(syn.tcp().options()).substr(0, 8), "mss 1440");  // 1500 - 40 - 20
    EXPECT_EQ(syn.tcp().window(), 64800);                                   // 45 × 1440
    EXPECT_EQ(synack.tcp().window(), 64260);                                // 45 × 1428 (MSS less timestamps)
    for (const Packet& p : s.net.captured) {
        const auto ip = *wire::Ipv6View::parse(p.bytes);
        EXPECT_EQ(ip.hop_limit(), 64);
        EXPECT_NE(ip.flow_label(), 0u);  // auto_flowlabels: from the connection's hash
        EXPECT_TRUE(p.tcp().checksum_valid(ip.source(), ip.destination()));
    }
    // The client's segments share its flow label; the server's SYN-ACK has its own.
    EXPECT_EQ(s.net.captured[0].flow_label(), s.net.captured[2].flow_label());
    EXPECT_NE(s.net.captured[0].flow_label(), s.net.captured[1].flow_label());
    EXPECT_EQ(s.net.server->connection(s.server)->mss(), 1428);
}

TEST(Lifecycle, ServerClosesFirstFourSegments) {
    Session s(true);
    s.handshake();
    const std::size_t c0 = s.net.captured.size();
    ASSERT_TRUE(s.net.server->close(s.server, s.net.now()));
    s.net.run_for(100ms);  // the client ACKs the FIN (delayed ACK) but its application has not closed yet
    EXPECT_EQ(s.net.client->connection(s.client)->state(), tcp::State::kCloseWait);
    EXPECT_EQ(s.read(*s.net.client, s.client), "");
    ASSERT_TRUE(s.net.client->close(s.client, s.net.now()));
    s.net.run_for(100ms);
    const auto t = s.net.texts(c0);
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0].substr(0, 6), "S [F.]");
    EXPECT_EQ(t[1].substr(0, 5), "C [.]");
    EXPECT_EQ(t[2].substr(0, 6), "C [F.]");
    EXPECT_EQ(t[3].substr(0, 5), "S [.]");
    // The server's orphan went FIN_WAIT_2 in a time-wait entry, then TIME_WAIT on the client's FIN; the ACK of
    // that FIN comes from the entry (Linux's control socket: no IP ID).
    EXPECT_EQ(s.net.server->time_wait_count(), 1u);
    EXPECT_EQ(s.net.client->connection_count(), 0u);
    EXPECT_EQ(s.net.client->time_wait_count(), 0u);
    EXPECT_EQ(s.net.server_trace.lines[s.net.server_trace.lines.size() - 1], "6379 FIN_WAIT_2->TIME_WAIT");
}

TEST(Lifecycle, SynToClosedPortIsRefused) {
    SimPair net;
    struct Events : StackEvents {
        std::vector<std::uint8_t> seen;
        void on_connection_event(ConnectionId, std::uint8_t e) override { seen.push_back(e); }
        void on_listener_event(ListenerId, std::uint8_t) override {}
    } events;
    net.client->set_event_handler(&events);
    const ConnectionId c = *net.client->connect(Endpoint{net.server_v4(), 9}, net.now());
    net.run_for(10ms);
    ASSERT_EQ(net.captured.size(), 2u);
    const std::uint32_t iss = net.captured[0].tcp().seq().raw();
    EXPECT_EQ(net.captured[1].text(), "[R.] seq 0 ack " + std::to_string(iss + 1) + " win 0 len 0");
    EXPECT_EQ(net.captured[1].ip_id(), 0);
    const tcp::Connection* conn = net.client->connection(c);
    ASSERT_NE(conn, nullptr);
    EXPECT_EQ(conn->state(), tcp::State::kClosed);
    EXPECT_EQ(conn->pending_error(), tcp::Errno::kConnRefused);
    ASSERT_FALSE(events.seen.empty());
    EXPECT_NE(events.seen.back() & tcp::event::kError, 0);
    EXPECT_EQ(net.server->counters().get(tcp::Counter::kOutRsts), 1u);
    EXPECT_EQ(net.server->drops(tcp::DropReason::kNoSocket), 1u);
    EXPECT_EQ(net.client->counters().get(tcp::Counter::kAttemptFails), 1u);
}

TEST(Lifecycle, AHandleGoesStaleWhenItsSlotIsReused) {
    // A refused connect leaves a CLOSED connection the application still holds; close() frees it, and the next
    // connection takes its slot. The old handle must not reach the new connection (the slot's generation moved).
    SimPair net;
    const ConnectionId first = *net.client->connect(Endpoint{net.server_v4(), 9}, net.now());
    net.run_for(10ms);
    ASSERT_NE(net.client->connection(first), nullptr);
    ASSERT_TRUE(net.client->close(first, net.now()));
    EXPECT_EQ(net.client->connection(first), nullptr);
    EXPECT_EQ(net.client->connection_count(), 0u);

    const ConnectionId second = *net.client->connect(Endpoint{net.server_v4(), 10}, net.now());
    EXPECT_EQ(second.index, first.index);
    EXPECT_NE(second.generation, first.generation);
    EXPECT_EQ(net.client->connection(first), nullptr);
    ASSERT_NE(net.client->connection(second), nullptr);
    EXPECT_EQ(net.client->connection(second)->tuple().remote_port, 10);
    EXPECT_FALSE(net.client->send(first, bytes_of("x"), net.now()));
}

TEST(Lifecycle, BadChecksumIsCountedAndDropped) {
    SimPair net;
    ASSERT_TRUE(net.server->listen(Endpoint{net.server_v4(), 6379}, 128));
    // The SYN arrives with a bit flipped: the server's input filter hands the stack the bad copy instead.
    net.lose = [&](const Packet& p) {
        if (p.from == 0 && p.flags() == "S") {
            std::vector<std::uint8_t> bad = p.bytes;
            bad[bad.size() - 1] ^= 0x01;  // flip a bit of the last option byte: the TCP checksum no longer holds
            net.server->receive(0, bad, p.at);
            return true;
        }
        return false;
    };
    ASSERT_TRUE(net.client->connect(Endpoint{net.server_v4(), 6379}, net.now()));
    net.run_for(10ms);
    EXPECT_EQ(net.server->counters().get(tcp::Counter::kInSegs), 1u);  // Linux counts it even if it is bad
    EXPECT_EQ(net.server->counters().get(tcp::Counter::kInCsumErrors), 1u);
    EXPECT_EQ(net.server->counters().get(tcp::Counter::kInErrs), 1u);
    EXPECT_EQ(net.server->drops(tcp::DropReason::kTcpCsum), 1u);
    EXPECT_EQ(net.server->request_count(), 0u);
    EXPECT_EQ(net.server_trace.lines, std::vector<std::string>{"drop TCP_CSUM"});
}

TEST(Lifecycle, TimeWaitOverflowSkipsTimeWaitWithoutReset) {
    StackConfig config;
    config.tcp_max_tw_buckets = 0;
    Session s(false, config);
    s.handshake();
    const std::size_t c0 = s.net.captured.size();
    ASSERT_TRUE(s.net.client->shutdown(s.client, tcp::ShutdownHow::kWrite, s.net.now()));
    s.net.run_for(100ms);
    ASSERT_TRUE(s.net.server->close(s.server, s.net.now()));
    s.net.run_for(100ms);
    EXPECT_EQ(s.net.client->time_wait_count(), 0u);
    EXPECT_EQ(s.net.client->counters().get(tcp::Counter::kTcpTimeWaitOverflow), 1u);
    for (const auto& line : s.net.texts(c0)) EXPECT_EQ(line.find("[R"), std::string::npos) << line;
    EXPECT_EQ(s.net.client->connection(s.client)->state(), tcp::State::kClosed);
}

}  // namespace
}  // namespace synack::sim::test

namespace synack::sim::test {
namespace {

TEST(Listener, ClosingItResetsConnectionsNotYetAccepted) {
    SimPair net;
    const ListenerId l = *net.server->listen(Endpoint{net.server_v4(), 6379}, 128);
    const ConnectionId c = *net.client->connect(Endpoint{net.server_v4(), 6379}, net.now());
    net.run_for(10ms);
    EXPECT_EQ(net.server->accept_queue_length(l), 1u);
    EXPECT_NE(net.server->poll(l) & tcp::poll_bits::kIn, 0u);
    const std::size_t n0 = net.captured.size();
    ASSERT_TRUE(net.server->close_listener(l, net.now()));
    net.run_for(10ms);
    ASSERT_EQ(net.captured.size(), n0 + 1);
    EXPECT_EQ(net.captured[n0].flags(), "R.");
    EXPECT_EQ(net.client->connection(c)->state(), tcp::State::kClosed);
    EXPECT_EQ(net.client->connection(c)->pending_error(), tcp::Errno::kConnReset);
    EXPECT_EQ(net.server->connection_count(), 0u);
    EXPECT_FALSE(net.server->accept(l, net.now()));
}

TEST(Listener, FinWait2OrphanGivesUpAfterTcpFinTimeout) {
    SimPair net;
    const ListenerId l = *net.server->listen(Endpoint{net.server_v4(), 6379}, 128);
    ASSERT_TRUE(net.client->connect(Endpoint{net.server_v4(), 6379}, net.now()));
    net.run_for(10ms);
    const ConnectionId s = *net.server->accept(l, net.now());
    ASSERT_TRUE(net.server->close(s, net.now()));  // the client never closes
    net.run_for(100ms);
    EXPECT_EQ(net.server->time_wait_count(), 1u);  // the orphan's FIN_WAIT_2 lives in a time-wait entry
    net.run_for(59s);
    EXPECT_EQ(net.server->time_wait_count(), 1u);
    net.run_for(1s);
    EXPECT_EQ(net.server->time_wait_count(), 0u);
    EXPECT_EQ(net.server_trace.lines.back(), "6379 FIN_WAIT_2->CLOSED");
}

}  // namespace
}  // namespace synack::sim::test
