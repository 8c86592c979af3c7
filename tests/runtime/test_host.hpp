// A simple packet source and sink for network tests (they test the network, not TCP): it sends packets at the
// times it is told, records what it receives, and can echo every packet back on the interface it came in on.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/sim_node.hpp"

namespace synack::runtime::test {

using Packet = std::vector<std::uint8_t>;

struct Received {
    Instant at;
    stack::InterfaceId interface;
    Packet bytes;
};

class TestHost : public SimNode {
public:
    explicit TestHost(const NodeContext& context, bool echo = false)
        : sink_(context.sink), seed_(context.seed), echo_(echo) {}

    // Sends `bytes` on `interface` when the clock reaches `at` (from on_timer).
    void send_at(Instant at, stack::InterfaceId interface, Packet bytes) {
        pending_.push_back({at, interface, std::move(bytes)});
        std::stable_sort(pending_.begin(), pending_.end(),
                         [](const Pending& a, const Pending& b) { return a.at < b.at; });
    }
    // Sends at once, from outside the event loop.
    void send_now(stack::InterfaceId interface, const Packet& bytes) { sink_.transmit(interface, bytes); }

    void receive(stack::InterfaceId interface, wire::Bytes packet, Instant now) override {
        received.push_back({now, interface, Packet(packet.begin(), packet.end())});
        if (echo_) sink_.transmit(interface, packet);
    }
    void on_timer(Instant now) override {
        timer_calls.push_back(now);
        while (!pending_.empty() && pending_.front().at <= now) {
            const Pending p = std::move(pending_.front());
            pending_.erase(pending_.begin());
            sink_.transmit(p.interface, p.bytes);
        }
    }
    std::optional<Instant> next_deadline() const override {
        if (pending_.empty()) return std::nullopt;
        return pending_.front().at;
    }

    std::uint64_t seed() const noexcept { return seed_; }

    std::vector<Received> received;
    std::vector<Instant> timer_calls;

private:
    struct Pending {
        Instant at;
        stack::InterfaceId interface;
        Packet bytes;
    };
    stack::PacketSink& sink_;
    std::uint64_t seed_;
    bool echo_;
    std::vector<Pending> pending_;
};

}  // namespace synack::runtime::test
