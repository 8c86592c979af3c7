// A bulk transfer between two stacks in the simulator allocates nothing per packet once its buffers, windows and the
// simulator's pools have grown (issue 5, point 9: "allocations per packet in steady state — must be zero"). The same
// driver as the benchmark (bench/bulk_support.hpp), with every byte the server reads checked against what the client
// wrote; allocations counted with tests/support/allocation_counter.hpp.
#include <gtest/gtest.h>

#include "support/allocation_counter.hpp"

#include "../../bench/bulk_support.hpp"

namespace synack::bench {
namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;

void expect_steady_state_allocates_nothing(std::uint32_t mtu) {
    BulkSetup setup;
    setup.mtu = mtu;
    setup.verify = true;
    BulkTransfer t(setup);
    t.run_bytes(32 * kMiB);  // warm-up: handshake, buffers and pools at their high-water mark
    const std::uint64_t packets0 = t.packets();
    const std::uint64_t received0 = t.received();
    long allocations = 0;
    {
        test::AllocationCounter counter;
        t.run_bytes(32 * kMiB);
        allocations = counter.count();
    }
    const std::uint64_t packets = t.packets() - packets0;
    EXPECT_EQ(allocations, 0) << "over " << packets << " packets";
    EXPECT_GE(t.received() - received0, 32 * kMiB);
    // Data one way and ACKs the other: at least one full-sized segment's worth of packets per MSS of payload / 2.
    ASSERT_NE(t.client_connection(), nullptr);
    EXPECT_GT(packets, (32 * kMiB) / t.client_connection()->mss());
}

TEST(BulkTransferAllocations, SteadyStateAtMtu1500AllocatesNothingPerPacket) {
    expect_steady_state_allocates_nothing(1500);
}

TEST(BulkTransferAllocations, SteadyStateAtMtu65535AllocatesNothingPerPacket) {
    expect_steady_state_allocates_nothing(65535);
}

TEST(BulkTransferAllocations, TheCounterSeesTheSetUp) {
    long allocations = 0;
    {
        test::AllocationCounter counter;
        BulkTransfer t(BulkSetup{});
        t.run_bytes(kMiB);
        allocations = counter.count();
    }
    EXPECT_GT(allocations, 0);
}

}  // namespace
}  // namespace synack::bench
