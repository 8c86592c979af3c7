// ICMPv6 (tcpdump print-icmp6.c icmp6_print) at default verbosity: "ICMP6, echo request, id 5510, seq 1,
// length 64", "ICMP6, neighbor solicitation, who has fd77:1::1, length 32", "ICMP6, packet too big, mtu 1280,
// length 1240", the MLD messages, … The message is read through wire::Icmpv6View; the invoking packet an error
// quotes, which tcpdump reads at fixed offsets without checking it, and the MLD bodies through a FieldReader.
// With -v only the checksum is added (and the length moves for neighbour discovery); tcpdump's -v detail of
// ICMPv6 (ND options, MLDv2 records) is not printed.
#include "tools/dump/icmpv6.hpp"

#include "tools/dump/field_reader.hpp"
#include "tools/dump/hex_dump.hpp"
#include "tools/dump/ip_demux.hpp"
#include "wire/checksum.hpp"
#include "wire/icmpv6.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::dump {
namespace {

namespace type = wire::icmpv6_type;

constexpr std::uint8_t kRouterRenumbering = 138;
constexpr std::uint8_t kHomeAgentDiscoveryRequest = 144;  // RFC 6275 §6.5
constexpr std::uint8_t kHomeAgentDiscoveryReply = 145;
constexpr std::uint8_t kMobilePrefixSolicitation = 146;
constexpr std::uint8_t kMobilePrefixAdvertisement = 147;
constexpr std::size_t kMldLength = 24;    // RFC 2710 §3
constexpr std::size_t kMldv2Length = 28;  // RFC 3810 §5.1

// tcpdump print-icmp6.c icmp6_type_values (139 and 140 by their first name there).
std::string_view type_name(std::uint8_t t) {
    switch (t) {
        case type::kDestinationUnreachable: return "destination unreachable";
        case type::kPacketTooBig: return "packet too big";
        case type::kTimeExceeded: return "time exceeded in-transit";
        case type::kParameterProblem: return "parameter problem";
        case type::kEchoRequest: return "echo request";
        case type::kEchoReply: return "echo reply";
        case type::kMulticastListenerQuery: return "multicast listener query";
        case type::kMulticastListenerReport: return "multicast listener report";
        case type::kMulticastListenerDone: return "multicast listener done";
        case type::kRouterSolicitation: return "router solicitation";
        case type::kRouterAdvertisement: return "router advertisement";
        case type::kNeighborSolicitation: return "neighbor solicitation";
        case type::kNeighborAdvertisement: return "neighbor advertisement";
        case type::kRedirect: return "redirect";
        case kRouterRenumbering: return "router renumbering";
        case 139: return "who-are-you request";
        case 140: return "who-are-you reply";
        case 141: return "inverse neighbor solicitation";
        case 142: return "inverse neighbor advertisement";
        case type::kMulticastListenerReportV2: return "multicast listener report v2";
        case kHomeAgentDiscoveryRequest: return "ha discovery request";
        case kHomeAgentDiscoveryReply: return "ha discovery reply";
        case kMobilePrefixSolicitation: return "mobile router solicitation";
        case kMobilePrefixAdvertisement: return "mobile router advertisement";
        case 155: return "RPL";
        case 200: return "mtrace response";
        case 201: return "mtrace message";
        default: return {};
    }
}

// tcpdump print-icmp6.c icmp6_dst_unreach_code_values (code 1's leading space included).
std::string_view unreachable_name(std::uint8_t code) {
    switch (code) {
        case wire::icmpv6_unreachable::kNoRoute: return "unreachable route";
        case wire::icmpv6_unreachable::kAdminProhibited: return " unreachable prohibited";
        case wire::icmpv6_unreachable::kBeyondScope: return "beyond scope";
        case wire::icmpv6_unreachable::kAddress: return "unreachable address";
        case wire::icmpv6_unreachable::kPort: return "unreachable port";
        default: return {};
    }
}

// tcpdump print-icmp6.c get_upperlayer: the protocol and offset of the transport header in a quoted packet,
// past hop-by-hop, destination options, routing, first-fragment and authentication headers; false if the walk
// leaves the capture or meets anything else.
bool quoted_upper_layer(FieldReader q, std::uint8_t& protocol, std::size_t& offset) {
    if (!q.has(6)) return false;
    std::uint8_t nh = q.u8(6);
    std::size_t at = 0;
    std::size_t hlen = 40;
    while (at < q.size()) {
        at += hlen;
        switch (nh) {
            case wire::ip_protocol::kUdp:
            case wire::ip_protocol::kTcp:
                if (!q.has(at + 2, 2)) return false;
                protocol = nh;
                offset = at;
                return true;
            case wire::ip_protocol::kHopByHop:
            case wire::ip_protocol::kDestinationOptions:
            case wire::ip_protocol::kRouting:
                if (!q.has(at + 1)) return false;
                nh = q.u8(at);
                hlen = (q.u8(at + 1) + 1u) * 8;
                break;
            case wire::ip_protocol::kFragment:
                if (!q.has(at + 2, 2) || (q.be16(at + 2) & 0xfff8) != 0) return false;
                nh = q.u8(at);
                hlen = 8;
                break;
            case wire::ip_protocol::kAh:
                if (!q.has(at + 1)) return false;
                nh = q.u8(at);
                hlen = (q.u8(at + 1) + 2u) * 4;
                break;
            default:
                return false;
        }
    }
    return false;
}

// print-icmp6.c mld6_print: nothing unless the 24-byte MLD message was captured (and no separator before it).
void print_mld(Context& ctx, FieldReader m) {
    if (!m.has(0, kMldLength)) return;
    ctx.out.print("max resp delay: {} addr: {}", m.be16(4), ctx.names.ipv6(m.at(8)));
}

// print-icmp6.c mldv2_query_print at default verbosity.
Flow print_mldv2_query(Context& ctx, FieldReader m, std::uint32_t length) {
    if (length < kMldv2Length) {
        ctx.out.print(" [invalid len {}]", length);
        return Flow::Ok;
    }
    if (!m.has(4, 2)) return ctx.truncated("icmp6");
    std::uint32_t mrt = m.be16(4);  // RFC 3810 §5.1.3: the maximum response code, in milliseconds
    if (mrt >= 32768) mrt = ((mrt & 0x0fff) | 0x1000) << (((mrt & 0x7000) >> 12) + 3);
    if (ctx.options.verbose > 0) ctx.out.print(" [max resp delay={}]", mrt);
    if (!m.has(8, 16)) return ctx.truncated("icmp6");
    ctx.out.print(" [gaddr {}", ctx.names.ipv6(m.at(8)));
    if (ctx.options.verbose > 0) {
        if (!m.has(25)) return ctx.truncated("icmp6");
        if ((m.u8(24) & 0x08) != 0) ctx.out.put(" sflag");
        if ((m.u8(24) & 0x07) != 0) ctx.out.print(" robustness={}", m.u8(24) & 0x07);
        std::uint32_t qqi = m.u8(25);
        if (qqi >= 128) qqi = ((qqi & 0x0f) | 0x10) << (((qqi & 0x70) >> 4) + 3);
        ctx.out.print(" qqi={}", qqi);
    }
    if (!m.has(26, 2)) return ctx.truncated("icmp6");
    const std::uint32_t sources = m.be16(26);
    if (sources > 0) {
        if (length < kMldv2Length + sources * 16) {
            ctx.out.put(" [invalid number of sources]");
        } else if (ctx.options.verbose > 1) {
            ctx.out.put(" {");
            for (std::uint32_t i = 0; i < sources; ++i) {
                if (!m.has(28 + 16 * std::size_t{i}, 16)) return ctx.truncated("icmp6");
                ctx.out.print(" {}", ctx.names.ipv6(m.at(28 + 16 * std::size_t{i})));
            }
            ctx.out.put(" }");
        } else {
            ctx.out.print(", {} source(s)", sources);
        }
    }
    ctx.out.put(']');
    return Flow::Ok;
}

// The text after the type name; Flow::Truncated when a field was not captured. `done` is set when tcpdump
// returns before the trailing ", length N".
Flow print_body(Context& ctx, const wire::Icmpv6View& icmp, std::uint32_t length, bool& done) {
    const FieldReader q(icmp.payload());  // the quoted packet of an error
    const std::uint8_t code = icmp.code();
    switch (icmp.type()) {
        case type::kDestinationUnreachable: {
            const std::string_view name = unreachable_name(code);
            if (name.empty()) {
                ctx.out.print(", unknown unreach code ({})", code);
            } else {
                ctx.out.print(", {}", name);
            }
            switch (code) {
                case wire::icmpv6_unreachable::kNoRoute:
                case wire::icmpv6_unreachable::kAdminProhibited:
                case wire::icmpv6_unreachable::kAddress:
                    if (!q.has(24, 16)) return ctx.truncated("icmp6");
                    ctx.out.print(" {}", ctx.names.ipv6(q.at(24)));
                    break;
                case wire::icmpv6_unreachable::kBeyondScope:
                    if (!q.has(8, 32)) return ctx.truncated("icmp6");
                    ctx.out.print(" {}, source address {}", ctx.names.ipv6(q.at(24)), ctx.names.ipv6(q.at(8)));
                    break;
                case wire::icmpv6_unreachable::kPort: {
                    std::uint8_t proto = 0;
                    std::size_t at = 0;
                    if (!quoted_upper_layer(q, proto, at)) {
                        done = true;
                        return ctx.note_truncated("icmp6");
                    }
                    const std::uint16_t port = q.be16(at + 2);
                    if (!q.has(24, 16)) return ctx.truncated("icmp6");
                    const std::string_view dst = ctx.names.ipv6(q.at(24));
                    if (proto == wire::ip_protocol::kTcp) {
                        ctx.out.print(", {} tcp port {}", dst, ctx.names.tcp_port(port));
                    } else {
                        ctx.out.print(", {} udp port {}", dst, ctx.names.udp_port(port));
                    }
                    break;
                }
                default:
                    if (ctx.options.verbose <= 1) {
                        // print_unknown_data: the whole message in hex, as far as captured; no length after it.
                        const wire::Bytes all = icmp.bytes();
                        hex_dump(ctx.out, all.first(length < all.size() ? length : all.size()));
                        done = true;
                    }
                    break;
            }
            return Flow::Ok;
        }
        case type::kPacketTooBig:
            if (icmp.header_truncated()) return ctx.truncated("icmp6");
            ctx.out.print(", mtu {}", icmp.mtu());
            return Flow::Ok;
        case type::kTimeExceeded:
            if (code == wire::icmpv6_time_exceeded::kHopLimit) {
                if (!q.has(24, 16)) return ctx.truncated("icmp6");
                ctx.out.print(" for {}", ctx.names.ipv6(q.at(24)));
            } else if (code == wire::icmpv6_time_exceeded::kReassembly) {
                ctx.out.put(" (reassembly)");
            } else {
                ctx.out.print(", unknown code ({})", code);
            }
            return Flow::Ok;
        case type::kParameterProblem:
            if (!q.has(24, 16)) {  // ND_TCHECK_16(oip->ip6_dst)
                done = true;
                return ctx.note_truncated("icmp6");
            }
            switch (code) {
                case wire::icmpv6_parameter_problem::kErroneousHeader:
                    ctx.out.print(", erroneous - octet {}", icmp.pointer());
                    break;
                case wire::icmpv6_parameter_problem::kUnrecognizedNextHeader:
                    ctx.out.print(", next header - octet {}", icmp.pointer());
                    break;
                case wire::icmpv6_parameter_problem::kUnrecognizedOption:
                    ctx.out.print(", option - octet {}", icmp.pointer());
                    break;
                case 3:  // RFC 7112
                    ctx.out.print(", incomplete header chain - octet {}", icmp.pointer());
                    break;
                default: ctx.out.print(", code-#{}", code); break;
            }
            return Flow::Ok;
        case type::kEchoRequest:
        case type::kEchoReply:
            if (icmp.header_truncated()) return ctx.truncated("icmp6");
            ctx.out.print(", id {}, seq {}", icmp.identifier(), icmp.sequence());
            return Flow::Ok;
        case type::kMulticastListenerQuery:
            if (length == kMldLength) {
                print_mld(ctx, FieldReader(icmp.bytes()));
            } else if (length >= kMldv2Length) {
                ctx.out.put(" v2");
                return print_mldv2_query(ctx, FieldReader(icmp.bytes()), length);
            } else {
                ctx.out.print(" unknown-version (len {}) ", length);
            }
            return Flow::Ok;
        case type::kMulticastListenerReport:
        case type::kMulticastListenerDone:
            print_mld(ctx, FieldReader(icmp.bytes()));
            return Flow::Ok;
        case type::kNeighborSolicitation:
            if (icmp.header_truncated()) return ctx.truncated("icmp6");
            ctx.out.print(", who has {}", ctx.names.ipv6(icmp.target()));
            return Flow::Ok;
        case type::kNeighborAdvertisement:
            if (icmp.header_truncated()) return ctx.truncated("icmp6");
            ctx.out.print(", tgt is {}", ctx.names.ipv6(icmp.target()));
            return Flow::Ok;
        case type::kRedirect:
            if (icmp.header_truncated()) return ctx.truncated("icmp6");
            ctx.out.print(", {} to {}", ctx.names.ipv6(icmp.redirect_destination()), ctx.names.ipv6(icmp.target()));
            return Flow::Ok;
        case type::kMulticastListenerReportV2:
            if (length < 8) {
                ctx.out.print(" [invalid len {}]", length);
                return Flow::Ok;
            }
            if (icmp.header_truncated()) return ctx.truncated("icmp6");
            ctx.out.print(", {} group record(s)", icmp.rest_of_header() & 0xffff);  // RFC 3810 §5.2
            return Flow::Ok;
        case kHomeAgentDiscoveryRequest:
        case kMobilePrefixSolicitation:
            if (icmp.header_truncated()) return ctx.truncated("icmp6");
            ctx.out.print(", id 0x{:04x}", icmp.identifier());
            return Flow::Ok;
        case type::kRouterSolicitation:
        case type::kRouterAdvertisement:
        case 141:
        case 142:
        case kHomeAgentDiscoveryReply:
        case kMobilePrefixAdvertisement:
            return Flow::Ok;  // their detail is -v only
        default:
            ctx.out.print(", length {}", length);
            if (ctx.options.verbose <= 1) {
                const wire::Bytes all = icmp.bytes();
                hex_dump(ctx.out, all.first(length < all.size() ? length : all.size()));
            }
            done = true;
            return Flow::Ok;
    }
}

}  // namespace

Flow print_icmpv6(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    ctx.protocol = "icmp6";
    if (length == 0) {
        ctx.out.put("ICMP6, length 0 (invalid)");
        return Flow::Ok;
    }
    auto parsed = wire::Icmpv6View::parse_captured(data);
    if (ctx.options.verbose > 0 && !ip.fragmented && data.size() >= length) {
        if (!parsed || parsed->header().size() < 4) return ctx.truncated("icmp6");  // the checksum field
        // RFC 4443 §2.3: over the IPv6 pseudo-header.
        wire::InternetChecksum sum;
        wire::add_pseudo_header_v6(sum, ip.source_v6(), ip.final_destination_v6(), wire::ip_protocol::kIcmpv6,
                                   length);
        sum.add(data.first(length));
        const std::uint16_t computed = sum.finish();
        const std::uint16_t field = parsed->checksum();
        if (computed != 0) {
            ctx.out.print("[bad icmp6 cksum 0x{:04x} -> 0x{:04x}!] ", field, checksum_should_be(field, computed));
        } else {
            ctx.out.put("[icmp6 sum ok] ");
        }
    }
    if (data.empty()) return ctx.truncated("icmp6");
    // Named from its first byte: tcpdump shows the name even when the code byte (which the view needs) is missing.
    const std::uint8_t t = data[0];
    const std::string_view name = type_name(t);
    if (name.empty()) {
        ctx.out.print("ICMP6, unknown icmp6 type ({})", t);
    } else {
        ctx.out.print("ICMP6, {}", name);
    }
    const bool nd = t == type::kRouterSolicitation || t == type::kRouterAdvertisement ||
                    t == type::kNeighborAdvertisement || t == type::kNeighborSolicitation || t == type::kRedirect ||
                    t == kHomeAgentDiscoveryReply || t == kMobilePrefixAdvertisement;
    if (ctx.options.verbose > 0 && nd) ctx.out.print(", length {}", length);
    if (!parsed) return ctx.truncated("icmp6");
    bool done = false;
    if (print_body(ctx, *parsed, length, done) == Flow::Truncated) return Flow::Truncated;
    if (!done && ctx.options.verbose == 0) ctx.out.print(", length {}", length);
    return Flow::Ok;
}

}  // namespace synack::dump
