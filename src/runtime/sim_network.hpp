// The simulated network: nodes (stacks, routers, test sources and sinks) joined by simulated links, driven by one
// virtual clock and one seeded random generator. Everything happens in events ordered by time and then by the
// order they were scheduled, so a run is a function of its seed: the same seed (and build) gives the same packets
// at the same times and byte-identical pcap taps; a different seed draws different losses, jitter, ….
//
//   SimNetwork net(seed);
//   auto [a, host_a] = net.emplace_node<MyNode>("a", …);   // MyNode(const NodeContext&, …)
//   auto [r, router] = net.add_router("r");
//   LinkId l = net.connect({a, 0}, {r, 0}, device::SimLinkConfig{.delay = 10ms, .rate_bps = 10'000'000});
//   net.tap(l, "a-r.pcap");
//   net.run_for(5s);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "device/pcap_reader.hpp"
#include "device/pcap_writer.hpp"
#include "device/sim_link.hpp"
#include "device/sim_random.hpp"
#include "device/sim_router.hpp"
#include "runtime/sim_node.hpp"
#include "runtime/sim_router_node.hpp"
#include "stack/packet_sink.hpp"
#include "wire/instant.hpp"
#include "wire/result.hpp"

namespace synack::runtime {

using LinkId = std::uint32_t;

// Where every simulation starts: 2025-01-01 00:00:00 UTC on the Unix epoch, so pcap time stamps read as dates.
inline constexpr Instant kSimEpoch{std::chrono::seconds{1'735'689'600}};

// One end of a link: a node and one of its interfaces.
struct Endpoint {
    NodeId node = 0;
    stack::InterfaceId interface = 0;
};

// A link's two directions: AToB carries what the first endpoint given to connect() sends.
enum class LinkDirection : std::uint8_t { AToB, BToA };

enum class LinkEventKind : std::uint8_t {
    Sent,          // accepted by the link (past the MTU and queue), at the time it was offered
    DroppedMtu,    // larger than the link's MTU
    DroppedQueue,  // the drop-tail queue was full
    Lost,          // a copy lost on the wire (reported when sent)
    Delivered,     // a copy handed to the receiving node, at its arrival time
};

struct LinkEvent {
    Instant time;
    LinkId link = 0;
    LinkDirection direction = LinkDirection::AToB;
    LinkEventKind kind = LinkEventKind::Sent;
    std::uint8_t flags = 0;  // device::sim_copy::k* of a delivered copy
    wire::Bytes packet;      // valid only during the callback
};

// Called for every event on a link; it must not run the network (run_*, step) from inside.
using LinkObserver = std::function<void(const LinkEvent&)>;

// Where a pcap tap sees the packets: as offered to the link (Sent: what tcpdump on the sender would record,
// including packets the wire then loses) or as they arrive (Delivered: duplicates, corruption and reordering
// included).
enum class TapPoint : std::uint8_t { Sender, Receiver };

template <typename T>
struct AddedNode {
    NodeId id;
    T& node;
};

class SimNetwork {
public:
    explicit SimNetwork(std::uint64_t seed, Instant start = kSimEpoch);
    ~SimNetwork();
    SimNetwork(const SimNetwork&) = delete;
    SimNetwork& operator=(const SimNetwork&) = delete;

    // ---- building the network ----

    using NodeFactory = std::function<std::unique_ptr<SimNode>(const NodeContext&)>;
    // Nodes are numbered from 0 in the order added; the factory must not add nodes itself.
    NodeId add_node(std::string name, const NodeFactory& make);
    // Constructs T(const NodeContext&, args...).
    template <typename T, typename... Args>
    AddedNode<T> emplace_node(std::string name, Args&&... args) {
        T* made = nullptr;
        const NodeId id = add_node(std::move(name), [&](const NodeContext& context) {
            auto node = std::make_unique<T>(context, std::forward<Args>(args)...);
            made = node.get();
            return node;
        });
        return {id, *made};
    }
    // A router node; configure it through router.router() (interfaces, routes).
    AddedNode<SimRouterNode> add_router(std::string name, device::SimRouterConfig config = {});

    // A duplex link between two interfaces (each may be attached to one link only; throws std::invalid_argument).
    LinkId connect(Endpoint a, Endpoint b, const device::SimLinkConfig& config);
    LinkId connect(Endpoint a, Endpoint b, const device::SimLinkConfig& a_to_b, const device::SimLinkConfig& b_to_a);

    // Writes the link's packets, both directions, into a pcap file (LINKTYPE_RAW). Returns libpcap's error.
    Result<void, std::string> tap(LinkId link, const std::string& path, TapPoint point = TapPoint::Sender,
                                  device::TimestampPrecision precision = device::TimestampPrecision::Nano);
    Result<void, std::string> flush_taps();
    void observe(LinkId link, LinkObserver observer);

    // ---- running it ----

    Instant now() const noexcept { return now_; }
    // Processes every event up to and including `until`, then sets the clock to `until`.
    void run_until(Instant until);
    void run_for(Duration duration) { run_until(now_ + duration); }
    // Processes events until none is left (true) or `max_events` were processed (false); the clock stays at the
    // last event.
    bool run_until_idle(std::size_t max_events = 10'000'000);
    // Processes the next event, if any (the clock moves to it).
    bool step();
    std::optional<Instant> next_event_time() const;
    // Asks the node for its next deadline again (after calling into it from outside an event, e.g. from an
    // observer; between run_*() calls this happens by itself).
    void wake(NodeId node);

    // ---- looking at it ----

    device::SimRandom& random() noexcept { return random_; }
    SimNode& node(NodeId id) { return *nodes_.at(id).node; }
    const std::string& node_name(NodeId id) const { return nodes_.at(id).name; }
    std::size_t node_count() const noexcept { return nodes_.size(); }
    stack::PacketSink& sink(NodeId id) { return *nodes_.at(id).sink; }
    // The one-way link that carries what the endpoint on `direction`'s sending side sends.
    device::SimLink& link(LinkId id, LinkDirection direction);
    Endpoint endpoint(LinkId id, LinkDirection sender_side) const;
    std::size_t link_count() const noexcept { return links_.size(); }
    std::uint64_t events_processed() const noexcept { return events_processed_; }
    // Packets sent on an interface with no link attached.
    std::uint64_t unattached_drops() const noexcept { return unattached_drops_; }

private:
    class NodeSink;
    struct Attachment {
        LinkId link;
        LinkDirection direction;  // the direction this interface sends on
    };
    struct NodeRecord {
        std::string name;
        std::unique_ptr<stack::PacketSink> sink;  // a NodeSink
        std::unique_ptr<SimNode> node;
        std::vector<std::optional<Attachment>> interfaces;
        std::optional<Instant> scheduled;  // the earliest timer event pending
        std::uint32_t timer_generation = 0;
    };
    struct Tap {
        device::PcapWriter writer;
        TapPoint point;
    };
    struct LinkRecord {
        device::SimDuplexLink link;
        Endpoint a;
        Endpoint b;
        std::vector<LinkObserver> observers;
        std::vector<Tap> taps;
    };
    enum class EventKind : std::uint8_t { Delivery, Timer };
    struct Event {
        Instant at;
        std::uint64_t sequence;
        std::uint32_t target;  // Delivery: link * 2 + direction; Timer: node
        std::uint32_t data;    // Delivery: the link's packet id; Timer: the node's timer generation
        EventKind kind;
        std::uint8_t flags;    // Delivery: device::sim_copy::k*
    };
    struct Later {
        bool operator()(const Event& x, const Event& y) const noexcept {
            return x.at != y.at ? x.at > y.at : x.sequence > y.sequence;
        }
    };

    void transmit_from(NodeId node, stack::InterfaceId interface, wire::Bytes packet);
    void attach(Endpoint endpoint, LinkId link, LinkDirection direction);
    void notify(LinkRecord& link, const LinkEvent& event);
    void schedule(Instant at, EventKind kind, std::uint32_t target, std::uint32_t data, std::uint8_t flags = 0);
    void poll(NodeId node, bool after_timer);
    void poll_all();
    void poll_dirty(NodeId polled);
    void process(const Event& event);

    device::SimRandom random_;
    Instant now_;
    std::uint64_t next_sequence_ = 0;
    std::uint64_t events_processed_ = 0;
    std::uint64_t unattached_drops_ = 0;
    std::vector<NodeRecord> nodes_;
    std::vector<std::unique_ptr<LinkRecord>> links_;
    std::priority_queue<Event, std::vector<Event>, Later> events_;
    std::vector<NodeId> dirty_;  // nodes that transmitted during the current event
};

}  // namespace synack::runtime
