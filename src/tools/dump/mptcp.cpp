#include "tools/dump/mptcp.hpp"

#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::dump {
namespace {

constexpr std::uint8_t kSyn = wire::tcp_flags::kSyn;
constexpr std::uint8_t kAck = wire::tcp_flags::kAck;

bool capable(Output& out, wire::Bytes o, std::uint8_t flags) {
    const std::size_t n = o.size();
    if (!((n == 12 || n == 4) && (flags & kSyn) != 0) && !((n == 20 || n == 22) && (flags & (kSyn | kAck)) == kAck)) {
        return false;
    }
    const std::uint8_t version = o[2] & 0x0f;
    if (version > 1) {
        out.print(" Unknown Version ({})", version);
        return true;
    }
    out.print(" v{}", version);
    if (n < 4) return true;
    if ((o[3] & 0x80) != 0) out.put(" csum");
    if (n == 12 || n >= 20) {
        out.print(" {{0x{:x}", wire::load_be64(o.data() + 4));
        if (n >= 20) out.print(",0x{:x}", wire::load_be64(o.data() + 12));
        out.put('}');
    }
    return true;
}

bool join(Output& out, wire::Bytes o, std::uint8_t flags) {
    const std::size_t n = o.size();
    if (!(n == 12 && (flags & kSyn) != 0) && !(n == 16 && (flags & (kSyn | kAck)) == (kSyn | kAck)) &&
        !(n == 24 && (flags & kAck) != 0)) {
        return false;
    }
    if (n != 24) {
        if ((o[2] & 0x01) != 0) out.put(" backup");
        out.print(" id {}", o[3]);
    }
    if (n == 12) {
        out.print(" token 0x{:x} nonce 0x{:x}", wire::load_be32(o.data() + 4), wire::load_be32(o.data() + 8));
    } else if (n == 16) {
        out.print(" hmac 0x{:x} nonce 0x{:x}", wire::load_be64(o.data() + 4), wire::load_be32(o.data() + 12));
    } else {
        out.put(" hmac 0x");
        for (std::size_t i = 4; i < 24; ++i) out.put_hex2(o[i]);
    }
    return true;
}

bool dss(Output& out, wire::Bytes o, std::uint8_t flags) {
    if (o.size() < 4 || (flags & kSyn) != 0) return false;
    const std::uint8_t f = o[3];
    if ((f & 0x10) != 0) out.put(" fin");
    std::size_t at = 4;
    std::size_t left = o.size() - 4;
    auto number = [&](bool wide) -> bool {
        const std::size_t w = wide ? 8 : 4;
        if (left < w) return false;
        if (wide) {
            out.print("{}", wire::load_be64(o.data() + at));
        } else {
            out.print("{}", wire::load_be32(o.data() + at));
        }
        at += w;
        left -= w;
        return true;
    };
    if ((f & 0x01) != 0) {
        out.put(" ack ");
        if (!number((f & 0x02) != 0)) return false;
    }
    if ((f & 0x04) != 0) {
        out.put(" seq ");
        if (!number((f & 0x08) != 0)) return false;
        if (left < 4) return false;
        out.print(" subseq {}", wire::load_be32(o.data() + at));
        at += 4;
        left -= 4;
        if (left < 2) return false;
        out.print(" len {}", wire::load_be16(o.data() + at));
        at += 2;
        left -= 2;
        if (left >= 2) {
            out.print(" csum 0x{:x}", wire::load_be16(o.data() + at));
            left -= 2;
        }
    }
    return left == 0;
}

bool add_addr(Context& ctx, wire::Bytes o) {
    const std::size_t n = o.size();
    if (!(n == 8 || n == 10 || n == 16 || n == 18 || n == 20 || n == 22 || n == 28 || n == 30)) return false;
    switch (o[2] & 0x0f) {
        case 0x6: ctx.out.put(" v0-ip6"); break;
        case 0x4: ctx.out.put(" v0-ip4"); break;
        case 0x1: ctx.out.put(" v1-echo"); break;
        case 0x0: ctx.out.put(" v1"); break;
        default: ctx.out.put(" [bad version/echo]"); break;
    }
    ctx.out.print(" id {}", o[3]);
    if (n == 8 || n == 10 || n == 16 || n == 18) {
        ctx.out.put(' ');
        ctx.out.put(ctx.names.ipv4(o.data() + 4));
        if (n == 10 || n == 18) ctx.out.print(":{}", wire::load_be16(o.data() + 8));
        if (n == 16) ctx.out.print(" hmac 0x{:x}", wire::load_be64(o.data() + 8));
        if (n == 18) ctx.out.print(" hmac 0x{:x}", wire::load_be64(o.data() + 10));
    } else {
        ctx.out.put(' ');
        ctx.out.put(ctx.names.ipv6(o.data() + 4));
        if (n == 22 || n == 30) ctx.out.print(":{}", wire::load_be16(o.data() + 20));
        if (n == 28) ctx.out.print(" hmac 0x{:x}", wire::load_be64(o.data() + 20));
        if (n == 30) ctx.out.print(" hmac 0x{:x}", wire::load_be64(o.data() + 22));
    }
    return true;
}

}  // namespace

// tcpdump print-mptcp.c mptcp_print; the subtype comes from wire/'s MPTCP reader.
bool print_mptcp_option(Context& ctx, wire::Bytes option, std::uint8_t tcp_flags) {
    Output& out = ctx.out;
    if (option.size() < 3) return false;
    wire::TcpOptionIterator it(option);
    auto framed = it.next();
    std::uint8_t subtype = option[2] >> 4;
    if (framed) {
        if (auto mp = framed->as_mptcp()) subtype = mp->subtype;
    }
    out.print(" {}", option.size());
    static constexpr std::string_view kNames[] = {"capable", "join", "dss", "add-addr", "rem-addr",
                                                  "prio", "fail", "fast-close", "unknown"};
    if (subtype > 8) subtype = 8;
    out.put(' ');
    out.put(kNames[subtype]);
    const std::size_t n = option.size();
    switch (subtype) {
        case 0: return capable(out, option, tcp_flags);
        case 1: return join(out, option, tcp_flags);
        case 2: return dss(out, option, tcp_flags);
        case 3: return add_addr(ctx, option);
        case 4:
            if (n < 4) return false;
            out.put(" id");
            for (std::size_t i = 3; i < n; ++i) out.print(" {}", option[i]);
            return true;
        case 5:
            if (n != 3 && n != 4) return false;
            out.put((option[2] & 0x01) != 0 ? " backup" : " non-backup");
            if (n == 4) out.print(" id {}", option[3]);
            return true;
        case 6:
            if (n != 12) return false;
            out.print(" seq {}", wire::load_be64(option.data() + 4));
            return true;
        case 7:
            if (n != 12) return false;
            out.print(" key 0x{:x}", wire::load_be64(option.data() + 4));
            return true;
        default:
            return true;
    }
}

}  // namespace synack::dump
