// A ring of bytes in a pooled buffer that exists only while the ring holds something: the send queue (bytes
// from SND.UNA on) and the receive queue (bytes the application has not read yet, and out-of-order bytes
// beyond them) of a connection. It grows by doubling up to the limit its owner sets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "tcp/buffer_pool.hpp"
#include "wire/bytes.hpp"

namespace synack::tcp {

class ByteRing {
public:
    ByteRing() = default;
    ByteRing(const ByteRing&) = delete;
    ByteRing& operator=(const ByteRing&) = delete;
    ~ByteRing();  // the owner must have called release(); a ring still holding a buffer is a bug

    std::uint32_t size() const noexcept { return size_; }
    std::uint32_t capacity() const noexcept { return capacity_; }
    bool has_buffer() const noexcept { return data_ != nullptr; }

    // Makes room for `bytes` bytes from the head (growing the buffer; false if that would pass `limit`).
    bool reserve(BufferPool& pool, std::size_t bytes, std::size_t limit);
    // Appends (the caller reserved the room).
    void append(wire::Bytes data) noexcept;
    // Writes `data` at `offset` from the head, beyond size() (out-of-order bytes); size() does not change.
    void write_at(std::size_t offset, wire::Bytes data) noexcept;
    // Counts `n` bytes already written beyond size() (by write_at) as part of the ring.
    void extend(std::uint32_t n) noexcept { size_ += n; }
    // Up to `length` bytes from `offset`, in at most two pieces.
    std::array<wire::Bytes, 2> peek(std::size_t offset, std::size_t length) const noexcept;
    std::size_t copy_out(wire::MutableBytes out) const noexcept;  // from the head, without consuming
    void consume(std::uint32_t n) noexcept;
    // Gives the buffer back when the ring is empty (an idle connection holds no buffer memory). The caller
    // makes sure nothing was written beyond size() that it still needs.
    void release_if_empty(BufferPool& pool) noexcept;
    void release(BufferPool& pool) noexcept;

private:
    std::uint8_t* data_ = nullptr;
    std::uint32_t capacity_ = 0;  // a power of two
    std::uint32_t head_ = 0;
    std::uint32_t size_ = 0;
};

}  // namespace synack::tcp
