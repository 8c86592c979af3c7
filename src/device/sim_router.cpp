#include "device/sim_router.hpp"

#include <algorithm>
#include <cstring>

#include "device/sim_random.hpp"
#include "wire/icmpv4.hpp"
#include "wire/icmpv6.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4_options.hpp"
#include "wire/ipv6.hpp"
#include "wire/ipv6_extensions.hpp"

namespace synack::device {

namespace {

constexpr std::size_t kMaxPacket = 65535;  // without IPv6 jumbograms
// RFC 1812 §4.3.2.3 and icmp_send(): an ICMPv4 error is at most 576 bytes (or the route's MTU if smaller).
constexpr std::size_t kIcmpv4MaxLength = 576;
// RFC 4443 §2.4 (c) and icmp6_send(): an ICMPv6 error is at most the IPv6 minimum MTU.
constexpr std::size_t kIpv6MinMtu = 1280;
constexpr std::size_t kIcmpHeader = 8;
// icmp_send(): an error about an ICMP message of a type beyond NR_ICMP_TYPES is not sent either.
constexpr std::uint8_t kLastIcmpv4Type = 18;

wire::IpAddress mask(const wire::IpAddress& address, std::uint8_t bits) noexcept {
    wire::IpAddress out = address;
    for (std::size_t i = 0; i < out.octets.size(); ++i) {
        const int keep = std::clamp(static_cast<int>(bits) - static_cast<int>(i * 8), 0, 8);
        out.octets[i] &= static_cast<std::uint8_t>(0xff00u >> keep);
    }
    return out;
}

// Martian IPv4 sources (ip_route_input_slow): 0.0.0.0/8, 127.0.0.0/8, multicast, limited broadcast.
bool is_martian_source_v4(std::uint32_t a) noexcept {
    return (a >> 24) == 0 || (a >> 24) == 127 || (a >> 28) == 0xe || a == 0xffffffffu;
}
bool is_multicast_or_broadcast_v4(std::uint32_t a) noexcept {
    return (a >> 28) == 0xe || a == 0xffffffffu;
}

bool is_unspecified_v6(const wire::Ipv6Address& a) noexcept {
    return std::all_of(a.octets.begin(), a.octets.end(), [](std::uint8_t b) { return b == 0; });
}
bool is_loopback_v6(const wire::Ipv6Address& a) noexcept {
    return std::all_of(a.octets.begin(), a.octets.end() - 1, [](std::uint8_t b) { return b == 0; }) &&
           a.octets[15] == 1;
}
bool is_multicast_v6(const wire::Ipv6Address& a) noexcept { return a.octets[0] == 0xff; }
bool is_link_local_v6(const wire::Ipv6Address& a) noexcept {
    return a.octets[0] == 0xfe && (a.octets[1] & 0xc0) == 0x80;
}

}  // namespace

SimRouter::SimRouter(const SimRouterConfig& config)
    : config_(config), packet_(kMaxPacket), out_(kMaxPacket) {
    std::uint64_t state = config_.seed;
    next_ipv4_id_ = static_cast<std::uint16_t>(splitmix64(state));
}

SimInterfaceId SimRouter::add_interface(const SimRouterInterface& interface) {
    interfaces_.push_back(interface);
    return static_cast<SimInterfaceId>(interfaces_.size() - 1);
}

void SimRouter::add_route(const wire::IpAddress& prefix, std::uint8_t prefix_length, SimInterfaceId interface) {
    const bool v4 = prefix.is_v4();
    const auto bits = static_cast<std::uint8_t>(v4 ? 96 + std::min<int>(prefix_length, 32)
                                                   : std::min<int>(prefix_length, 128));
    Route r{mask(prefix, bits), bits, v4, interface};
    // Longest prefixes first, so the first match is the longest; equal lengths keep the order added.
    const auto at = std::find_if(routes_.begin(), routes_.end(), [&](const Route& x) { return x.bits < bits; });
    routes_.insert(at, r);
}

std::optional<SimInterfaceId> SimRouter::route(const wire::IpAddress& destination) const noexcept {
    const bool v4 = destination.is_v4();
    for (const Route& r : routes_) {
        if (r.v4 == v4 && mask(destination, r.bits) == r.prefix) return r.interface;
    }
    return std::nullopt;
}

bool SimRouter::is_own_address(const wire::IpAddress& address) const noexcept {
    for (const SimRouterInterface& i : interfaces_) {
        if (address.is_v4() ? (i.ipv4 && *i.ipv4 == address.v4()) : (i.ipv6 && *i.ipv6 == address.v6())) return true;
    }
    return false;
}

void SimRouter::decrease_ttl(wire::MutableBytes header) noexcept {
    // include/net/ip.h ip_decrease_ttl: check += htons(0x0100); check + (check >= 0xFFFF). In network order that
    // is the RFC 1624 update for TTL - 1 with a 0xffff result folded to 0x0000.
    std::uint32_t check = wire::load_be16(header.data() + 10) + 0x0100u;
    check += check >= 0xffff ? 1u : 0u;
    wire::store_be16(header.data() + 10, static_cast<std::uint16_t>(check));
    --header[8];
}

void SimRouter::receive(SimInterfaceId in, wire::Bytes packet, Output& out) {
    ++counters_.received;
    if (in >= interfaces_.size() || packet.empty()) {
        ++counters_.dropped_header;
        return;
    }
    switch (packet[0] >> 4) {
        case 4: receive_v4(in, packet, out); break;
        case 6: receive_v6(in, packet, out); break;
        default: ++counters_.dropped_header; break;
    }
}

void SimRouter::receive_v4(SimInterfaceId /*in*/, wire::Bytes packet, Output& out) {
    // ip_rcv_core(): version, IHL, header checksum, total length against the bytes; then trim to the total length.
    const auto parsed = wire::Ipv4View::parse_strict(packet);
    if (!parsed || !parsed->header_checksum_valid()) {
        ++counters_.dropped_header;
        return;
    }
    const wire::Bytes whole = packet.first(parsed->total_length());
    const wire::Ipv4View ip = *wire::Ipv4View::parse_strict(whole);
    const wire::IpAddress destination = ip.destination();
    if (is_own_address(destination)) {
        ++counters_.dropped_local;
        return;
    }
    if (is_multicast_or_broadcast_v4(ip.destination().to_u32()) || is_martian_source_v4(ip.source().to_u32())) {
        ++counters_.dropped_not_forwardable;
        return;
    }
    // The route lookup (ip_route_input) comes before ip_forward(): no route wins over an expired TTL.
    const auto next = route(destination);
    if (!next) {
        ++counters_.dropped_no_route;
        send_icmpv4_error(whole, wire::icmpv4_type::kDestinationUnreachable, wire::icmpv4_unreachable::kNet, 0, out);
        return;
    }
    // ip_forward(): TTL first, then the MTU; the error quotes the packet as it arrived (TTL not yet decremented).
    if (ip.ttl() <= 1) {
        ++counters_.dropped_ttl;
        send_icmpv4_error(whole, wire::icmpv4_type::kTimeExceeded, wire::icmpv4_time_exceeded::kTtl, 0, out);
        return;
    }
    const std::uint32_t mtu = interfaces_[*next].mtu;
    if (whole.size() > mtu && ip.dont_fragment()) {
        ++counters_.dropped_too_big;
        // RFC 1191 §4: the next-hop MTU in the low 16 bits of the rest of the header.
        send_icmpv4_error(whole, wire::icmpv4_type::kDestinationUnreachable,
                          wire::icmpv4_unreachable::kFragmentationNeeded, mtu & 0xffffu, out);
        return;
    }
    if (whole.size() > mtu && mtu < ip.header_length() + 8) {  // ip_do_fragment(): not even 8 data bytes fit
        ++counters_.dropped_too_big;
        return;
    }
    std::memcpy(packet_.data(), whole.data(), whole.size());
    const wire::MutableBytes copy(packet_.data(), whole.size());
    decrease_ttl(copy.first(ip.header_length()));
    ++counters_.forwarded;
    if (whole.size() > mtu) {
        fragment_v4(*wire::Ipv4View::parse(copy), *next, mtu, out);
    } else {
        out.transmit(*next, copy);
    }
}

void SimRouter::fragment_v4(const wire::Ipv4View& ip, SimInterfaceId interface, std::uint32_t mtu, Output& out) {
    // net/ipv4/ip_output.c ip_do_fragment() slow path (ip_frag_init, ip_frag_next, ip_frag_ipcb).
    const std::size_t hlen = ip.header_length();
    const std::size_t space = mtu - hlen;
    const wire::Bytes data = ip.payload();
    wire::Ipv4Builder& h = fragment_header_;
    h.tos = ip.tos();
    h.identification = ip.identification();
    h.reserved_flag = false;  // frag_off is written afresh: offset, MF (and DF, never set here)
    h.dont_fragment = false;
    h.ttl = ip.ttl();
    h.protocol = ip.protocol();
    h.source = ip.source();
    h.destination = ip.destination();
    h.options.assign(ip.options().begin(), ip.options().end());

    std::size_t offset = ip.fragment_offset();
    std::size_t ptr = 0;
    std::size_t left = data.size();
    while (left > 0) {
        const bool first_frag = offset == 0;
        std::size_t len = std::min(left, space);
        if (len < left) len &= ~std::size_t{7};
        left -= len;
        h.fragment_offset = static_cast<std::uint16_t>(offset);
        // "If we are fragmenting a fragment that's not the last fragment then keep MF on each bit".
        h.more_fragments = left > 0 || ip.more_fragments();
        h.payload_length = static_cast<std::uint16_t>(len);
        h.write(wire::MutableBytes(out_.data(), hlen));
        std::memcpy(out_.data() + hlen, data.data() + ptr, len);
        out.transmit(interface, wire::Bytes(out_.data(), hlen + len));
        ++counters_.fragments;
        if (first_frag) {
            // ip_options_fragment(): options without the copied flag become NOPs in the fragments after the first.
            wire::Ipv4OptionIterator it(h.options);
            while (!it.at_end()) {
                const std::size_t at = it.offset();
                const auto option = it.next();
                if (!option || option->type == wire::ipv4_option::kEndOfList) break;
                if (option->type == wire::ipv4_option::kNop) continue;
                if (!wire::ipv4_option::copied(option->type)) {
                    std::fill_n(h.options.begin() + static_cast<std::ptrdiff_t>(at), option->length(),
                                wire::ipv4_option::kNop);
                }
            }
        }
        ptr += len;
        offset += len;
    }
    ++counters_.fragmented;
}

void SimRouter::send_icmpv4_error(wire::Bytes invoking, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                                  Output& out) {
    // net/ipv4/icmp.c icmp_send(): no error about a non-first fragment or an ICMP error, nor to a source that is
    // not one host.
    const wire::Ipv4View ip = *wire::Ipv4View::parse(invoking);
    if (ip.fragment_offset() != 0) return;
    if (ip.protocol() == wire::ip_protocol::kIcmp) {
        const wire::Bytes inner = ip.payload();
        if (inner.empty() || inner[0] > kLastIcmpv4Type || wire::icmpv4_is_error(inner[0])) return;
    }
    const wire::Ipv4Address destination = ip.source();
    if (is_martian_source_v4(destination.to_u32())) return;
    const auto back = route(destination);
    if (!back) return;
    std::optional<wire::Ipv4Address> source = interfaces_[*back].ipv4;
    for (std::size_t i = 0; !source && i < interfaces_.size(); ++i) source = interfaces_[i].ipv4;
    if (!source) return;

    wire::Ipv4Builder h;
    h.tos = static_cast<std::uint8_t>((ip.tos() & 0x1e) | 0xc0);  // RT_TOS(tos) | IPTOS_PREC_INTERNETCONTROL
    h.identification = next_ipv4_id_++;
    h.ttl = config_.icmp_ttl;
    h.protocol = wire::ip_protocol::kIcmp;
    h.source = *source;
    h.destination = destination;
    const std::size_t limit = std::min<std::size_t>(interfaces_[*back].mtu, kIcmpv4MaxLength);
    if (limit < h.size() + kIcmpHeader) return;
    const std::size_t quote = std::min(invoking.size(), limit - h.size() - kIcmpHeader);
    h.payload_length = static_cast<std::uint16_t>(kIcmpHeader + quote);
    h.write(wire::MutableBytes(out_.data(), h.size()));
    std::memcpy(out_.data() + h.size() + kIcmpHeader, invoking.data(), quote);
    const wire::Icmpv4Builder icmp{type, code, rest, std::nullopt};
    icmp.write(wire::MutableBytes(out_.data() + h.size(), kIcmpHeader),
               wire::Bytes(out_.data() + h.size() + kIcmpHeader, quote));
    ++counters_.icmp_errors;
    out.transmit(*back, wire::Bytes(out_.data(), h.size() + kIcmpHeader + quote));
}

void SimRouter::receive_v6(SimInterfaceId /*in*/, wire::Bytes packet, Output& out) {
    // ipv6_rcv() / ip6_rcv_core(): version, payload length against the bytes, no multicast source; then trim.
    const auto parsed = wire::Ipv6View::parse_strict(packet);
    if (!parsed) {
        ++counters_.dropped_header;
        return;
    }
    const wire::Bytes whole = packet.first(wire::Ipv6View::kHeaderLength + parsed->declared_payload_length());
    const wire::Ipv6View ip = *wire::Ipv6View::parse_strict(whole);
    const wire::Ipv6Address source = ip.source();
    const wire::Ipv6Address destination = ip.destination();
    if (is_multicast_v6(source)) {
        ++counters_.dropped_header;
        return;
    }
    if (is_own_address(destination)) {
        ++counters_.dropped_local;
        return;
    }
    if (is_multicast_v6(destination) || is_link_local_v6(destination) || is_loopback_v6(destination)) {
        ++counters_.dropped_not_forwardable;
        return;
    }
    const auto next = route(destination);
    if (!next) {
        ++counters_.dropped_no_route;  // ip6_pkt_discard(): ICMPV6_NOROUTE
        send_icmpv6_error(whole, wire::icmpv6_type::kDestinationUnreachable, wire::icmpv6_unreachable::kNoRoute, 0,
                          out);
        return;
    }
    // ip6_forward(): the hop limit, then the source ("this check is security critical"), then the MTU.
    if (ip.hop_limit() <= 1) {
        ++counters_.dropped_ttl;
        send_icmpv6_error(whole, wire::icmpv6_type::kTimeExceeded, wire::icmpv6_time_exceeded::kHopLimit, 0, out);
        return;
    }
    if (is_unspecified_v6(source) || is_loopback_v6(source)) {
        ++counters_.dropped_not_forwardable;
        return;
    }
    if (is_link_local_v6(source)) {
        ++counters_.dropped_not_forwardable;
        send_icmpv6_error(whole, wire::icmpv6_type::kDestinationUnreachable, wire::icmpv6_unreachable::kBeyondScope,
                          0, out);
        return;
    }
    const std::uint32_t mtu = std::max<std::uint32_t>(interfaces_[*next].mtu, kIpv6MinMtu);
    if (whole.size() > mtu) {
        ++counters_.dropped_too_big;
        send_icmpv6_error(whole, wire::icmpv6_type::kPacketTooBig, 0, mtu, out);
        return;
    }
    // An RFC 2675 jumbogram can pass a link whose MTU is above 65,575: the copy grows to it (once per larger size).
    if (whole.size() > packet_.size()) packet_.resize(whole.size());
    std::memcpy(packet_.data(), whole.data(), whole.size());
    --packet_[7];  // hop limit; IPv6 has no header checksum
    ++counters_.forwarded;
    out.transmit(*next, wire::Bytes(packet_.data(), whole.size()));
}

std::uint32_t SimRouter::flow_label(const wire::Ipv6Address& src, const wire::Ipv6Address& dst) const noexcept {
    // Linux's auto flow label (ip6_make_flowlabel) is a keyed hash of the flow: ours mixes the addresses into the
    // seed with splitmix64 and keeps 20 bits.
    std::uint64_t state = config_.seed;
    std::uint64_t h = 0;
    for (const auto* address : {&src, &dst}) {
        for (std::size_t i = 0; i < 16; i += 8) {
            state ^= wire::load_be64(address->octets.data() + i);
            h ^= splitmix64(state);
        }
    }
    return static_cast<std::uint32_t>(h) & 0xfffffu;
}

void SimRouter::send_icmpv6_error(wire::Bytes invoking, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                                  Output& out) {
    const wire::Ipv6View ip = *wire::Ipv6View::parse(invoking);
    const wire::Ipv6Address destination = ip.source();
    // icmp6_send(): "Must not send error if the source does not uniquely identify a single node (RFC2463 2.4)".
    if (is_unspecified_v6(destination) || is_multicast_v6(destination)) return;
    // is_ineligible(): never about an ICMPv6 error (or a message too short to tell), past the extension headers.
    if (const auto upper = wire::skip_ipv6_extensions(ip); upper && upper->protocol == wire::ip_protocol::kIcmpv6) {
        if (upper->payload.empty() ? !upper->non_first_fragment : wire::icmpv6_is_error(upper->payload[0])) return;
    }
    const auto back = route(destination);
    if (!back) return;
    std::optional<wire::Ipv6Address> source = interfaces_[*back].ipv6;
    for (std::size_t i = 0; !source && i < interfaces_.size(); ++i) source = interfaces_[i].ipv6;
    if (!source) return;

    wire::Ipv6Builder h;
    h.flow_label = config_.icmpv6_flow_label.value_or(flow_label(*source, destination)) & 0xfffffu;
    h.next_header = wire::ip_protocol::kIcmpv6;
    h.hop_limit = config_.icmpv6_hop_limit;
    h.source = *source;
    h.destination = destination;
    const std::size_t quote = std::min(invoking.size(), kIpv6MinMtu - h.size() - kIcmpHeader);
    h.payload_length = static_cast<std::uint16_t>(kIcmpHeader + quote);
    h.write(wire::MutableBytes(out_.data(), h.size()));
    std::memcpy(out_.data() + h.size() + kIcmpHeader, invoking.data(), quote);
    wire::Icmpv6Builder icmp;
    icmp.type = type;
    icmp.code = code;
    icmp.rest_of_header = rest;
    icmp.write(wire::MutableBytes(out_.data() + h.size(), kIcmpHeader),
               wire::Bytes(out_.data() + h.size() + kIcmpHeader, quote), *source, destination);
    ++counters_.icmp_errors;
    out.transmit(*back, wire::Bytes(out_.data(), h.size() + kIcmpHeader + quote));
}

}  // namespace synack::device
