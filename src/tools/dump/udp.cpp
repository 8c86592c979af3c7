#include "tools/dump/udp.hpp"

#include "tools/dump/ip_demux.hpp"
#include "wire/checksum.hpp"
#include "wire/udp.hpp"

namespace synack::dump {
namespace {

void print_endpoints(Context& ctx, const IpInfo& ip, std::uint16_t sport, std::uint16_t dport) {
    if (ip.direct) {
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.source) : ctx.names.ipv6(ip.source));
        ctx.out.put('.');
        ctx.out.put(ctx.names.udp_port(sport));
        ctx.out.put(" > ");
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.destination) : ctx.names.ipv6(ip.destination));
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
    const std::uint32_t ulen = wire::load_be16(data.data() + 4);
    if (ulen < wire::UdpView::kHeaderLength) {
        ctx.out.print("truncated-udplength {}", ulen);
        return Flow::Ok;
    }
    if (ulen > length) {
        ctx.out.print("UDP, bad length {} > {}", ulen - 8, length - 8);
        return Flow::Ok;
    }
    // IPv6 checks the UDP checksum at -v (tcpdump udp_print; IPv4 only from -vv on).
    if (parsed && ctx.options.verbose > 0 && !ip.fragmented && !parsed->payload_truncated() &&
        (ip.version == 6 || ctx.options.verbose > 1)) {
        const std::uint16_t field = parsed->checksum();
        if (ip.version == 4 && field == 0) {
            ctx.out.put("[no cksum] ");
        } else {
            wire::InternetChecksum sum;
            if (ip.version == 4) {
                wire::add_pseudo_header_v4(sum, wire::Ipv4Address::from_bytes(ip.source),
                                           wire::Ipv4Address::from_bytes(ip.final_destination), 17,
                                           static_cast<std::uint16_t>(ulen));
            } else {
                wire::add_pseudo_header_v6(sum, wire::Ipv6Address::from_bytes(ip.source),
                                           wire::Ipv6Address::from_bytes(ip.final_destination), 17, ulen);
            }
            sum.add(parsed->datagram());
            const std::uint16_t computed = sum.finish();
            if (computed != 0) {
                ctx.out.print("[bad udp cksum 0x{:04x} -> 0x{:04x}!] ", field, checksum_should_be(field, computed));
            } else {
                ctx.out.put("[udp sum ok] ");
            }
        }
    }
    ctx.out.print("UDP, length {}", ulen - 8);
    return Flow::Ok;
}

}  // namespace synack::dump
