// SipHash-2-4 (Aumasson & Bernstein), through libsodium's crypto_shorthash: the keyed hash behind ISNs,
// timestamp offsets and the connection table, so outsiders can neither predict nor collide them.
#pragma once

#include <array>
#include <cstdint>

#include "wire/bytes.hpp"

namespace synack::tcp {

using SipHashKey = std::array<std::uint8_t, 16>;

// The 8-byte digest read as a little-endian integer, as the SipHash paper writes its test vectors.
std::uint64_t siphash24(wire::Bytes data, const SipHashKey& key) noexcept;

}  // namespace synack::tcp
