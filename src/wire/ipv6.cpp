#include "wire/ipv6.hpp"

#include <algorithm>
#include <cassert>

#include "wire/ipv6_extensions.hpp"

namespace synack::wire {

namespace {

struct JumboOption {
    std::uint32_t length;
    std::size_t hop_by_hop_length;
};

// RFC 2675: the Jumbo Payload option of the hop-by-hop header at the start of `payload`, if that header is wholly
// present and its options are well formed.
std::optional<JumboOption> find_jumbo(Bytes payload) noexcept {
    if (payload.size() < 2) return std::nullopt;
    const std::size_t length = (std::size_t{payload[1]} + 1) * 8;
    if (length > payload.size()) return std::nullopt;
    Ipv6OptionIterator it = Ipv6OptionIterator::over_header(payload.first(length));
    while (!it.at_end()) {
        auto option = it.next();
        if (!option) return std::nullopt;
        if (option->type != ipv6_option::kJumboPayload) continue;
        auto value = option->as_jumbo_payload();
        if (!value) return std::nullopt;
        return JumboOption{*value, length};
    }
    return std::nullopt;
}

struct Parsed {
    std::uint32_t declared;
    bool jumbo;
    bool jumbo_option_present;
};

ParseResult<Parsed> parse_lengths(Bytes bytes) noexcept {
    if (bytes.size() < Ipv6View::kHeaderLength) return Err{ParseError::Truncated};
    if ((bytes[0] >> 4) != 6) return Err{ParseError::BadVersion};
    const std::uint16_t payload_length = load_be16(bytes.data() + 4);
    std::optional<JumboOption> jumbo;
    if (bytes[6] == ip_protocol::kHopByHop) jumbo = find_jumbo(bytes.subspan(Ipv6View::kHeaderLength));
    if (payload_length == 0 && jumbo) {
        // The jumbo length counts the hop-by-hop header that carries it (RFC 2675 §2).
        if (jumbo->length < jumbo->hop_by_hop_length) return Err{ParseError::BadTotalLength};
        return Parsed{jumbo->length, true, true};
    }
    return Parsed{payload_length, false, jumbo.has_value()};
}

}  // namespace

Ipv6View::Ipv6View(Bytes bytes, std::uint32_t declared, bool jumbo) noexcept
    : bytes_(bytes),
      end_(kHeaderLength + std::min<std::size_t>(declared, bytes.size() - kHeaderLength)),
      declared_(declared),
      jumbo_(jumbo) {}

ParseResult<Ipv6View> Ipv6View::parse(Bytes bytes) noexcept {
    auto lengths = parse_lengths(bytes);
    if (!lengths) return Err{lengths.error()};
    return Ipv6View(bytes, lengths->declared, lengths->jumbo);
}

ParseResult<Ipv6View> Ipv6View::parse_captured(Bytes bytes) noexcept {
    auto lengths = parse_lengths(bytes);
    if (lengths) return Ipv6View(bytes, lengths->declared, lengths->jumbo);
    if (lengths.error() != ParseError::BadTotalLength) return Err{lengths.error()};
    return Ipv6View(bytes, 0, false);
}

ParseResult<Ipv6View> Ipv6View::parse_strict(Bytes bytes) noexcept {
    auto lengths = parse_lengths(bytes);
    if (!lengths) return Err{lengths.error()};
    // RFC 2675 §3: a jumbo option with a non-zero payload length, or a jumbo length that would fit in 16 bits.
    if (lengths->jumbo_option_present && !lengths->jumbo) return Err{ParseError::BadTotalLength};
    if (lengths->jumbo && lengths->declared <= 0xffff) return Err{ParseError::BadTotalLength};
    Ipv6View view(bytes, lengths->declared, lengths->jumbo);
    if (view.payload_truncated()) return Err{ParseError::BadTotalLength};
    return view;
}

std::optional<std::uint32_t> Ipv6View::jumbo_payload_length() const noexcept {
    if (!jumbo_) return std::nullopt;
    return declared_;
}

void Ipv6Builder::write(MutableBytes out) const noexcept {
    assert(out.size() >= size());
    std::uint8_t* p = out.data();
    store_be32(p, (std::uint32_t{version & 0x0fu} << 28) | (std::uint32_t{traffic_class} << 20) |
                      (flow_label & 0xfffff));
    store_be16(p + 4, payload_length);
    p[6] = next_header;
    p[7] = hop_limit;
    source.write(p + 8);
    destination.write(p + 24);
}

}  // namespace synack::wire
