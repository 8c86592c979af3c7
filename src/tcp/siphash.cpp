#include "tcp/siphash.hpp"

#include <sodium.h>

namespace synack::tcp {

std::uint64_t siphash24(wire::Bytes data, const SipHashKey& key) noexcept {
    static_assert(crypto_shorthash_BYTES == 8 && crypto_shorthash_KEYBYTES == 16);
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, data.data(), data.size(), key.data());  // pure computation: no sodium_init() needed
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | out[i];
    return v;
}

}  // namespace synack::tcp
