#include "tools/dump/ipv4.hpp"

#include <optional>

#include "tools/dump/ip_demux.hpp"
#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv4_options.hpp"

namespace synack::dump {
namespace {

constexpr std::uint8_t kDccp = 33;  // RFC 4340

// tcpdump print-ip.c ip_finddst: with a loose or strict source route, the pseudo-header carries its last address.
wire::Ipv4Address final_destination(const wire::Ipv4View& ip) {
    wire::Ipv4OptionIterator it(ip.options());
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt || opt->type == wire::ipv4_option::kEndOfList) break;
        if ((opt->type == wire::ipv4_option::kLooseSourceRoute || opt->type == wire::ipv4_option::kStrictSourceRoute) &&
            opt->length() >= 7) {
            return wire::Ipv4Address::from_bytes(opt->data.data() + opt->data.size() - 4);
        }
    }
    return ip.destination();
}

// tcpdump print-ip.c ip_frag_values through bittok2str, in table order: MF "+", DF "DF", reserved "rsvd".
void print_flags(Output& out, const wire::Ipv4View& ip) {
    bool any = false;
    auto item = [&](bool set, std::string_view text) {
        if (!set) return;
        if (any) out.put(", ");
        out.put(text);
        any = true;
    };
    item(ip.more_fragments(), "+");
    item(ip.dont_fragment(), "DF");
    item(ip.reserved_flag(), "rsvd");
    if (!any) out.put("none");
}

void print_addresses(Context& ctx, const wire::Ipv4View& ip) {
    ctx.out.put(ctx.names.ipv4(ip.source()));
    ctx.out.put(" > ");
    ctx.out.put(ctx.names.ipv4(ip.destination()));
}

// The -v parenthesis; a Flow when the line ends there (options cut short by the capture).
std::optional<Flow> print_verbose(Context& ctx, const wire::Ipv4View& ip) {
    ctx.out.print("(tos 0x{:x}", ip.tos());
    switch (ip.ecn()) {
        case 1: ctx.out.put(",ECT(1)"); break;
        case 2: ctx.out.put(",ECT(0)"); break;
        case 3: ctx.out.put(",CE"); break;
        default: break;
    }
    if (ip.ttl() >= 1) ctx.out.print(", ttl {}", ip.ttl());
    ctx.out.print(", id {}, offset {}, flags [", ip.identification(), ip.fragment_offset());
    print_flags(ctx.out, ip);
    const std::string_view name = ip_protocol_name(ip.protocol());
    ctx.out.print("], proto {} ({}), length {}", name.empty() ? "unknown" : name, ip.protocol(), ip.total_length());
    bool options_truncated = false;
    if (ip.header_length() > wire::Ipv4View::kMinHeaderLength) {
        ctx.out.put(", options (");
        // The walk may read past the options into the datagram (tcpdump's bounds are the capture's).
        const wire::Bytes from_options = ip.datagram().subspan(wire::Ipv4View::kMinHeaderLength);
        switch (print_ipv4_options(ctx, from_options, ip.header_length() - wire::Ipv4View::kMinHeaderLength)) {
            case Ipv4OptionsEnd::Done: break;
            case Ipv4OptionsEnd::Truncated:
                ctx.out.put(" [truncated-option]");
                options_truncated = true;
                break;
            case Ipv4OptionsEnd::Longjmp: return ctx.truncated("ip");
        }
        ctx.out.put(')');
    }
    if (!ip.options_truncated()) {
        if (const std::uint16_t computed = wire::internet_checksum(ip.header()); computed != 0) {
            ctx.out.print(", bad cksum {:x} (->{:x})!", ip.checksum(), checksum_should_be(ip.checksum(), computed));
        }
    }
    ctx.out.put(")\n    ");
    if (options_truncated) {
        print_addresses(ctx, ip);
        ctx.out.put(": ");
        return ctx.note_truncated("ip");
    }
    return std::nullopt;
}

// What print_ipv4 hands on to the transport printer.
struct Upper {
    IpInfo ip;
    std::uint8_t protocol = 0;
    wire::Bytes data;
    std::uint32_t length = 0;
};

// tcpdump print-ip.c ip_print up to ip_demux_print: the line's IP part, or the Flow that ends it. Kept apart from
// print_ipv4 so that datagrams nested in datagrams (IP in IP, ICMP errors quoting errors, each printed by a nested
// print_ipv4) hold none of its locals on the stack: tcpdump recurses there too, in small frames.
[[gnu::noinline]] std::optional<Flow> print_header(Context& ctx, wire::Bytes bytes, std::uint32_t length, Upper& up) {
    ctx.protocol = "ip";
    if (bytes.empty()) return ctx.truncated("ip");
    // The version is checked on the first byte alone, before the header is known to be there.
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
    auto parsed = wire::Ipv4View::parse_captured(bytes);
    if (!parsed && parsed.error() == wire::ParseError::Truncated) return ctx.note_truncated("ip");
    if (length < wire::Ipv4View::kMinHeaderLength) {
        ctx.out.print("truncated-ip {}", length);
        return Flow::Ok;
    }
    if (!parsed) {
        // The view refuses an IHL below 5 or a total length below the header; tcpdump prints the field it
        // refuses, so these two are read from the fixed header's bytes.
        const std::size_t hlen = std::size_t{bytes[0] & 0x0fu} * 4;
        const std::uint32_t total = wire::load_be16(bytes.data() + 2);
        if (parsed.error() == wire::ParseError::BadHeaderLength) {
            ctx.out.print("bad-hlen {}", hlen);
            return Flow::Ok;
        }
        if (length < total) ctx.out.print("truncated-ip - {} bytes missing! ", total - length);
        ctx.out.print("bad-len {}", total);
        return Flow::Ok;
    }
    const wire::Ipv4View& ip = *parsed;
    const std::uint32_t len = ip.total_length();
    if (length < len) ctx.out.print("truncated-ip - {} bytes missing! ", len - length);

    if (ctx.options.verbose > 0) {
        if (std::optional<Flow> end = print_verbose(ctx, ip)) return *end;
    }

    const std::uint8_t proto = ip.protocol();
    if (ip.fragment_offset() == 0) {
        if (proto != wire::ip_protocol::kTcp && proto != wire::ip_protocol::kUdp && proto != wire::ip_protocol::kSctp &&
            proto != kDccp) {
            print_addresses(ctx, ip);
            ctx.out.put(": ");
        }
        if (ip.options_truncated()) {
            ctx.out.print(" [remaining caplen({}) < header length({})]", ip.datagram().size(), ip.header_length());
            return ctx.truncated("ip");
        }
        up.ip = IpInfo::v4(ip.source(), ip.destination(),
                           ip.header_length() == wire::Ipv4View::kMinHeaderLength ? ip.destination()
                                                                                   : final_destination(ip));
        up.ip.header_protocol = proto;
        up.ip.fragmented = ip.more_fragments();
        up.ip.ttl = ip.ttl();
        up.protocol = proto;
        up.data = ip.payload();
        up.length = len - static_cast<std::uint32_t>(ip.header_length());
        return std::nullopt;
    }
    if (ctx.options.quiet > 1) return Flow::Ok;
    print_addresses(ctx, ip);
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

}  // namespace

// tcpdump print-ip.c ip_print.
Flow print_ipv4(Context& ctx, wire::Bytes bytes, std::uint32_t length) {
    Upper up;
    if (const std::optional<Flow> done = print_header(ctx, bytes, length, up)) return *done;
    return print_ip_payload(ctx, up.ip, up.protocol, up.data, up.length);
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
