#include "tools/dump/tcp_options.hpp"

#include "tools/dump/mptcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::dump {
namespace {

namespace kind = wire::tcp_option_kind;

// tcpdump print-tcp.c tcp_option_values.
std::string_view option_name(std::uint8_t k) {
    switch (k) {
        case kind::kEol: return "eol";
        case kind::kNop: return "nop";
        case kind::kMss: return "mss";
        case kind::kWindowScale: return "wscale";
        case kind::kSackPermitted: return "sackOK";
        case kind::kSack: return "sack";
        case 6: return "echo";
        case 7: return "echoreply";
        case kind::kTimestamps: return "TS";
        case 11: return "cc";
        case 12: return "ccnew";
        case 13: return "";
        case kind::kMd5Signature: return "md5";
        case 20: return "scps";
        case kind::kUserTimeout: return "uto";
        case kind::kAuthentication: return "tcp-ao";
        case kind::kMptcp: return "mptcp";
        case kind::kFastOpen: return "tfo";
        case kind::kExperiment2: return "exp";
        default: return {};
    }
}

// tcpdump print-tcp.c print_tcp_fastopen_option.
void print_fast_open(Output& out, wire::Bytes cookie, bool experimental) {
    if (experimental) out.put("tfo");
    if (cookie.empty()) {
        out.put(" cookiereq");
    } else if (cookie.size() % 2 != 0 || cookie.size() < 4 || cookie.size() > 16) {
        out.put(" (invalid)");
    } else {
        out.put(" cookie ");
        for (std::uint8_t b : cookie) out.put_hex2(b);
    }
}

}  // namespace

OptionsEnd print_tcp_options(Context& ctx, const OptionsInput& in) {
    Output& out = ctx.out;
    const wire::Bytes bytes = in.captured;
    std::size_t hlen = in.declared;  // option bytes left by the data offset
    std::size_t at = 0;              // tcpdump's cp
    char ch = '\0';
    out.put(", options [");
    while (hlen > 0) {
        if (ch != '\0') out.put(ch);
        if (at >= bytes.size()) return OptionsEnd::Longjmp;
        const std::uint8_t opt = bytes[at];
        std::size_t len = 1;
        if (opt != kind::kEol && opt != kind::kNop) {
            if (at + 1 >= bytes.size()) return OptionsEnd::Longjmp;
            len = bytes[at + 1];
            if (len < 2 || len > hlen) {
                out.put("[bad opt]");
                if (ch != '\0') out.put(']');
                return OptionsEnd::Bad;
            }
            --hlen;
        }
        --hlen;
        const std::size_t data_at = opt == kind::kEol || opt == kind::kNop ? at + 1 : at + 2;

        const std::string_view name = option_name(opt);
        if (name.data() == nullptr) {
            out.print("unknown-{}", opt);
        } else {
            out.put(name);
        }
        std::size_t datalen = 0;
        // tcpdump's LENCHECK: past the option space is a bad option, past the capture a truncation.
        auto lencheck = [&](std::size_t l) -> std::optional<OptionsEnd> {
            if (l > hlen) {
                out.put("[bad opt]");
                if (ch != '\0') out.put(']');
                return OptionsEnd::Bad;
            }
            if (data_at + l > bytes.size()) {
                out.put(" [|tcp]");
                if (ch != '\0') out.put('>');
                return OptionsEnd::Truncated;
            }
            return std::nullopt;
        };
        const std::uint8_t* cp = bytes.data() + data_at;  // read only after lencheck
        switch (opt) {
            case kind::kMss: {
                datalen = 2;
                if (auto end = lencheck(datalen)) return *end;
                out.print(" {}", wire::load_be16(cp));
                break;
            }
            case kind::kWindowScale: {
                datalen = 1;
                if (auto end = lencheck(datalen)) return *end;
                out.print(" {}", cp[0]);
                break;
            }
            case kind::kSack: {
                datalen = len - 2;
                if (datalen % 8 != 0) {
                    out.put(" invalid sack");
                } else {
                    out.print(" {} ", datalen / 8);
                    for (std::size_t i = 0; i < datalen; i += 8) {
                        if (auto end = lencheck(i + 4)) return *end;
                        const std::uint32_t s = wire::load_be32(cp + i);
                        if (auto end = lencheck(i + 8)) return *end;
                        const std::uint32_t e = wire::load_be32(cp + i + 4);
                        out.print("{{{}:{}}}", s - in.sack_base, e - in.sack_base);
                    }
                }
                break;
            }
            case 6: case 7: case 11: case 12: case 13: {  // echo, echoreply, cc, ccnew, ccecho
                datalen = 4;
                if (auto end = lencheck(datalen)) return *end;
                out.print(" {}", wire::load_be32(cp));
                break;
            }
            case kind::kTimestamps: {
                datalen = 8;
                if (auto end = lencheck(datalen)) return *end;
                out.print(" val {} ecr {}", wire::load_be32(cp), wire::load_be32(cp + 4));
                break;
            }
            case kind::kMd5Signature: {
                datalen = 16;
                if (auto end = lencheck(datalen)) return *end;
                // tcpdump print-tcp.c tcp_verify_signature: first whether the segment is all there, then the
                // secret (Debian's tcpdump has libcrypto, but no secret without -M).
                out.put(in.segment_captured ? " shared secret not supplied with -M, can't check - "
                                            : " snaplen too short, can't check - ");
                for (std::size_t i = 0; i < 16; ++i) out.put_hex2(cp[i]);
                break;
            }
            case 20: {  // SCPS
                datalen = 2;
                if (auto end = lencheck(datalen)) return *end;
                out.print(" cap {:02x} id {}", cp[0], cp[1]);
                break;
            }
            case kind::kAuthentication: {
                datalen = len - 2;
                if (datalen < 2) {
                    out.put(" (invalid)");
                } else {
                    if (auto end = lencheck(1)) return *end;
                    out.print(" keyid {}", cp[0]);
                    if (auto end = lencheck(2)) return *end;
                    out.print(" rnextkeyid {}", cp[1]);
                    if (datalen > 2) {
                        out.put(" mac 0x");
                        for (std::size_t i = 2; i < datalen; ++i) {
                            if (auto end = lencheck(i + 1)) return *end;
                            out.put_hex2(cp[i]);
                        }
                    }
                }
                break;
            }
            case kind::kEol:
            case kind::kNop:
            case kind::kSackPermitted:
                break;
            case kind::kUserTimeout: {
                datalen = 2;
                if (auto end = lencheck(datalen)) return *end;
                std::uint32_t uto = wire::load_be16(cp);
                out.print(" 0x{:x}", uto);
                uto = (uto & 1) != 0 ? (uto >> 1) * 60 : uto >> 1;
                out.print(" {}", uto);
                break;
            }
            case kind::kMptcp: {
                datalen = len - 2;
                if (auto end = lencheck(datalen)) return *end;
                if (!print_mptcp_option(ctx, bytes.subspan(at, len), in.tcp_flags)) {
                    out.put("[bad opt]");
                    if (ch != '\0') out.put(']');
                    return OptionsEnd::Bad;
                }
                break;
            }
            case kind::kFastOpen: {
                datalen = len - 2;
                if (auto end = lencheck(datalen)) return *end;
                out.put(' ');
                print_fast_open(out, bytes.subspan(data_at, datalen), false);
                break;
            }
            case kind::kExperiment2: {
                datalen = len - 2;
                if (auto end = lencheck(datalen)) return *end;
                if (datalen < 2) {
                    out.put("[bad opt]");
                    if (ch != '\0') out.put(']');
                    return OptionsEnd::Bad;
                }
                const std::uint16_t magic = wire::load_be16(cp);
                out.put('-');
                if (magic == wire::kFastOpenExperimentId) {
                    print_fast_open(out, bytes.subspan(data_at + 2, datalen - 2), true);
                } else {
                    out.print("{:04x}", magic);
                }
                break;
            }
            default: {
                datalen = len - 2;
                if (datalen != 0) out.put(" 0x");
                for (std::size_t i = 0; i < datalen; ++i) {
                    if (auto end = lencheck(i + 1)) return *end;
                    out.put_hex2(cp[i]);
                }
                break;
            }
        }
        at = data_at + datalen;
        hlen -= datalen;
        std::size_t spec = datalen + 1;
        if (opt != kind::kEol && opt != kind::kNop) ++spec;
        if (spec != len) out.print("[len {}]", len);
        ch = ',';
        if (opt == kind::kEol) break;
    }
    out.put(']');
    return OptionsEnd::Closed;
}

}  // namespace synack::dump
