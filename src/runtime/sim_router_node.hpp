// A device::SimRouter as a node of the simulated network.
#pragma once

#include "device/sim_router.hpp"
#include "runtime/sim_node.hpp"

namespace synack::runtime {

class SimRouterNode final : public SimNode, private device::SimRouter::Output {
public:
    // The router's seed (ICMP identification, ICMPv6 flow labels) is the node's seed from the network.
    SimRouterNode(const NodeContext& context, device::SimRouterConfig config);

    device::SimRouter& router() noexcept { return router_; }
    const device::SimRouter& router() const noexcept { return router_; }

    void receive(stack::InterfaceId interface, wire::Bytes packet, Instant now) override;
    void on_timer(Instant /*now*/) override {}
    std::optional<Instant> next_deadline() const override { return std::nullopt; }

private:
    void transmit(device::SimInterfaceId interface, wire::Bytes packet) override;

    stack::PacketSink& sink_;
    device::SimRouter router_;
};

}  // namespace synack::runtime
