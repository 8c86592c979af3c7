#include "stack/timer_wheel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <unordered_map>
#include <vector>

namespace synack::stack {
namespace {

// An entry that remembers who it is and when it fired.
struct Probe {
    TimerEntry entry;
    int id = 0;
    std::vector<std::uint64_t> fired_at;  // ticks
};

Instant at_ms(std::int64_t ms) { return Instant{} + std::chrono::milliseconds(ms); }

TEST(TimerWheel, FiresOnTheFirstTickAtOrAfterTheDeadline) {
    TimerWheel wheel;  // 1 ms ticks from the epoch
    Probe p;
    wheel.schedule(p.entry, at_ms(200) + std::chrono::microseconds(1));  // rounds up to tick 201
    EXPECT_TRUE(p.entry.scheduled());
    EXPECT_EQ(p.entry.deadline_tick(), 201u);
    int fired = 0;
    wheel.advance(at_ms(200), [&](TimerEntry&) { ++fired; });
    EXPECT_EQ(fired, 0);
    wheel.advance(at_ms(201), [&](TimerEntry&) { ++fired; });
    EXPECT_EQ(fired, 1);
    EXPECT_FALSE(p.entry.scheduled());
    EXPECT_EQ(wheel.size(), 0u);
}

TEST(TimerWheel, FarDeadlinesCascadeAndFireExactly) {
    // Deadlines on every level: 1 s (level 1), 60 s TIME_WAIT (level 2), 924.6 s (tcp_retries2), 2 h (level 3),
    // 20 days (level 4). Each fires exactly on its tick, not one early or late.
    TimerWheel wheel;
    // Past the last level's reach (2^32 ticks, ~50 days) an entry waits in the farthest slot and is re-filed:
    // 120 days still fires on its tick.
    const std::vector<std::int64_t> deadlines_ms = {1000, 60000, 924600, 7200000, 20LL * 86400 * 1000,
                                                    120LL * 86400 * 1000};
    std::vector<std::unique_ptr<Probe>> probes;
    for (auto ms : deadlines_ms) {
        probes.push_back(std::make_unique<Probe>());
        wheel.schedule(probes.back()->entry, at_ms(ms));
    }
    std::vector<std::uint64_t> fired;
    for (std::size_t i = 0; i < deadlines_ms.size(); ++i) {
        const auto ms = deadlines_ms[i];
        wheel.advance(at_ms(ms - 1), [&](TimerEntry& e) { fired.push_back(e.deadline_tick()); });
        EXPECT_EQ(fired.size(), i) << "early at " << ms;
        const auto bound = wheel.next_deadline_bound();
        ASSERT_TRUE(bound.has_value());
        EXPECT_LE(*bound, at_ms(ms));
        wheel.advance(at_ms(ms), [&](TimerEntry& e) { fired.push_back(e.deadline_tick()); });
        ASSERT_FALSE(fired.empty());
        EXPECT_EQ(fired.back(), static_cast<std::uint64_t>(ms));
    }
    EXPECT_EQ(fired.size(), deadlines_ms.size());
    EXPECT_FALSE(wheel.next_deadline_bound().has_value());
}

TEST(TimerWheel, CancelRescheduleAndDestroy) {
    TimerWheel wheel;
    Probe a, b;
    wheel.schedule(a.entry, at_ms(10));
    wheel.schedule(b.entry, at_ms(10));
    wheel.schedule(a.entry, at_ms(5000));  // reschedule moves it
    EXPECT_EQ(wheel.size(), 2u);
    wheel.cancel(b.entry);
    EXPECT_FALSE(b.entry.scheduled());
    EXPECT_EQ(wheel.size(), 1u);
    {
        Probe c;
        wheel.schedule(c.entry, at_ms(20));
        EXPECT_EQ(wheel.size(), 2u);
    }  // destroyed while scheduled: cancelled
    EXPECT_EQ(wheel.size(), 1u);
    int fired = 0;
    wheel.advance(at_ms(4999), [&](TimerEntry&) { ++fired; });
    EXPECT_EQ(fired, 0);
    wheel.advance(at_ms(5000), [&](TimerEntry& e) { EXPECT_EQ(&e, &a.entry); ++fired; });
    EXPECT_EQ(fired, 1);
}

TEST(TimerWheel, PastDeadlinesFireAtTheNextAdvance) {
    TimerWheel wheel;
    wheel.advance(at_ms(100), [](TimerEntry&) {});
    Probe p;
    wheel.schedule(p.entry, at_ms(50));
    ASSERT_TRUE(wheel.next_deadline_bound().has_value());
    EXPECT_LE(*wheel.next_deadline_bound(), at_ms(100));
    int fired = 0;
    wheel.advance(at_ms(100), [&](TimerEntry&) { ++fired; });
    EXPECT_EQ(fired, 1);
}

TEST(TimerWheel, CallbacksMayRescheduleAndCancelOthers) {
    // An expiring entry re-arms itself every 300 ms (as a retransmission timer does) and cancels its sibling,
    // which was due on the same tick but later in line.
    TimerWheel wheel;
    Probe rearm, sibling;
    wheel.schedule(rearm.entry, at_ms(300));
    wheel.schedule(sibling.entry, at_ms(300));
    std::vector<std::uint64_t> ticks;
    for (std::int64_t t = 0; t <= 1505; t += 7) {
        wheel.advance(at_ms(t), [&](TimerEntry& e) {
            ASSERT_EQ(&e, &rearm.entry) << "the sibling was cancelled before its turn";
            ticks.push_back(wheel.next_tick() - 1);
            wheel.cancel(sibling.entry);
            wheel.schedule(e, wheel.instant_of_tick(e.deadline_tick()) + std::chrono::milliseconds(300));
        });
    }
    EXPECT_EQ(ticks, (std::vector<std::uint64_t>{300, 600, 900, 1200, 1500}));
}

TEST(TimerWheel, MatchesAReferenceModelUnderRandomLoad) {
    // Thousands of entries with deadlines from 0 to ~70 minutes, random cancels and reschedules, advanced in
    // random steps: every entry fires exactly once, on exactly its tick, in deadline order.
    std::mt19937_64 rng(20261123);
    TimerWheel wheel;
    constexpr int kEntries = 3000;
    std::vector<std::unique_ptr<Probe>> probes;
    std::map<int, std::uint64_t> expected;  // id → deadline tick, for live entries
    std::unordered_map<const TimerEntry*, int> id_of;
    for (int i = 0; i < kEntries; ++i) {
        probes.push_back(std::make_unique<Probe>());
        probes.back()->id = i;
        id_of[&probes.back()->entry] = i;
    }
    auto random_deadline = [&](std::uint64_t from) {
        const int shape = static_cast<int>(rng() % 4);
        const std::uint64_t span = shape == 0 ? 300 : shape == 1 ? 20000 : shape == 2 ? 1200000 : 4200000;
        return from + rng() % span;
    };
    for (auto& p : probes) {
        const auto d = random_deadline(0);
        wheel.schedule(p->entry, at_ms(static_cast<std::int64_t>(d)));
        expected[p->id] = d;
    }
    std::uint64_t now = 0;
    std::uint64_t last_fired_tick = 0;
    while (!expected.empty()) {
        now += 1 + rng() % 5000;
        // Before advancing, cancel or move a few random live entries.
        for (int k = 0; k < 3 && !expected.empty(); ++k) {
            auto it = std::next(expected.begin(), static_cast<long>(rng() % expected.size()));
            Probe& p = *probes[static_cast<std::size_t>(it->first)];
            if (rng() % 2 == 0) {
                wheel.cancel(p.entry);
                expected.erase(it);
            } else {
                const auto d = random_deadline(now);
                wheel.schedule(p.entry, at_ms(static_cast<std::int64_t>(d)));
                it->second = d;
            }
        }
        wheel.advance(at_ms(static_cast<std::int64_t>(now)), [&](TimerEntry& e) {
            Probe& p = *probes[static_cast<std::size_t>(id_of.at(&e))];
            const std::uint64_t tick = wheel.next_tick() - 1;
            ASSERT_TRUE(expected.count(p.id)) << "entry " << p.id << " fired but was not live";
            EXPECT_EQ(tick, expected[p.id]) << "entry " << p.id;
            EXPECT_GE(tick, last_fired_tick) << "out of order";
            last_fired_tick = std::max(last_fired_tick, tick);
            expected.erase(p.id);
        });
        // Nothing that is due may remain.
        for (const auto& [id, d] : expected) ASSERT_GT(d, now) << "entry " << id << " overdue";
        EXPECT_EQ(wheel.size(), expected.size());
    }
}

}  // namespace
}  // namespace synack::stack
