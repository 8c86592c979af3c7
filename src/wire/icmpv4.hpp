// ICMP for IPv4 (RFC 792): a zero-copy view and a builder.
//
// Every message starts with type, code, checksum and four "rest of header" bytes whose meaning depends on the type:
//   echo / echo reply           identifier (16) | sequence number (16)
//   destination unreachable     unused (8) | RFC 4884 length (8) | next-hop MTU (16, fragmentation needed, RFC 1191)
//   time exceeded               unused (8) | RFC 4884 length (8) | unused (16)
//   redirect                    gateway internet address (32)
//   parameter problem           pointer (8) | RFC 4884 length (8) | unused (16)
// Error messages then quote the invoking packet: its IP header and at least the first 8 bytes of its payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

namespace icmpv4_type {
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestinationUnreachable = 3;
inline constexpr std::uint8_t kSourceQuench = 4;
inline constexpr std::uint8_t kRedirect = 5;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kRouterAdvertisement = 9;   // RFC 1256
inline constexpr std::uint8_t kRouterSolicitation = 10;   // RFC 1256
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;
inline constexpr std::uint8_t kTimestamp = 13;
inline constexpr std::uint8_t kTimestampReply = 14;
inline constexpr std::uint8_t kInformationRequest = 15;
inline constexpr std::uint8_t kInformationReply = 16;
inline constexpr std::uint8_t kAddressMaskRequest = 17;   // RFC 950
inline constexpr std::uint8_t kAddressMaskReply = 18;     // RFC 950
}  // namespace icmpv4_type

// Destination unreachable codes (RFC 792, RFC 1122 §3.2.2.1, RFC 1812 §5.2.7.1).
namespace icmpv4_unreachable {
inline constexpr std::uint8_t kNet = 0;
inline constexpr std::uint8_t kHost = 1;
inline constexpr std::uint8_t kProtocol = 2;
inline constexpr std::uint8_t kPort = 3;
inline constexpr std::uint8_t kFragmentationNeeded = 4;  // "need to frag", carries the next-hop MTU
inline constexpr std::uint8_t kSourceRouteFailed = 5;
inline constexpr std::uint8_t kNetUnknown = 6;
inline constexpr std::uint8_t kHostUnknown = 7;
inline constexpr std::uint8_t kHostIsolated = 8;
inline constexpr std::uint8_t kNetProhibited = 9;
inline constexpr std::uint8_t kHostProhibited = 10;
inline constexpr std::uint8_t kNetTos = 11;
inline constexpr std::uint8_t kHostTos = 12;
inline constexpr std::uint8_t kAdminProhibited = 13;
inline constexpr std::uint8_t kHostPrecedence = 14;
inline constexpr std::uint8_t kPrecedenceCutoff = 15;
}  // namespace icmpv4_unreachable

namespace icmpv4_time_exceeded {
inline constexpr std::uint8_t kTtl = 0;         // "in-transit"
inline constexpr std::uint8_t kReassembly = 1;
}  // namespace icmpv4_time_exceeded

namespace icmpv4_redirect {
inline constexpr std::uint8_t kNet = 0;
inline constexpr std::uint8_t kHost = 1;
inline constexpr std::uint8_t kTosNet = 2;
inline constexpr std::uint8_t kTosHost = 3;
}  // namespace icmpv4_redirect

namespace icmpv4_parameter_problem {
inline constexpr std::uint8_t kPointer = 0;
inline constexpr std::uint8_t kMissingOption = 1;  // RFC 1108
inline constexpr std::uint8_t kBadLength = 2;      // RFC 1812
}  // namespace icmpv4_parameter_problem

// The types that report an error about a packet and quote it (RFC 1122 §3.2.2).
constexpr bool icmpv4_is_error(std::uint8_t type) noexcept {
    return type == icmpv4_type::kDestinationUnreachable || type == icmpv4_type::kSourceQuench ||
           type == icmpv4_type::kRedirect || type == icmpv4_type::kTimeExceeded ||
           type == icmpv4_type::kParameterProblem;
}

class Icmpv4View {
public:
    static constexpr std::size_t kHeaderLength = 8;

    // Truncated if fewer than 8 bytes. The rest-of-header accessors below read those 8 bytes whatever the type;
    // each is meaningful only for the types named.
    static ParseResult<Icmpv4View> parse(Bytes bytes) noexcept;
    // For captures cut short by the snapshot length: needs only the type and code (Truncated below 2 bytes), from
    // which tcpdump already names the message. While header_truncated(), the accessors of the missing bytes
    // (checksum and rest of header) return 0 and payload() is empty. With 8 bytes or more it equals parse().
    static ParseResult<Icmpv4View> parse_captured(Bytes bytes) noexcept;
    bool header_truncated() const noexcept { return bytes_.size() < kHeaderLength; }

    std::uint8_t type() const noexcept { return bytes_[0]; }
    std::uint8_t code() const noexcept { return bytes_[1]; }
    std::uint16_t checksum() const noexcept { return be16(2); }
    std::uint32_t rest_of_header() const noexcept { return header_truncated() ? 0 : load_be32(bytes_.data() + 4); }
    bool is_error() const noexcept { return icmpv4_is_error(type()); }

    std::uint16_t identifier() const noexcept { return be16(4); }  // echo, timestamp, …
    std::uint16_t sequence() const noexcept { return be16(6); }
    std::uint16_t next_hop_mtu() const noexcept { return be16(6); }  // unreachable code 4
    Ipv4Address gateway() const noexcept {  // redirect
        return header_truncated() ? Ipv4Address{} : Ipv4Address::from_bytes(bytes_.data() + 4);
    }
    std::uint8_t pointer() const noexcept { return u8(4); }  // parameter problem: octet of the quoted header
    // RFC 4884 §4.1: the quoted datagram's length in 32-bit words (0: no extension structure follows).
    std::uint8_t original_datagram_words() const noexcept { return u8(5); }

    std::size_t header_length() const noexcept { return kHeaderLength; }
    Bytes header() const noexcept { return bytes_.first(header_truncated() ? bytes_.size() : kHeaderLength); }
    // Echo data, quoted packet, …
    Bytes payload() const noexcept { return header_truncated() ? Bytes{} : bytes_.subspan(kHeaderLength); }
    // The invoking packet of an error message (IP header first; with RFC 4884 extensions after it); empty for
    // non-error types.
    Bytes quoted() const noexcept { return is_error() ? payload() : Bytes{}; }
    Bytes bytes() const noexcept { return bytes_; }

    // Over the message's own bytes (RFC 792); meaningful only when the whole message was captured.
    bool checksum_valid() const noexcept;
    std::uint16_t expected_checksum() const noexcept;  // what the field should hold

private:
    explicit Icmpv4View(Bytes bytes) noexcept : bytes_(bytes) {}
    // Reads of the rest of the header: 0 for bytes a capture cut off (only a parse_captured view lacks them).
    std::uint8_t u8(std::size_t at) const noexcept { return at < bytes_.size() ? bytes_[at] : 0; }
    std::uint16_t be16(std::size_t at) const noexcept {
        return at + 2 <= bytes_.size() ? load_be16(bytes_.data() + at) : 0;
    }
    Bytes bytes_;
};

// Writes the 8-byte header with the checksum over itself and the payload (echo data or quoted packet), which is
// not copied: it may already sit right after the header in the same buffer.
struct Icmpv4Builder {
    std::uint8_t type = icmpv4_type::kEchoRequest;
    std::uint8_t code = 0;
    std::uint32_t rest_of_header = 0;
    std::optional<std::uint16_t> checksum;  // written instead of the computed one, to craft bad messages

    static Icmpv4Builder echo_request(std::uint16_t identifier, std::uint16_t sequence) noexcept;
    static Icmpv4Builder echo_reply(std::uint16_t identifier, std::uint16_t sequence) noexcept;
    static Icmpv4Builder destination_unreachable(std::uint8_t code, std::uint16_t next_hop_mtu = 0) noexcept;
    static Icmpv4Builder time_exceeded(std::uint8_t code) noexcept;
    static Icmpv4Builder redirect(std::uint8_t code, const Ipv4Address& gateway) noexcept;
    static Icmpv4Builder parameter_problem(std::uint8_t pointer,
                                           std::uint8_t code = icmpv4_parameter_problem::kPointer) noexcept;

    std::size_t size() const noexcept { return Icmpv4View::kHeaderLength; }
    void write(MutableBytes out, Bytes payload) const noexcept;  // out.size() >= size()
    std::vector<std::uint8_t> build(Bytes payload) const;       // header followed by a copy of the payload
};

}  // namespace synack::wire
