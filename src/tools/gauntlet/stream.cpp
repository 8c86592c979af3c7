#include "tools/gauntlet/stream.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include <fmt/format.h>

namespace synack::tools::gauntlet {

namespace {

// 8 bytes as a little-endian word: one load or store on a little-endian host.
std::uint64_t load_le(const std::uint8_t* p) noexcept {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return std::endian::native == std::endian::little ? w : __builtin_bswap64(w);
}

void store_le(std::uint8_t* p, std::uint64_t w) noexcept {
    if constexpr (std::endian::native != std::endian::little) w = __builtin_bswap64(w);
    std::memcpy(p, &w, 8);
}

}  // namespace

std::uint64_t StreamPattern::block(std::uint64_t index) const noexcept {
    // splitmix64's finaliser (Steele, Lea and Flood, 2014) of key + index * golden gamma.
    std::uint64_t z = key_ + (index + 1) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void StreamPattern::fill(std::uint64_t offset, wire::MutableBytes out) const noexcept {
    std::size_t i = 0;
    const std::size_t n = out.size();
    // The head, up to a block boundary.
    while (i < n && ((offset + i) & 7) != 0) {
        out[i] = byte_at(offset + i);
        ++i;
    }
    // Whole blocks: one little-endian store each.
    for (; i + 8 <= n; i += 8) store_le(out.data() + i, block((offset + i) >> 3));
    for (; i < n; ++i) out[i] = byte_at(offset + i);
}

void StreamVerifier::fail(std::uint64_t offset, std::string message) {
    if (failure_) return;
    failure_ = true;
    bad_offset_ = offset;
    message_ = std::move(message);
}

bool StreamVerifier::consume(wire::Bytes data) {
    const std::uint64_t start = delivered_;
    delivered_ += data.size();
    if (failure_) return false;
    if (delivered_ > expected_) {
        // Only the part within the expected length is compared; the first byte beyond it is the failure.
        const std::uint64_t within = expected_ > start ? expected_ - start : 0;
        if (!consume_within(start, data.first(static_cast<std::size_t>(within)))) return false;
        fail(expected_, fmt::format("more than the {} bytes sent arrived ({} so far)", expected_, delivered_));
        return false;
    }
    return consume_within(start, data);
}

bool StreamVerifier::consume_within(std::uint64_t start, wire::Bytes data) {
    std::size_t i = 0;
    const std::size_t n = data.size();
    std::uint64_t off = start;
    // Compare a block at a time where the data is block-aligned; byte by byte elsewhere.
    while (i < n) {
        if ((off & 7) == 0 && i + 8 <= n && load_le(data.data() + i) == pattern_.block(off >> 3)) {
            i += 8;
            off += 8;
            continue;
        }
        const std::uint8_t want = pattern_.byte_at(off);
        if (data[i] != want) {
            fail(off, fmt::format("byte {} is {:#04x}, expected {:#04x}", off, data[i], want));
            return false;
        }
        ++i;
        ++off;
    }
    return true;
}

bool StreamVerifier::finish() {
    if (failure_) return false;
    if (delivered_ != expected_) {
        fail(delivered_, fmt::format("the stream ended after {} of {} bytes", delivered_, expected_));
        return false;
    }
    return true;
}

}  // namespace synack::tools::gauntlet
