#include "tools/dump/ipv4.hpp"

#include "tools/dump/ip_demux.hpp"
#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv4_options.hpp"

namespace synack::dump {
namespace {

// tcpdump print-ip.c ip_finddst: with a loose or strict source route, the pseudo-header carries its last address.
const std::uint8_t* final_destination(const wire::Ipv4View& ip) {
    const std::uint8_t* dst = ip.header().data() + 16;
    wire::Ipv4OptionIterator it(ip.options());
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) break;
        if ((opt->type == wire::ipv4_option::kLooseSourceRoute || opt->type == wire::ipv4_option::kStrictSourceRoute) &&
            opt->length() >= 7) {
            return opt->data.data() + opt->data.size() - 4;
        }
    }
    return dst;
}

void print_flags(Output& out, std::uint16_t off) {
    // tcpdump print-ip.c ip_frag_values, in table order: MF "+", DF "DF", reserved "rsvd".
    bool any = false;
    auto item = [&](bool set, std::string_view text) {
        if (!set) return;
        if (any) out.put(", ");
        out.put(text);
        any = true;
    };
    item((off & 0x2000) != 0, "+");
    item((off & 0x4000) != 0, "DF");
    item((off & 0x8000) != 0, "rsvd");
    if (!any) out.put("none");
}

}  // namespace

Flow print_ipv4(Context& ctx, wire::Bytes bytes, std::uint32_t length) {
    ctx.protocol = "ip";
    if (bytes.empty()) return ctx.truncated("ip");
    const std::uint8_t version = bytes[0] >> 4;
    if (version != 4) {
        if (version == 6) {
            ctx.out.put("IP6, wrong link-layer encapsulation");
        } else {
            ctx.out.print("IP{}", version);
        }
        ctx.out.put(" (invalid)");
        return Flow::Ok;
    }
    if (!ctx.options.link_header) ctx.out.put("IP ");
    if (bytes.size() < wire::Ipv4View::kMinHeaderLength) return ctx.truncated("ip");
    if (length < wire::Ipv4View::kMinHeaderLength) {
        ctx.out.print("truncated-ip {}", length);
        return Flow::Ok;
    }
    // The fixed 20 bytes are present; the view needs the options too, so a header whose options the capture cut
    // short is read field by field here (tcpdump prints what it can of it).
    const std::uint8_t* h = bytes.data();
    const std::size_t hlen = std::size_t{h[0] & 0x0fu} * 4;
    if (hlen < wire::Ipv4View::kMinHeaderLength) {
        ctx.out.print("bad-hlen {}", hlen);
        return Flow::Ok;
    }
    std::uint32_t len = wire::load_be16(h + 2);
    if (length < len) ctx.out.print("truncated-ip - {} bytes missing! ", len - length);
    if (len < hlen) {
        ctx.out.print("bad-len {}", len);
        return Flow::Ok;
    }
    // Cut the captured bytes at the end of the datagram (tcpdump's snapend).
    if (bytes.size() > len) bytes = bytes.first(len);
    auto parsed = wire::Ipv4View::parse(bytes);  // fails only when the options are cut short
    const std::uint16_t off = wire::load_be16(h + 6);
    const std::uint8_t proto = h[9];
    const std::uint8_t ttl = h[8];

    if (ctx.options.verbose > 0) {
        const std::uint8_t tos = h[1];
        ctx.out.print("(tos 0x{:x}", tos);
        switch (tos & 0x03) {
            case 1: ctx.out.put(",ECT(1)"); break;
            case 2: ctx.out.put(",ECT(0)"); break;
            case 3: ctx.out.put(",CE"); break;
            default: break;
        }
        if (ttl >= 1) ctx.out.print(", ttl {}", ttl);
        ctx.out.print(", id {}, offset {}, flags [", wire::load_be16(h + 4), (off & 0x1fff) * 8);
        print_flags(ctx.out, off);
        const std::string_view name = ip_protocol_name(proto);
        ctx.out.print("], proto {} ({}), length {}", name.empty() ? "unknown" : name, proto, len);
        bool options_truncated = false;
        if (hlen > wire::Ipv4View::kMinHeaderLength) {
            ctx.out.put(", options (");
            const std::size_t present = bytes.size() < hlen ? bytes.size() : hlen;
            if (!print_ipv4_options(ctx, bytes.subspan(20, present - 20), hlen - 20)) {
                ctx.out.put(" [truncated-option]");
                options_truncated = true;
            }
            ctx.out.put(')');
        }
        if (parsed && !parsed->header_checksum_valid()) {
            const std::uint16_t sum = wire::load_be16(h + 10);
            const std::uint16_t computed = wire::internet_checksum(parsed->header());
            ctx.out.print(", bad cksum {:x} (->{:x})!", sum, checksum_should_be(sum, computed));
        }
        ctx.out.put(")\n    ");
        if (options_truncated) {
            ctx.out.put(ctx.names.ipv4(h + 12));
            ctx.out.put(" > ");
            ctx.out.put(ctx.names.ipv4(h + 16));
            ctx.out.put(": ");
            return ctx.truncated("ip");
        }
    }

    if ((off & 0x1fff) == 0) {
        if (proto != wire::ip_protocol::kTcp && proto != wire::ip_protocol::kUdp && proto != wire::ip_protocol::kSctp &&
            proto != 33 /* DCCP */) {
            ctx.out.put(ctx.names.ipv4(h + 12));
            ctx.out.put(" > ");
            ctx.out.put(ctx.names.ipv4(h + 16));
            ctx.out.put(": ");
        }
        if (!parsed) {
            ctx.out.print(" [remaining caplen({}) < header length({})]", bytes.size(), hlen);
            return ctx.truncated("ip");
        }
        IpInfo info;
        info.version = 4;
        info.source = h + 12;
        info.destination = h + 16;
        info.final_destination = hlen == 20 ? h + 16 : final_destination(*parsed);
        info.address_length = 4;
        info.header_protocol = proto;
        info.fragmented = (off & 0x3fff) != 0;
        info.ttl = ttl;
        return print_ip_payload(ctx, info, proto, parsed->payload(), len - static_cast<std::uint32_t>(hlen));
    }
    if (ctx.options.quiet > 1) return Flow::Ok;
    ctx.out.put(ctx.names.ipv4(h + 12));
    ctx.out.put(" > ");
    ctx.out.put(ctx.names.ipv4(h + 16));
    ctx.out.put(':');
    const std::string_view netdb = ctx.names.numeric() ? std::string_view{} : ip_protocol_netdb_name(proto);
    if (netdb.empty()) {
        ctx.out.print(" ip-proto-{}", proto);
    } else {
        ctx.out.put(' ');
        ctx.out.put(netdb);
    }
    return Flow::Ok;
}

// tcpdump ipproto.c ipproto_values, read back from tcpdump 4.99.3: `tcpdump -v` over one datagram of each protocol.
std::string_view ip_protocol_name(std::uint8_t protocol) {
    switch (protocol) {
        case 0: return "Options";
        case 1: return "ICMP";
        case 2: return "IGMP";
        case 4: return "IPIP";
        case 6: return "TCP";
        case 8: return "EGP";
        case 9: return "IGRP";
        case 17: return "UDP";
        case 33: return "DCCP";
        case 41: return "IPv6";
        case 43: return "Routing";
        case 44: return "Fragment";
        case 46: return "RSVP";
        case 47: return "GRE";
        case 50: return "ESP";
        case 51: return "AH";
        case 55: return "Mobile IP";
        case 58: return "ICMPv6";
        case 62: return "Mobile IP (old)";
        case 88: return "EIGRP";
        case 89: return "OSPF";
        case 103: return "PIM";
        case 108: return "Compressed IP";
        case 112: return "VRRP";
        case 113: return "PGM";
        case 132: return "SCTP";
        case 135: return "Mobility";
        case 143: return "Ethernet";
        default: return {};
    }
}

// tcpdump ipproto.c netdb_protoname, read back from tcpdump 4.99.3 (non-first fragments of each protocol).
std::string_view ip_protocol_netdb_name(std::uint8_t protocol) {
    static constexpr std::string_view kNames[256] = {
        "hopopt", "icmp", "igmp", "ggp", "ipencap", "st", "tcp", "cbt",
        "egp", "igp", "bbn-rcc-mon", "nvp-ii", "pup", "argus", "emcon", "xnet",
        "chaos", "udp", "mux", "dcn-meas", "hmp", "prm", "xns-idp", "trunk-1",
        "trunk-2", "leaf-1", "leaf-2", "rdp", "irtp", "iso-tp4", "netblt", "mfe-nsp",
        "merit-inp", "dccp", "3pc", "idpr", "xtp", "ddp", "idpr-cmtp", "tp++",
        "il", "ipv6", "sdrp", "ipv6-route", "ipv6-frag", "idrp", "rsvp", "gre",
        "dsr", "bna", "esp", "ah", "i-nlsp", "swipe", "narp", "mobile",
        "tlsp", "skip", "ipv6-icmp", "ipv6-nonxt", "ipv6-opts", "", "cftp", "",
        "sat-expak", "kryptolan", "rvd", "ippc", "", "sat-mon", "visa", "ipcv",
        "cpnx", "rspf", "wsn", "pvp", "br-sat-mon", "sun-nd", "wb-mon", "wb-expak",
        "iso-ip", "vmtp", "secure-vmtp", "vines", "ttp", "nsfnet-igp", "dgp", "tcf",
        "eigrp", "ospf", "sprite-rpc", "larp", "mtp", "ax.25", "ipip", "micp",
        "scc-sp", "etherip", "encap", "", "gmtp", "ifmp", "pnni", "pim",
        "aris", "scps", "qnx", "a/n", "ipcomp", "snp", "compaq-peer", "ipx-in-ip",
        "vrrp", "pgm", "", "l2tp", "ddx", "iatp", "stp", "srp",
        "uti", "smp", "sm", "ptp", "isis", "fire", "crtp", "crudp",
        "sscopmce", "iplt", "sps", "pipe", "sctp", "fc", "rsvp-e2e-ignore", "mobility-header",
        "udplite", "mpls-in-ip", "manet", "hip", "shim6", "wesp", "rohc", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
        "", "", "", "", "", "exptest-253", "exptest-254", "reserved",
    };
    return kNames[protocol];
}

}  // namespace synack::dump
