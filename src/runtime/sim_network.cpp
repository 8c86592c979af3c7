#include "runtime/sim_network.hpp"

#include <algorithm>
#include <stdexcept>

#include "device/capture_record.hpp"

namespace synack::runtime {

class SimNetwork::NodeSink final : public stack::PacketSink {
public:
    NodeSink(SimNetwork& network, NodeId node) : network_(network), node_(node) {}
    void transmit(stack::InterfaceId interface, wire::Bytes packet) override {
        network_.transmit_from(node_, interface, packet);
    }

private:
    SimNetwork& network_;
    NodeId node_;
};

namespace {

device::CaptureTimestamp capture_time(Instant t) {
    const auto ns = t.time_since_epoch().count();
    return {ns / 1'000'000'000, static_cast<std::uint32_t>(ns % 1'000'000'000)};
}

}  // namespace

SimNetwork::SimNetwork(std::uint64_t seed, Instant start) : random_(seed), now_(start) {}

SimNetwork::~SimNetwork() = default;

NodeId SimNetwork::add_node(std::string name, const NodeFactory& make) {
    const auto id = static_cast<NodeId>(nodes_.size());
    NodeRecord record;
    record.name = std::move(name);
    record.sink = std::make_unique<NodeSink>(*this, id);
    stack::PacketSink& sink = *record.sink;
    nodes_.push_back(std::move(record));
    const NodeContext context{id, sink, random_.derive_seed()};
    std::unique_ptr<SimNode> node;
    try {
        node = make(context);
    } catch (...) {
        nodes_.pop_back();  // the factory failed: no half-made node stays behind
        throw;
    }
    if (!node) {
        nodes_.pop_back();
        throw std::invalid_argument("SimNetwork::add_node: the factory made no node");
    }
    nodes_[id].node = std::move(node);
    return id;
}

AddedNode<SimRouterNode> SimNetwork::add_router(std::string name, device::SimRouterConfig config) {
    return emplace_node<SimRouterNode>(std::move(name), std::move(config));
}

void SimNetwork::attach(Endpoint endpoint, LinkId link, LinkDirection direction) {
    if (endpoint.node >= nodes_.size()) throw std::invalid_argument("SimNetwork::connect: no such node");
    auto& interfaces = nodes_[endpoint.node].interfaces;
    if (interfaces.size() <= endpoint.interface) interfaces.resize(std::size_t{endpoint.interface} + 1);
    if (interfaces[endpoint.interface]) {
        throw std::invalid_argument("SimNetwork::connect: interface " + std::to_string(endpoint.interface) + " of " +
                                    nodes_[endpoint.node].name + " is already attached");
    }
    interfaces[endpoint.interface] = Attachment{link, direction};
}

LinkId SimNetwork::connect(Endpoint a, Endpoint b, const device::SimLinkConfig& config) {
    return connect(a, b, config, config);
}

LinkId SimNetwork::connect(Endpoint a, Endpoint b, const device::SimLinkConfig& a_to_b,
                           const device::SimLinkConfig& b_to_a) {
    if (a.node == b.node && a.interface == b.interface) {
        throw std::invalid_argument("SimNetwork::connect: both ends are the same interface");
    }
    const auto id = static_cast<LinkId>(links_.size());
    attach(a, id, LinkDirection::AToB);
    try {
        attach(b, id, LinkDirection::BToA);
    } catch (...) {
        nodes_[a.node].interfaces[a.interface].reset();
        throw;
    }
    links_.push_back(std::unique_ptr<LinkRecord>(new LinkRecord{device::SimDuplexLink(a_to_b, b_to_a), a, b, {}, {}}));
    return id;
}

Result<void, std::string> SimNetwork::tap(LinkId link, const std::string& path, TapPoint point,
                                          device::TimestampPrecision precision) {
    if (link >= links_.size()) return Err{std::string("no such link")};
    auto writer = device::PcapWriter::create(path, static_cast<std::uint32_t>(device::LinkType::Raw), 262144,
                                             precision);
    if (!writer) return Err{writer.error()};
    links_[link]->taps.push_back(Tap{std::move(*writer), point});
    return {};
}

Result<void, std::string> SimNetwork::flush_taps() {
    for (auto& link : links_) {
        for (auto& tap : link->taps) {
            if (auto flushed = tap.writer.flush(); !flushed) return flushed;
        }
    }
    return {};
}

void SimNetwork::observe(LinkId link, LinkObserver observer) {
    links_.at(link)->observers.push_back(std::move(observer));
}

device::SimLink& SimNetwork::link(LinkId id, LinkDirection direction) {
    LinkRecord& record = *links_.at(id);
    return direction == LinkDirection::AToB ? record.link.a_to_b : record.link.b_to_a;
}

Endpoint SimNetwork::endpoint(LinkId id, LinkDirection sender_side) const {
    const LinkRecord& record = *links_.at(id);
    return sender_side == LinkDirection::AToB ? record.a : record.b;
}

void SimNetwork::notify(LinkRecord& link, const LinkEvent& event) {
    for (Tap& tap : link.taps) {
        const bool sender = tap.point == TapPoint::Sender && event.kind == LinkEventKind::Sent;
        const bool receiver = tap.point == TapPoint::Receiver && event.kind == LinkEventKind::Delivered;
        if (sender || receiver) tap.writer.write(capture_time(event.time), event.packet);
    }
    for (const LinkObserver& observer : link.observers) observer(event);
}

void SimNetwork::schedule(Instant at, EventKind kind, std::uint32_t target, std::uint32_t data,
                          std::uint8_t flags) {
    events_.push(Event{at, next_sequence_++, target, data, kind, flags});
}

void SimNetwork::transmit_from(NodeId node, stack::InterfaceId interface, wire::Bytes packet) {
    NodeRecord& record = nodes_[node];
    if (std::find(dirty_.begin(), dirty_.end(), node) == dirty_.end()) dirty_.push_back(node);
    if (interface >= record.interfaces.size() || !record.interfaces[interface]) {
        ++unattached_drops_;
        return;
    }
    const Attachment at = *record.interfaces[interface];
    LinkRecord& link = *links_[at.link];
    device::SimLink& one_way = at.direction == LinkDirection::AToB ? link.link.a_to_b : link.link.b_to_a;
    const device::SimLinkOutcome outcome = one_way.transmit(packet, now_, random_);

    LinkEvent event{now_, at.link, at.direction, LinkEventKind::Sent, 0, packet};
    switch (outcome.drop) {
        case device::SimLinkDrop::Mtu: event.kind = LinkEventKind::DroppedMtu; break;
        case device::SimLinkDrop::Queue: event.kind = LinkEventKind::DroppedQueue; break;
        case device::SimLinkDrop::None: break;
    }
    notify(link, event);
    event.kind = LinkEventKind::Lost;
    for (std::uint8_t i = 0; i < outcome.lost; ++i) notify(link, event);
    const auto target = at.link * 2 + static_cast<std::uint32_t>(at.direction);
    for (std::uint8_t i = 0; i < outcome.count; ++i) {
        const device::SimLinkDelivery& d = outcome.deliveries[i];
        schedule(d.at, EventKind::Delivery, target, d.packet, d.flags);
    }
}

void SimNetwork::poll(NodeId node, bool after_timer) {
    NodeRecord& record = nodes_[node];
    const std::optional<Instant> deadline = record.node->next_deadline();
    if (!deadline) return;
    Instant at = std::max(*deadline, now_);
    // A node still due right after its timer fired would spin at one instant: move it on by a nanosecond.
    if (after_timer && at <= now_) at = now_ + Duration{1};
    // An earlier (or equal) timer event is pending: it will ask again when it fires.
    if (record.scheduled && *record.scheduled <= at) return;
    record.scheduled = at;
    schedule(at, EventKind::Timer, node, ++record.timer_generation);
}

void SimNetwork::poll_all() {
    for (NodeId id = 0; id < nodes_.size(); ++id) poll(id, false);
    dirty_.clear();
}

void SimNetwork::poll_dirty(NodeId polled) {
    // The other nodes that transmitted during the event (called into from the event's node or an observer); the
    // event's own node was polled already. Polling does not transmit, so the list does not change under the loop.
    for (const NodeId id : dirty_) {
        if (id != polled) poll(id, false);
    }
    dirty_.clear();
}

void SimNetwork::wake(NodeId node) {
    if (node < nodes_.size()) poll(node, false);
}

void SimNetwork::process(const Event& event) {
    now_ = event.at;
    ++events_processed_;
    if (event.kind == EventKind::Delivery) {
        LinkRecord& link = *links_[event.target / 2];
        const auto direction = static_cast<LinkDirection>(event.target % 2);
        device::SimLink& one_way = direction == LinkDirection::AToB ? link.link.a_to_b : link.link.b_to_a;
        const Endpoint to = direction == LinkDirection::AToB ? link.b : link.a;
        const wire::Bytes packet = one_way.packet(event.data);
        notify(link, LinkEvent{now_, event.target / 2, direction, LinkEventKind::Delivered, event.flags, packet});
        nodes_[to.node].node->receive(to.interface, packet, now_);
        one_way.release(event.data);
        poll(to.node, false);
        poll_dirty(to.node);
    } else {
        NodeRecord& record = nodes_[event.target];
        if (event.data != record.timer_generation) return;  // superseded by an earlier timer event
        record.scheduled.reset();
        record.node->on_timer(now_);
        poll(event.target, true);
        poll_dirty(event.target);
    }
}

bool SimNetwork::step() {
    if (events_.empty()) return false;
    const Event event = events_.top();
    events_.pop();
    process(event);
    return true;
}

std::optional<Instant> SimNetwork::next_event_time() const {
    if (events_.empty()) return std::nullopt;
    return events_.top().at;
}

void SimNetwork::run_until(Instant until) {
    poll_all();
    while (!events_.empty() && events_.top().at <= until) step();
    now_ = std::max(now_, until);
}

bool SimNetwork::run_until_idle(std::size_t max_events) {
    poll_all();
    for (std::size_t n = 0; n < max_events; ++n) {
        if (!step()) return true;
    }
    return events_.empty();
}

}  // namespace synack::runtime
