// The simulated link allocates nothing per packet once its pool has grown to the traffic's high-water mark: counted
// with tests/support/allocation_counter.hpp.
#include <gtest/gtest.h>

#include "support/allocation_counter.hpp"

#include <vector>

#include "device/sim_link.hpp"
#include "device/sim_router.hpp"

namespace synack::device {
namespace {

using test::AllocationCounter;

TEST(SimAllocations, TheCounterSeesAnAllocation) {
    AllocationCounter counter;
    auto* p = new std::vector<int>(100);
    const long seen = counter.count();
    delete p;
    EXPECT_GE(seen, 2);  // the vector and its elements: the replacement is in effect
}

TEST(SimAllocations, SteadyStateLinkTrafficAllocatesNothing) {
    SimLinkConfig config;
    config.delay = std::chrono::milliseconds{1};
    config.jitter = std::chrono::microseconds{50};
    config.rate_bps = 100'000'000;
    config.queue_packets = 25;
    config.loss = 0.01;
    config.duplicate = 0.01;
    config.reorder = 0.01;
    config.reorder_delay = std::chrono::microseconds{300};
    config.corrupt = 0.01;
    SimLink link(config);
    SimRandom random(4);
    std::vector<SimLinkDelivery> pending;
    pending.reserve(1000);
    const std::vector<std::uint8_t> packet(1200, 0x45);
    const Instant t0 = Instant{} + std::chrono::seconds{1};
    auto drive = [&](int from, int to) {
        for (int i = from; i < to; ++i) {
            // Bursts of 30 packets every 2 ms (96 us each on the wire): the queue fills, some packets drop.
            const Instant now = t0 + (i / 30) * std::chrono::milliseconds{2};
            std::erase_if(pending, [&](const SimLinkDelivery& d) {
                if (d.at > now) return false;
                link.release(d.packet);
                return true;
            });
            const SimLinkOutcome out = link.transmit(packet, now, random);
            for (int c = 0; c < out.count; ++c) pending.push_back(out.deliveries[c]);
        }
    };
    drive(0, 20'000);  // warm-up: the pool and the queue ring reach their high-water marks
    const std::size_t pool = link.pool_size();
    long during;
    {
        AllocationCounter counter;
        drive(20'000, 120'000);
        during = counter.count();
    }
    // Only a new high-water mark of packets in flight (a rare coincidence of duplicates and reordering) may add a
    // buffer to the pool: one allocation each (the pool's bookkeeping was reserved for the queue limit).
    EXPECT_LE(link.pool_size() - pool, 2u);
    EXPECT_EQ(during, static_cast<long>(link.pool_size() - pool));
    EXPECT_GT(link.counters().dropped_queue, 0u);
    EXPECT_GT(link.counters().duplicated, 0u);
}

class NullOutput : public SimRouter::Output {
public:
    void transmit(SimInterfaceId, wire::Bytes packet) override { bytes += packet.size(); }
    std::size_t bytes = 0;
};

TEST(SimAllocations, RouterForwardingAndIcmpErrorsAllocateNothing) {
    SimRouter router;
    router.add_interface({1500, wire::Ipv4Address{{198, 18, 1, 254}}, std::nullopt});
    router.add_interface({1280, wire::Ipv4Address{{198, 18, 2, 254}}, std::nullopt});
    router.add_route(wire::Ipv4Address{{198, 18, 1, 0}}, 24, 0);
    router.add_route(wire::Ipv4Address{{198, 18, 2, 0}}, 24, 1);
    wire::Ipv4Builder h;
    h.protocol = 17;
    h.source = wire::Ipv4Address{{198, 18, 1, 1}};
    h.destination = wire::Ipv4Address{{198, 18, 2, 1}};
    std::vector<std::uint8_t> small(100), big_df(1400), big(1400);
    h.payload_length = 80;
    h.write(small);
    h.payload_length = 1380;
    h.dont_fragment = true;
    h.write(big_df);
    h.dont_fragment = false;
    h.write(big);
    NullOutput out;
    for (int i = 0; i < 10; ++i) {  // warm-up: the fragment header's options vector
        router.receive(0, small, out);
        router.receive(0, big, out);
    }
    long during;
    {
        AllocationCounter counter;
        for (int i = 0; i < 1000; ++i) {
            router.receive(0, small, out);
            router.receive(0, big_df, out);  // fragmentation needed
            router.receive(0, big, out);     // fragmented
        }
        during = counter.count();
    }
    EXPECT_EQ(during, 0);
    EXPECT_EQ(router.counters().icmp_errors, 1000u);
    EXPECT_EQ(router.counters().fragmented, 1010u);
}

}  // namespace
}  // namespace synack::device
