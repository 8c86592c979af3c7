// What the TCP benchmarks share: a stack as a node of the simulated network with an application that runs after
// every event the node handles (as an event loop runs callbacks after reading its sockets), the conditions every
// benchmark states, and the process's own view of its memory (RSS, mallinfo2) to cross-check the stack's.
//
// Conditions of every TCP figure: both stacks run in one process on one core, in the simulated network
// (runtime/sim_network) on its virtual clock; every TCP checksum is computed and verified in software at both
// ends (the stack has no offload); no trace sink is set (trace off).
#pragma once

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime/sim_network.hpp"
#include "app_node.hpp"
#include "runtime/sim_node.hpp"
#include "stack/stack.hpp"
#include "wire/address.hpp"

namespace synack::bench {

inline constexpr const char* kConditions =
    "both stacks on one core in the simulator (runtime::SimNetwork, virtual clock); software TCP checksums "
    "computed and verified at both ends; trace off";

// The conditions in the context every output (text and JSON) starts with. Registered while the program starts:
// Google Benchmark prints the context before the first benchmark runs.
inline const bool kConditionsRegistered = [] {
    benchmark::AddCustomContext("conditions", kConditions);
    return true;
}();

// The minimum run time of a benchmark: `seconds`, unless SYNACK_BENCH_MIN_TIME says otherwise (quick trial runs).
inline double min_time(double seconds) {
    if (const char* v = std::getenv("SYNACK_BENCH_MIN_TIME")) {
        char* end = nullptr;
        const double t = std::strtod(v, &end);
        if (end != v && t > 0) return t;
    }
    return seconds;
}

// A stack and the application on top of it (app_node.hpp).
using BenchNode = AppNode;

// Readiness events queued for the application to handle after the stack call that raised them returns (calling
// back into a stack from inside its own event would re-enter a connection mid-segment).
class EventQueue final : public stack::StackEvents {
public:
    struct Event {
        stack::ConnectionId connection;
        std::uint8_t events = 0;
    };
    std::vector<Event> connections;
    std::vector<stack::ListenerId> listeners;

    void on_connection_event(stack::ConnectionId id, std::uint8_t events) override {
        connections.push_back({id, events});
    }
    void on_listener_event(stack::ListenerId id, std::uint8_t) override { listeners.push_back(id); }
};

// An IPv4 address from its four octets (the benchmarks' hosts live in 198.18.0.0/15).
inline wire::IpAddress v4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
    return wire::IpAddress(wire::Ipv4Address::from_u32((a << 24) | (b << 16) | (c << 8) | d));
}

// The benchmarks' two hosts on one simulated link: a client with `client_addresses` addresses (198.18.1.1 on, 250
// to a /24) and a server at 198.19.0.2, both in 198.18.0.0/15; each a BenchNode whose application the caller sets.
struct TwoHosts {
    BenchNode* client = nullptr;
    BenchNode* server = nullptr;
    std::vector<wire::IpAddress> client_addresses;
    wire::IpAddress server_address;
};

inline TwoHosts make_two_hosts(runtime::SimNetwork& net, const stack::StackConfig& config, int client_addresses,
                               Duration one_way_delay) {
    TwoHosts h;
    h.client = &net.emplace_node<BenchNode>("client", config).node;
    h.server = &net.emplace_node<BenchNode>("server", config).node;
    net.connect({0, 0}, {1, 0}, device::SimLinkConfig{.delay = one_way_delay});
    const auto fail = [](const char* what) { throw std::runtime_error(std::string("bench set-up: ") + what); };

    stack::Stack& c = h.client->stack();
    const stack::InterfaceId ci = c.add_interface("eth0", 1500);
    for (int i = 0; i < client_addresses; ++i) {
        const wire::IpAddress a =
            v4(198, 18, static_cast<std::uint32_t>(1 + i / 250), static_cast<std::uint32_t>(1 + i % 250));
        if (!c.add_address(ci, a, 15)) fail("client address");
        h.client_addresses.push_back(a);
    }
    if (!c.add_route(v4(198, 18, 0, 0), 15, ci)) fail("client route");
    stack::Stack& s = h.server->stack();
    const stack::InterfaceId si = s.add_interface("eth0", 1500);
    h.server_address = v4(198, 19, 0, 2);
    if (!s.add_address(si, h.server_address, 15)) fail("server address");
    if (!s.add_route(v4(198, 18, 0, 0), 15, si)) fail("server route");
    return h;
}

// The process's resident set and the heap in use, to cross-check the stack's own accounting.
struct ProcessMemory {
    std::size_t rss_bytes = 0;
    std::size_t heap_in_use = 0;  // mallinfo2(): uordblks + hblkhd (small and mmap()ed blocks in use)

    static ProcessMemory now() {
        ProcessMemory m;
        if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
            unsigned long size = 0;
            unsigned long resident = 0;
            if (std::fscanf(f, "%lu %lu", &size, &resident) == 2) {
                m.rss_bytes = resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
            }
            std::fclose(f);
        }
        const struct mallinfo2 mi = mallinfo2();
        m.heap_in_use = mi.uordblks + mi.hblkhd;
        return m;
    }
};

}  // namespace synack::bench
