// The SACK scoreboard (RFC 2018, RFC 2883 D-SACK) as Linux keeps it (tcp_sacktag_write_queue() and helpers in
// net/ipv4/tcp_input.c): each SACK block marks the segments of the retransmission queue it wholly covers; a
// segment only partly covered stays unmarked (Linux's tcp_match_skb_to_sack() splits skbs at MSS boundaries
// only, and synack's records are one segment each). Segments newly SACKed advance RACK and count as delivered;
// a never-retransmitted segment SACKed below the highest SACK is reordering.
#include <algorithm>

#include "tcp/ack_flags.hpp"
#include "tcp/sack_state.hpp"

namespace synack::tcp {


// Linux tcp_highest_sack_seq(): where the highest SACKed segment ends (SND.UNA when nothing is SACKed).
Seq32 Connection::highest_sack_seq() const noexcept { return sacked_out_ != 0 ? highest_sack_ : snd_una_; }

// Linux tcp_is_sackblock_valid(). synack keeps no undo marker yet, so a D-SACK below SND.UNA is not used.
bool Connection::sack_block_valid(bool dsack, Seq32 start, Seq32 end) const noexcept {
    (void)dsack;
    if (wire::after(end, snd_nxt_) || !wire::before(start, end)) return false;  // in the future, or reversed
    if (!wire::before(start, snd_nxt_)) return false;
    return wire::after(start, snd_una_);
}

// Linux tcp_check_dsack(): the first block is a D-SACK when it lies below the cumulative ACK or inside the
// second block (RFC 2883 §4).
bool Connection::check_dsack(const Segment& seg, Seq32 prior_snd_una, SackState& state) {
    (void)prior_snd_una;
    const auto& sp = seg.options.sack;
    const Seq32 start0 = sp[0].left;
    const Seq32 end0 = sp[0].right;
    if (wire::before(start0, seg.ack)) {
        mib().inc(Counter::kTcpDsackRecv);
    } else if (sp.count > 1) {
        if (wire::after(end0, sp[1].right) || wire::before(start0, sp[1].left)) return false;
        mib().inc(Counter::kTcpDsackOfoRecv);
    } else {
        return false;
    }
    // tcp_dsack_seen(): a D-SACK wider than any window, or for more than was ever retransmitted, is dubious.
    if (!wire::before(start0, end0)) return false;
    const std::uint32_t seq_len = end0.distance_from(start0);
    if (seq_len > max_window_) return false;
    const std::uint32_t mss = std::max<std::uint32_t>(mss_cache_, 1);
    const std::uint32_t dup_segs = seq_len > mss ? (seq_len + mss - 1) / mss : 1;
    dsack_dups_ += dup_segs;
    if (dsack_dups_ > total_retrans_) return false;
    // RACK grows its reordering window in rounds with D-SACKs that reordering may have caused.
    if (reord_seen_ != 0) rack_dsack_seen_ = true;
    state.flag |= ack_flag::kDsackingAck;
    state.sack_delivered += dup_segs;  // a spurious retransmission was delivered
    return true;
}

// Linux tcp_sacktag_write_queue().
std::uint32_t Connection::sacktag_write_queue(const Segment& seg, Seq32 prior_snd_una, SackState& state) {
    state.flag = 0;
    state.reord = snd_nxt_;
    if (sacked_out_ == 0) highest_sack_ = snd_una_;  // tcp_highest_sack_reset()
    const auto& sp = seg.options.sack;
    const bool found_dup_sack = check_dsack(seg, prior_snd_una, state);
    // Too old an ACK to trust; a fresher one may still carry valid SACK information.
    if (wire::before(seg.ack, prior_snd_una - max_window_)) return 0;
    if (packets_out_ == 0) return state.flag;

    struct Block {
        Seq32 start;
        Seq32 end;
        bool dup;
    };
    std::array<Block, wire::kMaxSackBlocks> blocks{};
    std::size_t used = 0;
    for (std::size_t i = 0; i < sp.count; ++i) {
        const bool dup_sack = found_dup_sack && i == 0;
        const Seq32 start = sp[i].left;
        const Seq32 end = sp[i].right;
        if (!sack_block_valid(dup_sack, start, end)) continue;
        if (!wire::after(end, prior_snd_una)) continue;  // very old
        blocks[used++] = {start, end, dup_sack};
    }
    // In sequence order (Linux sorts them the same way; a D-SACK inside a SACK block sorts before it).
    for (std::size_t i = 1; i < used; ++i) {
        for (std::size_t j = i; j > 0 && wire::before(blocks[j].start, blocks[j - 1].start); --j) {
            std::swap(blocks[j], blocks[j - 1]);
        }
    }

    for (std::size_t b = 0; b < used; ++b) {
        const Block& blk = blocks[b];
        std::uint32_t i = rtx_.find(blk.start);
        if (i == rtx_.size()) continue;
        for (; i < rtx_.size(); ++i) {
            TxRecord& r = rtx_[i];
            if (wire::after(r.end_seq(), blk.end)) break;
            if (wire::before(r.seq, blk.start)) continue;  // partly covered: not SACKed
            sacktag_one(state, r, blk.dup);
            if (r.has(tx_flag::kSackedAcked) && !wire::before(r.seq, highest_sack_seq())) {
                highest_sack_ = r.end_seq();  // tcp_advance_highest_sack()
            }
        }
    }
    check_sack_reordering(state.reord);
    return state.flag;
}

// Linux tcp_sacktag_one(): one segment wholly inside a SACK block.
void Connection::sacktag_one(SackState& state, TxRecord& r, bool dup_sack) {
    std::uint8_t flags = r.flags;
    const Seq32 start = r.seq;
    const Seq32 end = r.end_seq();
    const std::uint64_t xmit_us = r.xmit_us;
    if (dup_sack && (flags & tx_flag::kEverRetrans) != 0 && (flags & tx_flag::kSackedAcked) != 0 &&
        wire::before(start, state.reord)) {
        state.reord = start;
    }
    if (!wire::after(end, snd_una_)) return;  // about to be dropped as ACKed
    if ((flags & tx_flag::kSackedAcked) == 0) {
        rack_advance(flags, end, xmit_us);
        state.rate_delivered(r);
        if ((flags & tx_flag::kSackedRetrans) != 0) {
            // A retransmission still believed in flight keeps its mark unless the segment was lost.
            if ((flags & tx_flag::kLost) != 0) {
                flags &= static_cast<std::uint8_t>(~(tx_flag::kLost | tx_flag::kSackedRetrans));
                --lost_out_;
                --retrans_out_;
            }
        } else {
            if ((flags & tx_flag::kEverRetrans) == 0) {
                // A new SACK for a segment never retransmitted, in a hole: reordering.
                if (wire::before(start, highest_sack_seq()) && wire::before(start, state.reord)) state.reord = start;
                if (!wire::after(end, high_seq_)) state.flag |= ack_flag::kOrigSackAcked;
                if (state.first_sackt == 0) state.first_sackt = xmit_us;
                state.last_sackt = xmit_us;
            }
            if ((flags & tx_flag::kLost) != 0) {
                flags &= static_cast<std::uint8_t>(~tx_flag::kLost);
                --lost_out_;
            }
        }
        flags |= tx_flag::kSackedAcked;
        state.flag |= ack_flag::kDataSacked;
        ++sacked_out_;
        ++state.sack_delivered;
    }
    // A D-SACK shows a retransmission was not needed: it is no longer in flight.
    if (dup_sack && (flags & tx_flag::kSackedRetrans) != 0) {
        flags &= static_cast<std::uint8_t>(~tx_flag::kSackedRetrans);
        --retrans_out_;
    }
    r.flags = flags;
}

// Linux tcp_check_sack_reordering(): data below the highest SACK arrived late; widen `reordering`.
void Connection::check_sack_reordering(Seq32 low_seq) {
    const Seq32 fack = highest_sack_seq();
    if (!wire::before(low_seq, fack)) return;
    const std::uint32_t mss = mss_cache_;
    const std::uint32_t metric = fack.distance_from(low_seq);
    if (mss != 0 && metric > reordering_ * mss) {
        reordering_ = std::min<std::uint32_t>((metric + mss - 1) / mss,
                                              static_cast<std::uint32_t>(sysctls().tcp_max_reordering));
    }
    ++reord_seen_;
    mib().inc(Counter::kTcpSackReorder);
}

}  // namespace synack::tcp
