#include "tools/dump/hex_dump.hpp"

#include <cstddef>
#include <cstdint>

namespace synack::dump {
namespace {

constexpr std::size_t kBytesPerLine = 16;
constexpr std::size_t kHexColumnWidth = 40;  // 8 groups of " xxxx"

bool is_graph(std::uint8_t c) { return c > 0x20 && c < 0x7f; }

// tcpdump's "\n%s0x%04x: ": at least four digits, more past 0xffff (a jumbogram, a large loopback frame).
void offset_label(Output& out, std::size_t offset) {
    out.put("\n\t0x");
    if (offset > 0xffff) {
        out.print("{:x}", offset);
    } else {
        out.put_hex2(static_cast<std::uint8_t>(offset >> 8));
        out.put_hex2(static_cast<std::uint8_t>(offset));
    }
    out.put(": ");
}

}  // namespace

// tcpdump print-ascii.c hex_print_with_offset.
void hex_dump(Output& out, wire::Bytes bytes) {
    for (std::size_t i = 0; i < bytes.size(); i += 2) {
        if (i % kBytesPerLine == 0) offset_label(out, i);
        out.put(' ');
        out.put_hex2(bytes[i]);
        if (i + 1 < bytes.size()) out.put_hex2(bytes[i + 1]);
    }
}

// tcpdump print-ascii.c hex_and_ascii_print_with_offset.
void hex_ascii_dump(Output& out, wire::Bytes bytes) {
    for (std::size_t line = 0; line < bytes.size(); line += kBytesPerLine) {
        const std::size_t end = line + kBytesPerLine < bytes.size() ? line + kBytesPerLine : bytes.size();
        offset_label(out, line);
        std::size_t width = 0;
        for (std::size_t i = line; i < end; i += 2) {
            out.put(' ');
            out.put_hex2(bytes[i]);
            width += 3;
            if (i + 1 < end) {
                out.put_hex2(bytes[i + 1]);
                width += 2;
            }
        }
        for (; width < kHexColumnWidth; ++width) out.put(' ');
        out.put("  ");
        for (std::size_t i = line; i < end; ++i) out.put(is_graph(bytes[i]) ? static_cast<char>(bytes[i]) : '.');
    }
}

// tcpdump print-ascii.c ascii_print.
void ascii_dump(Output& out, wire::Bytes bytes) {
    out.put('\n');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::uint8_t c = bytes[i];
        if (c == '\r') {
            // A CR is shown as '.' only with at least two bytes after it, the first not a LF: a CR before a LF or
            // among the last two bytes is left out.
            if (bytes.size() - i - 1 > 1 && bytes[i + 1] != '\n') out.put('.');
        } else if (is_graph(c) || c == '\t' || c == ' ' || c == '\n') {
            out.put(static_cast<char>(c));
        } else {
            out.put('.');
        }
    }
}

}  // namespace synack::dump
