// The connection table: one array of chain heads indexed by a SipHash-2-4 of the 4-tuple under a per-stack secret
// (so peers cannot aim many connections at one chain), each chain holding connections and time-wait entries as
// 32-bit tagged links (Linux keeps both in its ehash); it doubles when it holds as many entries as heads. The
// hash is computed once per packet. Request entries have a table of their own (buckets_), sized by their count.
// Listeners are found by port, then by the most specific address (Linux's compute_score()).
#include <cstring>

#include "stack/stack.hpp"

namespace synack::stack {

namespace {

using tcp::kNoLink;

bool is_time_wait(std::uint32_t link) noexcept { return (link & kTimeWaitLink) != 0; }
std::uint32_t index_of(std::uint32_t link) noexcept { return link & ~kTimeWaitLink; }

constexpr std::size_t kMinBuckets = 16;

}  // namespace

std::uint64_t Stack::flow_hash(const tcp::FlowTuple& t) const noexcept {
    std::uint8_t key[36];
    std::memcpy(key, t.local_address.octets.data(), 16);
    std::memcpy(key + 16, t.remote_address.octets.data(), 16);
    wire::store_be16(key + 32, t.local_port);
    wire::store_be16(key + 34, t.remote_port);
    return table_hash_(key, sizeof key);
}

tcp::FlowTuple Stack::tuple_of(const Request& r) const {
    return tcp::FlowTuple{routing_.address_at(r.local_address), r.remote_address, r.local_port, r.remote_port};
}

tcp::FlowTuple Stack::tuple_of(const tcp::TimeWaitEntry& e) const {
    return tcp::FlowTuple{routing_.address_at(e.local_address), e.remote_address, e.local_port, e.remote_port};
}

std::uint32_t& Stack::next_of(std::uint32_t link) noexcept {
    if (is_time_wait(link)) return time_wait_.at(index_of(link)).hash_next;
    return sockets_.at(link)->hash_next;
}

std::uint32_t Stack::find_entry(const tcp::FlowTuple& t, std::uint64_t hash) const noexcept {
    const auto h32 = static_cast<std::uint32_t>(hash);
    for (std::uint32_t link = table_[hash & (table_.size() - 1)]; link != kNoLink;) {
        if (is_time_wait(link)) {
            const tcp::TimeWaitEntry& e = time_wait_.at(index_of(link));
            if (e.local_port == t.local_port && e.remote_port == t.remote_port && e.remote_address == t.remote_address &&
                routing_.address_at(e.local_address) == t.local_address) {
                return link;
            }
            link = e.hash_next;
        } else {
            const Socket* s = sockets_.at(link);
            if (s->hash == h32 && s->tuple() == t) return link;
            link = s->hash_next;
        }
    }
    return kNoLink;
}

Request* Stack::find_request(const tcp::FlowTuple& t, std::uint64_t hash) const noexcept {
    for (Request* r = buckets_[hash & (buckets_.size() - 1)].requests; r != nullptr; r = r->hash_next) {
        if (r->local_port == t.local_port && r->remote_port == t.remote_port && r->remote_address == t.remote_address &&
            routing_.address_at(r->local_address) == t.local_address) {
            return r;
        }
    }
    return nullptr;
}

Socket* Stack::find_socket(const tcp::FlowTuple& t) const noexcept {
    const std::uint32_t link = find_entry(t, flow_hash(t));
    return link == kNoLink || is_time_wait(link) ? nullptr : sockets_.at(link);
}

Request* Stack::find_request(const tcp::FlowTuple& t) const noexcept { return find_request(t, flow_hash(t)); }

std::uint32_t Stack::find_time_wait(const tcp::FlowTuple& t) const noexcept {
    const std::uint32_t link = find_entry(t, flow_hash(t));
    return link != kNoLink && is_time_wait(link) ? index_of(link) : kNoLink;
}

void Stack::link_entry(std::uint32_t link, std::uint64_t hash) {
    maybe_grow();
    std::uint32_t& head = table_[hash & (table_.size() - 1)];
    next_of(link) = head;
    head = link;
}

void Stack::unlink_entry(std::uint32_t link, std::uint64_t hash) noexcept {
    std::uint32_t* p = &table_[hash & (table_.size() - 1)];
    while (*p != kNoLink && *p != link) p = &next_of(*p);
    if (*p == link) *p = next_of(link);
    next_of(link) = kNoLink;
}

void Stack::hash_socket(Socket& s) { hash_socket(s, flow_hash(s.tuple())); }

void Stack::hash_socket(Socket& s, std::uint64_t hash) {
    s.hash = static_cast<std::uint32_t>(hash);
    link_entry(s.index, hash);
    s.hashed = true;
}

// The stored hash holds the low 32 bits, all the table's mask ever takes (it has fewer than 2^32 heads).
void Stack::unhash_socket(Socket& s) {
    if (!s.hashed) return;
    unlink_entry(s.index, s.hash);
    s.hashed = false;
}

void Stack::hash_time_wait(std::uint32_t i, std::uint64_t hash) { link_entry(i | kTimeWaitLink, hash); }

void Stack::unhash_time_wait(std::uint32_t i) {
    unlink_entry(i | kTimeWaitLink, flow_hash(tuple_of(time_wait_.at(i))));
}

void Stack::hash_request(Request& r, std::uint64_t hash) {
    r.hash = static_cast<std::uint32_t>(hash);
    if (request_count_ > buckets_.size()) {
        std::vector<Bucket> old(buckets_.size() * 2);
        old.swap(buckets_);
        for (Bucket& b : old) {
            for (Request* q = b.requests; q != nullptr;) {
                Request* next = q->hash_next;
                Bucket& nb = buckets_[q->hash & (buckets_.size() - 1)];
                q->hash_next = nb.requests;
                nb.requests = q;
                q = next;
            }
        }
    }
    Bucket& b = buckets_[r.hash & (buckets_.size() - 1)];
    r.hash_next = b.requests;
    b.requests = &r;
}

void Stack::unhash_request(Request& r) {
    Request** p = &buckets_[r.hash & (buckets_.size() - 1)].requests;
    while (*p != nullptr && *p != &r) p = &(*p)->hash_next;
    if (*p == &r) *p = r.hash_next;
    r.hash_next = nullptr;
}

// Doubles the table once it holds as many entries as heads, relinking every chain.
void Stack::maybe_grow() {
    const std::size_t entries = socket_count_ + time_wait_.size();
    if (entries < table_.size() && table_.size() >= kMinBuckets) return;
    std::vector<std::uint32_t> old(std::max(table_.size() * 2, kMinBuckets), kNoLink);
    old.swap(table_);
    const std::size_t mask = table_.size() - 1;
    for (std::uint32_t head : old) {
        for (std::uint32_t link = head; link != kNoLink;) {
            std::uint32_t& next = next_of(link);
            const std::uint32_t following = next;
            const std::uint64_t hash =
                is_time_wait(link) ? flow_hash(tuple_of(time_wait_.at(index_of(link)))) : sockets_.at(link)->hash;
            std::uint32_t& head_now = table_[hash & mask];
            next = head_now;
            head_now = link;
            link = following;
        }
    }
}

// Linux __inet_lookup_listener(): an exact local address beats a wildcard one.
Listener* Stack::find_listener(const wire::IpAddress& local, std::uint16_t port) const noexcept {
    const auto it = listeners_by_port_.find(port);
    if (it == listeners_by_port_.end()) return nullptr;
    Listener* wildcard = nullptr;
    for (Listener* l : it->second) {
        if (!l->open || !l->matches(local)) continue;
        if (!l->address.is_unspecified()) return l;
        // An IPv4 wildcard is a better match for an IPv4 packet than an IPv6 one.
        if (wildcard == nullptr || (local.is_v4() && l->address.is_v4())) wildcard = l;
    }
    return wildcard;
}

}  // namespace synack::stack
