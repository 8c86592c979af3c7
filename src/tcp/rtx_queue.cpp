#include "tcp/rtx_queue.hpp"

#include <bit>
#include <cassert>
#include <cstring>
#include <new>

namespace synack::tcp {

RtxQueue::~RtxQueue() { assert(records_ == nullptr); }

bool RtxQueue::grow(BufferPool& pool) {
    const std::size_t want = std::size_t{capacity_ == 0 ? 256u : capacity_ * 2u} * sizeof(TxRecord);
    std::size_t got = 0;
    std::uint8_t* bytes = pool.acquire(want, got);
    if (bytes == nullptr || got < want) {
        if (bytes != nullptr) pool.release(bytes, got);
        return false;
    }
    auto* fresh = reinterpret_cast<TxRecord*>(bytes);
    const auto capacity = static_cast<std::uint32_t>(std::bit_floor(got / sizeof(TxRecord)));
    for (std::uint32_t i = 0; i < size_; ++i) fresh[i] = (*this)[i];
    if (records_ != nullptr) pool.release(reinterpret_cast<std::uint8_t*>(records_), buffer_bytes_);
    records_ = fresh;
    buffer_bytes_ = got;
    capacity_ = capacity;
    head_ = 0;
    return true;
}

bool RtxQueue::push_back(BufferPool& pool, const TxRecord& record) {
    if (size_ == capacity_ && !grow(pool)) return false;
    records_[(head_ + size_) & (capacity_ - 1)] = record;
    ++size_;
    return true;
}

void RtxQueue::pop_front() noexcept {
    head_ = (head_ + 1) & (capacity_ - 1);
    --size_;
}

std::uint32_t RtxQueue::find(Seq32 seq) const noexcept {
    if (size_ == 0 || wire::before(seq, (*this)[0].seq)) return size_;
    std::uint32_t lo = 0;
    std::uint32_t hi = size_;  // the answer is in [lo, hi)
    while (hi - lo > 1) {
        const std::uint32_t mid = lo + (hi - lo) / 2;
        if (wire::before(seq, (*this)[mid].seq)) hi = mid;
        else lo = mid;
    }
    return wire::before(seq, (*this)[lo].end_seq()) ? lo : size_;
}

bool RtxQueue::split(BufferPool& pool, std::uint32_t i, Seq32 seq) {
    if (size_ == capacity_ && !grow(pool)) return false;
    // Shift records i+1.. one place towards the tail.
    for (std::uint32_t j = size_; j > i + 1; --j) (*this)[j] = (*this)[j - 1];
    ++size_;
    TxRecord& first = (*this)[i];
    TxRecord second = first;
    const std::uint32_t head_len = seq.distance_from(first.seq);
    second.seq = seq;
    second.len = static_cast<std::uint16_t>(first.len - head_len);
    first.len = static_cast<std::uint16_t>(head_len);
    first.flags &= static_cast<std::uint8_t>(~tx_flag::kFin);
    (*this)[i + 1] = second;
    return true;
}

void RtxQueue::release_if_empty(BufferPool& pool) noexcept {
    if (size_ == 0) release(pool);
}

void RtxQueue::release(BufferPool& pool) noexcept {
    if (records_ != nullptr) pool.release(reinterpret_cast<std::uint8_t*>(records_), buffer_bytes_);
    records_ = nullptr;
    buffer_bytes_ = 0;
    capacity_ = 0;
    head_ = 0;
    size_ = 0;
}

}  // namespace synack::tcp
