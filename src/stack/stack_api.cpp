// The application's calls, with Linux's errors: listen (inet_csk_listen_start()), accept, connect
// (tcp_v4_connect(), tcp_v6_connect()), send, recv, shutdown, close, abort, and their queries.
#include <algorithm>

#include "stack/stack.hpp"
#include "tcp/timing.hpp"

namespace synack::stack {

using tcp::Errno;

Result<std::uint16_t, Errno> Stack::reserve_port(const wire::IpAddress& address, std::uint16_t port) {
    if (!address.is_unspecified() && !routing_.local_index(address)) return Err{Errno::kAddrNotAvail};
    if (port == 0) {
        // Linux inet_csk_find_open_port(): listeners and bind() get the other parity than connect()'s first
        // choice, from a random point of the range.
        const std::uint32_t low = config_.ip_local_port_range[0];
        const std::uint32_t high = static_cast<std::uint32_t>(config_.ip_local_port_range[1]) + 1;
        std::uint32_t remaining = high - low;
        if (remaining > 1) remaining &= ~1u;
        std::uint32_t offset = rng_.below(remaining) | 1u;
        for (int pass = 0; pass < 2; ++pass) {
            std::uint32_t candidate = low + (offset % remaining);
            for (std::uint32_t i = 0; i < remaining; i += 2, candidate += 2) {
                if (candidate >= high) candidate -= remaining;
                const auto p = static_cast<std::uint16_t>(candidate);
                if (!port_reserved(p) && listeners_by_port_.count(p) == 0) {
                    ++reserved_ports_[p];
                    return p;
                }
            }
            offset ^= 1u;
        }
        return Err{Errno::kAddrInUse};
    }
    ++reserved_ports_[port];
    return port;
}

void Stack::release_port(std::uint16_t port) {
    auto it = reserved_ports_.find(port);
    if (it == reserved_ports_.end()) return;
    if (--it->second == 0) reserved_ports_.erase(it);
}

bool Stack::port_reserved(std::uint16_t port) const noexcept {
    return reserved_ports_.count(port) != 0 || listeners_by_port_.count(port) != 0;
}

Result<ListenerId, Errno> Stack::listen(const Endpoint& local, int backlog, const tcp::SocketOptions& options,
                                        bool v6only) {
    if (!local.address.is_unspecified() && !routing_.local_index(local.address)) return Err{Errno::kAddrNotAvail};
    std::uint16_t port = local.port;
    if (port == 0) {
        auto chosen = reserve_port(local.address, 0);
        if (!chosen) return Err{chosen.error()};
        port = *chosen;
        release_port(port);
    }
    // Two listeners on one port must not overlap (SO_REUSEPORT is not supported): Linux inet_rcv_saddr_equal()
    // with wildcards — 0.0.0.0 covers IPv4, :: covers IPv6 and, without IPV6_V6ONLY, IPv4 too.
    auto overlap = [](const wire::IpAddress& a, bool a_only, const wire::IpAddress& b, bool b_only) {
        if (a.is_v4() == b.is_v4()) return a == b || a.is_unspecified() || b.is_unspecified();
        const bool a_any = !a.is_v4() && a.is_unspecified() && !a_only;
        const bool b_any = !b.is_v4() && b.is_unspecified() && !b_only;
        return a_any || b_any;
    };
    if (auto it = listeners_by_port_.find(port); it != listeners_by_port_.end()) {
        for (const Listener* l : it->second) {
            if (l->open && overlap(l->address, l->v6only, local.address, v6only)) return Err{Errno::kAddrInUse};
        }
    }
    auto l = std::make_unique<Listener>();
    l->address = local.address;
    l->port = port;
    l->v6only = v6only;
    // Linux: backlog above somaxconn (or negative) becomes somaxconn.
    const auto somaxconn = static_cast<unsigned>(config_.somaxconn);
    l->backlog = static_cast<unsigned>(backlog) > somaxconn ? config_.somaxconn : backlog;
    l->options = options;
    l->open = true;
    std::size_t slot = listeners_.size();
    for (std::size_t i = 0; i < listeners_.size(); ++i) {
        if (!listeners_[i]) {
            slot = i;
            break;
        }
    }
    std::uint32_t generation = 1;
    if (slot == listeners_.size()) listeners_.push_back(nullptr);
    l->index = static_cast<std::uint32_t>(slot);
    l->generation = generation + static_cast<std::uint32_t>(listener_generation_++);
    Listener* raw = l.get();
    listeners_[slot] = std::move(l);
    listeners_by_port_[port].push_back(raw);
    return raw->id();
}

Result<void, Errno> Stack::relisten(ListenerId id, int backlog) {
    Listener* l = listener_at(id);
    if (l == nullptr) return Err{Errno::kBadF};
    const auto somaxconn = static_cast<unsigned>(config_.somaxconn);
    l->backlog = static_cast<unsigned>(backlog) > somaxconn ? config_.somaxconn : backlog;
    return {};
}

tcp::SocketOptions* Stack::listener_options(ListenerId id) noexcept {
    Listener* l = listener_at(id);
    return l == nullptr ? nullptr : &l->options;
}

bool Stack::tuple_in_use(const tcp::FlowTuple& tuple) const noexcept {
    return find_socket(tuple) != nullptr || find_time_wait(tuple) != tcp::kNoLink;
}

const tcp::Connection* Stack::find_connection(const tcp::FlowTuple& tuple) const noexcept {
    return find_socket(tuple);
}

Listener* Stack::listener_at(ListenerId id) const noexcept {
    if (id.index >= listeners_.size() || !listeners_[id.index]) return nullptr;
    Listener* l = listeners_[id.index].get();
    return l->generation == id.generation && l->open ? l : nullptr;
}

Result<void, Errno> Stack::close_listener(ListenerId id, Instant now) {
    now_ = now;
    Listener* l = listener_at(id);
    if (l == nullptr) return Err{Errno::kBadF};
    l->open = false;
    // Connections nobody accepted: reset (inet_child_forget() → tcp_disconnect()).
    while (Socket* s = l->accept_head) {
        l->accept_head = s->accept_next;
        s->accept_next = nullptr;
        s->listener = nullptr;
        s->released = true;
        s->abort(now);
        settle(*s);
    }
    l->accept_tail = nullptr;
    l->accept_count = 0;
    // Request entries go quietly: the peer's next segment finds no socket.
    for (Bucket& b : buckets_) {
        Request** p = &b.requests;
        while (*p != nullptr) {
            Request* r = *p;
            if (r->listener == l) {
                *p = r->hash_next;
                r->hash_next = nullptr;
                trace_transition(tuple_of(*r), ConnectionId{}, tcp::State::kSynReceived, tcp::State::kClosed);
                free_request(r);
            } else {
                p = &r->hash_next;
            }
        }
    }
    auto& list = listeners_by_port_[l->port];
    list.erase(std::remove(list.begin(), list.end(), l), list.end());
    if (list.empty()) listeners_by_port_.erase(l->port);
    listeners_[id.index].reset();
    return {};
}

Result<ConnectionId, Errno> Stack::accept(ListenerId id, Instant now) {
    now_ = now;
    Listener* l = listener_at(id);
    if (l == nullptr) return Err{Errno::kInval};
    Socket* s = l->accept_head;
    if (s == nullptr) return Err{Errno::kAgain};
    l->accept_head = s->accept_next;
    if (l->accept_head == nullptr) l->accept_tail = nullptr;
    --l->accept_count;
    s->accept_next = nullptr;
    s->listener = nullptr;
    return s->id();
}

std::uint32_t Stack::poll(ListenerId id) const noexcept {
    const Listener* l = listener_at(id);
    if (l == nullptr) return tcp::poll_bits::kHup;
    return l->accept_head != nullptr ? (tcp::poll_bits::kIn | tcp::poll_bits::kRdNorm) : 0;
}

std::size_t Stack::accept_queue_length(ListenerId id) const noexcept {
    const Listener* l = listener_at(id);
    return l == nullptr ? 0 : l->accept_count;
}

Result<ConnectionId, Errno> Stack::connect(const Endpoint& remote, Instant now, const ConnectOptions& options) {
    now_ = now;
    const Route* route = routing_.lookup(remote.address);
    if (route == nullptr) return Err{Errno::kNetUnreach};
    wire::IpAddress local_address;
    if (options.local && !options.local->address.is_unspecified()) {
        if (!routing_.local_index(options.local->address)) return Err{Errno::kAddrNotAvail};
        if (options.local->address.is_v4() != remote.address.is_v4()) return Err{Errno::kInval};
        local_address = options.local->address;
    } else {
        auto source = routing_.source_for(remote.address, route->interface);
        if (!source) return Err{Errno::kAddrNotAvail};
        local_address = *source;
    }
    std::optional<tcp::TimeWaitEntry> reused;
    std::uint16_t local_port = options.local ? options.local->port : 0;
    if (local_port != 0) {
        if (!tuple_available(tcp::FlowTuple{local_address, remote.address, local_port, remote.port}, true, now, reused)) {
            return Err{Errno::kAddrNotAvail};
        }
    } else {
        auto chosen = choose_ephemeral_port(local_address, remote.address, remote.port, now, reused);
        if (!chosen) return Err{chosen.error()};
        local_port = *chosen;
    }
    tcp::ConnectionParams p;
    p.tuple = tcp::FlowTuple{local_address, remote.address, local_port, remote.port};
    p.mtu = routing_.interface(route->interface).mtu;
    if (reused) {
        // Linux tcp_twsk_unique(): the new connection continues the old one's sequence space and timestamps.
        p.iss = tcp::time_wait_reuse_isn(*reused);
        p.ts_recent = reused->ts_recent;
        p.ts_recent_stamp = tcp::time_wait_ts_recent_stamp(*reused, now);
    } else {
        p.iss = isn_.isn(local_address, local_port, remote.address, remote.port, now);
    }
    p.ts_offset = config_.tcp_timestamps ? ts_offset_for(local_address, remote.address) : 0;
    p.txhash = rng_.u32();
    p.ip_id = static_cast<std::uint16_t>(rng_.u32());  // Linux tcp_v4_connect(): inet_id = get_random_u16()
    p.options = options.options;
    Socket* s = new_socket(p);
    hash_socket(*s);
    s->connect(now);
    const ConnectionId id = s->id();
    settle(*s);
    return id;
}

Result<std::size_t, Errno> Stack::send(ConnectionId id, wire::Bytes data, Instant now) {
    now_ = now;
    Socket* s = socket_at(id);
    if (s == nullptr) return Err{Errno::kBadF};
    auto r = s->send(data, now);
    settle(*s);
    return r;
}

Result<std::size_t, Errno> Stack::recv(ConnectionId id, wire::MutableBytes out, Instant now) {
    now_ = now;
    Socket* s = socket_at(id);
    if (s == nullptr) return Err{Errno::kBadF};
    auto r = s->recv(out, now);
    settle(*s);
    return r;
}

Result<void, Errno> Stack::shutdown(ConnectionId id, tcp::ShutdownHow how, Instant now) {
    now_ = now;
    Socket* s = socket_at(id);
    if (s == nullptr) return Err{Errno::kBadF};
    auto r = s->shutdown(how, now);
    settle(*s);
    return r;
}

Result<void, Errno> Stack::close(ConnectionId id, Instant now) {
    now_ = now;
    Socket* s = socket_at(id);
    if (s == nullptr) return Err{Errno::kBadF};
    s->close(now);
    s->released = true;
    settle(*s);
    return {};
}

Result<void, Errno> Stack::abort(ConnectionId id, Instant now) {
    now_ = now;
    Socket* s = socket_at(id);
    if (s == nullptr) return Err{Errno::kBadF};
    s->abort(now);
    s->released = true;
    settle(*s);
    return {};
}

std::optional<Endpoint> Stack::local_endpoint(ConnectionId id) const noexcept {
    const Socket* s = socket_at(id);
    if (s == nullptr) return std::nullopt;
    return Endpoint{s->tuple().local_address, s->tuple().local_port};
}

}  // namespace synack::stack
