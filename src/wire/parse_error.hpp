// Why a parser refused its input. Every wire/ parser returns one of these instead of reading out of bounds.
#pragma once

#include <cstdint>
#include <string_view>

#include "wire/result.hpp"

namespace synack::wire {

enum class ParseError : std::uint8_t {
    Truncated,          // fewer bytes than the header (or a length field) needs
    BadVersion,         // IP version field does not match
    BadHeaderLength,    // header length field below the minimum or beyond the bytes present
    BadTotalLength,     // total/payload length field smaller than the header or larger than the bytes present
    BadOptionLength,    // an option's length byte is impossible for its kind or runs past the header
    BadExtensionHeader, // an IPv6 extension header is malformed
    Unsupported,        // a well-formed header of a kind this parser does not handle
};

constexpr std::string_view to_string(ParseError e) noexcept {
    switch (e) {
        case ParseError::Truncated: return "truncated";
        case ParseError::BadVersion: return "bad version";
        case ParseError::BadHeaderLength: return "bad header length";
        case ParseError::BadTotalLength: return "bad total length";
        case ParseError::BadOptionLength: return "bad option length";
        case ParseError::BadExtensionHeader: return "bad extension header";
        case ParseError::Unsupported: return "unsupported";
    }
    return "unknown";
}

template <typename T>
using ParseResult = Result<T, ParseError>;

}  // namespace synack::wire
