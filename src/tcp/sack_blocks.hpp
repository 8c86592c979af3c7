// The SACK blocks a receiver reports (RFC 2018 §4), kept as Linux keeps tp->selective_acks[]: the block holding
// the most recent out-of-order segment first, then the most recently reported others, at most TCP_NUM_SACKS (4)
// of them. They are not derived from the out-of-order queue: a range pushed out of the four is not reported
// again (Linux behaves so), and the blocks a hole-filling segment covers are dropped (tcp_sack_remove()).
#pragma once

#include <array>
#include <cstdint>

#include "tcp/ofo_queue.hpp"

namespace synack::tcp {

struct SackBlocks {
    static constexpr std::uint8_t kNumSacks = 4;        // TCP_NUM_SACKS
    static constexpr std::uint8_t kBlocksExpected = 2;  // TCP_SACK_BLOCKS_EXPECTED (tcp_input.c)

    std::array<SeqRange, kNumSacks> block{};
    std::uint8_t num = 0;

    // Linux tcp_sack_extend(): grows `b` to cover [seq, end_seq) when they overlap or touch.
    static bool extend(SeqRange& b, wire::Seq32 seq, wire::Seq32 end_seq) noexcept {
        if (!wire::after(seq, b.end) && !wire::after(b.start, end_seq)) {
            if (wire::before(seq, b.start)) b.start = seq;
            if (wire::after(end_seq, b.end)) b.end = end_seq;
            return true;
        }
        return false;
    }

    // Linux tcp_sack_maybe_coalesce(): the first block, just grown, swallows the others it now reaches.
    void maybe_coalesce() noexcept {
        for (std::uint8_t i = 1; i < num;) {
            if (extend(block[0], block[i].start, block[i].end)) {
                --num;
                for (std::uint8_t j = i; j < num; ++j) block[j] = block[j + 1];
                continue;
            }
            ++i;
        }
    }

    // Linux tcp_sack_remove(): RCV.NXT advanced; the blocks it covers go (all of them when nothing is held).
    void remove(wire::Seq32 rcv_nxt, bool ofo_empty) noexcept {
        if (ofo_empty) {
            num = 0;
            return;
        }
        for (std::uint8_t i = 0; i < num;) {
            if (!wire::before(rcv_nxt, block[i].start)) {
                --num;
                for (std::uint8_t j = i; j < num; ++j) block[j] = block[j + 1];
                continue;
            }
            ++i;
        }
    }
};

}  // namespace synack::tcp
