// ICMP for IPv4 (tcpdump print-icmp.c icmp_print): "ICMP echo request, id 5509, seq 1, length 64",
// "ICMP 10.0.0.2 udp port 9004 unreachable, length 36", … tcpdump composes the text before printing any of it, so
// a message cut short by the capture prints nothing of its own (only " [|icmp]"). The header is read through
// wire::Icmpv4View; the quoted datagram of an error, which tcpdump reads at fixed offsets without checking it,
// and the bodies of the timestamp, address mask and router advertisement messages through a FieldReader.
#include "tools/dump/icmp.hpp"

#include <optional>
#include <string>

#include <fmt/format.h>

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

// What composing the text came to: the text, or tcpdump's two ways of giving up.
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

// print-icmp.c icmp_tstamp_print: milliseconds since midnight UT as hh:mm:ss.mmm.
std::string timestamp_text(std::uint32_t ms) {
    const std::uint32_t msec = ms % 1000;
    std::uint32_t sec = ms / 1000;
    std::uint32_t min = sec / 60;
    sec -= min * 60;
    const std::uint32_t hrs = min / 60;
    min -= hrs * 60;
    return fmt::format("{:02}:{:02}:{:02}.{:03}", hrs, min, sec, msec);
}

class Composer {
public:
    Composer(Context& ctx, const wire::Icmpv4View& icmp) : ctx_(ctx), icmp_(icmp), quote_(icmp.payload()) {}

    Composed compose(std::string& text);

private:
    // The quoted datagram's destination (its IP header's bytes 16-19), named.
    std::optional<std::string_view> quoted_destination() const {
        if (!quote_.has(16, 4)) return std::nullopt;
        return ctx_.names.ipv4(quote_.at(16));
    }
    Composed unreachable_text(std::string& text);
    Composed redirect_text(std::string& text);
    Composed router_advertisement_text(std::string& text);

    Context& ctx_;
    const wire::Icmpv4View& icmp_;
    FieldReader quote_;  // after the 8-byte header: the quoted datagram, or the message body
};

Composed Composer::unreachable_text(std::string& text) {
    const std::uint8_t code = icmp_.code();
    if (code == unreachable::kPort) {
        if (!quote_.has(9)) return Composed::Truncated;  // ND_TCHECK_1(ip_p)
        const std::size_t hlen = std::size_t{quote_.u8(0) & 0x0fu} * 4;
        if (!quote_.has(hlen + 2, 2)) return Composed::Longjmp;
        const std::uint16_t port = quote_.be16(hlen + 2);
        const std::uint8_t proto = quote_.u8(9);
        const auto dst = quoted_destination();
        if (!dst) return Composed::Longjmp;
        if (proto == wire::ip_protocol::kTcp) {
            text = fmt::format("{} tcp port {} unreachable", *dst, ctx_.names.tcp_port(port));
        } else if (proto == wire::ip_protocol::kUdp) {
            text = fmt::format("{} udp port {} unreachable", *dst, ctx_.names.udp_port(port));
        } else {
            text = fmt::format("{} protocol {} port {} unreachable", *dst, proto, port);
        }
        return Composed::Text;
    }
    if (code == unreachable::kFragmentationNeeded && icmp_.header_truncated()) return Composed::Longjmp;
    const auto dst = quoted_destination();
    if (!dst) return Composed::Longjmp;
    switch (code) {
        case unreachable::kNet: text = fmt::format("net {} unreachable", *dst); break;
        case unreachable::kHost: text = fmt::format("host {} unreachable", *dst); break;
        case unreachable::kProtocol:
            if (!quote_.has(9)) return Composed::Longjmp;
            text = fmt::format("{} protocol {} unreachable", *dst, quote_.u8(9));
            break;
        case unreachable::kFragmentationNeeded:  // RFC 1191
            if (icmp_.next_hop_mtu() != 0) {
                text = fmt::format("{} unreachable - need to frag (mtu {})", *dst, icmp_.next_hop_mtu());
            } else {
                text = fmt::format("{} unreachable - need to frag", *dst);
            }
            break;
        case unreachable::kSourceRouteFailed: text = fmt::format("{} unreachable - source route failed", *dst); break;
        case unreachable::kNetUnknown: text = fmt::format("net {} unreachable - unknown", *dst); break;
        case unreachable::kHostUnknown: text = fmt::format("host {} unreachable - unknown", *dst); break;
        case unreachable::kHostIsolated: text = fmt::format("{} unreachable - source host isolated", *dst); break;
        case unreachable::kNetProhibited: text = fmt::format("net {} unreachable - admin prohibited", *dst); break;
        case unreachable::kHostProhibited: text = fmt::format("host {} unreachable - admin prohibited", *dst); break;
        case unreachable::kNetTos: text = fmt::format("net {} unreachable - tos prohibited", *dst); break;
        case unreachable::kHostTos: text = fmt::format("host {} unreachable - tos prohibited", *dst); break;
        case unreachable::kAdminProhibited:
            text = fmt::format("host {} unreachable - admin prohibited filter", *dst);
            break;
        case unreachable::kHostPrecedence:
            text = fmt::format("host {} unreachable - host precedence violation", *dst);
            break;
        case unreachable::kPrecedenceCutoff:
            text = fmt::format("host {} unreachable - precedence cutoff", *dst);
            break;
        default: text = fmt::format("{} unreachable - #{}", *dst, code); break;
    }
    return Composed::Text;
}

Composed Composer::redirect_text(std::string& text) {
    const auto dst = quoted_destination();
    if (!dst || icmp_.header_truncated()) return Composed::Longjmp;
    const std::string gateway(ctx_.names.ipv4(icmp_.gateway()));
    switch (icmp_.code()) {
        case wire::icmpv4_redirect::kNet: text = fmt::format("redirect {} to net {}", *dst, gateway); break;
        case wire::icmpv4_redirect::kHost: text = fmt::format("redirect {} to host {}", *dst, gateway); break;
        case wire::icmpv4_redirect::kTosNet: text = fmt::format("redirect-tos {} to net {}", *dst, gateway); break;
        case wire::icmpv4_redirect::kTosHost: text = fmt::format("redirect-tos {} to host {}", *dst, gateway); break;
        default: text = fmt::format("redirect-#{} {} to {}", icmp_.code(), *dst, gateway); break;
    }
    return Composed::Text;
}

// RFC 1256 §3.1: number of addresses (1) | address entry size in words (1) | lifetime (2) | entries.
Composed Composer::router_advertisement_text(std::string& text) {
    if (icmp_.header_truncated()) return Composed::Truncated;
    const std::uint32_t rest = icmp_.rest_of_header();
    const std::uint32_t count = rest >> 24;
    const std::uint32_t size = (rest >> 16) & 0xff;
    const std::uint32_t lifetime = rest & 0xffff;
    text = "router advertisement lifetime ";
    if (lifetime < 60) {
        text += fmt::format("{}", lifetime);
    } else if (lifetime < 60 * 60) {
        text += fmt::format("{}:{:02}", lifetime / 60, lifetime % 60);
    } else {
        text += fmt::format("{}:{:02}:{:02}", lifetime / 3600, (lifetime % 3600) / 60, lifetime % 60);
    }
    text += fmt::format(" {}:", count);
    if (size != 2) {
        text += fmt::format(" [size {}]", size);
        return Composed::Text;
    }
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t at = 8 * std::size_t{i};
        if (!quote_.has(at, 8)) return Composed::Truncated;
        text += fmt::format(" {{{} {}}}", ctx_.names.ipv4(quote_.at(at)), quote_.be32(at + 4));
    }
    return Composed::Text;
}

Composed Composer::compose(std::string& text) {
    const std::uint8_t t = icmp_.type();
    const std::uint8_t code = icmp_.code();
    switch (t) {
        case type::kEchoReply:
        case type::kEchoRequest:
            if (icmp_.header_truncated()) return Composed::Longjmp;
            text = fmt::format("echo {}, id {}, seq {}", t == type::kEchoRequest ? "request" : "reply",
                               icmp_.identifier(), icmp_.sequence());
            return Composed::Text;
        case type::kDestinationUnreachable:
            return unreachable_text(text);
        case type::kRedirect:
            return redirect_text(text);
        case type::kRouterAdvertisement:
            return router_advertisement_text(text);
        case type::kTimeExceeded:
            if (!quote_.has(16, 4)) return Composed::Truncated;  // ND_TCHECK_4(ip_dst)
            if (code == wire::icmpv4_time_exceeded::kTtl) {
                text = "time exceeded in-transit";
            } else if (code == wire::icmpv4_time_exceeded::kReassembly) {
                text = "ip reassembly time exceeded";
            } else {
                text = fmt::format("time exceeded-#{}", code);
            }
            return Composed::Text;
        case type::kParameterProblem:
            if (code != 0) {
                text = fmt::format("parameter problem - code {}", code);
            } else {
                if (icmp_.header().size() <= 4) return Composed::Longjmp;  // the pointer is byte 4
                text = fmt::format("parameter problem - octet {}", icmp_.pointer());
            }
            return Composed::Text;
        case type::kAddressMaskReply:  // RFC 950: the mask follows the header
            if (!quote_.has(0, 4)) return Composed::Longjmp;
            text = fmt::format("address mask is 0x{:08x}", quote_.be32(0));
            return Composed::Text;
        case type::kTimestamp:
            if (icmp_.header_truncated()) return Composed::Longjmp;
            text = fmt::format("time stamp query id {} seq {}", icmp_.identifier(), icmp_.sequence());
            return Composed::Text;
        case type::kTimestampReply:  // RFC 792: originate, receive and transmit timestamps follow the header
            if (!quote_.has(8, 4)) return Composed::Truncated;  // ND_TCHECK_4(icmp_ttime)
            text = fmt::format("time stamp reply id {} seq {}: org {}, recv {}, xmit {}", icmp_.identifier(),
                               icmp_.sequence(), timestamp_text(quote_.be32(0)), timestamp_text(quote_.be32(4)),
                               timestamp_text(quote_.be32(8)));
            return Composed::Text;
        default: {
            const std::string_view name = plain_name(t);
            text = name.empty() ? fmt::format("type-#{}", t) : std::string(name);
            return Composed::Text;
        }
    }
}

}  // namespace

Flow print_icmp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    ctx.protocol = "icmp";
    auto parsed = wire::Icmpv4View::parse_captured(data);
    if (!parsed) return ctx.truncated("icmp");
    const wire::Icmpv4View& icmp = *parsed;
    std::string text;
    switch (Composer(ctx, icmp).compose(text)) {
        case Composed::Text: break;
        case Composed::Truncated: return ctx.note_truncated("icmp");
        case Composed::Longjmp: return ctx.truncated("icmp");
    }
    ctx.out.print("ICMP {}, length {}", text, length);
    if (ctx.options.verbose == 0) return Flow::Ok;

    // -v: the checksum when the whole message was captured, and the quoted datagram of an error.
    if (!ip.fragmented && data.size() >= length) {
        const std::uint16_t sum = wire::internet_checksum(data.first(length));
        if (sum != 0) {
            ctx.out.print(" (wrong icmp cksum {:x} (->{:x})!)", icmp.checksum(),
                          checksum_should_be(icmp.checksum(), sum));
        }
    }
    if (icmp.is_error()) {
        ctx.out.put("\n\t");
        const FieldReader quote(icmp.payload());
        if (!quote.has(2, 2)) return ctx.truncated("icmp");
        const std::uint16_t quoted_length = quote.be16(2);
        const wire::Bytes quoted = icmp.payload().first(std::min<std::size_t>(quoted_length, icmp.payload().size()));
        if (print_ipv4(ctx, quoted, quoted_length) == Flow::Truncated) return Flow::Truncated;
        ctx.protocol = "icmp";
    }
    return Flow::Ok;
}

}  // namespace synack::dump
