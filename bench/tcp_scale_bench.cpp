// Connections at scale (issue 3, point 8): two simulated stacks with N established connections between them.
//
// - BM_IdleConnectionMemory/N: the memory one idle established connection costs a stack — the stack's own
//   accounting (Stack::memory_bytes(): connection slabs, the connection table, time-wait and request entries,
//   buffers) per connection, cross-checked by the process heap's growth (mallinfo2) over both stacks, which also
//   holds the benchmark's own 8-byte handle per connection. Goal: at most 512 bytes at 1,000,000 (the kernel
//   needs about 3.77 KB per socket). Buffers are allocated on demand, so an idle connection holds none.
// - BM_PacketCost/N: the CPU time per packet a stack handles when each transaction picks one of the N
//   connections at random: the client sends one byte, the server's application echoes it, the client reads it
//   (and the delayed ACKs that follow). At N = 1 every lookup hits the same warm connection; at N = 1,000,000
//   demux and connection state come from memory. Goal: the cost at 1,000,000 within 1.5x of the cost at 1.
//
// Conditions: bench_support.hpp (both stacks on one core in the simulator, software checksums, trace off).
// The network with 1,000,000 connections is built once and shared by the benchmarks that ask for it.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <vector>

#include "bench_support.hpp"
#include "tcp/mib.hpp"

namespace {

using namespace synack;
using bench::BenchNode;
using bench::EventQueue;

constexpr std::uint16_t kServerPort = 6379;
constexpr std::size_t kOpenAtOnce = 1024;  // connects under way while the network is being built
constexpr int kClientAddresses = 128;  // 7,813 each at 1 M: below the 14,116 even ports (connect() tries those first)

class Population {
public:
    explicit Population(std::size_t count) : net_(7) {
        const bench::ProcessMemory before = bench::ProcessMemory::now();
        stack::StackConfig config;
        config.somaxconn = 1 << 21;  // the accept queue never limits the build-up
        config.initial_buckets = 1024;
        hosts_ = bench::make_two_hosts(net_, config, kClientAddresses, std::chrono::microseconds(10));
        stack::Stack& c = hosts_.client->stack();
        stack::Stack& s = hosts_.server->stack();
        if (!s.listen({hosts_.server_address, kServerPort}, config.somaxconn)) throw std::runtime_error("listen");
        c.set_event_handler(&client_events_);
        s.set_event_handler(&server_events_);
        hosts_.client->set_app([this](Instant now) { client_app(now); });
        hosts_.server->set_app([this](Instant now) { server_app(now); });

        clients_.reserve(count);
        open(count);
        const bench::ProcessMemory after = bench::ProcessMemory::now();
        heap_growth_ = after.heap_in_use > before.heap_in_use ? after.heap_in_use - before.heap_in_use : 0;
    }

    std::size_t size() const noexcept { return clients_.size(); }
    std::size_t heap_growth() const noexcept { return heap_growth_; }
    stack::Stack& client() noexcept { return hosts_.client->stack(); }
    stack::Stack& server() noexcept { return hosts_.server->stack(); }
    runtime::SimNetwork& network() noexcept { return net_; }

    // One byte from the client on connection `i`, echoed by the server, read back by the client.
    void echo(std::size_t i) {
        echoed_ = false;
        const std::uint8_t byte = 'x';
        auto sent = client().send(clients_[i], wire::Bytes(&byte, 1), net_.now());
        if (!sent || *sent != 1) throw std::runtime_error("send failed");
        net_.wake(0);
        while (!echoed_) {
            if (!net_.step()) throw std::runtime_error("the network went idle before the echo");
        }
    }

    std::uint64_t segments_in() const {
        return hosts_.client->stack().counters().get(tcp::Counter::kInSegs) +
               hosts_.server->stack().counters().get(tcp::Counter::kInSegs);
    }

private:
    void open(std::size_t count) {
        std::size_t started = 0;
        const auto start_more = [&] {
            while (started < count && started - established_ < kOpenAtOnce) {
                stack::ConnectOptions options;
                options.local = stack::Endpoint{hosts_.client_addresses[started % hosts_.client_addresses.size()], 0};
                auto id = client().connect({hosts_.server_address, kServerPort}, net_.now(), options);
                if (!id) throw std::runtime_error("connect failed");
                ++started;
            }
        };
        start_more();
        net_.wake(0);
        while (established_ < count) {
            if (!net_.step()) throw std::runtime_error("the network went idle while connecting");
            start_more();
            net_.wake(0);
        }
        // Let every timer of the build-up (the last delayed ACKs) run out: the connections are idle from here.
        (void)net_.run_until_idle(std::size_t{1} << 24);
        if (server().connection_count() != count || client().connection_count() != count) {
            throw std::runtime_error("not every connection is established on both sides");
        }
    }

    void client_app(Instant now) {
        stack::Stack& c = client();
        for (std::size_t i = 0; i < client_events_.connections.size(); ++i) {
            const auto [id, events] = client_events_.connections[i];
            if ((events & tcp::event::kError) != 0) throw std::runtime_error("a client connection failed");
            if ((events & tcp::event::kConnected) != 0) {
                clients_.push_back(id);
                ++established_;
            }
            if ((events & tcp::event::kReadable) != 0) {
                std::array<std::uint8_t, 64> buf{};
                auto n = c.recv(id, wire::MutableBytes(buf.data(), buf.size()), now);
                if (n && *n > 0) echoed_ = true;
            }
        }
        client_events_.connections.clear();
    }

    void server_app(Instant now) {
        stack::Stack& s = server();
        for (std::size_t i = 0; i < server_events_.listeners.size(); ++i) {
            while (s.accept(server_events_.listeners[i], now)) {
            }
        }
        server_events_.listeners.clear();
        for (std::size_t i = 0; i < server_events_.connections.size(); ++i) {
            const auto [id, events] = server_events_.connections[i];
            if ((events & tcp::event::kReadable) == 0) continue;
            std::array<std::uint8_t, 64> buf{};
            auto n = s.recv(id, wire::MutableBytes(buf.data(), buf.size()), now);
            if (n && *n > 0) (void)s.send(id, wire::Bytes(buf.data(), *n), now);
        }
        server_events_.connections.clear();
    }

    runtime::SimNetwork net_;
    bench::TwoHosts hosts_;
    EventQueue client_events_;
    EventQueue server_events_;
    std::vector<stack::ConnectionId> clients_;
    std::size_t established_ = 0;
    bool echoed_ = false;
    std::size_t heap_growth_ = 0;
};

// Built once per size and kept for the process's life: building 1,000,000 connections takes seconds.
Population& population(std::size_t count) {
    static std::map<std::size_t, std::unique_ptr<Population>> built;
    auto& p = built[count];
    if (!p) p = std::make_unique<Population>(count);
    return *p;
}

void BM_IdleConnectionMemory(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    Population* p = nullptr;
    for (auto _ : state) p = &population(count);
    const double n = static_cast<double>(count);
    state.counters["connections"] = n;
    state.counters["server_bytes_per_connection"] = static_cast<double>(p->server().memory_bytes()) / n;
    state.counters["client_bytes_per_connection"] = static_cast<double>(p->client().memory_bytes()) / n;
    // Both stacks' heap growth per connection end, the benchmark's handle list included.
    state.counters["heap_bytes_per_connection"] = static_cast<double>(p->heap_growth()) / (2 * n);
    state.counters["goal_bytes"] = 512;
}
BENCHMARK(BM_IdleConnectionMemory)->Arg(1000)->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_PacketCost(benchmark::State& state) {
    const auto count = static_cast<std::size_t>(state.range(0));
    Population& p = population(count);
    std::mt19937_64 rng(11);
    const std::uint64_t before = p.segments_in();
    for (auto _ : state) p.echo(static_cast<std::size_t>(rng() % p.size()));
    const std::uint64_t packets = p.segments_in() - before;
    state.counters["connections"] = static_cast<double>(count);
    state.counters["packets_per_echo"] =
        static_cast<double>(packets) / static_cast<double>(std::max<std::int64_t>(state.iterations(), 1));
    // Seconds of CPU per packet handled (printed as e.g. 250n).
    state.counters["cost_per_packet"] = benchmark::Counter(static_cast<double>(packets),
                                                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.SetItemsProcessed(static_cast<std::int64_t>(packets));
}
BENCHMARK(BM_PacketCost)->Arg(1)->Arg(1000000)->MinTime(bench::min_time(5.0))->Unit(benchmark::kNanosecond);

}  // namespace
