// The reference for bench_tcp_transactions: the same short transactions through the Linux kernel on the same
// machine. One thread, non-blocking sockets and one epoll set hold both ends: a client connects, sends 64 bytes,
// reads the server's 64-byte answer and closes first (every transaction leaves a TIME_WAIT on the client); the
// server accepts, reads 64, answers 64, reads the end of the stream and closes. 16 transactions are in flight; the
// client addresses and server ports 5000..5063 are visited in turn, as the synack bench does.
//
// It runs inside the network namespace scripts/bench.sh prepares (addresses on `lo`, tcp_max_tw_buckets far above
// what a run makes, NewReno, the project's buffer sizes); outside it the addresses cannot be bound and it says so.
// Every TIME_WAIT is kept: connections to non-loopback addresses are never reused from TIME_WAIT under the default
// tcp_tw_reuse=2 (tcp_twsk_unique(), loopback only), and the run fails if TCPTimeWaitOverflow grows.
// Client sockets set IP_BIND_ADDRESS_NO_PORT before bind(address, 0), so the port is chosen at connect() by
// __inet_hash_connect() for the whole 4-tuple (as a client stack picks it), not at bind() per address.
//
// Times are wall-clock (UseRealTime): on loopback much of the kernel's work runs in softirq context, which
// CONFIG_IRQ_TIME_ACCOUNTING leaves out of the thread's CPU time.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kMessage = 64;
constexpr int kServerPorts = 64;
constexpr std::uint16_t kFirstServerPort = 5000;
constexpr const char* kSetupHint =
    "run it through scripts/bench.sh, which prepares the network namespace with the client and server addresses";

double min_time(double seconds) {
    if (const char* v = std::getenv("SYNACK_BENCH_MIN_TIME")) {
        char* end = nullptr;
        const double t = std::strtod(v, &end);
        if (end != v && t > 0) return t;
    }
    return seconds;
}

int env_int(const char* name, int fallback) {
    if (const char* v = std::getenv(name)) {
        char* end = nullptr;
        const long n = std::strtol(v, &end, 10);
        if (end != v && n > 0 && n <= 250 * 250) return static_cast<int>(n);
    }
    return fallback;
}

std::string env_string(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::string(v) : std::string(fallback);
}

// The context is printed before the first benchmark runs, so the conditions are registered at static
// initialisation (benchmark_main's main() comes after).
const bool kConditionsAdded = [] {
    struct utsname u {};
    const std::string release = uname(&u) == 0 ? std::string(u.release) : std::string("unknown");
    benchmark::AddCustomContext("conditions", "Linux kernel " + release +
                                                  ", client and server in one process, one thread pinned to one "
                                                  "core (by scripts/bench.sh), loopback inside a fresh network "
                                                  "namespace, sysctls as set by scripts/bench.sh");
    return true;
}();

// "TCP: inuse 1 orphan 0 tw 123 alloc 2 mem 0" in /proc/net/sockstat (the calling process's namespace).
std::int64_t sockstat_tw() {
    std::ifstream in("/proc/net/sockstat");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("TCP:", 0) != 0) continue;
        std::istringstream words(line);
        std::string word;
        while (words >> word) {
            if (word == "tw") {
                std::int64_t n = -1;
                words >> n;
                return n;
            }
        }
    }
    return -1;
}

// A counter of /proc/net/netstat or /proc/net/snmp: a header line "Prefix: Name1 Name2 ..." and a value line
// "Prefix: v1 v2 ..." follow each other.
std::int64_t proc_counter(const char* file, const std::string& prefix, const std::string& name) {
    std::ifstream in(file);
    std::string header;
    std::string values;
    while (std::getline(in, header) && std::getline(in, values)) {
        if (header.rfind(prefix, 0) != 0) continue;
        std::istringstream h(header);
        std::istringstream v(values);
        std::string key;
        std::string value;
        while (h >> key && v >> value) {
            if (key == name) return std::strtoll(value.c_str(), nullptr, 10);
        }
    }
    return -1;
}

enum class Role : std::uint8_t { None, Listener, Client, Server };

struct Socket {
    Role role = Role::None;
    bool sent = false;
    std::uint32_t received = 0;
};

class Transactions {
public:
    Transactions(std::vector<in_addr> clients, in_addr server, int in_flight)
        : clients_(std::move(clients)), server_(server), in_flight_(in_flight) {}

    ~Transactions() {
        for (std::size_t fd = 0; fd < sockets_.size(); ++fd) {
            if (sockets_[fd].role != Role::None) ::close(static_cast<int>(fd));
        }
        if (epoll_ >= 0) ::close(epoll_);
    }
    Transactions(const Transactions&) = delete;
    Transactions& operator=(const Transactions&) = delete;

    // Opens the epoll set and the listeners; an empty string on success, otherwise what failed.
    std::string open() {
        epoll_ = epoll_create1(EPOLL_CLOEXEC);
        if (epoll_ < 0) return errno_text("epoll_create1");
        for (int p = 0; p < kServerPorts; ++p) {
            const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) return errno_text("socket");
            track(fd, Role::Listener);
            const int one = 1;
            if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return errno_text("SO_REUSEADDR");
            const sockaddr_in a = address(server_, static_cast<std::uint16_t>(kFirstServerPort + p));
            if (bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
                return errno_text("bind to the server address") + "; " + kSetupHint;
            }
            if (listen(fd, 4096) != 0) return errno_text("listen");
            if (!watch(fd, EPOLLIN)) return errno_text("epoll_ctl");
            ports_.push_back(static_cast<std::uint16_t>(kFirstServerPort + p));
        }
        // Every client address must be bindable (it is, inside the namespace scripts/bench.sh prepares).
        for (const in_addr& c : clients_) {
            const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) return errno_text("socket");
            const sockaddr_in a = address(c, 0);
            const int one = 1;
            const bool ok = setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) == 0 &&
                            bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
            const int saved = errno;
            ::close(fd);
            if (!ok) {
                errno = saved;
                return errno_text("bind to client address " + text(c)) + "; " + kSetupHint;
            }
        }
        return {};
    }

    void start_all() {
        for (int i = 0; i < in_flight_; ++i) start();
    }

    // Runs the event loop until `count` more transactions have completed, leaving the rest of epoll_wait()'s batch
    // for the next call (one iteration is one transaction); false if it went idle for a second.
    bool run(std::uint64_t count) {
        const std::uint64_t target = completed_ + count;
        while (completed_ < target) {
            if (next_event_ == ready_ && !poll()) return false;
            handle(events_[next_event_++]);
        }
        return true;
    }

    // Stops starting transactions and lets the ones under way finish, so that closing the listeners resets none.
    bool drain() {
        draining_ = true;
        while (clients_open_ > 0 || servers_open_ > 0) {
            if (next_event_ == ready_ && !poll()) return false;
            handle(events_[next_event_++]);
        }
        return true;
    }

    std::uint64_t completed() const noexcept { return completed_; }
    std::uint64_t failures() const noexcept { return failures_; }
    const std::string& first_failure() const noexcept { return first_failure_; }

private:
    static sockaddr_in address(in_addr a, std::uint16_t port) {
        sockaddr_in s{};
        s.sin_family = AF_INET;
        s.sin_addr = a;
        s.sin_port = htons(port);
        return s;
    }

    static std::string text(in_addr a) {
        std::array<char, INET_ADDRSTRLEN> buffer{};
        return inet_ntop(AF_INET, &a, buffer.data(), buffer.size()) != nullptr ? std::string(buffer.data()) : "?";
    }

    static std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

    void track(int fd, Role role) {
        const auto index = static_cast<std::size_t>(fd);
        if (index >= sockets_.size()) sockets_.resize(index * 2 + 16);
        sockets_[index] = Socket{role, false, 0};
    }

    bool watch(int fd, std::uint32_t events) {
        epoll_event e{};
        e.events = events;
        e.data.fd = fd;
        return epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &e) == 0;
    }

    void fail(const std::string& what) {
        if (failures_++ == 0) first_failure_ = what;
    }

    // Closing removes the descriptor from the epoll set (no other descriptor refers to its file).
    void close_socket(int fd) {
        const Role role = sockets_[static_cast<std::size_t>(fd)].role;
        if (role == Role::Client) --clients_open_;
        if (role == Role::Server) --servers_open_;
        sockets_[static_cast<std::size_t>(fd)] = Socket{};
        ::close(fd);
    }

    void start() {
        if (draining_) return;
        const std::size_t n = started_++;
        const std::size_t tuple = n % (clients_.size() * ports_.size());
        const sockaddr_in local = address(clients_[tuple % clients_.size()], 0);
        const sockaddr_in remote = address(server_, ports_[tuple / clients_.size()]);
        const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            fail(errno_text("socket"));
            return;
        }
        const int one = 1;
        if (setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one) != 0 ||
            bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
            fail(errno_text("client bind"));
            ::close(fd);
            return;
        }
        track(fd, Role::Client);
        ++clients_open_;
        if (!watch(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)) {
            fail(errno_text("epoll_ctl"));
            close_socket(fd);
            return;
        }
        if (connect(fd, reinterpret_cast<const sockaddr*>(&remote), sizeof remote) != 0 && errno != EINPROGRESS) {
            fail(errno_text("connect"));
            close_socket(fd);
            return;
        }
        // Connected or not yet: EPOLLOUT says when the request can go.
    }

    bool poll() {
        next_event_ = 0;
        ready_ = 0;
        int n = 0;
        do {
            n = epoll_wait(epoll_, events_.data(), static_cast<int>(events_.size()), 1000);
        } while (n < 0 && errno == EINTR);
        if (n < 0) {
            fail(errno_text("epoll_wait"));
            return false;
        }
        if (n == 0) {
            fail("no event for a second: the transactions stalled");
            return false;
        }
        ready_ = static_cast<std::size_t>(n);
        return true;
    }

    // A descriptor is closed only while its own event is handled, so a later event of the batch never names a
    // closed one (a number reused by a new socket belongs to an event already handled).
    void handle(const epoll_event& e) {
        const int fd = e.data.fd;
        switch (sockets_[static_cast<std::size_t>(fd)].role) {
        case Role::Listener: accept_all(fd); break;
        case Role::Client: client_event(fd, e.events); break;
        case Role::Server: server_read(fd); break;
        case Role::None: break;
        }
    }

    void accept_all(int listener) {
        for (;;) {
            const int fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno != EAGAIN && errno != EINTR) fail(errno_text("accept4"));
                return;
            }
            track(fd, Role::Server);
            ++servers_open_;
            if (!watch(fd, EPOLLIN | EPOLLRDHUP | EPOLLET)) {
                fail(errno_text("epoll_ctl"));
                close_socket(fd);
                continue;
            }
            server_read(fd);
        }
    }

    void client_event(int fd, std::uint32_t ev) {
        Socket& s = sockets_[static_cast<std::size_t>(fd)];
        if ((ev & EPOLLERR) != 0) {
            int error = 0;
            socklen_t length = sizeof error;
            (void)getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
            errno = error;
            fail(errno_text("client socket error"));
            close_socket(fd);
            start();
            return;
        }
        if (!s.sent && (ev & EPOLLOUT) != 0) {
            const ssize_t n = send(fd, request_.data(), kMessage, MSG_NOSIGNAL);
            if (n != static_cast<ssize_t>(kMessage)) {
                fail(n < 0 ? errno_text("client send") : std::string("client send: short write"));
                close_socket(fd);
                start();
                return;
            }
            s.sent = true;
        }
        if ((ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) == 0) return;
        for (;;) {
            const ssize_t n = recv(fd, buffer_.data(), buffer_.size(), 0);
            if (n < 0) {
                if (errno == EAGAIN) return;
                fail(errno_text("client recv"));
                break;
            }
            if (n == 0) {
                fail("client: the server closed before answering");
                break;
            }
            s.received += static_cast<std::uint32_t>(n);
            if (s.received >= kMessage) {
                ++completed_;
                break;
            }
        }
        close_socket(fd);
        start();
    }

    void server_read(int fd) {
        Socket& s = sockets_[static_cast<std::size_t>(fd)];
        for (;;) {
            const ssize_t n = recv(fd, buffer_.data(), buffer_.size(), 0);
            if (n < 0) {
                if (errno == EAGAIN) return;
                fail(errno_text("server recv"));
                close_socket(fd);
                return;
            }
            if (n == 0) {  // the client's FIN
                close_socket(fd);
                return;
            }
            const std::uint32_t before = s.received;
            s.received += static_cast<std::uint32_t>(n);
            if (before < kMessage && s.received >= kMessage &&
                send(fd, reply_.data(), kMessage, MSG_NOSIGNAL) != static_cast<ssize_t>(kMessage)) {
                fail(errno_text("server send"));
                close_socket(fd);
                return;
            }
        }
    }

    std::vector<in_addr> clients_;
    in_addr server_;
    int in_flight_;
    std::vector<std::uint16_t> ports_;
    int epoll_ = -1;
    std::vector<Socket> sockets_;
    std::array<epoll_event, 256> events_{};
    std::size_t ready_ = 0;       // events in the batch epoll_wait() returned
    std::size_t next_event_ = 0;  // the next of them to handle
    std::array<std::uint8_t, kMessage> request_{};
    std::array<std::uint8_t, kMessage> reply_{};
    std::array<std::uint8_t, 2048> buffer_{};
    std::uint64_t started_ = 0;
    std::uint64_t completed_ = 0;
    std::uint64_t failures_ = 0;
    std::string first_failure_;
    int clients_open_ = 0;
    int servers_open_ = 0;
    bool draining_ = false;
};

// The client addresses 198.18.1.1.. (as bench_tcp_transactions numbers them) and the server's address.
bool addresses(std::vector<in_addr>& clients, in_addr& server, std::string& error) {
    const int count = env_int("SYNACK_LINUX_BENCH_CLIENTS", 16);
    for (int i = 0; i < count; ++i) {
        const auto host = (198U << 24) | (18U << 16) | (static_cast<std::uint32_t>(1 + i / 250) << 8) |
                          static_cast<std::uint32_t>(1 + i % 250);
        in_addr a{};
        a.s_addr = htonl(host);
        clients.push_back(a);
    }
    const std::string s = env_string("SYNACK_LINUX_BENCH_SERVER", "198.19.0.2");
    if (inet_pton(AF_INET, s.c_str(), &server) != 1) {
        error = "SYNACK_LINUX_BENCH_SERVER is not an IPv4 address: " + s;
        return false;
    }
    return true;
}

// One iteration is one transaction; the run lasts at least 10 s (the final, reported run).
void BM_LinuxShortTransactions(benchmark::State& state) {
    (void)kConditionsAdded;
    std::vector<in_addr> clients;
    in_addr server{};
    std::string error;
    if (!addresses(clients, server, error)) {
        state.SkipWithError(error.c_str());
        return;
    }
    const int in_flight = static_cast<int>(state.range(0));
    Transactions t(std::move(clients), server, in_flight);
    error = t.open();
    if (!error.empty()) {
        state.SkipWithError(error.c_str());
        return;
    }
    const std::int64_t overflow_before = proc_counter("/proc/net/netstat", "TcpExt:", "TCPTimeWaitOverflow");
    const std::int64_t segments_before = proc_counter("/proc/net/snmp", "Tcp:", "OutSegs");
    t.start_all();
    bool stalled = false;
    for (auto _ : state) {
        if (!t.run(1)) {
            stalled = true;
            break;
        }
    }
    const std::uint64_t completed = t.completed();
    const std::int64_t segments = proc_counter("/proc/net/snmp", "Tcp:", "OutSegs") - segments_before;
    if (!stalled && !t.drain()) stalled = true;
    const std::int64_t overflow =
        proc_counter("/proc/net/netstat", "TcpExt:", "TCPTimeWaitOverflow") - overflow_before;

    state.SetItemsProcessed(static_cast<std::int64_t>(completed));
    state.counters["transactions"] = static_cast<double>(completed);
    state.counters["time_wait_entries"] = static_cast<double>(sockstat_tw());
    state.counters["TCPTimeWaitOverflow"] = static_cast<double>(overflow);
    state.counters["segments_per_transaction"] =
        static_cast<double>(segments) / static_cast<double>(completed > 0 ? completed : 1);
    state.counters["in_flight"] = static_cast<double>(in_flight);
    state.counters["failures"] = static_cast<double>(t.failures());
    if (overflow != 0) state.SkipWithError("TCPTimeWaitOverflow grew: a TIME_WAIT entry was not kept");
    if (t.failures() != 0) {
        const std::string message = std::to_string(t.failures()) + " transaction(s) failed, the first: " +
                                    t.first_failure();
        state.SkipWithError(message.c_str());
    } else if (stalled) {
        state.SkipWithError("the event loop went idle before the run ended");
    }
}
BENCHMARK(BM_LinuxShortTransactions)->Arg(16)->MinTime(min_time(10.0))->UseRealTime()->Unit(benchmark::kNanosecond);

}  // namespace
