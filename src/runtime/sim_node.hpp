// What the simulated network drives: a node receives IP packets on numbered interfaces, has timers, and sends
// through the stack::PacketSink the network gives it. A stack::Stack fits with a few lines of adapter:
//
//   class StackNode : public runtime::SimNode {
//   public:
//       StackNode(const runtime::NodeContext& ctx, const stack::StackConfig& config)
//           : stack_(config, ctx.sink, ctx.seed) {}
//       void receive(stack::InterfaceId i, wire::Bytes p, Instant now) override { stack_.receive(i, p, now); }
//       void on_timer(Instant now) override { stack_.on_timer(now); }
//       std::optional<Instant> next_deadline() const override { return stack_.next_deadline(); }
//       stack::Stack& stack() { return stack_; }
//   private:
//       stack::Stack stack_;
//   };
//   auto [id, node] = network.emplace_node<StackNode>("client", config);
#pragma once

#include <cstdint>
#include <optional>

#include "stack/packet_sink.hpp"
#include "wire/bytes.hpp"
#include "wire/instant.hpp"

namespace synack::runtime {

using NodeId = std::uint32_t;

// Given to a node's constructor by SimNetwork::emplace_node.
struct NodeContext {
    NodeId id;
    stack::PacketSink& sink;  // outgoing packets: transmit(interface, packet) puts them on that interface's link
    std::uint64_t seed;       // drawn from the network's generator: the node's secrets, reproducible from the run's seed
};

class SimNode {
public:
    virtual ~SimNode() = default;

    // One IP packet arriving on `interface` at `now`; `packet` is valid only during the call.
    virtual void receive(stack::InterfaceId interface, wire::Bytes packet, Instant now) = 0;
    // Fires whatever is due at `now`.
    virtual void on_timer(Instant now) = 0;
    // When on_timer must next be called (a lower bound is fine: an early call does nothing), or none.
    // The network asks after every receive() and on_timer(), after the node transmitted, at the start of every
    // run_*() call, and on SimNetwork::wake(). A deadline still at or before the time on_timer() was just called
    // with is taken as one nanosecond later, so a node cannot spin at one instant.
    virtual std::optional<Instant> next_deadline() const = 0;
};

}  // namespace synack::runtime
