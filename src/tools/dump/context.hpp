// What every protocol printer gets: the flags, the output, the name and sequence-number state, and the
// per-packet bookkeeping tcpdump keeps in its netdissect_options (the protocol being printed, for " [|proto]",
// and the link-layer header length, for -x/-X/-A without the link layer).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/dump/names.hpp"
#include "tools/dump/options.hpp"
#include "tools/dump/output.hpp"
#include "tools/dump/seq_tracker.hpp"
#include "wire/bytes.hpp"

namespace synack::dump {

class Explainer;

// How a printer ended: Truncated means it ran out of captured bytes; the caller stops printing at once and the
// packet line ends with " [|protocol]" (tcpdump longjmps out of every printer in that case).
enum class [[nodiscard]] Flow { Ok, Truncated };

struct Context {
    const Options& options;
    Output& out;
    Names& names;
    SeqTracker& seq;
    Explainer* explainer = nullptr;       // --explain
    std::string_view protocol = "";       // tcpdump's ndo_protocol
    std::size_t link_header_length = 0;   // tcpdump's ndo_ll_hdr_len

    Flow truncated(std::string_view proto) {
        protocol = proto;
        return Flow::Truncated;
    }
};

// Network-layer facts the transport printers need: the addresses (for the "a.p > b.q:" line, the pseudo-header
// checksum and the flow key), and whether the datagram is a fragment.
struct IpInfo {
    int version = 4;
    const std::uint8_t* source = nullptr;       // 4 or 16 bytes
    const std::uint8_t* destination = nullptr;
    const std::uint8_t* final_destination = nullptr;  // after source routing: the pseudo-header's destination
    std::size_t address_length = 4;
    std::uint8_t header_protocol = 0;  // the protocol in the IP header itself: when it is the transport's own,
                                       // tcpdump prints the addresses with the ports
    bool fragmented = false;      // more fragments or a non-zero offset: no checksum check
    bool checksum_possible = true;  // IPv6 with a zero payload length (jumbogram) cannot be checked
    std::uint8_t ttl = 0;
};

}  // namespace synack::dump
