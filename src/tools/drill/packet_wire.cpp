#include "tools/drill/packet_wire.hpp"

#include <array>
#include <optional>
#include <span>

#include <fmt/format.h>

#include "device/capture_record.hpp"
#include "tools/dump/options.hpp"
#include "tools/dump/printer.hpp"
#include "wire/icmpv4.hpp"
#include "wire/icmpv6.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/tcp_options.hpp"

namespace synack::drill::packet {
namespace {

namespace flag = wire::tcp_flags;

struct FlagLetter {
    char letter;
    std::uint16_t bit;
};
// Text order: the letters first, the ACK dot last ("S.", "F.", "SEW", "FP.").
constexpr std::array<FlagLetter, 9> kFlagLetters{{{'F', flag::kFin},
                                                  {'S', flag::kSyn},
                                                  {'R', flag::kRst},
                                                  {'P', flag::kPsh},
                                                  {'U', flag::kUrg},
                                                  {'E', flag::kEce},
                                                  {'W', flag::kCwr},
                                                  {'A', flag::kAe},
                                                  {'.', flag::kAck}}};

std::string hex_bytes(const std::vector<std::uint8_t>& bytes) {
    std::string s;
    for (std::uint8_t b : bytes) s += fmt::format("{:02x}", b);
    return s;
}

std::string option_text(const RawOption& o) {
    namespace kind = wire::tcp_option_kind;
    const auto& d = o.data;
    switch (o.kind) {
        case kind::kEol:
            return "eol";
        case kind::kNop:
            return "nop";
        case kind::kMss:
            if (d.size() == 2) return fmt::format("mss {}", wire::load_be16(d.data()));
            break;
        case kind::kWindowScale:
            if (d.size() == 1) return fmt::format("wscale {}", d[0]);
            break;
        case kind::kSackPermitted:
            if (d.empty()) return "sackOK";
            break;
        case kind::kSack:
            if (d.size() % 8 == 0) {
                std::string s = "sack";
                for (std::size_t i = 0; i < d.size(); i += 8) {
                    s += fmt::format(" {}:{}", wire::load_be32(d.data() + i), wire::load_be32(d.data() + i + 4));
                }
                return s;
            }
            break;
        case kind::kTimestamps:
            if (d.size() == 8) {
                return fmt::format("TS val {} ecr {}", wire::load_be32(d.data()), wire::load_be32(d.data() + 4));
            }
            break;
        case kind::kFastOpen:
            return d.empty() ? "FO" : "FO " + hex_bytes(d);
        case kind::kMd5Signature:
            return "md5";
        default:
            break;
    }
    return fmt::format("kind {} len {}{}{}", o.kind, d.size() + 2, d.empty() ? "" : " ", hex_bytes(d));
}

const char* const kIcmpv4UnreachableCodes[] = {
    "net_unreachable", "host_unreachable", "protocol_unreachable", "port_unreachable", "frag_needed",
    "source_route_failed", "net_unknown", "host_unknown", "source_host_isolated", "net_prohibited",
    "host_prohibited", "net_unreachable_for_tos", "host_unreachable_for_tos", "packet_filtered",
    "precedence_violation", "precedence_cutoff"};
const char* const kIcmpv6UnreachableCodes[] = {"no_route", "admin_prohibited", "not_neighbour",
                                               "address_unreachable", "port_unreachable"};
const char* const kIcmpv6TimeExceededCodes[] = {"exceeded_hop_limit", "exceeded_frag_time"};
const char* const kIcmpv6ParameterProblemCodes[] = {"header_field", "unknown_next_header", "unknown_option"};

struct IcmpTypeName {
    const char* name;
    std::uint8_t type;
    std::span<const char* const> codes;  // indexed by code
};

constexpr std::array<IcmpTypeName, 13> kIcmpv4Types{{
    {"echo_reply", 0, {}},
    {"unreachable", 3, kIcmpv4UnreachableCodes},
    {"source_quench", 4, {}},
    {"redirect", 5, {}},
    {"echo_request", 8, {}},
    {"time_exceeded", 11, {}},
    {"parameter_problem", 12, {}},
    {"timestamp_request", 13, {}},
    {"timestamp_reply", 14, {}},
    {"information_request", 15, {}},
    {"information_reply", 16, {}},
    {"address_mask_request", 17, {}},
    {"address_mask_reply", 18, {}},
}};
constexpr std::array<IcmpTypeName, 6> kIcmpv6Types{{
    {"unreachable", 1, kIcmpv6UnreachableCodes},
    {"packet_too_big", 2, {}},
    {"time_exceeded", 3, kIcmpv6TimeExceededCodes},
    {"parameter_problem", 4, kIcmpv6ParameterProblemCodes},
    {"echo_request", 128, {}},
    {"echo_reply", 129, {}},
}};

// "type_N" / "code_N": tcpdump-inspired numeric forms packetdrill accepts.
std::optional<std::uint8_t> numeric_form(std::string_view text, std::string_view prefix) {
    if (text.substr(0, prefix.size()) != prefix || text.size() == prefix.size()) return std::nullopt;
    unsigned value = 0;
    for (char c : text.substr(prefix.size())) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
        if (value > 255) return std::nullopt;
    }
    return static_cast<std::uint8_t>(value);
}

}  // namespace

Result<std::uint16_t, std::string> parse_tcp_flags(std::string_view flags) {
    if (flags == "-") return std::uint16_t{0};
    std::uint16_t bits = 0;
    bool ecn_letter = false;
    bool ace_digit = false;
    for (char c : flags) {
        if (c >= '0' && c <= '7') {
            if (ecn_letter || ace_digit) return Err{fmt::format("conflicting TCP flag '{}' in \"{}\"", c, flags)};
            ace_digit = true;
            const int ace = c - '0';  // AccECN ACE: AE CWR ECE
            if (ace & 1) bits |= flag::kEce;
            if (ace & 2) bits |= flag::kCwr;
            if (ace & 4) bits |= flag::kAe;
            continue;
        }
        bool known = false;
        for (const FlagLetter& f : kFlagLetters) {
            if (f.letter == c) {
                known = true;
                bits |= f.bit;
            }
        }
        if (!known) return Err{fmt::format("invalid TCP flag '{}' in \"{}\"", c, flags)};
        if (c == 'E' || c == 'W' || c == 'A') {
            if (ace_digit) return Err{fmt::format("conflicting TCP flag '{}' in \"{}\"", c, flags)};
            ecn_letter = true;
        }
    }
    return bits;
}

std::string tcp_flags_text(std::uint16_t bits) {
    std::string s;
    for (const FlagLetter& f : kFlagLetters) {
        if ((bits & f.bit) != 0) s += f.letter;
    }
    return s.empty() ? "-" : s;
}

Result<std::vector<std::uint8_t>, std::string> encode_tcp_options(const std::vector<TcpOptionSpec>& options) {
    wire::TcpOptionsBuilder b;
    for (const TcpOptionSpec& o : options) {
        using Kind = TcpOptionSpec::Kind;
        switch (o.kind) {
            case Kind::kEol:
                b.eol();
                break;
            case Kind::kNop:
                b.nop();
                break;
            case Kind::kMss:
                if (o.value > 0xffff) return Err{fmt::format("mss {} does not fit in 16 bits", o.value)};
                b.mss(static_cast<std::uint16_t>(o.value));
                break;
            case Kind::kWscale:
                if (o.value > 0xff) return Err{fmt::format("wscale {} does not fit in 8 bits", o.value)};
                b.window_scale(static_cast<std::uint8_t>(o.value));
                break;
            case Kind::kSackOk:
                b.sack_permitted();
                break;
            case Kind::kSack: {
                if (o.blocks.size() > wire::kMaxSackBlocks) {
                    return Err{fmt::format("{} SACK blocks: at most {} fit", o.blocks.size(), wire::kMaxSackBlocks)};
                }
                std::vector<wire::SackBlock> blocks;
                for (const auto& [left, right] : o.blocks) blocks.push_back({wire::Seq32(left), wire::Seq32(right)});
                b.sack(blocks);
                break;
            }
            case Kind::kTimestamp:
                b.timestamps(o.value, o.echo);
                break;
            case Kind::kFastOpen:
                // The experimental form (kind 254, magic 0xF989) when the parser marks it with generic_kind 254.
                if (o.generic_kind == wire::tcp_option_kind::kExperiment2) {
                    b.fast_open_experimental(o.bytes);
                } else {
                    b.fast_open(o.bytes);
                }
                break;
            case Kind::kMd5: {
                static constexpr std::array<std::uint8_t, 16> kZeros{};
                b.md5_signature(o.bytes.empty() ? wire::Bytes(kZeros) : wire::Bytes(o.bytes));
                break;
            }
            case Kind::kGeneric:
                b.option(o.generic_kind, o.bytes);
                break;
        }
    }
    if (b.overflowed()) return Err{std::string("TCP options longer than 40 bytes")};
    if (b.unpadded_size() % 4 != 0) {
        // packetdrill tcp_packet.c: the script must pad the list itself (with nop or eol).
        return Err{fmt::format("TCP options are not padded to a multiple of 4 bytes: {} excess bytes",
                               b.unpadded_size() % 4)};
    }
    const wire::Bytes bytes = b.bytes();
    return std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(b.unpadded_size()));
}

Result<std::vector<RawOption>, std::string> walk_tcp_options(wire::Bytes options) {
    std::vector<RawOption> out;
    std::size_t i = 0;
    while (i < options.size()) {
        const std::uint8_t kind = options[i];
        if (kind == wire::tcp_option_kind::kEol || kind == wire::tcp_option_kind::kNop) {
            out.push_back({kind, {}});
            ++i;
            continue;
        }
        if (i + 1 >= options.size()) return Err{fmt::format("TCP option {} has no length byte", kind)};
        const std::size_t length = options[i + 1];
        if (length < 2 || i + length > options.size()) {
            return Err{fmt::format("TCP option {} has a bad length {}", kind, length)};
        }
        out.push_back({kind, std::vector<std::uint8_t>(options.begin() + static_cast<std::ptrdiff_t>(i + 2),
                                                       options.begin() + static_cast<std::ptrdiff_t>(i + length))});
        i += length;
    }
    return out;
}

void shift_sack_blocks(std::vector<TcpOptionSpec>& options, std::uint32_t offset) noexcept {
    for (TcpOptionSpec& o : options) {
        if (o.kind != TcpOptionSpec::Kind::kSack) continue;
        for (auto& [left, right] : o.blocks) {
            left += offset;
            right += offset;
        }
    }
}

std::string tcp_options_text(const std::vector<RawOption>& options) {
    std::string s = "<";
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (i > 0) s += ',';
        s += option_text(options[i]);
    }
    return s + ">";
}

std::string ecn_text(std::uint8_t bits) {
    static constexpr std::array<const char*, 4> kNames{"not-ect", "ect1", "ect0", "ce"};
    return kNames[bits & 3];
}

std::uint8_t ecn_bits(EcnCodepoint ecn) noexcept {
    switch (ecn) {
        case EcnCodepoint::kNotEct:
            return 0;
        case EcnCodepoint::kEct1:
            return 1;
        case EcnCodepoint::kEct0:
        case EcnCodepoint::kEct01:
            return 2;
        case EcnCodepoint::kCe:
            return 3;
    }
    return 0;
}

std::vector<std::uint8_t> ip_header(const IpFields& ip, std::size_t payload_length) {
    if (ip.v6) {
        wire::Ipv6Builder b;
        b.traffic_class = ip.tos;
        b.flow_label = ip.flow_label & 0xfffff;
        b.payload_length = static_cast<std::uint16_t>(payload_length);
        b.next_header = ip.protocol;
        b.hop_limit = ip.ttl;
        b.source = ip.source.v6();
        b.destination = ip.destination.v6();
        std::vector<std::uint8_t> out(b.size());
        b.write(out);
        return out;
    }
    wire::Ipv4Builder b;
    b.tos = ip.tos;
    b.ttl = ip.ttl;
    b.protocol = ip.protocol;
    b.source = ip.source.v4();
    b.destination = ip.destination.v4();
    b.payload_length = static_cast<std::uint16_t>(payload_length);
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    return out;
}

std::vector<std::uint8_t> wrap_ip(const IpFields& ip, wire::Bytes payload) {
    std::vector<std::uint8_t> out = ip_header(ip, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Result<LiveIp, std::string> parse_datagram(wire::Bytes datagram) {
    LiveIp live;
    if (datagram.empty()) return Err{std::string("empty datagram")};
    if ((datagram[0] >> 4) == 6) {
        auto v6 = wire::Ipv6View::parse_strict(datagram);
        if (!v6) return Err{std::string("not a valid IPv6 datagram")};
        live.fields = {true, v6->source(), v6->destination(), v6->next_header(), v6->traffic_class(), v6->hop_limit(),
                       v6->flow_label()};
        live.payload = v6->payload();
        return live;
    }
    auto v4 = wire::Ipv4View::parse_strict(datagram);
    if (!v4) return Err{std::string("not a valid IP datagram")};
    live.fields = {false, v4->source(), v4->destination(), v4->protocol(), v4->tos(), v4->ttl(), 0};
    live.header_checksum_valid = v4->header_checksum_valid();
    live.payload = v4->payload();
    if (v4->is_fragment()) return Err{std::string("an IPv4 fragment")};
    return live;
}

std::vector<std::uint8_t> build_tcp(const wire::TcpBuilder& tcp, wire::Bytes payload, const IpFields& ip) {
    if (ip.v6) return tcp.build(payload, ip.source.v6(), ip.destination.v6());
    return tcp.build(payload, ip.source.v4(), ip.destination.v4());
}

Result<IcmpTypeCode, std::string> icmp_type_code(bool v6, const IcmpSpec& icmp) {
    // synack extension: "unreachable frag_needed" in an IPv6 run means its IPv6 counterpart, packet too big
    // (RFC 4443 §3.2), so one PMTU script serves both families. packetdrill refuses the name under IPv6.
    if (v6 && icmp.type == "unreachable" && icmp.code == "frag_needed") {
        return IcmpTypeCode{wire::icmpv6_type::kPacketTooBig, 0};
    }
    IcmpTypeCode out;
    std::span<const char* const> codes;
    if (auto n = numeric_form(icmp.type, "type_")) {
        out.type = *n;
    } else {
        bool found = false;
        const auto lookup = [&](const auto& table) {
            for (const IcmpTypeName& t : table) {
                if (icmp.type == t.name) {
                    out.type = t.type;
                    codes = t.codes;
                    found = true;
                }
            }
        };
        if (v6) {
            lookup(kIcmpv6Types);
        } else {
            lookup(kIcmpv4Types);
        }
        if (!found) return Err{fmt::format("bad ICMP{} type {}", v6 ? "v6" : "", icmp.type)};
    }
    if (icmp.code.empty()) return out;  // packetdrill: a missing code is code 0
    if (auto n = numeric_form(icmp.code, "code_")) {
        out.code = *n;
        return out;
    }
    for (std::size_t i = 0; i < codes.size(); ++i) {
        // packetdrill's ICMPv6 unreachable table: no_route 0, admin_prohibited 1, not_neighbour 2,
        // address_unreachable 3, port_unreachable 4.
        if (icmp.code == codes[i]) {
            out.code = static_cast<std::uint8_t>(i);
            return out;
        }
    }
    if (v6 && out.type == wire::icmpv6_type::kDestinationUnreachable && icmp.code == "net_unreachable") {
        return out;  // packetdrill names code 0 both ways
    }
    return Err{fmt::format("bad ICMP{} code {}", v6 ? "v6" : "", icmp.code)};
}

std::vector<std::uint8_t> build_icmp(const IpFields& ip, IcmpTypeCode tc, std::uint32_t rest, wire::Bytes body) {
    if (ip.v6) {
        wire::Icmpv6Builder b;
        b.type = tc.type;
        b.code = tc.code;
        b.rest_of_header = rest;
        return b.build(body, ip.source.v6(), ip.destination.v6());
    }
    wire::Icmpv4Builder b;
    b.type = tc.type;
    b.code = tc.code;
    b.rest_of_header = rest;
    return b.build(body);
}

std::string print_datagram(wire::Bytes datagram) {
    dump::Options options;
    options.numeric = 2;         // -nn
    options.absolute_seq = true; // -S
    options.time_format = 1;     // -t
    dump::PacketPrinter printer(options, static_cast<std::uint32_t>(device::LinkType::Raw));
    device::CaptureRecord record;
    record.wire_length = static_cast<std::uint32_t>(datagram.size());
    record.data = datagram;
    printer.print(record, 1);
    std::string text(printer.output().view());
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

}  // namespace synack::drill::packet
