#include "tcp/buffer_pool.hpp"

#include <bit>

namespace synack::tcp {

unsigned BufferPool::shift_for(std::size_t bytes) noexcept {
    if (bytes <= (std::size_t{1} << kMinShift)) return kMinShift;
    const auto shift = static_cast<unsigned>(std::bit_width(bytes - 1));
    return shift > kMaxShift ? kMaxShift : shift;
}

std::uint8_t* BufferPool::acquire(std::size_t bytes, std::size_t& capacity) {
    const unsigned shift = shift_for(bytes);
    capacity = std::size_t{1} << shift;
    outstanding_ += capacity;
    auto& list = free_[shift - kMinShift];
    if (!list.empty()) {
        std::uint8_t* p = list.back().release();
        list.pop_back();
        pooled_ -= capacity;
        return p;
    }
    return new std::uint8_t[capacity];
}

void BufferPool::release(std::uint8_t* buffer, std::size_t capacity) noexcept {
    if (buffer == nullptr) return;
    outstanding_ -= capacity;
    pooled_ += capacity;
    free_[shift_for(capacity) - kMinShift].emplace_back(buffer);
}

}  // namespace synack::tcp
