// What a stack keeps per endpoint: a Socket (a connection block with its timer and hash link), a Request (a
// passive open waiting for its third ACK: at most 128 bytes, a SYN-cache entry) and a Listener. Sockets and
// requests live in slabs (stack/slab.hpp), time-wait entries in the TimeWaitTable.
#pragma once

#include <cstdint>

#include "stack/handles.hpp"
#include "stack/timer_wheel.hpp"
#include "tcp/connection.hpp"
#include "tcp/request.hpp"
#include "tcp/socket_options.hpp"
#include "tcp/time_wait.hpp"

namespace synack::stack {

struct Listener;

// A link in the connection table's chains names a connection by its slab index or, with this bit set, a time-wait
// entry by its TimeWaitTable index (stack_demux.cpp).
inline constexpr std::uint32_t kTimeWaitLink = 0x80000000u;

// One connection: the protocol (tcp::Connection), one timer in the stack's wheel (the connection multiplexes
// its deadlines on it), a link in the connection table and a place in a listener's accept queue.
class Socket final : public tcp::Connection, public TimerEntry {
public:
    using tcp::Connection::Connection;

    Socket* accept_next = nullptr;   // in the listener's accept queue until accepted
    Listener* listener = nullptr;    // set while in an accept queue
    std::uint32_t hash_next = tcp::kNoLink;  // the connection table's chain (a tagged link: stack_demux.cpp)
    std::uint32_t hash = 0;          // the 4-tuple's keyed hash (low half), kept for unhashing and growing
    std::uint32_t index = 0;         // the slot in the stack's slab
    std::uint32_t generation = 0;
    bool hashed = false;             // in the connection table
    bool released = false;           // the application let go of it (close/abort, or never accepted)

    ConnectionId id() const noexcept { return ConnectionId{index, generation}; }
};

// A SYN-cache entry (Linux's request sock): the protocol state, the addresses (the local one as an index), the
// SYN-ACK timer, its hash link and its listener. At most 128 bytes.
struct Request final : public TimerEntry {
    std::uint16_t local_port = 0;
    std::uint16_t remote_port = 0;
    std::uint8_t local_address = 0;
    std::uint32_t index = 0;         // the slot in the stack's slab
    std::uint32_t hash = 0;          // the 4-tuple's keyed hash (low half)
    Request* hash_next = nullptr;
    Listener* listener = nullptr;
    wire::IpAddress remote_address{};
    tcp::RequestState state{};
};
static_assert(sizeof(Request) <= 128, "a request entry must stay within 128 bytes");

// A listening endpoint: address (unspecified: any), port, backlog, the options its connections inherit, its
// request count and accept queue. Issue 6 adds the SYN-queue limits, cookies and overflow policies here.
struct Listener {
    wire::IpAddress address{};
    std::uint16_t port = 0;
    bool v6only = false;
    int backlog = 0;                 // min(backlog, somaxconn)
    tcp::SocketOptions options{};
    std::uint32_t requests = 0;      // request entries (the SYN queue)
    Socket* accept_head = nullptr;
    Socket* accept_tail = nullptr;
    std::uint32_t accept_count = 0;
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
    bool open = false;

    ListenerId id() const noexcept { return ListenerId{index, generation}; }
    // Linux sk_acceptq_is_full(): "full" once the queue holds more than the backlog.
    bool accept_queue_full() const noexcept { return accept_count > static_cast<std::uint32_t>(backlog); }
    bool matches(const wire::IpAddress& local) const noexcept {
        if (address.is_unspecified()) {
            if (local.is_v4()) return address.is_v4() || !v6only;  // 0.0.0.0, or :: without IPV6_V6ONLY
            return !address.is_v4();
        }
        return address == local;
    }
};

}  // namespace synack::stack
