#include "tcp/byte_ring.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace synack::tcp {

ByteRing::~ByteRing() { assert(data_ == nullptr); }

bool ByteRing::reserve(BufferPool& pool, std::size_t bytes, std::size_t limit) {
    if (bytes <= capacity_) return true;
    if (bytes > limit) return false;
    std::size_t capacity = 0;
    std::uint8_t* fresh = pool.acquire(bytes, capacity);
    if (capacity < bytes) {
        pool.release(fresh, capacity);
        return false;
    }
    // Move everything the old buffer holds (including bytes beyond size() written by write_at) to the front.
    if (data_ != nullptr) {
        const std::uint32_t first = capacity_ - head_;
        std::memcpy(fresh, data_ + head_, first);
        std::memcpy(fresh + first, data_, head_);
        pool.release(data_, capacity_);
    }
    data_ = fresh;
    capacity_ = static_cast<std::uint32_t>(capacity);
    head_ = 0;
    return true;
}

void ByteRing::append(wire::Bytes data) noexcept {
    write_at(size_, data);
    size_ += static_cast<std::uint32_t>(data.size());
}

void ByteRing::write_at(std::size_t offset, wire::Bytes data) noexcept {
    assert(offset + data.size() <= capacity_);
    if (data.empty()) return;
    const std::size_t mask = capacity_ - 1;
    const std::size_t start = (head_ + offset) & mask;
    const std::size_t first = std::min(data.size(), capacity_ - start);
    std::memcpy(data_ + start, data.data(), first);
    if (first < data.size()) std::memcpy(data_, data.data() + first, data.size() - first);
}

std::array<wire::Bytes, 2> ByteRing::peek(std::size_t offset, std::size_t length) const noexcept {
    std::array<wire::Bytes, 2> out{};
    if (data_ == nullptr || length == 0) return out;
    const std::size_t mask = capacity_ - 1;
    const std::size_t start = (head_ + offset) & mask;
    const std::size_t first = std::min(length, capacity_ - start);
    out[0] = wire::Bytes(data_ + start, first);
    if (first < length) out[1] = wire::Bytes(data_, length - first);
    return out;
}

std::size_t ByteRing::copy_out(wire::MutableBytes out) const noexcept {
    const std::size_t n = std::min<std::size_t>(out.size(), size_);
    if (n == 0) return 0;
    const auto pieces = peek(0, n);
    std::memcpy(out.data(), pieces[0].data(), pieces[0].size());
    if (!pieces[1].empty()) std::memcpy(out.data() + pieces[0].size(), pieces[1].data(), pieces[1].size());
    return n;
}

void ByteRing::consume(std::uint32_t n) noexcept {
    assert(n <= size_);
    size_ -= n;
    if (n != 0) head_ = (head_ + n) & (capacity_ - 1);  // bytes written beyond size() keep their offsets
}

void ByteRing::release_if_empty(BufferPool& pool) noexcept {
    if (size_ == 0 && data_ != nullptr) release(pool);
}

void ByteRing::release(BufferPool& pool) noexcept {
    pool.release(data_, capacity_);
    data_ = nullptr;
    capacity_ = 0;
    head_ = 0;
    size_ = 0;
}

}  // namespace synack::tcp
