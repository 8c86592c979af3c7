// The tcpdump flags `synack dump` honours, as counts where tcpdump counts repetitions (-n, -v, -t, -x, -X, -A, -q).
#pragma once

#include <cstdint>
#include <string>

namespace synack::dump {

struct Options {
    int numeric = 0;        // -n: no host or port names (tcpdump's nflag; -nn changes nothing more for TCP/IP)
    bool absolute_seq = false;  // -S
    int time_format = 0;    // number of -t: 0 clock time, 1 none, 2 epoch, 3 delta previous, 4 date, 5 delta first
    int verbose = 0;        // -v count
    int hex = 0;            // -x count (2: include the link-layer header)
    int hex_ascii = 0;      // -X count (2: include the link-layer header)
    int ascii = 0;          // -A count
    bool link_header = false;   // -e
    int quiet = 0;          // -q count
    bool packet_number = false;  // -#
    bool nano = false;      // --nano: nanosecond timestamps (tcpdump --time-stamp-precision=nano)
    bool explain = false;   // --explain (synack only): one line per TCP segment on its role in the connection

    // tcpdump leaves out the raw hex of unknown payloads with -x, -X and -q (observed with tcpdump 4.99.3).
    bool suppress_default_print() const noexcept { return hex > 0 || hex_ascii > 0 || quiet > 0; }
};

}  // namespace synack::dump
