// Packets out: a TCP segment in an IPv4 header (DF, TTL 64, the IP ID Linux picks) or an IPv6 header (hop limit
// 64, Linux's automatic flow label), routed and handed to the PacketSink.
#include <cstring>

#include "stack/stack.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/tcp.hpp"

namespace synack::stack {

namespace {

// Linux ip6_make_flowlabel(): the flow hash, rotated so the low 20 bits mix its halves.
std::uint32_t flow_label(std::uint32_t hash, const StackConfig& config) noexcept {
    if (config.auto_flowlabels == 0) return 0;
    const std::uint32_t rotated = (hash << 16) | (hash >> 16);
    std::uint32_t label = rotated & 0xfffffu;
    if (config.flowlabel_state_ranges) label |= 0x80000u;
    return label;
}

}  // namespace

void Stack::send_segment(const tcp::FlowTuple& flow, const tcp::OutSegment& segment, std::uint16_t ip_id,
                         std::uint32_t txhash) {
    const bool v4 = flow.is_v4();
    const Route* route = routing_.lookup(flow.remote_address);
    if (route == nullptr) {
        mib_.inc(v4 ? tcp::Counter::kIpOutNoRoutes : tcp::Counter::kIp6OutNoRoutes);
        drop_packet(0, tcp::DropReason::kIpOutNoRoutes, &flow);
        return;
    }
    wire::TcpOptionsBuilder options;
    tcp::write_options(segment.options, options);
    const std::size_t ip_len = v4 ? wire::Ipv4View::kMinHeaderLength : wire::Ipv6View::kHeaderLength;
    const std::size_t tcp_header = wire::TcpView::kMinHeaderLength + options.size();
    const std::size_t payload = segment.payload_size();
    const std::size_t total = ip_len + tcp_header + payload;
    if (tx_buffer_.size() < total) tx_buffer_.resize(total);
    std::uint8_t* out = tx_buffer_.data();
    std::uint8_t* data = out + ip_len + tcp_header;
    if (!segment.payload[0].empty()) std::memcpy(data, segment.payload[0].data(), segment.payload[0].size());
    if (!segment.payload[1].empty()) {
        std::memcpy(data + segment.payload[0].size(), segment.payload[1].data(), segment.payload[1].size());
    }

    wire::TcpBuilder tcp;
    tcp.source_port = flow.local_port;
    tcp.destination_port = flow.remote_port;
    tcp.seq = segment.seq;
    tcp.ack = segment.ack;
    tcp.flags = segment.flags;
    tcp.window = segment.window;
    tcp.options = options.bytes();
    const wire::MutableBytes tcp_out(out + ip_len, tcp_header + payload);
    const wire::Bytes payload_bytes(data, payload);
    const auto tcp_length = static_cast<std::uint16_t>(tcp_header + payload);
    if (v4) {
        tcp.write(tcp_out, payload_bytes, flow.local_address.v4(), flow.remote_address.v4());
        wire::Ipv4Builder ip;
        ip.identification = ip_id;
        ip.dont_fragment = !config_.ip_no_pmtu_disc;
        ip.ttl = static_cast<std::uint8_t>(config_.ip_default_ttl);
        ip.protocol = wire::ip_protocol::kTcp;
        ip.source = flow.local_address.v4();
        ip.destination = flow.remote_address.v4();
        ip.payload_length = tcp_length;
        ip.write(wire::MutableBytes(out, ip_len));
        mib_.inc(tcp::Counter::kIpOutRequests);
    } else {
        tcp.write(tcp_out, payload_bytes, flow.local_address.v6(), flow.remote_address.v6());
        wire::Ipv6Builder ip;
        ip.flow_label = flow_label(txhash, config_);
        ip.payload_length = tcp_length;
        ip.next_header = wire::ip_protocol::kTcp;
        ip.hop_limit = static_cast<std::uint8_t>(config_.hop_limit);
        ip.source = flow.local_address.v6();
        ip.destination = flow.remote_address.v6();
        ip.write(wire::MutableBytes(out, ip_len));
        mib_.inc(tcp::Counter::kIp6OutRequests);
    }
    sink_.transmit(route->interface, wire::Bytes(out, total));
}

// Linux's control socket (tcp_v4_send_reset(), tcp_v4_send_ack(), tcp_v6_send_response()): IPv4 ID 0 with DF;
// the IPv6 flow label from the connection's hash when there is one, else from the flow's own hash.
void Stack::send_control(const tcp::FlowTuple& flow, const tcp::OutSegment& segment) {
    std::uint32_t hash = segment.txhash;
    if (hash == 0 && !flow.is_v4()) {
        std::uint8_t key[36];
        std::memcpy(key, flow.local_address.octets.data(), 16);
        std::memcpy(key + 16, flow.remote_address.octets.data(), 16);
        wire::store_be16(key + 32, flow.local_port);
        wire::store_be16(key + 34, flow.remote_port);
        hash = static_cast<std::uint32_t>(tcp::siphash24(wire::Bytes(key, sizeof key), flow_key_));
    }
    send_segment(flow, segment, 0, hash);
}

}  // namespace synack::stack
