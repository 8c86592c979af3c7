// The wire-level pieces PacketCodec is made of: script TCP flags and options to bytes and back to script text,
// IP headers around a transport payload, ICMP type and code names, and tcpdump text for a datagram.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tools/drill/script.hpp"
#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/result.hpp"
#include "wire/tcp.hpp"

namespace synack::drill::packet {

// The flag letters of a packet line (packetdrill tcp_packet.c): F S R P U, '.' for ACK, E W A for ECE CWR AE,
// or one digit 0–7 for the AccECN ACE field (AE CWR ECE as bits 4 2 1) instead of E W A; "-" or "" for none.
// Returns tcp_flags::k* bits.
Result<std::uint16_t, std::string> parse_tcp_flags(std::string_view flags);
// A SYN without ACK: the packet that opens a connection.
constexpr bool bare_syn(std::uint16_t flags) noexcept {
    return (flags & wire::tcp_flags::kSyn) != 0 && (flags & wire::tcp_flags::kAck) == 0;
}
// The bits in script letters, in a fixed order: "S.", "F.", "P.", "SEW", "R", "-" for none.
std::string tcp_flags_text(std::uint16_t bits);

// The options as written, in order, without padding (packetdrill requires the list to fill whole 32-bit words
// and refuses it otherwise). Values must already be in the space wanted (script or live).
Result<std::vector<std::uint8_t>, std::string> encode_tcp_options(const std::vector<TcpOptionSpec>& options);

// One option as packetdrill's iterator walks them: EOL and NOP are single bytes (every EOL of the padding counts).
struct RawOption {
    std::uint8_t kind = 0;
    std::vector<std::uint8_t> data;  // after the kind and length bytes
    friend bool operator==(const RawOption&, const RawOption&) = default;
};
Result<std::vector<RawOption>, std::string> walk_tcp_options(wire::Bytes options);
// Moves the edges of every SACK block written in `options` by `offset` (a script → live ISN mapping).
void shift_sack_blocks(std::vector<TcpOptionSpec>& options, std::uint32_t offset) noexcept;
// "<mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>" — script notation; "<>" for none.
std::string tcp_options_text(const std::vector<RawOption>& options);

// "not-ect", "ect1", "ect0", "ce" for the two ECN bits; "ect01" for EcnCodepoint::kEct01.
std::string ecn_text(std::uint8_t bits);
std::uint8_t ecn_bits(EcnCodepoint ecn) noexcept;  // kEct01 gives ECT(0)'s bits

struct IpFields {
    bool v6 = false;
    wire::IpAddress source;
    wire::IpAddress destination;
    std::uint8_t protocol = 0;
    std::uint8_t tos = 0;        // IPv4 TOS / IPv6 traffic class
    std::uint8_t ttl = 255;      // TTL / hop limit
    std::uint32_t flow_label = 0;
};
// An IP header (IPv4: ID 0, no DF, checksum computed) in front of `payload`, whose length it declares.
std::vector<std::uint8_t> wrap_ip(const IpFields& ip, wire::Bytes payload);
// Only the header, declaring `payload_length` bytes after it (for ICMP quotes of a longer packet).
std::vector<std::uint8_t> ip_header(const IpFields& ip, std::size_t payload_length);
// A live datagram's IP layer: what the outbound checks compare.
struct LiveIp {
    IpFields fields;
    bool header_checksum_valid = true;  // IPv4 only
    wire::Bytes payload;                // the transport header and its payload
};
// IPv4 or IPv6 without extension headers; the error names what is wrong.
Result<LiveIp, std::string> parse_datagram(wire::Bytes datagram);

// TCP header (checksum over the pseudo-header of `ip`) followed by `payload`.
std::vector<std::uint8_t> build_tcp(const wire::TcpBuilder& tcp, wire::Bytes payload, const IpFields& ip);

// packetdrill icmp_packet.c's names: "unreachable", "frag_needed", ... and "type_N" / "code_N"; no code = 0.
struct IcmpTypeCode {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
};
Result<IcmpTypeCode, std::string> icmp_type_code(bool v6, const IcmpSpec& icmp);

// An ICMPv4 or ICMPv6 message (as `ip.v6` says; the ICMPv6 checksum over `ip`'s addresses): type, code, the
// header's last four bytes (`rest`: MTU for frag_needed and packet_too_big) and `body`, the quoted packet.
std::vector<std::uint8_t> build_icmp(const IpFields& ip, IcmpTypeCode tc, std::uint32_t rest, wire::Bytes body);

// The datagram as tcpdump -t -nn -S prints it, without the final newline.
std::string print_datagram(wire::Bytes datagram);

}  // namespace synack::drill::packet
