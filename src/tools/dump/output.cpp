#include "tools/dump/output.hpp"

namespace synack::dump {

void Output::put_uint(std::uint64_t v) {
    char digits[20];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) buffer_.push_back(digits[--n]);
}

void Output::put_hex2(std::uint8_t v) {
    static constexpr char kHex[] = "0123456789abcdef";
    buffer_.push_back(kHex[v >> 4]);
    buffer_.push_back(kHex[v & 0xf]);
}

// tcpdump util-print.c fn_print_char.
void Output::put_safe_char(std::uint8_t c) {
    if (c >= 0x80) {
        c &= 0x7f;
        put("M-");
    }
    if (c < 0x20 || c == 0x7f) {
        c ^= 0x40;  // DEL to '?', the others to letters
        put('^');
    }
    put(static_cast<char>(c));
}

bool Output::flush_to(std::FILE* f, std::size_t threshold) {
    if (buffer_.size() < threshold || buffer_.size() == 0) return true;
    const bool ok = std::fwrite(buffer_.data(), 1, buffer_.size(), f) == buffer_.size();
    buffer_.clear();
    return ok;
}

}  // namespace synack::dump
