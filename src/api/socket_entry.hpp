// What the socket facade keeps per descriptor (private to src/api): Linux's struct socket state (SS_*), the
// stack object behind it (none, a listener, or a connection), the binding (inet_rcv_saddr, inet_num,
// inet_sport, the SOCK_BINDADDR/BINDPORT locks), sk_err and sk_shutdown while no connection carries them,
// and the options the stack does not keep.
#pragma once

#include <array>
#include <cstdint>

#include "api/socket_api.hpp"
#include "tcp/socket_options.hpp"

namespace synack::api {

struct SocketApi::Entry {
    int fd = -1;
    int family = abi::kAfInet;
    int protocol = abi::kIpprotoTcp;
    int status_flags = abi::kORdwr;     // F_GETFL
    bool cloexec = false;               // FD_CLOEXEC
    SockState ss = SockState::kUnconnected;

    stack::ListenerId listener{};       // listening
    stack::ConnectionId connection{};   // connecting, connected, or a connection that ended

    wire::IpAddress address{};          // the bound address (inet_rcv_saddr); unspecified: any
    std::uint16_t port = 0;             // the port held (inet_num); 0: none
    std::uint16_t name_port = 0;        // getsockname()'s port (inet_sport), kept after the port is let go
    bool address_locked = false;        // SOCK_BINDADDR_LOCK: bind() named an address
    bool port_locked = false;           // SOCK_BINDPORT_LOCK: bind() named a port
    bool reserved = false;              // holds a Stack::reserve_port() count on `port`

    Errno error = Errno::kOk;           // sk_err while no connection carries it
    std::uint8_t shutdown = 0;          // sk_shutdown while no connection carries it (1 RCV, 2 SEND)
    int backlog = 0;                    // listen()'s, as clamped to somaxconn

    tcp::SocketOptions options{};       // what the connection or listener gets
    bool reuseaddr = false;             // SO_REUSEADDR (sk_reuse)
    bool v6only = false;                // IPV6_V6ONLY (net.ipv6.bindv6only is 0)
    bool linger = false;                // SOCK_LINGER
    std::uint64_t linger_jiffies = 0;   // sk_lingertime
    bool pingpong = false;              // TCP_QUICKACK 0 (delayed-ACK mode asked for)
    std::array<char, 16> congestion{'r', 'e', 'n', 'o'};  // TCP_CONGESTION (TCP_CA_NAME_MAX)

    ReadinessCallback callback;
    bool pending = false;               // in the dispatch queue

    bool listening() const noexcept { return static_cast<bool>(listener); }
    bool has_connection() const noexcept { return static_cast<bool>(connection); }
    bool nonblocking() const noexcept { return (status_flags & abi::kONonblock) != 0; }
};

// A connection the application closed that still holds its port in the stack (an orphan finishing its close,
// or a time-wait entry): bind() conflicts with it as Linux's bind bucket does, until it is gone.
struct SocketApi::Departed {
    tcp::FlowTuple tuple{};
    bool v6only = false;
    bool reuse = false;                 // tw_reuse: the socket's SO_REUSEADDR
};

inline constexpr std::uint8_t kRcvShutdown = 1;
inline constexpr std::uint8_t kSendShutdown = 2;

inline std::uint64_t handle_key(std::uint32_t index, std::uint32_t generation) noexcept {
    return (std::uint64_t{generation} << 32) | index;
}

}  // namespace synack::api
