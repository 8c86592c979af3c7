// IPv6 (tcpdump print-ip6.c ip6_print) and its extension headers: hop-by-hop and destination options
// (print-ip6opts.c), fragment (print-frag6.c) and routing (print-rt6.c). tcpdump prints these field by field and
// tolerates malformed ones, so they are read with a FieldReader; the fixed header goes through wire::Ipv6View.
#include "tools/dump/ipv6.hpp"

#include <optional>

#include "tools/dump/field_reader.hpp"
#include "tools/dump/ip_demux.hpp"
#include "tools/dump/ipv4.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv6.hpp"
#include "wire/ipv6_extensions.hpp"

namespace synack::dump {
namespace {

namespace proto = wire::ip_protocol;
constexpr std::uint8_t kDccp = 33;  // RFC 4340

// An extension header printer's result: how far to advance, a negative value meaning "stop here" (tcpdump's
// -1); std::nullopt when it ran out of captured bytes mid-field (the packet line ends with " [|proto]").
using Advance = std::optional<long>;

// tcpdump print-ip6opts.c ip6_sopt_print: the sub-options of a home address option.
bool print_sub_options(Context& ctx, FieldReader r, std::size_t start, std::size_t len) {
    std::size_t optlen = 0;
    for (std::size_t i = 0; i < len; i += optlen) {
        const std::uint8_t type = r.u8(start + i);
        if (type == wire::ipv6_option::kPad1) {
            optlen = 1;
        } else if (i + 1 < len) {
            optlen = r.u8(start + i + 1) + 2u;
        } else {
            return false;
        }
        if (i + optlen > len) return false;
        if (type == wire::ipv6_option::kPad1) {
            ctx.out.put(", pad1");
        } else if (type == wire::ipv6_option::kPadN) {
            ctx.out.put(", padn");
        } else {
            ctx.out.print(", sopt_type 0x{:02x}: len={}", type, r.u8(start + i + 1));
        }
    }
    return true;
}

// tcpdump print-ip6opts.c ip6_opt_process over the options of a hop-by-hop (`payload_len` given: a Jumbo Payload
// option may replace a zero payload length) or destination options header. False where tcpdump gives up ("trunc").
bool print_options(Context& ctx, wire::Bytes options, bool* found_jumbo, std::uint32_t* payload_len) {
    if (options.empty()) return true;
    const FieldReader r(options);
    const std::size_t len = options.size();
    const bool v = ctx.options.verbose > 0;
    bool seen_jumbo = false;
    wire::Ipv6OptionIterator it(options);
    while (!it.at_end()) {
        const std::size_t i = it.offset();
        auto opt = it.next();
        if (!opt) return false;  // its length octet is missing or it runs past the header
        const std::size_t left = len - i;
        switch (opt->type) {
            case wire::ipv6_option::kPad1:
                if (v) ctx.out.put("(pad1)");
                break;
            case wire::ipv6_option::kPadN:
                if (v) ctx.out.put("(padn)");
                break;
            case wire::ipv6_option::kRouterAlert: {
                if (left < 4) {
                    ctx.out.put("(rtalert: trunc)");
                    return false;
                }
                auto value = opt->as_router_alert();
                if (!value) {
                    ctx.out.print("(rtalert: invalid len {})", opt->data.size());
                    return false;
                }
                if (v) ctx.out.print("(rtalert: 0x{:04x}) ", *value);
                break;
            }
            case wire::ipv6_option::kJumboPayload: {
                if (left < 6) {
                    ctx.out.put("(jumbo: trunc)");
                    return false;
                }
                auto value = opt->as_jumbo_payload();
                if (!value) {
                    ctx.out.print("(jumbo: invalid len {})", opt->data.size());
                    return false;
                }
                const std::uint32_t jumbo = *value;
                if (seen_jumbo) {
                    if (v) ctx.out.print("(jumbo: {} - already seen) ", jumbo);
                    break;
                }
                seen_jumbo = true;
                if (payload_len == nullptr) {
                    if (v) ctx.out.print("(jumbo: {} - not a hop-by-hop option) ", jumbo);
                } else if (*payload_len != 0) {
                    if (v) ctx.out.print("(jumbo: {} - payload len != 0) ", jumbo);
                } else if (jumbo < 65536) {  // RFC 2675 §2
                    if (v) ctx.out.print("(jumbo: {} - < 65536) ", jumbo);
                } else {
                    *found_jumbo = true;
                    *payload_len = jumbo;
                    if (v) ctx.out.print("(jumbo: {}) ", jumbo);
                }
                break;
            }
            case wire::ipv6_option::kHomeAddress: {  // RFC 6275 §6.3
                if (left < 18) {
                    ctx.out.put("(homeaddr: trunc)");
                    return false;
                }
                if (opt->data.size() < 16) {
                    ctx.out.print("(homeaddr: invalid len {})", opt->data.size());
                    return false;
                }
                if (v) {
                    ctx.out.print("(homeaddr: {}", ctx.names.ipv6(opt->data.data()));
                    if (opt->data.size() > 16 && !print_sub_options(ctx, r, i + 18, opt->length() - 18)) return false;
                    ctx.out.put(')');
                }
                break;
            }
            default:
                if (v) ctx.out.print("(opt_type 0x{:02x}: len={})", opt->type, opt->data.size());
                break;
        }
    }
    if (v) ctx.out.put(' ');
    return true;
}

// tcpdump print-ip6opts.c hbhopt_process / dstopt_process.
Advance print_options_header(Context& ctx, FieldReader r, bool hop_by_hop, bool* found_jumbo,
                             std::uint32_t* payload_len) {
    ctx.protocol = hop_by_hop ? "hbhopt" : "dstopt";
    if (!r.has(1)) return std::nullopt;
    const std::size_t length = (r.u8(1) + 1u) * 8;
    if (!r.has(0, length)) {
        (void)ctx.note_truncated(ctx.protocol);
        return -1;
    }
    ctx.out.put(hop_by_hop ? "HBH " : "DSTOPT ");
    // tcpdump walks destination options only with -v (a hop-by-hop header always, for the jumbo option).
    if (hop_by_hop || ctx.options.verbose > 0) {
        if (!print_options(ctx, r.bytes().subspan(2, length - 2), found_jumbo, payload_len)) {
            (void)ctx.note_truncated(ctx.protocol);
            return -1;
        }
    }
    return static_cast<long>(length);
}

// tcpdump print-frag6.c frag6_print. `offset` is the header's offset from the IPv6 header.
Advance print_fragment(Context& ctx, FieldReader r, std::size_t offset, std::uint16_t ip_payload_length) {
    ctx.protocol = "frag6";
    // sizeof(ip6_hdr) + plen - offset - sizeof(ip6_frag), printed as a size_t.
    const std::uint64_t size = 40 + std::uint64_t{ip_payload_length} - offset - 8;
    if (ctx.options.verbose > 0) {
        if (!r.has(4, 4)) return std::nullopt;
        const std::uint32_t id = r.be32(4);
        if (!r.has(2, 2)) return std::nullopt;
        ctx.out.print("frag (0x{:08x}:{}|{})", id, r.be16(2) & 0xfff8, size);
    } else {
        if (!r.has(2, 2)) return std::nullopt;
        ctx.out.print("frag ({}|{})", r.be16(2) & 0xfff8, size);
    }
    if ((r.be16(2) & 0xfff8) != 0) return -1;  // a later fragment: nothing more to decode
    ctx.out.put(' ');
    return 8;
}

// tcpdump print-rt6.c rt6_print. The last address of a type 0 or 2 header, or the first segment of a type 4
// one, is the final destination; only the first routing header counts (print-ip6.c ip6_finddst).
Advance print_routing(Context& ctx, FieldReader r, bool final_destination_set, wire::Ipv6Address& final_destination) {
    ctx.protocol = "rt6";
    ctx.out.put("RT6");
    if (!r.has(1)) return std::nullopt;
    std::uint32_t len = r.u8(1);
    ctx.out.print(" (len={}", len);
    if (!r.has(2)) return std::nullopt;
    const std::uint8_t type = r.u8(2);
    ctx.out.print(", type={}", type);
    if (type == wire::ipv6_routing_type::kSourceRoute) ctx.out.put(" [Deprecated]");
    if (!r.has(3)) return std::nullopt;
    ctx.out.print(", segleft={}", r.u8(3));
    switch (type) {
        case wire::ipv6_routing_type::kSourceRoute:
        case wire::ipv6_routing_type::kMobileIpv6:
            if (!r.has(4, 4)) return std::nullopt;
            if (r.be32(4) != 0 || ctx.options.verbose > 0) ctx.out.print(", rsv=0x{:x}", r.be32(4));
            break;
        case wire::ipv6_routing_type::kSegmentRouting:
            if (!r.has(4)) return std::nullopt;
            ctx.out.print(", last-entry={}", r.u8(4));
            if (!r.has(5)) return std::nullopt;
            if (r.u8(5) != 0 || ctx.options.verbose > 0) ctx.out.print(", flags=0x{:x}", r.u8(5));
            if (!r.has(6, 2)) return std::nullopt;
            ctx.out.print(", tag={:x}", r.be16(6));
            break;
        default:
            ctx.out.put(" (unknown type) (invalid)");
            return -1;
    }
    if (len % 2 == 1) {
        ctx.out.print(" (invalid length {}) (invalid)", len);
        return -1;
    }
    len >>= 1;
    for (std::uint32_t i = 0; i < len; ++i) {
        const std::size_t at = 8 + 16 * std::size_t{i};
        if (!r.has(at, 16)) return std::nullopt;
        ctx.out.print(", [{}]", i);
        ctx.out.put(ctx.names.ipv6(r.at(at)));
        if (!final_destination_set && (type != wire::ipv6_routing_type::kSegmentRouting || i == 0)) {
            final_destination = wire::Ipv6Address::from_bytes(r.at(at));
        }
    }
    ctx.out.put(") ");
    return static_cast<long>((r.u8(1) + 1u) * 8);
}

void print_verbose(Context& ctx, const wire::Ipv6View& ip6) {
    ctx.out.put('(');
    if (ip6.traffic_class() != 0) ctx.out.print("class 0x{:02x}, ", ip6.traffic_class());
    if (ip6.flow_label() != 0) ctx.out.print("flowlabel 0x{:05x}, ", ip6.flow_label());
    const std::string_view name = ip_protocol_name(ip6.next_header());
    ctx.out.print("hlim {}, next-header {} ({}) payload length: {}) ", ip6.hop_limit(), name.empty() ? "unknown" : name,
                  ip6.next_header(), ip6.payload_length());
}

}  // namespace

Flow print_ipv6(Context& ctx, wire::Bytes bytes, std::uint32_t length) {
    ctx.protocol = "ip6";
    auto parsed = wire::Ipv6View::parse_captured(bytes);
    if (!parsed && parsed.error() == wire::ParseError::Truncated) return ctx.note_truncated("ip6");
    if (length < wire::Ipv6View::kHeaderLength) {
        ctx.out.print("truncated-ip6 {}", length);
        return Flow::Ok;
    }
    if (!ctx.options.link_header) ctx.out.put("IP6 ");
    if (!parsed) {
        ctx.out.print("version error: {} != 6", bytes[0] >> 4);  // the field the view refuses
        return Flow::Ok;
    }
    const wire::Ipv6View& ip6 = *parsed;
    // RFC 2675: a payload length of 0 stands for a jumbo length in a hop-by-hop option, which the walk below
    // looks for; until then the datagram runs to the end of the frame.
    std::uint32_t payload_len = ip6.payload_length();
    std::uint32_t len = 0;  // what is left of the datagram by its header, from the current header on
    if (payload_len != 0) {
        len = payload_len + 40;
        if (length < len) ctx.out.print("truncated-ip6 - {} bytes missing!", len - length);
    } else {
        len = length + 40;
    }
    std::uint8_t nh = ip6.next_header();
    if (ctx.options.verbose > 0) print_verbose(ctx, ip6);
    // Cut the capture at the end of the datagram (tcpdump nd_push_snaplen).
    if (bytes.size() > len) bytes = bytes.first(len);

    IpInfo info = IpInfo::v6(ip6.source(), ip6.destination(), ip6.destination());
    info.header_protocol = ip6.next_header();
    info.ttl = ip6.hop_limit();
    wire::Ipv6Address final_destination = ip6.destination();

    std::size_t at = 0;  // tcpdump's cp, from the IPv6 header
    long advance = static_cast<long>(wire::Ipv6View::kHeaderLength);
    std::uint32_t total_advance = 0;
    bool found_extension = false;
    bool found_jumbo = false;
    bool found_hbh = false;
    bool first_header = true;
    bool found_routing = false;
    while (at < bytes.size() && advance > 0) {
        if (len < static_cast<std::uint32_t>(advance)) return ctx.note_truncated(ctx.protocol);
        at += static_cast<std::size_t>(advance);
        len -= static_cast<std::uint32_t>(advance);
        total_advance += static_cast<std::uint32_t>(advance);
        if (at == wire::Ipv6View::kHeaderLength && nh != proto::kTcp && nh != proto::kUdp && nh != kDccp &&
            nh != proto::kSctp) {
            ctx.out.put(ctx.names.ipv6(ip6.source()));
            ctx.out.put(" > ");
            ctx.out.put(ctx.names.ipv6(ip6.destination()));
            ctx.out.put(": ");
        }
        const FieldReader r(bytes.subspan(at < bytes.size() ? at : bytes.size()));
        Advance step;
        switch (nh) {
            case proto::kHopByHop:
                // RFC 8200 §4.1: once, and first.
                if (found_hbh) {
                    ctx.out.put("[The Hop-by-Hop Options header was already found] (invalid)");
                    return Flow::Ok;
                }
                if (!first_header) {
                    ctx.out.put("[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)");
                    return Flow::Ok;
                }
                step = print_options_header(ctx, r, true, &found_jumbo, &payload_len);
                if (!step) return ctx.truncated(ctx.protocol);
                if (payload_len == 0 && !found_jumbo) {
                    ctx.out.put("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
                    return Flow::Ok;
                }
                found_hbh = true;
                break;
            case proto::kDestinationOptions:
                step = print_options_header(ctx, r, false, nullptr, nullptr);
                if (!step) return ctx.truncated(ctx.protocol);
                break;
            case proto::kFragment:
                step = print_fragment(ctx, r, at, ip6.payload_length());
                if (!step) return ctx.truncated(ctx.protocol);
                if (*step < 0 || bytes.size() <= at + static_cast<std::size_t>(*step)) return Flow::Ok;
                info.fragmented = true;
                break;
            case proto::kRouting:
                if (!r.has(0)) return ctx.note_truncated(ctx.protocol);
                step = print_routing(ctx, r, found_routing, final_destination);
                found_routing = true;
                if (!step) return ctx.truncated(ctx.protocol);
                break;
            default: {
                if (found_jumbo) {
                    len = payload_len + 40;
                    if (len < total_advance) return ctx.note_truncated(ctx.protocol);
                    if (length < len) ctx.out.print("truncated-ip6 - {} bytes missing!", len - length);
                    len -= total_advance;
                } else if (payload_len == 0) {
                    // No payload to hold an extension header: the packet is cut short.
                    if (found_extension) return ctx.note_truncated(ctx.protocol);
                    len = 40 - total_advance;
                }
                // nd_change_snaplen: the capture ends at the (new) datagram length.
                const std::size_t end = std::size_t{len} + total_advance;
                const wire::Bytes upper = bytes.subspan(at, (end < bytes.size() ? end : bytes.size()) - at);
                info.final_destination = {};
                final_destination.write(info.final_destination.data());
                return print_ip_payload(ctx, info, nh, upper, len);
            }
        }
        if (*step < 0) return Flow::Ok;
        advance = *step;
        found_extension = true;
        first_header = false;
        nh = r.u8(0);
        ctx.protocol = "ip6";
    }
    return Flow::Ok;
}

}  // namespace synack::dump
