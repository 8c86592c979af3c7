// IPv6 fixed headers (RFC 8200 §3), with the jumbo payload length of RFC 2675 when the payload length is zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

class Ipv6View {
public:
    static constexpr std::size_t kHeaderLength = 40;

    // Errors: Truncated (fewer than 40 bytes), BadVersion (not 6), BadTotalLength (a jumbo payload length smaller
    // than the hop-by-hop header carrying it). A payload length beyond the bytes present is accepted: the capture
    // cut the payload short (payload_truncated()).
    static ParseResult<Ipv6View> parse(Bytes bytes) noexcept;
    // As parse, and BadTotalLength if the payload length is beyond the bytes present, or the jumbo option breaks
    // RFC 2675 §3 (present with a non-zero payload length, or a jumbo length below 65536). Bytes beyond the payload
    // length (link-layer padding) are allowed in both: payload() ends at the length and padding() holds them.
    static ParseResult<Ipv6View> parse_strict(Bytes bytes) noexcept;
    // For captures (a printer shows whatever the fixed header says): only Truncated and BadVersion. A jumbo payload
    // length smaller than the hop-by-hop header carrying it is not refused: the declared length is then 0.
    static ParseResult<Ipv6View> parse_captured(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept { return kHeaderLength; }
    Bytes header() const noexcept { return bytes_.first(kHeaderLength); }

    std::uint8_t version() const noexcept { return bytes_[0] >> 4; }
    std::uint8_t traffic_class() const noexcept {
        return static_cast<std::uint8_t>(((bytes_[0] & 0x0f) << 4) | (bytes_[1] >> 4));
    }
    std::uint8_t dscp() const noexcept { return traffic_class() >> 2; }
    std::uint8_t ecn() const noexcept { return traffic_class() & 0x03; }
    std::uint32_t flow_label() const noexcept { return load_be32(bytes_.data()) & 0x000fffff; }
    std::uint16_t payload_length() const noexcept { return load_be16(bytes_.data() + 4); }
    std::uint8_t next_header() const noexcept { return bytes_[6]; }
    std::uint8_t hop_limit() const noexcept { return bytes_[7]; }
    Ipv6Address source() const noexcept { return Ipv6Address::from_bytes(bytes_.data() + 8); }
    Ipv6Address destination() const noexcept { return Ipv6Address::from_bytes(bytes_.data() + 24); }

    // RFC 2675: the Jumbo Payload option's value, when the payload length is 0 and the hop-by-hop header (wholly
    // present and well formed) carries one. It then stands in for payload_length().
    std::optional<std::uint32_t> jumbo_payload_length() const noexcept;
    // payload_length(), or the jumbo payload length.
    std::uint32_t declared_payload_length() const noexcept { return declared_; }

    // From the end of the fixed header to the declared length, or to the end of the bytes if the capture cut it
    // short. Starts with the extension headers, if any (see Ipv6ExtensionWalker).
    Bytes payload() const noexcept { return bytes_.subspan(kHeaderLength, end_ - kHeaderLength); }
    bool payload_truncated() const noexcept { return end_ - kHeaderLength < declared_; }
    Bytes padding() const noexcept { return bytes_.subspan(end_); }

private:
    Ipv6View(Bytes bytes, std::uint32_t declared, bool jumbo) noexcept;
    Bytes bytes_;               // everything passed to parse
    std::size_t end_;           // min(40 + declared_, bytes_.size())
    std::uint32_t declared_;
    bool jumbo_;
};

struct Ipv6Builder {
    std::uint8_t version = 6;
    std::uint8_t traffic_class = 0;
    std::uint32_t flow_label = 0;  // 20 bits
    std::uint16_t payload_length = 0;
    std::uint8_t next_header = ip_protocol::kTcp;
    std::uint8_t hop_limit = 64;
    Ipv6Address source;
    Ipv6Address destination;

    std::size_t size() const noexcept { return Ipv6View::kHeaderLength; }
    void write(MutableBytes out) const noexcept;
};

}  // namespace synack::wire
