#include "wire/checksum.hpp"

#include <bit>
#include <cstring>

namespace synack::wire {

namespace {

std::uint16_t fold(std::uint64_t sum) noexcept {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

}  // namespace

// RFC 1071 §2(B) and §4.1: the one's-complement sum is independent of byte order, so the bytes are summed as
// native (little-endian) 32-bit words into a 64-bit accumulator — no carry can be lost before 2^32 words, and the
// loop vectorises — then folded to 16 bits and byte-swapped into network order (RFC 1071 §2(B): swapping the
// bytes of every word swaps the bytes of the sum). A run that starts at an odd offset of the whole checksummed
// stream has every byte in the other half of its word: its sum goes in unswapped.
namespace {

// The one's-complement sum of `n` bytes taken as little-endian 16-bit words (a last odd byte is the low half),
// folded to 16 bits. On x86-64 with GCC the loop is also built for AVX2 and picked at load time (an ifunc), twice
// as wide as the SSE2 baseline; the checksum of every segment sent and received is the largest single cost of a
// bulk transfer (docs/performance.md).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
std::uint16_t sum_le(const std::uint8_t* p, std::size_t n) noexcept {
    std::uint64_t sum = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        std::uint32_t w;
        std::memcpy(&w, p + i, sizeof w);
        sum += w;
    }
    std::uint8_t last[4] = {0, 0, 0, 0};  // the 0–3 bytes left, zero-padded as a word
    for (std::size_t k = 0; i + k < n; ++k) last[k] = p[i + k];
    std::uint32_t tail;
    std::memcpy(&tail, last, sizeof tail);
    sum += tail;
    const std::uint16_t folded = fold(sum);
    // On a big-endian machine the words were already in network order; the caller swaps, so swap here first.
    if constexpr (std::endian::native == std::endian::big) return static_cast<std::uint16_t>(std::rotl(folded, 8));
    return folded;
}

std::uint16_t swap16(std::uint16_t v) noexcept { return static_cast<std::uint16_t>((v << 8) | (v >> 8)); }

}  // namespace

void InternetChecksum::add(Bytes bytes) noexcept {
    const std::size_t n = bytes.size();
    if (n == 0) return;
    const std::uint16_t le = sum_le(bytes.data(), n);
    sum_ += odd_ ? le : swap16(le);
    if ((n & 1) != 0) odd_ = !odd_;
}

void InternetChecksum::add_u16(std::uint16_t v) noexcept {
    std::uint8_t b[2];
    store_be16(b, v);
    add(Bytes(b, 2));
}

void InternetChecksum::add_u32(std::uint32_t v) noexcept {
    std::uint8_t b[4];
    store_be32(b, v);
    add(Bytes(b, 4));
}

std::uint16_t InternetChecksum::folded() const noexcept { return fold(sum_); }

std::uint16_t InternetChecksum::finish() const noexcept { return static_cast<std::uint16_t>(~fold(sum_)); }

std::uint16_t internet_checksum(Bytes bytes) noexcept {
    InternetChecksum c;
    c.add(bytes);
    return c.finish();
}

void add_pseudo_header_v4(InternetChecksum& c, const Ipv4Address& src, const Ipv4Address& dst, std::uint8_t protocol,
                          std::uint16_t length) noexcept {
    c.add(src.octets);
    c.add(dst.octets);
    c.add_u16(protocol);
    c.add_u16(length);
}

void add_pseudo_header_v6(InternetChecksum& c, const Ipv6Address& src, const Ipv6Address& dst,
                          std::uint8_t next_header, std::uint32_t length) noexcept {
    c.add(src.octets);
    c.add(dst.octets);
    c.add_u32(length);
    c.add_u32(next_header);
}

std::uint16_t checksum_update16(std::uint16_t old_checksum, std::uint16_t old_value, std::uint16_t new_value) noexcept {
    std::uint64_t sum = static_cast<std::uint16_t>(~old_checksum);
    sum += static_cast<std::uint16_t>(~old_value);
    sum += new_value;
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint16_t checksum_update32(std::uint16_t old_checksum, std::uint32_t old_value, std::uint32_t new_value) noexcept {
    std::uint16_t c = checksum_update16(old_checksum, static_cast<std::uint16_t>(old_value >> 16),
                                        static_cast<std::uint16_t>(new_value >> 16));
    return checksum_update16(c, static_cast<std::uint16_t>(old_value), static_cast<std::uint16_t>(new_value));
}

}  // namespace synack::wire
