// Bulk transfer throughput (issue 5, point 9): one connection between two synack stacks in the simulator, the client
// writing for ever and the server reading, at MSS 1448 (MTU 1500) and MSS 65483 (MTU 65535), with the default socket
// buffers (Linux's sysctl defaults: the window stays at 64 KiB, or below one MSS at MTU 65535, since synack has no
// receive-buffer autotuning yet) and with SO_RCVBUF = SO_SNDBUF = 4 MiB at both ends. Goals: at least
// 20 Gbit/s and 40 Gbit/s of payload; zero heap allocations per packet in the steady state.
//
// Conditions (bench_support.hpp, bulk_support.hpp): both stacks on one core in the simulator, software TCP and IP
// checksums computed and verified at both ends, trace off. A warm-up of 64 MiB lets the windows, the buffers and the
// simulator's pools grow to their steady size before the timed loop; one iteration is 1 MiB read by the server.
//
// Counters, besides the rate: payload Gbit/s (wall clock); heap allocations per packet during the timed loop
// (counted by tests/support/allocation_counter.cpp, which replaces operator new); copies per payload byte (bytes through memcpy and memmove
// during the timed loop, over payload bytes: this binary interposes both, so copies the stack, the simulator and
// the applications make are all counted, and std::copy lowers to them); the windows used (the window the server
// offers, the client's view of it, the congestion window, scale factors) and packets per MiB each way.
#include <benchmark/benchmark.h>
#include <dlfcn.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <new>
#include <optional>

#include "bench_support.hpp"
#include "support/allocation_counter.hpp"
#include "bulk_support.hpp"
#include "tcp/connection.hpp"

// ---- counting allocations and copies in this binary ----
namespace {
// The benchmark is single-threaded: plain loads and stores (no locked read-modify-write on the copy path).
std::atomic<bool> g_counting{false};
std::atomic<std::uint64_t> g_copied{0};

void count(std::atomic<std::uint64_t>& counter, std::uint64_t n) noexcept {
    if (g_counting.load(std::memory_order_relaxed)) {
        counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    }
}

using CopyFn = void* (*)(void*, const void*, std::size_t);
CopyFn g_real_memmove = nullptr;  // libc's, found before main() runs
[[gnu::constructor]] void find_memmove() noexcept {
    g_real_memmove = reinterpret_cast<CopyFn>(dlsym(RTLD_NEXT, "memmove"));
}
// A byte loop the compiler may not turn back into a memcpy call (used only before dlsym answered).
void* slow_copy(void* dst, const void* src, std::size_t n) noexcept {
    auto* d = static_cast<volatile unsigned char*>(dst);
    const auto* s = static_cast<const volatile unsigned char*>(src);
    if (d < s) {
        for (std::size_t i = 0; i < n; ++i) d[i] = s[i];
    } else {
        for (std::size_t i = n; i > 0; --i) d[i - 1] = s[i - 1];
    }
    return dst;
}
void* counted_copy(void* dst, const void* src, std::size_t n) noexcept {
    count(g_copied, n);
    if (g_real_memmove != nullptr) [[likely]] return g_real_memmove(dst, src, n);
    return slow_copy(dst, src, n);
}
}  // namespace

extern "C" {
void* memcpy(void* dst, const void* src, std::size_t n) noexcept { return counted_copy(dst, src, n); }
void* memmove(void* dst, const void* src, std::size_t n) noexcept { return counted_copy(dst, src, n); }
}

namespace {

using namespace synack;

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::uint64_t kWarmUp = 64 * kMiB;

// args: the MTU of both interfaces and the link; SO_RCVBUF and SO_SNDBUF of both ends in KiB (0: the defaults).
void BM_BulkTransfer(benchmark::State& state) {
    bench::BulkSetup setup;
    setup.mtu = static_cast<std::uint32_t>(state.range(0));
    setup.rcvbuf = static_cast<std::uint32_t>(state.range(1)) * 1024;
    setup.sndbuf = setup.rcvbuf;
    setup.verify = false;  // the unit test checks the bytes; here the application only reads them
    bench::BulkTransfer t(setup);
    t.run_bytes(kWarmUp);

    const std::uint64_t packets0 = t.packets();
    const std::uint64_t data0 = t.data_packets();
    const std::uint64_t received0 = t.received();
    const std::uint64_t segs0 = t.client().counters().get(tcp::Counter::kOutSegs);
    std::uint32_t max_snd_wnd = 0;
    std::uint32_t max_rcv_wnd = 0;
    std::uint32_t max_cwnd = 0;
    g_copied = 0;
    timespec cpu0{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
    g_counting = true;
    std::optional<test::AllocationCounter> allocation_counter(std::in_place);
    for (auto _ : state) {
        t.run_bytes(kMiB);
        const tcp::Connection* c = t.client_connection();
        const tcp::Connection* s = t.server_connection();
        if (c != nullptr) {
            max_snd_wnd = std::max(max_snd_wnd, c->snd_wnd());
            max_cwnd = std::max(max_cwnd, c->snd_cwnd());
        }
        if (s != nullptr) max_rcv_wnd = std::max(max_rcv_wnd, s->rcv_wnd());
    }
    const auto allocations = static_cast<std::uint64_t>(allocation_counter->count());
    allocation_counter.reset();
    g_counting = false;
    timespec cpu1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1);
    const double cpu_seconds =
        static_cast<double>(cpu1.tv_sec - cpu0.tv_sec) + static_cast<double>(cpu1.tv_nsec - cpu0.tv_nsec) * 1e-9;
    const std::uint64_t copied = g_copied;

    const auto payload = static_cast<double>(t.received() - received0);
    const auto packets = static_cast<double>(t.packets() - packets0);
    const auto data_packets = static_cast<double>(t.data_packets() - data0);
    const tcp::Connection* c = t.client_connection();
    const tcp::Connection* s = t.server_connection();
    state.SetBytesProcessed(static_cast<std::int64_t>(payload));
    state.counters["payload_Gbit_s"] = benchmark::Counter(payload * 8 / 1e9, benchmark::Counter::kIsRate);
    // The same over the thread's CPU time: what the figure is on a core of its own (the machine is shared).
    state.counters["payload_Gbit_per_cpu_s"] = cpu_seconds > 0 ? payload * 8 / 1e9 / cpu_seconds : 0;
    state.counters["mtu"] = static_cast<double>(setup.mtu);
    state.counters["buf_KiB"] = static_cast<double>(state.range(1));
    state.counters["mss"] = c != nullptr ? c->mss() : 0;
    state.counters["allocations_per_packet"] = packets > 0 ? static_cast<double>(allocations) / packets : -1;
    state.counters["allocations"] = static_cast<double>(allocations);
    state.counters["copies_per_byte"] = payload > 0 ? static_cast<double>(copied) / payload : -1;
    state.counters["data_packets_per_MiB"] = data_packets / (payload / kMiB);
    state.counters["ack_packets_per_MiB"] = (packets - data_packets) / (payload / kMiB);
    state.counters["segments_out_per_MiB"] =
        static_cast<double>(t.client().counters().get(tcp::Counter::kOutSegs) - segs0) / (payload / kMiB);
    state.counters["ns_per_data_packet"] =
        benchmark::Counter(data_packets * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    if (c != nullptr) {
        state.counters["client_snd_wnd_max"] = max_snd_wnd;      // the window the client was offered (scaled)
        state.counters["client_cwnd_max_segments"] = max_cwnd;
        state.counters["client_snd_wscale"] = c->snd_wscale();
    }
    if (s != nullptr) {
        state.counters["server_rcv_wnd_max"] = max_rcv_wnd;      // the largest window the server offered (bytes)
        state.counters["server_rcv_wscale"] = s->rcv_wscale();
    }
    state.counters["virtual_ms"] =
        std::chrono::duration<double, std::milli>(t.network().now() - runtime::kSimEpoch).count();
    if (allocations != 0) state.SkipWithError("the steady state allocated");
}
BENCHMARK(BM_BulkTransfer)
    ->ArgNames({"mtu", "buf_KiB"})
    ->Args({1500, 0})
    ->Args({65535, 0})
    ->Args({1500, 4096})
    ->Args({65535, 4096})
    ->UseRealTime()
    ->MinTime(bench::min_time(10.0))
    ->Unit(benchmark::kMicrosecond);

}  // namespace
