// The ", options [...]" part of a TCP line (tcpdump print-tcp.c's option loop).
#pragma once

#include <cstdint>

#include "tools/dump/context.hpp"

namespace synack::dump {

// How the option list ended, which decides what tcpdump prints after it.
enum class OptionsEnd {
    Closed,     // "]" printed; the line goes on with ", length N"
    Bad,        // "[bad opt]" (and "]" unless it was the first option): the line ends
    Truncated,  // " [|tcp]" printed (and ">" after a first option): the line ends, the link header stays out of -x
    Longjmp,    // ran out of captured bytes reading a kind or length byte: the caller returns Flow::Truncated
};

struct OptionsInput {
    wire::Bytes captured;        // the option bytes present in the capture (may be fewer than declared)
    std::size_t declared = 0;    // data offset * 4 - 20
    std::uint32_t sack_base = 0; // subtracted from SACK edges (relative numbering), 0 with -S
    const IpInfo* ip = nullptr;  // for MD5 (which tcpdump cannot check without -M: it prints the digest)
    std::uint8_t tcp_flags = 0;  // MPTCP's printer looks at SYN/ACK
};

OptionsEnd print_tcp_options(Context& ctx, const OptionsInput& in);

}  // namespace synack::dump
