// ICMP and ICMPv6 crafted captures (see main.cpp for the list of files).
#include "craft/craft.hpp"
#include "wire/icmpv4.hpp"
#include "wire/udp.hpp"

namespace synack::craft {
namespace {

// An ICMPv4 message (header from `icmp`, checksum computed unless it sets one) followed by `body`.
Packet icmpv4(const Icmpv4Builder& icmp, Bytes body) {
    Packet out(icmp.size() + body.size());
    std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(icmp.size()));
    icmp.write(MutableBytes(out).first(icmp.size()), Bytes(out).subspan(icmp.size()));
    return out;
}

Packet ipv4_between(const Ipv4Address& src, const Ipv4Address& dst, Bytes payload, std::uint8_t protocol) {
    Ipv4Builder ip;
    ip.source = src;
    ip.destination = dst;
    return ipv4(ip, payload, protocol);
}

}  // namespace

// ICMP errors quoting ICMP errors quoting …, as deep as one IPv4 datagram allows (28 bytes a level): tcpdump -v
// prints each quoted datagram by recursing, and so does synack dump; each level must cost no more stack than
// tcpdump's (the oracle runs this capture with a 1,280 KiB stack, on which tcpdump prints it whole).
void icmp_chain(const std::string& dir) {
    Capture cap(dir + "/crafted-icmp-chain.pcap", device::LinkType::Raw);
    const Ipv4Address a = v4("198.18.11.1"), b = v4("198.18.11.2");
    UdpBuilder udp;
    udp.source_port = 40012;
    udp.destination_port = 33434;
    Packet datagram = ipv4_between(b, a, udp.build({}, b, a), ip_protocol::kUdp);
    const auto unreachable = Icmpv4Builder::destination_unreachable(icmpv4_unreachable::kHost);
    const auto exceeded = Icmpv4Builder::time_exceeded(icmpv4_time_exceeded::kTtl);
    for (int level = 0; datagram.size() + 28 <= 65535; ++level) {
        datagram = ipv4_between(a, b, icmpv4(level % 2 == 0 ? unreachable : exceeded, datagram), ip_protocol::kIcmp);
        if (level == 3) cap.add(datagram);  // a short chain first
    }
    cap.add(datagram);
}

}  // namespace synack::craft
