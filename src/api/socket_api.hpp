// The socket facade: Linux's socket system calls on one stack::Stack, for the script runner that maps a script's
// calls onto it. Names, arguments, return values and errno values follow Linux (the reference kernel, 6.18):
// every call returns a SysResult — its value, or -1 and an errno — and the numbers are Linux's (api/abi.hpp).
//
//   SocketApi api(stack);
//   int fd = api.socket(abi::kAfInet, abi::kSockStream, 0).value;             // 3
//   api.connect(fd, SockAddr::v4(server, 80), now);                          // -1 EINPROGRESS
//   … the stack runs; poll() reports POLLOUT, getsockopt(SO_ERROR) 0 …
//
// Sockets are always non-blocking underneath: a call that would block returns EAGAIN/EINPROGRESS, and
// O_NONBLOCK (SOCK_NONBLOCK, fcntl, FIONBIO) is only recorded, so a runner can emulate a blocking call by
// waiting for readiness. SIGPIPE is recorded (sigpipe_count()), never raised. Descriptors are small integers
// handed out lowest-first, as Linux's are. Every deliberate difference from Linux is in docs/socket-api.md.
//
// Nothing here reads a clock: calls that reach the connection take the stack's time `now`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <span>
#include <unordered_map>
#include <vector>

#include "api/abi.hpp"
#include "api/errno.hpp"
#include "api/sockaddr.hpp"
#include "api/sys_result.hpp"
#include "stack/stack.hpp"
#include "tcp/tcp_info.hpp"
#include "wire/bytes.hpp"
#include "wire/instant.hpp"

namespace synack::api {

// struct pollfd.
struct PollFd {
    int fd = -1;
    std::int16_t events = 0;
    std::int16_t revents = 0;
};

// struct linger.
struct Linger {
    std::int32_t l_onoff = 0;
    std::int32_t l_linger = 0;
};

// Called with a socket's readiness (tcp_poll()'s full mask) after something about it changed: data, space,
// the connection established or gone, an error, a connection to accept.
using ReadinessCallback = std::function<void(int fd, std::uint32_t revents)>;

struct SocketApiConfig {
    int first_fd = 3;        // 0, 1 and 2 are a process's standard streams
    int max_fds = 1024;      // RLIMIT_NOFILE's usual soft limit: socket() and accept() fail with EMFILE past it
};

class SocketApi final : private stack::StackEvents {
public:
    // Registers itself as the stack's event handler (Stack::set_event_handler) until destroyed.
    explicit SocketApi(stack::Stack& stack, SocketApiConfig config = {});
    ~SocketApi() override;
    SocketApi(const SocketApi&) = delete;
    SocketApi& operator=(const SocketApi&) = delete;

    // ---- The calls ----
    SysResult socket(int domain, int type, int protocol);
    SysResult bind(int fd, const SockAddr& address);
    SysResult listen(int fd, int backlog, Instant now);
    // accept4(): `peer` (may be null) receives the peer's address; flags SOCK_NONBLOCK, SOCK_CLOEXEC.
    SysResult accept(int fd, SockAddr* peer, Instant now, int flags = 0);
    SysResult connect(int fd, const SockAddr& address, Instant now);
    // Flags: MSG_DONTWAIT, MSG_NOSIGNAL (MSG_PEEK, MSG_WAITALL for recv); see docs/socket-api.md for the rest.
    SysResult send(int fd, wire::Bytes data, int flags, Instant now);
    SysResult recv(int fd, wire::MutableBytes buffer, int flags, Instant now);
    SysResult shutdown(int fd, int how, Instant now);
    SysResult close(int fd, Instant now);
    SysResult getsockname(int fd, SockAddr& address) const;
    SysResult getpeername(int fd, SockAddr& address) const;
    // The option value as bytes, as the system call takes it (an int is 4 bytes in host order).
    SysResult setsockopt(int fd, int level, int name, wire::Bytes value, Instant now);
    // `length` in: how many bytes `value` may take (at most value.size()); out: how many were written.
    SysResult getsockopt(int fd, int level, int name, wire::MutableBytes value, int& length, Instant now);
    SysResult setsockopt_int(int fd, int level, int name, int value, Instant now);
    SysResult getsockopt_int(int fd, int level, int name, int& value, Instant now);
    // FIONREAD/SIOCINQ, SIOCOUTQ, SIOCOUTQNSD (answer in `value`), FIONBIO (takes `value`).
    SysResult ioctl(int fd, unsigned long request, int& value);
    // F_GETFL, F_SETFL (O_NONBLOCK, O_APPEND, …), F_GETFD, F_SETFD (FD_CLOEXEC).
    SysResult fcntl(int fd, int command, long argument = 0);
    // poll() with a zero timeout: sets each revents and returns how many are non-zero.
    SysResult poll(std::span<PollFd> fds) const;

    // ---- Readiness ----
    // tcp_poll()'s mask for a socket (POLLNVAL for a descriptor that is not open).
    std::uint32_t readiness(int fd) const;
    // nullptr removes it. Callbacks run from dispatch(), never from inside the stack.
    void set_readiness_callback(int fd, ReadinessCallback callback);
    // Delivers the readiness changes queued since the last dispatch: call after Stack::receive() and
    // Stack::on_timer(). The socket calls dispatch by themselves before they return.
    void dispatch();

    // ---- For a runner ----
    bool is_open(int fd) const noexcept { return entry(fd) != nullptr; }
    bool nonblocking(int fd) const noexcept;           // O_NONBLOCK as recorded
    std::uint64_t sigpipe_count() const noexcept { return sigpipes_; }  // SIGPIPEs Linux would have raised
    std::optional<stack::ConnectionId> connection_of(int fd) const noexcept;
    std::size_t open_count() const noexcept { return open_; }
    stack::Stack& stack() noexcept { return stack_; }

private:
    enum class SockState : std::uint8_t { kUnconnected, kConnecting, kConnected, kDisconnecting };  // SS_*

    struct Entry;
    struct Departed;

    // stack::StackEvents
    void on_connection_event(stack::ConnectionId connection, std::uint8_t events) override;
    void on_listener_event(stack::ListenerId listener, std::uint8_t events) override;

    // socket_table.cpp
    Entry* entry(int fd) const noexcept;
    Result<int, Errno> allocate(std::unique_ptr<Entry> e);
    void release_fd(int fd);
    void mark(Entry& e);
    void map_connection(Entry& e, stack::ConnectionId id);
    void unmap_connection(Entry& e);
    void map_listener(Entry& e, stack::ListenerId id);
    void unmap_listener(Entry& e);

    // socket_ports.cpp: Linux's bind buckets
    void hold_port(Entry& e, std::uint16_t port);
    void drop_port(Entry& e);
    bool holds_port(const Entry& e) const noexcept;
    bool port_conflict(const Entry& e, std::uint16_t port, const wire::IpAddress& address) const;
    Result<std::uint16_t, Errno> choose_port(Entry& e, const wire::IpAddress& address);
    void remember_departed(const Entry& e, const tcp::FlowTuple& tuple);
    void prune_departed(std::uint16_t port) const;

    // socket_calls.cpp
    void disconnect(Entry& e, Instant now);
    tcp::Connection* connection(const Entry& e) noexcept;
    const tcp::Connection* connection(const Entry& e) const noexcept;
    std::uint8_t linux_state(const Entry& e) const noexcept;
    std::uint32_t poll_mask(const Entry& e) const;
    wire::IpAddress any_address(const Entry& e) const noexcept;

    // socket_options.cpp
    SysResult set_socket_option(Entry& e, int name, wire::Bytes value, Instant now);
    SysResult set_tcp_option(Entry& e, int name, wire::Bytes value, Instant now);
    SysResult get_socket_option(Entry& e, int name, wire::MutableBytes value, int& length);
    SysResult get_tcp_option(Entry& e, int name, wire::MutableBytes value, int& length, Instant now);
    void options_changed(Entry& e);
    void apply_effects(Entry& e, std::uint8_t effects, Instant now);
    tcp::TcpInfo info(const Entry& e, Instant now) const;

    SysResult finish(SysResult r);

    stack::Stack& stack_;
    SocketApiConfig config_;
    std::vector<std::unique_ptr<Entry>> table_;  // by fd - first_fd
    std::priority_queue<int, std::vector<int>, std::greater<>> free_fds_;
    std::size_t open_ = 0;
    std::unordered_map<std::uint64_t, int> by_connection_;
    std::unordered_map<std::uint64_t, int> by_listener_;
    std::unordered_map<std::uint16_t, std::vector<int>> port_users_;          // fds holding a port
    mutable std::unordered_map<std::uint16_t, std::vector<Departed>> departed_;  // closed, still in the stack
    std::vector<int> pending_;  // fds with readiness to report
    bool dispatching_ = false;
    std::uint64_t sigpipes_ = 0;
};

}  // namespace synack::api
