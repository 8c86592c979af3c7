#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "device/pcap_reader.hpp"
#include "runtime/sim_network.hpp"
#include "runtime/test_host.hpp"
#include "wire/icmpv4.hpp"
#include "wire/ipv4.hpp"

namespace synack::runtime {
namespace {

using test::Packet;
using test::TestHost;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

Packet bytes_of(std::size_t size, std::uint8_t fill) { return Packet(size, fill); }

Packet ipv4(std::size_t total, const char* src, const char* dst, bool df, std::uint8_t ttl = 64) {
    wire::Ipv4Builder h;
    h.identification = 0x4242;
    h.dont_fragment = df;
    h.ttl = ttl;
    h.protocol = wire::ip_protocol::kUdp;
    h.source = *wire::Ipv4Address::parse(src);
    h.destination = *wire::Ipv4Address::parse(dst);
    h.payload_length = static_cast<std::uint16_t>(total - h.size());
    Packet p(total, 0x61);
    h.write(p);
    return p;
}

std::string temp_path(const std::string& name) {
    return testing::TempDir() + "synack-sim-" + name + "-" + std::to_string(::getpid()) + ".pcap";
}

std::vector<char> file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(SimNetwork, StartsAtTheFixedEpoch) {
    SimNetwork net(1);
    EXPECT_EQ(net.now(), kSimEpoch);
    EXPECT_EQ(kSimEpoch.time_since_epoch(), seconds{1'735'689'600});  // 2025-01-01 00:00:00 UTC
    EXPECT_FALSE(net.next_event_time().has_value());
    EXPECT_TRUE(net.run_until_idle());
}

TEST(SimNetwork, DeliversAfterSerialisationAndPropagation) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    device::SimLinkConfig config;
    config.delay = milliseconds{5};
    config.rate_bps = 10'000'000;
    net.connect({a, 0}, {b, 0}, config);
    const Instant t0 = net.now();
    for (std::uint8_t i = 0; i < 3; ++i) host_a.send_at(t0, 0, bytes_of(1500, i));
    net.run_for(milliseconds{20});
    EXPECT_EQ(net.now(), t0 + milliseconds{20});
    ASSERT_EQ(host_b.received.size(), 3u);
    for (std::uint8_t i = 0; i < 3; ++i) {
        // 1500 bytes at 10 Mbit/s: 1.2 ms each, queued back to back, then 5 ms on the wire.
        EXPECT_EQ(host_b.received[i].at, t0 + (i + 1) * microseconds{1200} + milliseconds{5});
        EXPECT_EQ(host_b.received[i].interface, 0);
        EXPECT_EQ(host_b.received[i].bytes, bytes_of(1500, i));
    }
    EXPECT_TRUE(host_a.received.empty());
    EXPECT_EQ(net.link(0, LinkDirection::AToB).counters().delivered, 3u);
    EXPECT_EQ(net.link(0, LinkDirection::BToA).counters().offered, 0u);
}

TEST(SimNetwork, RunUntilProcessesEventsAtTheBoundaryAndStops) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    device::SimLinkConfig config;
    config.delay = milliseconds{1};
    net.connect({a, 0}, {b, 0}, config);
    const Instant t0 = net.now();
    host_a.send_at(t0 + milliseconds{1}, 0, bytes_of(10, 1));
    host_a.send_at(t0 + milliseconds{3}, 0, bytes_of(10, 2));
    net.run_until(t0 + milliseconds{2});  // the first arrives exactly at the boundary
    ASSERT_EQ(host_b.received.size(), 1u);
    EXPECT_EQ(host_b.received[0].at, t0 + milliseconds{2});
    EXPECT_EQ(host_a.timer_calls, std::vector<Instant>{t0 + milliseconds{1}});
    EXPECT_EQ(net.next_event_time(), t0 + milliseconds{3});
    EXPECT_TRUE(net.run_until_idle());
    EXPECT_EQ(net.now(), t0 + milliseconds{4});  // the clock stays at the last event
    ASSERT_EQ(host_b.received.size(), 2u);
    EXPECT_EQ(host_a.timer_calls.back(), t0 + milliseconds{3});
}

TEST(SimNetwork, SimultaneousEventsRunInTheOrderTheyWereScheduled) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    net.connect({a, 0}, {b, 0}, device::SimLinkConfig{});  // no delay: everything at one instant
    for (std::uint8_t i = 0; i < 50; ++i) host_a.send_now(0, bytes_of(1, i));
    net.run_until_idle();
    ASSERT_EQ(host_b.received.size(), 50u);
    for (std::uint8_t i = 0; i < 50; ++i) {
        EXPECT_EQ(host_b.received[i].bytes[0], i);
        EXPECT_EQ(host_b.received[i].at, kSimEpoch);
    }
}

TEST(SimNetwork, RunUntilIdleStopsAtTheEventLimit) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a", true);
    auto [b, host_b] = net.emplace_node<TestHost>("b", true);
    device::SimLinkConfig config;
    config.delay = microseconds{100};
    net.connect({a, 0}, {b, 0}, config);
    host_a.send_now(0, bytes_of(64, 7));  // two echoing hosts: ping-pong for ever
    EXPECT_FALSE(net.run_until_idle(1000));
    EXPECT_EQ(net.events_processed(), 1000u);
    EXPECT_EQ(net.now(), kSimEpoch + 1000 * microseconds{100});
    EXPECT_EQ(host_a.received.size() + host_b.received.size(), 1000u);
}

class DeadlineNode : public SimNode {
public:
    explicit DeadlineNode(const NodeContext&) {}
    void receive(stack::InterfaceId, wire::Bytes, Instant) override {}
    void on_timer(Instant now) override {
        calls.push_back(now);
        if (deadline && *deadline <= now) deadline = repeat ? std::optional<Instant>(now + *repeat) : std::nullopt;
    }
    std::optional<Instant> next_deadline() const override { return deadline; }
    std::optional<Instant> deadline;
    std::optional<Duration> repeat;
    std::vector<Instant> calls;
};

TEST(SimNetwork, TimersFollowTheNodesDeadline) {
    SimNetwork net(1);
    auto [id, node] = net.emplace_node<DeadlineNode>("timer");
    const Instant t0 = net.now();
    node.deadline = t0 + milliseconds{10};
    node.repeat = milliseconds{10};
    net.run_until(t0 + milliseconds{35});
    EXPECT_EQ(node.calls, (std::vector<Instant>{t0 + milliseconds{10}, t0 + milliseconds{20}, t0 + milliseconds{30}}));
    // Moved earlier between runs: picked up at the next run.
    node.calls.clear();
    node.deadline = t0 + milliseconds{36};
    net.run_until(t0 + milliseconds{37});
    EXPECT_EQ(node.calls, std::vector<Instant>{t0 + milliseconds{36}});
    // Moved later: the earlier event fires once with nothing due (a lower bound is fine), then the real one.
    node.calls.clear();
    node.repeat.reset();
    node.deadline = t0 + milliseconds{60};
    net.run_until(t0 + milliseconds{100});
    EXPECT_EQ(node.calls, (std::vector<Instant>{t0 + milliseconds{46}, t0 + milliseconds{60}}));
    // A deadline in the past fires at once.
    node.calls.clear();
    node.deadline = t0;
    net.run_until(t0 + milliseconds{100});
    EXPECT_EQ(node.calls, std::vector<Instant>{t0 + milliseconds{100}});
}

TEST(SimNetwork, ANodeStillDueAfterItsTimerDoesNotSpin) {
    SimNetwork net(1);
    auto [id, node] = net.emplace_node<DeadlineNode>("stuck");
    node.deadline = net.now();
    node.repeat = Duration{0};  // always due "now"
    EXPECT_FALSE(net.run_until_idle(5));
    ASSERT_EQ(node.calls.size(), 5u);
    EXPECT_EQ(node.calls[4] - node.calls[0], Duration{4});  // moved on by a nanosecond each time
}

TEST(SimNetwork, WakeReschedulesAfterAnOutsideChange) {
    SimNetwork net(1);
    auto [id, node] = net.emplace_node<DeadlineNode>("timer");
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    device::SimLinkConfig config;
    config.delay = milliseconds{5};
    const LinkId link = net.connect({a, 0}, {b, 0}, config);
    const Instant t0 = net.now();
    // An observer (outside any node's event) arms the timer node when the packet arrives.
    // (Structured bindings are captured by name: Clang 14 cannot capture them implicitly.)
    net.observe(link, [&net, &timer_node = node, timer = id](const LinkEvent& e) {
        if (e.kind != LinkEventKind::Delivered) return;
        timer_node.deadline = e.time + milliseconds{1};
        net.wake(timer);
    });
    host_a.send_now(0, bytes_of(20, 1));
    net.run_until(t0 + milliseconds{10});
    EXPECT_EQ(node.calls, std::vector<Instant>{t0 + milliseconds{6}});
}

TEST(SimNetwork, ObserversSeeEveryLinkEvent) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b", true);
    device::SimLinkConfig ab;
    ab.delay = milliseconds{2};
    ab.mtu = 100;
    ab.rate_bps = 8'000;  // 10 bytes take 10 ms
    ab.queue_packets = 1;
    device::SimLinkConfig ba;
    ba.delay = milliseconds{3};
    const LinkId link = net.connect({a, 0}, {b, 0}, ab, ba);
    std::vector<LinkEvent> events;
    std::vector<Packet> packets;
    net.observe(link, [&](const LinkEvent& e) {
        events.push_back(e);
        packets.emplace_back(e.packet.begin(), e.packet.end());
    });
    const Instant t0 = net.now();
    host_a.send_now(0, bytes_of(101, 1));  // too big
    host_a.send_now(0, bytes_of(10, 2));   // sent
    host_a.send_now(0, bytes_of(10, 3));   // the queue holds one: dropped
    net.run_until_idle();
    ASSERT_EQ(events.size(), 6u);
    const LinkEventKind kinds[] = {LinkEventKind::DroppedMtu, LinkEventKind::Sent,     LinkEventKind::DroppedQueue,
                                   LinkEventKind::Delivered,  LinkEventKind::Sent,     LinkEventKind::Delivered};
    const Instant times[] = {t0, t0, t0, t0 + milliseconds{12}, t0 + milliseconds{12}, t0 + milliseconds{15}};
    const LinkDirection directions[] = {LinkDirection::AToB, LinkDirection::AToB, LinkDirection::AToB,
                                        LinkDirection::AToB, LinkDirection::BToA, LinkDirection::BToA};
    const std::uint8_t fills[] = {1, 2, 3, 2, 2, 2};
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].kind, kinds[i]) << i;
        EXPECT_EQ(events[i].time, times[i]) << i;
        EXPECT_EQ(events[i].direction, directions[i]) << i;
        EXPECT_EQ(events[i].link, link);
        EXPECT_EQ(packets[i][0], fills[i]) << i;
    }
    ASSERT_EQ(host_a.received.size(), 1u);  // the echo
}

TEST(SimNetwork, LostAndDuplicatedCopiesAreReported) {
    SimNetwork net(5);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    device::SimLinkConfig config;
    config.loss = 0.3;
    config.duplicate = 0.3;
    const LinkId link = net.connect({a, 0}, {b, 0}, config);
    int sent = 0, lost = 0, delivered = 0, duplicates = 0;
    net.observe(link, [&](const LinkEvent& e) {
        sent += e.kind == LinkEventKind::Sent;
        lost += e.kind == LinkEventKind::Lost;
        delivered += e.kind == LinkEventKind::Delivered;
        duplicates += e.kind == LinkEventKind::Delivered && (e.flags & device::sim_copy::kDuplicate) != 0;
    });
    for (int i = 0; i < 1000; ++i) host_a.send_now(0, bytes_of(40, 9));
    net.run_until_idle();
    const auto& counters = net.link(link, LinkDirection::AToB).counters();
    EXPECT_EQ(sent, 1000);
    EXPECT_EQ(static_cast<std::uint64_t>(lost), counters.lost);
    EXPECT_EQ(static_cast<std::size_t>(delivered), host_b.received.size());
    EXPECT_EQ(sent + static_cast<int>(counters.duplicated), delivered + lost);
    EXPECT_GT(duplicates, 0);
}

TEST(SimNetwork, TapWritesBothDirectionsAsRawIpWithVirtualTimes) {
    const std::string sender_path = temp_path("tap-sender");
    const std::string receiver_path = temp_path("tap-receiver");
    {
        SimNetwork net(1);
        auto [a, host_a] = net.emplace_node<TestHost>("a");
        auto [b, host_b] = net.emplace_node<TestHost>("b", true);
        device::SimLinkConfig config;
        config.delay = microseconds{1500};
        const LinkId link = net.connect({a, 0}, {b, 0}, config);
        ASSERT_TRUE(net.tap(link, sender_path).ok());
        ASSERT_TRUE(net.tap(link, receiver_path, TapPoint::Receiver, device::TimestampPrecision::Micro).ok());
        host_a.send_at(net.now() + Duration{123}, 0, ipv4(60, "198.18.0.1", "198.18.0.2", true));
        net.run_until_idle();
        ASSERT_TRUE(net.flush_taps().ok());
    }
    const Packet expected = ipv4(60, "198.18.0.1", "198.18.0.2", true);
    // Sender: a → b at +123 ns and the echo b → a at +1.500123 ms; receiver: at +1.500123 ms and +3.000123 ms, in µs.
    const std::vector<std::uint32_t> sender_ns{123, 1'500'123};
    const std::vector<std::uint32_t> receiver_ns{1'500'000, 3'000'000};
    for (const auto& [path, nanos] : {std::pair{sender_path, sender_ns}, std::pair{receiver_path, receiver_ns}}) {
        auto reader = device::PcapReader::open(path, device::TimestampPrecision::Nano);
        ASSERT_TRUE(reader.ok()) << reader.error();
        EXPECT_EQ(reader->link_type(), 101u);
        device::CaptureRecord r;
        for (const std::uint32_t ns : nanos) {
            ASSERT_EQ(reader->next(r), device::PcapReader::Next::Record) << path;
            EXPECT_EQ(r.timestamp.seconds, 1'735'689'600);
            EXPECT_EQ(r.timestamp.nanoseconds, ns);
            EXPECT_EQ(r.wire_length, 60u);
            EXPECT_EQ(Packet(r.data.begin(), r.data.end()), expected);
        }
        EXPECT_EQ(reader->next(r), device::PcapReader::Next::End);
    }
    // A nanosecond file (magic a1b23c4d) and a microsecond one (a1b2c3d4), as libpcap writes them.
    const auto sender = file_bytes(sender_path);
    const auto receiver = file_bytes(receiver_path);
    ASSERT_GE(sender.size(), 4u);
    ASSERT_GE(receiver.size(), 4u);
    EXPECT_EQ(static_cast<unsigned char>(sender[0]), 0x4d);
    EXPECT_EQ(static_cast<unsigned char>(receiver[0]), 0xd4);
    std::remove(sender_path.c_str());
    std::remove(receiver_path.c_str());
}

TEST(SimNetwork, TapReportsAFileItCannotCreate) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    const LinkId link = net.connect({a, 0}, {b, 0}, device::SimLinkConfig{});
    EXPECT_FALSE(net.tap(link, "/nonexistent-dir/x.pcap").ok());
    EXPECT_FALSE(net.tap(link + 1, temp_path("nolink")).ok());
}

TEST(SimNetwork, ARouterBetweenTwoHostsForwardsFragmentsAndAnswersWithIcmp) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    auto [r, router] = net.add_router("r");
    router.router().add_interface({1500, *wire::Ipv4Address::parse("198.18.1.254"), std::nullopt});
    router.router().add_interface({1280, *wire::Ipv4Address::parse("198.18.2.254"), std::nullopt});
    router.router().add_route(*wire::Ipv4Address::parse("198.18.1.0"), 24, 0);
    router.router().add_route(*wire::Ipv4Address::parse("198.18.2.0"), 24, 1);
    device::SimLinkConfig lan;
    lan.delay = milliseconds{1};
    device::SimLinkConfig narrow = lan;
    narrow.mtu = 1280;
    net.connect({a, 0}, {r, 0}, lan);
    net.connect({r, 1}, {b, 0}, narrow);
    host_a.send_now(0, ipv4(1400, "198.18.1.1", "198.18.2.1", true));
    host_a.send_now(0, ipv4(1400, "198.18.1.1", "198.18.2.1", false));
    net.run_until_idle();
    // DF: "fragmentation needed", MTU 1280, back at a after 2 ms.
    ASSERT_EQ(host_a.received.size(), 1u);
    EXPECT_EQ(host_a.received[0].at, kSimEpoch + milliseconds{2});
    const auto ip = wire::Ipv4View::parse(host_a.received[0].bytes);
    ASSERT_TRUE(ip.ok());
    EXPECT_EQ(ip->source(), *wire::Ipv4Address::parse("198.18.1.254"));
    const auto icmp = wire::Icmpv4View::parse(ip->payload());
    EXPECT_EQ(icmp->type(), 3);
    EXPECT_EQ(icmp->code(), 4);
    EXPECT_EQ(icmp->next_hop_mtu(), 1280);
    // No DF: two fragments at b after 2 ms, TTL 63.
    ASSERT_EQ(host_b.received.size(), 2u);
    for (const auto& got : host_b.received) {
        EXPECT_EQ(got.at, kSimEpoch + milliseconds{2});
        EXPECT_EQ(wire::Ipv4View::parse(got.bytes)->ttl(), 63);
    }
    EXPECT_EQ(host_b.received[0].bytes.size(), 1276u);
    EXPECT_EQ(host_b.received[1].bytes.size(), 144u);  // 1400 - 20 - 1256 + 20
}

TEST(SimNetwork, NodeSeedsComeFromTheNetworkSeed) {
    auto seeds = [](std::uint64_t seed) {
        SimNetwork net(seed);
        auto [a, host_a] = net.emplace_node<TestHost>("a");
        auto [b, host_b] = net.emplace_node<TestHost>("b");
        return std::pair{host_a.seed(), host_b.seed()};
    };
    EXPECT_EQ(seeds(1), seeds(1));
    EXPECT_NE(seeds(1).first, seeds(1).second);
    EXPECT_NE(seeds(1), seeds(2));
}

TEST(SimNetwork, PacketsOnAnUnattachedInterfaceAreCountedAndDropped) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    host_a.send_now(3, bytes_of(20, 0));
    EXPECT_EQ(net.unattached_drops(), 1u);
    EXPECT_EQ(&net.node(a), &host_a);
    EXPECT_EQ(net.node_name(a), "a");
}

TEST(SimNetwork, AFailedFactoryLeavesNoNodeBehind) {
    SimNetwork net(1);
    EXPECT_THROW(net.add_node("none", [](const NodeContext&) { return std::unique_ptr<SimNode>(); }),
                 std::invalid_argument);
    EXPECT_THROW(net.add_node("throws", [](const NodeContext&) -> std::unique_ptr<SimNode> {
        throw std::runtime_error("no");
    }),
                 std::runtime_error);
    EXPECT_EQ(net.node_count(), 0u);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    EXPECT_EQ(a, 0u);
    EXPECT_TRUE(net.run_until_idle());
}

TEST(SimNetwork, AnInterfaceTakesOneLink) {
    SimNetwork net(1);
    auto [a, host_a] = net.emplace_node<TestHost>("a");
    auto [b, host_b] = net.emplace_node<TestHost>("b");
    auto [c, host_c] = net.emplace_node<TestHost>("c");
    net.connect({a, 0}, {b, 0}, device::SimLinkConfig{});
    EXPECT_THROW(net.connect({a, 0}, {c, 0}, device::SimLinkConfig{}), std::invalid_argument);
    EXPECT_THROW(net.connect({c, 0}, {b, 0}, device::SimLinkConfig{}), std::invalid_argument);
    EXPECT_THROW(net.connect({c, 1}, {c, 1}, device::SimLinkConfig{}), std::invalid_argument);
    EXPECT_THROW(net.connect({c, 0}, {9, 0}, device::SimLinkConfig{}), std::invalid_argument);
    // The failed attempts left c's interface 0 free.
    const LinkId link = net.connect({c, 0}, {b, 1}, device::SimLinkConfig{});
    EXPECT_EQ(net.endpoint(link, LinkDirection::AToB).node, c);
    EXPECT_EQ(net.endpoint(link, LinkDirection::BToA).interface, 1);
    EXPECT_EQ(net.link_count(), 2u);
}

}  // namespace
}  // namespace synack::runtime
