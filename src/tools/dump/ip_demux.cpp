#include "tools/dump/ip_demux.hpp"

#include "tools/dump/icmp.hpp"
#include "tools/dump/icmpv6.hpp"
#include "tools/dump/ipv4.hpp"
#include "tools/dump/tcp.hpp"
#include "tools/dump/udp.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::dump {
namespace {

struct Row {
    std::uint8_t protocol;
    TransportPrinter printer;
};

constexpr Row kPrinters[] = {
    {wire::ip_protocol::kTcp, print_tcp},
    {wire::ip_protocol::kUdp, print_udp},
    {wire::ip_protocol::kIcmp, print_icmp},
    {wire::ip_protocol::kIcmpv6, print_icmpv6},
};

}  // namespace

Flow print_ip_payload(Context& ctx, const IpInfo& ip, std::uint8_t protocol, wire::Bytes data, std::uint32_t length) {
    for (const Row& row : kPrinters) {
        if (row.protocol == protocol) return row.printer(ctx, ip, data, length);
    }
    // tcpdump ip_demux_print default: the protocol's netdb name (or number) and the length.
    const std::string_view name = ctx.names.numeric() ? std::string_view{} : ip_protocol_netdb_name(protocol);
    if (name.empty()) {
        ctx.out.print(" ip-proto-{}", protocol);
    } else {
        ctx.out.put(' ');
        ctx.out.put(name);
    }
    ctx.out.print(" {}", length);
    return Flow::Ok;
}

std::uint16_t checksum_should_be(std::uint16_t field, std::uint16_t computed) noexcept {
    std::uint32_t v = std::uint32_t{field} + computed;
    v = (v & 0xffff) + (v >> 16);
    v = (v & 0xffff) + (v >> 16);
    return static_cast<std::uint16_t>(v);
}

void print_ip_addresses(Context& ctx, const IpInfo& ip) {
    if (ip.version == 4) {
        ctx.out.put(ctx.names.ipv4(ip.source));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.ipv4(ip.destination));
    } else {
        ctx.out.put(ctx.names.ipv6(ip.source));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.ipv6(ip.destination));
    }
}

}  // namespace synack::dump
