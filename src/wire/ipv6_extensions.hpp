// IPv6 extension headers (RFC 8200 §4): a walker along the next-header chain to the upper-layer protocol, views
// of the fragment, routing and authentication headers, an iterator over the TLV options of hop-by-hop and
// destination options headers, and builders for each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv6.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

namespace ipv6_extension {
// Headers that follow RFC 6564's uniform format (next header, length in 8-octet units not counting the first 8)
// beyond those of RFC 8200 — IANA "IPv6 Extension Header Types".
inline constexpr std::uint8_t kHip = 139;
inline constexpr std::uint8_t kShim6 = 140;
inline constexpr std::uint8_t kExperimental253 = 253;
inline constexpr std::uint8_t kExperimental254 = 254;

// Hop-by-hop, routing, fragment, destination options (RFC 8200 §4) and the authentication header (RFC 4302).
constexpr bool is_walked(std::uint8_t next_header) noexcept {
    return next_header == ip_protocol::kHopByHop || next_header == ip_protocol::kRouting ||
           next_header == ip_protocol::kFragment || next_header == ip_protocol::kDestinationOptions ||
           next_header == ip_protocol::kAh;
}
// Mobility (RFC 6275), HIP, Shim6 and the experimental values, which the walker can skip by RFC 6564's rule.
constexpr bool is_rfc6564(std::uint8_t next_header) noexcept {
    return next_header == ip_protocol::kMobility || next_header == kHip || next_header == kShim6 ||
           next_header == kExperimental253 || next_header == kExperimental254;
}
}  // namespace ipv6_extension

// One extension header found by the walker.
struct Ipv6Extension {
    std::uint8_t type = 0;         // this header's protocol number (0, 43, 44, 60, 51, …)
    std::uint8_t next_header = 0;  // the protocol number of what follows it
    Bytes header;                  // the whole extension header

    // After the next-header and length octets: the TLV options of hop-by-hop and destination options headers.
    Bytes data() const noexcept { return header.subspan(2); }
};

// Walks the extension headers at the start of an IPv6 payload. Lengths: (n + 1) * 8 octets for hop-by-hop,
// routing and destination options (RFC 8200 §4.3, §4.4, §4.6) and RFC 6564 headers; 8 for the fragment header
// (§4.5); (n + 2) * 4 for the authentication header (RFC 4302 §2.2). The walk ends at the first other protocol
// (including No Next Header, 59, and ESP, whose contents are encrypted), or after a fragment header with a
// non-zero offset, whose data continues a packet rather than starting a header (stopped_at_fragment()).
// Errors (after which at_end() is true and upper_protocol()/upper_payload() stay at the last good header):
// BadExtensionHeader for a hop-by-hop header that is not first (§4.1), an authentication header shorter than its
// 12 fixed octets, or a header running past the payload length; Truncated for one that runs past the bytes present
// but not past the payload length (the capture cut it short).
class Ipv6ExtensionWalker {
public:
    explicit Ipv6ExtensionWalker(const Ipv6View& ip, bool skip_rfc6564 = false) noexcept;
    // `payload` is what is present; `declared_length` what the IP header says (>= payload.size() if cut short).
    Ipv6ExtensionWalker(std::uint8_t next_header, Bytes payload, std::size_t declared_length,
                        bool skip_rfc6564 = false) noexcept;

    bool at_end() const noexcept;
    // The next extension header; call only while !at_end() (otherwise Truncated).
    ParseResult<Ipv6Extension> next() noexcept;

    // The protocol number after the headers walked so far, and the bytes after them.
    std::uint8_t upper_protocol() const noexcept { return next_header_; }
    Bytes upper_payload() const noexcept { return bytes_.subspan(offset_); }
    std::size_t offset() const noexcept { return offset_; }
    bool stopped_at_fragment() const noexcept { return stopped_at_fragment_; }

private:
    bool is_extension(std::uint8_t next_header) const noexcept;

    Bytes bytes_;
    std::size_t declared_;
    std::size_t offset_ = 0;
    std::uint8_t next_header_;
    bool skip_rfc6564_;
    bool stopped_at_fragment_ = false;
    bool failed_ = false;
};

// The upper layer of an IPv6 packet, found by walking every extension header.
struct Ipv6UpperLayer {
    std::uint8_t protocol = 0;
    Bytes payload;
    std::size_t extension_length = 0;  // bytes of extension headers skipped
    bool non_first_fragment = false;   // the walk stopped at a fragment header with a non-zero offset
};
ParseResult<Ipv6UpperLayer> skip_ipv6_extensions(const Ipv6View& ip) noexcept;

// ---- TLV options of hop-by-hop and destination options headers (RFC 8200 §4.2) ----

namespace ipv6_option {
inline constexpr std::uint8_t kPad1 = 0x00;
inline constexpr std::uint8_t kPadN = 0x01;
inline constexpr std::uint8_t kTunnelEncapsulationLimit = 0x04;  // RFC 2473
inline constexpr std::uint8_t kRouterAlert = 0x05;               // RFC 2711
inline constexpr std::uint8_t kCalipso = 0x07;                   // RFC 5570
inline constexpr std::uint8_t kQuickStart = 0x26;                // RFC 4782
inline constexpr std::uint8_t kJumboPayload = 0xc2;              // RFC 2675
inline constexpr std::uint8_t kHomeAddress = 0xc9;               // RFC 6275

// The two high-order bits: what a node that does not recognise the option does (RFC 8200 §4.2).
inline constexpr std::uint8_t kActionSkip = 0;
inline constexpr std::uint8_t kActionDiscard = 1;
inline constexpr std::uint8_t kActionDiscardIcmp = 2;
inline constexpr std::uint8_t kActionDiscardIcmpUnicast = 3;
constexpr std::uint8_t action(std::uint8_t type) noexcept { return type >> 6; }
// The third-highest bit: the option data may change en route.
constexpr bool may_change(std::uint8_t type) noexcept { return (type & 0x20) != 0; }
}  // namespace ipv6_option

// Router alert values (RFC 2711 §2.1).
namespace ipv6_router_alert {
inline constexpr std::uint16_t kMld = 0;
inline constexpr std::uint16_t kRsvp = 1;
inline constexpr std::uint16_t kActiveNetworks = 2;
}  // namespace ipv6_router_alert

struct Ipv6Option {
    std::uint8_t type = 0;
    Bytes data;  // after the type and length octets; empty for Pad1

    std::size_t length() const noexcept { return type == ipv6_option::kPad1 ? 1 : 2 + data.size(); }

    // Typed readers; BadOptionLength if the data length does not fit the kind.
    ParseResult<std::uint32_t> as_jumbo_payload() const noexcept;             // 4 octets
    ParseResult<std::uint16_t> as_router_alert() const noexcept;              // 2 octets
    ParseResult<std::uint8_t> as_tunnel_encapsulation_limit() const noexcept; // 1 octet
};

// Walks TLV options to the end of the bytes; an option whose length octet is missing or whose data runs past the
// end yields BadOptionLength, after which the iterator is at its end.
class Ipv6OptionIterator {
public:
    explicit Ipv6OptionIterator(Bytes options) noexcept : bytes_(options) {}
    // Over the options of a whole hop-by-hop or destination options header (skipping its first two octets).
    static Ipv6OptionIterator over_header(Bytes header) noexcept {
        return Ipv6OptionIterator(header.size() >= 2 ? header.subspan(2) : Bytes{});
    }

    bool at_end() const noexcept { return done_ || offset_ >= bytes_.size(); }
    ParseResult<Ipv6Option> next() noexcept;  // call only while !at_end() (otherwise Truncated)
    std::size_t offset() const noexcept { return offset_; }

private:
    Bytes bytes_;
    std::size_t offset_ = 0;
    bool done_ = false;
};

// ---- fragment, routing and authentication headers ----

// next header (1) | reserved (1) | fragment offset (13 bits) | reserved (2 bits) | M (1 bit) | identification (4).
class Ipv6FragmentView {
public:
    static constexpr std::size_t kHeaderLength = 8;

    static ParseResult<Ipv6FragmentView> parse(Bytes bytes) noexcept;  // Truncated below 8 bytes

    std::size_t header_length() const noexcept { return kHeaderLength; }
    Bytes header() const noexcept { return bytes_.first(kHeaderLength); }
    Bytes payload() const noexcept { return bytes_.subspan(kHeaderLength); }

    std::uint8_t next_header() const noexcept { return bytes_[0]; }
    std::uint8_t reserved() const noexcept { return bytes_[1]; }
    // In bytes (the field counts 8-octet units).
    std::uint16_t fragment_offset() const noexcept {
        return static_cast<std::uint16_t>(load_be16(bytes_.data() + 2) & 0xfff8);
    }
    std::uint8_t reserved_bits() const noexcept { return (bytes_[3] >> 1) & 0x03; }
    bool more_fragments() const noexcept { return (bytes_[3] & 0x01) != 0; }
    std::uint32_t identification() const noexcept { return load_be32(bytes_.data() + 4); }
    // Offset 0 and no more fragments: a whole packet with a fragment header (RFC 6946).
    bool is_atomic() const noexcept { return fragment_offset() == 0 && !more_fragments(); }

private:
    explicit Ipv6FragmentView(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

namespace ipv6_routing_type {
inline constexpr std::uint8_t kSourceRoute = 0;   // RFC 2460, deprecated by RFC 5095
inline constexpr std::uint8_t kNimrod = 1;
inline constexpr std::uint8_t kMobileIpv6 = 2;    // RFC 6275 type 2: one home address
inline constexpr std::uint8_t kRpl = 3;           // RFC 6554 (compressed addresses)
inline constexpr std::uint8_t kSegmentRouting = 4;  // RFC 8754
}  // namespace ipv6_routing_type

// next header (1) | length (1) | routing type (1) | segments left (1) | type-specific data.
// Types 0 and 2: reserved (4) | addresses (16 each, length / 2 of them). Type 4 (SRH): last entry (1) | flags (1) |
// tag (2) | segment list (16 each, last entry + 1 of them) | TLVs.
class Ipv6RoutingView {
public:
    static constexpr std::size_t kMinLength = 8;

    // Truncated if fewer than 8 bytes or (length + 1) * 8 bytes are present; BadExtensionHeader if a segment
    // routing header's segment list does not fit in its length.
    static ParseResult<Ipv6RoutingView> parse(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept { return (std::size_t{bytes_[1]} + 1) * 8; }
    Bytes header() const noexcept { return bytes_.first(header_length()); }
    Bytes payload() const noexcept { return bytes_.subspan(header_length()); }

    std::uint8_t next_header() const noexcept { return bytes_[0]; }
    std::uint8_t header_ext_length() const noexcept { return bytes_[1]; }
    std::uint8_t routing_type() const noexcept { return bytes_[2]; }
    std::uint8_t segments_left() const noexcept { return bytes_[3]; }
    Bytes type_data() const noexcept { return bytes_.subspan(4, header_length() - 4); }

    // Addresses of types 0, 2 and 4 (0 for other types).
    std::size_t address_count() const noexcept;
    Ipv6Address address(std::size_t i) const noexcept {
        return Ipv6Address::from_bytes(bytes_.data() + 8 + 16 * i);
    }
    // Segment routing header (type 4) fields; meaningful only for that type.
    std::uint8_t last_entry() const noexcept { return bytes_[4]; }
    std::uint8_t srh_flags() const noexcept { return bytes_[5]; }
    std::uint16_t srh_tag() const noexcept { return load_be16(bytes_.data() + 6); }
    // After the addresses: a segment routing header's TLVs (empty for other types).
    Bytes trailer() const noexcept;

private:
    explicit Ipv6RoutingView(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

// RFC 4302 §2: next header (1) | payload length ((length in 4-octet units) - 2) (1) | reserved (2) | SPI (4) |
// sequence number (4) | integrity check value.
class Ipv6AuthenticationView {
public:
    static constexpr std::size_t kMinLength = 12;

    // BadExtensionHeader if the length field says less than 12 octets; Truncated if fewer bytes are present.
    static ParseResult<Ipv6AuthenticationView> parse(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept { return (std::size_t{bytes_[1]} + 2) * 4; }
    Bytes header() const noexcept { return bytes_.first(header_length()); }
    Bytes payload() const noexcept { return bytes_.subspan(header_length()); }

    std::uint8_t next_header() const noexcept { return bytes_[0]; }
    std::uint8_t payload_length_field() const noexcept { return bytes_[1]; }
    std::uint16_t reserved() const noexcept { return load_be16(bytes_.data() + 2); }
    std::uint32_t spi() const noexcept { return load_be32(bytes_.data() + 4); }
    std::uint32_t sequence() const noexcept { return load_be32(bytes_.data() + 8); }
    Bytes icv() const noexcept { return bytes_.subspan(kMinLength, header_length() - kMinLength); }

private:
    explicit Ipv6AuthenticationView(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

// ---- builders ----

// Appends TLV options in the caller's order.
class Ipv6OptionsBuilder {
public:
    Ipv6OptionsBuilder& pad1();
    Ipv6OptionsBuilder& padn(std::size_t total_length);  // total_length >= 2: type, length and zeros
    Ipv6OptionsBuilder& jumbo_payload(std::uint32_t length);
    Ipv6OptionsBuilder& router_alert(std::uint16_t value);
    Ipv6OptionsBuilder& tunnel_encapsulation_limit(std::uint8_t limit);
    Ipv6OptionsBuilder& option(std::uint8_t type, Bytes data);  // type, data.size(), data
    Ipv6OptionsBuilder& raw(Bytes bytes);                       // as given, for malformed options

    const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

// A hop-by-hop or destination options header: the options, padded with Pad1 or PadN to a multiple of 8 octets.
struct Ipv6OptionsHeaderBuilder {
    std::uint8_t next_header = ip_protocol::kNoNextHeader;
    std::vector<std::uint8_t> options;
    std::optional<std::uint8_t> header_ext_length;  // written instead of size() / 8 - 1, to build malformed headers

    std::size_t size() const noexcept { return (2 + options.size() + 7) / 8 * 8; }
    void write(MutableBytes out) const noexcept;
};

struct Ipv6FragmentBuilder {
    std::uint8_t next_header = ip_protocol::kNoNextHeader;
    std::uint8_t reserved = 0;
    std::uint16_t fragment_offset = 0;  // in bytes, a multiple of 8
    std::uint8_t reserved_bits = 0;     // 2 bits
    bool more_fragments = false;
    std::uint32_t identification = 0;

    std::size_t size() const noexcept { return Ipv6FragmentView::kHeaderLength; }
    void write(MutableBytes out) const noexcept;
};

struct Ipv6RoutingBuilder {
    std::uint8_t next_header = ip_protocol::kNoNextHeader;
    std::uint8_t routing_type = ipv6_routing_type::kSegmentRouting;
    std::uint8_t segments_left = 0;
    // Octets 4-7: reserved (zero) for types 0 and 2; last entry, flags, tag for type 4. Default: zero, or for
    // type 4 last entry = addresses.size() - 1 and zero flags and tag.
    std::optional<std::uint32_t> type_specific;
    std::vector<Ipv6Address> addresses;
    std::vector<std::uint8_t> trailer;  // after the addresses (SRH TLVs, or another type's data); zero-padded to 8
    std::optional<std::uint8_t> header_ext_length;  // written instead of size() / 8 - 1

    std::size_t size() const noexcept { return (8 + 16 * addresses.size() + trailer.size() + 7) / 8 * 8; }
    void write(MutableBytes out) const noexcept;
};

struct Ipv6AuthenticationBuilder {
    std::uint8_t next_header = ip_protocol::kNoNextHeader;
    std::uint16_t reserved = 0;
    std::uint32_t spi = 0;
    std::uint32_t sequence = 0;
    std::vector<std::uint8_t> icv;  // its length makes size() a multiple of 8 for IPv6 (RFC 4302 §3.3.3.2.1)
    std::optional<std::uint8_t> payload_length_field;  // written instead of size() / 4 - 2

    std::size_t size() const noexcept { return (Ipv6AuthenticationView::kMinLength + icv.size() + 3) / 4 * 4; }
    void write(MutableBytes out) const noexcept;
};

}  // namespace synack::wire
