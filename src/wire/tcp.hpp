// The TCP header (RFC 9293 §3.1): a zero-copy view and a builder.
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// |          Source Port          |       Destination Port        |
// |                        Sequence Number                        |
// |                    Acknowledgment Number                      |
// |  Data |Rsrvd|A|C|E|U|A|P|R|S|F|                               |
// | Offset|     |E|W|C|R|C|S|S|Y|I|            Window             |
// |       |     | |R|E|G|K|H|T|N|N|                               |
// |           Checksum            |         Urgent Pointer        |
// |                    Options                    |    Padding    |
//
// AE (Accurate ECN, formerly NS of RFC 3540) is the low bit of byte 12; flags() returns it as bit 8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/parse_error.hpp"
#include "wire/seq32.hpp"
#include "wire/tcp_options.hpp"

namespace synack::wire {

namespace tcp_flags {
inline constexpr std::uint16_t kFin = 0x01;
inline constexpr std::uint16_t kSyn = 0x02;
inline constexpr std::uint16_t kRst = 0x04;
inline constexpr std::uint16_t kPsh = 0x08;
inline constexpr std::uint16_t kAck = 0x10;
inline constexpr std::uint16_t kUrg = 0x20;
inline constexpr std::uint16_t kEce = 0x40;
inline constexpr std::uint16_t kCwr = 0x80;
inline constexpr std::uint16_t kAe = 0x100;
inline constexpr std::uint16_t kAll = 0x1ff;
}  // namespace tcp_flags

class TcpView {
public:
    static constexpr std::size_t kMinHeaderLength = 20;
    static constexpr std::size_t kMaxHeaderLength = 60;

    // Needs the whole header, options included. Errors, in the order checked: Truncated (fewer than 20 bytes),
    // BadHeaderLength (data offset < 5), Truncated (data offset * 4 beyond the bytes: the header with its options
    // is cut short; a printer that knows the IP length tells "too long" from "cut by the snapshot" itself).
    // Everything after the header is the payload. The options are not checked here: walk them with
    // option_iterator().
    static ParseResult<TcpView> parse(Bytes bytes) noexcept;
    // For captures, whose snapshot length may cut the header's options short (a printer still shows the fixed
    // part, as tcpdump does). Needs the fixed 20 bytes (Truncated) and a data offset of at least 5
    // (BadHeaderLength); a data offset beyond the bytes is accepted: options() is then the option bytes captured,
    // options_truncated() is true and payload() is empty. With the whole header present it equals parse().
    static ParseResult<TcpView> parse_captured(Bytes bytes) noexcept;

    std::uint16_t source_port() const noexcept { return load_be16(p() + 0); }
    std::uint16_t destination_port() const noexcept { return load_be16(p() + 2); }
    Seq32 seq() const noexcept { return Seq32(load_be32(p() + 4)); }
    Seq32 ack() const noexcept { return Seq32(load_be32(p() + 8)); }
    std::uint8_t data_offset() const noexcept { return static_cast<std::uint8_t>(p()[12] >> 4); }  // words
    std::size_t header_length() const noexcept { return std::size_t{data_offset()} * 4; }         // bytes
    // The nine flag bits (tcp_flags::k*), AE included as 0x100.
    std::uint16_t flags() const noexcept { return static_cast<std::uint16_t>(((p()[12] & 0x01) << 8) | p()[13]); }
    bool has_flags(std::uint16_t f) const noexcept { return (flags() & f) == f; }
    // The three bits between the data offset and AE (RFC 9293's "Rsrvd" less the bit AccECN took).
    std::uint8_t reserved_bits() const noexcept { return static_cast<std::uint8_t>((p()[12] >> 1) & 0x07); }
    std::uint16_t window() const noexcept { return load_be16(p() + 14); }
    std::uint16_t checksum() const noexcept { return load_be16(p() + 16); }
    std::uint16_t urgent_pointer() const noexcept { return load_be16(p() + 18); }

    // The header and its options as captured: header_length() bytes, fewer if options_truncated().
    Bytes header() const noexcept { return bytes_.first(captured_header_); }
    Bytes options() const noexcept { return bytes_.subspan(kMinHeaderLength, captured_header_ - kMinHeaderLength); }
    // Only from parse_captured: the data offset reaches past the bytes given.
    bool options_truncated() const noexcept { return captured_header_ < header_length(); }
    TcpOptionIterator option_iterator() const noexcept { return TcpOptionIterator(options()); }
    // Everything after the header; empty when the header itself was cut short.
    Bytes payload() const noexcept {
        return bytes_.subspan(options_truncated() ? bytes_.size() : captured_header_);
    }
    Bytes bytes() const noexcept { return bytes_; }  // header and payload

    // The checksum a correct sender would have put in this segment (header and payload as given, checksum field
    // taken as zero), over the IPv4 or IPv6 pseudo-header. Meaningful only when the whole segment was captured.
    std::uint16_t expected_checksum(const Ipv4Address& src, const Ipv4Address& dst) const noexcept;
    std::uint16_t expected_checksum(const Ipv6Address& src, const Ipv6Address& dst) const noexcept;
    bool checksum_valid(const Ipv4Address& src, const Ipv4Address& dst) const noexcept;
    bool checksum_valid(const Ipv6Address& src, const Ipv6Address& dst) const noexcept;

private:
    TcpView(Bytes bytes, std::size_t captured_header) noexcept : bytes_(bytes), captured_header_(captured_header) {}
    const std::uint8_t* p() const noexcept { return bytes_.data(); }

    Bytes bytes_;
    std::size_t captured_header_;  // min(header_length(), bytes_.size())
};

// Writes a TCP header (options included) and its checksum. The payload is not copied: it is summed into the
// checksum (it may already sit right after the header in the same buffer).
struct TcpBuilder {
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    Seq32 seq{};
    Seq32 ack{};
    std::uint16_t flags = 0;          // tcp_flags::k*, kAe included
    std::uint16_t window = 0;
    std::uint16_t urgent_pointer = 0;
    Bytes options{};                  // e.g. TcpOptionsBuilder::bytes(); zero-padded to a multiple of 4 on write
    std::uint8_t reserved_bits = 0;   // the 3 bits left of AE
    // Written instead of the values derived, to build malformed segments.
    std::optional<std::uint8_t> data_offset;  // default: size() / 4 (words, 4 bits); the bytes written do not change
    std::optional<std::uint16_t> checksum;    // default: computed

    // 20 + options rounded up to a multiple of 4. (Over 40 option bytes cannot be described by the 4-bit data
    // offset: its low 4 bits are written, so set data_offset when crafting such a header.)
    std::size_t size() const noexcept { return TcpView::kMinHeaderLength + ((options.size() + 3) & ~std::size_t{3}); }

    // out.size() >= size(). The checksum covers the pseudo-header, the header and `payload`.
    void write(MutableBytes out, Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const noexcept;
    void write(MutableBytes out, Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const noexcept;

    // Header followed by a copy of the payload, for tests and crafted captures.
    std::vector<std::uint8_t> build(Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const;
    std::vector<std::uint8_t> build(Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const;

private:
    void write_fields(MutableBytes out) const noexcept;  // everything but the checksum (left zero)
};

}  // namespace synack::wire
