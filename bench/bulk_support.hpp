// Bulk transfer between two synack stacks in the simulator (issue 5, point 9), shared by the benchmark
// (bench/tcp_bulk_bench.cpp) and the unit test that proves the steady state allocates nothing
// (tests/sim/bulk_alloc_test.cpp): a client connects to a server and writes for ever; the server reads everything.
// Both applications run after every event their node handles, as an event loop would after reading its sockets:
// the client fills its send buffer (send() until it takes nothing), the server empties its receive buffer.
//
// Conditions: both stacks in one process on one core, one simulated link (unlimited rate, `one_way_delay` each
// way, the MTU given), every TCP and IP checksum computed and verified in software at both ends (the stack has no
// offload), no trace sink (trace off). The payload is a pattern the server can check byte for byte (verify).
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdint>
#include <functional>
#include <memory>
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

struct BulkSetup {
    std::uint32_t mtu = 1500;                           // interfaces and link: MSS = MTU - 52 with timestamps
    Duration one_way_delay = std::chrono::microseconds(10);
    std::size_t write_size = 256 * 1024;                // one send() call at most
    std::size_t read_size = 256 * 1024;                 // one recv() call at most
    // SO_RCVBUF / SO_SNDBUF of both ends as the kernel stores them (already doubled); 0: the sysctl defaults
    // (tcp_rmem[1] = 128 KiB, tcp_wmem[1] = 16 KiB grown by the stack). Set before connect() and listen(), as an
    // application must for the window scale to follow.
    std::uint32_t rcvbuf = 0;
    std::uint32_t sndbuf = 0;
    bool verify = true;                                 // the server compares every byte with the pattern (memcmp)
    std::uint64_t seed = 7;
};

// A stack and the application on top of it (app_node.hpp).
using BulkNode = AppNode;

// The pattern byte at stream offset `i`: cheap to check, and not the same every 2^8 or 2^16 bytes.
inline std::uint8_t pattern_byte(std::uint64_t i) noexcept {
    return static_cast<std::uint8_t>((i * 2654435761u) >> 13);
}

class BulkTransfer {
public:
    explicit BulkTransfer(const BulkSetup& setup) : setup_(setup), net_(setup.seed) {
        stack::StackConfig config;
        client_ = &net_.emplace_node<BulkNode>("client", config).node;
        server_ = &net_.emplace_node<BulkNode>("server", config).node;
        device::SimLinkConfig link;
        link.delay = setup.one_way_delay;
        link.mtu = setup.mtu;
        link.queue_packets = 0;  // unlimited rate: nothing ever queues
        link_ = net_.connect({0, 0}, {1, 0}, link);

        const wire::IpAddress client_address = v4(198, 18, 0, 1);
        const wire::IpAddress server_address = v4(198, 18, 0, 2);
        stack::Stack& c = client_->stack();
        stack::Stack& s = server_->stack();
        const stack::InterfaceId ci = c.add_interface("eth0", setup.mtu);
        const stack::InterfaceId si = s.add_interface("eth0", setup.mtu);
        if (!c.add_address(ci, client_address, 15) || !s.add_address(si, server_address, 15)) fail("address");
        if (!c.add_route(v4(198, 18, 0, 0), 15, ci) || !s.add_route(v4(198, 18, 0, 0), 15, si)) fail("route");
        tcp::SocketOptions options;
        options.rcvbuf = setup.rcvbuf;
        options.sndbuf = setup.sndbuf;
        auto listener = s.listen({server_address, 5001}, 16, options);
        if (!listener) fail("listen");
        listener_ = *listener;

        // The pattern repeats every 4 KiB; a write (or a read to check) of up to write_size may start anywhere in
        // a period.
        out_.resize(std::max(setup.write_size, setup.read_size) + 4096);
        for (std::size_t i = 0; i < out_.size(); ++i) out_[i] = pattern_byte(i % 4096);
        in_.resize(setup.read_size);

        client_->set_app([this](Instant now) { client_app(now); });
        server_->set_app([this](Instant now) { server_app(now); });
        stack::ConnectOptions connect_options;
        connect_options.options = options;
        auto id = c.connect({server_address, 5001}, net_.now(), connect_options);
        if (!id) fail("connect");
        client_id_ = *id;
        net_.wake(0);
    }

    // Runs the network until the server has read `bytes` more.
    void run_bytes(std::uint64_t bytes) {
        const std::uint64_t target = received_ + bytes;
        while (received_ < target) {
            if (!net_.step()) fail("the network went idle");
            if (corrupt_) fail("the server read a byte that differs from what the client wrote");
        }
    }

    std::uint64_t sent() const noexcept { return sent_; }
    std::uint64_t received() const noexcept { return received_; }
    runtime::SimNetwork& network() noexcept { return net_; }
    stack::Stack& client() noexcept { return client_->stack(); }
    stack::Stack& server() noexcept { return server_->stack(); }
    const tcp::Connection* client_connection() const noexcept { return client_->stack().connection(client_id_); }
    const tcp::Connection* server_connection() const noexcept {
        return server_id_ ? server_->stack().connection(*server_id_) : nullptr;
    }
    // Packets the link carried, both directions (data one way, ACKs the other).
    std::uint64_t packets() {
        return net_.link(link_, runtime::LinkDirection::AToB).counters().sent +
               net_.link(link_, runtime::LinkDirection::BToA).counters().sent;
    }
    std::uint64_t data_packets() { return net_.link(link_, runtime::LinkDirection::AToB).counters().sent; }

private:
    [[noreturn]] static void fail(const char* what) { throw std::runtime_error(std::string("bulk transfer: ") + what); }

    static wire::IpAddress v4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
        return wire::IpAddress(wire::Ipv4Address::from_u32((a << 24) | (b << 16) | (c << 8) | d));
    }

    void client_app(Instant now) {
        stack::Stack& c = client_->stack();
        const tcp::Connection* conn = c.connection(client_id_);
        if (conn == nullptr) return;
        while (conn->send_buffer_space() > 0) {
            const std::size_t offset = sent_ % 4096;
            auto n = c.send(client_id_, wire::Bytes(out_.data() + offset, setup_.write_size), now);
            if (!n || *n == 0) break;
            sent_ += *n;
        }
    }

    void server_app(Instant now) {
        stack::Stack& s = server_->stack();
        if (!server_id_) {
            auto id = s.accept(listener_, now);
            if (!id) return;
            server_id_ = *id;
        }
        for (;;) {
            const tcp::Connection* conn = s.connection(*server_id_);
            if (conn == nullptr || conn->readable_bytes() == 0) return;
            auto n = s.recv(*server_id_, wire::MutableBytes(in_.data(), in_.size()), now);
            if (!n || *n == 0) return;
            if (setup_.verify && std::memcmp(in_.data(), out_.data() + received_ % 4096, *n) != 0) corrupt_ = true;
            received_ += *n;
        }
    }

    BulkSetup setup_;
    runtime::SimNetwork net_;
    BulkNode* client_ = nullptr;
    BulkNode* server_ = nullptr;
    runtime::LinkId link_ = 0;
    stack::ListenerId listener_{};
    stack::ConnectionId client_id_{};
    std::optional<stack::ConnectionId> server_id_;
    std::vector<std::uint8_t> out_;
    std::vector<std::uint8_t> in_;
    std::uint64_t sent_ = 0;
    std::uint64_t received_ = 0;
    bool corrupt_ = false;
};

}  // namespace synack::bench
