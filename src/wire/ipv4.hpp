// IPv4 headers (RFC 791 §3.1): the view checks version, IHL and total length once; the builder writes the header
// and its checksum, with overrides for building deliberately malformed packets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

class Ipv4View {
public:
    static constexpr std::size_t kMinHeaderLength = 20;
    static constexpr std::size_t kMaxHeaderLength = 60;

    // Errors, in the order checked: Truncated (fewer than 20 bytes), BadVersion (not 4), BadHeaderLength (IHL < 5),
    // BadTotalLength (total length < IHL * 4), Truncated (the header with its options is cut short).
    // A total length beyond the bytes present is accepted: the capture cut the payload short (payload_truncated()).
    static ParseResult<Ipv4View> parse(Bytes bytes) noexcept;
    // As parse, and BadTotalLength if the total length is beyond the bytes present. Bytes beyond the total length
    // (link-layer padding) are allowed in both: payload() ends at the total length and padding() holds them.
    static ParseResult<Ipv4View> parse_strict(Bytes bytes) noexcept;
    // For captures, whose snapshot length may cut the header's options short (a printer still shows the fixed
    // part, as tcpdump does): as parse, but an IHL beyond the bytes is accepted. options() is then the option
    // bytes captured, options_truncated() is true, and payload() is empty (payload_truncated() true).
    static ParseResult<Ipv4View> parse_captured(Bytes bytes) noexcept;

    std::uint8_t version() const noexcept { return bytes_[0] >> 4; }
    std::uint8_t ihl() const noexcept { return bytes_[0] & 0x0f; }  // in 32-bit words
    std::size_t header_length() const noexcept { return std::size_t{ihl()} * 4; }
    // The header with its options as captured: header_length() bytes, fewer if options_truncated().
    Bytes header() const noexcept { return bytes_.first(captured_header_); }

    std::uint8_t tos() const noexcept { return bytes_[1]; }
    std::uint8_t dscp() const noexcept { return bytes_[1] >> 2; }
    std::uint8_t ecn() const noexcept { return bytes_[1] & 0x03; }
    std::uint16_t total_length() const noexcept { return load_be16(bytes_.data() + 2); }
    std::uint16_t identification() const noexcept { return load_be16(bytes_.data() + 4); }
    bool reserved_flag() const noexcept { return (bytes_[6] & 0x80) != 0; }  // RFC 3514's "evil bit"
    bool dont_fragment() const noexcept { return (bytes_[6] & 0x40) != 0; }
    bool more_fragments() const noexcept { return (bytes_[6] & 0x20) != 0; }
    // In bytes (the field counts 8-byte units).
    std::uint16_t fragment_offset() const noexcept {
        return static_cast<std::uint16_t>((load_be16(bytes_.data() + 6) & 0x1fff) * 8);
    }
    bool is_fragment() const noexcept { return more_fragments() || fragment_offset() != 0; }
    std::uint8_t ttl() const noexcept { return bytes_[8]; }
    std::uint8_t protocol() const noexcept { return bytes_[9]; }
    std::uint16_t checksum() const noexcept { return load_be16(bytes_.data() + 10); }
    Ipv4Address source() const noexcept { return Ipv4Address::from_bytes(bytes_.data() + 12); }
    Ipv4Address destination() const noexcept { return Ipv4Address::from_bytes(bytes_.data() + 16); }
    Bytes options() const noexcept { return bytes_.subspan(kMinHeaderLength, captured_header_ - kMinHeaderLength); }
    // Only from parse_captured: the IHL reaches past the bytes given.
    bool options_truncated() const noexcept { return captured_header_ < header_length(); }

    // From the end of the header to the total length, or to the end of the bytes if the capture cut it short;
    // empty if the header itself was cut short.
    Bytes payload() const noexcept { return bytes_.subspan(captured_header_, end_ - captured_header_); }
    bool payload_truncated() const noexcept { return end_ < total_length(); }
    // The header and payload as captured, without the padding.
    Bytes datagram() const noexcept { return bytes_.first(end_); }
    // Bytes after the total length (e.g. Ethernet padding of short frames).
    Bytes padding() const noexcept { return bytes_.subspan(end_); }
    // The header (with its options) sums to 0xffff; meaningful only when !options_truncated().
    bool header_checksum_valid() const noexcept;

private:
    Ipv4View(Bytes bytes, std::size_t captured_header, std::size_t end) noexcept
        : bytes_(bytes), captured_header_(captured_header), end_(end) {}
    Bytes bytes_;                  // everything passed to parse
    std::size_t captured_header_;  // min(header_length(), bytes_.size())
    std::size_t end_;              // min(total length, bytes_.size()), at least captured_header_
};

struct Ipv4Builder {
    std::uint8_t version = 4;
    std::uint8_t tos = 0;
    std::uint16_t identification = 0;
    bool reserved_flag = false;
    bool dont_fragment = false;
    bool more_fragments = false;
    std::uint16_t fragment_offset = 0;  // in bytes, a multiple of 8 (the field holds fragment_offset / 8)
    std::uint8_t ttl = 64;
    std::uint8_t protocol = ip_protocol::kTcp;
    Ipv4Address source;
    Ipv4Address destination;
    std::vector<std::uint8_t> options;  // written padded with EOL (zero) bytes to a multiple of 4; at most 40 bytes
    std::uint16_t payload_length = 0;   // the bytes the caller writes after the header

    // Written instead of the values derived above, to build malformed packets.
    std::optional<std::uint8_t> ihl;              // default: size() / 4
    std::optional<std::uint16_t> total_length;    // default: size() + payload_length
    std::optional<std::uint16_t> checksum;        // default: computed over the header written

    std::size_t size() const noexcept { return Ipv4View::kMinHeaderLength + (options.size() + 3) / 4 * 4; }
    void write(MutableBytes out) const noexcept;
};

}  // namespace synack::wire
