// An arriving TCP segment as the protocol reads it: header fields, payload, and the options Linux's
// tcp_parse_options() (net/ipv4/tcp_input.c) takes from it.
#pragma once

#include <cstdint>

#include "wire/bytes.hpp"
#include "wire/seq32.hpp"
#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::tcp {

using wire::Seq32;

// What the options said, parsed the way Linux's tcp_parse_options() does: a framing error ends the walk but
// keeps what came before; an option of the wrong length is ignored; MSS, window scale and SACK-permitted
// count only on a SYN; an MSS of 0 is ignored; a window scale above 14 is read as 14 (RFC 7323 §2.3).
// Whether timestamps and SACK blocks apply (negotiated, sysctl on) is for the receiver to decide.
struct SegmentOptions {
    std::uint16_t mss = 0;  // 0: none
    bool has_window_scale = false;
    std::uint8_t window_scale = 0;
    bool sack_permitted = false;
    bool has_timestamps = false;
    std::uint32_t tsval = 0;
    std::uint32_t tsecr = 0;
    wire::SackBlocks sack{};
};

inline constexpr std::uint8_t kMaxWindowScale = 14;  // RFC 7323 §2.3, Linux TCP_MAX_WSCALE

struct Segment {
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    Seq32 seq{};
    Seq32 ack{};
    std::uint16_t flags = 0;  // wire::tcp_flags
    std::uint16_t window = 0;  // as sent, unscaled
    std::uint16_t urgent_pointer = 0;
    wire::Bytes payload{};
    SegmentOptions options{};
    std::uint8_t tos = 0;  // the IPv4 TOS / IPv6 traffic class it came with (replies reflect its DSCP)

    bool has(std::uint16_t f) const noexcept { return (flags & f) != 0; }
    bool syn() const noexcept { return has(wire::tcp_flags::kSyn); }
    bool fin() const noexcept { return has(wire::tcp_flags::kFin); }
    bool rst() const noexcept { return has(wire::tcp_flags::kRst); }
    bool ack_flag() const noexcept { return has(wire::tcp_flags::kAck); }
    // SEG.LEN of RFC 9293 §3.4: payload octets plus one for SYN and one for FIN.
    std::uint32_t seg_len() const noexcept {
        return static_cast<std::uint32_t>(payload.size()) + (syn() ? 1u : 0u) + (fin() ? 1u : 0u);
    }
    Seq32 end_seq() const noexcept { return seq + seg_len(); }
};

// Reads a segment from a view whose header (options included) is whole; the payload is what follows it.
Segment parse_segment(const wire::TcpView& view) noexcept;
SegmentOptions parse_options(wire::Bytes options, bool syn) noexcept;

}  // namespace synack::tcp
