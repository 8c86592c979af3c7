// What every protocol printer gets: the flags, the output, the name and sequence-number state, and the
// per-packet bookkeeping tcpdump keeps in its netdissect_options (the protocol being printed, for " [|proto]",
// and the link-layer header length, for -x/-X/-A without the link layer).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tools/dump/names.hpp"
#include "tools/dump/options.hpp"
#include "tools/dump/output.hpp"
#include "tools/dump/seq_tracker.hpp"
#include "wire/address.hpp"
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
    // tcpdump's nd_print_trunc without the longjmp (a printer's "goto trunc"): " [|proto]" ends the line, and the
    // packet's dumps still leave out the link-layer header.
    Flow note_truncated(std::string_view proto) {
        protocol = proto;
        out.put(" [|");
        out.put(proto);
        out.put(']');
        return Flow::Ok;
    }
};

// Network-layer facts the transport printers need: the addresses (for the "a.p > b.q:" line, the pseudo-header
// checksum and the flow key), and whether the datagram is a fragment.
struct IpInfo {
    int version = 4;
    std::size_t address_length = 4;  // 4 or 16: the bytes of the arrays below in use
    std::array<std::uint8_t, 16> source{};
    std::array<std::uint8_t, 16> destination{};
    std::array<std::uint8_t, 16> final_destination{};  // after source routing: the pseudo-header's destination
    std::uint8_t header_protocol = 0;  // the protocol in the IP header itself: when it is the transport's own,
                                       // tcpdump prints the addresses with the ports
    bool fragmented = false;      // more fragments or a non-zero offset: no checksum check
    std::uint8_t ttl = 0;

    static IpInfo v4(const wire::Ipv4Address& src, const wire::Ipv4Address& dst, const wire::Ipv4Address& final_dst);
    static IpInfo v6(const wire::Ipv6Address& src, const wire::Ipv6Address& dst, const wire::Ipv6Address& final_dst);
    wire::Ipv4Address source_v4() const noexcept { return wire::Ipv4Address::from_bytes(source.data()); }
    wire::Ipv4Address final_destination_v4() const noexcept {
        return wire::Ipv4Address::from_bytes(final_destination.data());
    }
    wire::Ipv6Address source_v6() const noexcept { return wire::Ipv6Address::from_bytes(source.data()); }
    wire::Ipv6Address final_destination_v6() const noexcept {
        return wire::Ipv6Address::from_bytes(final_destination.data());
    }
};

inline IpInfo IpInfo::v4(const wire::Ipv4Address& src, const wire::Ipv4Address& dst,
                         const wire::Ipv4Address& final_dst) {
    IpInfo ip;
    ip.version = 4;
    ip.address_length = 4;
    src.write(ip.source.data());
    dst.write(ip.destination.data());
    final_dst.write(ip.final_destination.data());
    return ip;
}

inline IpInfo IpInfo::v6(const wire::Ipv6Address& src, const wire::Ipv6Address& dst,
                         const wire::Ipv6Address& final_dst) {
    IpInfo ip;
    ip.version = 6;
    ip.address_length = 16;
    src.write(ip.source.data());
    dst.write(ip.destination.data());
    final_dst.write(ip.final_destination.data());
    return ip;
}

}  // namespace synack::dump
