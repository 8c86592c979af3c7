// Whole gauntlet runs (tools/gauntlet/run.hpp) on hand-made scenarios: clean and impaired transfers complete,
// a run is reproducible, a give-up is judged legitimate when both sides report it — and an altered delivery,
// a run past its time limit, or a side that never learns of a give-up, fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "runtime/stack_node.hpp"
#include "tools/gauntlet/run.hpp"
#include "wire/ipv4.hpp"
#include "wire/tcp.hpp"

namespace synack::tools::gauntlet {
namespace {

using namespace std::chrono_literals;

Scenario clean(std::uint64_t client_bytes, std::uint64_t server_bytes, bool ipv6 = false,
               CloseOrder order = CloseOrder::kEither) {
    Scenario s;
    s.seed = 1;
    s.network_seed = 11;
    s.ipv6 = ipv6;
    s.mtu = 1500;
    s.client_to_server.delay = 5ms;
    s.server_to_client.delay = 5ms;
    s.client = {.bytes = client_bytes, .stream_key = 101, .max_write = 10000, .max_read = 7000, .app_seed = 3};
    s.server = {.bytes = server_bytes, .stream_key = 202, .max_write = 3000, .max_read = 20000, .app_seed = 4};
    s.close_order = order;
    return s;
}

TEST(GauntletRun, CleanTransfersCompleteInEveryCloseOrder) {
    for (bool v6 : {false, true}) {
        for (CloseOrder order : {CloseOrder::kClientFirst, CloseOrder::kServerFirst, CloseOrder::kEither}) {
            const RunResult r = run_scenario(clean(300'000, 123'457, v6, order));
            EXPECT_TRUE(r.passed) << r.reason;
            EXPECT_EQ(r.outcome, "complete");
            EXPECT_EQ(r.bytes_delivered, 423'457u);
            EXPECT_GT(r.packets, 300'000u / 1460);
            // Settling runs the clock past TIME_WAIT.
            EXPECT_GT(r.virtual_time, r.transfer_time + 60s);
        }
    }
}

TEST(GauntletRun, NothingToSendStillOpensAndCloses) {
    const RunResult r = run_scenario(clean(0, 0));
    EXPECT_TRUE(r.passed) << r.reason;
    EXPECT_EQ(r.outcome, "complete");
    EXPECT_EQ(r.bytes_delivered, 0u);
    EXPECT_GE(r.packets, 7u);  // SYN, SYN-ACK, ACK, two FINs and their ACKs at least
}

// Every impairment at once: losses, duplicates, reordering and corruption make both sides send SACK blocks.
Scenario impaired() {
    Scenario s = clean(200'000, 150'000);
    for (device::SimLinkConfig* l : {&s.client_to_server, &s.server_to_client}) {
        l->loss = 0.05;
        l->duplicate = 0.02;
        l->reorder = 0.05;
        l->reorder_delay = 3ms;
        l->corrupt = 0.02;
        l->jitter = 1ms;
        l->rate_bps = 10'000'000;
        l->queue_packets = 20;
    }
    return s;
}

TEST(GauntletRun, SlowJitteryLinkCompletes) {
    // Timing only: a 10 Mbit/s link with a deep queue and jitter, nothing lost or reordered.
    Scenario s = clean(200'000, 150'000);
    for (device::SimLinkConfig* l : {&s.client_to_server, &s.server_to_client}) {
        l->jitter = 3ms;
        l->rate_bps = 10'000'000;
        l->queue_packets = 1000;
    }
    const RunResult r = run_scenario(s);
    EXPECT_TRUE(r.passed) << r.reason;
    EXPECT_EQ(r.outcome, "complete");
    EXPECT_EQ(r.bytes_delivered, 350'000u);
}

// Until 86d9084 a full-sized retransmission carrying SACK blocks exceeded the MTU and this failed with "the server
// sent a 1512-byte packet on its 1500-byte MTU interface".
TEST(GauntletRun, ImpairedTransferCompletes) {
    const RunResult r = run_scenario(impaired());
    EXPECT_TRUE(r.passed) << r.reason;
    EXPECT_EQ(r.outcome, "complete");
    EXPECT_EQ(r.bytes_delivered, 350'000u);
}

TEST(GauntletRun, ARunIsAFunctionOfItsScenario) {
    const RunResult a = run_scenario(impaired());
    const RunResult b = run_scenario(impaired());
    EXPECT_EQ(a.digest, b.digest);
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a.virtual_time, b.virtual_time);
    Scenario other = impaired();
    other.network_seed = 12;  // other losses, other ISNs
    EXPECT_NE(run_scenario(other).digest, a.digest);
}

// The TCP payload of an IPv4 packet, if any.
wire::MutableBytes payload_of(std::vector<std::uint8_t>& packet) {
    auto ip = wire::Ipv4View::parse(packet);
    if (!ip) return {};
    auto tcp = wire::TcpView::parse(ip->payload());
    if (!tcp) return {};
    const std::size_t offset = packet.size() - tcp->payload().size();
    return wire::MutableBytes(packet.data() + offset, tcp->payload().size());
}

TEST(GauntletRun, AnAlteredDeliveryFails) {
    // A middlebox swaps two 16-bit words of the first data segment the server gets: the Internet checksum is a
    // sum, so the segment still passes — only the application's check can see it.
    RunOptions o;
    bool altered = false;
    o.on_network = [&altered](runtime::TwoHostNetwork& net) {
        runtime::StackNode& server = net.server_node();
        server.set_input_filter([&altered, &server](stack::InterfaceId i, wire::Bytes packet, Instant now) {
            std::vector<std::uint8_t> copy(packet.begin(), packet.end());
            const wire::MutableBytes p = payload_of(copy);
            if (altered || p.size() < 4 || (p[0] == p[2] && p[1] == p[3])) return true;
            std::swap_ranges(p.begin(), p.begin() + 2, p.begin() + 2);
            altered = true;
            server.stack().receive(i, copy, now);
            return false;
        });
    };
    const RunResult r = run_scenario(clean(10'000, 10'000), o);
    EXPECT_TRUE(altered);
    EXPECT_FALSE(r.passed);
    EXPECT_NE(r.reason.find("client → server stream: byte 0 is"), std::string::npos) << r.reason;
}

TEST(GauntletRun, AHandshakeThatNeverCompletesIsALegitimateGiveUp) {
    Scenario s = clean(1000, 1000);
    s.client_to_server.loss = 1.0;  // no SYN ever arrives
    const RunResult r = run_scenario(s);
    EXPECT_TRUE(r.passed) << r.reason;
    EXPECT_EQ(r.outcome,
              "gave up: client connect ETIMEDOUT, server no connection (TCPAbortOnTimeout: client 1, server 0)");
    EXPECT_GT(r.transfer_time, 120s);  // tcp_syn_retries 6: 1+2+4+8+16+32+64 s
}

TEST(GauntletRun, BothSidesTimingOutIsALegitimateGiveUp) {
    // After the first 40 packets nothing gets through either way: both sides have data outstanding, so both
    // retransmit until tcp_retries2 gives up (ETIMEDOUT).
    RunOptions o;
    o.on_network = [](runtime::TwoHostNetwork& net) {
        auto count = std::make_shared<int>(0);
        auto cut = [count](stack::InterfaceId, wire::Bytes, Instant) { return ++*count <= 40; };
        net.client_node().set_input_filter(cut);
        net.server_node().set_input_filter(cut);
    };
    const RunResult r = run_scenario(clean(1'000'000, 1'000'000), o);
    EXPECT_TRUE(r.passed) << r.reason;
    EXPECT_EQ(r.outcome.rfind("gave up: client ", 0), 0u) << r.outcome;
    EXPECT_NE(r.outcome.find("ETIMEDOUT"), std::string::npos) << r.outcome;
}

// Only the client sends; after the handshake and a little data nothing reaches the server. The client gives up
// (ETIMEDOUT) without a word on the wire; the server has nothing of its own to send.
RunOptions one_sided_cut() {
    RunOptions o;
    o.on_network = [](runtime::TwoHostNetwork& net) {
        auto count = std::make_shared<int>(0);
        net.server_node().set_input_filter(
            [count](stack::InterfaceId, wire::Bytes, Instant) { return ++*count <= 10; });
    };
    return o;
}

TEST(GauntletRun, KeepaliveTellsTheSideWithNothingToSend) {
    Scenario s = clean(1'000'000, 0);
    s.close_order = CloseOrder::kClientFirst;
    const RunResult r = run_scenario(s, one_sided_cut());
    EXPECT_TRUE(r.passed) << r.reason;
    // The client gives up first (tcp_retries2, about 924.6 s), silently. The server's keepalive probes, from
    // TCP_KEEPIDLE on, go unanswered (the cut drops everything); after TCP_KEEPCNT of them it gives up too.
    EXPECT_EQ(r.outcome,
              "gave up: client send ETIMEDOUT, server recv ETIMEDOUT (TCPAbortOnTimeout: client 1, server 1)");
    EXPECT_LT(r.transfer_time, 300s + 10 * 75s);  // TCP_KEEPIDLE, then TCP_KEEPCNT probes TCP_KEEPINTVL apart
}

TEST(GauntletRun, AOneSidedGiveUpFails) {
    // Without keepalive the server waits for ever: the judge says so.
    Scenario s = clean(1'000'000, 0);
    s.close_order = CloseOrder::kClientFirst;
    RunOptions o = one_sided_cut();
    o.keepalive = false;
    const RunResult r = run_scenario(s, o);
    EXPECT_FALSE(r.passed);
    EXPECT_NE(r.reason.find("one side gave up and the other never learnt"), std::string::npos) << r.reason;
}

TEST(GauntletRun, ARunPastItsTimeLimitFails) {
    Scenario s = clean(2'000'000, 0);
    s.client_to_server.rate_bps = 1'000'000;  // 16 s of serialisation
    RunOptions o;
    o.time_limit = 5s;
    const RunResult r = run_scenario(s, o);
    EXPECT_FALSE(r.passed);
    EXPECT_NE(r.reason.find("not finished after 5.000 s of virtual time"), std::string::npos) << r.reason;
}

}  // namespace
}  // namespace synack::tools::gauntlet
