#include "tools/dump/icmpv6.hpp"

#include "wire/ip_protocol.hpp"
#include "wire/ipv6.hpp"

namespace synack::dump {
namespace {

std::string_view type_name(std::uint8_t type) {
    switch (type) {
        case 1: return "destination unreachable";
        case 2: return "packet too big";
        case 3: return "time exceeded";
        case 4: return "parameter problem";
        case 128: return "echo request";
        case 129: return "echo reply";
        case 130: return "multicast listener query";
        case 131: return "multicast listener report";
        case 132: return "multicast listener done";
        case 133: return "router solicitation";
        case 134: return "router advertisement";
        case 135: return "neighbor solicitation";
        case 136: return "neighbor advertisement";
        case 137: return "redirect";
        case 143: return "multicast listener report v2";
        default: return {};
    }
}

}  // namespace

Flow print_icmpv6(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    (void)ip;
    ctx.protocol = "icmp6";
    if (data.empty()) return ctx.truncated("icmp6");
    const std::uint8_t type = data[0];
    const std::string_view name = type_name(type);
    ctx.out.put("ICMP6, ");
    if (name.empty()) {
        ctx.out.print("unknown icmp6 type ({})", type);
    } else {
        ctx.out.put(name);
    }
    if (data.size() < 2) return ctx.truncated("icmp6");
    const std::uint8_t code = data[1];
    switch (type) {
        case 1: {
            if (data.size() < 8 + wire::Ipv6View::kHeaderLength) return ctx.truncated("icmp6");
            const std::uint8_t* q = data.data() + 8;
            const std::string_view dst = ctx.names.ipv6(q + 24);
            switch (code) {
                case 0: ctx.out.print(", unreachable route {}", dst); break;
                case 1: ctx.out.print(", unreachable prohibited {}", dst); break;
                case 2: ctx.out.print(", beyond scope {}", dst); break;
                case 3: ctx.out.print(", unreachable address {}", dst); break;
                case 4: {
                    const wire::Bytes inner = data.subspan(8 + wire::Ipv6View::kHeaderLength);
                    if (inner.size() < 4) return ctx.truncated("icmp6");
                    const std::uint16_t port = wire::load_be16(inner.data() + 2);
                    const std::uint8_t nh = q[6];
                    if (nh == wire::ip_protocol::kTcp) {
                        ctx.out.print(", unreachable port, {} tcp port {}", dst, ctx.names.tcp_port(port));
                    } else if (nh == wire::ip_protocol::kUdp) {
                        ctx.out.print(", unreachable port, {} udp port {}", dst, ctx.names.udp_port(port));
                    } else {
                        ctx.out.print(", unreachable port, {} protocol {} port {}", dst, nh, port);
                    }
                    break;
                }
                default: ctx.out.print(", unknown unreach code ({})", code); break;
            }
            break;
        }
        case 2:
            if (data.size() < 8) return ctx.truncated("icmp6");
            ctx.out.print(", mtu {}", wire::load_be32(data.data() + 4));
            break;
        case 3:
            if (code == 0) {
                if (data.size() < 8 + wire::Ipv6View::kHeaderLength) return ctx.truncated("icmp6");
                ctx.out.print(" in-transit for {}", ctx.names.ipv6(data.data() + 8 + 24));
            } else if (code == 1) {
                ctx.out.put(" reassembly");
            } else {
                ctx.out.print(", unknown code ({})", code);
            }
            break;
        case 4:
            if (data.size() < 8) return ctx.truncated("icmp6");
            ctx.out.print(", {}, pointer {}",
                          code == 0 ? "erroneous - length" : code == 1 ? "next header - type" : code == 2 ? "option - type" : "code-#",
                          wire::load_be32(data.data() + 4));
            break;
        case 128:
        case 129:
            if (data.size() < 8) return ctx.truncated("icmp6");
            ctx.out.print(", id {}, seq {}", wire::load_be16(data.data() + 4), wire::load_be16(data.data() + 6));
            break;
        case 135:
            if (data.size() < 24) return ctx.truncated("icmp6");
            ctx.out.print(", who has {}", ctx.names.ipv6(data.data() + 8));
            break;
        case 136:
            if (data.size() < 24) return ctx.truncated("icmp6");
            ctx.out.print(", tgt is {}", ctx.names.ipv6(data.data() + 8));
            break;
        case 143:
            if (data.size() < 8) return ctx.truncated("icmp6");
            ctx.out.print(", {} group record(s)", wire::load_be16(data.data() + 6));
            break;
        case 137:
            if (data.size() < 40) return ctx.truncated("icmp6");
            ctx.out.print(", {} to {}", ctx.names.ipv6(data.data() + 24), ctx.names.ipv6(data.data() + 8));
            break;
        default:
            break;
    }
    ctx.out.print(", length {}", length);
    return Flow::Ok;
}

}  // namespace synack::dump
