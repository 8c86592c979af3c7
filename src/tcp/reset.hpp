// The reset Linux sends in reply to a segment (tcp_v4_send_reset(), tcp_v6_send_reset()), RFC 9293 §3.10.7.1:
// never in reply to a reset; if the segment carried an ACK, <SEQ=SEG.ACK><CTL=RST>; otherwise
// <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. Window 0, no options, from the control socket.
#pragma once

#include <optional>

#include "tcp/out_segment.hpp"
#include "tcp/segment.hpp"

namespace synack::tcp {

inline std::optional<OutSegment> make_reset(const Segment& seg, std::uint32_t txhash = 0) noexcept {
    if (seg.rst()) return std::nullopt;
    OutSegment r;
    r.control = true;
    r.txhash = txhash;
    if (seg.ack_flag()) {
        r.seq = seg.ack;
        r.flags = wire::tcp_flags::kRst;
    } else {
        r.seq = Seq32(0);
        r.ack = seg.end_seq();
        r.flags = wire::tcp_flags::kRst | wire::tcp_flags::kAck;
    }
    return r;
}

}  // namespace synack::tcp
