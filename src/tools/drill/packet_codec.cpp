// Flows, inbound packets and text (packetdrill run_packet.c: find_or_create_socket_for_script_packet,
// map_inbound_packet, map_inbound_icmp_packet; icmp_packet.c). Outbound checks are in packet_match.cpp.
#include "tools/drill/packet_codec.hpp"

#include <fmt/format.h>

#include "tools/drill/packet_wire.hpp"
#include "wire/icmpv4.hpp"
#include "wire/icmpv6.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::drill {

namespace flag = wire::tcp_flags;

PacketCodec::PacketCodec(CodecSettings settings) : settings_(std::move(settings)) {
    if (settings_.remote_port == 0) settings_.remote_port = CodecSettings::kDefaultRemotePort;
}

void PacketCodec::listening(std::uint16_t local_port) { pending_listen_ = local_port; }

void PacketCodec::connecting(std::uint16_t remote_port) { pending_connect_ = remote_port; }

// The rules both directions share (packetdrill find_or_create_socket_for_script_packet). Explicit ports, written
// from the `sender`'s side, pick the flow with those ports; when none exists, a bare SYN (or the first packet)
// makes a new one, and any other packet keeps the ports as written with the current flow's numbering ("foreign"
// ports). Without explicit ports, the first packet, or a bare SYN after listen() / connect() (`pending_open`),
// makes a new flow with the new ports given; any other packet uses the current flow. A new flow has no index
// until commit().
PacketCodec::Choice PacketCodec::choose_flow(const TcpSpec& tcp, Direction sender, bool bare_syn, bool pending_open,
                                             std::uint16_t new_local_port, std::uint16_t new_remote_port) const {
    Choice c;
    if (tcp.ports) {
        const bool local_first = sender == Direction::kOutbound;
        c.local_port = local_first ? tcp.ports->first : tcp.ports->second;
        c.remote_port = local_first ? tcp.ports->second : tcp.ports->first;
        for (std::size_t i = 0; i < flows_.size(); ++i) {
            if (flows_[i].local_port == c.local_port && flows_[i].remote_port == c.remote_port) c.index = i;
        }
        if (!c.index && (bare_syn || flows_.empty())) {
            c.flow.local_port = c.local_port;
            c.flow.remote_port = c.remote_port;
            return c;
        }
        if (!c.index) c.index = flows_.size() - 1;
        c.flow = flows_[*c.index];
        return c;
    }
    if (flows_.empty() || (bare_syn && pending_open)) {
        c.flow.local_port = c.local_port = new_local_port;
        c.flow.remote_port = c.remote_port = new_remote_port;
        return c;
    }
    return current_flow();
}

PacketCodec::Choice PacketCodec::current_flow() const {
    Choice c;
    c.index = flows_.size() - 1;
    c.flow = flows_.back();
    c.local_port = c.flow.local_port;
    c.remote_port = c.flow.remote_port;
    return c;
}

Result<PacketCodec::Choice, std::string> PacketCodec::choose_inbound(const PacketEvent& packet) const {
    if (std::holds_alternative<IcmpSpec>(packet.body)) {
        // An ICMP error quotes a packet of the current flow (packetdrill: the socket under test).
        if (flows_.empty()) return Err{std::string("an ICMP packet quotes a connection, but none exists yet")};
        return current_flow();
    }
    const TcpSpec& tcp = std::get<TcpSpec>(packet.body);
    auto flags = packet::parse_tcp_flags(tcp.flags);
    if (!flags) return Err{flags.error()};
    // A passive open: the local port is listen()'s, the remote port the codec's (a new one per passive flow).
    Choice c = choose_flow(tcp, Direction::kInbound, packet::bare_syn(*flags), pending_listen_.has_value(),
                           pending_listen_.value_or(settings_.bind_port),
                           static_cast<std::uint16_t>(settings_.remote_port + passive_flows_));
    if (!c.index) {
        c.consumes_listen = pending_listen_.has_value();
        c.chosen_remote_port = !tcp.ports;
    }
    // The remote ISN is the seq of the flow's first inbound SYN: script and live values alike.
    if ((*flags & flag::kSyn) != 0 && !c.flow.remote_isn) c.flow.remote_isn = tcp.start_seq;
    return c;
}

PacketCodec::Choice PacketCodec::choose_outbound(const TcpSpec& tcp,
                                                 std::optional<std::uint16_t> live_local_port) const {
    const std::uint16_t flags = packet::parse_tcp_flags(tcp.flags).value_or(0);
    // An active open: the remote port is connect()'s, the local port the one the stack chose.
    Choice c = choose_flow(tcp, Direction::kOutbound, packet::bare_syn(flags), pending_connect_.has_value(),
                           live_local_port.value_or(0), pending_connect_.value_or(settings_.connect_port));
    if (!c.index) c.consumes_connect = pending_connect_.has_value();
    return c;
}

void PacketCodec::commit(Choice& choice) {
    if (choice.index) {
        flows_[*choice.index] = choice.flow;
    } else {
        if (choice.chosen_remote_port) ++passive_flows_;  // the next passive flow gets the next port
        flows_.push_back(choice.flow);
        choice.index = flows_.size() - 1;
    }
    if (choice.consumes_listen) pending_listen_.reset();
    if (choice.consumes_connect) pending_connect_.reset();
}

namespace {

Result<packet::IpFields, std::string> inbound_ip(const NetworkSettings& network, const PacketEvent& p,
                                                 std::uint8_t protocol) {
    packet::IpFields ip;
    ip.v6 = network.ipv6_packets();
    if (p.ipv6 && !ip.v6) return Err{std::string("an IPv6 packet in a script whose packets are IPv4")};
    ip.source = network.remote_ip;
    ip.destination = network.local_ip;
    ip.protocol = protocol;
    ip.tos = p.ip.tos.value_or(0);
    if (p.ip.ecn) {
        if (*p.ip.ecn == EcnCodepoint::kEct01) return Err{std::string("[ect01] is for outbound packets only")};
        ip.tos = static_cast<std::uint8_t>((ip.tos & ~3) | packet::ecn_bits(*p.ip.ecn));
    }
    // Injected packets carry TTL / hop limit 255 unless the script writes one, ID 0 and no DF.
    ip.ttl = p.ip.ttl.value_or(255);
    ip.flow_label = p.ip.flow_label.value_or(0);
    return ip;
}

}  // namespace

Result<std::vector<std::uint8_t>, std::string> PacketCodec::encode_inbound(const PacketEvent& p,
                                                                           Choice& choice) const {
    const Flow& flow = choice.flow;
    if (const auto* icmp = std::get_if<IcmpSpec>(&p.body)) {
        const bool v6 = settings_.network.ipv6_packets();
        auto ip = inbound_ip(settings_.network, p, v6 ? wire::ip_protocol::kIcmpv6 : wire::ip_protocol::kIcmp);
        if (!ip) return Err{ip.error()};
        auto tc = packet::icmp_type_code(v6, *icmp);
        if (!tc) return Err{tc.error()};
        // The quoted packet (packetdrill icmp_packet.c): an IP header from the local host to the remote one
        // declaring a 20-byte TCP header and quoted_length bytes, then the TCP header's first 8 bytes: the flow's
        // ports and the quoted seq, mapped like the local host's seq.
        packet::IpFields quoted_ip = *ip;
        quoted_ip.source = settings_.network.local_ip;
        quoted_ip.destination = settings_.network.remote_ip;
        quoted_ip.protocol = wire::ip_protocol::kTcp;
        quoted_ip.tos = 0;
        quoted_ip.flow_label = 0;
        std::vector<std::uint8_t> quote = packet::ip_header(quoted_ip, 20 + std::size_t{icmp->quoted_length});
        std::uint8_t tcp8[8];
        wire::store_be16(tcp8, choice.local_port);
        wire::store_be16(tcp8 + 2, choice.remote_port);
        const std::uint32_t seq = icmp->quoted_seq ? icmp->quoted_seq->first : 0;
        wire::store_be32(tcp8 + 4, seq + flow.local_offset(false));
        quote.insert(quote.end(), tcp8, tcp8 + 8);

        std::uint32_t rest = 0;
        if (icmp->mtu) {
            if (!v6 && !(tc->type == wire::icmpv4_type::kDestinationUnreachable &&
                         tc->code == wire::icmpv4_unreachable::kFragmentationNeeded)) {
                return Err{std::string("ICMPv4 MTU is only valid for unreachable frag_needed")};
            }
            if (v6 && tc->type != wire::icmpv6_type::kPacketTooBig) {
                return Err{std::string("ICMPv6 MTU is only valid for packet_too_big")};
            }
            if (!v6 && *icmp->mtu > 0xffff) return Err{fmt::format("ICMPv4 MTU {} out of 16-bit range", *icmp->mtu)};
            rest = *icmp->mtu;
        }
        return packet::wrap_ip(*ip, packet::build_icmp(*ip, *tc, rest, quote));
    }

    const TcpSpec& tcp = std::get<TcpSpec>(p.body);
    auto ip = inbound_ip(settings_.network, p, wire::ip_protocol::kTcp);
    if (!ip) return Err{ip.error()};
    auto flags = packet::parse_tcp_flags(tcp.flags);
    if (!flags) return Err{flags.error()};
    if (!tcp.window) return Err{std::string("window must be specified for inbound packets")};  // packetdrill
    if (*tcp.window > 0xffff) return Err{fmt::format("window {} does not fit in 16 bits", *tcp.window)};
    if (tcp.any_options) return Err{std::string("<...> is for outbound packets only")};
    if (tcp.payload_length > 65535 - 120) return Err{fmt::format("payload of {} bytes is too long", tcp.payload_length)};
    const bool syn = (*flags & flag::kSyn) != 0;
    const bool ack = (*flags & flag::kAck) != 0;

    std::vector<TcpOptionSpec> options = tcp.options;
    packet::shift_sack_blocks(options, flow.local_offset(syn));
    for (TcpOptionSpec& o : options) {
        if (o.kind == TcpOptionSpec::Kind::kTimestamp && ack) {
            // packetdrill map_inbound_packet: a TS ecr names an earlier outbound TS val by its script value.
            // An echo of 0 stays 0: the peer has seen no TS val to echo (RFC 7323 §3.2).
            if (o.echo == 0) continue;
            if (auto it = flow.ts_val_map.find(o.echo); it != flow.ts_val_map.end()) {
                o.echo = it->second;
            } else if (settings_.tcp_ts_ecr_scaled && flow.first_ts_val) {
                o.echo = o.echo - flow.first_ts_val->first + flow.first_ts_val->second;
            } else {
                return Err{fmt::format("unable to infer live TS ecr for script TS ecr {}: no outbound TS val was "
                                       "numbered so", o.echo)};
            }
        }
    }
    auto option_bytes = packet::encode_tcp_options(options);
    if (!option_bytes) return Err{option_bytes.error()};

    wire::TcpBuilder b;
    b.source_port = choice.remote_port;
    b.destination_port = choice.local_port;
    b.seq = wire::Seq32(tcp.start_seq + flow.remote_offset(syn));
    b.ack = wire::Seq32(ack ? tcp.ack.value_or(0) + flow.local_offset(syn) : tcp.ack.value_or(0));
    b.flags = *flags;
    b.window = static_cast<std::uint16_t>(*tcp.window);
    b.urgent_pointer = tcp.urgent.value_or(0);
    b.options = *option_bytes;
    const std::vector<std::uint8_t> payload(tcp.payload_length, 0);  // written payloads are zeros
    return packet::wrap_ip(*ip, packet::build_tcp(b, payload, *ip));
}

Result<std::vector<std::uint8_t>, std::string> PacketCodec::build_inbound(const PacketEvent& packet) {
    if (packet.direction != Direction::kInbound) return Err{std::string("not an inbound packet")};
    auto choice = choose_inbound(packet);
    if (!choice) return Err{choice.error()};
    auto bytes = encode_inbound(packet, *choice);
    if (!bytes) return Err{bytes.error()};
    commit(*choice);
    return std::move(bytes).value();
}

std::vector<std::uint8_t> PacketCodec::encode_outbound_text(const PacketEvent& p, const Choice& choice) const {
    const Flow& flow = choice.flow;
    packet::IpFields ip;
    ip.v6 = settings_.network.ipv6_packets();
    ip.source = settings_.network.local_ip;
    ip.destination = settings_.network.remote_ip;
    ip.tos = static_cast<std::uint8_t>(p.ip.tos.value_or(0) | (p.ip.ecn ? packet::ecn_bits(*p.ip.ecn) : 0));
    ip.ttl = p.ip.ttl.value_or(64);
    ip.flow_label = p.ip.flow_label.value_or(0);
    if (const auto* icmp = std::get_if<IcmpSpec>(&p.body)) {
        ip.protocol = ip.v6 ? wire::ip_protocol::kIcmpv6 : wire::ip_protocol::kIcmp;
        auto tc = packet::icmp_type_code(ip.v6, *icmp);
        if (!tc) return {};
        return packet::wrap_ip(ip, packet::build_icmp(ip, *tc, 0, {}));
    }
    const TcpSpec& tcp = std::get<TcpSpec>(p.body);
    ip.protocol = wire::ip_protocol::kTcp;
    const std::uint16_t bits = packet::parse_tcp_flags(tcp.flags).value_or(0);
    const bool syn = (bits & flag::kSyn) != 0;
    std::vector<TcpOptionSpec> options = tcp.any_options ? std::vector<TcpOptionSpec>{} : tcp.options;
    packet::shift_sack_blocks(options, flow.remote_offset(syn));
    for (TcpOptionSpec& o : options) {
        if (o.kind != TcpOptionSpec::Kind::kTimestamp) continue;
        if (auto it = flow.ts_val_map.find(o.value); it != flow.ts_val_map.end()) o.value = it->second;
    }
    wire::TcpBuilder b;
    b.source_port = choice.local_port;
    b.destination_port = choice.remote_port;
    b.seq = wire::Seq32(tcp.start_seq + flow.local_offset(syn));
    b.ack = wire::Seq32(tcp.ack.value_or(0) + ((bits & flag::kAck) != 0 ? flow.remote_offset(syn) : 0));
    b.flags = bits;
    b.window = static_cast<std::uint16_t>(tcp.window.value_or(0));
    b.urgent_pointer = tcp.urgent.value_or(0);
    auto option_bytes = packet::encode_tcp_options(options);
    if (option_bytes) b.options = *option_bytes;
    const std::vector<std::uint8_t> payload(tcp.payload_length, 0);
    return packet::wrap_ip(ip, packet::build_tcp(b, payload, ip));
}

std::string PacketCodec::expected_text(const PacketEvent& packet) const {
    if (packet.direction == Direction::kInbound) {
        auto choice = choose_inbound(packet);
        if (!choice) return "(cannot build: " + choice.error() + ")";
        auto bytes = encode_inbound(packet, *choice);
        if (!bytes) return "(cannot build: " + bytes.error() + ")";
        return packet::print_datagram(*bytes);
    }
    Choice choice;
    if (const auto* tcp = std::get_if<TcpSpec>(&packet.body)) {
        auto flags = packet::parse_tcp_flags(tcp->flags);
        if (!flags) return "(cannot build: " + flags.error() + ")";
        auto options = packet::encode_tcp_options(tcp->options);
        if (!options && !tcp->any_options) return "(cannot build: " + options.error() + ")";
        choice = choose_outbound(*tcp, std::nullopt);
    } else {
        auto tc = packet::icmp_type_code(settings_.network.ipv6_packets(), std::get<IcmpSpec>(packet.body));
        if (!tc) return "(cannot build: " + tc.error() + ")";
    }
    return packet::print_datagram(encode_outbound_text(packet, choice));
}

std::string PacketCodec::live_text(wire::Bytes packet) const { return packet::print_datagram(packet); }

}  // namespace synack::drill
