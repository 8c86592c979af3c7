// One TCP/IP stack: single-threaded, run to completion, no clock of its own. It owns interfaces, addresses and
// routes; takes IPv4 and IPv6 packets in (receive()), validates them (every drop with a named reason and a
// counter), demultiplexes TCP segments to connections, request entries, time-wait entries or listeners through
// one keyed hash table; fires timers (on_timer(), next_deadline()); and sends IP packets out through the
// PacketSink it was built with. The application side (listen, connect, accept, send, recv, shutdown, close,
// abort, readiness) is what the socket facade wraps.
//
// The work is split: stack.cpp (construction, configuration, the tcp::Host side, timers), stack_input.cpp
// (IP and TCP in, demux, listeners, request and time-wait entries), stack_output.cpp (IP out), stack_api.cpp
// (the application's calls), stack_ports.cpp (Linux's ephemeral port choice).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "stack/config.hpp"
#include "stack/entities.hpp"
#include "stack/handles.hpp"
#include "stack/packet_sink.hpp"
#include "stack/random.hpp"
#include "stack/routing.hpp"
#include "stack/slab.hpp"
#include "stack/time_wait_table.hpp"
#include "stack/timer_wheel.hpp"
#include "stack/trace.hpp"
#include "tcp/connection.hpp"
#include "tcp/errno.hpp"
#include "tcp/host.hpp"
#include "tcp/isn.hpp"
#include "tcp/mib.hpp"
#include "tcp/siphash.hpp"
#include "wire/bytes.hpp"
#include "wire/instant.hpp"
#include "wire/result.hpp"

namespace synack::stack {

// Readiness for the application: connection events are tcp::event bits; a listener reports kAcceptable.
class StackEvents {
public:
    static constexpr std::uint8_t kAcceptable = 0x01;
    virtual ~StackEvents() = default;
    virtual void on_connection_event(ConnectionId connection, std::uint8_t events) = 0;
    virtual void on_listener_event(ListenerId listener, std::uint8_t events) = 0;
};

struct ConnectOptions {
    std::optional<Endpoint> local;   // bind(): the local address and/or port (port 0: choose one)
    tcp::SocketOptions options{};
};

class Stack final : private tcp::Host {
public:
    Stack(const StackConfig& config, PacketSink& sink, std::uint64_t seed);
    ~Stack() override;
    Stack(const Stack&) = delete;
    Stack& operator=(const Stack&) = delete;

    // ---- Configuration ----
    InterfaceId add_interface(std::string name, std::uint32_t mtu);
    Result<void, tcp::Errno> add_address(InterfaceId interface, const wire::IpAddress& address, std::uint8_t prefix_len);
    Result<void, tcp::Errno> add_route(const wire::IpAddress& prefix, std::uint8_t prefix_len, InterfaceId interface,
                                       std::optional<wire::IpAddress> gateway = std::nullopt);
    const StackConfig& config() const noexcept { return config_; }
    StackConfig& config() noexcept { return config_; }  // sysctls may change at run time, as in Linux

    // ---- Driving it ----
    void receive(InterfaceId interface, wire::Bytes packet, Instant now);
    void on_timer(Instant now);
    std::optional<Instant> next_deadline() const;

    // ---- The application ----
    Result<ListenerId, tcp::Errno> listen(const Endpoint& local, int backlog, const tcp::SocketOptions& options = {},
                                          bool v6only = false);
    // Linux inet_csk_listen_stop(): connections not yet accepted are reset, request entries dropped.
    Result<void, tcp::Errno> close_listener(ListenerId listener, Instant now);
    Result<ConnectionId, tcp::Errno> accept(ListenerId listener, Instant now);
    // EINPROGRESS is implied: the handle comes back at once; kConnected (or kError with SO_ERROR) follows.
    Result<ConnectionId, tcp::Errno> connect(const Endpoint& remote, Instant now, const ConnectOptions& options = {});
    Result<std::size_t, tcp::Errno> send(ConnectionId id, wire::Bytes data, Instant now);
    Result<std::size_t, tcp::Errno> recv(ConnectionId id, wire::MutableBytes out, Instant now);
    Result<void, tcp::Errno> shutdown(ConnectionId id, tcp::ShutdownHow how, Instant now);
    // Releases the handle; the connection finishes its close on its own (FIN, or RST with unread data).
    Result<void, tcp::Errno> close(ConnectionId id, Instant now);
    // close() with SO_LINGER {1, 0}.
    Result<void, tcp::Errno> abort(ConnectionId id, Instant now);
    // The connection behind a handle (state, TCP_INFO, poll, SO_ERROR, options); null for a stale handle.
    tcp::Connection* connection(ConnectionId id) noexcept;
    const tcp::Connection* connection(ConnectionId id) const noexcept;
    std::optional<Endpoint> local_endpoint(ConnectionId id) const noexcept;
    // Linux inet_csk_listen_poll(): POLLIN when a connection waits in the accept queue.
    std::uint32_t poll(ListenerId listener) const noexcept;
    std::size_t accept_queue_length(ListenerId listener) const noexcept;
    // bind() without listen()/connect(): keep a port away from the ephemeral choice (Linux's bind bucket).
    Result<std::uint16_t, tcp::Errno> reserve_port(const wire::IpAddress& address, std::uint16_t port);
    void release_port(std::uint16_t port);
    // listen() on a listening socket (Linux inet_listen()): only the backlog changes, clamped to somaxconn.
    Result<void, tcp::Errno> relisten(ListenerId listener, int backlog);
    // The options a listener's connections inherit (setsockopt() on a listening socket); null for a stale handle.
    tcp::SocketOptions* listener_options(ListenerId listener) noexcept;
    // Whether a connection or a time-wait entry still holds this 4-tuple (the socket facade's bind() conflicts:
    // Linux keeps a closed socket's port bound until its time-wait entry expires).
    bool tuple_in_use(const tcp::FlowTuple& tuple) const noexcept;
    // ss's view of a 4-tuple: its connection whether or not the application still holds it (an orphan the
    // application closed keeps running until it reaches CLOSED or TIME_WAIT); null when there is none.
    const tcp::Connection* find_connection(const tcp::FlowTuple& tuple) const noexcept;

    void set_event_handler(StackEvents* events) noexcept { events_ = events; }
    void set_trace_sink(TraceSink* sink) noexcept { trace_ = sink; }

    // ---- Looking at it ----
    const tcp::Mib& counters() const noexcept { return mib_; }
    std::uint64_t drops(tcp::DropReason reason) const noexcept { return drops_[static_cast<std::size_t>(reason)]; }
    std::size_t connection_count() const noexcept { return socket_count_; }
    std::size_t request_count() const noexcept { return request_count_; }
    std::size_t time_wait_count() const noexcept { return time_wait_.size(); }
    const Routing& routing() const noexcept { return routing_; }
    // Memory the stack holds for connections: blocks, request and time-wait entries, table buckets, buffers.
    std::size_t memory_bytes() const noexcept;
    // Send and receive buffer bytes connections hold now (the pool's own free buffers not counted).
    std::size_t buffer_bytes_outstanding() const noexcept { return buffers_.bytes_outstanding(); }

private:
    // tcp::Host
    const tcp::TcpSysctls& sysctls() const noexcept override { return config_; }
    tcp::Mib& mib() noexcept override { return mib_; }
    tcp::BufferPool& buffers() noexcept override { return buffers_; }
    std::uint32_t random_u32() noexcept override { return rng_.u32(); }
    void transmit(tcp::Connection& connection, const tcp::OutSegment& segment) override;
    void state_changed(tcp::Connection& connection, tcp::State from, tcp::State to) override;
    void notify(tcp::Connection& connection, std::uint8_t events) override;
    void dropped(tcp::Connection& connection, tcp::DropReason reason) override;
    void timer_fired(tcp::Connection& connection, tcp::TimerKind kind) override;
    bool challenge_ack_allowed(Instant now) override;

    // A bucket of the request entries' table (the SYN queue's hash: request entries are few and short-lived, so
    // they have a table of their own, sized by their count). Connections and time-wait entries share table_.
    struct Bucket {
        Request* requests = nullptr;
    };

    // stack.cpp: entities and bookkeeping
    Socket* new_socket(const tcp::ConnectionParams& params);
    void free_socket(Socket* s);
    Socket* socket_at(ConnectionId id) const noexcept;
    Request* new_request();
    void free_request(Request* r);
    void settle(Socket& s);  // after any event: time-wait hand-off, reaping, timer, table
    void schedule(Socket& s);
    void drop_packet(InterfaceId interface, tcp::DropReason reason, const tcp::FlowTuple* flow);
    void trace_transition(const tcp::FlowTuple& flow, ConnectionId id, tcp::State from, tcp::State to);
    void expire_time_wait(Instant now);
    void request_timer(Request& r, Instant now);
    std::uint32_t ts_offset_for(const wire::IpAddress& local, const wire::IpAddress& remote) const noexcept;

    // stack_demux.cpp: the connection table
    std::uint64_t flow_hash(const tcp::FlowTuple& t) const noexcept;  // computed once per packet
    std::uint32_t find_entry(const tcp::FlowTuple& t, std::uint64_t hash) const noexcept;  // a tagged link
    Request* find_request(const tcp::FlowTuple& t, std::uint64_t hash) const noexcept;
    Socket* find_socket(const tcp::FlowTuple& t) const noexcept;
    Request* find_request(const tcp::FlowTuple& t) const noexcept;
    std::uint32_t find_time_wait(const tcp::FlowTuple& t) const noexcept;
    void link_entry(std::uint32_t link, std::uint64_t hash);
    void unlink_entry(std::uint32_t link, std::uint64_t hash) noexcept;
    std::uint32_t& next_of(std::uint32_t link) noexcept;
    void hash_socket(Socket& s);
    void hash_socket(Socket& s, std::uint64_t hash);  // with flow_hash(s.tuple()) already known
    void unhash_socket(Socket& s);
    void hash_request(Request& r, std::uint64_t hash);
    void unhash_request(Request& r);
    void hash_time_wait(std::uint32_t i, std::uint64_t hash);
    void unhash_time_wait(std::uint32_t i);
    void maybe_grow();
    tcp::FlowTuple tuple_of(const Request& r) const;
    tcp::FlowTuple tuple_of(const tcp::TimeWaitEntry& e) const;
    Listener* find_listener(const wire::IpAddress& local, std::uint16_t port) const noexcept;
    Listener* listener_at(ListenerId id) const noexcept;

    // stack_input.cpp
    void receive_v4(InterfaceId interface, wire::Bytes packet);
    void receive_v6(InterfaceId interface, wire::Bytes packet);
    void receive_tcp(InterfaceId interface, const wire::IpAddress& src, const wire::IpAddress& dst,
                     wire::Bytes tcp_bytes, std::uint8_t tos);
    void segment_for_request(Request& r, const tcp::Segment& seg, const tcp::FlowTuple& t, InterfaceId interface);
    void segment_for_time_wait(std::uint32_t tw, const tcp::Segment& seg, const tcp::FlowTuple& t,
                               InterfaceId interface);
    void segment_for_listener(Listener& l, const tcp::Segment& seg, const tcp::FlowTuple& t, InterfaceId interface,
                              std::optional<tcp::Seq32> isn = std::nullopt);
    void reset_no_socket(const tcp::Segment& seg, const tcp::FlowTuple& t, InterfaceId interface);
    void create_child(Request& r, const tcp::Segment& seg, const tcp::FlowTuple& t);
    void enter_time_wait(Socket& s);
    tcp::ListenerParams listener_params(const Listener& l, const wire::IpAddress& remote) const;

    // stack_output.cpp
    // Sends one TCP segment of `flow` as an IP packet. ip_id/txhash: the connection's (ignored for control).
    void send_segment(const tcp::FlowTuple& flow, const tcp::OutSegment& segment, std::uint16_t ip_id,
                      std::uint32_t txhash);
    void send_control(const tcp::FlowTuple& flow, const tcp::OutSegment& segment);

    // stack_ports.cpp
    Result<std::uint16_t, tcp::Errno> choose_ephemeral_port(const wire::IpAddress& local, const wire::IpAddress& remote,
                                                            std::uint16_t remote_port, Instant now,
                                                            std::optional<tcp::TimeWaitEntry>& reused);
    // Linux __inet_check_established(): may this 4-tuple be used? (A reusable time-wait entry is taken.)
    bool tuple_available(const tcp::FlowTuple& t, bool port_chosen, Instant now,
                         std::optional<tcp::TimeWaitEntry>& reused);
    bool port_reserved(std::uint16_t port) const noexcept;

    StackConfig config_;
    PacketSink& sink_;
    Routing routing_;
    tcp::Mib mib_;
    std::array<std::uint64_t, static_cast<std::size_t>(tcp::DropReason::kCount)> drops_{};
    tcp::BufferPool buffers_;
    Xoshiro256 rng_;
    tcp::SipHasher table_hash_;         // the connection table's keyed hash
    tcp::SipHashKey flow_key_{};        // flow labels of control segments (Linux's flow hash)
    tcp::SipHashKey port_key_{};        // ephemeral port offsets (secure_ipv4_port_ephemeral)
    tcp::IsnGenerator isn_;
    TimerWheel wheel_;                  // one entry per connection
    TimerWheel request_wheel_;          // one entry per request entry (the SYN-ACK timer)
    TimeWaitTable time_wait_;
    std::vector<std::uint32_t> table_;  // connections and time-wait entries: chains of tagged links
    std::vector<Bucket> buckets_;       // request entries
    std::size_t socket_count_ = 0;
    std::size_t request_count_ = 0;

    Slab<Socket> sockets_;              // addressed by handle index; a free slot keeps the next generation
    Slab<Request> requests_;

    std::vector<std::unique_ptr<Listener>> listeners_;
    std::uint64_t listener_generation_ = 0;
    std::unordered_map<std::uint16_t, std::vector<Listener*>> listeners_by_port_;
    std::unordered_map<std::uint16_t, std::uint32_t> reserved_ports_;
    std::vector<std::uint32_t> table_perturb_;  // Linux's INET_TABLE_PERTURB (allocated on the first connect)

    // The host-wide RFC 5961 budget (tcp_challenge_ack_limit).
    std::uint32_t challenge_second_ = ~0u;
    std::uint32_t challenge_count_ = 0;

    StackEvents* events_ = nullptr;
    TraceSink* trace_ = nullptr;
    Instant now_{};
    InterfaceId rx_interface_ = 0;
    std::vector<std::uint8_t> tx_buffer_;
};

}  // namespace synack::stack
