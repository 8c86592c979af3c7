#include "stack/timer_wheel.hpp"

#include <bit>

namespace synack::stack {

TimerEntry::~TimerEntry() {
    if (wheel_ != nullptr) wheel_->cancel(*this);
}

TimerWheel::TimerWheel(Duration tick, Instant origin) : tick_(tick), origin_(origin) {}

TimerWheel::~TimerWheel() {
    for (auto& head : slots_) {
        while (head.next != &head) {
            auto& e = static_cast<TimerEntry&>(*head.next);
            head.next = e.next;
            e.next = e.prev = &e;
            e.wheel_ = nullptr;
        }
    }
}

std::uint64_t TimerWheel::tick_of(Instant t) const noexcept {
    if (t <= origin_) return 0;
    const auto elapsed = (t - origin_).count();
    const auto width = tick_.count();
    return static_cast<std::uint64_t>((elapsed + width - 1) / width);
}

void TimerWheel::schedule(TimerEntry& entry, Instant deadline) noexcept {
    if (entry.wheel_ != nullptr) unlink(entry);
    else ++size_;
    entry.wheel_ = this;
    entry.deadline_tick_ = tick_of(deadline);
    file(entry);
}

void TimerWheel::cancel(TimerEntry& entry) noexcept {
    if (entry.wheel_ != this) return;
    unlink(entry);
    entry.wheel_ = nullptr;
    --size_;
}

void TimerWheel::file(TimerEntry& entry) noexcept {
    const std::uint64_t deadline = entry.deadline_tick_;
    if (deadline < next_tick_) {
        append(entry, kOverdue);
        return;
    }
    const std::uint64_t delta = deadline - next_tick_;
    if (delta < kLevel0Slots) {
        append(entry, static_cast<std::uint16_t>(deadline & (kLevel0Slots - 1)));
        return;
    }
    // Level L (1-based) takes deltas below 2^(8 + 6L), indexed by the deadline's bits above those of level L-1.
    // Beyond the last level's reach an entry waits in its farthest slot and is re-filed when that slot cascades
    // (the entry keeps its true deadline).
    for (unsigned level = 1; level < kLevels; ++level) {
        const unsigned shift = kLevel0Bits + kLevelBits * (level - 1);
        const std::uint64_t reach = (std::uint64_t{1} << (shift + kLevelBits)) - 1;
        if (delta <= reach || level == kLevels - 1) {
            const std::uint64_t at = delta <= reach ? deadline : next_tick_ + reach;
            const auto index = static_cast<unsigned>((at >> shift) & (kLevelSlots - 1));
            append(entry, static_cast<std::uint16_t>(kLevel0Slots + (level - 1) * kLevelSlots + index));
            return;
        }
    }
}

void TimerWheel::append(TimerEntry& entry, std::uint16_t slot) noexcept {
    TimerLink& head = slots_[slot];
    entry.prev = head.prev;
    entry.next = &head;
    head.prev->next = &entry;
    head.prev = &entry;
    entry.slot_ = slot;
    mark(slot);
}

void TimerWheel::unlink(TimerEntry& entry) noexcept {
    entry.prev->next = entry.next;
    entry.next->prev = entry.prev;
    entry.next = entry.prev = &entry;
    unmark_if_empty(entry.slot_);
}

void TimerWheel::mark(std::uint16_t slot) noexcept {
    if (slot < kLevel0Slots) {
        level0_occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
    } else if (slot < kOverdue) {
        const unsigned upper = slot - kLevel0Slots;
        upper_occupied_[upper / kLevelSlots] |= std::uint64_t{1} << (upper % kLevelSlots);
    }
}

void TimerWheel::unmark_if_empty(std::uint16_t slot) noexcept {
    if (!empty(slot)) return;
    if (slot < kLevel0Slots) {
        level0_occupied_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
    } else if (slot < kOverdue) {
        const unsigned upper = slot - kLevel0Slots;
        upper_occupied_[upper / kLevelSlots] &= ~(std::uint64_t{1} << (upper % kLevelSlots));
    }
}

void TimerWheel::move_all(std::uint16_t from, std::uint16_t to) noexcept {
    TimerLink& head = slots_[from];
    while (head.next != &head) {
        auto& e = static_cast<TimerEntry&>(*head.next);
        head.next = e.next;
        e.next->prev = &head;
        e.next = e.prev = &e;
        append(e, to);
    }
    unmark_if_empty(from);
}

TimerEntry* TimerWheel::pop_expiring() noexcept {
    if (empty(kExpiring)) return nullptr;
    auto& e = static_cast<TimerEntry&>(*slots_[kExpiring].next);
    unlink(e);
    e.wheel_ = nullptr;
    --size_;
    return &e;
}

void TimerWheel::cascade() noexcept {
    // At a level-0 wrap, level 1's current slot holds the entries due within the next 256 ticks: re-file them.
    // When level 1 wraps as well, level 2's current slot is re-filed, and so on up.
    for (unsigned level = 1; level < kLevels; ++level) {
        const unsigned shift = kLevel0Bits + kLevelBits * (level - 1);
        const auto index = static_cast<unsigned>((next_tick_ >> shift) & (kLevelSlots - 1));
        const auto slot = static_cast<std::uint16_t>(kLevel0Slots + (level - 1) * kLevelSlots + index);
        TimerLink& head = slots_[slot];
        while (head.next != &head) {
            auto& e = static_cast<TimerEntry&>(*head.next);
            head.next = e.next;
            e.next->prev = &head;
            e.next = e.prev = &e;
            file(e);
        }
        unmark_if_empty(slot);
        if (index != 0) break;
    }
}

void TimerWheel::process(std::uint64_t tick) noexcept {
    next_tick_ = tick;
    const auto slot = static_cast<std::uint16_t>(tick & (kLevel0Slots - 1));
    if (slot == 0) cascade();
    move_all(slot, kExpiring);
    next_tick_ = tick + 1;
}

std::optional<int> TimerWheel::first_level0_slot_from(unsigned from) const noexcept {
    for (unsigned word = from / 64; word < level0_occupied_.size(); ++word) {
        std::uint64_t bits = level0_occupied_[word];
        if (word == from / 64) bits &= ~std::uint64_t{0} << (from % 64);
        if (bits != 0) return static_cast<int>(word * 64 + static_cast<unsigned>(std::countr_zero(bits)));
    }
    return std::nullopt;
}

std::optional<std::uint64_t> TimerWheel::next_event_tick() const noexcept {
    std::optional<std::uint64_t> best;
    // Level 0 slots map one-to-one onto the ticks next_tick_ … next_tick_ + 255.
    const auto start = static_cast<unsigned>(next_tick_ & (kLevel0Slots - 1));
    auto slot = first_level0_slot_from(start);
    if (!slot) slot = first_level0_slot_from(0);
    if (slot) best = next_tick_ + ((static_cast<unsigned>(*slot) - start) & (kLevel0Slots - 1));
    // An occupied slot of level L comes down at the first tick T ≥ next_tick_ where T is a multiple of 2^shift
    // (level L-1 wraps) and T's level-L index is the slot's: the first cascade that touches it.
    for (unsigned level = 1; level < kLevels; ++level) {
        const std::uint64_t occupied = upper_occupied_[level - 1];
        if (occupied == 0) continue;
        const unsigned shift = kLevel0Bits + kLevelBits * (level - 1);
        const std::uint64_t base = (next_tick_ + (std::uint64_t{1} << shift) - 1) >> shift;  // in slot units
        const auto from = static_cast<unsigned>(base & (kLevelSlots - 1));
        const std::uint64_t rotated = std::rotr(occupied, static_cast<int>(from));
        const auto ahead = static_cast<unsigned>(std::countr_zero(rotated));
        const std::uint64_t tick = (base + ahead) << shift;
        if (!best || tick < *best) best = tick;
    }
    return best;
}

std::optional<Instant> TimerWheel::next_deadline_bound() const noexcept {
    if (!empty(kOverdue)) return instant_of_tick(next_tick_ == 0 ? 0 : next_tick_ - 1);
    const auto next = next_event_tick();
    if (!next) return std::nullopt;
    return instant_of_tick(*next);
}

}  // namespace synack::stack
