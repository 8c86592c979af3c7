// A stack::Stack as a node of the simulated network, and the smallest network of them: two hosts on one link.
//
//   TwoHostNetwork net({.seed = 7});                      // client 10.0.0.1 / 2001:db8::1, server .2 / ::2
//   auto listener = *net.server().listen({net.server_v4(), 6379}, 128);
//   auto c = *net.client().connect({net.server_v4(), 6379}, net.client_now());
//   net.run_for(10ms);
//
// A host may run its own clock: `clock_offset` is added to the network's time for everything the stack sees
// (real hosts' clocks disagree too). RFC 6528 ISNs follow the clock (M, the 64 ns tick), which is how
// isn_clock_offsets() puts a connection's ISNs exactly where a test wants them, e.g. just below 2^32.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "device/sim_link.hpp"
#include "runtime/sim_network.hpp"
#include "runtime/sim_node.hpp"
#include "stack/config.hpp"
#include "stack/stack.hpp"
#include "wire/address.hpp"
#include "wire/instant.hpp"
#include "wire/result.hpp"
#include "wire/seq32.hpp"

namespace synack::runtime {

class StackNode final : public SimNode {
public:
    StackNode(const NodeContext& context, const stack::StackConfig& config, Duration clock_offset = Duration{0});

    // SimNode: the network's time becomes the host's (plus the offset) on the way in, and back on the way out.
    void receive(stack::InterfaceId interface, wire::Bytes packet, Instant now) override;
    void on_timer(Instant now) override;
    std::optional<Instant> next_deadline() const override;

    stack::Stack& stack() noexcept { return stack_; }
    const stack::Stack& stack() const noexcept { return stack_; }

    Duration clock_offset() const noexcept { return clock_offset_; }
    // The host's time at the network's time `network_now`: pass it to the stack's calls made from outside.
    Instant local_time(Instant network_now) const noexcept { return network_now + clock_offset_; }

    // Sees every arriving packet before the stack does, as a firewall's input rule would: true lets it through,
    // false drops it silently. The filter may hand the stack something else itself (stack().receive()).
    using InputFilter = std::function<bool(stack::InterfaceId interface, wire::Bytes packet, Instant now)>;
    void set_input_filter(InputFilter filter) { filter_ = std::move(filter); }
    std::uint64_t filtered() const noexcept { return filtered_; }

private:
    stack::Stack stack_;
    Duration clock_offset_;
    InputFilter filter_;
    std::uint64_t filtered_ = 0;
};

// One host's addresses; each comes with the route to its prefix, and the host gets default routes of both
// families on its one interface.
struct HostAddresses {
    wire::IpAddress v4;
    wire::IpAddress v6;
    std::uint8_t v4_prefix = 24;
    std::uint8_t v6_prefix = 64;
};

HostAddresses default_client_addresses();  // 10.0.0.1/24, 2001:db8::1/64 (RFC 3849 documentation prefix)
HostAddresses default_server_addresses();  // 10.0.0.2/24, 2001:db8::2/64

struct TwoHostConfig {
    std::uint64_t seed = 1;
    stack::StackConfig client{};
    stack::StackConfig server{};
    HostAddresses client_addresses = default_client_addresses();
    HostAddresses server_addresses = default_server_addresses();
    std::uint32_t mtu = 1500;                                  // both interfaces and the link
    device::SimLinkConfig client_to_server{.delay = std::chrono::milliseconds(1)};
    device::SimLinkConfig server_to_client{.delay = std::chrono::milliseconds(1)};
    Duration client_clock_offset{0};
    Duration server_clock_offset{0};
};

// Two stacks, "client" (node 0, interface 0) and "server" (node 1, interface 0), on one duplex link whose
// AToB direction carries what the client sends.
class TwoHostNetwork {
public:
    explicit TwoHostNetwork(const TwoHostConfig& config = {});
    TwoHostNetwork(const TwoHostNetwork&) = delete;
    TwoHostNetwork& operator=(const TwoHostNetwork&) = delete;

    SimNetwork& network() noexcept { return network_; }
    const TwoHostConfig& config() const noexcept { return config_; }
    LinkId link() const noexcept { return link_; }

    StackNode& client_node() noexcept { return *client_; }
    StackNode& server_node() noexcept { return *server_; }
    stack::Stack& client() noexcept { return client_->stack(); }
    stack::Stack& server() noexcept { return server_->stack(); }
    NodeId client_id() const noexcept { return 0; }
    NodeId server_id() const noexcept { return 1; }

    const wire::IpAddress& client_v4() const noexcept { return config_.client_addresses.v4; }
    const wire::IpAddress& client_v6() const noexcept { return config_.client_addresses.v6; }
    const wire::IpAddress& server_v4() const noexcept { return config_.server_addresses.v4; }
    const wire::IpAddress& server_v6() const noexcept { return config_.server_addresses.v6; }

    // The network's time, and each host's (what to pass to the stacks' calls).
    Instant now() const noexcept { return network_.now(); }
    Instant client_now() const noexcept { return client_->local_time(network_.now()); }
    Instant server_now() const noexcept { return server_->local_time(network_.now()); }

    void run_for(Duration d) { network_.run_for(d); }
    void run_until(Instant t) { network_.run_until(t); }
    // After calling into a stack while the network is being stepped (run_*() does this by itself).
    void wake() {
        network_.wake(client_id());
        network_.wake(server_id());
    }

private:
    TwoHostConfig config_;
    SimNetwork network_;
    StackNode* client_ = nullptr;
    StackNode* server_ = nullptr;
    LinkId link_ = 0;
};

// Clock offsets that give the first connection of a run the ISNs `client_isn` (its SYN) and `server_isn` (the
// SYN-ACK; none: only the client's, for a SYN nobody answers). RFC 6528 (tcp/isn.hpp): ISN = M + F(4-tuple, secret) with M the host's clock in 64 ns ticks; the
// secret comes from the seed, so a rehearsal — the same network, the same calls — tells F, and an offset of k
// ticks adds k to the ISN. `start` makes the calls (listen, connect) on a fresh network built from `config`;
// the rehearsal runs it until the first SYN-ACK is sent (or the SYN, without `server_isn`; at most `limit`), and again with the offsets found
// until both ISNs come out right (timers fire on whole milliseconds of the host's clock, so an offset can move
// a retransmitted SYN by a fraction of a tick). Everything else about the run stays as the seed makes it.
struct ClockOffsets {
    Duration client{0};
    Duration server{0};
};
Result<ClockOffsets, std::string> isn_clock_offsets(const TwoHostConfig& config,
                                                   const std::function<void(TwoHostNetwork&)>& start,
                                                   wire::Seq32 client_isn, std::optional<wire::Seq32> server_isn,
                                                   Duration limit = std::chrono::seconds(200));

}  // namespace synack::runtime
