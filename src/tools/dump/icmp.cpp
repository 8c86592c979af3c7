#include "tools/dump/icmp.hpp"

#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"

namespace synack::dump {
namespace {

std::string_view type_name(std::uint8_t type) {
    switch (type) {
        case 0: return "echo reply";
        case 3: return "destination unreachable";
        case 4: return "source quench";
        case 5: return "redirect";
        case 8: return "echo request";
        case 9: return "router advertisement";
        case 10: return "router solicitation";
        case 11: return "time exceeded";
        case 12: return "parameter problem";
        case 13: return "time stamp request";
        case 14: return "time stamp reply";
        case 15: return "information request";
        case 16: return "information reply";
        case 17: return "address mask request";
        case 18: return "address mask reply";
        default: return {};
    }
}

// tcpdump print-icmp.c unreach2str, "%s" standing for the quoted datagram's destination.
std::string_view unreachable_format(std::uint8_t code, bool& after) {
    after = false;
    switch (code) {
        case 0: return "net ";
        case 1: return "host ";
        case 5: after = true; return " unreachable - source route failed";
        case 6: return "net ";
        case 7: return "host ";
        case 8: after = true; return " unreachable - source host isolated";
        case 9: return "net ";
        case 10: return "host ";
        case 11: return "net ";
        case 12: return "host ";
        case 13: return "host ";
        case 14: return "host ";
        case 15: return "host ";
        default: return {};
    }
}

std::string_view unreachable_suffix(std::uint8_t code) {
    switch (code) {
        case 0: case 1: return " unreachable";
        case 6: case 7: return " unreachable - unknown";
        case 9: case 10: return " unreachable - admin prohibited";
        case 11: case 12: return " unreachable - tos prohibited";
        case 13: return " unreachable - admin prohibited filter";
        case 14: return " unreachable - host precedence violation";
        case 15: return " unreachable - precedence cutoff";
        default: return {};
    }
}

}  // namespace

Flow print_icmp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    (void)ip;
    ctx.protocol = "icmp";
    if (data.size() < 4) return ctx.truncated("icmp");
    const std::uint8_t type = data[0];
    const std::uint8_t code = data[1];
    ctx.out.put("ICMP ");
    switch (type) {
        case 0:
        case 8:
            if (data.size() < 8) return ctx.truncated("icmp");
            ctx.out.print("{}, id {}, seq {}", type_name(type), wire::load_be16(data.data() + 4),
                          wire::load_be16(data.data() + 6));
            break;
        case 3: {
            // The quoted datagram: its destination (and for ports, its protocol and port).
            auto quoted = wire::Ipv4View::parse(data.size() > 8 ? data.subspan(8) : wire::Bytes{});
            if (!quoted) return ctx.truncated("icmp");
            const std::uint8_t* qh = quoted->header().data();
            const std::string_view dst = ctx.names.ipv4(qh + 16);
            if (code == 2) {
                ctx.out.print("{} protocol {} unreachable", dst, quoted->protocol());
            } else if (code == 3) {
                const wire::Bytes qp = quoted->payload();
                if (qp.size() < 4) return ctx.truncated("icmp");
                const std::uint16_t port = wire::load_be16(qp.data() + 2);
                if (quoted->protocol() == wire::ip_protocol::kTcp) {
                    ctx.out.print("{} tcp port {} unreachable", dst, ctx.names.tcp_port(port));
                } else if (quoted->protocol() == wire::ip_protocol::kUdp) {
                    ctx.out.print("{} udp port {} unreachable", dst, ctx.names.udp_port(port));
                } else {
                    ctx.out.print("{} protocol {} port {} unreachable", dst, quoted->protocol(), port);
                }
            } else if (code == 4) {
                const std::uint16_t mtu = wire::load_be16(data.data() + 6);
                if (mtu != 0) {
                    ctx.out.print("{} unreachable - need to frag (mtu {})", dst, mtu);
                } else {
                    ctx.out.print("{} unreachable - need to frag", dst);
                }
            } else {
                bool after = false;
                const std::string_view before = unreachable_format(code, after);
                if (after) {
                    ctx.out.put(dst);
                    ctx.out.put(before);
                } else if (!before.empty()) {
                    ctx.out.put(before);
                    ctx.out.put(dst);
                    ctx.out.put(unreachable_suffix(code));
                } else {
                    ctx.out.print("{} unreachable - #{}", dst, code);
                }
            }
            break;
        }
        case 11:
            if (code == 0) {
                ctx.out.put("time exceeded in-transit");
            } else if (code == 1) {
                ctx.out.put("ip reassembly time exceeded");
            } else {
                ctx.out.print("time exceeded-#{}", code);
            }
            break;
        case 13:
        case 14:
            if (data.size() < 8) return ctx.truncated("icmp");
            ctx.out.print("time stamp {} id {} seq {}", type == 13 ? "query" : "reply", wire::load_be16(data.data() + 4),
                          wire::load_be16(data.data() + 6));
            break;
        default: {
            const std::string_view name = type_name(type);
            if (name.empty()) {
                ctx.out.print("type-#{}", type);
            } else {
                ctx.out.put(name);
            }
            break;
        }
    }
    ctx.out.print(", length {}", length);
    return Flow::Ok;
}

}  // namespace synack::dump
