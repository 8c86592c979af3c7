// Who holds which port, as Linux's bind buckets say (net/ipv4/inet_connection_sock.c): bound, listening and
// connected sockets, and closed connections the stack still carries (an orphan finishing its close, a
// time-wait entry). bind() and listen() fail with EADDRINUSE when their address overlaps a holder's, unless
// both have SO_REUSEADDR and the holder is not listening (inet_bind_conflict()). The answers were checked
// against the reference kernel pair by pair (tests/api/linux/probes.py, scenario bind_matrix).
#include <algorithm>

#include "api/socket_entry.hpp"

namespace synack::api {

namespace {

// Linux inet_rcv_saddr_equal() with wildcards: 0.0.0.0 (and ::ffff:0.0.0.0) covers IPv4, :: covers IPv6 and,
// without IPV6_V6ONLY, IPv4 too; a specific address covers itself.
bool addresses_overlap(const wire::IpAddress& a, bool a_v6only, const wire::IpAddress& b, bool b_v6only) {
    if (a.is_v4() == b.is_v4()) return a == b || a.is_unspecified() || b.is_unspecified();
    const bool a_any = !a.is_v4() && a.is_unspecified() && !a_v6only;
    const bool b_any = !b.is_v4() && b.is_unspecified() && !b_v6only;
    return a_any || b_any;
}

}  // namespace

void SocketApi::hold_port(Entry& e, std::uint16_t port) {
    e.port = port;
    e.name_port = port;
    port_users_[port].push_back(e.fd);
}

void SocketApi::drop_port(Entry& e) {
    if (e.port == 0) return;
    if (e.reserved) {
        stack_.release_port(e.port);
        e.reserved = false;
    }
    auto it = port_users_.find(e.port);
    if (it != port_users_.end()) {
        auto& fds = it->second;
        fds.erase(std::remove(fds.begin(), fds.end(), e.fd), fds.end());
        if (fds.empty()) port_users_.erase(it);
    }
    e.port = 0;
}

// Linux keeps a connection's port bound until tcp_set_state(TCP_CLOSE) puts it (unless bind() locked it); a
// time-wait entry then holds it in its own name.
bool SocketApi::holds_port(const Entry& e) const noexcept {
    if (e.port == 0) return false;
    if (!e.has_connection()) return true;
    const tcp::Connection* c = connection(e);
    if (c == nullptr) return e.port_locked;
    if (c->state() != tcp::State::kClosed) return true;
    return e.port_locked || stack_.tuple_in_use(c->tuple());
}

bool SocketApi::port_conflict(const Entry& e, std::uint16_t port, const wire::IpAddress& address) const {
    if (auto it = port_users_.find(port); it != port_users_.end()) {
        for (int fd : it->second) {
            const Entry* o = entry(fd);
            if (o == nullptr || o->fd == e.fd || !holds_port(*o)) continue;
            const tcp::Connection* c = connection(*o);
            const wire::IpAddress& held = c != nullptr ? c->tuple().local_address : o->address;
            if (!addresses_overlap(address, e.v6only, held, o->v6only)) continue;
            if (e.reuseaddr && o->reuseaddr && !o->listening()) continue;
            return true;
        }
    }
    prune_departed(port);
    if (auto it = departed_.find(port); it != departed_.end()) {
        for (const Departed& d : it->second) {
            if (!addresses_overlap(address, e.v6only, d.tuple.local_address, d.v6only)) continue;
            if (e.reuseaddr && d.reuse) continue;
            return true;
        }
    }
    return false;
}

// Linux inet_csk_find_open_port() through the stack's choice (listeners and bind() get the odd ports of
// ip_local_port_range first); a port one of our connections or departed sockets holds is passed over.
Result<std::uint16_t, Errno> SocketApi::choose_port(Entry& e, const wire::IpAddress& address) {
    std::vector<std::uint16_t> passed;
    std::optional<std::uint16_t> chosen;
    for (int attempt = 0; attempt < 64 && !chosen; ++attempt) {
        auto r = stack_.reserve_port(address, 0);
        if (!r) break;
        if (port_conflict(e, *r, address)) {
            passed.push_back(*r);
        } else {
            chosen = *r;
        }
    }
    for (std::uint16_t p : passed) stack_.release_port(p);
    if (!chosen) return Err{Errno::kAddrInUse};
    e.reserved = true;
    return *chosen;
}

void SocketApi::remember_departed(const Entry& e, const tcp::FlowTuple& tuple) {
    if (!stack_.tuple_in_use(tuple)) return;
    prune_departed(tuple.local_port);
    departed_[tuple.local_port].push_back(Departed{tuple, e.v6only, e.reuseaddr});
}

void SocketApi::prune_departed(std::uint16_t port) const {
    auto it = departed_.find(port);
    if (it == departed_.end()) return;
    auto& list = it->second;
    list.erase(std::remove_if(list.begin(), list.end(),
                              [this](const Departed& d) { return !stack_.tuple_in_use(d.tuple); }),
               list.end());
    if (list.empty()) departed_.erase(it);
}

}  // namespace synack::api
