// Redis's RESP (tcpdump print-resp.c): ": RESP" and each element, e.g. ` "ping"`, pipelined commands included.
#include <climits>

#include "tools/dump/app_demux.hpp"

namespace synack::dump {
namespace {

// Walks one RESP element at a time. Every failure — running out of the segment or the capture, or malformed
// data — ends the summary with " [|RESP]" (tcpdump gives up the same way for all of them).
class RespPrinter {
public:
    RespPrinter(Context& ctx, wire::Bytes captured) : ctx_(ctx), cap_(captured) {}

    // The element at `at` within `len` bytes; bytes consumed, or -1.
    long parse(std::size_t at, long len) {
        if (len < 1 || at >= cap_.size()) return -1;
        switch (cap_[at]) {
            case '+':
            case '-':
            case ':':
                return string_error_integer(at, len);
            case '$':
                return bulk_string(at, len);
            case '*':
                return array(at, len);
            default:
                return inline_command(at, len);
        }
    }

private:
    bool present(std::size_t at, std::size_t n) const { return at + n <= cap_.size(); }

    // RESP_PRINT_SEGMENT: ` "text"` with unprintable bytes escaped.
    bool segment(std::size_t at, std::size_t n) {
        ctx_.out.put(" \"");
        for (std::size_t i = 0; i < n; ++i) {
            if (at + i >= cap_.size()) return false;
            ctx_.out.put_safe_char(cap_[at + i]);
        }
        ctx_.out.put('"');
        return true;
    }

    // FIND_CRLF from `at` within `len`: the index of the CR, or npos.
    std::size_t find_crlf(std::size_t at, long& len) const {
        for (;;) {
            if (len < 2 || !present(at, 2)) return std::string_view::npos;
            if (cap_[at] == '\r' && cap_[at + 1] == '\n') return at;
            ++at;
            --len;
        }
    }

    long string_error_integer(std::size_t at, long len) {
        long cur = len - 1;
        const std::size_t start = at + 1;
        const std::size_t cr = find_crlf(start, cur);
        if (cr == std::string_view::npos) return -1;
        if (!segment(start, cr - start)) return -1;
        return static_cast<long>(1 + (cr - start) + 2);
    }

    // resp_get_length: the length, -1 null, -2 truncated, -3 too large, -4 negative, -5 invalid.
    int get_length(std::size_t& at, long& len) {
        if (len == 0 || !present(at, 1)) return -2;
        bool neg = false;
        bool too_large = false;
        if (cap_[at] == '-') {
            neg = true;
            ++at;
            --len;
        }
        int result = 0;
        bool saw_digit = false;
        for (;;) {
            if (len == 0 || !present(at, 1)) return -2;
            const std::uint8_t c = cap_[at];
            if (c < '0' || c > '9') {
                if (!saw_digit) {
                    ++at;
                    return -5;
                }
                break;
            }
            const int d = c - '0';
            if (result > INT_MAX / 10) {
                too_large = true;
            } else {
                result *= 10;
                if (result == (INT_MAX / 10) * 10 && d > INT_MAX % 10) {
                    too_large = true;
                } else {
                    result += d;
                }
            }
            ++at;
            --len;
            saw_digit = true;
        }
        if (cap_[at] != '\r') {
            ++at;
            return -5;
        }
        ++at;
        --len;
        if (len == 0 || !present(at, 1)) return -2;
        if (cap_[at] != '\n') {
            ++at;
            return -5;
        }
        ++at;
        --len;
        if (neg) {
            if (too_large || result != 1) return -4;
            return -1;
        }
        return too_large ? -3 : result;
    }

    bool print_bad_length(int n) {
        switch (n) {
            case -1: ctx_.out.put(" null"); return true;
            case -2: return false;
            case -3: ctx_.out.put(" length too large"); return true;
            case -4: ctx_.out.put(" length negative and not -1"); return true;
            default: ctx_.out.put(" invalid"); return true;
        }
    }

    long bulk_string(std::size_t at, long len) {
        long cur = len - 1;
        ++at;
        // GET_LENGTH consumes what resp_get_length looked at, even on failure.
        const int n = get_length(at, cur);
        if (n >= 0) {
            if (n == 0) {
                ctx_.out.put(" empty");
            } else {
                if (cur < n || !present(at, static_cast<std::size_t>(n))) return -1;
                if (!segment(at, static_cast<std::size_t>(n))) return -1;
                at += static_cast<std::size_t>(n);
                cur -= n;
            }
            const std::size_t cr = find_crlf(at, cur);
            if (cr == std::string_view::npos) return -1;
            cur -= 2;
        } else if (!print_bad_length(n)) {
            return -1;
        }
        return len - cur;
    }

    long array(std::size_t at, long len) {
        long cur = len - 1;
        ++at;
        const int n = get_length(at, cur);
        if (n > 0) {
            for (int i = 0; i < n; ++i) {
                const long used = parse(at, cur);
                if (used < 0) return -1;
                at += static_cast<std::size_t>(used);
                cur -= used;
            }
        } else if (n == 0) {
            ctx_.out.put(" empty");
        } else if (!print_bad_length(n)) {
            return -1;
        }
        return len - cur;
    }

    // CONSUME_CR_OR_LF: false when the data ends before any CR or LF was seen.
    bool consume_cr_or_lf(std::size_t& at, long& len) const {
        bool found = false;
        for (;;) {
            if (len == 0 || !present(at, 1)) return found;
            if (cap_[at] != '\r' && cap_[at] != '\n') return true;
            found = true;
            ++at;
            --len;
        }
    }

    long inline_command(std::size_t at, long len) {
        long cur = len;
        // Leading line ends are skipped.
        if (!consume_cr_or_lf(at, cur)) return -1;
        const std::size_t start = at;
        for (;;) {
            if (cur < 1 || !present(at, 1)) return -1;
            if (cap_[at] == '\r' || cap_[at] == '\n') break;
            ++at;
            --cur;
        }
        if (!segment(start, at - start)) return -1;
        if (!consume_cr_or_lf(at, cur)) return -1;
        return len - cur;
    }

    Context& ctx_;
    wire::Bytes cap_;
};

}  // namespace

Flow print_resp(Context& ctx, wire::Bytes payload, std::uint32_t length) {
    ctx.protocol = "resp";
    if (length == 0) return Flow::Ok;
    ctx.out.put(": RESP");
    RespPrinter printer(ctx, payload);
    std::size_t at = 0;
    long left = static_cast<long>(length);
    while (left > 0) {
        const long used = printer.parse(at, left);
        if (used < 0) {
            ctx.out.put(" [|RESP]");
            return Flow::Ok;
        }
        at += static_cast<std::size_t>(used);
        left -= used;
    }
    return Flow::Ok;
}

}  // namespace synack::dump
