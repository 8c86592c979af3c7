// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861): a zero-copy view, an ND option iterator, and builders.
//
// Every message starts with type, code, checksum and four type-specific bytes:
//   echo request / reply          identifier (16) | sequence number (16)
//   packet too big                MTU (32)
//   parameter problem             pointer (32)
//   destination unreachable,
//   time exceeded                 unused (32)
//   neighbor advertisement        R | S | O | reserved (29)
//   router advertisement          cur hop limit (8) | M | O | H | Prf (2) | P | reserved (8) | router lifetime (16)
// ND messages continue with a fixed part (NS/NA: target address; RA: reachable time, retrans timer; redirect:
// target and destination addresses) and then TLV options in units of 8 bytes (RFC 4861 §4.6).
// Error messages (types below 128) quote as much of the invoking packet as fits in the minimum MTU.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

namespace icmpv6_type {
inline constexpr std::uint8_t kDestinationUnreachable = 1;
inline constexpr std::uint8_t kPacketTooBig = 2;
inline constexpr std::uint8_t kTimeExceeded = 3;
inline constexpr std::uint8_t kParameterProblem = 4;
inline constexpr std::uint8_t kEchoRequest = 128;
inline constexpr std::uint8_t kEchoReply = 129;
inline constexpr std::uint8_t kMulticastListenerQuery = 130;   // RFC 2710
inline constexpr std::uint8_t kMulticastListenerReport = 131;  // RFC 2710
inline constexpr std::uint8_t kMulticastListenerDone = 132;    // RFC 2710
inline constexpr std::uint8_t kRouterSolicitation = 133;
inline constexpr std::uint8_t kRouterAdvertisement = 134;
inline constexpr std::uint8_t kNeighborSolicitation = 135;
inline constexpr std::uint8_t kNeighborAdvertisement = 136;
inline constexpr std::uint8_t kRedirect = 137;
inline constexpr std::uint8_t kMulticastListenerReportV2 = 143;  // RFC 3810
}  // namespace icmpv6_type

namespace icmpv6_unreachable {  // RFC 4443 §3.1
inline constexpr std::uint8_t kNoRoute = 0;
inline constexpr std::uint8_t kAdminProhibited = 1;
inline constexpr std::uint8_t kBeyondScope = 2;
inline constexpr std::uint8_t kAddress = 3;
inline constexpr std::uint8_t kPort = 4;
inline constexpr std::uint8_t kSourcePolicy = 5;
inline constexpr std::uint8_t kRejectRoute = 6;
}  // namespace icmpv6_unreachable

namespace icmpv6_time_exceeded {  // RFC 4443 §3.3
inline constexpr std::uint8_t kHopLimit = 0;
inline constexpr std::uint8_t kReassembly = 1;
}  // namespace icmpv6_time_exceeded

namespace icmpv6_parameter_problem {  // RFC 4443 §3.4
inline constexpr std::uint8_t kErroneousHeader = 0;
inline constexpr std::uint8_t kUnrecognizedNextHeader = 1;
inline constexpr std::uint8_t kUnrecognizedOption = 2;
}  // namespace icmpv6_parameter_problem

// Neighbor advertisement flags (byte 4) and router advertisement flags (byte 5).
namespace icmpv6_na_flag {
inline constexpr std::uint8_t kRouter = 0x80;
inline constexpr std::uint8_t kSolicited = 0x40;
inline constexpr std::uint8_t kOverride = 0x20;
}  // namespace icmpv6_na_flag
namespace icmpv6_ra_flag {
inline constexpr std::uint8_t kManaged = 0x80;      // M: addresses from DHCPv6
inline constexpr std::uint8_t kOtherConfig = 0x40;  // O: other configuration from DHCPv6
inline constexpr std::uint8_t kHomeAgent = 0x20;    // H, RFC 6275
inline constexpr std::uint8_t kPreferenceMask = 0x18;  // Prf, RFC 4191
inline constexpr std::uint8_t kProxy = 0x04;        // P, RFC 4389
}  // namespace icmpv6_ra_flag

// RFC 4443 §2.1: error messages have types 0–127.
constexpr bool icmpv6_is_error(std::uint8_t type) noexcept { return type < 128; }
// Bytes before the ND options (or the data/quote) for each type: 8 for most, more for ND messages.
std::size_t icmpv6_fixed_length(std::uint8_t type) noexcept;

class Icmpv6View {
public:
    static constexpr std::size_t kMinHeaderLength = 8;

    // Truncated if fewer than 8 bytes, or fewer than the type's fixed part (24 for NS/NA, 16 for RA, 40 for
    // redirect). The accessors on the first 8 bytes read them whatever the type and are meaningful for the types
    // named; those beyond (target(), reachable_time(), …) return zero for other types.
    static ParseResult<Icmpv6View> parse(Bytes bytes) noexcept;
    // For captures cut short by the snapshot length: needs only the type and code (Truncated below 2 bytes), from
    // which tcpdump already names the message. While header_truncated() (fewer bytes than the type's fixed part),
    // every accessor of a missing byte returns 0 (:: for addresses) and payload() is empty. With the whole fixed
    // part it equals parse().
    static ParseResult<Icmpv6View> parse_captured(Bytes bytes) noexcept;
    bool header_truncated() const noexcept { return bytes_.size() < header_length(); }

    std::uint8_t type() const noexcept { return bytes_[0]; }
    std::uint8_t code() const noexcept { return bytes_[1]; }
    std::uint16_t checksum() const noexcept { return be16(2); }
    std::uint32_t rest_of_header() const noexcept { return be32(4); }
    bool is_error() const noexcept { return icmpv6_is_error(type()); }

    std::uint16_t identifier() const noexcept { return be16(4); }  // echo
    std::uint16_t sequence() const noexcept { return be16(6); }    // echo
    std::uint32_t mtu() const noexcept { return be32(4); }         // packet too big
    std::uint32_t pointer() const noexcept { return be32(4); }     // parameter problem

    // Neighbor advertisement.
    bool router_flag() const noexcept { return (u8(4) & icmpv6_na_flag::kRouter) != 0; }
    bool solicited_flag() const noexcept { return (u8(4) & icmpv6_na_flag::kSolicited) != 0; }
    bool override_flag() const noexcept { return (u8(4) & icmpv6_na_flag::kOverride) != 0; }
    // NS, NA and redirect: the target address; :: for other types.
    Ipv6Address target() const noexcept;
    // Redirect: the destination address; :: for other types.
    Ipv6Address redirect_destination() const noexcept;

    // Router advertisement.
    std::uint8_t cur_hop_limit() const noexcept { return u8(4); }
    std::uint8_t ra_flags() const noexcept { return u8(5); }  // icmpv6_ra_flag::k*
    bool managed_flag() const noexcept { return (u8(5) & icmpv6_ra_flag::kManaged) != 0; }
    bool other_config_flag() const noexcept { return (u8(5) & icmpv6_ra_flag::kOtherConfig) != 0; }
    std::uint8_t router_preference() const noexcept { return (u8(5) & icmpv6_ra_flag::kPreferenceMask) >> 3; }
    std::uint16_t router_lifetime() const noexcept { return be16(6); }  // seconds
    std::uint32_t reachable_time() const noexcept;  // milliseconds; 0 unless RA
    std::uint32_t retrans_timer() const noexcept;   // milliseconds; 0 unless RA

    std::size_t header_length() const noexcept { return icmpv6_fixed_length(type()); }
    Bytes header() const noexcept { return bytes_.first(header_truncated() ? bytes_.size() : header_length()); }
    // Data, quote or ND options.
    Bytes payload() const noexcept { return header_truncated() ? Bytes{} : bytes_.subspan(header_length()); }
    // The invoking packet of an error message (IPv6 header first); empty for informational types.
    Bytes quoted() const noexcept { return is_error() ? payload() : Bytes{}; }
    // The ND options of RS, RA, NS, NA and redirect; empty for other types.
    Bytes nd_options() const noexcept;
    Bytes bytes() const noexcept { return bytes_; }

    // Over the IPv6 pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1) and the bytes given; meaningful only when the
    // whole message was captured.
    bool checksum_valid(const Ipv6Address& src, const Ipv6Address& dst) const noexcept;
    std::uint16_t expected_checksum(const Ipv6Address& src, const Ipv6Address& dst) const noexcept;

private:
    explicit Icmpv6View(Bytes bytes) noexcept : bytes_(bytes) {}
    // Reads of the fixed part: 0 for bytes a capture cut off (only a parse_captured view lacks them).
    std::uint8_t u8(std::size_t at) const noexcept { return at < bytes_.size() ? bytes_[at] : 0; }
    std::uint16_t be16(std::size_t at) const noexcept {
        return at + 2 <= bytes_.size() ? load_be16(bytes_.data() + at) : 0;
    }
    std::uint32_t be32(std::size_t at) const noexcept {
        return at + 4 <= bytes_.size() ? load_be32(bytes_.data() + at) : 0;
    }
    Ipv6Address address(std::size_t at) const noexcept {
        return at + 16 <= bytes_.size() ? Ipv6Address::from_bytes(bytes_.data() + at) : Ipv6Address{};
    }
    Bytes bytes_;
};

// ---- Neighbor Discovery options (RFC 4861 §4.6) ----

namespace nd_option_type {
inline constexpr std::uint8_t kSourceLinkLayerAddress = 1;
inline constexpr std::uint8_t kTargetLinkLayerAddress = 2;
inline constexpr std::uint8_t kPrefixInformation = 3;
inline constexpr std::uint8_t kRedirectedHeader = 4;
inline constexpr std::uint8_t kMtu = 5;
inline constexpr std::uint8_t kNonce = 14;             // RFC 3971
inline constexpr std::uint8_t kRouteInformation = 24;  // RFC 4191
inline constexpr std::uint8_t kRdnss = 25;             // RFC 8106
inline constexpr std::uint8_t kDnssl = 31;             // RFC 8106
}  // namespace nd_option_type

struct NdPrefixInformation {  // RFC 4861 §4.6.2
    std::uint8_t prefix_length = 0;
    std::uint8_t flags = 0;  // L 0x80, A 0x40, R 0x20 (RFC 6275)
    std::uint32_t valid_lifetime = 0;      // seconds; 0xffffffff = infinity
    std::uint32_t preferred_lifetime = 0;  // seconds
    Ipv6Address prefix;

    static constexpr std::uint8_t kOnLink = 0x80;
    static constexpr std::uint8_t kAutonomous = 0x40;
    static constexpr std::uint8_t kRouterAddress = 0x20;
    bool on_link() const noexcept { return (flags & kOnLink) != 0; }
    bool autonomous() const noexcept { return (flags & kAutonomous) != 0; }
    bool router_address() const noexcept { return (flags & kRouterAddress) != 0; }
};

class NdOption {
public:
    NdOption() = default;

    std::uint8_t type() const noexcept { return raw_.empty() ? 0 : raw_[0]; }
    std::uint8_t length() const noexcept { return raw_.size() < 2 ? 0 : raw_[1]; }  // in units of 8 bytes
    std::size_t size() const noexcept { return raw_.size(); }                       // length() * 8
    Bytes data() const noexcept { return raw_.size() < 2 ? Bytes{} : raw_.subspan(2); }  // after type and length
    Bytes raw() const noexcept { return raw_; }
    std::size_t offset() const noexcept { return offset_; }

    // Source/target link-layer address (types 1, 2): the address bytes with any padding (6 of 6 for Ethernet).
    ParseResult<Bytes> as_link_layer_address() const noexcept;
    // The same for Ethernet: length 1 (8 bytes) required (RFC 2464 §6).
    ParseResult<MacAddress> as_mac_address() const noexcept;
    ParseResult<NdPrefixInformation> as_prefix_information() const noexcept;  // length 4
    ParseResult<std::uint32_t> as_mtu() const noexcept;                       // length 1
    // Redirected header: the quoted packet after 6 reserved bytes.
    ParseResult<Bytes> as_redirected_header() const noexcept;

private:
    friend class NdOptionIterator;
    NdOption(Bytes raw, std::size_t offset) noexcept : raw_(raw), offset_(offset) {}

    Bytes raw_;
    std::size_t offset_ = 0;
};

// Walks ND options. A length of zero (RFC 4861 §4.6: "Nodes MUST silently discard an ND packet that contains an
// option with length zero"), a missing length byte or an option running past the end is returned once as
// BadOptionLength and ends the walk; remaining() then starts at the offending option.
class NdOptionIterator {
public:
    explicit NdOptionIterator(Bytes options) noexcept : bytes_(options) {}

    bool at_end() const noexcept { return done_ || offset_ >= bytes_.size(); }
    ParseResult<NdOption> next() noexcept;  // call only while !at_end() (otherwise Truncated)
    std::size_t offset() const noexcept { return offset_; }
    Bytes remaining() const noexcept { return bytes_.subspan(offset_); }

private:
    Bytes bytes_;
    std::size_t offset_ = 0;
    bool done_ = false;
};

// Runs an iterator to the end: the first framing error, if any.
ParseResult<void> validate_nd_options(Bytes options) noexcept;

// Appends ND options in the caller's order, each zero-padded to a multiple of 8 bytes.
class NdOptionsBuilder {
public:
    NdOptionsBuilder& source_link_layer_address(const MacAddress& mac);
    NdOptionsBuilder& target_link_layer_address(const MacAddress& mac);
    NdOptionsBuilder& prefix_information(const NdPrefixInformation& info);
    NdOptionsBuilder& mtu(std::uint32_t mtu);
    // Any type: type, length, data, zero padding to a multiple of 8.
    NdOptionsBuilder& option(std::uint8_t type, Bytes data);
    // Verbatim bytes, for malformed options.
    NdOptionsBuilder& raw(Bytes bytes);

    const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

// Writes the type's fixed part (8 bytes, or the ND message's longer one) with the checksum over the IPv6
// pseudo-header, itself and `body` (echo data, quoted packet or ND options), which is not copied: it may already
// sit right after the header in the same buffer.
struct Icmpv6Builder {
    std::uint8_t type = icmpv6_type::kEchoRequest;
    std::uint8_t code = 0;
    std::uint32_t rest_of_header = 0;          // bytes 4–7
    std::array<std::uint8_t, 32> fixed_tail{};  // bytes 8 onwards of the fixed part (target, timers, …)
    std::size_t fixed_tail_length = 0;          // 0, 8 (RA), 16 (NS, NA) or 32 (redirect)
    std::optional<std::uint16_t> checksum;      // written instead of the computed one, to craft bad messages

    static Icmpv6Builder echo_request(std::uint16_t identifier, std::uint16_t sequence) noexcept;
    static Icmpv6Builder echo_reply(std::uint16_t identifier, std::uint16_t sequence) noexcept;
    static Icmpv6Builder destination_unreachable(std::uint8_t code) noexcept;
    static Icmpv6Builder packet_too_big(std::uint32_t mtu) noexcept;
    static Icmpv6Builder time_exceeded(std::uint8_t code) noexcept;
    static Icmpv6Builder parameter_problem(std::uint8_t code, std::uint32_t pointer) noexcept;
    static Icmpv6Builder router_solicitation() noexcept;
    static Icmpv6Builder router_advertisement(std::uint8_t cur_hop_limit, std::uint8_t flags,
                                              std::uint16_t router_lifetime, std::uint32_t reachable_time,
                                              std::uint32_t retrans_timer) noexcept;
    static Icmpv6Builder neighbor_solicitation(const Ipv6Address& target) noexcept;
    // flags: icmpv6_na_flag::k*
    static Icmpv6Builder neighbor_advertisement(std::uint8_t flags, const Ipv6Address& target) noexcept;
    static Icmpv6Builder redirect(const Ipv6Address& target, const Ipv6Address& destination) noexcept;

    std::size_t size() const noexcept {
        return Icmpv6View::kMinHeaderLength + (fixed_tail_length < fixed_tail.size() ? fixed_tail_length
                                                                                     : fixed_tail.size());
    }
    // out.size() >= size().
    void write(MutableBytes out, Bytes body, const Ipv6Address& src, const Ipv6Address& dst) const noexcept;
    // Header followed by a copy of the body.
    std::vector<std::uint8_t> build(Bytes body, const Ipv6Address& src, const Ipv6Address& dst) const;
};

}  // namespace synack::wire
