#include "runtime/stack_node.hpp"

#include <stdexcept>

#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/tcp.hpp"

namespace synack::runtime {

StackNode::StackNode(const NodeContext& context, const stack::StackConfig& config, Duration clock_offset)
    : stack_(config, context.sink, context.seed), clock_offset_(clock_offset) {}

void StackNode::receive(stack::InterfaceId interface, wire::Bytes packet, Instant now) {
    const Instant local = local_time(now);
    if (filter_ && !filter_(interface, packet, local)) {
        ++filtered_;
        return;
    }
    stack_.receive(interface, packet, local);
}

void StackNode::on_timer(Instant now) { stack_.on_timer(local_time(now)); }

std::optional<Instant> StackNode::next_deadline() const {
    const std::optional<Instant> local = stack_.next_deadline();
    if (!local) return std::nullopt;
    return *local - clock_offset_;
}

HostAddresses default_client_addresses() {
    return {*wire::IpAddress::parse("198.18.0.1"), *wire::IpAddress::parse("2001:2::1")};
}

HostAddresses default_server_addresses() {
    return {*wire::IpAddress::parse("198.18.0.2"), *wire::IpAddress::parse("2001:2::2")};
}

namespace {

void configure_host(stack::Stack& s, const HostAddresses& a, std::uint32_t mtu) {
    const stack::InterfaceId eth0 = s.add_interface("eth0", mtu);
    const bool ok = s.add_address(eth0, a.v4, a.v4_prefix) && s.add_address(eth0, a.v6, a.v6_prefix) &&
                    s.add_route(*wire::IpAddress::parse("0.0.0.0"), 0, eth0) &&
                    s.add_route(*wire::IpAddress::parse("::"), 0, eth0);
    if (!ok) throw std::invalid_argument("TwoHostNetwork: bad host address");
}

}  // namespace

TwoHostNetwork::TwoHostNetwork(const TwoHostConfig& config) : config_(config), network_(config.seed) {
    auto client = network_.emplace_node<StackNode>("client", config.client, config.client_clock_offset);
    auto server = network_.emplace_node<StackNode>("server", config.server, config.server_clock_offset);
    client_ = &client.node;
    server_ = &server.node;
    configure_host(client_->stack(), config.client_addresses, config.mtu);
    configure_host(server_->stack(), config.server_addresses, config.mtu);
    device::SimLinkConfig to_server = config.client_to_server;
    device::SimLinkConfig to_client = config.server_to_client;
    to_server.mtu = config.mtu;
    to_client.mtu = config.mtu;
    link_ = network_.connect({client.id, 0}, {server.id, 0}, to_server, to_client);
}

namespace {

// The TCP header of a bare IPv4 or IPv6 packet (no extension headers: the stacks send none).
std::optional<wire::TcpView> tcp_of(wire::Bytes packet) {
    if (packet.empty()) return std::nullopt;
    wire::Bytes payload;
    if ((packet[0] >> 4) == 4) {
        auto ip = wire::Ipv4View::parse(packet);
        if (!ip || ip->protocol() != wire::ip_protocol::kTcp) return std::nullopt;
        payload = ip->payload();
    } else {
        auto ip = wire::Ipv6View::parse(packet);
        if (!ip || ip->next_header() != wire::ip_protocol::kTcp) return std::nullopt;
        payload = ip->payload();
    }
    auto tcp = wire::TcpView::parse(payload);
    if (!tcp) return std::nullopt;
    return *tcp;
}

struct Rehearsal {
    std::optional<wire::Seq32> client_isn;
    std::optional<wire::Seq32> server_isn;
};

Rehearsal rehearse(const TwoHostConfig& config, const std::function<void(TwoHostNetwork&)>& start, bool synack,
                   Duration limit) {
    TwoHostNetwork net(config);
    Rehearsal seen;
    net.network().observe(net.link(), [&](const LinkEvent& e) {
        if (e.kind != LinkEventKind::Sent) return;
        const auto tcp = tcp_of(e.packet);
        if (!tcp || !tcp->has_flags(wire::tcp_flags::kSyn)) return;
        const bool ack = tcp->has_flags(wire::tcp_flags::kAck);
        if (e.direction == LinkDirection::AToB && !ack && !seen.client_isn) seen.client_isn = tcp->seq();
        if (e.direction == LinkDirection::BToA && ack && !seen.server_isn) seen.server_isn = tcp->seq();
    });
    start(net);
    net.wake();
    const Instant end = net.now() + limit;
    while (synack ? !seen.server_isn : !seen.client_isn) {
        const std::optional<Instant> next = net.network().next_event_time();
        if (!next || *next > end) break;
        net.network().step();
    }
    return seen;
}

// The offset that moves an ISN by `ticks` 64 ns ticks, kept in [0, 2^32) ticks.
Duration ticks(std::uint32_t n) { return Duration{std::int64_t{n} << 6}; }

}  // namespace

Result<ClockOffsets, std::string> isn_clock_offsets(const TwoHostConfig& config,
                                                   const std::function<void(TwoHostNetwork&)>& start,
                                                   wire::Seq32 client_isn, std::optional<wire::Seq32> server_isn,
                                                   Duration limit) {
    TwoHostConfig trial = config;
    constexpr int kAttempts = 8;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const Rehearsal seen = rehearse(trial, start, server_isn.has_value(), limit);
        if (!seen.client_isn) return Err{std::string("the rehearsal sent no SYN")};
        if (server_isn && !seen.server_isn) return Err{std::string("the rehearsal saw no SYN-ACK")};
        if (*seen.client_isn == client_isn && (!server_isn || *seen.server_isn == *server_isn)) {
            return ClockOffsets{trial.client_clock_offset, trial.server_clock_offset};
        }
        // M counts 64 ns ticks modulo 2^32 (tcp/isn.cpp): k more ticks add k to the ISN.
        const std::uint32_t dc = client_isn.raw() - seen.client_isn->raw();
        const std::uint32_t ds = server_isn ? server_isn->raw() - seen.server_isn->raw() : 0;
        const auto wrap = [](Duration d) { return d % Duration{std::int64_t{1} << 38}; };  // 2^32 ticks
        trial.client_clock_offset = wrap(trial.client_clock_offset + ticks(dc));
        trial.server_clock_offset = wrap(trial.server_clock_offset + ticks(ds));
    }
    return Err{std::string("the ISNs did not settle on the values asked for")};
}

}  // namespace synack::runtime
