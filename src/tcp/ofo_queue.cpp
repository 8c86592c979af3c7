// A treap of disjoint, non-touching sequence ranges keyed by their start (see ofo_queue.hpp). All ranges lie
// within one receive window above RCV.NXT, so wrap-around comparison (wire::before) is a total order on them.
#include "tcp/ofo_queue.hpp"

#include <cstring>

namespace synack::tcp {

using wire::after;
using wire::before;
using wire::Seq32;

bool OfoQueue::floor(Seq32 seq, SeqRange& out) const noexcept {
    bool found = false;
    for (std::uint32_t t = root_; t != kNil;) {
        const Node& n = nodes_[t];
        if (after(n.start, seq)) {
            t = n.left;
        } else {
            out = {n.start, n.end};
            found = true;
            t = n.right;
        }
    }
    return found;
}

bool OfoQueue::next_after(Seq32 seq, SeqRange& out) const noexcept {
    bool found = false;
    for (std::uint32_t t = root_; t != kNil;) {
        const Node& n = nodes_[t];
        if (after(n.start, seq)) {
            out = {n.start, n.end};
            found = true;
            t = n.left;
        } else {
            t = n.right;
        }
    }
    return found;
}

std::uint32_t OfoQueue::min_of(std::uint32_t t) const noexcept {
    while (nodes_[t].left != kNil) t = nodes_[t].left;
    return t;
}

std::uint32_t OfoQueue::max_of(std::uint32_t t) const noexcept {
    while (nodes_[t].right != kNil) t = nodes_[t].right;
    return t;
}

SeqRange OfoQueue::front() const noexcept {
    const Node& n = nodes_[min_of(root_)];
    return {n.start, n.end};
}

SeqRange OfoQueue::back() const noexcept {
    const Node& n = nodes_[max_of(root_)];
    return {n.start, n.end};
}

bool OfoQueue::grow(BufferPool& pool, std::uint32_t max_nodes) {
    if (capacity_ >= max_nodes) return false;
    std::size_t bytes = 0;
    auto* fresh = reinterpret_cast<Node*>(pool.acquire(bytes_ == 0 ? 4096 : 2 * bytes_, bytes));
    if (fresh == nullptr) return false;
    if (nodes_ != nullptr) {
        std::memcpy(static_cast<void*>(fresh), nodes_, std::size_t{used_} * sizeof(Node));
        pool_->release(reinterpret_cast<std::uint8_t*>(nodes_), bytes_);
    }
    nodes_ = fresh;
    pool_ = &pool;
    bytes_ = bytes;
    const std::size_t fits = bytes / sizeof(Node);
    capacity_ = static_cast<std::uint32_t>(fits < max_nodes ? fits : max_nodes);
    return true;
}

std::uint32_t OfoQueue::alloc(Seq32 start, Seq32 end) noexcept {
    std::uint32_t n;
    if (free_ != kNil) {
        n = free_;
        free_ = nodes_[n].left;
    } else {
        n = used_++;
    }
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 17;
    rng_ ^= rng_ << 5;
    nodes_[n] = Node{start, end, kNil, kNil, rng_};
    ++count_;
    return n;
}

void OfoQueue::free_node(std::uint32_t n) noexcept {
    nodes_[n].left = free_;
    free_ = n;
    --count_;
}

void OfoQueue::free_tree(std::uint32_t t) noexcept {
    // Iterative: detach the left subtree by rotating it onto the right spine.
    while (t != kNil) {
        Node& n = nodes_[t];
        if (n.left != kNil) {
            const std::uint32_t l = n.left;
            n.left = nodes_[l].right;
            nodes_[l].right = t;
            t = l;
        } else {
            const std::uint32_t r = n.right;
            free_node(t);
            t = r;
        }
    }
}

// l: the ranges starting before `key`; r: the others.
void OfoQueue::split(std::uint32_t t, Seq32 key, std::uint32_t& l, std::uint32_t& r) noexcept {
    if (t == kNil) {
        l = r = kNil;
        return;
    }
    if (before(nodes_[t].start, key)) {
        split(nodes_[t].right, key, nodes_[t].right, r);
        l = t;
    } else {
        split(nodes_[t].left, key, l, nodes_[t].left);
        r = t;
    }
}

// Every range of a before every range of b.
std::uint32_t OfoQueue::merge(std::uint32_t a, std::uint32_t b) noexcept {
    if (a == kNil) return b;
    if (b == kNil) return a;
    if (nodes_[a].prio > nodes_[b].prio) {
        nodes_[a].right = merge(nodes_[a].right, b);
        return a;
    }
    nodes_[b].left = merge(a, nodes_[b].left);
    return b;
}

std::uint32_t OfoQueue::erase_min(std::uint32_t t) noexcept {
    if (nodes_[t].left == kNil) {
        const std::uint32_t r = nodes_[t].right;
        free_node(t);
        return r;
    }
    nodes_[t].left = erase_min(nodes_[t].left);
    return t;
}

std::uint32_t OfoQueue::erase_max(std::uint32_t t) noexcept {
    if (nodes_[t].right == kNil) {
        const std::uint32_t l = nodes_[t].left;
        free_node(t);
        return l;
    }
    nodes_[t].right = erase_max(nodes_[t].right);
    return t;
}

bool OfoQueue::make_room(BufferPool& pool, std::uint32_t max_nodes, SeqRange r) {
    if (free_ != kNil || used_ < capacity_) return true;
    // Full: fine if it merges into a held range (no new node), else the array must grow.
    SeqRange near{};
    const bool touches = (floor(r.start, near) && !before(near.end, r.start)) ||
                         (next_after(r.start, near) && !after(near.start, r.end));
    return touches || grow(pool, max_nodes);
}

void OfoQueue::insert(SeqRange r) noexcept {
    Seq32 start = r.start;
    Seq32 end = r.end;
    std::uint32_t left = kNil;
    std::uint32_t rest = kNil;
    split(root_, start, left, rest);
    if (left != kNil) {
        const Node& m = nodes_[max_of(left)];
        if (!before(m.end, start)) {  // overlaps or touches from below
            start = m.start;
            if (after(m.end, end)) end = m.end;
            left = erase_max(left);
        }
    }
    std::uint32_t mid = kNil;
    std::uint32_t right = kNil;
    split(rest, end + 1, mid, right);  // mid: ranges starting at or before `end`
    if (mid != kNil) {
        const Node& m = nodes_[max_of(mid)];
        if (after(m.end, end)) end = m.end;
        free_tree(mid);
    }
    const std::uint32_t n = alloc(start, end);
    root_ = merge(merge(left, n), right);
}

void OfoQueue::pop_front() noexcept {
    root_ = erase_min(root_);
    if (root_ == kNil) clear();
}

void OfoQueue::pop_back() noexcept {
    root_ = erase_max(root_);
    if (root_ == kNil) clear();
}

void OfoQueue::clear() noexcept {
    if (nodes_ != nullptr) pool_->release(reinterpret_cast<std::uint8_t*>(nodes_), bytes_);
    nodes_ = nullptr;
    bytes_ = 0;
    capacity_ = 0;
    used_ = 0;
    free_ = kNil;
    root_ = kNil;
    count_ = 0;
}

}  // namespace synack::tcp
