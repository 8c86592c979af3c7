// The Internet checksum (RFC 1071), its incremental update (RFC 1624), and the IPv4/IPv6 pseudo-headers
// TCP, UDP and ICMPv6 fold into theirs (RFC 9293 §3.1, RFC 8200 §8.1).
#pragma once

#include <cstdint>

#include "wire/address.hpp"
#include "wire/bytes.hpp"

namespace synack::wire {

// Accumulates 16-bit one's-complement sums over any number of byte runs; a run of odd length is carried
// over correctly into the next run, so a checksum can be computed over scattered pieces.
class InternetChecksum {
public:
    void add(Bytes bytes) noexcept;
    void add_u16(std::uint16_t v) noexcept;
    void add_u32(std::uint32_t v) noexcept;

    // The folded, complemented checksum to store in a header. (UDP sends 0xffff for a computed 0: its caller's rule.)
    std::uint16_t finish() const noexcept;
    // The folded sum before complementing; a correct header sums to 0xffff.
    std::uint16_t folded() const noexcept;

private:
    std::uint64_t sum_ = 0;
    bool odd_ = false;  // the last run ended mid-word: the next byte is a low-order byte
};

// One-shot checksum of a byte run.
std::uint16_t internet_checksum(Bytes bytes) noexcept;

// Pseudo-headers: add to a checksum before the transport header and payload.
void add_pseudo_header_v4(InternetChecksum& c, const Ipv4Address& src, const Ipv4Address& dst, std::uint8_t protocol,
                          std::uint16_t length) noexcept;
void add_pseudo_header_v6(InternetChecksum& c, const Ipv6Address& src, const Ipv6Address& dst,
                          std::uint8_t next_header, std::uint32_t length) noexcept;

// RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') when a 16-bit field changes from m to m'.
std::uint16_t checksum_update16(std::uint16_t old_checksum, std::uint16_t old_value, std::uint16_t new_value) noexcept;
// The same for a 32-bit field (e.g. an IPv4 address or a sequence number), as two 16-bit halves.
std::uint16_t checksum_update32(std::uint16_t old_checksum, std::uint32_t old_value, std::uint32_t new_value) noexcept;

}  // namespace synack::wire
