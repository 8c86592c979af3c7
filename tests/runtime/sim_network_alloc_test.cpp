// Once the pools and the event queue have grown to the traffic's high-water mark, running the simulated network
// allocates nothing per packet: counted with tests/support/allocation_counter.hpp.
#include <gtest/gtest.h>

#include "support/allocation_counter.hpp"

#include <array>

#include "runtime/sim_network.hpp"
#include "wire/ipv4.hpp"

namespace synack::runtime {
namespace {

// Answers every IPv4 packet with the same packet addressed back to its source (TTL reset), from a fixed buffer.
class Reflector : public SimNode {
public:
    explicit Reflector(const NodeContext& context) : sink_(context.sink) {}
    void receive(stack::InterfaceId interface, wire::Bytes packet, Instant) override {
        const auto ip = wire::Ipv4View::parse_strict(packet);
        if (!ip || packet.size() > buffer_.size()) return;
        ++received;
        wire::Ipv4Builder h;
        h.identification = ip->identification();
        h.protocol = ip->protocol();
        h.source = ip->destination();
        h.destination = ip->source();
        h.payload_length = static_cast<std::uint16_t>(ip->payload().size());
        std::copy(ip->payload().begin(), ip->payload().end(), buffer_.begin() + 20);
        h.write(buffer_);
        sink_.transmit(interface, wire::Bytes(buffer_.data(), packet.size()));
    }
    void on_timer(Instant) override {}
    std::optional<Instant> next_deadline() const override { return std::nullopt; }
    long received = 0;

private:
    stack::PacketSink& sink_;
    std::array<std::uint8_t, 1500> buffer_{};
};

TEST(SimNetworkAllocations, TheCounterSeesAnAllocation) {
    long seen = 0;
    SimNetwork* p = nullptr;
    {
        test::AllocationCounter counter;
        p = new SimNetwork(1);
        seen = counter.count();
    }
    delete p;
    EXPECT_GE(seen, 1);
}

TEST(SimNetworkAllocations, SteadyStateTrafficThroughARouterAllocatesNothing) {
    SimNetwork net(3);
    auto [a, host_a] = net.emplace_node<Reflector>("a");
    auto [b, host_b] = net.emplace_node<Reflector>("b");
    auto [r, router] = net.add_router("r");
    router.router().add_interface({1500, *wire::Ipv4Address::parse("198.18.1.254"), std::nullopt});
    router.router().add_interface({1500, *wire::Ipv4Address::parse("198.18.2.254"), std::nullopt});
    router.router().add_route(*wire::Ipv4Address::parse("198.18.1.0"), 24, 0);
    router.router().add_route(*wire::Ipv4Address::parse("198.18.2.0"), 24, 1);
    device::SimLinkConfig config;
    config.delay = std::chrono::milliseconds{2};
    config.jitter = std::chrono::microseconds{500};
    config.rate_bps = 100'000'000;
    net.connect({a, 0}, {r, 0}, config);
    net.connect({r, 1}, {b, 0}, config);
    long seen = 0;
    net.observe(0, [&](const LinkEvent& e) { seen += e.kind == LinkEventKind::Delivered; });
    // 32 packets bouncing between a and b for ever.
    for (std::uint16_t i = 0; i < 32; ++i) {
        wire::Ipv4Builder h;
        h.identification = i;
        h.protocol = wire::ip_protocol::kUdp;
        h.source = *wire::Ipv4Address::parse("198.18.1.1");
        h.destination = *wire::Ipv4Address::parse("198.18.2.1");
        h.payload_length = 1000;
        std::array<std::uint8_t, 1020> p{};
        h.write(p);
        net.sink(a).transmit(0, p);
    }
    net.run_for(std::chrono::seconds{1});  // warm-up
    const long before = host_a.received + host_b.received;
    long during = 0;
    {
        test::AllocationCounter counter;
        net.run_for(std::chrono::seconds{5});
        during = counter.count();
    }
    EXPECT_EQ(during, 0);
    EXPECT_GT(host_a.received + host_b.received - before, 10'000);
    EXPECT_GT(seen, 0);
}

}  // namespace
}  // namespace synack::runtime
