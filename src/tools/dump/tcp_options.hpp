// The ", options [...]" part of a TCP line (tcpdump print-tcp.c's option loop). The options are printed from
// their bytes, framed as tcpdump frames them: tcpdump shows options that wire::TcpOption's typed readers refuse
// (an MSS of length 5 prints " 1460[len 5]", a SACK of 10 bytes " invalid sack") and those the capture cut short
// up to the last whole field (SACK blocks one by one), so no typed reader fits its output. (--explain, which
// describes well-formed options only, reads them through wire::TcpOptionIterator.)
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
    bool segment_captured = true; // the whole segment is in the capture (else MD5 says "snaplen too short")
    std::uint8_t tcp_flags = 0;  // MPTCP's printer looks at SYN/ACK
};

OptionsEnd print_tcp_options(Context& ctx, const OptionsInput& in);

}  // namespace synack::dump
