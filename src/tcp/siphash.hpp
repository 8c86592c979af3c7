// SipHash-2-4 (Aumasson & Bernstein): the keyed hash behind ISNs, timestamp offsets, ephemeral port offsets and
// the connection table, so outsiders can neither predict nor collide them. siphash24() goes through libsodium's
// crypto_shorthash; SipHasher is the same function with the key prepared once and the rounds inlined, for the
// per-packet connection-table lookup (tests/tcp/siphash_test.cpp holds the two to the same answers).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "wire/bytes.hpp"

namespace synack::tcp {

using SipHashKey = std::array<std::uint8_t, 16>;

// The 8-byte digest read as a little-endian integer, as the SipHash paper writes its test vectors.
std::uint64_t siphash24(wire::Bytes data, const SipHashKey& key) noexcept;

class SipHasher {
public:
    SipHasher() = default;
    explicit SipHasher(const SipHashKey& key) noexcept : k0_(load_le64(key.data())), k1_(load_le64(key.data() + 8)) {}

    // Inlined so that a constant size unrolls.
    inline std::uint64_t operator()(const std::uint8_t* data, std::size_t size) const noexcept {
        std::uint64_t v0 = 0x736f6d6570736575ull ^ k0_;
        std::uint64_t v1 = 0x646f72616e646f6dull ^ k1_;
        std::uint64_t v2 = 0x6c7967656e657261ull ^ k0_;
        std::uint64_t v3 = 0x7465646279746573ull ^ k1_;
        const std::size_t whole = size & ~std::size_t{7};
        for (std::size_t i = 0; i < whole; i += 8) {
            const std::uint64_t m = load_le64(data + i);
            v3 ^= m;
            round(v0, v1, v2, v3);
            round(v0, v1, v2, v3);
            v0 ^= m;
        }
        std::uint64_t last = static_cast<std::uint64_t>(size & 0xff) << 56;
        for (std::size_t i = whole; i < size; ++i) last |= static_cast<std::uint64_t>(data[i]) << (8 * (i - whole));
        v3 ^= last;
        round(v0, v1, v2, v3);
        round(v0, v1, v2, v3);
        v0 ^= last;
        v2 ^= 0xff;
        round(v0, v1, v2, v3);
        round(v0, v1, v2, v3);
        round(v0, v1, v2, v3);
        round(v0, v1, v2, v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }
    std::uint64_t operator()(wire::Bytes data) const noexcept { return (*this)(data.data(), data.size()); }

private:
    static std::uint64_t load_le64(const std::uint8_t* p) noexcept {
        std::uint64_t v = 0;
        std::memcpy(&v, p, 8);
        if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
        return v;
    }
    static void round(std::uint64_t& v0, std::uint64_t& v1, std::uint64_t& v2, std::uint64_t& v3) noexcept {
        v0 += v1;
        v1 = std::rotl(v1, 13);
        v1 ^= v0;
        v0 = std::rotl(v0, 32);
        v2 += v3;
        v3 = std::rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = std::rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = std::rotl(v1, 17);
        v1 ^= v2;
        v2 = std::rotl(v2, 32);
    }

    std::uint64_t k0_ = 0;
    std::uint64_t k1_ = 0;
};

}  // namespace synack::tcp
