#include "tools/dump/ip_demux.hpp"

#include <optional>

#include "tools/dump/field_reader.hpp"
#include "tools/dump/icmp.hpp"
#include "tools/dump/icmpv6.hpp"
#include "tools/dump/ipv4.hpp"
#include "tools/dump/ipv6.hpp"
#include "tools/dump/tcp.hpp"
#include "tools/dump/udp.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::dump {
namespace {

constexpr std::uint8_t kIpInIp = 4;

struct Row {
    std::uint8_t protocol;
    TransportPrinter printer;
};

constexpr Row kPrinters[] = {
    {wire::ip_protocol::kTcp, print_tcp},
    {wire::ip_protocol::kUdp, print_udp},
    {wire::ip_protocol::kIcmp, print_icmp},
    {wire::ip_protocol::kIcmpv6, print_icmpv6},
};

// tcpdump print-ah.c ah_print: "AH(spi=0x…,seq=0x…,icv=0x…): ", and -v adds the length. The header's length
// (ah_len + 2 words); std::nullopt when the capture ends inside it.
std::optional<std::uint32_t> print_ah(Context& ctx, FieldReader r) {
    ctx.protocol = "ah";
    ctx.out.put("AH");
    if (!r.has(1)) return std::nullopt;
    const std::uint32_t ah_len = r.u8(1);
    const std::uint32_t header_length = (ah_len + 2) * 4;
    ctx.out.put('(');
    if (ctx.options.verbose > 0) ctx.out.print("length={}({}-bytes),", ah_len, header_length);
    if (!r.has(2, 2)) return std::nullopt;
    if (r.be16(2) != 0) ctx.out.print("reserved=0x{:x}[MustBeZero],", r.be16(2));
    if (!r.has(4, 4)) return std::nullopt;
    ctx.out.print("spi=0x{:08x},", r.be32(4));
    if (!r.has(8, 4)) return std::nullopt;
    ctx.out.print("seq=0x{:x},", r.be32(8));
    ctx.out.put("icv=0x");
    for (std::size_t i = 12; i < header_length; ++i) {
        if (!r.has(i)) return std::nullopt;
        ctx.out.put_hex2(r.u8(i));
    }
    ctx.out.put("): ");
    return header_length;
}

// The AH headers before the protocol they protect (RFC 4302); std::nullopt once past them, or the Flow that ends
// the line. Kept out of print_ip_payload's frame, which nested datagrams stack up (see print_ipv4).
[[gnu::noinline]] std::optional<Flow> skip_ah(Context& ctx, std::uint8_t& protocol, wire::Bytes& data,
                                              std::uint32_t& length) {
    while (protocol == wire::ip_protocol::kAh) {
        const FieldReader r(data);
        if (!r.has(0)) return ctx.note_truncated("ah");
        protocol = r.u8(0);
        const std::optional<std::uint32_t> advance = print_ah(ctx, r);
        if (!advance) return ctx.truncated("ah");
        data = data.subspan(*advance < data.size() ? *advance : data.size());
        length -= *advance;
    }
    return std::nullopt;
}

// A protocol without a printer: its netdb name (or number) and the length.
[[gnu::noinline]] Flow print_unknown(Context& ctx, std::uint8_t protocol, std::uint32_t length) {
    const std::string_view name = ctx.names.numeric() ? std::string_view{} : ip_protocol_netdb_name(protocol);
    if (name.empty()) {
        ctx.out.print(" ip-proto-{}", protocol);
    } else {
        ctx.out.put(' ');
        ctx.out.put(name);
    }
    ctx.out.print(" {}", length);
    return Flow::Ok;
}

[[gnu::noinline]] Flow print_wrong_family(Context& ctx, bool icmp) {
    ctx.out.print("[{} requires IPv{}] (invalid)", icmp ? "ICMP" : "ICMPv6", icmp ? 4 : 6);
    return Flow::Ok;
}

}  // namespace

// tcpdump print-ip-demux.c ip_demux_print.
Flow print_ip_payload(Context& ctx, const IpInfo& ip, std::uint8_t protocol, wire::Bytes data, std::uint32_t length) {
    if (protocol == wire::ip_protocol::kAh) {
        if (const std::optional<Flow> done = skip_ah(ctx, protocol, data, length)) return *done;
    }
    const bool icmp = protocol == wire::ip_protocol::kIcmp;
    if ((icmp && ip.version != 4) || (protocol == wire::ip_protocol::kIcmpv6 && ip.version != 6)) {
        return print_wrong_family(ctx, icmp);
    }
    for (const Row& row : kPrinters) {
        if (row.protocol == protocol) return row.printer(ctx, ip, data, length);
    }
    switch (protocol) {
        case kIpInIp: return print_ipv4(ctx, data, length);  // IPv4 in IP (RFC 2003)
        case wire::ip_protocol::kIpv6: return print_ipv6(ctx, data, length);  // IPv6 in IP
        case wire::ip_protocol::kNoNextHeader:
            ctx.out.put("no next header");
            return Flow::Ok;
        default: return print_unknown(ctx, protocol, length);
    }
}

std::uint16_t checksum_should_be(std::uint16_t field, std::uint16_t computed) noexcept {
    std::uint32_t v = std::uint32_t{field} + computed;
    v = (v & 0xffff) + (v >> 16);
    v = (v & 0xffff) + (v >> 16);
    return static_cast<std::uint16_t>(v);
}

void print_ip_addresses(Context& ctx, const IpInfo& ip) {
    if (ip.version == 4) {
        ctx.out.put(ctx.names.ipv4(ip.source.data()));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.ipv4(ip.destination.data()));
    } else {
        ctx.out.put(ctx.names.ipv6(ip.source.data()));
        ctx.out.put(" > ");
        ctx.out.put(ctx.names.ipv6(ip.destination.data()));
    }
}

}  // namespace synack::dump
