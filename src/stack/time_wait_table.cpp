#include "stack/time_wait_table.hpp"

namespace synack::stack {

using tcp::kNoLink;

std::uint32_t TimeWaitTable::insert(const tcp::TimeWaitEntry& entry) {
    std::uint32_t i;
    if (free_ != kNoLink) {
        i = free_;
        free_ = pool_[i].hash_next;
        pool_[i] = entry;
    } else {
        i = static_cast<std::uint32_t>(pool_.size());
        pool_.push_back(entry);
    }
    tcp::TimeWaitEntry& e = pool_[i];
    e.flags |= tcp::TimeWaitEntry::kInUse;
    e.hash_next = kNoLink;
    link_by_deadline(i);
    ++count_;
    return i;
}

void TimeWaitTable::erase(std::uint32_t i) noexcept {
    unlink(i);
    tcp::TimeWaitEntry& e = pool_[i];
    e.flags = 0;
    e.hash_next = free_;
    free_ = i;
    --count_;
}

void TimeWaitTable::reschedule(std::uint32_t i) noexcept {
    unlink(i);
    link_by_deadline(i);
}

// From the tail backwards: deadlines are nearly always the latest so far (60 s from now).
void TimeWaitTable::link_by_deadline(std::uint32_t i) noexcept {
    tcp::TimeWaitEntry& e = pool_[i];
    std::uint32_t after = tail_;
    while (after != kNoLink && static_cast<std::int32_t>(pool_[after].deadline_ms - e.deadline_ms) > 0) {
        after = pool_[after].expiry_prev;
    }
    e.expiry_prev = after;
    e.expiry_next = after == kNoLink ? head_ : pool_[after].expiry_next;
    if (after == kNoLink) head_ = i;
    else pool_[after].expiry_next = i;
    if (e.expiry_next == kNoLink) tail_ = i;
    else pool_[e.expiry_next].expiry_prev = i;
}

void TimeWaitTable::unlink(std::uint32_t i) noexcept {
    tcp::TimeWaitEntry& e = pool_[i];
    if (e.expiry_prev == kNoLink) head_ = e.expiry_next;
    else pool_[e.expiry_prev].expiry_next = e.expiry_next;
    if (e.expiry_next == kNoLink) tail_ = e.expiry_prev;
    else pool_[e.expiry_next].expiry_prev = e.expiry_prev;
    e.expiry_prev = e.expiry_next = kNoLink;
}

}  // namespace synack::stack
