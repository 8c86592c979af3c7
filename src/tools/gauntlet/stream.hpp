// The gauntlet's payload: one pseudo-random byte stream per direction, a pure function of a 64-bit key and the
// byte's offset, so the sender can produce any stretch of it and the receiver can check every byte the moment it
// arrives — a byte delivered twice, skipped, reordered or altered is caught at its own offset.
//
// Byte i is byte (i mod 8) (little-endian) of splitmix64's finaliser applied to key + (i / 8) * gamma: eight
// bytes per multiply-xorshift round, cheap enough to check 64 MiB in a few milliseconds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "wire/bytes.hpp"

namespace synack::tools::gauntlet {

class StreamPattern {
public:
    explicit StreamPattern(std::uint64_t key) noexcept : key_(key) {}

    // The 8 bytes of block `index` (offsets 8*index … 8*index + 7), little-endian.
    std::uint64_t block(std::uint64_t index) const noexcept;
    std::uint8_t byte_at(std::uint64_t offset) const noexcept {
        return static_cast<std::uint8_t>(block(offset >> 3) >> (8 * (offset & 7)));
    }
    // Writes the stream's bytes [offset, offset + out.size()) into `out`.
    void fill(std::uint64_t offset, wire::MutableBytes out) const noexcept;

    std::uint64_t key() const noexcept { return key_; }

private:
    std::uint64_t key_;
};

// The receiving application's check: bytes arrive in calls to consume(), the end of the stream in finish().
// The first wrong byte (or the first byte past the expected length) is remembered; later bytes are counted but
// no longer compared.
class StreamVerifier {
public:
    StreamVerifier(std::uint64_t key, std::uint64_t expected_length) noexcept
        : pattern_(key), expected_(expected_length) {}

    // Returns false once the stream is wrong (now or before).
    bool consume(wire::Bytes data);
    // The end of the stream (EOF): wrong unless exactly expected_length() bytes came.
    bool finish();

    bool ok() const noexcept { return !failure_; }
    std::uint64_t delivered() const noexcept { return delivered_; }
    std::uint64_t expected_length() const noexcept { return expected_; }
    bool complete() const noexcept { return ok() && delivered_ == expected_; }
    // What went wrong, e.g. "byte 1234 is 0x5a, expected 0x3c"; empty while ok().
    const std::string& failure() const noexcept { return message_; }
    // The first wrong offset, if any.
    std::optional<std::uint64_t> first_bad_offset() const noexcept { return bad_offset_; }

private:
    void fail(std::uint64_t offset, std::string message);
    bool consume_within(std::uint64_t start, wire::Bytes data);

    StreamPattern pattern_;
    std::uint64_t expected_;
    std::uint64_t delivered_ = 0;
    bool failure_ = false;
    std::optional<std::uint64_t> bad_offset_;
    std::string message_;
};

}  // namespace synack::tools::gauntlet
