// The out-of-order queue of a connection: which sequence ranges above RCV.NXT are held (their bytes live in the
// receive ring at their sequence position). Linux keeps the out-of-order skbs in an rb-tree
// (tcp_data_queue_ofo(), tcp_ofo_queue(), tcp_prune_ofo_queue()); synack keeps the held ranges, merged when
// they touch, in a treap: O(log n) expected per insertion, removal at either end and lookup, whatever the
// order the segments come in (the SegmentSmack lesson: no O(n) work per segment).
//
// Nodes live in one array taken from the stack's BufferPool when the first range arrives and given back when
// the queue empties, doubling (never past the bound its owner sets) when it fills: no allocation per packet.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tcp/buffer_pool.hpp"
#include "wire/seq32.hpp"

namespace synack::tcp {

struct SeqRange {
    wire::Seq32 start{};
    wire::Seq32 end{};  // one past the last
};

class OfoQueue {
public:
    OfoQueue() = default;
    OfoQueue(const OfoQueue&) = delete;
    OfoQueue& operator=(const OfoQueue&) = delete;
    ~OfoQueue() { clear(); }

    bool empty() const noexcept { return root_ == kNil; }
    std::uint32_t size() const noexcept { return count_; }  // disjoint ranges held
    std::uint32_t node_capacity() const noexcept { return capacity_; }

    // The held range with the greatest start not after `seq`, if any.
    bool floor(wire::Seq32 seq, SeqRange& out) const noexcept;
    // The held range with the least start after `seq`, if any.
    bool next_after(wire::Seq32 seq, SeqRange& out) const noexcept;
    SeqRange front() const noexcept;  // the lowest (not empty())
    SeqRange back() const noexcept;   // the highest (not empty())

    // Whether insert(r) can be done, growing the node array (up to `max_nodes`) if it needs a new node.
    bool make_room(BufferPool& pool, std::uint32_t max_nodes, SeqRange r);
    // Adds [r.start, r.end), merging it with every held range it overlaps or touches (make_room() said yes).
    void insert(SeqRange r) noexcept;
    void pop_front() noexcept;
    void pop_back() noexcept;
    // Forgets everything and gives the node array back to its pool.
    void clear() noexcept;

private:
    static constexpr std::uint32_t kNil = 0xffffffffu;
    struct Node {
        wire::Seq32 start{};
        wire::Seq32 end{};
        std::uint32_t left = kNil;
        std::uint32_t right = kNil;
        std::uint32_t prio = 0;
    };

    bool grow(BufferPool& pool, std::uint32_t max_nodes);
    std::uint32_t alloc(wire::Seq32 start, wire::Seq32 end) noexcept;
    void free_node(std::uint32_t n) noexcept;
    void free_tree(std::uint32_t t) noexcept;
    void split(std::uint32_t t, wire::Seq32 key, std::uint32_t& l, std::uint32_t& r) noexcept;
    std::uint32_t merge(std::uint32_t a, std::uint32_t b) noexcept;
    std::uint32_t erase_min(std::uint32_t t) noexcept;
    std::uint32_t erase_max(std::uint32_t t) noexcept;
    std::uint32_t max_of(std::uint32_t t) const noexcept;
    std::uint32_t min_of(std::uint32_t t) const noexcept;

    Node* nodes_ = nullptr;
    BufferPool* pool_ = nullptr;
    std::size_t bytes_ = 0;          // of the array, as the pool gave it
    std::uint32_t capacity_ = 0;     // nodes the array holds
    std::uint32_t used_ = 0;         // nodes ever handed out from the array (below: the free list)
    std::uint32_t free_ = kNil;      // free list, linked through `left`
    std::uint32_t root_ = kNil;
    std::uint32_t count_ = 0;
    std::uint32_t rng_ = 0x9e3779b9u;  // xorshift32: treap priorities (deterministic)
};

}  // namespace synack::tcp
