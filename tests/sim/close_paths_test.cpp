// Whole connections on the simulated network, IPv4 and IPv6, with ISNs just below 2^32 so both directions'
// sequence numbers wrap in the middle of the data: the handshake, a Redis PING and PONG, then every way a
// connection closes — client first (three segments, the server closing as soon as it reads the end of the
// stream), server first (four segments), simultaneously (through CLOSING), half-closed (data still flowing the
// other way) and with the FIN riding on the last data ([FP.]). After every step: the exact segments sent (flags,
// seq, ack, window, options; TSval as the sender's first TSval plus the milliseconds of its clock since) and
// both sides' states.
//
// Where the expectations come from: RFC 9293 §3.5-3.6 for the segments and states; the reference kernel's own
// captures in tests/stack/linux/captured/ for the values Linux chooses — SYN win 64240 with mss 1460,sackOK,TS,
// nop,wscale 7 (active_close.txt), SYN-ACK win 65160 (passive_threeway.txt), IPv6 64800/64260 with mss 1440
// (ipv6_windows.txt); the scaled windows 502 (client) and 509 (server, 14 bytes unread) of the same captures,
// which are Linux's ALIGN(free space, 2^wscale) >> wscale: IPv6 gives 507 (64800) and 502 (64260 - 14); the
// quick ACK of the first data a side receives and the delayed ACK of a FIN once the side is in ping-pong mode
// (passive_threeway.txt: PING acknowledged at once, the FIN's ACK riding on the server's own FIN); FIN with the
// last data held by Nagle ([FP.], passive_fp.txt).
#include "sim/harness.hpp"

namespace synack::sim::test {
namespace {

const std::string kPing = "*1\r\n$4\r\nping\r\n";
const std::string kPong = "+PONG\r\n";

// Sequence numbers of the wrapped conversation.
constexpr std::uint32_t C = kWrapClientIsn;  // 4294967291: the client's SYN
constexpr std::uint32_t S = kWrapServerIsn;  // 4294967294: the server's SYN-ACK
constexpr std::uint32_t kClientData = C + 1;           // 4294967292: PING's first byte
constexpr std::uint32_t kClientAfterPing = C + 1 + 14;  // 10, past the wrap
constexpr std::uint32_t kServerData = S + 1;           // 4294967295: PONG's first byte
constexpr std::uint32_t kServerAfterPong = S + 1 + 7;   // 6, past the wrap
static_assert(kClientAfterPing == 10 && kServerAfterPong == 6);

struct Family {
    bool v6;
    const char* name;
    std::uint16_t syn_window;
    std::uint16_t mss;
    std::uint16_t synack_window;
    std::uint16_t client_window;  // scaled, after the handshake
    std::uint16_t server_window;  // scaled, from the ACK of PING on
};

const Family kV4{false, "IPv4", 64240, 1460, 65160, 502, 509};
const Family kV6{true, "IPv6", 64800, 1440, 64260, 507, 502};

std::string n(std::uint32_t v) { return std::to_string(v); }

class ClosePaths : public ::testing::TestWithParam<Family> {
protected:
    ClosePaths() : net(isn_config(GetParam().v6)) {}

    Endpoint server_endpoint() const { return {f().v6 ? net.server_v6() : net.server_v4(), kPort}; }
    const Family& f() const { return GetParam(); }

    std::string read(Stack& s, ConnectionId id, Instant now) {
        std::uint8_t buf[256];
        auto r = s.recv(id, buf, now);
        if (!r) return "<" + std::string(tcp::to_string(r.error())) + ">";
        return std::string(reinterpret_cast<const char*>(buf), *r);
    }
    // A side's state as ss shows it: after close() the application's handle is gone and the orphan goes on;
    // in TIME_WAIT a compact entry holds the 4-tuple while the socket itself is CLOSE, as Linux's tcp_done()
    // after tcp_time_wait() leaves it.
    static tcp::State state_of(const Stack& s, ConnectionId id, const tcp::FlowTuple& tuple) {
        const tcp::Connection* c = s.connection(id);
        if (c == nullptr) c = s.find_connection(tuple);
        if (c != nullptr && c->state() != tcp::State::kClosed) return c->state();
        return s.tuple_in_use(tuple) ? tcp::State::kTimeWait : tcp::State::kClosed;
    }
    tcp::State client_state() { return state_of(*net.client, client, client_tuple); }
    tcp::State server_state() { return state_of(*net.server, server, server_tuple); }
    // The packets sent since the last call, as "C …"/"S …" lines with timestamps relative to each side's first.
    std::vector<std::string> sent() {
        if (!base.side[0] || !base.side[1]) base = net.ts_base();
        auto t = net.texts(seen, &base);
        seen = net.captured.size();
        return t;
    }
    std::string win_c() const { return " win " + n(f().client_window); }
    std::string win_s() const { return " win " + n(f().server_window); }

    // The handshake and the PING/PONG exchange, one hop (1 ms) at a time; the client has read PONG at t = 4 ms.
    void converse() {
        listener = *net.server->listen(server_endpoint(), 128);
        client = *net.client->connect(server_endpoint(), net.client_now());
        const std::string mss = n(f().mss);
        EXPECT_EQ(sent(), std::vector<std::string>{"C [S] seq " + n(C) + " win " + n(f().syn_window) + " [mss " + mss +
                                                   ",sackOK,TS val c+0 ecr 0,nop,wscale 7] len 0"});
        EXPECT_EQ(client_state(), tcp::State::kSynSent);

        net.run_for(1ms);  // t = 1: the SYN arrives; the listener answers from a request entry
        EXPECT_EQ(sent(), std::vector<std::string>{"S [S.] seq " + n(S) + " ack " + n(C + 1) + " win " +
                                                   n(f().synack_window) + " [mss " + mss +
                                                   ",sackOK,TS val s+0 ecr c+0,nop,wscale 7] len 0"});
        EXPECT_EQ(net.server->request_count(), 1u);
        EXPECT_FALSE(net.server->accept(listener, net.server_now()));  // EAGAIN: not established yet

        net.run_for(1ms);  // t = 2: the SYN-ACK arrives
        EXPECT_EQ(client_state(), tcp::State::kEstablished);
        ASSERT_EQ(*net.client->send(client, bytes_of(kPing), net.client_now()), kPing.size());
        EXPECT_EQ(sent(), (std::vector<std::string>{
                              "C [.] seq " + n(C + 1) + " ack " + n(S + 1) + win_c() +
                                  " [nop,nop,TS val c+2 ecr s+0] len 0",
                              "C [P.] seq " + n(kClientData) + " ack " + n(S + 1) + win_c() +
                                  " [nop,nop,TS val c+2 ecr s+0] len 14",
                          }));

        net.run_for(1ms);  // t = 3: the third ACK makes the request a connection; PING is acknowledged at once
        auto accepted = net.server->accept(listener, net.server_now());
        ASSERT_TRUE(accepted);
        server = *accepted;
        client_tuple = net.client->connection(client)->tuple();
        server_tuple = net.server->connection(server)->tuple();
        EXPECT_EQ(server_state(), tcp::State::kEstablished);
        EXPECT_EQ(net.server->request_count(), 0u);
        EXPECT_EQ(read(*net.server, server, net.server_now()), kPing);  // whole, across the wrap
        ASSERT_EQ(*net.server->send(server, bytes_of(kPong), net.server_now()), kPong.size());
        EXPECT_EQ(sent(), (std::vector<std::string>{
                              "S [.] seq " + n(S + 1) + " ack " + n(kClientAfterPing) + win_s() +
                                  " [nop,nop,TS val s+2 ecr c+2] len 0",
                              "S [P.] seq " + n(kServerData) + " ack " + n(kClientAfterPing) + win_s() +
                                  " [nop,nop,TS val s+2 ecr c+2] len 7",
                          }));

        net.run_for(1ms);  // t = 4: PONG arrives, the first data the client receives: acknowledged at once
        EXPECT_EQ(read(*net.client, client, net.client_now()), kPong);
        EXPECT_EQ(sent(), std::vector<std::string>{"C [.] seq " + n(kClientAfterPing) + " ack " +
                                                   n(kServerAfterPong) + win_c() +
                                                   " [nop,nop,TS val c+4 ecr s+2] len 0"});
        const tcp::Connection& c = *net.client->connection(client);
        EXPECT_EQ(c.snd_una().raw(), kClientAfterPing);
        EXPECT_EQ(c.rcv_nxt().raw(), kServerAfterPong);
        EXPECT_EQ(c.iss().raw(), C);
        EXPECT_EQ(c.irs().raw(), S);
    }

    SimPair net;
    ListenerId listener;
    ConnectionId client;
    ConnectionId server;
    tcp::FlowTuple client_tuple;
    tcp::FlowTuple server_tuple;
    TsBase base;
    std::size_t seen = 0;
};

TEST_P(ClosePaths, ClientClosesFirstInThreeSegmentsThenTimeWaitExpires) {
    ASSERT_NO_FATAL_FAILURE(converse());
    ASSERT_TRUE(net.client->close(client, net.client_now()));
    EXPECT_EQ(sent(), std::vector<std::string>{"C [F.] seq " + n(kClientAfterPing) + " ack " + n(kServerAfterPong) +
                                               win_c() + " [nop,nop,TS val c+4 ecr s+2] len 0"});
    EXPECT_EQ(client_state(), tcp::State::kFinWait1);

    net.run_for(1ms);  // t = 5: the FIN arrives; the server (in ping-pong mode) delays its ACK …
    EXPECT_EQ(server_state(), tcp::State::kCloseWait);
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(read(*net.server, server, net.server_now()), "");  // … its application reads the end and closes
    ASSERT_TRUE(net.server->close(server, net.server_now()));
    EXPECT_EQ(sent(), std::vector<std::string>{"S [F.] seq " + n(kServerAfterPong) + " ack " +
                                               n(kClientAfterPing + 1) + win_s() +
                                               " [nop,nop,TS val s+4 ecr c+4] len 0"});
    EXPECT_EQ(server_state(), tcp::State::kLastAck);

    net.run_for(1ms);  // t = 6: the client's FIN is acknowledged and the server's arrives
    EXPECT_EQ(sent(), std::vector<std::string>{"C [.] seq " + n(kClientAfterPing + 1) + " ack " +
                                               n(kServerAfterPong + 1) + win_c() +
                                               " [nop,nop,TS val c+6 ecr s+4] len 0"});
    EXPECT_EQ(net.client->time_wait_count(), 1u);
    EXPECT_EQ(net.client->connection_count(), 0u);

    net.run_for(1ms);  // t = 7
    EXPECT_EQ(net.server->connection_count(), 0u);
    EXPECT_TRUE(sent().empty());
    net.run_for(60s);
    EXPECT_EQ(net.client->time_wait_count(), 0u);
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(net.client_trace.transitions(),
              (std::vector<std::string>{"CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->FIN_WAIT_1",
                                        "FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->TIME_WAIT", "TIME_WAIT->CLOSED"}));
    EXPECT_EQ(net.server_trace.transitions(),
              (std::vector<std::string>{"LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
                                        "ESTABLISHED->CLOSE_WAIT", "CLOSE_WAIT->LAST_ACK", "LAST_ACK->CLOSED"}));
}

TEST_P(ClosePaths, ServerClosesFirstInFourSegments) {
    ASSERT_NO_FATAL_FAILURE(converse());
    ASSERT_TRUE(net.server->close(server, net.server_now()));  // t = 4: before the ACK of PONG arrives
    EXPECT_EQ(sent(), std::vector<std::string>{"S [F.] seq " + n(kServerAfterPong) + " ack " + n(kClientAfterPing) +
                                               win_s() + " [nop,nop,TS val s+3 ecr c+2] len 0"});
    EXPECT_EQ(server_state(), tcp::State::kFinWait1);

    // t = 5: the FIN arrives; the client enters CLOSE_WAIT and ping-pong mode, so its ACK waits for the delayed
    // ACK timer (TCP_ATO_MIN, 40 ms) — its application is not closing.
    net.run_for(1ms);
    EXPECT_EQ(client_state(), tcp::State::kCloseWait);
    EXPECT_EQ(net.server->time_wait_count(), 0u);
    EXPECT_TRUE(sent().empty());
    net.run_for(100ms);
    ASSERT_EQ(net.captured.size(), seen + 1);
    const Packet& ack = net.captured[seen];
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(ack.at - net.captured[seen - 1].at).count(),
              1 + 40);
    const auto ts = net.ms_between(0, net.captured[0].at, ack.at);
    EXPECT_EQ(sent(), std::vector<std::string>{"C [.] seq " + n(kClientAfterPing) + " ack " +
                                               n(kServerAfterPong + 1) + win_c() + " [nop,nop,TS val c+" + n(ts) +
                                               " ecr s+3] len 0"});
    // The server's orphan leaves FIN_WAIT_2 to a time-wait entry (Linux tcp_time_wait(TCP_FIN_WAIT2)).
    EXPECT_EQ(net.server->time_wait_count(), 1u);
    EXPECT_EQ(net.server->connection_count(), 0u);

    EXPECT_EQ(read(*net.client, client, net.client_now()), "");
    const Instant closing = net.now();
    ASSERT_TRUE(net.client->close(client, net.client_now()));
    const auto tc = net.ms_between(0, net.captured[0].at, closing);
    EXPECT_EQ(sent(), std::vector<std::string>{"C [F.] seq " + n(kClientAfterPing) + " ack " +
                                               n(kServerAfterPong + 1) + win_c() + " [nop,nop,TS val c+" + n(tc) +
                                               " ecr s+3] len 0"});
    EXPECT_EQ(client_state(), tcp::State::kLastAck);

    net.run_for(1ms);  // the time-wait entry answers the FIN
    const auto ts2 = net.ms_between(1, net.captured[1].at, net.now());
    EXPECT_EQ(sent(), std::vector<std::string>{"S [.] seq " + n(kServerAfterPong + 1) + " ack " +
                                               n(kClientAfterPing + 1) + win_s() + " [nop,nop,TS val s+" + n(ts2) +
                                               " ecr c+" + n(tc) + "] len 0"});
    if (!f().v6) {
        EXPECT_EQ(net.captured.back().ip_id(), 0);  // from the entry: Linux's control socket
    }
    net.run_for(1ms);
    EXPECT_EQ(client_state(), tcp::State::kClosed);
    EXPECT_EQ(net.client->connection_count(), 0u);
    EXPECT_EQ(net.server->time_wait_count(), 1u);
    EXPECT_EQ(net.client_trace.transitions(),
              (std::vector<std::string>{"CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->CLOSE_WAIT",
                                        "CLOSE_WAIT->LAST_ACK", "LAST_ACK->CLOSED"}));
    EXPECT_EQ(net.server_trace.transitions(),
              (std::vector<std::string>{"LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
                                        "ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->FIN_WAIT_2",
                                        "FIN_WAIT_2->TIME_WAIT"}));
}

TEST_P(ClosePaths, SimultaneousCloseGoesThroughClosingOnBothSides) {
    ASSERT_NO_FATAL_FAILURE(converse());
    // t = 4: both applications close before either FIN arrives.
    ASSERT_TRUE(net.client->close(client, net.client_now()));
    ASSERT_TRUE(net.server->close(server, net.server_now()));
    EXPECT_EQ(sent(), (std::vector<std::string>{
                          "C [F.] seq " + n(kClientAfterPing) + " ack " + n(kServerAfterPong) + win_c() +
                              " [nop,nop,TS val c+4 ecr s+2] len 0",
                          "S [F.] seq " + n(kServerAfterPong) + " ack " + n(kClientAfterPing) + win_s() +
                              " [nop,nop,TS val s+3 ecr c+2] len 0",
                      }));
    EXPECT_EQ(client_state(), tcp::State::kFinWait1);
    EXPECT_EQ(server_state(), tcp::State::kFinWait1);

    // t = 5: each side gets the other's FIN in FIN_WAIT_1 (it does not acknowledge its own): CLOSING, and an ACK
    // at once (Linux tcp_fin(): FIN_WAIT1 → tcp_send_ack()). The client's segments reach the server first.
    net.run_for(1ms);
    EXPECT_EQ(sent(), (std::vector<std::string>{
                          "S [.] seq " + n(kServerAfterPong + 1) + " ack " + n(kClientAfterPing + 1) + win_s() +
                              " [nop,nop,TS val s+4 ecr c+4] len 0",
                          "C [.] seq " + n(kClientAfterPing + 1) + " ack " + n(kServerAfterPong + 1) + win_c() +
                              " [nop,nop,TS val c+5 ecr s+3] len 0",
                      }));
    EXPECT_EQ(client_state(), tcp::State::kClosing);
    EXPECT_EQ(server_state(), tcp::State::kClosing);

    net.run_for(1ms);  // t = 6: the ACKs arrive: TIME_WAIT on both sides
    EXPECT_TRUE(sent().empty());
    EXPECT_EQ(net.client->time_wait_count(), 1u);
    EXPECT_EQ(net.server->time_wait_count(), 1u);
    EXPECT_EQ(net.client->connection_count(), 0u);
    EXPECT_EQ(net.server->connection_count(), 0u);
    for (const TraceRecorder* t : {&net.client_trace, &net.server_trace}) {
        const auto tr = t->transitions();
        ASSERT_GE(tr.size(), 3u);
        EXPECT_EQ(std::vector<std::string>(tr.end() - 3, tr.end()),
                  (std::vector<std::string>{"ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->CLOSING", "CLOSING->TIME_WAIT"}));
    }
    net.run_for(60s);
    EXPECT_EQ(net.client->time_wait_count(), 0u);
    EXPECT_EQ(net.server->time_wait_count(), 0u);
}

TEST_P(ClosePaths, HalfCloseLetsTheOtherDirectionFlow) {
    ASSERT_NO_FATAL_FAILURE(converse());
    ASSERT_TRUE(net.client->shutdown(client, tcp::ShutdownHow::kWrite, net.client_now()));  // t = 4
    EXPECT_EQ(sent(), std::vector<std::string>{"C [F.] seq " + n(kClientAfterPing) + " ack " + n(kServerAfterPong) +
                                               win_c() + " [nop,nop,TS val c+4 ecr s+2] len 0"});
    EXPECT_EQ(client_state(), tcp::State::kFinWait1);
    auto more = net.client->send(client, bytes_of("x"), net.client_now());
    ASSERT_FALSE(more);
    EXPECT_EQ(more.error(), tcp::Errno::kPipe);

    net.run_for(1ms);  // t = 5: CLOSE_WAIT; the server still sends, and its data carries the ACK of the FIN
    EXPECT_EQ(server_state(), tcp::State::kCloseWait);
    EXPECT_EQ(read(*net.server, server, net.server_now()), "");
    const std::string ok = "+OK\r\n";
    ASSERT_EQ(*net.server->send(server, bytes_of(ok), net.server_now()), ok.size());
    EXPECT_EQ(sent(), std::vector<std::string>{"S [P.] seq " + n(kServerAfterPong) + " ack " +
                                               n(kClientAfterPing + 1) + win_s() +
                                               " [nop,nop,TS val s+4 ecr c+4] len 5"});

    net.run_for(1ms);  // t = 6: FIN_WAIT_2, still receiving; the data is acknowledged at once (quick ACK)
    EXPECT_EQ(client_state(), tcp::State::kFinWait2);
    EXPECT_EQ(read(*net.client, client, net.client_now()), ok);
    EXPECT_EQ(sent(), std::vector<std::string>{"C [.] seq " + n(kClientAfterPing + 1) + " ack " +
                                               n(kServerAfterPong + 5) + win_c() +
                                               " [nop,nop,TS val c+6 ecr s+4] len 0"});

    net.run_for(1ms);  // t = 7: the server closes its direction too
    ASSERT_TRUE(net.server->close(server, net.server_now()));
    EXPECT_EQ(sent(), std::vector<std::string>{"S [F.] seq " + n(kServerAfterPong + 5) + " ack " +
                                               n(kClientAfterPing + 1) + win_s() +
                                               " [nop,nop,TS val s+6 ecr c+6] len 0"});
    EXPECT_EQ(server_state(), tcp::State::kLastAck);

    net.run_for(1ms);  // t = 8
    EXPECT_EQ(client_state(), tcp::State::kTimeWait);
    EXPECT_EQ(net.client->connection(client)->state(), tcp::State::kClosed);  // the socket the application holds
    EXPECT_EQ(net.client->time_wait_count(), 1u);
    EXPECT_EQ(sent(), std::vector<std::string>{"C [.] seq " + n(kClientAfterPing + 1) + " ack " +
                                               n(kServerAfterPong + 6) + win_c() +
                                               " [nop,nop,TS val c+8 ecr s+6] len 0"});
    EXPECT_EQ(read(*net.client, client, net.client_now()), "");  // the end of the server's stream
    net.run_for(1ms);
    EXPECT_EQ(net.server->connection_count(), 0u);
    ASSERT_TRUE(net.client->close(client, net.client_now()));
    EXPECT_EQ(net.client->time_wait_count(), 1u);
    EXPECT_TRUE(sent().empty());
}

TEST_P(ClosePaths, FinRidesOnTheLastDataNagleHeld) {
    ASSERT_NO_FATAL_FAILURE(converse());
    net.run_for(1ms);  // t = 5: the server has the ACK of PONG: nothing in flight
    ASSERT_EQ(*net.server->send(server, bytes_of("a"), net.server_now()), 1u);
    ASSERT_EQ(*net.server->send(server, bytes_of("bc"), net.server_now()), 2u);  // Nagle: "a" is unacknowledged
    ASSERT_TRUE(net.server->close(server, net.server_now()));  // … close pushes it out, the FIN on it
    EXPECT_EQ(sent(), (std::vector<std::string>{
                          "S [P.] seq " + n(kServerAfterPong) + " ack " + n(kClientAfterPing) + win_s() +
                              " [nop,nop,TS val s+4 ecr c+4] len 1",
                          "S [FP.] seq " + n(kServerAfterPong + 1) + " ack " + n(kClientAfterPing) + win_s() +
                              " [nop,nop,TS val s+4 ecr c+4] len 2",
                      }));
    EXPECT_EQ(server_state(), tcp::State::kFinWait1);

    net.run_for(1ms);  // t = 6: "a" is acknowledged at once; the FIN's ACK waits (ping-pong after CLOSE_WAIT)
    EXPECT_EQ(client_state(), tcp::State::kCloseWait);
    EXPECT_EQ(sent(), std::vector<std::string>{"C [.] seq " + n(kClientAfterPing) + " ack " +
                                               n(kServerAfterPong + 1) + win_c() +
                                               " [nop,nop,TS val c+6 ecr s+4] len 0"});
    EXPECT_EQ(read(*net.client, client, net.client_now()), "abc");
    EXPECT_EQ(read(*net.client, client, net.client_now()), "");
    ASSERT_TRUE(net.client->close(client, net.client_now()));  // its FIN carries the ACK of the server's
    EXPECT_EQ(sent(), std::vector<std::string>{"C [F.] seq " + n(kClientAfterPing) + " ack " +
                                               n(kServerAfterPong + 4) + win_c() +
                                               " [nop,nop,TS val c+6 ecr s+4] len 0"});
    net.run_for(1ms);  // t = 7
    EXPECT_EQ(sent(), std::vector<std::string>{"S [.] seq " + n(kServerAfterPong + 4) + " ack " +
                                               n(kClientAfterPing + 1) + win_s() +
                                               " [nop,nop,TS val s+6 ecr c+6] len 0"});
    EXPECT_EQ(net.server->time_wait_count(), 1u);
    net.run_for(1ms);
    EXPECT_EQ(net.client->connection_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Families, ClosePaths, ::testing::Values(kV4, kV6),
                         [](const ::testing::TestParamInfo<Family>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace synack::sim::test
