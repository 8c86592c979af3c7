// A segment the protocol wants sent: header fields, the options in Linux's order, and the payload (up to two
// pieces, since it is read out of a ring). The stack adds the ports, addresses and IP header.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "wire/bytes.hpp"
#include "wire/seq32.hpp"
#include "wire/tcp_options.hpp"

namespace synack::tcp {

struct OutOptions {
    std::uint16_t mss = 0;            // 0: no MSS option
    bool sack_permitted = false;
    bool timestamps = false;
    std::uint32_t tsval = 0;
    std::uint32_t tsecr = 0;
    std::int8_t window_scale = -1;    // < 0: no window scale option
    std::uint8_t sack_count = 0;      // SACK blocks, most recent first
    std::array<wire::SackBlock, 4> sack{};
};

// Linux tcp_options_write() (net/ipv4/tcp_output.c): MSS; then timestamps, preceded by SACK-permitted when both
// are sent (04 02 08 0a) or by two NOPs; SACK-permitted alone is NOP NOP 04 02; window scale is NOP 03 03 ws;
// SACK blocks are NOP NOP 05 len. The result is always a multiple of 4 bytes, with no padding needed.
void write_options(const OutOptions& options, wire::TcpOptionsBuilder& out) noexcept;

struct OutSegment {
    wire::Seq32 seq{};
    wire::Seq32 ack{};
    std::uint16_t flags = 0;   // wire::tcp_flags
    std::uint16_t window = 0;  // the field as sent (already scaled down)
    OutOptions options{};
    std::array<wire::Bytes, 2> payload{};
    // Sent the way Linux sends replies from its per-namespace control socket (tcp_v4_send_reset(),
    // tcp_v4_send_ack()): IPv4 ID 0; the IPv6 flow label from `txhash`, or from the flow's hash when 0.
    bool control = false;
    std::uint32_t txhash = 0;

    std::size_t payload_size() const noexcept { return payload[0].size() + payload[1].size(); }
};

}  // namespace synack::tcp
