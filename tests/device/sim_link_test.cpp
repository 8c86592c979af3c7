#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "device/sim_link.hpp"

namespace synack::device {
namespace {

const Instant kT0 = Instant{} + std::chrono::seconds{1000};

std::vector<std::uint8_t> packet_of(std::size_t size, std::uint8_t fill = 0x45) {
    return std::vector<std::uint8_t>(size, fill);
}

// The binomial bound used for every rate below: n trials at p stay within 5 standard deviations of n * p.
void expect_rate(std::uint64_t hits, std::uint64_t n, double p, const char* what) {
    const double sigma = std::sqrt(static_cast<double>(n) * p * (1 - p));
    EXPECT_NEAR(static_cast<double>(hits), static_cast<double>(n) * p, 5 * sigma) << what;
}

TEST(SimLink, SerialisationTimeIsBitsOverRateRoundedUp) {
    EXPECT_EQ(SimLink::serialisation_time(1500, 10'000'000), std::chrono::microseconds{1200});  // 12000 bits
    EXPECT_EQ(SimLink::serialisation_time(1500, 1'000'000'000), Duration{12'000});
    EXPECT_EQ(SimLink::serialisation_time(1, 3), Duration{2'666'666'667});  // 8/3 s, the last bit is not early
    EXPECT_EQ(SimLink::serialisation_time(65535, 1), std::chrono::seconds{524'280});
    EXPECT_EQ(SimLink::serialisation_time(1500, 0), Duration{0});  // unlimited
}

TEST(SimLink, DeliveryIsSerialisationPlusPropagation) {
    SimLinkConfig config;
    config.delay = std::chrono::milliseconds{5};
    config.rate_bps = 10'000'000;
    SimLink link(config);
    SimRandom random(1);
    const auto p = packet_of(1500);
    // Three packets offered at once leave one after another: 1.2 ms each on the wire, then 5 ms of flight.
    for (int i = 1; i <= 3; ++i) {
        const SimLinkOutcome out = link.transmit(p, kT0, random);
        ASSERT_EQ(out.drop, SimLinkDrop::None);
        ASSERT_EQ(out.count, 1);
        EXPECT_EQ(out.serialised, kT0 + i * std::chrono::microseconds{1200});
        EXPECT_EQ(out.deliveries[0].at, kT0 + i * std::chrono::microseconds{1200} + std::chrono::milliseconds{5});
        EXPECT_EQ(out.deliveries[0].flags, 0);
    }
    // One offered after the transmitter went idle starts at once.
    const Instant later = kT0 + std::chrono::milliseconds{10};
    const SimLinkOutcome out = link.transmit(packet_of(100), later, random);
    EXPECT_EQ(out.deliveries[0].at, later + std::chrono::microseconds{80} + std::chrono::milliseconds{5});
}

TEST(SimLink, UnlimitedRateTakesOnlyTheDelayAndNeverQueues) {
    SimLinkConfig config;
    config.delay = std::chrono::microseconds{250};
    config.queue_packets = 1;
    SimLink link(config);
    SimRandom random(1);
    for (int i = 0; i < 100; ++i) {
        const SimLinkOutcome out = link.transmit(packet_of(1000), kT0, random);
        ASSERT_EQ(out.count, 1);
        EXPECT_EQ(out.deliveries[0].at, kT0 + std::chrono::microseconds{250});
    }
    EXPECT_EQ(link.counters().dropped_queue, 0u);
}

TEST(SimLink, DeliveredBytesAreACopyOfThePacket) {
    SimLink link(SimLinkConfig{});
    SimRandom random(1);
    std::vector<std::uint8_t> p{0x45, 0x00, 0x00, 0x1c, 1, 2, 3, 4};
    const SimLinkOutcome out = link.transmit(p, kT0, random);
    p[0] = 0;  // the caller's buffer may change once transmit returns
    const wire::Bytes got = link.packet(out.deliveries[0].packet);
    EXPECT_EQ(std::vector<std::uint8_t>(got.begin(), got.end()),
              (std::vector<std::uint8_t>{0x45, 0x00, 0x00, 0x1c, 1, 2, 3, 4}));
    EXPECT_EQ(link.in_flight(), 1u);
    link.release(out.deliveries[0].packet);
    EXPECT_EQ(link.in_flight(), 0u);
    EXPECT_EQ(link.counters().delivered, 1u);
}

TEST(SimLink, PacketsLargerThanTheMtuAreDroppedAndCounted) {
    SimLinkConfig config;
    config.mtu = 1280;
    SimLink link(config);
    SimRandom random(1);
    EXPECT_EQ(link.transmit(packet_of(1281), kT0, random).drop, SimLinkDrop::Mtu);
    EXPECT_EQ(link.transmit(packet_of(1281), kT0, random).count, 0);
    const SimLinkOutcome fits = link.transmit(packet_of(1280), kT0, random);
    EXPECT_EQ(fits.drop, SimLinkDrop::None);
    EXPECT_EQ(fits.count, 1);
    EXPECT_EQ(link.counters().dropped_mtu, 2u);
    EXPECT_EQ(link.counters().offered, 3u);
    EXPECT_EQ(link.counters().sent, 1u);
}

TEST(SimLink, PacketQueueDropsExactlyThePacketsPastTheLimit) {
    SimLinkConfig config;
    config.rate_bps = 8'000'000;  // 1000 bytes take 1 ms
    config.queue_packets = 10;
    SimLink link(config);
    SimRandom random(1);
    std::vector<SimLinkDrop> drops;
    for (int i = 0; i < 25; ++i) drops.push_back(link.transmit(packet_of(1000), kT0, random).drop);
    for (int i = 0; i < 25; ++i) EXPECT_EQ(drops[i], i < 10 ? SimLinkDrop::None : SimLinkDrop::Queue) << i;
    EXPECT_EQ(link.counters().dropped_queue, 15u);
    EXPECT_EQ(link.backlog_packets(kT0), 10u);
    EXPECT_EQ(link.backlog_bytes(kT0), 10'000u);
    // Just before the first packet's last bit leaves the queue is still full; at that instant there is room for one.
    EXPECT_EQ(link.transmit(packet_of(1000), kT0 + Duration{999'999}, random).drop, SimLinkDrop::Queue);
    const SimLinkOutcome next = link.transmit(packet_of(1000), kT0 + std::chrono::milliseconds{1}, random);
    EXPECT_EQ(next.drop, SimLinkDrop::None);
    EXPECT_EQ(next.serialised, kT0 + std::chrono::milliseconds{11});  // behind the ten already queued
    EXPECT_EQ(link.transmit(packet_of(1000), kT0 + std::chrono::milliseconds{1}, random).drop, SimLinkDrop::Queue);
    EXPECT_EQ(link.backlog_packets(kT0 + std::chrono::milliseconds{11}), 0u);
}

TEST(SimLink, ByteQueueDropsWhatWouldOverflowIt) {
    SimLinkConfig config;
    config.rate_bps = 8'000'000;
    config.queue_packets = 0;
    config.queue_bytes = 3000;
    SimLink link(config);
    SimRandom random(1);
    EXPECT_EQ(link.transmit(packet_of(1000), kT0, random).drop, SimLinkDrop::None);
    EXPECT_EQ(link.transmit(packet_of(1000), kT0, random).drop, SimLinkDrop::None);
    EXPECT_EQ(link.transmit(packet_of(1000), kT0, random).drop, SimLinkDrop::None);  // exactly 3000
    EXPECT_EQ(link.transmit(packet_of(1), kT0, random).drop, SimLinkDrop::Queue);
    EXPECT_EQ(link.transmit(packet_of(1000), kT0, random).drop, SimLinkDrop::Queue);
    // After the first packet leaves (1 ms), 1000 bytes fit again but 1001 do not.
    EXPECT_EQ(link.transmit(packet_of(1001), kT0 + std::chrono::milliseconds{1}, random).drop, SimLinkDrop::Queue);
    EXPECT_EQ(link.transmit(packet_of(1000), kT0 + std::chrono::milliseconds{1}, random).drop, SimLinkDrop::None);
    EXPECT_EQ(link.counters().dropped_queue, 3u);
}

TEST(SimLink, QueueGrowsPastItsInitialCapacity) {
    SimLinkConfig config;
    config.rate_bps = 1'000'000;
    config.queue_packets = 0;  // no packet limit: the ring must grow
    SimLink link(config);
    SimRandom random(1);
    for (int i = 0; i < 10'000; ++i) ASSERT_EQ(link.transmit(packet_of(100, static_cast<std::uint8_t>(i)), kT0, random).drop, SimLinkDrop::None);
    EXPECT_EQ(link.backlog_packets(kT0), 10'000u);
    // 100 bytes at 1 Mbit/s = 800 us each, in order.
    EXPECT_EQ(link.backlog_packets(kT0 + std::chrono::microseconds{800 * 9'999}), 1u);
    EXPECT_EQ(link.backlog_packets(kT0 + std::chrono::microseconds{800 * 10'000}), 0u);
}

struct LinkRun {
    std::vector<SimLinkOutcome> outcomes;
    SimLinkCounters counters;
};

LinkRun run(const SimLinkConfig& config, std::uint64_t seed, int n, std::size_t size = 100) {
    SimLink link(config);
    SimRandom random(seed);
    LinkRun r;
    for (int i = 0; i < n; ++i) {
        std::vector<std::uint8_t> p(size);
        for (std::size_t j = 0; j < size; ++j) p[j] = static_cast<std::uint8_t>(i + j);
        const Instant at = kT0 + i * std::chrono::microseconds{10};
        r.outcomes.push_back(link.transmit(p, at, random));
        for (int c = 0; c < r.outcomes.back().count; ++c) link.release(r.outcomes.back().deliveries[c].packet);
    }
    r.counters = link.counters();
    return r;
}

bool same(const LinkRun& a, const LinkRun& b) {
    if (a.outcomes.size() != b.outcomes.size()) return false;
    for (std::size_t i = 0; i < a.outcomes.size(); ++i) {
        const auto& x = a.outcomes[i];
        const auto& y = b.outcomes[i];
        if (x.count != y.count || x.lost != y.lost) return false;
        for (int c = 0; c < x.count; ++c) {
            if (x.deliveries[c].at != y.deliveries[c].at || x.deliveries[c].flags != y.deliveries[c].flags) return false;
        }
    }
    return true;
}

TEST(SimLink, LossRateWithinBoundsAndReproducible) {
    SimLinkConfig config;
    config.loss = 0.1;
    constexpr int kN = 100'000;
    const LinkRun a = run(config, 11, kN);
    expect_rate(a.counters.lost, kN, 0.1, "loss");
    std::uint64_t delivered = 0;
    for (const auto& o : a.outcomes) {
        EXPECT_EQ(o.count + o.lost, 1);
        delivered += o.count;
    }
    EXPECT_EQ(delivered + a.counters.lost, static_cast<std::uint64_t>(kN));
    EXPECT_TRUE(same(a, run(config, 11, kN)));
    EXPECT_FALSE(same(a, run(config, 12, kN)));
}

TEST(SimLink, DuplicationRateWithinBoundsAndCopiesAreIdentical) {
    SimLinkConfig config;
    config.duplicate = 0.05;
    config.delay = std::chrono::milliseconds{1};
    SimLink link(config);
    SimRandom random(21);
    constexpr int kN = 100'000;
    int twice = 0;
    for (int i = 0; i < kN; ++i) {
        std::vector<std::uint8_t> p{static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8), 7, 8};
        const SimLinkOutcome out = link.transmit(p, kT0, random);
        ASSERT_GE(out.count, 1);
        EXPECT_EQ(out.deliveries[0].flags, 0);
        if (out.count == 2) {
            ++twice;
            EXPECT_EQ(out.deliveries[1].flags, sim_copy::kDuplicate);
            EXPECT_EQ(out.deliveries[1].at, out.deliveries[0].at);
            EXPECT_NE(out.deliveries[0].packet, out.deliveries[1].packet);  // two buffers, released one by one
            const wire::Bytes x = link.packet(out.deliveries[0].packet);
            const wire::Bytes y = link.packet(out.deliveries[1].packet);
            EXPECT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end()));
            EXPECT_TRUE(std::equal(x.begin(), x.end(), p.begin(), p.end()));
        }
        for (int c = 0; c < out.count; ++c) link.release(out.deliveries[c].packet);
    }
    EXPECT_EQ(static_cast<std::uint64_t>(twice), link.counters().duplicated);
    expect_rate(link.counters().duplicated, kN, 0.05, "duplicate");
    EXPECT_EQ(link.in_flight(), 0u);
}

TEST(SimLink, EachDuplicateCopyIsLostOnItsOwn) {
    SimLinkConfig config;
    config.duplicate = 1.0;
    config.loss = 0.5;
    constexpr int kN = 40'000;
    const LinkRun r = run(config, 5, kN);
    std::uint64_t none = 0, one = 0, both = 0;
    for (const auto& o : r.outcomes) {
        EXPECT_EQ(o.count + o.lost, 2);
        (o.count == 0 ? none : o.count == 1 ? one : both) += 1;
    }
    expect_rate(none, kN, 0.25, "both lost");
    expect_rate(one, kN, 0.5, "one lost");
    expect_rate(both, kN, 0.25, "none lost");
}

TEST(SimLink, ReorderedCopiesArriveLaterAndTheOthersKeepTheirOrder) {
    SimLinkConfig config;
    config.delay = std::chrono::milliseconds{2};
    config.reorder = 0.2;
    config.reorder_delay = std::chrono::milliseconds{1};
    constexpr int kN = 50'000;
    const LinkRun r = run(config, 33, kN);
    expect_rate(r.counters.reordered, kN, 0.2, "reorder");
    Instant last_in_order{};
    std::uint64_t flagged = 0;
    for (int i = 0; i < kN; ++i) {
        const SimLinkDelivery& d = r.outcomes[i].deliveries[0];
        const Instant sent = kT0 + i * std::chrono::microseconds{10};
        if (d.flags & sim_copy::kReordered) {
            ++flagged;
            EXPECT_EQ(d.at, sent + std::chrono::milliseconds{3});
        } else {
            EXPECT_EQ(d.at, sent + std::chrono::milliseconds{2});
            EXPECT_GE(d.at, last_in_order);
            last_in_order = d.at;
        }
    }
    EXPECT_EQ(flagged, r.counters.reordered);
    EXPECT_TRUE(same(r, run(config, 33, kN)));
}

TEST(SimLink, CorruptionFlipsExactlyOneUniformlyChosenBit) {
    SimLinkConfig config;
    config.corrupt = 0.3;
    SimLink link(config);
    SimRandom random(77);
    constexpr int kN = 60'000;
    const std::vector<std::uint8_t> p{0x45, 0x00, 0x12, 0xff};
    std::vector<int> per_bit(32);
    for (int i = 0; i < kN; ++i) {
        const SimLinkOutcome out = link.transmit(p, kT0, random);
        ASSERT_EQ(out.count, 1);
        const wire::Bytes got = link.packet(out.deliveries[0].packet);
        int flipped = 0;
        for (int bit = 0; bit < 32; ++bit) {
            if (((got[bit / 8] ^ p[bit / 8]) >> (7 - bit % 8)) & 1) {
                ++flipped;
                ++per_bit[bit];
            }
        }
        EXPECT_EQ(flipped, (out.deliveries[0].flags & sim_copy::kCorrupted) ? 1 : 0);
        link.release(out.deliveries[0].packet);
    }
    expect_rate(link.counters().corrupted, kN, 0.3, "corrupt");
    // (The pool reuses one buffer here: every uncorrupted copy above matched, so no flip outlived its packet.)
    for (int bit = 0; bit < 32; ++bit) expect_rate(per_bit[bit], link.counters().corrupted, 1.0 / 32, "bit position");
}

TEST(SimLink, JitterStaysInItsRangeAndNeverReorders) {
    SimLinkConfig config;
    config.delay = std::chrono::milliseconds{10};
    config.jitter = std::chrono::milliseconds{4};
    constexpr int kN = 50'000;
    const LinkRun r = run(config, 8, kN);
    Instant last{};
    double extra_sum = 0;
    int clamped = 0;
    for (int i = 0; i < kN; ++i) {
        const Instant sent = kT0 + i * std::chrono::microseconds{10};
        const Instant at = r.outcomes[i].deliveries[0].at;
        EXPECT_GE(at, sent + std::chrono::milliseconds{10});
        EXPECT_LE(at, sent + std::chrono::milliseconds{14});
        EXPECT_GE(at, last);  // never before the packet sent earlier
        if (at == last) ++clamped;
        extra_sum += std::chrono::duration<double>(at - sent - std::chrono::milliseconds{10}).count();
        last = at;
    }
    EXPECT_GT(clamped, 0);  // some arrivals were held behind an earlier packet's larger jitter
    // Packets 10 us apart with 4 ms of jitter: order-keeping pushes the mean above jitter / 2 (2 ms).
    EXPECT_GT(extra_sum / kN, 0.002);
    EXPECT_LT(extra_sum / kN, 0.004);
    EXPECT_TRUE(same(r, run(config, 8, kN)));
    EXPECT_FALSE(same(r, run(config, 9, kN)));
}

TEST(SimLink, ImpairmentsDrawNothingWhenOff) {
    SimLink link(SimLinkConfig{});
    SimRandom random(3), twin(3);
    for (int i = 0; i < 100; ++i) {
        const SimLinkOutcome out = link.transmit(packet_of(60), kT0, random);
        link.release(out.deliveries[0].packet);
    }
    EXPECT_EQ(random.next_u64(), twin.next_u64());
}

TEST(SimLink, PoolStopsGrowingAtTheHighWaterMark) {
    SimLinkConfig config;
    config.delay = std::chrono::milliseconds{1};
    config.rate_bps = 100'000'000;
    SimLink link(config);
    SimRandom random(1);
    std::vector<SimLinkDelivery> pending;
    std::size_t pool_after_warmup = 0;
    // 1000-byte packets every 100 us with 1 ms of delay: about 11 in flight at a time.
    for (int i = 0; i < 20'000; ++i) {
        const Instant now = kT0 + i * std::chrono::microseconds{100};
        std::erase_if(pending, [&](const SimLinkDelivery& d) {
            if (d.at > now) return false;
            link.release(d.packet);
            return true;
        });
        const SimLinkOutcome out = link.transmit(packet_of(1000), now, random);
        pending.push_back(out.deliveries[0]);
        if (i == 1000) pool_after_warmup = link.pool_size();
    }
    EXPECT_LE(link.pool_size(), 12u);
    EXPECT_EQ(link.pool_size(), pool_after_warmup);
}

TEST(SimLink, SetConfigAppliesToLaterPackets) {
    SimLinkConfig config;
    config.delay = std::chrono::milliseconds{1};
    SimLink link(config);
    SimRandom random(1);
    const SimLinkOutcome before = link.transmit(packet_of(10), kT0, random);
    config.delay = std::chrono::milliseconds{3};
    config.mtu = 9000;
    link.set_config(config);
    const SimLinkOutcome after = link.transmit(packet_of(9000), kT0, random);
    EXPECT_EQ(before.deliveries[0].at, kT0 + std::chrono::milliseconds{1});
    ASSERT_EQ(after.count, 1);
    EXPECT_EQ(after.deliveries[0].at, kT0 + std::chrono::milliseconds{3});
    EXPECT_EQ(link.packet(after.deliveries[0].packet).size(), 9000u);
}

TEST(SimDuplexLink, EachDirectionHasItsOwnSettingsAndState) {
    SimLinkConfig ab, ba;
    ab.delay = std::chrono::milliseconds{1};
    ba.delay = std::chrono::milliseconds{7};
    ba.mtu = 576;
    SimDuplexLink duplex(ab, ba);
    SimRandom random(1);
    EXPECT_EQ(duplex.a_to_b.transmit(packet_of(1000), kT0, random).deliveries[0].at, kT0 + std::chrono::milliseconds{1});
    EXPECT_EQ(duplex.b_to_a.transmit(packet_of(1000), kT0, random).drop, SimLinkDrop::Mtu);
    EXPECT_EQ(duplex.b_to_a.transmit(packet_of(500), kT0, random).deliveries[0].at, kT0 + std::chrono::milliseconds{7});
    EXPECT_EQ(duplex.a_to_b.counters().sent, 1u);
    EXPECT_EQ(duplex.b_to_a.counters().dropped_mtu, 1u);
}

}  // namespace
}  // namespace synack::device
