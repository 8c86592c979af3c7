// The retransmission queue: one record per segment sent and not yet cumulatively acknowledged, in sequence order
// (Linux's tcp_rtx_queue of skbs, with the scoreboard bits of TCP_SKB_CB(skb)->sacked). The bytes themselves
// stay in the send ring; a record holds where its segment starts, how long it is, when it last went out and
// what the peer said of it (SACKed, lost, retransmitted). Records live in a pooled buffer taken while something
// is in flight and given back when the queue empties, so the steady state allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tcp/buffer_pool.hpp"
#include "wire/seq32.hpp"

namespace synack::tcp {

using wire::Seq32;

// TCP_SKB_CB(skb)->sacked bits (include/net/tcp.h), plus the FIN.
namespace tx_flag {
inline constexpr std::uint8_t kSackedAcked = 0x01;    // TCPCB_SACKED_ACKED: the peer SACKed it
inline constexpr std::uint8_t kSackedRetrans = 0x02;  // TCPCB_SACKED_RETRANS: a retransmission is in flight
inline constexpr std::uint8_t kLost = 0x04;           // TCPCB_LOST: presumed lost, to be retransmitted
inline constexpr std::uint8_t kEverRetrans = 0x08;    // TCPCB_EVER_RETRANS: retransmitted at least once
inline constexpr std::uint8_t kFin = 0x10;            // the segment carries the FIN after its payload
inline constexpr std::uint8_t kPsh = 0x20;            // it was sent with PSH (a retransmission keeps it)
}  // namespace tx_flag

struct TxRecord {
    Seq32 seq{};                  // first sequence number
    std::uint16_t len = 0;        // payload bytes
    std::uint8_t flags = 0;       // tx_flag::k*
    std::uint8_t unused = 0;
    std::uint32_t tx_delivered = 0;  // segments delivered when it last went out (Linux TCP_SKB_CB(skb)->tx.delivered)
    std::uint64_t xmit_us = 0;    // the last (re)transmission (Linux skb_mstamp_ns, in µs)

    Seq32 end_seq() const noexcept { return seq + len + ((flags & tx_flag::kFin) != 0 ? 1u : 0u); }
    bool has(std::uint8_t f) const noexcept { return (flags & f) != 0; }
};
static_assert(sizeof(TxRecord) == 24);

class RtxQueue {
public:
    RtxQueue() = default;
    RtxQueue(const RtxQueue&) = delete;
    RtxQueue& operator=(const RtxQueue&) = delete;
    ~RtxQueue();  // the owner must have called release()

    bool empty() const noexcept { return size_ == 0; }
    std::uint32_t size() const noexcept { return size_; }
    bool has_buffer() const noexcept { return records_ != nullptr; }

    TxRecord& operator[](std::uint32_t i) noexcept { return records_[(head_ + i) & (capacity_ - 1)]; }
    const TxRecord& operator[](std::uint32_t i) const noexcept { return records_[(head_ + i) & (capacity_ - 1)]; }
    TxRecord& front() noexcept { return (*this)[0]; }
    TxRecord& back() noexcept { return (*this)[size_ - 1]; }

    // Appends a record (growing the buffer by doubling); false when the pool cannot give more.
    bool push_back(BufferPool& pool, const TxRecord& record);
    void pop_front() noexcept;
    // The index of the record holding `seq` (records are contiguous in sequence space), or size() if none.
    std::uint32_t find(Seq32 seq) const noexcept;
    // Splits record i at `seq` (strictly inside its payload): [seq_i, seq) stays, [seq, end) follows it with the
    // same flags and send time (Linux tcp_fragment()). False when the pool cannot give more room.
    bool split(BufferPool& pool, std::uint32_t i, Seq32 seq);

    void release_if_empty(BufferPool& pool) noexcept;
    void release(BufferPool& pool) noexcept;

private:
    bool grow(BufferPool& pool);

    TxRecord* records_ = nullptr;
    std::size_t buffer_bytes_ = 0;  // what the pool gave (records use a power-of-two part of it)
    std::uint32_t capacity_ = 0;    // records, a power of two
    std::uint32_t head_ = 0;
    std::uint32_t size_ = 0;
};

}  // namespace synack::tcp
