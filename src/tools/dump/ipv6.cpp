#include "tools/dump/ipv6.hpp"

#include "tools/dump/ip_demux.hpp"
#include "tools/dump/ipv4.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv6.hpp"
#include "wire/ipv6_extensions.hpp"

namespace synack::dump {
namespace {

namespace proto = wire::ip_protocol;

// tcpdump print-ip6opt.c ip6_opt_process at -v: "(padn)", "(rtalert: 0x0000) ", …
bool print_tlv_options(Context& ctx, wire::Bytes header) {
    wire::Ipv6OptionIterator it = wire::Ipv6OptionIterator::over_header(header);
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) {
            ctx.out.put("[trunc]");
            return false;
        }
        switch (opt->type) {
            case wire::ipv6_option::kPad1: ctx.out.put("(pad1)"); break;
            case wire::ipv6_option::kPadN: ctx.out.put("(padn)"); break;
            case wire::ipv6_option::kRouterAlert:
                if (auto v = opt->as_router_alert()) {
                    ctx.out.print("(rtalert: 0x{:04x}) ", *v);
                } else {
                    ctx.out.print("(rtalert: invalid len {})", opt->data.size());
                }
                break;
            case wire::ipv6_option::kJumboPayload:
                if (auto v = opt->as_jumbo_payload()) {
                    ctx.out.print("(jumbo: {}) ", *v);
                } else {
                    ctx.out.print("(jumbo: invalid len {})", opt->data.size());
                }
                break;
            default:
                ctx.out.print("(opt_type 0x{:02x}: len={})", opt->type, opt->data.size());
                break;
        }
    }
    return true;
}

}  // namespace

Flow print_ipv6(Context& ctx, wire::Bytes bytes, std::uint32_t length) {
    ctx.protocol = "ip6";
    if (bytes.size() < wire::Ipv6View::kHeaderLength) return ctx.truncated("ip6");
    if (length < wire::Ipv6View::kHeaderLength) {
        ctx.out.print("truncated-ip6 {}", length);
        return Flow::Ok;
    }
    if (!ctx.options.link_header) ctx.out.put("IP6 ");
    auto parsed = wire::Ipv6View::parse(bytes);
    if (!parsed) {
        ctx.out.print("version error: {} != 6", bytes[0] >> 4);
        return Flow::Ok;
    }
    const wire::Ipv6View& ip6 = *parsed;
    const std::uint32_t payload_len = ip6.payload_length();
    std::uint32_t len = 0;  // what is left of the datagram by its header, from the current header on
    if (payload_len != 0) {
        len = payload_len + 40;
        if (length < len) ctx.out.print("truncated-ip6 - {} bytes missing!", len - length);
    } else {
        len = length + 40;
    }
    std::uint8_t nh = ip6.next_header();
    if (ctx.options.verbose > 0) {
        const std::uint32_t flow = wire::load_be32(ip6.header().data());
        ctx.out.put('(');
        if ((flow & 0x0ff00000) != 0) ctx.out.print("class 0x{:02x}, ", (flow & 0x0ff00000) >> 20);
        if ((flow & 0x000fffff) != 0) ctx.out.print("flowlabel 0x{:05x}, ", flow & 0x000fffff);
        const std::string_view name = ip_protocol_name(nh);
        ctx.out.print("hlim {}, next-header {} ({}) payload length: {}) ", ip6.hop_limit(),
                      name.empty() ? "unknown" : name, nh, payload_len);
    }
    // Cut the capture at the end of the datagram (tcpdump nd_push_snaplen).
    if (bytes.size() > len) bytes = bytes.first(len);

    const std::uint8_t* h = ip6.header().data();
    IpInfo info;
    info.version = 6;
    info.source = h + 8;
    info.destination = h + 24;
    info.final_destination = h + 24;
    info.address_length = 16;
    info.header_protocol = nh;
    info.ttl = ip6.hop_limit();

    std::size_t at = 0;          // offset of the current header in `bytes`
    std::size_t advance = 40;
    std::size_t total_advance = 0;
    bool found_extension = false;
    bool first = true;
    while (at < bytes.size() && advance > 0) {
        if (len < advance) return ctx.truncated("ip6");
        at += advance;
        len -= static_cast<std::uint32_t>(advance);
        total_advance += advance;
        if (first && nh != proto::kTcp && nh != proto::kUdp && nh != 33 && nh != proto::kSctp) {
            ctx.out.put(ctx.names.ipv6(h + 8));
            ctx.out.put(" > ");
            ctx.out.put(ctx.names.ipv6(h + 24));
            ctx.out.put(": ");
        }
        first = false;
        const wire::Bytes rest = bytes.subspan(at < bytes.size() ? at : bytes.size());
        if (nh == proto::kHopByHop || nh == proto::kDestinationOptions || nh == proto::kFragment ||
            nh == proto::kRouting) {
            wire::Ipv6ExtensionWalker walker(nh, rest, len);
            if (walker.at_end()) return ctx.truncated(nh == proto::kHopByHop ? "hbhopt" : "ip6");
            auto ext = walker.next();
            if (!ext) {
                if (rest.size() < 2) return ctx.truncated("ip6");
                return ctx.truncated(nh == proto::kHopByHop ? "hbhopt" : nh == proto::kDestinationOptions ? "dstopt"
                                                                                                              : "ip6");
            }
            found_extension = true;
            if (nh == proto::kHopByHop || nh == proto::kDestinationOptions) {
                ctx.out.put(nh == proto::kHopByHop ? "HBH " : "DSTOPT ");
                if (ctx.options.verbose > 0) {
                    if (!print_tlv_options(ctx, ext->header)) return Flow::Ok;
                    ctx.out.put(' ');
                }
                if (nh == proto::kHopByHop && payload_len == 0) {
                    ctx.out.put("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)");
                    return Flow::Ok;
                }
            } else if (nh == proto::kFragment) {
                auto frag = wire::Ipv6FragmentView::parse(ext->header);
                if (!frag) return ctx.truncated("frag6");
                const std::size_t frag_payload = 40 + payload_len - at - wire::Ipv6FragmentView::kHeaderLength;
                if (ctx.options.verbose > 0) {
                    ctx.out.print("frag (0x{:08x}:{}|{})", frag->identification(), frag->fragment_offset(), frag_payload);
                } else {
                    ctx.out.print("frag ({}|{})", frag->fragment_offset(), frag_payload);
                }
                if (frag->fragment_offset() != 0) return Flow::Ok;
                ctx.out.put(' ');
                info.fragmented = true;
                if (bytes.size() <= at + 8) return Flow::Ok;
            } else {
                auto rt = wire::Ipv6RoutingView::parse(ext->header);
                if (!rt) return ctx.truncated("rt6");
                ctx.out.print("RT6 (len={}, type={}", rt->header_ext_length(), rt->routing_type());
                if (rt->routing_type() == 0) ctx.out.put(" [Deprecated]");
                ctx.out.print(", segleft={}", rt->segments_left());
                if (rt->routing_type() == 0 || rt->routing_type() == 2) {
                    if (ctx.options.verbose > 0) ctx.out.print(", rsv=0x{:x}", wire::load_be32(ext->header.data() + 4));
                    for (std::size_t i = 0; i < rt->address_count(); ++i) {
                        ctx.out.print(", [{}]", i);
                        ctx.out.put(ctx.names.ipv6(ext->header.data() + 8 + 16 * i));
                        info.final_destination = ext->header.data() + 8 + 16 * i;
                    }
                }
                ctx.out.put(") ");
            }
            advance = ext->header.size();
            nh = ext->next_header;
            ctx.protocol = "ip6";
            continue;
        }
        if (nh == proto::kNoNextHeader) {
            ctx.out.put("no next header");
            return Flow::Ok;
        }
        if (payload_len == 0) {
            if (found_extension) return ctx.truncated("ip6");
            len = 40;
            if (bytes.size() > 40) bytes = bytes.first(40);
            len -= static_cast<std::uint32_t>(total_advance);
        }
        const wire::Bytes upper = bytes.subspan(at < bytes.size() ? at : bytes.size());
        return print_ip_payload(ctx, info, nh, upper, len);
    }
    return Flow::Ok;
}

}  // namespace synack::dump
