#include "craft/craft.hpp"

#include <algorithm>

namespace synack::craft {

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "craft_captures: %s\n", what.c_str());
    std::exit(1);
}

Ipv4Address v4(std::string_view text) {
    auto a = Ipv4Address::parse(text);
    if (!a) fail("bad IPv4 address " + std::string(text));
    return *a;
}

Ipv6Address v6(std::string_view text) {
    auto a = Ipv6Address::parse(text);
    if (!a) fail("bad IPv6 address " + std::string(text));
    return *a;
}

Bytes text(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

Packet concat(std::initializer_list<Bytes> parts) {
    Packet out;
    for (Bytes p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

Packet filler(std::size_t n, std::string_view tag) {
    Packet out;
    out.reserve(n);
    for (std::size_t i = 0; out.size() < n; ++i) {
        char line[64];
        const int len = std::snprintf(line, sizeof line, "%.*s %04zu\n", static_cast<int>(tag.size()), tag.data(), i);
        for (int j = 0; j < len && out.size() < n; ++j) out.push_back(static_cast<std::uint8_t>(line[j]));
    }
    return out;
}

Packet ipv4(Ipv4Builder ip, Bytes payload, std::uint8_t protocol) {
    ip.protocol = protocol;
    ip.payload_length = static_cast<std::uint16_t>(payload.size());
    Packet out(ip.size() + payload.size());
    ip.write(MutableBytes(out).first(ip.size()));
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(ip.size()));
    return out;
}

Packet ipv6(Ipv6Builder ip, Bytes rest, std::uint8_t next_header, std::optional<std::uint16_t> payload_length) {
    ip.next_header = next_header;
    ip.payload_length = payload_length.value_or(static_cast<std::uint16_t>(rest.size()));
    Packet out(ip.size() + rest.size());
    ip.write(MutableBytes(out).first(ip.size()));
    std::copy(rest.begin(), rest.end(), out.begin() + static_cast<std::ptrdiff_t>(ip.size()));
    return out;
}

Packet Flow4::segment(bool from_client, TcpBuilder tcp, Bytes payload, Ipv4Builder ip) {
    const Ipv4Address& src = from_client ? client : server;
    const Ipv4Address& dst = from_client ? server : client;
    tcp.source_port = from_client ? client_port : server_port;
    tcp.destination_port = from_client ? server_port : client_port;
    ip.source = src;
    ip.destination = dst;
    if (ip.identification == 0) ip.identification = next_id++;
    ip.dont_fragment = ip.dont_fragment || !ip.more_fragments;
    return ipv4(ip, tcp.build(payload, src, dst));
}

Packet Flow6::segment(bool from_client, TcpBuilder tcp, Bytes payload, Ipv6Builder ip) {
    const Ipv6Address& src = from_client ? client : server;
    const Ipv6Address& dst = from_client ? server : client;
    tcp.source_port = from_client ? client_port : server_port;
    tcp.destination_port = from_client ? server_port : client_port;
    ip.source = src;
    ip.destination = dst;
    return ipv6(ip, tcp.build(payload, src, dst), ip_protocol::kTcp);
}

TcpBuilder tcp(std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::uint16_t window,
               Bytes options) {
    TcpBuilder t;
    t.seq = Seq32(seq);
    t.ack = Seq32(ack);
    t.flags = flags;
    t.window = window;
    t.options = options;
    return t;
}

std::uint16_t ether_type_of(const Packet& l3) {
    return !l3.empty() && (l3[0] >> 4) == 6 ? ether_type::kIpv6 : ether_type::kIpv4;
}

Packet ethernet(const Packet& l3, bool from_client) {
    EthernetBuilder eth;
    eth.destination = from_client ? kServerMac : kClientMac;
    eth.source = from_client ? kClientMac : kServerMac;
    eth.ether_type = ether_type_of(l3);
    return concat({header_bytes(eth), l3});
}

Packet tagged(const Packet& l3, std::span<const Tag> tags, bool from_client) {
    EthernetBuilder eth;
    eth.destination = from_client ? kServerMac : kClientMac;
    eth.source = from_client ? kClientMac : kServerMac;
    eth.ether_type = tags.empty() ? ether_type_of(l3) : tags[0].tpid;
    Packet out = header_bytes(eth);
    for (std::size_t i = 0; i < tags.size(); ++i) {
        VlanTagBuilder tag;
        tag.priority = tags[i].priority;
        tag.drop_eligible = tags[i].drop_eligible;
        tag.vlan_id = tags[i].vlan_id;
        tag.ether_type = i + 1 < tags.size() ? tags[i + 1].tpid : ether_type_of(l3);
        const Packet t = header_bytes(tag);
        out.insert(out.end(), t.begin(), t.end());
    }
    out.insert(out.end(), l3.begin(), l3.end());
    return out;
}

Packet sll(const Packet& l3, bool from_client) {
    LinuxSllBuilder h;
    h.packet_type = from_client ? sll_packet_type::kHost : sll_packet_type::kOutgoing;
    h.arphrd_type = arphrd::kEther;
    h.address_length = 6;
    const MacAddress& mac = from_client ? kClientMac : kServerMac;
    std::copy(mac.octets.begin(), mac.octets.end(), h.address.begin());
    h.protocol = ether_type_of(l3);
    return concat({header_bytes(h), l3});
}

Packet sll2(const Packet& l3, bool from_client, std::uint32_t interface_index) {
    LinuxSll2Builder h;
    h.protocol = ether_type_of(l3);
    h.interface_index = interface_index;
    h.arphrd_type = arphrd::kEther;
    h.packet_type = static_cast<std::uint8_t>(from_client ? sll_packet_type::kHost : sll_packet_type::kOutgoing);
    h.address_length = 6;
    const MacAddress& mac = from_client ? kClientMac : kServerMac;
    std::copy(mac.octets.begin(), mac.octets.end(), h.address.begin());
    return concat({header_bytes(h), l3});
}

Capture::Capture(const std::string& path, device::LinkType link_type, device::TimestampPrecision precision,
                 Format format)
    : path_(path) {
    const auto link = static_cast<std::uint32_t>(link_type);
    if (format == Format::Pcap) {
        auto w = device::PcapWriter::create(path, link, 262144, precision);
        if (!w) fail(path + ": " + w.error());
        pcap_.emplace(std::move(*w));
    } else {
        auto w = device::PcapngWriter::create(path, link, 262144, precision);
        if (!w) fail(path + ": " + w.error());
        pcapng_.emplace(std::move(*w));
    }
}

Capture::~Capture() {
    const bool ok = pcap_ ? pcap_->flush().ok() : pcapng_->flush().ok();
    if (!ok) fail(path_ + ": cannot flush");
}

void Capture::add_cut(const Packet& frame, std::size_t captured, std::int64_t gap_us) {
    time_us_ += gap_us;
    write(frame, captured, {time_us_ / 1000000, time_us_ % 1000000 * 1000});
}

void Capture::write(const Packet& frame, std::size_t captured, device::CaptureTimestamp timestamp) {
    device::CaptureRecord record;
    record.timestamp = timestamp;
    record.wire_length = static_cast<std::uint32_t>(frame.size());
    record.data = Bytes(frame).first(std::min(captured, frame.size()));
    if (pcap_) {
        pcap_->write(record);
    } else {
        pcapng_->write(record);
    }
}

}  // namespace synack::craft
