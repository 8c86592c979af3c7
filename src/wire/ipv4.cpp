#include "wire/ipv4.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "wire/checksum.hpp"

namespace synack::wire {

ParseResult<Ipv4View> Ipv4View::parse_captured(Bytes bytes) noexcept {
    if (bytes.size() < kMinHeaderLength) return Err{ParseError::Truncated};
    if ((bytes[0] >> 4) != 4) return Err{ParseError::BadVersion};
    const std::size_t header_length = std::size_t{bytes[0] & 0x0fu} * 4;
    if (header_length < kMinHeaderLength) return Err{ParseError::BadHeaderLength};
    const std::size_t total_length = load_be16(bytes.data() + 2);
    if (total_length < header_length) return Err{ParseError::BadTotalLength};
    // total_length >= header_length, so the end is never before the captured header.
    return Ipv4View(bytes, std::min(header_length, bytes.size()), std::min(total_length, bytes.size()));
}

ParseResult<Ipv4View> Ipv4View::parse(Bytes bytes) noexcept {
    auto view = parse_captured(bytes);
    if (view && view->options_truncated()) return Err{ParseError::Truncated};
    return view;
}

ParseResult<Ipv4View> Ipv4View::parse_strict(Bytes bytes) noexcept {
    auto view = parse(bytes);
    if (view && view->payload_truncated()) return Err{ParseError::BadTotalLength};
    return view;
}

bool Ipv4View::header_checksum_valid() const noexcept {
    InternetChecksum sum;
    sum.add(header());
    return sum.folded() == 0xffff;
}

void Ipv4Builder::write(MutableBytes out) const noexcept {
    assert(options.size() <= Ipv4View::kMaxHeaderLength - Ipv4View::kMinHeaderLength);
    const std::size_t length = size();
    assert(out.size() >= length);
    std::uint8_t* p = out.data();
    const std::uint8_t ihl_field = ihl.value_or(static_cast<std::uint8_t>(length / 4));
    p[0] = static_cast<std::uint8_t>(((version & 0x0f) << 4) | (ihl_field & 0x0f));
    p[1] = tos;
    store_be16(p + 2, total_length.value_or(static_cast<std::uint16_t>(length + payload_length)));
    store_be16(p + 4, identification);
    const auto flags_offset =
        static_cast<std::uint16_t>((reserved_flag ? 0x8000 : 0) | (dont_fragment ? 0x4000 : 0) |
                                   (more_fragments ? 0x2000 : 0) | ((fragment_offset / 8) & 0x1fff));
    store_be16(p + 6, flags_offset);
    p[8] = ttl;
    p[9] = protocol;
    store_be16(p + 10, 0);
    source.write(p + 12);
    destination.write(p + 16);
    std::uint8_t* options_start = p + Ipv4View::kMinHeaderLength;
    if (!options.empty()) std::memcpy(options_start, options.data(), options.size());
    // Pad with End of Option List octets (zero) to the 32-bit boundary (RFC 791 §3.1 "Padding").
    std::memset(options_start + options.size(), 0, length - Ipv4View::kMinHeaderLength - options.size());
    store_be16(p + 10, checksum.value_or(internet_checksum(Bytes(p, length))));
}

}  // namespace synack::wire
