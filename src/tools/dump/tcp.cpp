#include "tools/dump/tcp.hpp"

#include "tools/dump/app_demux.hpp"
#include "tools/dump/explain.hpp"
#include "tools/dump/ip_demux.hpp"
#include "tools/dump/tcp_options.hpp"
#include "wire/checksum.hpp"
#include "wire/tcp.hpp"

namespace synack::dump {
namespace {

namespace flag = wire::tcp_flags;

constexpr std::size_t kMaxRstData = 30;  // tcpdump MAX_RST_DATA_LEN

void print_endpoints(Context& ctx, const IpInfo& ip, std::uint16_t sport, std::uint16_t dport) {
    if (ip.header_protocol == 6) {
        if (ip.version == 4) {
            ctx.out.put(ctx.names.ipv4(ip.source.data()));
        } else {
            ctx.out.put(ctx.names.ipv6(ip.source.data()));
        }
        ctx.out.put('.');
        ctx.out.put(ctx.names.tcp_port(sport));
        ctx.out.put(" > ");
        if (ip.version == 4) {
            ctx.out.put(ctx.names.ipv4(ip.destination.data()));
        } else {
            ctx.out.put(ctx.names.ipv6(ip.destination.data()));
        }
        ctx.out.put('.');
        ctx.out.put(ctx.names.tcp_port(dport));
        ctx.out.put(": ");
    } else {
        ctx.out.put(ctx.names.tcp_port(sport));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.tcp_port(dport));
        ctx.out.put(": ");
    }
}

// tcpdump print-tcp.c tcp_flag_values through bittok2str_nosep.
void print_flags(Output& out, std::uint8_t flags) {
    out.put("Flags [");
    if ((flags & (flag::kFin | flag::kSyn | flag::kRst | flag::kPsh | flag::kAck | flag::kUrg | flag::kEce |
                  flag::kCwr)) == 0) {
        out.put("none");
    } else {
        if ((flags & flag::kFin) != 0) out.put('F');
        if ((flags & flag::kSyn) != 0) out.put('S');
        if ((flags & flag::kRst) != 0) out.put('R');
        if ((flags & flag::kPsh) != 0) out.put('P');
        if ((flags & flag::kAck) != 0) out.put('.');
        if ((flags & flag::kUrg) != 0) out.put('U');
        if ((flags & flag::kEce) != 0) out.put('E');
        if ((flags & flag::kCwr) != 0) out.put('W');
    }
    out.put(']');
}

// The checksum over the pseudo-header and `segment` (tcpdump's tcp_cksum / tcp6_cksum: 0 when correct).
std::uint16_t segment_checksum(const IpInfo& ip, wire::Bytes segment) {
    wire::InternetChecksum sum;
    if (ip.version == 4) {
        wire::add_pseudo_header_v4(sum, wire::Ipv4Address::from_bytes(ip.source.data()),
                                   wire::Ipv4Address::from_bytes(ip.final_destination.data()), 6,
                                   static_cast<std::uint16_t>(segment.size()));
    } else {
        wire::add_pseudo_header_v6(sum, wire::Ipv6Address::from_bytes(ip.source.data()),
                                   wire::Ipv6Address::from_bytes(ip.final_destination.data()), 6,
                                   static_cast<std::uint32_t>(segment.size()));
    }
    sum.add(segment);
    return sum.finish();
}

// tcpdump print-tcp.c print_tcp_rst_data.
void print_rst_data(Output& out, wire::Bytes data, std::uint32_t length) {
    out.put(data.size() >= length ? " [RST" : " [!RST");
    if (length > kMaxRstData) {
        length = kMaxRstData;
        out.put('+');
    }
    out.put(' ');
    for (std::size_t i = 0; i < length && i < data.size(); ++i) out.put_safe_char(data[i]);
    out.put(']');
}

}  // namespace

Flow print_tcp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length) {
    ctx.protocol = "tcp";
    if (data.size() < 4) {
        print_ip_addresses(ctx, ip);
        ctx.out.put(": [|tcp]");
        return Flow::Ok;
    }
    const std::uint16_t sport = wire::load_be16(data.data());
    const std::uint16_t dport = wire::load_be16(data.data() + 2);
    print_endpoints(ctx, ip, sport, dport);
    if (data.size() < wire::TcpView::kMinHeaderLength) {
        ctx.out.put(" [|tcp]");
        return Flow::Ok;
    }
    // The fixed header is present; the view needs the options too (parse fails when they were cut short).
    const std::size_t hlen = static_cast<std::size_t>(data[12] >> 4) * 4;
    if (hlen < wire::TcpView::kMinHeaderLength) {
        ctx.out.print(" tcp {} [bad hdr length {} - too short, < 20]", length - static_cast<std::uint32_t>(hlen), hlen);
        return Flow::Ok;
    }
    // The fields through wire/ when the whole header (options included) was captured; otherwise from the fixed
    // 20 bytes, which tcpdump prints before it notices the options are missing.
    auto view = wire::TcpView::parse(data);
    const std::uint32_t raw_seq = view ? view->seq().raw() : wire::load_be32(data.data() + 4);
    const std::uint32_t raw_ack = view ? view->ack().raw() : wire::load_be32(data.data() + 8);
    const std::uint16_t win = view ? view->window() : wire::load_be16(data.data() + 14);
    const std::uint16_t urp = view ? view->urgent_pointer() : wire::load_be16(data.data() + 18);
    const std::uint8_t flags = static_cast<std::uint8_t>(view ? view->flags() & 0xff : data[13]);
    if (ctx.options.quiet > 0) {
        ctx.out.print("tcp {}", length - static_cast<std::uint32_t>(hlen));  // u_int arithmetic, as tcpdump's
        if (hlen > length) ctx.out.print(" [bad hdr length {} - too long, > {}]", hlen, length);
        return Flow::Ok;
    }
    print_flags(ctx.out, flags);

    std::uint32_t seq = raw_seq;
    std::uint32_t ack = raw_ack;
    std::uint32_t sack_base = 0;
    if (!ctx.options.absolute_seq && (flags & flag::kAck) != 0) {
        const RelativeSeq rel = ctx.seq.track(ip.source.data(), ip.destination.data(), ip.address_length, sport, dport, raw_seq,
                                              raw_ack, (flags & flag::kSyn) != 0);
        seq = rel.seq;
        ack = rel.ack;
        sack_base = rel.sack_base;
    }
    if (hlen > length) {
        ctx.out.print(" [bad hdr length {} - too long, > {}]", hlen, length);
        return Flow::Ok;
    }
    if (ctx.options.verbose > 0 && !ip.fragmented && data.size() >= length) {
        const std::uint16_t field = wire::load_be16(data.data() + 16);
        const std::uint16_t sum = segment_checksum(ip, data.first(length));
        ctx.out.print(", cksum 0x{:04x}", field);
        if (sum != 0) {
            ctx.out.print(" (incorrect -> 0x{:04x})", checksum_should_be(field, sum));
        } else {
            ctx.out.put(" (correct)");
        }
    }
    const std::uint32_t payload_length = length - static_cast<std::uint32_t>(hlen);
    if (ctx.options.verbose > 1 || payload_length > 0 || (flags & (flag::kSyn | flag::kFin | flag::kRst)) != 0) {
        ctx.out.print(", seq {}", seq);
        if (payload_length > 0) ctx.out.print(":{}", seq + payload_length);
    }
    if ((flags & flag::kAck) != 0) ctx.out.print(", ack {}", ack);
    ctx.out.print(", win {}", win);
    if ((flags & flag::kUrg) != 0) ctx.out.print(", urg {}", urp);

    if (ctx.explainer != nullptr) {
        SegmentFacts facts;
        facts.ip = &ip;
        facts.sport = sport;
        facts.dport = dport;
        facts.seq = wire::Seq32(raw_seq);
        facts.ack = wire::Seq32(raw_ack);
        facts.flags = flags;
        facts.window = win;
        facts.payload_length = payload_length;
        if (view) facts.options = view->options();
        ctx.explainer->on_segment(facts);
    }

    if (hlen > wire::TcpView::kMinHeaderLength) {
        OptionsInput in;
        const std::size_t declared = hlen - wire::TcpView::kMinHeaderLength;
        const std::size_t present = data.size() < hlen ? data.size() - wire::TcpView::kMinHeaderLength : declared;
        in.captured = data.subspan(wire::TcpView::kMinHeaderLength, present);
        in.declared = declared;
        in.sack_base = sack_base;
        in.ip = &ip;
        in.tcp_flags = flags;
        switch (print_tcp_options(ctx, in)) {
            case OptionsEnd::Closed: break;
            case OptionsEnd::Bad: return Flow::Ok;
            case OptionsEnd::Truncated: return Flow::Ok;
            case OptionsEnd::Longjmp: return ctx.truncated("tcp");
        }
    }
    ctx.out.print(", length {}", payload_length);
    if (payload_length == 0) return Flow::Ok;
    if (!view) {
        ctx.out.print(" [remaining caplen({}) < header length({})]", data.size(), hlen);
        return ctx.truncated("tcp");
    }
    const wire::Bytes payload = view->payload();
    if ((flags & flag::kRst) != 0 && ctx.options.verbose > 0) {
        print_rst_data(ctx.out, payload, payload_length);
        return Flow::Ok;
    }
    return print_tcp_application(ctx, sport, dport, payload, payload_length);
}

}  // namespace synack::dump
