// UDP (tcpdump print-udp.c udp_print): "a.p > b.q: UDP, length N" through wire::UdpView. tcpdump hands many
// ports to application printers (DNS, NTP, …); synack prints the plain line for every port, so tests use ports
// tcpdump does not dissect.
#include "tools/dump/udp.hpp"

#include "tools/dump/ip_demux.hpp"
#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/udp.hpp"

namespace synack::dump {
namespace {

// tcpdump print-udp.c udpipaddr_print: addresses with ports when UDP is the IP header's own protocol, the ports
// alone behind extension headers, and nothing at all without ports there.
void print_endpoints(Context& ctx, const IpInfo& ip, const wire::UdpView* udp) {
    const bool own = ip.header_protocol == wire::ip_protocol::kUdp;
    if (!own && udp == nullptr) return;
    if (own) {
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.source.data()) : ctx.names.ipv6(ip.source.data()));
        if (udp != nullptr) {
            ctx.out.put('.');
            ctx.out.put(ctx.names.udp_port(udp->source_port()));
        }
        ctx.out.put(" > ");
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.destination.data()) : ctx.names.ipv6(ip.destination.data()));
        if (udp != nullptr) {
            ctx.out.put('.');
            ctx.out.put(ctx.names.udp_port(udp->destination_port()));
        }
    } else {
        ctx.out.put(ctx.names.udp_port(udp->source_port()));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.udp_port(udp->destination_port()));
    }
    ctx.out.put(": ");
}

// The checksum over the pseudo-header and the datagram (0 when correct).
std::uint16_t datagram_checksum(const IpInfo& ip, wire::Bytes datagram) {
    wire::InternetChecksum sum;
    if (ip.version == 4) {
        wire::add_pseudo_header_v4(sum, ip.source_v4(), ip.final_destination_v4(), wire::ip_protocol::kUdp,
                                   static_cast<std::uint16_t>(datagram.size()));
    } else {
        wire::add_pseudo_header_v6(sum, ip.source_v6(), ip.final_destination_v6(), wire::ip_protocol::kUdp,
                                   static_cast<std::uint32_t>(datagram.size()));
    }
    sum.add(datagram);
    return sum.finish();
}

// -v (IPv6) or -vv (IPv4): "[udp sum ok] ", "[bad udp cksum 0x… -> 0x…!] ", "[no cksum] ".
void print_checksum(Context& ctx, const IpInfo& ip, const wire::UdpView& udp, std::uint32_t data_length) {
    const bool whole = udp.payload().size() >= data_length;
    if (ip.version == 4) {
        if (ctx.options.verbose < 2) return;
        if (udp.checksum() == 0) {
            ctx.out.put("[no cksum] ");
            return;
        }
    }
    if (!whole) return;
    const std::uint16_t sum = datagram_checksum(ip, udp.datagram().first(wire::UdpView::kHeaderLength + data_length));
    if (sum != 0) {
        ctx.out.print("[bad udp cksum 0x{:04x} -> 0x{:04x}!] ", udp.checksum(),
                      checksum_should_be(udp.checksum(), sum));
    } else {
        ctx.out.put("[udp sum ok] ");
    }
}

}  // namespace

Flow print_udp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    ctx.protocol = "udp";
    auto parsed = wire::UdpView::parse_captured(data);
    if (!parsed) {
        print_endpoints(ctx, ip, nullptr);
        return ctx.note_truncated("udp");
    }
    const wire::UdpView& udp = *parsed;
    if (length < wire::UdpView::kHeaderLength) {
        print_endpoints(ctx, ip, &udp);
        ctx.out.print("truncated-udp {}", length);
        return Flow::Ok;
    }
    if (udp.header().size() < 6) {  // the length field was not captured
        print_endpoints(ctx, ip, &udp);
        return ctx.note_truncated("udp");
    }
    std::uint32_t ulen = udp.length();
    if (ulen == 0 && length > 65535) ulen = length;  // RFC 2675 jumbogram
    if (ulen < wire::UdpView::kHeaderLength) {
        print_endpoints(ctx, ip, &udp);
        ctx.out.print("truncated-udplength {}", ulen);
        return Flow::Ok;
    }
    ulen -= wire::UdpView::kHeaderLength;
    std::uint32_t data_length = length - static_cast<std::uint32_t>(wire::UdpView::kHeaderLength);
    if (ulen < data_length) data_length = ulen;
    print_endpoints(ctx, ip, &udp);
    if (udp.header_truncated()) return ctx.note_truncated("udp");
    if (ctx.options.verbose > 0 && !ip.fragmented) print_checksum(ctx, ip, udp, data_length);
    if (ulen > data_length && !ip.fragmented) {
        ctx.out.print("UDP, bad length {} > {}", ulen, data_length);
    } else {
        ctx.out.print("UDP, length {}", ulen);
    }
    return Flow::Ok;
}

}  // namespace synack::dump
