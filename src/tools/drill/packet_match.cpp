// Checking a live outbound packet against the script (packetdrill run_packet.c: do_outbound_script_packet,
// map_outbound_live_packet, verify_outbound_live_headers, verify_outbound_live_tcp_options, the merging of
// sniffed segments). Every field that differs is named, in the script's own numbering.
#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "tools/drill/packet_codec.hpp"
#include "tools/drill/packet_wire.hpp"
#include "wire/checksum.hpp"
#include "wire/icmpv4.hpp"
#include "wire/icmpv6.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/tcp.hpp"

namespace synack::drill {
namespace {

namespace flag = wire::tcp_flags;
using Verdict = PacketCodec::Verdict;

Verdict mismatch(std::string text) { return {Verdict::Kind::kMismatch, std::move(text)}; }

std::string join(const std::vector<std::string>& parts) {
    std::string s;
    for (const std::string& p : parts) {
        if (!s.empty()) s += "; ";
        s += p;
    }
    return s;
}

// Addresses, TOS/ECN and TTL as the script writes them (packetdrill verify_ipv4 / verify_ipv6 and
// verify_outbound_live_tos: the ECN bits or the TOS byte only when written, the TTL only when written).
void check_ip(const NetworkSettings& network, const PacketEvent& expected, const packet::LiveIp& live,
              std::vector<std::string>& diffs) {
    const packet::IpFields& f = live.fields;
    if (f.source != network.local_ip || f.destination != network.remote_ip) {
        diffs.push_back(fmt::format("addresses: expected {} > {}, got {} > {}", network.local_ip.to_string(),
                                    network.remote_ip.to_string(), f.source.to_string(), f.destination.to_string()));
    }
    if (!live.header_checksum_valid) diffs.emplace_back("bad IPv4 header checksum");
    const IpInfo& ip = expected.ip;
    if (ip.tos) {
        const std::uint8_t mask = ip.ecn ? 0xfc : 0xff;  // with [ect0] too, the TOS check leaves the ECN bits
        if ((*ip.tos & mask) != (f.tos & mask)) {
            diffs.push_back(fmt::format("tos: expected {:#x}, got {:#x}", *ip.tos & mask, f.tos & mask));
        }
    }
    if (ip.ecn) {
        const std::uint8_t bits = f.tos & 3;
        if (*ip.ecn == EcnCodepoint::kEct01) {
            if (bits != 1 && bits != 2) diffs.push_back("ecn: expected ect0 or ect1, got " + packet::ecn_text(bits));
        } else if (packet::ecn_bits(*ip.ecn) != bits) {
            diffs.push_back(fmt::format("ecn: expected {}, got {}", packet::ecn_text(packet::ecn_bits(*ip.ecn)),
                                        packet::ecn_text(bits)));
        }
    }
    if (ip.ttl && *ip.ttl != f.ttl) diffs.push_back(fmt::format("ttl: expected {}, got {}", *ip.ttl, f.ttl));
}

// The transport checksum over the pseudo-header (packetdrill verify_outbound_live_checksums): a TUN device
// without a virtio header hands over packets whose checksums the sender completed, and synack completes its own.
bool transport_checksum_valid(const packet::LiveIp& ip) {
    wire::InternetChecksum sum;
    const auto length = ip.payload.size();
    if (ip.fields.v6) {
        wire::add_pseudo_header_v6(sum, ip.fields.source.v6(), ip.fields.destination.v6(), ip.fields.protocol,
                                   static_cast<std::uint32_t>(length));
    } else {
        wire::add_pseudo_header_v4(sum, ip.fields.source.v4(), ip.fields.destination.v4(), ip.fields.protocol,
                                   static_cast<std::uint16_t>(length));
    }
    sum.add(ip.payload);
    return sum.folded() == 0xffff;
}

// The live datagram's TCP header (packetdrill verify_header's layer types, verify_outbound_live_checksums).
std::optional<wire::TcpView> live_tcp_header(const packet::LiveIp& ip, std::vector<std::string>& diffs) {
    if (ip.fields.protocol != wire::ip_protocol::kTcp) {
        diffs.push_back(fmt::format("protocol: expected tcp, got {}", ip.fields.protocol));
        return std::nullopt;
    }
    auto view = wire::TcpView::parse(ip.payload);
    if (!view) {
        diffs.emplace_back("live packet: bad TCP header");
        return std::nullopt;
    }
    if (!transport_checksum_valid(ip)) diffs.emplace_back("bad TCP checksum");
    return *view;
}

// packetdrill same_tcp_options, except for the TS option: its val is left to the tick check, its ecr compared
// exactly — inbound TS vals are not remapped, so the script's ecr is the live one. (packetdrill leaves the ecr
// unchecked; drill checks it, because PAWS and RFC 7323 behaviour lives in it.)
bool same_tcp_options(const std::vector<packet::RawOption>& want, const std::vector<packet::RawOption>& got) {
    if (want.size() != got.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const packet::RawOption& w = want[i];
        const packet::RawOption& g = got[i];
        if (w.kind != g.kind) return false;
        if (w.kind != wire::tcp_option_kind::kTimestamps) {
            if (w.data != g.data) return false;
        } else if (w.data.size() != 8 || g.data.size() != 8 ||
                   !std::equal(w.data.begin() + 4, w.data.end(), g.data.begin() + 4)) {
            return false;
        }
    }
    return true;
}

}  // namespace

PacketCodec::Verdict PacketCodec::match_outbound(const PacketEvent& expected, wire::Bytes live) {
    if (partial_ && partial_->expected != &expected) partial_.reset();
    if (expected.direction != Direction::kOutbound) return mismatch("the script packet is not outbound");
    auto ip = packet::parse_datagram(live);
    if (!ip) return give_up({"live packet: " + ip.error()});
    const bool v6 = settings_.network.ipv6_packets();
    if (ip->fields.v6 != v6) {
        return give_up({fmt::format("ip version: expected {}, got {}", v6 ? 6 : 4, ip->fields.v6 ? 6 : 4)});
    }
    if (const auto* tcp = std::get_if<TcpSpec>(&expected.body)) return match_tcp(expected, *tcp, live);

    // ICMP: type and code only (packetdrill verify_icmpv4 / verify_icmpv6).
    std::vector<std::string> diffs;
    check_ip(settings_.network, expected, *ip, diffs);
    const std::uint8_t protocol = v6 ? wire::ip_protocol::kIcmpv6 : wire::ip_protocol::kIcmp;
    if (ip->fields.protocol != protocol) {
        diffs.push_back(fmt::format("protocol: expected {}, got {}", protocol, ip->fields.protocol));
        return mismatch(join(diffs));
    }
    auto tc = packet::icmp_type_code(v6, std::get<IcmpSpec>(expected.body));
    if (!tc) return mismatch(tc.error());
    if (ip->payload.size() < 4) return mismatch("live packet: ICMP header cut short");
    if (ip->payload[0] != tc->type) {
        diffs.push_back(fmt::format("icmp type: expected {}, got {}", tc->type, ip->payload[0]));
    }
    if (ip->payload[1] != tc->code) {
        diffs.push_back(fmt::format("icmp code: expected {}, got {}", tc->code, ip->payload[1]));
    }
    if (!diffs.empty()) return mismatch(join(diffs));
    return {Verdict::Kind::kMatch, {}};
}

// One live TCP segment checked against the expected one, a step per packetdrill verifier. Each step appends what
// differs to `diffs`, in the script's numbering.
class PacketCodec::SegmentCheck {
public:
    // Where the live segment sits in the expected one (packetdrill do_outbound_script_packet's loop, which sniffs
    // live segments until their payloads add up to the script's).
    struct Placement {
        bool continuing = false;           // earlier live segments matched the expected one's leading parts
        std::uint32_t covered = 0;         // expected payload bytes those earlier parts carried
        std::uint32_t remaining = 0;       // expected payload bytes from this segment on
        std::uint32_t length = 0;          // this segment's payload bytes
        std::uint32_t first_length = 0;    // the first part's payload bytes (this one's when it is the first)
        bool part = false;                 // a leading part: more live segments must follow
    };

    SegmentCheck(const CodecSettings& settings, const TcpSpec& tcp, std::uint16_t expected_flags,
                 const wire::TcpView& live, Flow& flow, const Placement& at)
        : settings_(settings), tcp_(tcp), expected_flags_(expected_flags), live_(live), flow_(flow), at_(at),
          live_syn_((live.flags() & flag::kSyn) != 0) {}

    std::vector<std::string> diffs;

    // packetdrill verify_tcp's ports, after map_outbound_live_packet's 4-tuple.
    void ports(std::uint16_t local_port, std::uint16_t remote_port) {
        if (live_.source_port() != local_port || live_.destination_port() != remote_port) {
            diffs.push_back(fmt::format("ports: expected {} > {}, got {} > {}", local_port, remote_port,
                                        live_.source_port(), live_.destination_port()));
        }
    }

    // packetdrill verify_outbound_live_ipv6_flowlabel: a label written is a name for the live one; the same name
    // must see the same live label, a new name a new one.
    void flow_label(const IpInfo& expected, const packet::IpFields& live) {
        if (!live.v6 || expected.flow_label.value_or(0) == 0) return;
        const std::uint32_t script_label = *expected.flow_label;
        const std::uint32_t live_label = live.flow_label;
        auto& known = flow_.flow_label;
        if (live_label == 0) {
            diffs.emplace_back("flowlabel: expected one, got none");
        } else if (!known || known->first != script_label) {
            if (known && known->second == live_label) {
                diffs.push_back(fmt::format("flowlabel: expected a new one, got the same {:#x}", live_label));
            } else {
                known = std::pair{script_label, live_label};
            }
        } else if (known->second != live_label) {
            diffs.push_back(fmt::format("flowlabel: expected {:#x}, got {:#x}", known->second, live_label));
        }
    }

    // packetdrill verify_tcp's flag bits: exactly, except that FIN and PSH belong to the last part of a merged
    // segment (and CWR, which the stack sets once, to the first).
    void flags() {
        std::uint16_t want = expected_flags_;
        std::uint16_t got = live_.flags();
        if (at_.part) {
            want &= static_cast<std::uint16_t>(~(flag::kFin | flag::kPsh));
            got &= static_cast<std::uint16_t>(~flag::kPsh);
        }
        if (at_.continuing) {
            want &= static_cast<std::uint16_t>(~flag::kCwr);
            got &= static_cast<std::uint16_t>(~flag::kCwr);
        }
        if (want != got) {
            diffs.push_back(fmt::format("flags: expected {}, got {}", packet::tcp_flags_text(want),
                                        packet::tcp_flags_text(got)));
        }
    }

    // packetdrill verify_tcp's seq, mapped live → script (tcp_convert_seq_number), and the length that
    // verify_ipv4 / verify_ipv6 check through the datagram's length: a part may be shorter than what remains.
    void seq_and_length() {
        const std::uint32_t seq = live_.seq().raw() - flow_.local_offset(live_syn_);
        if (seq != tcp_.start_seq + at_.covered) {
            diffs.push_back(fmt::format("seq: expected {}, got {}", tcp_.start_seq + at_.covered, seq));
        }
        if (at_.part ? at_.length > at_.remaining : at_.length != at_.remaining) {
            diffs.push_back(fmt::format("length: expected {}, got {}", at_.remaining, at_.length));
        }
    }

    // packetdrill verify_packet_fragments: every part but the last is as long as the one before it — a merged
    // segment is a TSO/GSO train of equal segments and a shorter last one.
    void part_size() {
        if (at_.part && at_.continuing && at_.length != at_.first_length) {
            diffs.push_back(fmt::format("segment sizes: parts of {} bytes, then {} bytes at {} with {} to come",
                                        at_.first_length, at_.length, at_.covered, at_.remaining - at_.length));
        }
    }

    // packetdrill verify_tcp's ack (mapped with remote_seq_live_to_script_offset, compared when both carry ACK),
    // window (when written), urgent pointer (always: 0 when not written) and reserved bits.
    void ack_window_urgent() {
        if ((expected_flags_ & flag::kAck) != 0 && (live_.flags() & flag::kAck) != 0) {
            const std::uint32_t ack = live_.ack().raw() - flow_.remote_offset(live_syn_);
            const std::uint32_t want = tcp_.ack.value_or(0);
            if (ack != want) diffs.push_back(fmt::format("ack: expected {}, got {}", want, ack));
        }
        if (tcp_.window && *tcp_.window != live_.window()) {
            diffs.push_back(fmt::format("win: expected {}, got {}", *tcp_.window, live_.window()));
        }
        if (tcp_.urgent.value_or(0) != live_.urgent_pointer()) {
            diffs.push_back(fmt::format("urg: expected {}, got {}", tcp_.urgent.value_or(0), live_.urgent_pointer()));
        }
        if (live_.reserved_bits() != 0) {
            diffs.push_back(fmt::format("reserved bits: expected 0, got {}", live_.reserved_bits()));
        }
    }

    // packetdrill verify_outbound_live_tcp_options: in order, none written means none, `<...>` means any; the
    // live options first moved into script space as map_outbound_live_packet does.
    void options() {
        auto live = packet::walk_tcp_options(live_.options());
        if (!live) {
            diffs.push_back("options: " + live.error());
            return;
        }
        std::vector<packet::RawOption> got = std::move(live).value();
        offset_sack_blocks(got);
        const std::optional<std::pair<std::uint32_t, std::uint32_t>> ts = map_ts_val(got);
        if (tcp_.any_options) return;
        auto want_bytes = packet::encode_tcp_options(tcp_.options);
        if (!want_bytes) {
            diffs.push_back(want_bytes.error());
            return;
        }
        const std::vector<packet::RawOption> want = packet::walk_tcp_options(*want_bytes).value();
        if (!same_tcp_options(want, got)) {
            diffs.push_back(fmt::format("options: expected {}, got {}", packet::tcp_options_text(want),
                                        packet::tcp_options_text(got)));
        } else if (ts) {
            ts_val_ticks(*ts);
        }
    }

    // packetdrill verify_outbound_live_payload: the script's bytes are zeros.
    void payload() {
        const wire::Bytes bytes = live_.payload();
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            if (bytes[i] != 0) {
                diffs.push_back(fmt::format("payload: byte {} is {:#04x}, expected zeros", at_.covered + i, bytes[i]));
                return;
            }
        }
    }

private:
    // packetdrill offset_sack_blocks: SACK blocks move with the remote ISN.
    void offset_sack_blocks(std::vector<packet::RawOption>& options) const {
        for (packet::RawOption& o : options) {
            if (o.kind != wire::tcp_option_kind::kSack || o.data.size() % 8 != 0) continue;
            for (std::size_t i = 0; i < o.data.size(); i += 4) {
                wire::store_be32(o.data.data() + i, wire::load_be32(o.data.data() + i) - flow_.remote_offset(live_syn_));
            }
        }
    }

    // packetdrill map_outbound_live_packet's TS val: remembered under the script's value for inbound TS ecr (by
    // the first part of a merged segment), and moved into script space from the flow's first pair. Returns
    // (script, mapped live) for the tick check.
    std::optional<std::pair<std::uint32_t, std::uint32_t>> map_ts_val(std::vector<packet::RawOption>& options) {
        const TcpOptionSpec* script_ts = nullptr;
        for (const TcpOptionSpec& o : tcp_.options) {
            if (o.kind == TcpOptionSpec::Kind::kTimestamp) script_ts = &o;
        }
        if (script_ts == nullptr) return std::nullopt;
        std::optional<std::pair<std::uint32_t, std::uint32_t>> pair;
        for (packet::RawOption& o : options) {
            if (o.kind != wire::tcp_option_kind::kTimestamps || o.data.size() != 8) continue;
            const std::uint32_t live_val = wire::load_be32(o.data.data());
            if (!at_.continuing) flow_.ts_val_map[script_ts->value] = live_val;
            if (!flow_.first_ts_val) flow_.first_ts_val = std::pair{script_ts->value, live_val};
            const std::uint32_t mapped = flow_.first_ts_val->first + (live_val - flow_.first_ts_val->second);
            wire::store_be32(o.data.data(), mapped);
            pair = std::pair{script_ts->value, mapped};
        }
        return pair;
    }

    // verify_outbound_live_tcp_options's TS val tolerance: checked only when the tick is known.
    void ts_val_ticks(std::pair<std::uint32_t, std::uint32_t> ts) {
        if (settings_.tcp_ts_tick_usecs <= 0) return;
        const auto ticks = std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(ts.second - ts.first)));
        if (ticks * settings_.tcp_ts_tick_usecs > settings_.tolerance_usecs) {
            diffs.push_back(fmt::format("TS val: expected {}, got {} (tolerance {} usecs, {} usecs per tick)",
                                        ts.first, ts.second, settings_.tolerance_usecs, settings_.tcp_ts_tick_usecs));
        }
    }

    const CodecSettings& settings_;
    const TcpSpec& tcp_;
    const std::uint16_t expected_flags_;
    const wire::TcpView& live_;
    Flow& flow_;
    const Placement& at_;
    const bool live_syn_;
};

// The flow of a live segment: the partial match's, or the one the packet picks (packetdrill
// find_socket_for_live_packet / find_connect_for_live_packet, creating an active flow for a SYN). The local ISN
// comes from the flow's first outbound SYN or SYN-ACK (find_connect_for_live_packet and the SYN-ACK case of
// do_outbound_script_packet).
PacketCodec::Choice PacketCodec::flow_for_live(const TcpSpec& tcp, std::uint16_t expected_flags,
                                               const wire::TcpView& live) {
    Choice choice;
    if (partial_) {
        choice.index = partial_->flow;
        const Flow& flow = flows_[partial_->flow];
        choice.local_port = tcp.ports ? tcp.ports->first : flow.local_port;
        choice.remote_port = tcp.ports ? tcp.ports->second : flow.remote_port;
    } else {
        choice = choose_outbound(tcp, live.source_port());
        commit(choice);
    }
    Flow& flow = flows_[*choice.index];
    if ((expected_flags & flag::kSyn) != 0 && live.has_flags(flag::kSyn) && !flow.live_local_isn) {
        flow.script_local_isn = tcp.start_seq;
        flow.live_local_isn = live.seq().raw();
    }
    return choice;
}

PacketCodec::Verdict PacketCodec::match_tcp(const PacketEvent& expected, const TcpSpec& tcp, wire::Bytes datagram) {
    const packet::LiveIp ip = packet::parse_datagram(datagram).value();
    std::vector<std::string> diffs;
    auto expected_flags = packet::parse_tcp_flags(tcp.flags);
    if (!expected_flags) return give_up({expected_flags.error()});
    check_ip(settings_.network, expected, ip, diffs);
    const std::optional<wire::TcpView> live = live_tcp_header(ip, diffs);
    if (!live) return give_up(diffs);

    const Choice choice = flow_for_live(tcp, *expected_flags, *live);
    SegmentCheck::Placement at;
    at.continuing = partial_.has_value();
    at.covered = at.continuing ? partial_->covered : 0;
    at.remaining = tcp.payload_length - at.covered;
    at.length = static_cast<std::uint32_t>(live->payload().size());
    at.first_length = at.continuing ? partial_->first_length : at.length;
    at.part = !settings_.strict_segments && at.length > 0 && at.length < at.remaining;

    SegmentCheck check(settings_, tcp, *expected_flags, *live, flows_[*choice.index], at);
    check.diffs = std::move(diffs);
    check.ports(choice.local_port, choice.remote_port);
    check.flow_label(expected.ip, ip.fields);
    check.flags();
    check.seq_and_length();
    check.part_size();
    check.ack_window_urgent();
    check.options();
    check.payload();
    if (!check.diffs.empty()) return give_up(check.diffs);

    // packetdrill do_outbound_script_packet: a leading part waits for the next live segment.
    if (at.part) {
        partial_ = Partial{&expected, *choice.index, at.covered + at.length, at.first_length};
        return {Verdict::Kind::kPartial, {}};
    }
    partial_.reset();
    return {Verdict::Kind::kMatch, {}};
}

PacketCodec::Verdict PacketCodec::give_up(const std::vector<std::string>& diffs) {
    partial_.reset();
    return mismatch(join(diffs));
}

}  // namespace synack::drill
