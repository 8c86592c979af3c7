// Power-of-two byte buffers recycled per stack, so connections take buffer memory only while they hold data
// and the steady state allocates nothing: a buffer released is handed to the next connection that needs one.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace synack::tcp {

class BufferPool {
public:
    static constexpr unsigned kMinShift = 12;  // 4 KiB
    static constexpr unsigned kMaxShift = 24;  // 16 MiB

    BufferPool() = default;
    BufferPool(const BufferPool&) = delete;
    BufferPool& operator=(const BufferPool&) = delete;

    // A buffer of at least `bytes` (rounded up to a power of two, at least 4 KiB); its size is returned in
    // `capacity`. Requests beyond 16 MiB are clamped to 16 MiB.
    std::uint8_t* acquire(std::size_t bytes, std::size_t& capacity);
    void release(std::uint8_t* buffer, std::size_t capacity) noexcept;

    std::size_t bytes_outstanding() const noexcept { return outstanding_; }
    std::size_t bytes_pooled() const noexcept { return pooled_; }

private:
    static unsigned shift_for(std::size_t bytes) noexcept;

    std::array<std::vector<std::unique_ptr<std::uint8_t[]>>, kMaxShift - kMinShift + 1> free_{};
    std::size_t outstanding_ = 0;
    std::size_t pooled_ = 0;
};

}  // namespace synack::tcp
