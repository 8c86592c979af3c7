// Relative TCP sequence numbers exactly as tcpdump makes them (print-tcp.c): one entry per address/port pair in
// a collating order shared by both directions, consulted only for segments with ACK set. The first such segment
// of a pair (or any with SYN) records seq and ack-1 as the bases and is printed absolute; later ones print
// seq and ack minus the bases. SACK blocks subtract the base of the acknowledged direction.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "wire/bytes.hpp"

namespace synack::dump {

struct RelativeSeq {
    std::uint32_t seq = 0;        // what to print for the sequence number
    std::uint32_t ack = 0;        // and for the acknowledgment number
    std::uint32_t sack_base = 0;  // subtract from SACK block edges
};

class SeqTracker {
public:
    // `src`/`dst` are 4 or 16 address bytes (`address_length`). Call only for segments with ACK set and no -S.
    RelativeSeq track(const std::uint8_t* src, const std::uint8_t* dst, std::size_t address_length,
                      std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, std::uint32_t ack, bool syn);

private:
    struct Key {
        std::array<std::uint8_t, 16> src{};
        std::array<std::uint8_t, 16> dst{};
        std::uint32_t port = 0;
        std::uint8_t family = 0;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    struct Bases {
        std::uint32_t seq = 0;  // tcpdump's th->seq: base of the lower-ordered side
        std::uint32_t ack = 0;  // th->ack
    };
    std::unordered_map<Key, Bases, KeyHash> table_;
};

}  // namespace synack::dump
