// HTTP's one-line summary and, with -v, its header lines (tcpdump print-http.c through util-print.c
// txtproto_print): ": HTTP: GET / HTTP/1.1", or ": HTTP, length: N" and one "\n\t" line per text line.
#include <array>

#include "tools/dump/app_demux.hpp"

namespace synack::dump {
namespace {

constexpr std::size_t kMaxToken = 128;

// tcpdump print-http.c httpcmds.
constexpr std::string_view kMethods[] = {
    "GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL", "TRACE", "LABEL",
    "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY", "BDELETE", "CONNECT", "OPTIONS",
    "CHECKIN", "PROPFIND", "CHECKOUT", "CCM_POST", "SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH",
    "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT", "VERSION-CONTROL", "BASELINE-CONTROL",
};

bool is_print(std::uint8_t c) { return c >= 0x20 && c <= 0x7e; }

bool equal_ignore_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
        if (x != y) return false;
    }
    return true;
}

// tcpdump util-print.c fetch_token: the token at `idx` and the index after the blanks that follow it (0: none).
std::size_t fetch_token(wire::Bytes captured, std::size_t idx, std::size_t len, std::array<char, kMaxToken + 1>& tok,
                        std::size_t& toklen) {
    toklen = 0;
    for (; idx < len; ++idx) {
        if (idx >= captured.size()) return 0;
        const std::uint8_t c = captured[idx];
        if (c >= 0x80) return 0;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') break;
        if (!is_print(c)) return 0;
        if (toklen + 2 > tok.size()) return 0;
        tok[toklen++] = static_cast<char>(c);
    }
    if (toklen == 0) return 0;
    for (; idx < len; ++idx) {
        if (idx >= captured.size()) break;
        const std::uint8_t c = captured[idx];
        if (c == '\r' || c == '\n') break;
        if (!is_print(c)) break;
        if (c != ' ' && c != '\t') break;
    }
    return idx;
}

// tcpdump util-print.c print_txt_line: the line at `idx` after `prefix`; the index after its end of line, 0 if
// none (binary data, or no line end in the packet). Truncated if the line runs past the captured bytes.
Flow print_txt_line(Context& ctx, std::string_view prefix, wire::Bytes captured, std::size_t idx, std::size_t len,
                    std::size_t& next) {
    next = 0;
    const std::size_t start = idx;
    std::size_t line_length = 0;
    bool ended = false;
    while (idx < len) {
        if (idx >= captured.size()) return ctx.truncated("http");
        const std::uint8_t c = captured[idx];
        if (c == '\n') {
            line_length = idx - start;
            idx += 1;
            ended = true;
            break;
        }
        if (c == '\r') {
            if (idx + 1 >= len) return Flow::Ok;
            if (idx + 1 >= captured.size()) return ctx.truncated("http");
            if (captured[idx + 1] == '\n') {
                line_length = idx - start;
                idx += 2;
                ended = true;
                break;
            }
            return Flow::Ok;
        }
        if (!is_print(c) && c != '\t') return Flow::Ok;
        ++idx;
    }
    if (!ended) line_length = idx - start;
    ctx.out.put(prefix);
    ctx.out.put(std::string_view(reinterpret_cast<const char*>(captured.data() + start), line_length));
    if (ended) {
        next = idx;
        return Flow::Ok;
    }
    // All printable, but no end of line in the segment: tcpdump calls it truncated (without a longjmp).
    return ctx.note_truncated(ctx.protocol);
}

}  // namespace

Flow print_http(Context& ctx, wire::Bytes payload, std::uint32_t length) {
    ctx.protocol = "http";
    ctx.out.put(": ");
    std::array<char, kMaxToken + 1> token{};
    std::size_t toklen = 0;
    bool print_this = false;
    std::size_t idx = fetch_token(payload, 0, length, token, toklen);
    if (idx != 0) {
        const std::string_view word(token.data(), toklen);
        for (std::string_view m : kMethods) {
            if (equal_ignore_case(word, m)) {
                print_this = true;
                break;
            }
        }
        // The status code is the second token of a response line ("HTTP/1.1 200 OK").
        idx = fetch_token(payload, idx, length, token, toklen);
        if (idx != 0 && toklen == 3 && token[0] >= '0' && token[0] <= '9' && token[1] >= '0' && token[1] <= '9' &&
            token[2] >= '0' && token[2] <= '9') {
            print_this = true;
        }
    }
    ctx.out.put("HTTP");
    if (!print_this) return Flow::Ok;
    std::size_t next = 0;
    if (ctx.options.verbose > 0) {
        ctx.out.print(", length: {}", length);
        for (idx = 0; idx < length; idx = next) {
            if (print_txt_line(ctx, "\n\t", payload, idx, length, next) == Flow::Truncated) return Flow::Truncated;
            if (next == 0) break;
        }
        return Flow::Ok;
    }
    return print_txt_line(ctx, ": ", payload, 0, length, next);
}

}  // namespace synack::dump
