// LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6: the packet is an IP datagram (tcpdump print-raw.c, print-ip.c ipN_print).
#include "tools/dump/ipv4.hpp"
#include "tools/dump/ipv6.hpp"
#include "tools/dump/link.hpp"

namespace synack::dump {

Flow print_raw_ip(Context& ctx, wire::Bytes captured, std::uint32_t wire_length) {
    if (ctx.options.link_header) ctx.out.put("ip: ");
    ctx.protocol = "ipN";
    if (wire_length < 1) {
        ctx.out.print("truncated-ip {}", wire_length);
        return Flow::Ok;
    }
    if (captured.empty()) return ctx.truncated("ipN");
    switch (captured[0] & 0xf0) {
        case 0x40:
            return print_ipv4(ctx, captured, wire_length);
        case 0x60:
            return print_ipv6(ctx, captured, wire_length);
        default:
            ctx.out.print("unknown ip {}", captured[0] >> 4);
            return Flow::Ok;
    }
}

}  // namespace synack::dump
