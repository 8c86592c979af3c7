#include "tools/dump/udp.hpp"

#include "tools/dump/ip_demux.hpp"
#include "wire/checksum.hpp"
#include "wire/udp.hpp"

namespace synack::dump {
namespace {

void print_endpoints(Context& ctx, const IpInfo& ip, std::uint16_t sport, std::uint16_t dport) {
    if (ip.header_protocol == 17) {
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.source.data()) : ctx.names.ipv6(ip.source.data()));
        ctx.out.put('.');
        ctx.out.put(ctx.names.udp_port(sport));
        ctx.out.put(" > ");
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.destination.data()) : ctx.names.ipv6(ip.destination.data()));
        ctx.out.put('.');
        ctx.out.put(ctx.names.udp_port(dport));
        ctx.out.put(": ");
    } else {
        ctx.out.put(ctx.names.udp_port(sport));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.udp_port(dport));
        ctx.out.put(": ");
    }
}

}  // namespace

Flow print_udp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    ctx.protocol = "udp";
    auto parsed = wire::UdpView::parse(data);
    if (data.size() < wire::UdpView::kHeaderLength) {
        // tcpdump prints the ports it has, then gives up.
        if (data.size() >= 4) {
            print_endpoints(ctx, ip, wire::load_be16(data.data()), wire::load_be16(data.data() + 2));
            ctx.out.print("truncated-udp {}", length);
            return Flow::Ok;
        }
        print_ip_addresses(ctx, ip);
        ctx.out.put(": ");
        return ctx.truncated("udp");
    }
    const std::uint16_t sport = wire::load_be16(data.data());
    const std::uint16_t dport = wire::load_be16(data.data() + 2);
    print_endpoints(ctx, ip, sport, dport);
    std::uint32_t ulen = wire::load_be16(data.data() + 4);
    if (ulen == 0 && length > 65535) ulen = length;  // RFC 2675 jumbogram
    if (ulen < wire::UdpView::kHeaderLength) {
        ctx.out.print("truncated-udplength {}", ulen);
        return Flow::Ok;
    }
    ulen -= 8;
    std::uint32_t dlen = length - 8;  // tcpdump print-udp.c: the data length, no more than the UDP length says
    if (ulen < dlen) dlen = ulen;
    // The checksum: IPv6 from -v on, IPv4 from -vv on (tcpdump udp_print).
    if (ctx.options.verbose > 0 && !ip.fragmented) {
        const std::uint16_t field = parsed->checksum();
        const bool whole = data.size() >= dlen + 8;
        if (ip.version == 4 && ctx.options.verbose > 1 && field == 0) {
            ctx.out.put("[no cksum] ");
        } else if (whole && (ip.version == 6 || ctx.options.verbose > 1)) {
            wire::InternetChecksum sum;
            if (ip.version == 4) {
                wire::add_pseudo_header_v4(sum, wire::Ipv4Address::from_bytes(ip.source.data()),
                                           wire::Ipv4Address::from_bytes(ip.final_destination.data()), 17,
                                           static_cast<std::uint16_t>(dlen + 8));
            } else {
                wire::add_pseudo_header_v6(sum, wire::Ipv6Address::from_bytes(ip.source.data()),
                                           wire::Ipv6Address::from_bytes(ip.final_destination.data()), 17, dlen + 8);
            }
            sum.add(data.first(dlen + 8));
            const std::uint16_t computed = sum.finish();
            if (computed != 0) {
                ctx.out.print("[bad udp cksum 0x{:04x} -> 0x{:04x}!] ", field, checksum_should_be(field, computed));
            } else {
                ctx.out.put("[udp sum ok] ");
            }
        }
    }
    if (ulen > dlen) {
        ctx.out.print("UDP, bad length {} > {}", ulen, dlen);
        return Flow::Ok;
    }
    ctx.out.print("UDP, length {}", ulen);
    return Flow::Ok;
}

}  // namespace synack::dump
