// Short transactions per second (issue 3, point 8): a client stack connects, sends 64 bytes, reads the server's
// 64-byte answer and closes; the server accepts, reads, answers, reads the end of the stream and closes. The client
// closes first, so every transaction leaves a TIME_WAIT entry on the client, and all of them are kept:
// tcp_max_tw_buckets is far above what a run makes, and the benchmark fails if TCPTimeWaitOverflow is not 0 at the
// end. Enough 4-tuples for a long run come from several client addresses and server ports (28,232 ephemeral ports
// each), visited in turn. Goal: 600,000 transactions per second.
//
// Conditions: bench_support.hpp (both stacks on one core in the simulator, software checksums, trace off).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "tcp/mib.hpp"

namespace {

using namespace synack;
using bench::BenchNode;
using bench::EventQueue;

constexpr std::size_t kMessage = 64;

struct TransactionSetup {
    int client_addresses = 16;
    int server_ports = 64;
    int in_flight = 16;                       // transactions under way at once
    Duration one_way_delay = std::chrono::microseconds(10);
};

// The two stacks and their applications.
class Transactions {
public:
    explicit Transactions(const TransactionSetup& setup) : setup_(setup), net_(42) {
        stack::StackConfig config;
        config.tcp_max_tw_buckets = 1 << 26;  // every TIME_WAIT kept
        config.initial_buckets = 1 << 16;
        hosts_ = bench::make_two_hosts(net_, config, setup.client_addresses, setup.one_way_delay);
        stack::Stack& c = hosts_.client->stack();
        stack::Stack& s = hosts_.server->stack();
        for (int p = 0; p < setup.server_ports; ++p) {
            const auto port = static_cast<std::uint16_t>(5000 + p);
            if (!s.listen({hosts_.server_address, port}, 4096)) throw std::runtime_error("listen");
            server_ports_.push_back(port);
        }
        c.set_event_handler(&client_events_);
        s.set_event_handler(&server_events_);
        hosts_.client->set_app([this](Instant now) { client_app(now); });
        hosts_.server->set_app([this](Instant now) { server_app(now); });
    }

    // Runs the network until `count` more transactions have completed.
    void run(std::uint64_t count) {
        const std::uint64_t target = completed_ + count;
        if (started_ == 0) {
            for (int i = 0; i < setup_.in_flight; ++i) start(net_.now());
            net_.wake(0);
        }
        while (completed_ < target) {
            if (!net_.step()) throw std::runtime_error("the network went idle");
        }
    }

    std::uint64_t completed() const noexcept { return completed_; }
    std::uint64_t failures() const noexcept { return failures_; }
    runtime::SimNetwork& network() noexcept { return net_; }
    stack::Stack& client() noexcept { return hosts_.client->stack(); }
    stack::Stack& server() noexcept { return hosts_.server->stack(); }

private:
    void start(Instant now) {
        const std::size_t n = started_++;
        const std::size_t tuple = n % (hosts_.client_addresses.size() * server_ports_.size());
        stack::ConnectOptions options;
        options.local = stack::Endpoint{hosts_.client_addresses[tuple % hosts_.client_addresses.size()], 0};
        const std::uint16_t port = server_ports_[tuple / hosts_.client_addresses.size()];
        auto id = hosts_.client->stack().connect({hosts_.server_address, port}, now, options);
        if (!id) {
            ++failures_;
            return;
        }
        received(*id) = 0;
    }

    std::uint32_t& received(stack::ConnectionId id) {
        if (id.index >= received_.size()) received_.resize(std::size_t{id.index} * 2 + 16);
        return received_[id.index];
    }

    void client_app(Instant now) {
        stack::Stack& c = hosts_.client->stack();
        // Handling an event may raise more (a send that completes nothing, a close): take them in turn.
        for (std::size_t i = 0; i < client_events_.connections.size(); ++i) {
            const auto [id, events] = client_events_.connections[i];
            if (c.connection(id) == nullptr) continue;
            if ((events & tcp::event::kError) != 0) {
                ++failures_;
                (void)c.close(id, now);
                start(now);
                continue;
            }
            if ((events & tcp::event::kConnected) != 0) (void)c.send(id, wire::Bytes(request_.data(), kMessage), now);
            if ((events & tcp::event::kReadable) != 0) {
                for (;;) {
                    auto n = c.recv(id, wire::MutableBytes(buffer_.data(), buffer_.size()), now);
                    if (!n || *n == 0) break;
                    std::uint32_t& got = received(id);
                    got += static_cast<std::uint32_t>(*n);
                    if (got >= kMessage) {
                        (void)c.close(id, now);
                        ++completed_;
                        start(now);
                        break;
                    }
                }
            }
        }
        client_events_.connections.clear();
    }

    void server_app(Instant now) {
        stack::Stack& s = hosts_.server->stack();
        for (std::size_t i = 0; i < server_events_.listeners.size(); ++i) {
            while (auto id = s.accept(server_events_.listeners[i], now)) {
                server_received(*id) = 0;
                server_read(*id, now);
            }
        }
        server_events_.listeners.clear();
        for (std::size_t i = 0; i < server_events_.connections.size(); ++i) {
            const auto [id, events] = server_events_.connections[i];
            if (s.connection(id) == nullptr) continue;
            if ((events & tcp::event::kReadable) != 0) server_read(id, now);
        }
        server_events_.connections.clear();
    }

    void server_read(stack::ConnectionId id, Instant now) {
        stack::Stack& s = hosts_.server->stack();
        for (;;) {
            auto n = s.recv(id, wire::MutableBytes(buffer_.data(), buffer_.size()), now);
            if (!n) return;  // EAGAIN: more later
            if (*n == 0) {   // the client's FIN
                (void)s.close(id, now);
                return;
            }
            std::uint32_t& got = server_received(id);
            const std::uint32_t before = got;
            got += static_cast<std::uint32_t>(*n);
            if (before < kMessage && got >= kMessage) (void)s.send(id, wire::Bytes(reply_.data(), kMessage), now);
        }
    }

    std::uint32_t& server_received(stack::ConnectionId id) {
        if (id.index >= server_received_.size()) server_received_.resize(std::size_t{id.index} * 2 + 16);
        return server_received_[id.index];
    }

    TransactionSetup setup_;
    runtime::SimNetwork net_;
    bench::TwoHosts hosts_;
    EventQueue client_events_;
    EventQueue server_events_;
    std::vector<std::uint16_t> server_ports_;
    std::vector<std::uint32_t> received_;
    std::vector<std::uint32_t> server_received_;
    std::array<std::uint8_t, kMessage> request_{};
    std::array<std::uint8_t, kMessage> reply_{};
    std::array<std::uint8_t, 2048> buffer_{};
    std::uint64_t started_ = 0;
    std::uint64_t completed_ = 0;
    std::uint64_t failures_ = 0;
};

// One iteration is one transaction; the run lasts at least 10 s (the final, reported run).
void BM_ShortTransactions(benchmark::State& state) {
    TransactionSetup setup;
    setup.in_flight = static_cast<int>(state.range(0));
    Transactions t(setup);
    const Instant start = t.network().now();
    for (auto _ : state) t.run(1);
    const tcp::Mib& cm = t.client().counters();
    const tcp::Mib& sm = t.server().counters();
    const std::uint64_t overflow = cm.get(tcp::Counter::kTcpTimeWaitOverflow) +
                                   sm.get(tcp::Counter::kTcpTimeWaitOverflow);
    state.SetItemsProcessed(static_cast<std::int64_t>(t.completed()));
    state.counters["transactions"] = static_cast<double>(t.completed());
    state.counters["time_wait_entries"] = static_cast<double>(t.client().time_wait_count());
    state.counters["time_waited"] = static_cast<double>(cm.get(tcp::Counter::kTimeWaited));
    state.counters["TCPTimeWaitOverflow"] = static_cast<double>(overflow);
    state.counters["segments_per_transaction"] =
        static_cast<double>(cm.get(tcp::Counter::kOutSegs) + sm.get(tcp::Counter::kOutSegs)) /
        static_cast<double>(std::max<std::uint64_t>(t.completed(), 1));
    state.counters["virtual_seconds"] =
        std::chrono::duration<double>(t.network().now() - start).count();
    state.counters["in_flight"] = static_cast<double>(setup.in_flight);
    if (overflow != 0) state.SkipWithError("TCPTimeWaitOverflow is not 0: a TIME_WAIT entry was not kept");
    if (t.failures() != 0) state.SkipWithError("a transaction failed");
}
BENCHMARK(BM_ShortTransactions)->Arg(16)->MinTime(bench::min_time(10.0))->Unit(benchmark::kNanosecond);

}  // namespace
