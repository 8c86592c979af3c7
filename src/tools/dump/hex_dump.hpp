// The raw-byte dumps of -x (hex), -X (hex and ASCII) and -A (ASCII), laid out as tcpdump's print-ascii.c does.
#pragma once

#include "tools/dump/output.hpp"
#include "wire/bytes.hpp"

namespace synack::dump {

// "\n\t0x0000:  4500 003c ..." — eight 16-bit groups per line.
void hex_dump(Output& out, wire::Bytes bytes);
// The same with the printable characters beside each line, the hex column padded to 40 characters.
void hex_ascii_dump(Output& out, wire::Bytes bytes);
// A newline, then the bytes with everything unprintable but tab, space and newline as '.', a CR before LF dropped.
void ascii_dump(Output& out, wire::Bytes bytes);

}  // namespace synack::dump
