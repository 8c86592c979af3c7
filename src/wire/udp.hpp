// The UDP header (RFC 768): a zero-copy view and a builder.
//
//  0      7 8     15 16    23 24    31
// |     Source      |   Destination   |
// |      Port       |      Port       |
// |     Length      |    Checksum     |
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

class UdpView {
public:
    static constexpr std::size_t kHeaderLength = 8;

    // Errors, in the order checked: Truncated (fewer than 8 bytes), BadTotalLength (length field < 8).
    // A length beyond the bytes present is accepted: the capture cut the datagram short (payload_truncated()).
    static ParseResult<UdpView> parse(Bytes bytes) noexcept;
    // As parse, and BadTotalLength if the length field is beyond the bytes present. Bytes beyond the length field
    // are allowed in both (Linux udp_rcv trims them): payload() ends at the length.
    static ParseResult<UdpView> parse_strict(Bytes bytes) noexcept;
    // For captures, whose printer reports what the header says rather than refusing it: needs only the ports
    // (Truncated below 4 bytes), which tcpdump prints first. While header_truncated() (fewer than 8 bytes),
    // length() and checksum() read as 0 if their bytes are missing and payload() is empty. A length field below 8
    // is not refused (RFC 2675 jumbograms carry 0): payload() then runs to the end of the bytes.
    static ParseResult<UdpView> parse_captured(Bytes bytes) noexcept;
    bool header_truncated() const noexcept { return bytes_.size() < kHeaderLength; }

    std::uint16_t source_port() const noexcept { return load_be16(bytes_.data() + 0); }
    std::uint16_t destination_port() const noexcept { return load_be16(bytes_.data() + 2); }
    std::uint16_t length() const noexcept { return be16(4); }  // header + data, in bytes
    std::uint16_t checksum() const noexcept { return be16(6); }
    std::size_t header_length() const noexcept { return kHeaderLength; }

    Bytes header() const noexcept { return bytes_.first(header_truncated() ? bytes_.size() : kHeaderLength); }
    // From the end of the header to the length field, or to the end of the bytes if the capture cut it short.
    Bytes payload() const noexcept {
        return header_truncated() ? Bytes{} : bytes_.subspan(kHeaderLength, end_ - kHeaderLength);
    }
    bool payload_truncated() const noexcept { return end_ < length(); }
    Bytes datagram() const noexcept { return bytes_.first(end_); }  // header and payload

    // The checksum a correct sender would have written (over the pseudo-header, the header with its checksum
    // field taken as zero, and the payload; a computed 0 is sent as 0xffff, RFC 768). Meaningful only when
    // !payload_truncated().
    std::uint16_t expected_checksum(const Ipv4Address& src, const Ipv4Address& dst) const noexcept;
    std::uint16_t expected_checksum(const Ipv6Address& src, const Ipv6Address& dst) const noexcept;
    // IPv4: a zero checksum means "none" (RFC 768) and counts as valid. IPv6: zero is invalid (RFC 8200 §8.1).
    bool checksum_valid(const Ipv4Address& src, const Ipv4Address& dst) const noexcept;
    bool checksum_valid(const Ipv6Address& src, const Ipv6Address& dst) const noexcept;

private:
    UdpView(Bytes bytes, std::size_t end) noexcept : bytes_(bytes), end_(end) {}
    std::uint16_t be16(std::size_t at) const noexcept {
        return at + 2 <= bytes_.size() ? load_be16(bytes_.data() + at) : 0;
    }
    Bytes bytes_;      // everything passed to parse
    std::size_t end_;  // min(length field, bytes_.size()); bytes_.size() for a parse_captured length below 8
};

// Writes a UDP header and its checksum. The payload is not copied: it is summed into the checksum (it may
// already sit right after the header in the same buffer).
struct UdpBuilder {
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;

    // Written instead of the values derived, to build malformed datagrams (a checksum of 0 sends none over IPv4).
    std::optional<std::uint16_t> length;    // default: 8 + payload.size()
    std::optional<std::uint16_t> checksum;  // default: computed (0xffff for a computed 0)

    std::size_t size() const noexcept { return UdpView::kHeaderLength; }
    // out.size() >= size(). The checksum covers the pseudo-header, the header and `payload`.
    void write(MutableBytes out, Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const noexcept;
    void write(MutableBytes out, Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const noexcept;

    // Header followed by a copy of the payload, for tests and crafted captures.
    std::vector<std::uint8_t> build(Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const;
    std::vector<std::uint8_t> build(Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const;
};

}  // namespace synack::wire
