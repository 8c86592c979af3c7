// Construction, configuration, the connections' Host, timers, and the bookkeeping every event ends with.
#include "stack/stack.hpp"

#include <algorithm>

#include "tcp/timing.hpp"

namespace synack::stack {

namespace {

tcp::IsnGenerator isn_generator_for(std::uint64_t seed) {
    SplitMix64 sm(seed);
    const tcp::SipHashKey isn_key = sm.key();
    const tcp::SipHashKey ts_key = sm.key();
    return tcp::IsnGenerator(isn_key, ts_key);
}

}  // namespace

Stack::Stack(const StackConfig& config, PacketSink& sink, std::uint64_t seed)
    : config_(config), sink_(sink), rng_(0), isn_(isn_generator_for(seed)) {
    // Every secret from the one seed: the ISN and timestamp keys (above), then these, then the generator.
    SplitMix64 sm(seed);
    (void)sm.key();
    (void)sm.key();
    table_hash_ = tcp::SipHasher(sm.key());
    flow_key_ = sm.key();
    port_key_ = sm.key();
    rng_ = Xoshiro256(sm.next());
    std::size_t n = 1;
    while (n < std::max<std::size_t>(config_.initial_buckets, 16)) n <<= 1;
    table_.assign(n, tcp::kNoLink);
    buckets_.assign(16, Bucket{});
    tx_buffer_.resize(65536 + 128);
}

Stack::~Stack() {
    sockets_.for_each([this](Socket& s) { wheel_.cancel(s); });
    requests_.for_each([this](Request& r) { request_wheel_.cancel(r); });
}

// ---- Configuration ----

InterfaceId Stack::add_interface(std::string name, std::uint32_t mtu) { return routing_.add_interface(std::move(name), mtu); }

Result<void, tcp::Errno> Stack::add_address(InterfaceId interface, const wire::IpAddress& address,
                                            std::uint8_t prefix_len) {
    if (!routing_.has_interface(interface)) return Err{tcp::Errno::kInval};
    if (prefix_len > (address.is_v4() ? 32 : 128)) return Err{tcp::Errno::kInval};
    if (!routing_.add_address(interface, address, prefix_len)) return Err{tcp::Errno::kNoBufs};
    // Like Linux, an address brings the route to its prefix on its interface.
    routing_.add_route(Route{address, prefix_len, interface, std::nullopt});
    return {};
}

Result<void, tcp::Errno> Stack::add_route(const wire::IpAddress& prefix, std::uint8_t prefix_len, InterfaceId interface,
                                          std::optional<wire::IpAddress> gateway) {
    if (!routing_.has_interface(interface)) return Err{tcp::Errno::kInval};
    if (prefix_len > (prefix.is_v4() ? 32 : 128)) return Err{tcp::Errno::kInval};
    routing_.add_route(Route{prefix, prefix_len, interface, gateway});
    return {};
}

std::uint32_t Stack::ts_offset_for(const wire::IpAddress& local, const wire::IpAddress& remote) const noexcept {
    return isn_.ts_offset(local, remote);
}

// ---- Entities ----

Socket* Stack::new_socket(const tcp::ConnectionParams& params) {
    // A reused slot carries the generation its last socket left (handles to that socket are stale now).
    const auto placed = sockets_.emplace(static_cast<tcp::Host&>(*this), params);
    Socket* s = placed.object;
    s->index = placed.index;
    s->generation = placed.tag == 0 ? 1 : placed.tag;
    ++socket_count_;
    return s;
}

void Stack::free_socket(Socket* s) {
    wheel_.cancel(*s);
    if (s->hashed) unhash_socket(*s);
    std::uint32_t next_generation = s->generation + 1;
    if (next_generation == 0) next_generation = 1;
    --socket_count_;
    sockets_.erase(s->index, next_generation);
}

Socket* Stack::socket_at(ConnectionId id) const noexcept {
    Socket* s = sockets_.find(id.index);
    if (s == nullptr || s->generation != id.generation || s->released) return nullptr;
    return s;
}

tcp::Connection* Stack::connection(ConnectionId id) noexcept { return socket_at(id); }
const tcp::Connection* Stack::connection(ConnectionId id) const noexcept { return socket_at(id); }

Request* Stack::new_request() {
    ++request_count_;
    const auto placed = requests_.emplace();
    placed.object->index = placed.index;
    return placed.object;
}

void Stack::free_request(Request* r) {
    request_wheel_.cancel(*r);
    --request_count_;
    requests_.erase(r->index);
}

std::size_t Stack::memory_bytes() const noexcept {
    return sockets_.memory_bytes() + requests_.memory_bytes() + time_wait_.memory_bytes() +
           table_.capacity() * sizeof(std::uint32_t) + buckets_.capacity() * sizeof(Bucket) +
           buffers_.bytes_outstanding();
}

// ---- After every event ----

void Stack::schedule(Socket& s) {
    if (auto d = s.next_deadline()) wheel_.schedule(s, *d);
    else wheel_.cancel(s);
}

// The end of every call into a connection: a time-wait hand-off, a finished connection leaving the table, a
// released one going away, the timer following the connection's next deadline.
void Stack::settle(Socket& s) {
    if (s.time_wait_handoff()) enter_time_wait(s);
    if (s.state() == tcp::State::kClosed) {
        if (s.hashed) unhash_socket(s);
        if (s.released) {
            free_socket(&s);
            return;
        }
    }
    schedule(s);
}

// Linux tcp_time_wait(): the connection's 4-tuple goes to a compact entry; past tcp_max_tw_buckets there is no
// TIME_WAIT at all (TCPTimeWaitOverflow) — and no reset either.
void Stack::enter_time_wait(Socket& s) {
    const auto handoff = *s.time_wait_handoff();
    const tcp::FlowTuple t = s.tuple();
    unhash_socket(s);
    if (time_wait_.size() >= static_cast<std::size_t>(std::max(config_.tcp_max_tw_buckets, 0))) {
        mib_.inc(tcp::Counter::kTcpTimeWaitOverflow);
        trace_transition(t, s.id(), handoff.fin_wait2 ? tcp::State::kFinWait2 : tcp::State::kTimeWait,
                         tcp::State::kClosed);
    } else {
        tcp::TimeWaitEntry e = tcp::make_time_wait(s, handoff.fin_wait2, now_);
        e.local_address = *routing_.local_index(t.local_address);
        e.deadline_ms = tcp::ms_of(now_) + static_cast<std::uint32_t>(tcp::to_ms(handoff.timeout));
        hash_time_wait(time_wait_.insert(e), s.hash);  // the same 4-tuple, so the same hash
    }
    s.complete_time_wait_handoff(now_);
}

void Stack::trace_transition(const tcp::FlowTuple& flow, ConnectionId id, tcp::State from, tcp::State to) {
    if (trace_ != nullptr) trace_->transition(now_, flow, id, from, to);
}

void Stack::drop_packet(InterfaceId interface, tcp::DropReason reason, const tcp::FlowTuple* flow) {
    ++drops_[static_cast<std::size_t>(reason)];
    if (trace_ != nullptr) trace_->drop(now_, interface, reason, flow);
}

// ---- tcp::Host ----

void Stack::transmit(tcp::Connection& c, const tcp::OutSegment& segment) {
    if (segment.control) {
        send_control(c.tuple(), segment);
        return;
    }
    send_segment(c.tuple(), segment, c.take_ip_id(), c.txhash());
}

void Stack::state_changed(tcp::Connection& c, tcp::State from, tcp::State to) {
    trace_transition(c.tuple(), static_cast<Socket&>(c).id(), from, to);
}

void Stack::notify(tcp::Connection& c, std::uint8_t events) {
    auto& s = static_cast<Socket&>(c);
    if (events_ == nullptr || s.released || s.listener != nullptr) return;  // not the application's (yet)
    events_->on_connection_event(s.id(), events);
}

void Stack::dropped(tcp::Connection& c, tcp::DropReason reason) {
    ++drops_[static_cast<std::size_t>(reason)];
    if (trace_ != nullptr) {
        const tcp::FlowTuple t = c.tuple();
        trace_->drop(now_, rx_interface_, reason, &t);
    }
}

void Stack::timer_fired(tcp::Connection& c, tcp::TimerKind kind) {
    if (trace_ != nullptr) trace_->timer(now_, c.tuple(), static_cast<Socket&>(c).id(), kind);
}

// Linux tcp_send_challenge_ack()'s host-wide part: a budget per second drawn at random around the limit.
bool Stack::challenge_ack_allowed(Instant now) {
    const std::int64_t limit = config_.tcp_challenge_ack_limit;
    if (limit >= 2147483647) return true;
    const std::uint32_t second = tcp::seconds_of(now);
    if (second != challenge_second_) {
        const auto half = static_cast<std::uint32_t>((limit + 1) >> 1);
        challenge_second_ = second;
        challenge_count_ = half + rng_.below(static_cast<std::uint32_t>(limit));
    }
    if (challenge_count_ == 0) return false;
    --challenge_count_;
    return true;
}

// ---- Timers ----

std::optional<Instant> Stack::next_deadline() const {
    std::optional<Instant> next = wheel_.next_deadline_bound();
    if (auto r = request_wheel_.next_deadline_bound(); r && (!next || *r < *next)) next = r;
    if (time_wait_.head() != tcp::kNoLink) {
        // The entry keeps its deadline as 32-bit milliseconds (tcp::ms_of()): place it relative to the last time
        // the stack saw, where the wrap-safe difference is exact (a clock far from zero wraps the millisecond
        // count every 49.7 days).
        const std::uint32_t deadline_ms = time_wait_.at(time_wait_.head()).deadline_ms;
        const auto ahead = static_cast<std::int32_t>(deadline_ms - tcp::ms_of(now_));
        const Instant tw = std::chrono::floor<std::chrono::milliseconds>(now_) + std::chrono::milliseconds(ahead);
        if (!next || tw < *next) next = tw;
    }
    return next;
}

void Stack::on_timer(Instant now) {
    now_ = now;
    wheel_.advance(now, [this, now](TimerEntry& e) {
        auto& s = static_cast<Socket&>(e);
        s.on_timer(now);
        settle(s);
    });
    request_wheel_.advance(now, [this, now](TimerEntry& e) { request_timer(static_cast<Request&>(e), now); });
    expire_time_wait(now);
}

// Linux tw_timer_handler(): TIME_WAIT (or an orphan's FIN_WAIT_2) is over.
void Stack::expire_time_wait(Instant now) {
    const std::uint32_t now_ms = tcp::ms_of(now);
    while (time_wait_.head() != tcp::kNoLink) {
        const std::uint32_t i = time_wait_.head();
        const tcp::TimeWaitEntry& e = time_wait_.at(i);
        if (static_cast<std::int32_t>(now_ms - e.deadline_ms) < 0) break;
        mib_.inc(tcp::Counter::kTimeWaited);
        if (trace_ != nullptr) {
            trace_->timer(now_, tuple_of(e), ConnectionId{}, tcp::TimerKind::kTimeWait);
            trace_transition(tuple_of(e), ConnectionId{}, e.fin_wait2() ? tcp::State::kFinWait2 : tcp::State::kTimeWait,
                             tcp::State::kClosed);
        }
        unhash_time_wait(i);
        time_wait_.erase(i);
    }
}

// Linux reqsk_timer_handler(): the SYN-ACK again, with backoff, until tcp_synack_retries.
void Stack::request_timer(Request& r, Instant now) {
    Listener& l = *r.listener;
    const tcp::FlowTuple t = tuple_of(r);
    if (trace_ != nullptr) trace_->timer(now, t, ConnectionId{}, tcp::TimerKind::kSynAck);
    mib_.inc(tcp::Counter::kTcpTimeouts);
    if (!tcp::request_timer_expired(r.state, listener_params(l, r.remote_address), config_)) {
        trace_transition(t, ConnectionId{}, tcp::State::kSynReceived, tcp::State::kClosed);
        unhash_request(r);
        --l.requests;
        free_request(&r);
        return;
    }
    ++r.state.num_retrans;
    mib_.inc(tcp::Counter::kRetransSegs);
    mib_.inc(tcp::Counter::kTcpSynRetrans);
    mib_.inc(tcp::Counter::kOutSegs);
    send_segment(t, tcp::make_synack(r.state, now), 0, r.state.txhash);
    request_wheel_.schedule(r, now + tcp::request_retry_delay(r.state));
}

}  // namespace synack::stack
