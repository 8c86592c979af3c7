#include "runtime/sim_router_node.hpp"

namespace synack::runtime {

namespace {
device::SimRouterConfig seeded(device::SimRouterConfig config, std::uint64_t seed) {
    config.seed = seed;
    return config;
}
}  // namespace

SimRouterNode::SimRouterNode(const NodeContext& context, device::SimRouterConfig config)
    : sink_(context.sink), router_(seeded(std::move(config), context.seed)) {}

void SimRouterNode::receive(stack::InterfaceId interface, wire::Bytes packet, Instant /*now*/) {
    router_.receive(interface, packet, *this);
}

void SimRouterNode::transmit(device::SimInterfaceId interface, wire::Bytes packet) {
    sink_.transmit(interface, packet);
}

}  // namespace synack::runtime
