// TCP (tcpdump print-tcp.c tcp_print). The header is read through wire::TcpView::parse_captured, which keeps the
// fixed part of a header whose options the capture cut short, as tcpdump prints it.
#include "tools/dump/tcp.hpp"

#include "tools/dump/app_demux.hpp"
#include "tools/dump/explain.hpp"
#include "tools/dump/field_reader.hpp"
#include "tools/dump/ip_demux.hpp"
#include "tools/dump/tcp_options.hpp"
#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/tcp.hpp"

namespace synack::dump {
namespace {

namespace flag = wire::tcp_flags;

constexpr std::size_t kMaxRstData = 30;  // tcpdump MAX_RST_DATA_LEN

void print_endpoints(Context& ctx, const IpInfo& ip, std::uint16_t sport, std::uint16_t dport) {
    if (ip.header_protocol == wire::ip_protocol::kTcp) {
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.source.data()) : ctx.names.ipv6(ip.source.data()));
        ctx.out.put('.');
        ctx.out.put(ctx.names.tcp_port(sport));
        ctx.out.put(" > ");
        ctx.out.put(ip.version == 4 ? ctx.names.ipv4(ip.destination.data()) : ctx.names.ipv6(ip.destination.data()));
        ctx.out.put('.');
        ctx.out.put(ctx.names.tcp_port(dport));
    } else {
        ctx.out.put(ctx.names.tcp_port(sport));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.tcp_port(dport));
    }
    ctx.out.put(": ");
}

// tcpdump print-tcp.c tcp_flag_values through bittok2str_nosep (AE is not among them).
void print_flags(Output& out, std::uint16_t flags) {
    out.put("Flags [");
    if ((flags & 0xff) == 0) {
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
        wire::add_pseudo_header_v4(sum, ip.source_v4(), ip.final_destination_v4(), wire::ip_protocol::kTcp,
                                   static_cast<std::uint16_t>(segment.size()));
    } else {
        wire::add_pseudo_header_v6(sum, ip.source_v6(), ip.final_destination_v6(), wire::ip_protocol::kTcp,
                                   static_cast<std::uint32_t>(segment.size()));
    }
    sum.add(segment);
    return sum.finish();
}

// tcpdump print-tcp.c print_tcp_rst_data: "[RST text]" (up to 30 bytes), "[!RST …]" when not all captured.
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
    auto parsed = wire::TcpView::parse_captured(data);
    if (!parsed && parsed.error() == wire::ParseError::Truncated) {
        // Fewer than 20 bytes: tcpdump still prints the ports if it has them (the view needs the fixed header).
        const FieldReader r(data);
        if (!r.has(0, 4)) {
            print_ip_addresses(ctx, ip);
            ctx.out.put(':');
        } else {
            print_endpoints(ctx, ip, r.be16(0), r.be16(2));
        }
        return ctx.note_truncated("tcp");
    }
    if (!parsed) {
        // A data offset below 5, which the view refuses: tcpdump prints it (the high nibble of byte 12).
        const FieldReader r(data);
        print_endpoints(ctx, ip, r.be16(0), r.be16(2));
        const std::uint32_t hlen = (r.u8(12) >> 4) * 4u;
        ctx.out.print(" tcp {} [bad hdr length {} - too short, < 20]", length - hlen, hlen);
        return Flow::Ok;
    }
    const wire::TcpView& tcp = *parsed;
    print_endpoints(ctx, ip, tcp.source_port(), tcp.destination_port());
    const auto hlen = static_cast<std::uint32_t>(tcp.header_length());
    const std::uint32_t payload_length = length - hlen;  // u_int arithmetic, as tcpdump's
    if (ctx.explainer != nullptr && hlen <= length) ctx.explainer->on_segment(ip, tcp, payload_length);
    if (ctx.options.quiet > 0) {
        ctx.out.print("tcp {}", payload_length);
        if (hlen > length) ctx.out.print(" [bad hdr length {} - too long, > {}]", hlen, length);
        return Flow::Ok;
    }
    const std::uint16_t flags = tcp.flags();
    print_flags(ctx.out, flags);

    std::uint32_t seq = tcp.seq().raw();
    std::uint32_t ack = tcp.ack().raw();
    std::uint32_t sack_base = 0;
    if (!ctx.options.absolute_seq && (flags & flag::kAck) != 0) {
        const RelativeSeq rel =
            ctx.seq.track(ip.source.data(), ip.destination.data(), ip.address_length, tcp.source_port(),
                          tcp.destination_port(), seq, ack, (flags & flag::kSyn) != 0);
        seq = rel.seq;
        ack = rel.ack;
        sack_base = rel.sack_base;
    }
    if (hlen > length) {
        ctx.out.print(" [bad hdr length {} - too long, > {}]", hlen, length);
        return Flow::Ok;
    }
    if (ctx.options.verbose > 0 && !ip.fragmented && data.size() >= length) {
        const std::uint16_t sum = segment_checksum(ip, data.first(length));
        ctx.out.print(", cksum 0x{:04x}", tcp.checksum());
        if (sum != 0) {
            ctx.out.print(" (incorrect -> 0x{:04x})", checksum_should_be(tcp.checksum(), sum));
        } else {
            ctx.out.put(" (correct)");
        }
    }
    if (ctx.options.verbose > 1 || payload_length > 0 || (flags & (flag::kSyn | flag::kFin | flag::kRst)) != 0) {
        ctx.out.print(", seq {}", seq);
        if (payload_length > 0) ctx.out.print(":{}", seq + payload_length);
    }
    if ((flags & flag::kAck) != 0) ctx.out.print(", ack {}", ack);
    ctx.out.print(", win {}", tcp.window());
    if ((flags & flag::kUrg) != 0) ctx.out.print(", urg {}", tcp.urgent_pointer());

    if (hlen > wire::TcpView::kMinHeaderLength) {
        OptionsInput in;
        in.captured = tcp.options();
        in.declared = hlen - wire::TcpView::kMinHeaderLength;
        in.sack_base = sack_base;
        in.segment_captured = data.size() >= length;  // tcpdump: bp + hlen + length <= snapend
        in.tcp_flags = static_cast<std::uint8_t>(flags & 0xff);
        switch (print_tcp_options(ctx, in)) {
            case OptionsEnd::Closed: break;
            case OptionsEnd::Bad: return Flow::Ok;
            case OptionsEnd::Truncated: return Flow::Ok;
            case OptionsEnd::Longjmp: return ctx.truncated("tcp");
        }
    }
    ctx.out.print(", length {}", payload_length);
    if (payload_length == 0) return Flow::Ok;
    if (tcp.options_truncated()) {
        ctx.out.print(" [remaining caplen({}) < header length({})]", data.size(), hlen);
        return ctx.truncated("tcp");
    }
    if ((flags & flag::kRst) != 0 && ctx.options.verbose > 0) {
        print_rst_data(ctx.out, tcp.payload(), payload_length);
        return Flow::Ok;
    }
    return print_tcp_application(ctx, tcp.source_port(), tcp.destination_port(), tcp.payload(), payload_length);
}

}  // namespace synack::dump
