// ICMP for IPv4 (tcpdump print-icmp.c icmp_print): "ICMP echo request, id 5509, seq 1, length 64",
// "ICMP 10.0.0.2 udp port 9004 unreachable, length 36", … tcpdump composes the text before printing any of it, so
// a message cut short by the capture prints nothing of its own (only " [|icmp]"): the text is written straight
// into the output and taken back (Output::truncate) when composing it fails. The header is read through
// wire::Icmpv4View; the quoted datagram of an error, which tcpdump reads at fixed offsets without checking it,
// and the bodies of the timestamp, address mask and router advertisement messages through a FieldReader.
#include "tools/dump/icmp.hpp"

#include <algorithm>
#include <optional>

#include "tools/dump/field_reader.hpp"
#include "tools/dump/ip_demux.hpp"
#include "tools/dump/ipv4.hpp"
#include "wire/checksum.hpp"
#include "wire/icmpv4.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::dump {
namespace {

namespace type = wire::icmpv4_type;
namespace unreachable = wire::icmpv4_unreachable;

// How writing the text went: written, or tcpdump's two ways of giving up (the caller then takes it back).
enum class Composed { Text, Truncated /* goto trunc: " [|icmp]" */, Longjmp /* a failed GET */ };

// tcpdump print-icmp.c icmp2str: the types printed by name alone.
std::string_view plain_name(std::uint8_t t) {
    switch (t) {
        case type::kEchoReply: return "echo reply";
        case type::kSourceQuench: return "source quench";
        case type::kEchoRequest: return "echo request";
        case type::kRouterSolicitation: return "router solicitation";
        case type::kTimestamp: return "time stamp request";
        case type::kTimestampReply: return "time stamp reply";
        case type::kInformationRequest: return "information request";
        case type::kInformationReply: return "information reply";
        case type::kAddressMaskRequest: return "address mask request";
        default: return {};
    }
}

// tcpdump print-icmp.c icmp_tstamp_print: milliseconds since midnight UT as hh:mm:ss.mmm.
void put_timestamp(Output& out, std::uint32_t ms) {
    const std::uint32_t msec = ms % 1000;
    std::uint32_t sec = ms / 1000;
    std::uint32_t min = sec / 60;
    sec -= min * 60;
    const std::uint32_t hrs = min / 60;
    min -= hrs * 60;
    out.print("{:02}:{:02}:{:02}.{:03}", hrs, min, sec, msec);
}

// tcpdump print-icmp.c unreach / redirect texts around the quoted destination: `before` DST `after`.
struct Around {
    std::string_view before;
    std::string_view after;
};

Around unreachable_words(std::uint8_t code) {
    switch (code) {
        case unreachable::kNet: return {"net ", " unreachable"};
        case unreachable::kHost: return {"host ", " unreachable"};
        case unreachable::kSourceRouteFailed: return {"", " unreachable - source route failed"};
        case unreachable::kNetUnknown: return {"net ", " unreachable - unknown"};
        case unreachable::kHostUnknown: return {"host ", " unreachable - unknown"};
        case unreachable::kHostIsolated: return {"", " unreachable - source host isolated"};
        case unreachable::kNetProhibited: return {"net ", " unreachable - admin prohibited"};
        case unreachable::kHostProhibited: return {"host ", " unreachable - admin prohibited"};
        case unreachable::kNetTos: return {"net ", " unreachable - tos prohibited"};
        case unreachable::kHostTos: return {"host ", " unreachable - tos prohibited"};
        case unreachable::kAdminProhibited: return {"host ", " unreachable - admin prohibited filter"};
        case unreachable::kHostPrecedence: return {"host ", " unreachable - host precedence violation"};
        case unreachable::kPrecedenceCutoff: return {"host ", " unreachable - precedence cutoff"};
        default: return {};
    }
}

// Writes the message's text (tcpdump composes it in a buffer, so on failure the caller takes back what was
// written): the ICMP header through wire::Icmpv4View, the body or quoted datagram through a FieldReader.
class Composer {
public:
    Composer(Context& ctx, const wire::Icmpv4View& icmp) : ctx_(ctx), out_(ctx.out), icmp_(icmp), quote_(icmp.payload()) {}

    Composed compose();

private:
    // The quoted datagram's destination (its IP header's bytes 16-19), named; false if not captured.
    bool put_quoted_destination() {
        if (!quote_.has(16, 4)) return false;
        out_.put(ctx_.names.ipv4(quote_.at(16)));
        return true;
    }
    Composed unreachable_text();
    Composed redirect_text();
    Composed router_advertisement_text();

    Context& ctx_;
    Output& out_;
    const wire::Icmpv4View& icmp_;
    FieldReader quote_;  // after the 8-byte header: the quoted datagram, or the message body
};

Composed Composer::unreachable_text() {
    const std::uint8_t code = icmp_.code();
    if (code == unreachable::kPort) {
        if (!quote_.has(9)) return Composed::Truncated;  // ND_TCHECK_1(ip_p)
        const std::size_t hlen = std::size_t{quote_.u8(0) & 0x0fu} * 4;
        if (!quote_.has(hlen + 2, 2)) return Composed::Longjmp;
        const std::uint16_t port = quote_.be16(hlen + 2);
        const std::uint8_t proto = quote_.u8(9);
        if (!put_quoted_destination()) return Composed::Longjmp;
        if (proto == wire::ip_protocol::kTcp) {
            out_.put(" tcp port ");
            out_.put(ctx_.names.tcp_port(port));
        } else if (proto == wire::ip_protocol::kUdp) {
            out_.put(" udp port ");
            out_.put(ctx_.names.udp_port(port));
        } else {
            out_.print(" protocol {} port {}", proto, port);
        }
        out_.put(" unreachable");
        return Composed::Text;
    }
    if (code == unreachable::kFragmentationNeeded && icmp_.header_truncated()) return Composed::Longjmp;
    if (!quote_.has(16, 4)) return Composed::Longjmp;
    if (code == unreachable::kProtocol) {
        if (!put_quoted_destination()) return Composed::Longjmp;
        out_.print(" protocol {} unreachable", quote_.u8(9));
        return Composed::Text;
    }
    if (code == unreachable::kFragmentationNeeded) {  // RFC 1191
        (void)put_quoted_destination();
        out_.put(" unreachable - need to frag");
        if (icmp_.next_hop_mtu() != 0) out_.print(" (mtu {})", icmp_.next_hop_mtu());
        return Composed::Text;
    }
    const Around words = unreachable_words(code);
    if (words.after.empty()) {
        (void)put_quoted_destination();
        out_.print(" unreachable - #{}", code);
        return Composed::Text;
    }
    out_.put(words.before);
    (void)put_quoted_destination();
    out_.put(words.after);
    return Composed::Text;
}

Composed Composer::redirect_text() {
    if (!quote_.has(16, 4) || icmp_.header_truncated()) return Composed::Longjmp;
    const std::uint8_t code = icmp_.code();
    switch (code) {
        case wire::icmpv4_redirect::kNet: out_.put("redirect "); break;
        case wire::icmpv4_redirect::kHost: out_.put("redirect "); break;
        case wire::icmpv4_redirect::kTosNet: out_.put("redirect-tos "); break;
        case wire::icmpv4_redirect::kTosHost: out_.put("redirect-tos "); break;
        default: out_.print("redirect-#{} ", code); break;
    }
    (void)put_quoted_destination();
    const bool net = code == wire::icmpv4_redirect::kNet || code == wire::icmpv4_redirect::kTosNet;
    const bool host = code == wire::icmpv4_redirect::kHost || code == wire::icmpv4_redirect::kTosHost;
    out_.put(net ? " to net " : host ? " to host " : " to ");
    out_.put(ctx_.names.ipv4(icmp_.gateway()));
    return Composed::Text;
}

// RFC 1256 §3.1: number of addresses (1) | address entry size in words (1) | lifetime (2) | entries.
Composed Composer::router_advertisement_text() {
    if (icmp_.header_truncated()) return Composed::Truncated;
    const std::uint32_t rest = icmp_.rest_of_header();
    const std::uint32_t count = rest >> 24;
    const std::uint32_t size = (rest >> 16) & 0xff;
    const std::uint32_t lifetime = rest & 0xffff;
    out_.put("router advertisement lifetime ");
    if (lifetime < 60) {
        out_.put_uint(lifetime);
    } else if (lifetime < 60 * 60) {
        out_.print("{}:{:02}", lifetime / 60, lifetime % 60);
    } else {
        out_.print("{}:{:02}:{:02}", lifetime / 3600, (lifetime % 3600) / 60, lifetime % 60);
    }
    out_.print(" {}:", count);
    if (size != 2) {
        out_.print(" [size {}]", size);
        return Composed::Text;
    }
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t at = 8 * std::size_t{i};
        if (!quote_.has(at, 8)) return Composed::Truncated;
        out_.put(" {");
        out_.put(ctx_.names.ipv4(quote_.at(at)));
        out_.print(" {}}}", quote_.be32(at + 4));
    }
    return Composed::Text;
}

Composed Composer::compose() {
    const std::uint8_t t = icmp_.type();
    const std::uint8_t code = icmp_.code();
    switch (t) {
        case type::kEchoReply:
        case type::kEchoRequest:
            if (icmp_.header_truncated()) return Composed::Longjmp;
            out_.put(t == type::kEchoRequest ? "echo request" : "echo reply");
            out_.print(", id {}, seq {}", icmp_.identifier(), icmp_.sequence());
            return Composed::Text;
        case type::kDestinationUnreachable:
            return unreachable_text();
        case type::kRedirect:
            return redirect_text();
        case type::kRouterAdvertisement:
            return router_advertisement_text();
        case type::kTimeExceeded:
            if (!quote_.has(16, 4)) return Composed::Truncated;  // ND_TCHECK_4(ip_dst)
            if (code == wire::icmpv4_time_exceeded::kTtl) {
                out_.put("time exceeded in-transit");
            } else if (code == wire::icmpv4_time_exceeded::kReassembly) {
                out_.put("ip reassembly time exceeded");
            } else {
                out_.print("time exceeded-#{}", code);
            }
            return Composed::Text;
        case type::kParameterProblem:
            if (code != 0) {
                out_.print("parameter problem - code {}", code);
            } else {
                if (icmp_.header().size() <= 4) return Composed::Longjmp;  // the pointer is byte 4
                out_.print("parameter problem - octet {}", icmp_.pointer());
            }
            return Composed::Text;
        case type::kAddressMaskReply:  // RFC 950: the mask follows the header
            if (!quote_.has(0, 4)) return Composed::Longjmp;
            out_.print("address mask is 0x{:08x}", quote_.be32(0));
            return Composed::Text;
        case type::kTimestamp:
            if (icmp_.header_truncated()) return Composed::Longjmp;
            out_.print("time stamp query id {} seq {}", icmp_.identifier(), icmp_.sequence());
            return Composed::Text;
        case type::kTimestampReply:  // RFC 792: originate, receive and transmit timestamps follow the header
            if (!quote_.has(8, 4)) return Composed::Truncated;  // ND_TCHECK_4(icmp_ttime)
            out_.print("time stamp reply id {} seq {}: org ", icmp_.identifier(), icmp_.sequence());
            put_timestamp(out_, quote_.be32(0));
            out_.put(", recv ");
            put_timestamp(out_, quote_.be32(4));
            out_.put(", xmit ");
            put_timestamp(out_, quote_.be32(8));
            return Composed::Text;
        default: {
            const std::string_view name = plain_name(t);
            if (name.empty()) {
                out_.print("type-#{}", t);
            } else {
                out_.put(name);
            }
            return Composed::Text;
        }
    }
}

// The line up to ", length N" and, with -v, the checksum; the quoted datagram of an error (to print with -v)
// goes to `quoted`. Kept apart from print_icmp so that a chain of errors quoting errors, each printed by a nested
// print_ipv4, holds none of this function's locals on the stack.
[[gnu::noinline]] std::optional<Flow> print_message(Context& ctx, const IpInfo& ip, wire::Bytes data,
                                                    std::uint32_t length, wire::Bytes& quoted,
                                                    std::uint16_t& quoted_length) {
    auto parsed = wire::Icmpv4View::parse_captured(data);
    if (!parsed) return ctx.truncated("icmp");
    const wire::Icmpv4View& icmp = *parsed;
    const std::size_t mark = ctx.out.size();
    ctx.out.put("ICMP ");
    switch (Composer(ctx, icmp).compose()) {
        case Composed::Text: break;
        case Composed::Truncated: ctx.out.truncate(mark); return ctx.note_truncated("icmp");
        case Composed::Longjmp: ctx.out.truncate(mark); return ctx.truncated("icmp");
    }
    ctx.out.print(", length {}", length);
    if (ctx.options.verbose == 0) return Flow::Ok;

    // -v: the checksum when the whole message was captured, and the quoted datagram of an error.
    if (!ip.fragmented && data.size() >= length) {
        const std::uint16_t sum = wire::internet_checksum(data.first(length));
        if (sum != 0) {
            ctx.out.print(" (wrong icmp cksum {:x} (->{:x})!)", icmp.checksum(),
                          checksum_should_be(icmp.checksum(), sum));
        }
    }
    if (!icmp.is_error()) return Flow::Ok;
    ctx.out.put("\n\t");
    const FieldReader quote(icmp.payload());
    if (!quote.has(2, 2)) return ctx.truncated("icmp");
    quoted_length = quote.be16(2);
    quoted = icmp.payload().first(std::min<std::size_t>(quoted_length, icmp.payload().size()));
    return std::nullopt;
}

}  // namespace

Flow print_icmp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    ctx.protocol = "icmp";
    wire::Bytes quoted;
    std::uint16_t quoted_length = 0;
    if (const std::optional<Flow> done = print_message(ctx, ip, data, length, quoted, quoted_length)) return *done;
    if (print_ipv4(ctx, quoted, quoted_length) == Flow::Truncated) return Flow::Truncated;
    ctx.protocol = "icmp";
    return Flow::Ok;
}

}  // namespace synack::dump
