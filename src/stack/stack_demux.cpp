// The connection table: one bucket array indexed by a SipHash-2-4 of the 4-tuple under a per-stack secret
// (so peers cannot aim many connections at one bucket), holding three chains per bucket — connections,
// request entries, time-wait entries (Linux keeps all three in its ehash). It doubles when it fills.
// Listeners are found by port, then by the most specific address (Linux's compute_score()).
#include <cstring>

#include "stack/stack.hpp"
#include "tcp/siphash.hpp"

namespace synack::stack {

namespace {
using tcp::kNoLink;
}

std::size_t Stack::bucket_of(const tcp::FlowTuple& t) const noexcept {
    std::uint8_t key[36];
    std::memcpy(key, t.local_address.octets.data(), 16);
    std::memcpy(key + 16, t.remote_address.octets.data(), 16);
    wire::store_be16(key + 32, t.local_port);
    wire::store_be16(key + 34, t.remote_port);
    return static_cast<std::size_t>(tcp::siphash24(wire::Bytes(key, sizeof key), table_key_)) & (buckets_.size() - 1);
}

tcp::FlowTuple Stack::tuple_of(const Request& r) const {
    return tcp::FlowTuple{routing_.address_at(r.local_address), r.remote_address, r.local_port, r.remote_port};
}

tcp::FlowTuple Stack::tuple_of(const tcp::TimeWaitEntry& e) const {
    return tcp::FlowTuple{routing_.address_at(e.local_address), e.remote_address, e.local_port, e.remote_port};
}

Socket* Stack::find_socket(const tcp::FlowTuple& t) const noexcept {
    for (Socket* s = buckets_[bucket_of(t)].sockets; s != nullptr; s = s->hash_next) {
        if (s->tuple() == t) return s;
    }
    return nullptr;
}

Request* Stack::find_request(const tcp::FlowTuple& t) const noexcept {
    for (Request* r = buckets_[bucket_of(t)].requests; r != nullptr; r = r->hash_next) {
        if (r->local_port == t.local_port && r->remote_port == t.remote_port && r->remote_address == t.remote_address &&
            routing_.address_at(r->local_address) == t.local_address) {
            return r;
        }
    }
    return nullptr;
}

std::uint32_t Stack::find_time_wait(const tcp::FlowTuple& t) const noexcept {
    for (std::uint32_t i = buckets_[bucket_of(t)].time_wait; i != kNoLink; i = time_wait_.at(i).hash_next) {
        const tcp::TimeWaitEntry& e = time_wait_.at(i);
        if (e.local_port == t.local_port && e.remote_port == t.remote_port && e.remote_address == t.remote_address &&
            routing_.address_at(e.local_address) == t.local_address) {
            return i;
        }
    }
    return kNoLink;
}

void Stack::hash_socket(Socket& s) {
    maybe_grow();
    Bucket& b = buckets_[bucket_of(s.tuple())];
    s.hash_next = b.sockets;
    b.sockets = &s;
    s.hashed = true;
}

void Stack::unhash_socket(Socket& s) {
    if (!s.hashed) return;
    Socket** p = &buckets_[bucket_of(s.tuple())].sockets;
    while (*p != nullptr && *p != &s) p = &(*p)->hash_next;
    if (*p == &s) *p = s.hash_next;
    s.hash_next = nullptr;
    s.hashed = false;
}

void Stack::hash_request(Request& r) {
    maybe_grow();
    Bucket& b = buckets_[bucket_of(tuple_of(r))];
    r.hash_next = b.requests;
    b.requests = &r;
}

void Stack::unhash_request(Request& r) {
    Request** p = &buckets_[bucket_of(tuple_of(r))].requests;
    while (*p != nullptr && *p != &r) p = &(*p)->hash_next;
    if (*p == &r) *p = r.hash_next;
    r.hash_next = nullptr;
}

void Stack::hash_time_wait(std::uint32_t i) {
    maybe_grow();
    tcp::TimeWaitEntry& e = time_wait_.at(i);
    Bucket& b = buckets_[bucket_of(tuple_of(e))];
    e.hash_next = b.time_wait;
    b.time_wait = i;
}

void Stack::unhash_time_wait(std::uint32_t i) {
    tcp::TimeWaitEntry& e = time_wait_.at(i);
    std::uint32_t* p = &buckets_[bucket_of(tuple_of(e))].time_wait;
    while (*p != kNoLink && *p != i) p = &time_wait_.at(*p).hash_next;
    if (*p == i) *p = e.hash_next;
    e.hash_next = kNoLink;
}

// Doubles the table once it holds as many entries as buckets, rehashing every chain.
void Stack::maybe_grow() {
    const std::size_t entries = socket_count_ + request_count_ + time_wait_.size();
    if (entries < buckets_.size()) return;
    std::vector<Bucket> old(buckets_.size() * 2);
    old.swap(buckets_);
    for (Bucket& b : old) {
        for (Socket* s = b.sockets; s != nullptr;) {
            Socket* next = s->hash_next;
            Bucket& nb = buckets_[bucket_of(s->tuple())];
            s->hash_next = nb.sockets;
            nb.sockets = s;
            s = next;
        }
        for (Request* r = b.requests; r != nullptr;) {
            Request* next = r->hash_next;
            Bucket& nb = buckets_[bucket_of(tuple_of(*r))];
            r->hash_next = nb.requests;
            nb.requests = r;
            r = next;
        }
        for (std::uint32_t i = b.time_wait; i != kNoLink;) {
            tcp::TimeWaitEntry& e = time_wait_.at(i);
            const std::uint32_t next = e.hash_next;
            Bucket& nb = buckets_[bucket_of(tuple_of(e))];
            e.hash_next = nb.time_wait;
            nb.time_wait = i;
            i = next;
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
