// Every time-wait entry of a stack: a pool of 64-byte entries addressed by index, a hash chain per connection
// table bucket, and one list in deadline order (a new or rescheduled entry goes to the tail, found from the
// tail backwards), so the earliest expiry is always at the head. tcp_max_tw_buckets bounds the count.
#pragma once

#include <cstdint>
#include <vector>

#include "tcp/time_wait.hpp"

namespace synack::stack {

class TimeWaitTable {
public:
    std::size_t size() const noexcept { return count_; }
    tcp::TimeWaitEntry& at(std::uint32_t i) noexcept { return pool_[i]; }
    const tcp::TimeWaitEntry& at(std::uint32_t i) const noexcept { return pool_[i]; }

    // Takes a copy of `entry` (its deadline already set) and links it into the deadline list.
    std::uint32_t insert(const tcp::TimeWaitEntry& entry);
    void erase(std::uint32_t i) noexcept;
    // After the entry's deadline_ms moved later.
    void reschedule(std::uint32_t i) noexcept;
    // The entry expiring first, or kNoLink.
    std::uint32_t head() const noexcept { return head_; }
    std::size_t memory_bytes() const noexcept { return pool_.capacity() * sizeof(tcp::TimeWaitEntry); }

private:
    void link_by_deadline(std::uint32_t i) noexcept;
    void unlink(std::uint32_t i) noexcept;

    std::vector<tcp::TimeWaitEntry> pool_;
    std::uint32_t free_ = tcp::kNoLink;  // free entries chained through hash_next
    std::uint32_t head_ = tcp::kNoLink;
    std::uint32_t tail_ = tcp::kNoLink;
    std::size_t count_ = 0;
};

}  // namespace synack::stack
