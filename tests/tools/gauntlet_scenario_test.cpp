// The gauntlet's scenarios (tools/gauntlet/scenario.hpp): a seed names one scenario, and over many seeds every
// draw stays inside its range and every kind of run comes up.
#include <gtest/gtest.h>

#include <set>

#include "tools/gauntlet/scenario.hpp"

namespace synack::tools::gauntlet {
namespace {

using std::chrono::milliseconds;

TEST(GauntletScenario, ASeedNamesOneScenario) {
    const Scenario a = draw_scenario(1234);
    const Scenario b = draw_scenario(1234);
    EXPECT_EQ(describe(a), describe(b));
    EXPECT_EQ(a.network_seed, b.network_seed);
    EXPECT_EQ(a.client.stream_key, b.client.stream_key);
    EXPECT_EQ(a.server.app_seed, b.server.app_seed);
    EXPECT_NE(describe(a), describe(draw_scenario(1235)));
    EXPECT_NE(a.network_seed, draw_scenario(1235).network_seed);
}

TEST(GauntletScenario, DrawsStayInTheirRanges) {
    constexpr std::uint64_t kMax = 4 * kMiB;
    std::set<int> orders;
    int v6 = 0;
    int zero_bytes = 0;
    int max_bytes = 0;
    int lossless = 0;
    int heavy_loss = 0;
    int unlimited = 0;
    int corrupting = 0;
    int duplicating = 0;
    int reordering = 0;
    for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
        const Scenario s = draw_scenario(seed, {.max_bytes = kMax});
        ASSERT_EQ(s.seed, seed);
        ASSERT_LE(s.mtu, 9000u);
        ASSERT_GE(s.mtu, s.ipv6 ? 1280u : 576u) << describe(s);
        v6 += s.ipv6;
        orders.insert(static_cast<int>(s.close_order));
        for (const device::SimLinkConfig* l : {&s.client_to_server, &s.server_to_client}) {
            ASSERT_GE(l->loss, 0.0);
            ASSERT_LE(l->loss, 0.30);
            ASSERT_LE(l->duplicate, 0.05);
            ASSERT_LE(l->corrupt, 0.05);
            ASSERT_LE(l->reorder, 0.10);
            ASSERT_LE(l->delay, milliseconds(150));
            ASSERT_LE(l->jitter, milliseconds(10));
            ASSERT_LE(l->reorder_delay, milliseconds(50));
            if (l->rate_bps != 0) {
                ASSERT_GE(l->rate_bps, 1'000'000u);
                ASSERT_LE(l->rate_bps, 10'000'000'000u);
                ASSERT_GE(l->queue_packets, 2u);
                ASSERT_LE(l->queue_packets, 1000u);
            } else {
                ++unlimited;
            }
            lossless += l->loss == 0;
            heavy_loss += l->loss > 0.25;
            corrupting += l->corrupt > 0;
            duplicating += l->duplicate > 0;
            reordering += l->reorder > 0;
        }
        for (const SideScenario* side : {&s.client, &s.server}) {
            ASSERT_LE(side->bytes, kMax);
            zero_bytes += side->bytes == 0;
            max_bytes += side->bytes == kMax;
            ASSERT_GE(side->max_write, 1u);
            ASSERT_LE(side->max_write, kMiB);
            ASSERT_GE(side->max_read, 1u);
            ASSERT_LE(side->max_read, kMiB);
            // Writes average max_write / 2: a transfer takes at most about 16,384 of them.
            ASSERT_GE(side->max_write, side->bytes / 8192) << describe(s);
        }
        ASSERT_GE(s.client.max_read, s.server.bytes / 8192);
        ASSERT_GE(s.server.max_read, s.client.bytes / 8192);
    }
    // Every kind of run comes up.
    EXPECT_EQ(orders.size(), 3u);
    EXPECT_GT(v6, 1200);
    EXPECT_LT(v6, 1800);
    EXPECT_GT(zero_bytes, 100);
    EXPECT_GT(max_bytes, 50);
    EXPECT_GT(lossless, 500);
    EXPECT_GT(heavy_loss, 200);
    EXPECT_GT(unlimited, 500);
    EXPECT_GT(corrupting, 1000);
    EXPECT_GT(duplicating, 1000);
    EXPECT_GT(reordering, 1000);
}

TEST(GauntletScenario, ZeroCapSendsNothing) {
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        const Scenario s = draw_scenario(seed, {.max_bytes = 0});
        EXPECT_EQ(s.client.bytes, 0u);
        EXPECT_EQ(s.server.bytes, 0u);
    }
}

TEST(GauntletScenario, DescribeNamesEverything) {
    Scenario s = draw_scenario(7);
    s.ipv6 = true;
    s.mtu = 1500;
    s.client_to_server.loss = 0.125;
    s.close_order = CloseOrder::kServerFirst;
    const std::string d = describe(s);
    EXPECT_NE(d.find("IPv6 mtu 1500"), std::string::npos) << d;
    EXPECT_NE(d.find("loss 12.50%"), std::string::npos) << d;
    EXPECT_NE(d.find("close server-first"), std::string::npos) << d;
}

}  // namespace
}  // namespace synack::tools::gauntlet
