// socket, bind, listen, accept, connect, shutdown, close, getsockname, getpeername — each as Linux does it
// (net/socket.c, net/ipv4/af_inet.c, net/ipv6/af_inet6.c, net/ipv4/inet_connection_sock.c, tcp_v4_connect(),
// tcp_v6_connect(), tcp_disconnect()), the function named where the rule comes from.
#include <initializer_list>

#include "api/socket_entry.hpp"

namespace synack::api {

namespace {

using tcp::State;

constexpr int kIpprotoMax = 263;  // IPPROTO_MAX

bool in(State s, std::initializer_list<State> states) {
    for (State x : states) {
        if (s == x) return true;
    }
    return false;
}

bool is_v6_multicast(const wire::IpAddress& a) { return !a.is_v4() && a.octets[0] == 0xff; }

}  // namespace

// ---- Helpers ----

tcp::Connection* SocketApi::connection(const Entry& e) noexcept {
    return e.has_connection() ? stack_.connection(e.connection) : nullptr;
}

const tcp::Connection* SocketApi::connection(const Entry& e) const noexcept {
    return e.has_connection() ? stack_.connection(e.connection) : nullptr;
}

std::uint8_t SocketApi::linux_state(const Entry& e) const noexcept {
    if (e.listening()) return static_cast<std::uint8_t>(State::kListen);
    if (const tcp::Connection* c = connection(e)) return static_cast<std::uint8_t>(c->state());
    return static_cast<std::uint8_t>(State::kClosed);
}

wire::IpAddress SocketApi::any_address(const Entry& e) const noexcept {
    return e.family == abi::kAfInet ? wire::IpAddress(wire::Ipv4Address{}) : wire::IpAddress{};
}

// Linux tcp_poll() (a connection), inet_csk_listen_poll() (a listener), and tcp_poll() of a socket in CLOSE:
// EPOLLHUP, EPOLLOUT (nothing queued), EPOLLIN|EPOLLRDHUP after SHUT_RD, EPOLLERR with a pending error.
std::uint32_t SocketApi::poll_mask(const Entry& e) const {
    if (e.listening()) return stack_.poll(e.listener);
    if (const tcp::Connection* c = connection(e)) return c->poll();
    std::uint32_t mask = abi::kPollHup | abi::kPollOut | abi::kPollWrnorm;
    if ((e.shutdown & kRcvShutdown) != 0) mask |= abi::kPollIn | abi::kPollRdnorm | abi::kPollRdhup;
    if (e.error != Errno::kOk) mask |= abi::kPollErr;
    return mask;
}

// Linux tcp_disconnect() as the socket layer uses it (connect() after a failure, AF_UNSPEC, shutdown() of a
// connecting or listening socket): a listener stops; a live connection is aborted (a reset when synchronized,
// and ECONNRESET for the socket); the socket is CLOSE again, its address and port let go unless bind() named
// them — getsockname() still shows the port (inet_sport).
void SocketApi::disconnect(Entry& e, Instant now) {
    if (e.listening()) {
        (void)stack_.close_listener(e.listener, now);
        unmap_listener(e);
    } else if (e.has_connection()) {
        if (tcp::Connection* c = connection(e)) {
            const State old = c->state();
            if (old == State::kClosed) {
                const tcp::Errno pending = c->take_error();
                if (pending != tcp::Errno::kOk) e.error = from_tcp(pending);
                (void)stack_.close(e.connection, now);
            } else {
                const bool reset = in(old, {State::kEstablished, State::kCloseWait, State::kFinWait1,
                                            State::kFinWait2, State::kSynReceived}) ||
                                   (c->snd_nxt() != c->write_seq() && in(old, {State::kClosing, State::kLastAck}));
                if (reset || old == State::kSynSent) e.error = Errno::kConnReset;
                (void)stack_.abort(e.connection, now);
            }
        }
        unmap_connection(e);
    }
    e.shutdown = 0;
    if (!e.address_locked) e.address = any_address(e);
    if (!e.port_locked) drop_port(e);
    mark(e);
}

// ---- socket() ----

// __sys_socket_create(), __sock_create(), inet_create(), inet6_create().
SysResult SocketApi::socket(int domain, int type, int protocol) {
    if ((type & ~abi::kSockTypeMask & ~(abi::kSockNonblock | abi::kSockCloexec)) != 0) {
        return SysResult::failure(Errno::kInval);
    }
    const int kind = type & abi::kSockTypeMask;
    if (domain < 0 || domain >= abi::kAfMax) return SysResult::failure(Errno::kAfNoSupport);
    if (kind >= abi::kSockMax) return SysResult::failure(Errno::kInval);
    // The families synack implements; Linux knows others (AF_UNIX, AF_PACKET, …).
    if (domain != abi::kAfInet && domain != abi::kAfInet6) return SysResult::failure(Errno::kAfNoSupport);
    if (protocol < 0 || protocol >= kIpprotoMax) return SysResult::failure(Errno::kInval);
    // inet_create(): no protocol of this type at all, or not this protocol. SOCK_DGRAM and SOCK_RAW exist in
    // Linux, not here.
    if (kind != abi::kSockStream) return SysResult::failure(Errno::kSocktNoSupport);
    if (protocol != 0 && protocol != abi::kIpprotoTcp) return SysResult::failure(Errno::kProtoNoSupport);

    auto e = std::make_unique<Entry>();
    e->family = domain;
    e->protocol = abi::kIpprotoTcp;
    if ((type & abi::kSockNonblock) != 0) e->status_flags |= abi::kONonblock;
    e->cloexec = (type & abi::kSockCloexec) != 0;
    e->address = domain == abi::kAfInet ? wire::IpAddress(wire::Ipv4Address{}) : wire::IpAddress{};
    auto fd = allocate(std::move(e));
    if (!fd) return SysResult::failure(fd.error());
    return SysResult::success(*fd);
}

// ---- bind() ----

// inet_bind_sk()/__inet_bind() and inet6_bind_sk()/__inet6_bind(): the checks in Linux's order (IPv4 asks
// whether the address is local before whether the socket is already bound; IPv6 the other way round).
SysResult SocketApi::bind(int fd, const SockAddr& a) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    const bool closed = linux_state(*e) == static_cast<std::uint8_t>(State::kClosed) && !e->has_connection();
    wire::IpAddress address;
    if (e->family == abi::kAfInet) {
        if (a.family != abi::kAfInet) {
            // Compatibility: AF_UNSPEC passes as AF_INET with INADDR_ANY only.
            if (a.family != abi::kAfUnspec || !a.address.is_unspecified()) {
                return SysResult::failure(Errno::kAfNoSupport);
            }
            address = wire::IpAddress(wire::Ipv4Address{});
        } else {
            if (!a.address.is_v4()) return SysResult::failure(Errno::kAfNoSupport);
            address = a.address;
        }
        if (!address.is_unspecified() && !stack_.routing().local_index(address)) {
            return SysResult::failure(Errno::kAddrNotAvail);
        }
        if (!closed || e->port != 0) return SysResult::failure(Errno::kInval);
    } else {
        if (a.family != abi::kAfInet6) return SysResult::failure(Errno::kAfNoSupport);
        if (is_v6_multicast(a.address)) return SysResult::failure(Errno::kInval);
        if (!closed || e->port != 0) return SysResult::failure(Errno::kInval);
        address = a.address;
        // A v4-mapped address on an IPV6_V6ONLY socket "makes no sense" (Linux).
        if (address.is_v4() && e->v6only) return SysResult::failure(Errno::kInval);
        if (!address.is_unspecified() && !stack_.routing().local_index(address)) {
            return SysResult::failure(Errno::kAddrNotAvail);
        }
    }

    const wire::IpAddress previous = e->address;
    e->address = address;
    std::uint16_t port = a.port;
    if (port == 0) {
        auto chosen = choose_port(*e, address);
        if (!chosen) {
            e->address = previous;
            return SysResult::failure(chosen.error());
        }
        port = *chosen;
    } else {
        if (port_conflict(*e, port, address)) {
            e->address = previous;
            return SysResult::failure(Errno::kAddrInUse);
        }
        auto r = stack_.reserve_port(address, port);
        if (!r) {
            e->address = previous;
            return SysResult::failure(from_tcp(r.error()));
        }
        e->reserved = true;
    }
    hold_port(*e, port);
    e->address_locked = !address.is_unspecified();
    e->port_locked = a.port != 0;
    return finish(SysResult::success());
}

// ---- listen() ----

// inet_listen() and inet_csk_listen_start(): an unconnected socket in CLOSE starts listening (bound to an
// ephemeral port if it has none); a listening one only takes the new backlog.
SysResult SocketApi::listen(int fd, int backlog, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if (e->ss != SockState::kUnconnected) return SysResult::failure(Errno::kInval);
    // __sys_listen(): a backlog above somaxconn (or negative, compared unsigned) becomes somaxconn.
    const int somaxconn = stack_.config().somaxconn;
    const int clamped = static_cast<unsigned>(backlog) > static_cast<unsigned>(somaxconn) ? somaxconn : backlog;
    if (e->listening()) {
        (void)stack_.relisten(e->listener, backlog);
        e->backlog = clamped;
        return finish(SysResult::success());
    }
    if (e->has_connection()) return SysResult::failure(Errno::kInval);

    bool chose = false;
    if (e->port == 0) {
        auto chosen = choose_port(*e, e->address);
        if (!chosen) return SysResult::failure(chosen.error());
        hold_port(*e, *chosen);
        chose = true;
    } else if (port_conflict(*e, e->port, e->address)) {
        // Linux checks the bind bucket again as a listener: a socket sharing the port through SO_REUSEADDR
        // may not listen beside another listener.
        return SysResult::failure(Errno::kAddrInUse);
    }
    auto l = stack_.listen(stack::Endpoint{e->address, e->port}, backlog, e->options, e->v6only);
    if (!l) {
        if (chose) drop_port(*e);
        return SysResult::failure(from_tcp(l.error()));
    }
    map_listener(*e, *l);
    e->backlog = clamped;
    e->shutdown = 0;
    mark(*e);
    (void)now;  // the stack's listen() needs no time; kept for the calls' uniform shape
    return finish(SysResult::success());
}

// ---- accept() ----

// __sys_accept4_file() and inet_csk_accept(): a descriptor is found first (EMFILE), then a connection
// (EINVAL if not listening, EAGAIN if none waits). The new socket inherits the listener's options, not its
// file status flags (O_NONBLOCK comes from SOCK_NONBLOCK only).
SysResult SocketApi::accept(int fd, SockAddr* peer, Instant now, int flags) {
    Entry* l = entry(fd);
    if (l == nullptr) return SysResult::failure(Errno::kBadF);
    if ((flags & ~(abi::kSockNonblock | abi::kSockCloexec)) != 0) return SysResult::failure(Errno::kInval);
    if (open_ >= static_cast<std::size_t>(std::max(config_.max_fds - config_.first_fd, 0))) {
        return SysResult::failure(Errno::kMFile);
    }
    if (!l->listening()) return SysResult::failure(Errno::kInval);
    auto id = stack_.accept(l->listener, now);
    if (!id) return SysResult::failure(from_tcp(id.error()));
    const tcp::Connection* c = stack_.connection(*id);

    auto e = std::make_unique<Entry>();
    e->family = l->family;
    e->protocol = l->protocol;
    e->status_flags = abi::kORdwr | ((flags & abi::kSockNonblock) != 0 ? abi::kONonblock : 0);
    e->cloexec = (flags & abi::kSockCloexec) != 0;
    e->ss = SockState::kConnected;
    e->address = c->tuple().local_address;  // not locked: a reset lets the port go (Linux: probes "bind")
    e->options = c->options();
    e->reuseaddr = l->reuseaddr;
    e->v6only = l->v6only;
    e->linger = l->linger;
    e->linger_jiffies = l->linger_jiffies;
    e->congestion = l->congestion;
    auto child = allocate(std::move(e));
    Entry* n = entry(*child);
    map_connection(*n, *id);
    hold_port(*n, c->tuple().local_port);
    if (peer != nullptr) *peer = SockAddr{n->family, c->tuple().remote_address, c->tuple().remote_port, 0, 0};
    mark(*l);
    return finish(SysResult::success(*child));
}

// ---- connect() ----

// __inet_stream_connect(): EALREADY while the handshake runs, 0 the first time after it completed, EISCONN from
// then on; a connection that ended (reset, refused, timed out) gives its error once (ECONNABORTED when it was
// read already) and the socket is disconnected, ready to connect again.
SysResult SocketApi::connect(int fd, const SockAddr& a, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if (a.family == abi::kAfUnspec) {
        disconnect(*e, now);
        e->ss = SockState::kUnconnected;
        return finish(SysResult::success());
    }

    Errno err = Errno::kOk;
    switch (e->ss) {
        case SockState::kConnected:
            return SysResult::failure(Errno::kIsConn);
        case SockState::kDisconnecting:
            return SysResult::failure(Errno::kInval);
        case SockState::kConnecting:
            err = Errno::kAlready;
            break;
        case SockState::kUnconnected: {
            if (e->listening() || e->has_connection()) return SysResult::failure(Errno::kIsConn);
            // tcp_v4_connect(), tcp_v6_connect(): the destination's family, and v4-mapped destinations.
            if (a.family != e->family) return SysResult::failure(Errno::kAfNoSupport);
            if (e->family == abi::kAfInet) {
                if (!a.address.is_v4()) return SysResult::failure(Errno::kAfNoSupport);
            } else if (a.address.is_v4()) {
                if (e->v6only) return SysResult::failure(Errno::kNetUnreach);
                if (!e->address.is_v4() && !e->address.is_unspecified()) return SysResult::failure(Errno::kNetUnreach);
            } else if (e->address.is_v4()) {
                return SysResult::failure(Errno::kAfNoSupport);
            }
            stack::ConnectOptions options;
            options.options = e->options;
            if (e->port != 0 || !e->address.is_unspecified()) {
                options.local = stack::Endpoint{e->address, e->port};
            }
            auto id = stack_.connect(stack::Endpoint{a.address, a.port}, now, options);
            if (!id) return SysResult::failure(from_tcp(id.error()));
            map_connection(*e, *id);
            const tcp::Connection* c = stack_.connection(*id);
            if (e->port == 0) hold_port(*e, c->tuple().local_port);
            e->error = Errno::kOk;  // tcp_connect_init() clears sk_err
            e->shutdown = 0;
            e->ss = SockState::kConnecting;
            err = Errno::kInProgress;
            mark(*e);
            break;
        }
    }

    const tcp::Connection* c = connection(*e);
    const State state = c != nullptr ? c->state() : State::kClosed;
    if (state == State::kSynSent || state == State::kSynReceived) return finish(SysResult::failure(err));
    if (state == State::kClosed) {
        // sock_error() ?: -ECONNABORTED, then the disconnect.
        tcp::Connection* live = connection(*e);
        Errno pending = live != nullptr ? from_tcp(live->take_error()) : Errno::kOk;
        if (pending == Errno::kOk) pending = Errno::kConnAborted;
        e->ss = SockState::kUnconnected;
        disconnect(*e, now);
        return finish(SysResult::failure(pending));
    }
    e->ss = SockState::kConnected;
    return finish(SysResult::success());
}

// ---- shutdown() ----

// inet_shutdown(): a connecting socket counts as connected or disconnecting from here on; CLOSE answers
// ENOTCONN (yet records the shutdown); a listener stops on SHUT_RD; a SYN_SENT connection is disconnected.
SysResult SocketApi::shutdown(int fd, int how, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if (how < abi::kShutRd || how > abi::kShutRdwr) return SysResult::failure(Errno::kInval);
    const auto bits = static_cast<std::uint8_t>(how + 1);
    tcp::Connection* c = connection(*e);
    const State state = e->listening() ? State::kListen : c != nullptr ? c->state() : State::kClosed;
    if (e->ss == SockState::kConnecting) {
        e->ss = in(state, {State::kSynSent, State::kSynReceived, State::kClosed}) ? SockState::kDisconnecting
                                                                                  : SockState::kConnected;
    }
    SysResult r = SysResult::success();
    switch (state) {
        case State::kClosed:
            r = SysResult::failure(Errno::kNotConn);
            if (c != nullptr) {
                (void)c->shutdown(static_cast<tcp::ShutdownHow>(how), now);
            } else {
                e->shutdown |= bits;
            }
            break;
        case State::kListen:
            if ((bits & kRcvShutdown) != 0) {
                disconnect(*e, now);
                e->ss = SockState::kUnconnected;
            }
            break;
        case State::kSynSent:
            (void)c->shutdown(static_cast<tcp::ShutdownHow>(how), now);
            disconnect(*e, now);
            e->ss = SockState::kUnconnected;
            break;
        default:
            (void)c->shutdown(static_cast<tcp::ShutdownHow>(how), now);
            break;
    }
    mark(*e);
    return finish(r);
}

// ---- close() ----

// inet_release() → tcp_close(): a listener stops (connections not yet accepted are reset); a connection closes
// (a FIN, or a reset with unread data or SO_LINGER {1, 0}) and lives on in the stack as an orphan, its port
// still held.
SysResult SocketApi::close(int fd, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if (e->listening()) {
        (void)stack_.close_listener(e->listener, now);
        unmap_listener(*e);
    } else if (e->has_connection()) {
        if (const tcp::Connection* c = connection(*e)) {
            const tcp::FlowTuple tuple = c->tuple();
            const bool had_port = c->state() != State::kClosed || stack_.tuple_in_use(tuple);
            if (e->linger && e->linger_jiffies == 0) {
                (void)stack_.abort(e->connection, now);
            } else {
                (void)stack_.close(e->connection, now);
            }
            if (had_port) remember_departed(*e, tuple);
        }
        unmap_connection(*e);
    }
    drop_port(*e);
    release_fd(fd);
    return finish(SysResult::success());
}

// ---- getsockname(), getpeername() ----

// inet_getname(), inet6_getname(): the local address and port (inet_sport) whatever the state.
SysResult SocketApi::getsockname(int fd, SockAddr& out) const {
    const Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    out = SockAddr{e->family, e->address, e->name_port, 0, 0};
    if (const tcp::Connection* c = connection(*e)) {
        out.address = c->tuple().local_address;
        out.port = c->tuple().local_port;
    }
    return SysResult::success();
}

// The peer, once connected: ENOTCONN while connecting and after the connection ended.
SysResult SocketApi::getpeername(int fd, SockAddr& out) const {
    const Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    const tcp::Connection* c = connection(*e);
    if (c == nullptr || c->state() == State::kClosed || c->state() == State::kSynSent) {
        return SysResult::failure(Errno::kNotConn);
    }
    out = SockAddr{e->family, c->tuple().remote_address, c->tuple().remote_port, 0, 0};
    return SysResult::success();
}

}  // namespace synack::api
