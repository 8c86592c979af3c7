// The IPv4 options list of -v (tcpdump print-ip.c ip_optprint, ip_printroute, ip_printts). The walk frames each
// option as tcpdump does, which is looser than wire::Ipv4OptionIterator on purpose: a malformed option is printed
// ("[bad length 6]", "[bad ptr 0]") rather than refused, and a timestamp entry may be read past its option's end.
#include "tools/dump/ipv4.hpp"
#include "wire/ipv4_options.hpp"

namespace synack::dump {
namespace {

namespace opt = wire::ipv4_option;

// tcpdump print-ip.c ip_option_values.
std::string_view option_name(std::uint8_t type) {
    switch (type) {
        case opt::kEndOfList: return "EOL";
        case opt::kNop: return "NOP";
        case opt::kTimestamp: return "timestamp";
        case opt::kSecurity: return "security";
        case opt::kRecordRoute: return "RR";
        case opt::kStrictSourceRoute: return "SSRR";
        case opt::kLooseSourceRoute: return "LSRR";
        case opt::kRouterAlert: return "RA";
        case 82: return "traceroute";  // RFC 1393
        default: return {};
    }
}

// `at` is the option's first byte in `bytes` (the captured datagram from the options on), `length` its length
// octet, already known to lie within the header and the capture.
Ipv4OptionsEnd print_route(Context& ctx, wire::Bytes bytes, std::size_t at, std::uint32_t length) {
    if (length < 3) {
        ctx.out.print(" [bad length {}]", length);
        return Ipv4OptionsEnd::Done;
    }
    if (((length + 1) & 3) != 0) ctx.out.print(" [bad length {}]", length);
    const std::uint32_t ptr = bytes[at + 2] - 1u;  // u_int: a pointer of 0 wraps to 0xffffffff, as in tcpdump
    if (ptr < 3 || ((ptr + 1) & 3) != 0 || ptr > length + 1) ctx.out.print(" [bad ptr {}]", bytes[at + 2]);
    for (std::uint32_t len = 3; len < length; len += 4) {
        if (at + len + 4 > bytes.size()) return Ipv4OptionsEnd::Truncated;
        ctx.out.put(' ');
        ctx.out.put(ctx.names.ipv4(bytes.data() + at + len));
        if (ptr > len) ctx.out.put(',');
    }
    return Ipv4OptionsEnd::Done;
}

Ipv4OptionsEnd print_timestamp(Context& ctx, wire::Bytes bytes, std::size_t at, std::uint32_t length) {
    if (length < 4) {
        ctx.out.print("[bad length {}]", length);
        return Ipv4OptionsEnd::Done;
    }
    ctx.out.put(" TS{");
    const std::uint8_t flags = bytes[at + 3];
    const std::uint32_t hoplen = (flags & 0x0f) != wire::ipv4_timestamp_flag::kTimestampsOnly ? 8 : 4;
    if (((length - 4) & (hoplen - 1)) != 0) ctx.out.print("[bad length {}]", length);
    const std::uint32_t ptr = bytes[at + 2] - 1u;
    std::uint32_t len = 0;
    if (ptr < 4 || ((ptr - 4) & (hoplen - 1)) != 0 || ptr > length + 1) ctx.out.print("[bad ptr {}]", bytes[at + 2]);
    bool known = true;
    switch (flags & 0x0f) {
        case wire::ipv4_timestamp_flag::kTimestampsOnly: ctx.out.put("TSONLY"); break;
        case wire::ipv4_timestamp_flag::kAddressAndTimestamp: ctx.out.put("TS+ADDR"); break;
        case wire::ipv4_timestamp_flag::kPrespecified: ctx.out.put("PRESPEC"); break;
        default:
            ctx.out.print("[bad ts type {}]", flags & 0x0f);
            known = false;
            break;
    }
    if (known) {
        const char* type = " ";
        for (len = 4; len < length; len += hoplen) {
            if (ptr == len) type = " ^ ";
            // tcpdump checks the entry against the capture, not the option: a short last entry reads the bytes
            // that follow the option.
            if (at + len + hoplen > bytes.size()) return Ipv4OptionsEnd::Truncated;
            ctx.out.put(type);
            ctx.out.print("{}@", wire::load_be32(bytes.data() + at + len + hoplen - 4));
            if (hoplen == 8) ctx.out.put(ctx.names.ipv4(bytes.data() + at + len));
            type = " ";
        }
    }
    ctx.out.put(ptr == len ? " ^ " : "");
    if ((flags >> 4) != 0) {
        ctx.out.print(" [{} hops not recorded]}} ", flags >> 4);
    } else {
        ctx.out.put('}');
    }
    return Ipv4OptionsEnd::Done;
}

}  // namespace

Ipv4OptionsEnd print_ipv4_options(Context& ctx, wire::Bytes bytes, std::size_t declared_length) {
    std::size_t at = 0;
    std::size_t left = declared_length;
    const char* sep = "";
    while (left > 0) {
        ctx.out.put(sep);
        sep = ",";
        if (at >= bytes.size()) return Ipv4OptionsEnd::Longjmp;
        const std::uint8_t type = bytes[at];
        const std::string_view name = option_name(type);
        if (name.empty()) {
            ctx.out.print("unknown {}", type);
        } else {
            ctx.out.put(name);
        }
        std::uint32_t option_length = 1;
        if (!opt::is_single_octet(type)) {
            if (at + 1 >= bytes.size()) return Ipv4OptionsEnd::Longjmp;
            option_length = bytes[at + 1];
            if (option_length < 2) {
                ctx.out.print(" [bad length {}]", option_length);
                return Ipv4OptionsEnd::Done;
            }
        }
        if (option_length > left) {
            ctx.out.print(" [bad length {}]", option_length);
            return Ipv4OptionsEnd::Done;
        }
        if (at + option_length > bytes.size()) return Ipv4OptionsEnd::Truncated;
        Ipv4OptionsEnd end = Ipv4OptionsEnd::Done;
        switch (type) {
            case opt::kEndOfList:
                return Ipv4OptionsEnd::Done;
            case opt::kTimestamp:
                end = print_timestamp(ctx, bytes, at, option_length);
                break;
            case opt::kRecordRoute:
            case opt::kStrictSourceRoute:
            case opt::kLooseSourceRoute:
                end = print_route(ctx, bytes, at, option_length);
                break;
            case opt::kRouterAlert:
                if (option_length < 4) {
                    ctx.out.print(" [bad length {}]", option_length);
                } else if (wire::load_be16(bytes.data() + at + 2) != 0) {
                    ctx.out.print(" value {}", wire::load_be16(bytes.data() + at + 2));
                }
                break;
            default:
                break;
        }
        if (end != Ipv4OptionsEnd::Done) return end;
        at += option_length;
        left -= option_length;
    }
    return Ipv4OptionsEnd::Done;
}

}  // namespace synack::dump
