// A simulated one-way point-to-point link carrying bare IP packets: serialisation at a bandwidth behind a bounded
// drop-tail queue, an MTU, propagation delay with jitter, and the impairments of Linux's netem (loss, duplication,
// reordering, corruption). Pure logic: time and the random generator are passed in; the link decides when each
// packet arrives and keeps it in a pooled buffer until the caller collects it.
//
// A packet's path through transmit(packet, now):
//   1. larger than the MTU: dropped (dropped_mtu). Links do not fragment or send ICMP — routers do (sim_router).
//   2. the drop-tail queue: the packets queued or being serialised at `now` (those whose last bit has not left
//      yet); a packet that would exceed queue_packets or queue_bytes is dropped (dropped_queue).
//   3. serialisation: it starts when the transmitter is free (max(now, end of the previous packet)) and lasts
//      ceil(bits * 10^9 / rate_bps) ns; an unlimited rate (0) takes no time and never queues.
//   4. on the wire, with random draws in this fixed order (only for impairments whose setting is non-zero):
//      duplicate? — then for each copy (original first): lost? corrupted? (and which bit) reordered? jitter.
//      A copy arrives at end of serialisation + delay + jitter, but never before a copy sent earlier (jitter alone
//      keeps order, as a real path does); a reordered copy arrives reorder_delay later still and is not held to
//      that rule, so the packets after it overtake it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "device/sim_random.hpp"
#include "wire/bytes.hpp"
#include "wire/instant.hpp"

namespace synack::device {

struct SimLinkConfig {
    Duration delay{0};                 // propagation delay
    Duration jitter{0};                // extra delay per copy, uniform in [0, jitter]
    std::uint64_t rate_bps = 0;        // bandwidth in bits per second; 0: unlimited
    std::size_t queue_packets = 1000;  // drop-tail limit in packets (Linux's default txqueuelen); 0: no limit
    std::size_t queue_bytes = 0;       // drop-tail limit in bytes; 0: no limit
    std::uint32_t mtu = 1500;          // the largest IP packet the link carries
    double loss = 0.0;                 // probability that a copy is lost on the wire
    double duplicate = 0.0;            // probability that the wire delivers a second copy
    double reorder = 0.0;              // probability that a copy is held back by reorder_delay
    Duration reorder_delay{0};
    double corrupt = 0.0;              // probability that one random bit of a copy is flipped
};

struct SimLinkCounters {
    std::uint64_t offered = 0;        // transmit() calls
    std::uint64_t sent = 0;           // packets past the MTU and queue checks
    std::uint64_t sent_bytes = 0;
    std::uint64_t dropped_mtu = 0;
    std::uint64_t dropped_queue = 0;
    std::uint64_t lost = 0;           // copies lost on the wire
    std::uint64_t duplicated = 0;     // packets sent twice
    std::uint64_t corrupted = 0;      // copies with a flipped bit
    std::uint64_t reordered = 0;      // copies held back
    std::uint64_t delivered = 0;      // copies released after delivery
};

enum class SimLinkDrop : std::uint8_t { None, Mtu, Queue };

// Flags of one delivered copy.
namespace sim_copy {
inline constexpr std::uint8_t kDuplicate = 0x01;  // the second copy
inline constexpr std::uint8_t kCorrupted = 0x02;
inline constexpr std::uint8_t kReordered = 0x04;
}  // namespace sim_copy

struct SimLinkDelivery {
    Instant at;
    std::uint32_t packet = 0;  // the pooled buffer: read with SimLink::packet(), then SimLink::release()
    std::uint8_t flags = 0;    // sim_copy::k*
};

struct SimLinkOutcome {
    SimLinkDrop drop = SimLinkDrop::None;  // refused before the wire: no copies at all
    std::uint8_t lost = 0;                 // copies lost on the wire
    std::uint8_t count = 0;                // deliveries[0, count)
    std::array<SimLinkDelivery, 2> deliveries{};
    Instant serialised;                    // when the packet's last bit left (if not refused)
};

class SimLink {
public:
    explicit SimLink(const SimLinkConfig& config);

    // One IP packet offered at `now` (a time never earlier than the previous call's). The bytes are copied.
    SimLinkOutcome transmit(wire::Bytes packet, Instant now, SimRandom& random);

    // A delivered copy's bytes: valid until release(id).
    wire::Bytes packet(std::uint32_t id) const noexcept;
    // Returns the buffer to the pool (and counts the copy delivered).
    void release(std::uint32_t id) noexcept;

    // Packets queued or being serialised at `now`, and their bytes.
    std::size_t backlog_packets(Instant now) noexcept;
    std::size_t backlog_bytes(Instant now) noexcept;
    // Copies sent and not yet released.
    std::size_t in_flight() const noexcept { return in_flight_; }
    // Buffers the pool holds (in use or free); it grows to the high-water mark and never shrinks.
    std::size_t pool_size() const noexcept { return slots_.size(); }

    const SimLinkConfig& config() const noexcept { return config_; }
    // New settings for the packets offered from now on (those in flight keep their times).
    void set_config(const SimLinkConfig& config);
    const SimLinkCounters& counters() const noexcept { return counters_; }

    // Serialisation time of `bytes` at `rate_bps`, rounded up to whole nanoseconds (0 for an unlimited rate).
    static Duration serialisation_time(std::size_t bytes, std::uint64_t rate_bps) noexcept;

private:
    static constexpr std::uint32_t kNoSlot = 0xffffffff;

    struct Slot {
        std::vector<std::uint8_t> bytes;  // capacity of at least the MTU, allocated once
        std::uint32_t size = 0;
        std::uint32_t next_free = kNoSlot;
    };
    // A packet in the transmit queue: when its last bit leaves, and its size.
    struct Queued {
        Instant end;
        std::uint32_t size = 0;
    };

    std::uint32_t acquire(wire::Bytes packet);
    void free_slot(std::uint32_t id) noexcept;
    void expire_queue(Instant now) noexcept;
    void push_queued(Queued q);
    // The copy's impairments; false when it is lost.
    bool send_copy(std::uint32_t slot, Instant serialised, std::uint8_t flags, SimRandom& random,
                   SimLinkOutcome& out);

    SimLinkConfig config_;
    SimLinkCounters counters_;
    std::vector<Slot> slots_;
    std::uint32_t free_head_ = kNoSlot;
    std::size_t in_flight_ = 0;

    // The transmit queue as a ring (power-of-two capacity, grown when full and never shrunk).
    std::vector<Queued> queue_;
    std::size_t queue_head_ = 0;
    std::size_t queue_count_ = 0;
    std::size_t queue_bytes_ = 0;
    Instant busy_until_{};  // when the transmitter finishes the last packet queued

    Instant last_arrival_{};  // latest arrival of a copy that keeps order
};

// Two one-way links, one each way, as a cable is: a_to_b carries what end A sends.
struct SimDuplexLink {
    SimLink a_to_b;
    SimLink b_to_a;

    explicit SimDuplexLink(const SimLinkConfig& both) : a_to_b(both), b_to_a(both) {}
    SimDuplexLink(const SimLinkConfig& a_to_b_config, const SimLinkConfig& b_to_a_config)
        : a_to_b(a_to_b_config), b_to_a(b_to_a_config) {}
};

}  // namespace synack::device
