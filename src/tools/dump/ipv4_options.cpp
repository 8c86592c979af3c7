// The IPv4 options list of -v (tcpdump print-ip.c ip_optprint, ip_printroute, ip_printts).
#include "tools/dump/ipv4.hpp"
#include "wire/ipv4_options.hpp"

namespace synack::dump {
namespace {

std::string_view option_name(std::uint8_t type) {
    switch (type) {
        case wire::ipv4_option::kEndOfList: return "EOL";
        case wire::ipv4_option::kNop: return "NOP";
        case wire::ipv4_option::kTimestamp: return "timestamp";
        case wire::ipv4_option::kSecurity: return "security";
        case wire::ipv4_option::kRecordRoute: return "RR";
        case wire::ipv4_option::kStrictSourceRoute: return "SSRR";
        case wire::ipv4_option::kLooseSourceRoute: return "LSRR";
        case wire::ipv4_option::kRouterAlert: return "RA";
        case 82: return "traceroute";  // RFC 1393
        default: return {};
    }
}

// `raw` is the whole option (type, length, data).
void print_route(Context& ctx, wire::Bytes raw) {
    const std::size_t length = raw.size();
    if (length < 3) {
        ctx.out.print(" [bad length {}]", length);
        return;
    }
    if (((length + 1) & 3) != 0) ctx.out.print(" [bad length {}]", length);
    const unsigned ptr = raw[2] - 1u;
    if (raw[2] == 0 || ptr < 3 || ((ptr + 1) & 3) != 0 || ptr > length + 1) ctx.out.print(" [bad ptr {}]", raw[2]);
    for (std::size_t at = 3; at + 4 <= length; at += 4) {
        ctx.out.put(' ');
        ctx.out.put(ctx.names.ipv4(raw.data() + at));
        if (raw[2] != 0 && ptr > at) ctx.out.put(',');
    }
}

void print_timestamp(Context& ctx, wire::Bytes raw) {
    const std::size_t length = raw.size();
    if (length < 4) {
        ctx.out.print("[bad length {}]", length);
        return;
    }
    ctx.out.put(" TS{");
    const std::uint8_t flag = raw[3] & 0x0f;
    const std::size_t hoplen = flag != wire::ipv4_timestamp_flag::kTimestampsOnly ? 8 : 4;
    if (((length - 4) & (hoplen - 1)) != 0) ctx.out.print("[bad length {}]", length);
    const std::size_t ptr = static_cast<std::size_t>(raw[2]) - 1;  // wraps for 0, as tcpdump's u_int does
    if (raw[2] == 0 || ptr < 4 || ((ptr - 4) & (hoplen - 1)) != 0 || ptr > length + 1) {
        ctx.out.print("[bad ptr {}]", raw[2]);
    }
    std::size_t at = 0;
    bool known = true;
    switch (flag) {
        case 0: ctx.out.put("TSONLY"); break;
        case 1: ctx.out.put("TS+ADDR"); break;
        case 2: ctx.out.put("PRESPEC2.0"); break;
        case 3: ctx.out.put("PRESPEC"); break;
        default:
            ctx.out.print("[bad ts type {}]", flag);
            known = false;
            break;
    }
    if (known) {
        const char* type = " ";
        for (at = 4; at < length; at += hoplen) {
            if (ptr == at) type = " ^ ";
            if (at + hoplen > length) break;  // cannot happen with a whole option, kept for safety
            ctx.out.put(type);
            ctx.out.print("{}@", wire::load_be32(raw.data() + at + hoplen - 4));
            if (hoplen == 8) ctx.out.put(ctx.names.ipv4(raw.data() + at));
            type = " ";
        }
    }
    ctx.out.put(ptr == at ? " ^ " : "");
    if ((raw[3] >> 4) != 0) {
        ctx.out.print(" [{} hops not recorded]}} ", raw[3] >> 4);
    } else {
        ctx.out.put('}');
    }
}

}  // namespace

bool print_ipv4_options(Context& ctx, wire::Bytes options, std::size_t declared_length) {
    wire::Ipv4OptionIterator it(options);
    std::size_t left = declared_length;
    const char* sep = "";
    while (left > 0) {
        ctx.out.put(sep);
        sep = ",";
        const std::size_t at = it.offset();
        if (at >= options.size()) return false;  // the capture ends before the next option
        const std::uint8_t type = options[at];
        const std::string_view name = option_name(type);
        if (name.empty()) {
            ctx.out.print("unknown {}", type);
        } else {
            ctx.out.put(name);
        }
        std::size_t option_length = 1;
        if (!wire::ipv4_option::is_single_octet(type)) {
            if (at + 1 >= options.size()) return false;
            option_length = options[at + 1];
            if (option_length < 2 || option_length > left) {
                ctx.out.print(" [bad length {}]", option_length);
                return true;
            }
        }
        auto opt = it.next();
        if (!opt) return false;  // framed within the declared length but cut short by the capture
        const wire::Bytes raw = options.subspan(at, opt->length());
        switch (type) {
            case wire::ipv4_option::kEndOfList:
                return true;
            case wire::ipv4_option::kTimestamp:
                print_timestamp(ctx, raw);
                break;
            case wire::ipv4_option::kRecordRoute:
            case wire::ipv4_option::kStrictSourceRoute:
            case wire::ipv4_option::kLooseSourceRoute:
                print_route(ctx, raw);
                break;
            case wire::ipv4_option::kRouterAlert:
                if (raw.size() < 4) {
                    ctx.out.print(" [bad length {}]", raw.size());
                } else if (wire::load_be16(raw.data() + 2) != 0) {
                    ctx.out.print(" value {}", wire::load_be16(raw.data() + 2));
                }
                break;
            default:
                break;
        }
        left -= raw.size();
    }
    return true;
}

}  // namespace synack::dump
