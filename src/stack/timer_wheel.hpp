// One timer structure for every connection of a stack: a hierarchical timing wheel with cascading
// (Varghese & Lauck, "Hashed and Hierarchical Timing Wheels", 1987). Scheduling and cancelling are O(1);
// a timer fires on the first tick at or after its deadline, never early and never later than that tick
// (unlike Linux's non-cascading wheel, which trades up to 12.5 % lateness for speed: synack's tests assert
// exact retransmission times in virtual time, so it cascades).
//
// Entries are intrusive: an owner embeds a TimerEntry and the wheel links it; nothing is allocated per timer.
// Expiry hands the entry back to the caller's function, which finds its owner.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "wire/instant.hpp"

namespace synack::stack {

class TimerWheel;

// A link in a circular doubly-linked list; a slot's list head is a sentinel node.
struct TimerLink {
    TimerLink* next = this;
    TimerLink* prev = this;
};

class TimerEntry : private TimerLink {
public:
    TimerEntry() = default;
    TimerEntry(const TimerEntry&) = delete;
    TimerEntry& operator=(const TimerEntry&) = delete;
    ~TimerEntry();  // destroying a scheduled entry cancels it

    bool scheduled() const noexcept { return wheel_ != nullptr; }
    // The tick the entry fires on (meaningful while scheduled).
    std::uint64_t deadline_tick() const noexcept { return deadline_tick_; }

private:
    friend class TimerWheel;
    TimerWheel* wheel_ = nullptr;
    std::uint64_t deadline_tick_ = 0;
    std::uint16_t slot_ = 0;  // which list holds it (see TimerWheel::slot_id)
};

class TimerWheel {
public:
    // Level 0 has 256 slots of one tick; each higher level has 64 slots, each as wide as all of the level below.
    static constexpr unsigned kLevel0Bits = 8;
    static constexpr unsigned kLevelBits = 6;
    static constexpr unsigned kLevels = 5;  // with a 1 ms tick: 256 ms, 16 s, 17 min, 18 h, then 50 days

    explicit TimerWheel(Duration tick = std::chrono::milliseconds(1), Instant origin = Instant{});
    TimerWheel(const TimerWheel&) = delete;
    TimerWheel& operator=(const TimerWheel&) = delete;
    ~TimerWheel();  // leaves every entry unscheduled

    // Schedules (or reschedules) `entry` to fire on the first tick at or after `deadline`. A deadline whose tick
    // has already been processed fires at the start of the next advance().
    void schedule(TimerEntry& entry, Instant deadline) noexcept;
    void cancel(TimerEntry& entry) noexcept;

    // Fires, in deadline order (ties in an order fixed by the call sequence, so runs are reproducible), every
    // entry whose tick is at or before the tick of `now`. `on_expired(TimerEntry&)` may schedule or cancel any
    // entry, including the one it was handed; an entry it schedules at or before `now` fires in the next advance().
    template <typename OnExpired>
    void advance(Instant now, OnExpired&& on_expired);

    // A lower bound on the next firing: nothing fires before it. Exact for deadlines within level 0's reach
    // (256 ticks); for farther ones it is the next level-0 wrap, where advance() must cascade them.
    std::optional<Instant> next_deadline_bound() const noexcept;

    std::size_t size() const noexcept { return size_; }
    Duration tick() const noexcept { return tick_; }
    std::uint64_t next_tick() const noexcept { return next_tick_; }
    Instant instant_of_tick(std::uint64_t tick) const noexcept {
        return origin_ + tick_ * static_cast<std::int64_t>(tick);
    }

private:
    static constexpr unsigned kLevel0Slots = 1u << kLevel0Bits;
    static constexpr unsigned kLevelSlots = 1u << kLevelBits;
    static constexpr unsigned kUpperSlots = (kLevels - 1) * kLevelSlots;
    // Slot ids: 0..255 level 0, then 64 per upper level, then the overdue and expiring lists.
    static constexpr std::uint16_t kOverdue = kLevel0Slots + kUpperSlots;
    static constexpr std::uint16_t kExpiring = kOverdue + 1;
    static constexpr unsigned kSlotCount = kExpiring + 1;

    std::uint64_t tick_of(Instant t) const noexcept;  // rounded up
    void file(TimerEntry& entry) noexcept;            // places an entry by its deadline relative to next_tick_
    void append(TimerEntry& entry, std::uint16_t slot) noexcept;
    void unlink(TimerEntry& entry) noexcept;
    void cascade() noexcept;
    void move_all(std::uint16_t from, std::uint16_t to) noexcept;
    std::optional<std::uint64_t> next_event_tick() const noexcept;
    void process(std::uint64_t tick) noexcept;  // one tick: cascades at a wrap, then moves its slot to expiring
    std::optional<int> first_level0_slot_from(unsigned from) const noexcept;
    bool empty(std::uint16_t slot) const noexcept { return slots_[slot].next == &slots_[slot]; }
    void mark(std::uint16_t slot) noexcept;
    void unmark_if_empty(std::uint16_t slot) noexcept;
    TimerEntry* pop_expiring() noexcept;

    Duration tick_;
    Instant origin_;
    std::uint64_t next_tick_ = 0;  // the first tick not yet processed: every entry due before it has fired
    std::size_t size_ = 0;
    std::array<TimerLink, kSlotCount> slots_{};
    std::array<std::uint64_t, kLevel0Slots / 64> level0_occupied_{};
    std::array<std::uint64_t, kLevels - 1> upper_occupied_{};
};

template <typename OnExpired>
void TimerWheel::advance(Instant now, OnExpired&& on_expired) {
    move_all(kOverdue, kExpiring);
    while (TimerEntry* e = pop_expiring()) on_expired(*e);
    if (now < origin_) return;
    const auto target = static_cast<std::uint64_t>((now - origin_) / tick_);
    while (next_tick_ <= target) {
        const auto next = next_event_tick();
        if (!next || *next > target) {
            next_tick_ = target + 1;
            break;
        }
        process(*next);
        while (TimerEntry* e = pop_expiring()) on_expired(*e);
    }
}

}  // namespace synack::stack
