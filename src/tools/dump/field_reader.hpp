// Bounds-checked reads of single fields, for the headers tcpdump prints field by field while they may be
// malformed or cut short by the capture (IPv6 extension headers, AH): tcpdump prints each field as it reads it
// and gives up at the first byte that was not captured (its GET_* macros), which a whole-header view cannot show.
// Every header a wire/ view covers is parsed through that view instead.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"

namespace synack::dump {

class FieldReader {
public:
    explicit FieldReader(wire::Bytes bytes) noexcept : bytes_(bytes) {}

    // Whether `n` bytes at `offset` were captured; the accessors below may be called only when they were.
    bool has(std::size_t offset, std::size_t n = 1) const noexcept {
        return offset <= bytes_.size() && n <= bytes_.size() - offset;
    }
    std::uint8_t u8(std::size_t offset) const noexcept { return bytes_[offset]; }
    std::uint16_t be16(std::size_t offset) const noexcept { return wire::load_be16(bytes_.data() + offset); }
    std::uint32_t be32(std::size_t offset) const noexcept { return wire::load_be32(bytes_.data() + offset); }
    const std::uint8_t* at(std::size_t offset) const noexcept { return bytes_.data() + offset; }
    std::size_t size() const noexcept { return bytes_.size(); }
    wire::Bytes bytes() const noexcept { return bytes_; }

private:
    wire::Bytes bytes_;
};

}  // namespace synack::dump
