#include "device/sim_link.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace synack::device {

namespace {
constexpr std::size_t kInitialQueueCapacity = 16;
constexpr std::size_t kMaxReserved = 4096;  // metadata reserved up front: at most this many slots
}  // namespace

SimLink::SimLink(const SimLinkConfig& config) : config_(config) {
    // The pool's bookkeeping is sized by the queue limit; each buffer is allocated the first time it is needed and
    // then reused, so the steady state allocates nothing.
    const std::size_t expected = std::clamp<std::size_t>(config_.queue_packets, kInitialQueueCapacity, kMaxReserved);
    slots_.reserve(expected);
    std::size_t capacity = kInitialQueueCapacity;
    while (capacity < expected) capacity *= 2;
    queue_.resize(capacity);
}

void SimLink::set_config(const SimLinkConfig& config) {
    config_ = config;
}

Duration SimLink::serialisation_time(std::size_t bytes, std::uint64_t rate_bps) noexcept {
    if (rate_bps == 0) return Duration{0};
    // bits * 10^9 stays below 2^64 for any IP packet (65535 * 8 * 10^9 < 5.3 * 10^14).
    const std::uint64_t bits = std::uint64_t{bytes} * 8;
    return Duration{static_cast<Duration::rep>((bits * 1'000'000'000ULL + rate_bps - 1) / rate_bps)};
}

void SimLink::expire_queue(Instant now) noexcept {
    while (queue_count_ > 0 && queue_[queue_head_].end <= now) {
        queue_bytes_ -= queue_[queue_head_].size;
        queue_head_ = (queue_head_ + 1) & (queue_.size() - 1);
        --queue_count_;
    }
}

void SimLink::push_queued(Queued q) {
    if (queue_count_ == queue_.size()) {
        std::vector<Queued> bigger(queue_.size() * 2);
        for (std::size_t i = 0; i < queue_count_; ++i) bigger[i] = queue_[(queue_head_ + i) & (queue_.size() - 1)];
        queue_ = std::move(bigger);
        queue_head_ = 0;
    }
    queue_[(queue_head_ + queue_count_) & (queue_.size() - 1)] = q;
    ++queue_count_;
    queue_bytes_ += q.size;
}

std::size_t SimLink::backlog_packets(Instant now) noexcept {
    expire_queue(now);
    return queue_count_;
}

std::size_t SimLink::backlog_bytes(Instant now) noexcept {
    expire_queue(now);
    return queue_bytes_;
}

std::uint32_t SimLink::acquire(wire::Bytes packet) {
    std::uint32_t id;
    if (free_head_ != kNoSlot) {
        id = free_head_;
        free_head_ = slots_[id].next_free;
    } else {
        id = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot& slot = slots_[id];
    // At least the MTU, so a reused buffer never reallocates (set_config may raise the MTU: then it grows once).
    if (slot.bytes.size() < std::max<std::size_t>(config_.mtu, packet.size())) {
        slot.bytes.resize(std::max<std::size_t>(config_.mtu, packet.size()));
    }
    if (!packet.empty()) std::memcpy(slot.bytes.data(), packet.data(), packet.size());
    slot.size = static_cast<std::uint32_t>(packet.size());
    slot.next_free = kNoSlot;
    ++in_flight_;
    return id;
}

void SimLink::free_slot(std::uint32_t id) noexcept {
    assert(id < slots_.size());
    slots_[id].next_free = free_head_;
    free_head_ = id;
    --in_flight_;
}

void SimLink::release(std::uint32_t id) noexcept {
    free_slot(id);
    ++counters_.delivered;
}

wire::Bytes SimLink::packet(std::uint32_t id) const noexcept {
    assert(id < slots_.size());
    return wire::Bytes(slots_[id].bytes.data(), slots_[id].size);
}

bool SimLink::send_copy(std::uint32_t slot, Instant serialised, std::uint8_t flags, SimRandom& random,
                        SimLinkOutcome& out) {
    if (config_.loss > 0 && random.chance(config_.loss)) {
        ++counters_.lost;
        ++out.lost;
        return false;
    }
    if (config_.corrupt > 0 && random.chance(config_.corrupt)) {
        Slot& s = slots_[slot];
        if (s.size > 0) {
            const std::uint64_t bit = random.below(std::uint64_t{s.size} * 8);
            s.bytes[bit / 8] ^= static_cast<std::uint8_t>(0x80u >> (bit % 8));
            flags |= sim_copy::kCorrupted;
            ++counters_.corrupted;
        }
    }
    const bool reordered = config_.reorder > 0 && random.chance(config_.reorder);
    const Duration jitter = config_.jitter.count() > 0 ? random.duration_up_to(config_.jitter) : Duration{0};
    Instant at = serialised + config_.delay + jitter;
    if (reordered) {
        at += config_.reorder_delay;
        flags |= sim_copy::kReordered;
        ++counters_.reordered;
    } else {
        at = std::max(at, last_arrival_);
        last_arrival_ = at;
    }
    out.deliveries[out.count++] = SimLinkDelivery{at, slot, flags};
    return true;
}

SimLinkOutcome SimLink::transmit(wire::Bytes packet, Instant now, SimRandom& random) {
    SimLinkOutcome out;
    ++counters_.offered;
    if (packet.size() > config_.mtu) {
        ++counters_.dropped_mtu;
        out.drop = SimLinkDrop::Mtu;
        return out;
    }
    const auto size = static_cast<std::uint32_t>(packet.size());
    if (config_.rate_bps != 0) {
        expire_queue(now);
        const bool packets_full = config_.queue_packets != 0 && queue_count_ >= config_.queue_packets;
        const bool bytes_full = config_.queue_bytes != 0 && queue_bytes_ + size > config_.queue_bytes;
        if (packets_full || bytes_full) {
            ++counters_.dropped_queue;
            out.drop = SimLinkDrop::Queue;
            return out;
        }
        busy_until_ = std::max(now, busy_until_) + serialisation_time(size, config_.rate_bps);
        push_queued(Queued{busy_until_, size});
        out.serialised = busy_until_;
    } else {
        out.serialised = now;
    }
    ++counters_.sent;
    counters_.sent_bytes += size;

    const bool twice = config_.duplicate > 0 && random.chance(config_.duplicate);
    const std::uint32_t original = acquire(packet);
    // The second copy is taken before the first is impaired: each copy is corrupted (or not) on its own.
    const std::uint32_t copy = twice ? acquire(packet) : kNoSlot;
    if (twice) ++counters_.duplicated;
    if (!send_copy(original, out.serialised, 0, random, out)) free_slot(original);
    if (twice && !send_copy(copy, out.serialised, sim_copy::kDuplicate, random, out)) free_slot(copy);
    return out;
}

}  // namespace synack::device
