// Out-of-order data and the SACK blocks that report it: Linux tcp_data_queue_ofo(), tcp_ofo_queue(),
// tcp_prune_ofo_queue(), tcp_sack_new_ofo_skb() (RFC 2018 §4), D-SACK (RFC 2883, tcp_dsack_set/extend()), and
// SACK compression (tcp_sack_compress_send_ack(), tcp_compressed_ack_kick()).
//
// The bytes go straight into the receive ring at their sequence position; the OfoQueue keeps which ranges are
// held (merged where they touch — Linux coalesces adjacent skbs the same way, tcp_ooo_try_coalesce()), and the
// SackBlocks what we report. Because the bytes sit at their position, nothing is ever delivered twice.
#include <algorithm>

#include "tcp/connection.hpp"

namespace synack::tcp {

namespace {
constexpr std::uint8_t kAckSched = 1;

// How many disjoint ranges the queue may hold: Linux charges every out-of-order skb its truesize (at least
// ~768 bytes for a tiny one) against sk_rcvbuf, so a flood of tiny segments fills the buffer after
// rcvbuf / truesize of them and tcp_prune_ofo_queue() starts dropping; synack bounds its nodes the same way.
constexpr std::uint32_t kOfoNodeCharge = 256;
std::uint32_t ofo_max_nodes(std::uint32_t rcvbuf) noexcept { return std::max<std::uint32_t>(64, rcvbuf / kOfoNodeCharge); }
}  // namespace

// How far beyond rcv_nxt the held out-of-order data reaches.
std::size_t Connection::ofo_extent() const noexcept {
    return ofo_.empty() ? 0 : ofo_.back().end.distance_from(rcv_nxt_);
}

// skb_rbtree_purge(&tp->out_of_order_queue) and tcp_sack_reset()'s num_sacks = 0.
void Connection::purge_ofo() noexcept {
    ofo_.clear();
    ofo_fin_ = false;
    sacks_.num = 0;
}

// Linux tcp_prune_ofo_queue(): under memory pressure drop held ranges from the highest sequence down, at least
// an eighth of what the queue may hold, but never one below the incoming segment (it would land last); the SACK
// state is reset ("we care only about integrity of the connection, not performance").
bool Connection::prune_ofo(Seq32 seq) noexcept {
    const std::uint32_t goal = std::max<std::uint32_t>(1, ofo_max_nodes(rcvbuf()) / 8);
    std::uint32_t pruned = 0;
    while (!ofo_.empty() && pruned < goal) {
        const SeqRange last = ofo_.back();
        if (wire::after(seq, last.start)) break;
        if (ofo_fin_ && !wire::before(ofo_fin_seq_, last.start)) ofo_fin_ = false;
        ofo_.pop_back();
        ++pruned;
    }
    if (pruned == 0) return false;
    sacks_.num = 0;
    dsack_count_ = 0;
    return true;
}

// Linux tcp_data_queue_ofo().
void Connection::queue_out_of_order(const Segment& seg, Instant now) {
    const Seq32 seq = seg.seq;
    const Seq32 end_seq = seg.end_seq();  // the FIN included: SACK blocks cover it
    const Seq32 data_end = seq + static_cast<std::uint32_t>(seg.payload.size());
    const SeqRange range{seq, end_seq};
    BufferPool& pool = host_->buffers();
    const std::uint32_t max_nodes = ofo_max_nodes(rcvbuf());

    // tcp_try_rmem_schedule(): room for the bytes and a node, pruning the queue above it if need be.
    auto room = [&] {
        const std::size_t offset = rcv_buf_.size() + seq.distance_from(rcv_nxt_);
        return rcv_buf_.reserve(pool, offset + seg.payload.size(), rcv_buffer_limit()) &&
               ofo_.make_room(pool, max_nodes, range);
    };
    if (!room() && (!prune_ofo(seq) || !room())) {
        mib().inc(Counter::kTcpOfoDrop);
        drop(DropReason::kTcpOfoDrop);
        return;
    }

    ack_pending_ |= kAckSched;  // inet_csk_schedule_ack()
    mib().inc(Counter::kTcpOfoQueue);
    if (seg.fin()) {
        ofo_fin_ = true;
        ofo_fin_seq_ = data_end;
    }
    // Copies the bytes of [from, to) the queue does not hold yet (Linux keeps the first copy it queued).
    auto write = [&](Seq32 from, Seq32 to) {
        if (wire::after(to, data_end)) to = data_end;
        if (!wire::before(from, to)) return;
        const std::size_t offset = rcv_buf_.size() + from.distance_from(rcv_nxt_);
        rcv_buf_.write_at(offset, seg.payload.subspan(from.distance_from(seq), to.distance_from(from)));
    };

    if (ofo_.empty()) {
        // The first out-of-order segment: one SACK block.
        if (sack_ok_) {
            sacks_.block[0] = range;
            sacks_.num = 1;
        }
        write(seq, end_seq);
        ofo_.insert(range);
        grow_window_ofo(seg.payload.size());
        return;
    }

    // The walk of tcp_data_queue_ofo(): what of [seq, end_seq) is held already is a duplicate (D-SACK);
    // the rest is new.
    SeqRange held{};
    Seq32 cursor = seq;  // [seq, cursor) dealt with
    // Linux first tries to append a segment starting exactly where held data ends (tcp_ooo_try_coalesce()), and
    // when that works (the skb memory allows it) skips the checks below. On the drill's TUN device it does not
    // (kmalloc'ed heads cannot be stolen): synack does what Linux then does (docs/tcp-linux-differences.md).
    if (ofo_.floor(seq, held) && wire::before(seq, held.end)) {
        if (!wire::after(end_seq, held.end)) {
            // "All the bits are present. Drop."
            drop(DropReason::kTcpOfoMerge);
            dsack_set(seq, end_seq);
            if (sack_ok_) sack_new_ofo(seq, end_seq, now);
            return;
        }
        if (wire::after(seq, held.start)) dsack_set(seq, held.end);  // partial overlap
        else dsack_extend(held.start, held.end);                       // it covers a held range: replaces it
        cursor = held.end;
    }
    // merge_right: the held ranges it reaches.
    for (Seq32 key = seq; ofo_.next_after(key, held) && wire::after(end_seq, held.start); key = held.start) {
        write(cursor, held.start);
        if (wire::before(end_seq, held.end)) {
            dsack_extend(held.start, end_seq);
            cursor = end_seq;
            break;
        }
        dsack_extend(held.start, held.end);
        cursor = held.end;
    }
    write(cursor, end_seq);
    ofo_.insert(range);
    if (sack_ok_) sack_new_ofo(seq, end_seq, now);
    grow_window_ofo(seg.payload.size());
}

// tcp_grow_window(sk, skb, false) for SACK flows (not without SACK: "do not grow window to force DUPACK and
// trigger fast retransmit"), with the increment synack's tcp_event_data_recv() uses.
void Connection::grow_window_ofo(std::size_t len) noexcept {
    if (!sack_ok_) return;
    const std::int64_t room = static_cast<std::int64_t>(std::min(window_clamp_, rcv_space_bytes())) -
                              static_cast<std::int64_t>(rcv_ssthresh_);
    if (room <= 0) return;
    const std::int64_t incr = std::max<std::int64_t>(2 * advmss_, 2 * static_cast<std::int64_t>(len));
    rcv_ssthresh_ += static_cast<std::uint32_t>(std::min(room, incr));
    ack_quick_ = static_cast<std::uint8_t>(ack_quick_ | 1);
}

// Linux tcp_ofo_queue(): held ranges that rcv_nxt now reaches become in-order data; what the in-order segment
// duplicated of them is D-SACKed.
void Connection::ofo_queue(Instant now) {
    Seq32 dsack_high = rcv_nxt_;
    while (!ofo_.empty()) {
        const SeqRange r = ofo_.front();
        if (wire::after(r.start, rcv_nxt_)) break;
        if (wire::before(r.start, dsack_high)) {
            const Seq32 dsack = dsack_high;
            if (wire::before(r.end, dsack_high)) dsack_high = r.end;
            dsack_extend(r.start, dsack);
        }
        ofo_.pop_front();
        if (!wire::after(r.end, rcv_nxt_)) continue;
        const bool fin = ofo_fin_ && !wire::before(ofo_fin_seq_, rcv_nxt_) && wire::before(ofo_fin_seq_, r.end);
        const Seq32 data_end = fin ? ofo_fin_seq_ : r.end;
        const std::uint32_t gained = data_end.distance_from(rcv_nxt_);
        rcv_buf_.extend(gained);
        rcv_nxt_ += gained;
        bytes_received_ += gained;
        last_data_recv_ = now;
        if (fin) {
            ofo_fin_ = false;
            rcv_nxt_ += 1;
            on_fin(now);  // purges the queue
            break;
        }
    }
}

// Linux tcp_sack_new_ofo_skb(): the block the segment extends moves to the front (and swallows the blocks it
// now reaches); otherwise a new block goes in front and the oldest of four falls off. Changing a block past
// the first TCP_SACK_BLOCKS_EXPECTED sends a compressed ACK now, so the peer sees the blocks it would lose.
void Connection::sack_new_ofo(Seq32 seq, Seq32 end_seq, Instant now) {
    SackBlocks& s = sacks_;
    const std::uint8_t cur = s.num;
    if (cur == 0) {
        s.block[0] = {seq, end_seq};
        s.num = 1;
        return;
    }
    for (std::uint8_t i = 0; i < cur; ++i) {
        if (SackBlocks::extend(s.block[i], seq, end_seq)) {
            if (i >= SackBlocks::kBlocksExpected) sack_compress_send_ack(now);
            for (; i > 0; --i) std::swap(s.block[i], s.block[i - 1]);
            if (cur > 1) s.maybe_coalesce();
            return;
        }
    }
    std::uint8_t i = cur;
    if (i >= SackBlocks::kBlocksExpected) sack_compress_send_ack(now);
    if (i >= SackBlocks::kNumSacks) {
        --i;
        --s.num;
    }
    for (; i > 0; --i) s.block[i] = s.block[i - 1];
    s.block[0] = {seq, end_seq};
    ++s.num;
}

// Linux tcp_sack_compress_send_ack(): send the ACK being compressed now.
void Connection::sack_compress_send_ack(Instant now) {
    if (compressed_ack_ == 0) return;
    comp_sack_deadline_.reset();
    compressed_ack_ = 0;
    send_ack(now);
}

// Linux tcp_current_mss(): mss_cache_ assumes the usual options (timestamps); a segment that also carries SACK
// blocks (and a D-SACK) has that much less room for data, so it still fits the path MTU.
std::uint32_t Connection::current_mss() const noexcept {
    const std::uint32_t eff_sacks = sack_ok_ ? std::uint32_t{sacks_.num} + dsack_count_ : 0;
    if (eff_sacks == 0) return mss_cache_;
    constexpr std::uint32_t kMaxOptionSpace = 40;  // MAX_TCP_OPTION_SPACE
    const std::uint32_t remaining = kMaxOptionSpace - (tstamp_ok_ ? 12 : 0);
    const std::uint32_t blocks = std::min(eff_sacks, (remaining - 4) / 8);  // TCPOLEN_SACK_BASE_ALIGNED, _PERBLOCK
    const std::uint32_t delta = 4 + 8 * blocks;
    return mss_cache_ > delta ? mss_cache_ - delta : 1;
}

// Linux tcp_compressed_ack_kick(): the compression timer sends the ACK it held back.
void Connection::comp_sack_timer(Instant now) {
    comp_sack_deadline_.reset();
    // Linux cancels the timer when the connection ends (tcp_clear_xmit_timers()).
    if (compressed_ack_ == 0 || state_ == State::kClosed || state_ == State::kTimeWait || tw_handoff_) return;
    --compressed_ack_;
    send_ack(now);
}

}  // namespace synack::tcp
