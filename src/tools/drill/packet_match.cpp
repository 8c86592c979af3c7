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

}  // namespace

PacketCodec::Verdict PacketCodec::match_outbound(const PacketEvent& expected, wire::Bytes live) {
    if (partial_ && partial_->expected != &expected) partial_.reset();
    if (expected.direction != Direction::kOutbound) return mismatch("the script packet is not outbound");
    auto ip = packet::parse_datagram(live);
    if (!ip) {
        partial_.reset();
        return mismatch("live packet: " + ip.error());
    }
    const bool v6 = settings_.network.ipv6_packets();
    if (ip->fields.v6 != v6) {
        partial_.reset();
        return mismatch(fmt::format("ip version: expected {}, got {}", v6 ? 6 : 4, ip->fields.v6 ? 6 : 4));
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

// The transport checksum over the pseudo-header (packetdrill verify_outbound_live_checksums): a TUN device
// without a virtio header hands over packets whose checksums the sender completed, and synack completes its own.
static bool transport_checksum_valid(const packet::LiveIp& ip) {
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

PacketCodec::Verdict PacketCodec::match_tcp(const PacketEvent& expected, const TcpSpec& tcp, wire::Bytes datagram) {
    const packet::LiveIp ip = packet::parse_datagram(datagram).value();
    std::vector<std::string> diffs;
    const auto fail = [&]() {
        partial_.reset();
        return mismatch(join(diffs));
    };
    auto expected_flags = packet::parse_tcp_flags(tcp.flags);
    if (!expected_flags) {
        diffs.push_back(expected_flags.error());
        return fail();
    }
    check_ip(settings_.network, expected, ip, diffs);
    if (ip.fields.protocol != wire::ip_protocol::kTcp) {
        diffs.push_back(fmt::format("protocol: expected tcp, got {}", ip.fields.protocol));
        return fail();
    }
    auto view = wire::TcpView::parse(ip.payload);
    if (!view) {
        diffs.emplace_back("live packet: bad TCP header");
        return fail();
    }
    if (!transport_checksum_valid(ip)) diffs.emplace_back("bad TCP checksum");
    const std::uint16_t live_flags = view->flags();
    const bool live_syn = (live_flags & flag::kSyn) != 0;

    // The flow: the partial match's, or the one the packet picks (creating an active flow for a SYN).
    std::size_t index = 0;
    std::uint16_t local_port = 0;
    std::uint16_t remote_port = 0;
    const bool continuing = partial_.has_value();
    if (continuing) {
        index = partial_->flow;
        local_port = tcp.ports ? tcp.ports->first : flows_[index].local_port;
        remote_port = tcp.ports ? tcp.ports->second : flows_[index].remote_port;
    } else {
        Choice choice = choose_outbound(tcp, view->source_port());
        commit(choice);
        index = *choice.index;
        local_port = choice.local_port;
        remote_port = choice.remote_port;
    }
    Flow& flow = flows_[index];
    // The local ISN: from the flow's first outbound SYN or SYN-ACK (packetdrill: find_connect_for_live_packet and
    // the SYN-ACK case of do_outbound_script_packet).
    if ((*expected_flags & flag::kSyn) != 0 && live_syn && !flow.live_local_isn) {
        flow.script_local_isn = tcp.start_seq;
        flow.live_local_isn = view->seq().raw();
    }

    if (view->source_port() != local_port || view->destination_port() != remote_port) {
        diffs.push_back(fmt::format("ports: expected {} > {}, got {} > {}", local_port, remote_port,
                                    view->source_port(), view->destination_port()));
    }
    // IPv6 flow label (packetdrill verify_outbound_live_ipv6_flowlabel): a label written is a name for the live
    // one; the same name must see the same live label, a new name a new one.
    if (ip.fields.v6 && expected.ip.flow_label.value_or(0) != 0) {
        const std::uint32_t script_label = *expected.ip.flow_label;
        const std::uint32_t live_label = ip.fields.flow_label;
        if (live_label == 0) {
            diffs.emplace_back("flowlabel: expected one, got none");
        } else if (!flow.flow_label || flow.flow_label->first != script_label) {
            if (flow.flow_label && flow.flow_label->second == live_label) {
                diffs.push_back(fmt::format("flowlabel: expected a new one, got the same {:#x}", live_label));
            } else {
                flow.flow_label = std::pair{script_label, live_label};
            }
        } else if (flow.flow_label->second != live_label) {
            diffs.push_back(fmt::format("flowlabel: expected {:#x}, got {:#x}", flow.flow_label->second, live_label));
        }
    }

    // Where this live segment should sit in the expected one.
    const std::uint32_t covered = continuing ? partial_->covered : 0;
    const std::uint32_t remaining = tcp.payload_length - covered;
    const auto live_length = static_cast<std::uint32_t>(view->payload().size());
    const bool part = !settings_.strict_segments && live_length > 0 && live_length < remaining;

    // Flags: exactly, except that FIN and PSH belong to the last part of a merged segment (and CWR, which the
    // stack sets once, to the first).
    std::uint16_t want = *expected_flags;
    std::uint16_t got = live_flags;
    if (part) {
        want &= static_cast<std::uint16_t>(~(flag::kFin | flag::kPsh));
        got &= static_cast<std::uint16_t>(~flag::kPsh);
    }
    if (continuing) {
        want &= static_cast<std::uint16_t>(~flag::kCwr);
        got &= static_cast<std::uint16_t>(~flag::kCwr);
    }
    if (want != got) {
        diffs.push_back(fmt::format("flags: expected {}, got {}", packet::tcp_flags_text(want),
                                    packet::tcp_flags_text(got)));
    }
    // Live → script numbering (packetdrill tcp_convert_seq_number).
    const std::uint32_t seq = view->seq().raw() - flow.local_offset(live_syn);
    if (seq != tcp.start_seq + covered) {
        diffs.push_back(fmt::format("seq: expected {}, got {}", tcp.start_seq + covered, seq));
    }
    if (part ? live_length > remaining : live_length != remaining) {
        diffs.push_back(fmt::format("length: expected {}, got {}", remaining, live_length));
    }
    if ((*expected_flags & flag::kAck) != 0 && (live_flags & flag::kAck) != 0) {
        const std::uint32_t ack = view->ack().raw() - flow.remote_offset(live_syn);
        if (ack != tcp.ack.value_or(0)) diffs.push_back(fmt::format("ack: expected {}, got {}", tcp.ack.value_or(0), ack));
    }
    if (tcp.window && *tcp.window != view->window()) {
        diffs.push_back(fmt::format("win: expected {}, got {}", *tcp.window, view->window()));
    }
    // packetdrill checks the urgent pointer always (0 when not written), and the reserved bits.
    if (tcp.urgent.value_or(0) != view->urgent_pointer()) {
        diffs.push_back(fmt::format("urg: expected {}, got {}", tcp.urgent.value_or(0), view->urgent_pointer()));
    }
    if (view->reserved_bits() != 0) diffs.push_back(fmt::format("reserved bits: expected 0, got {}", view->reserved_bits()));

    // Options, in order (packetdrill verify_outbound_live_tcp_options); none written means none.
    auto live_options = packet::walk_tcp_options(view->options());
    if (!live_options) {
        diffs.push_back("options: " + live_options.error());
    } else {
        std::vector<packet::RawOption> got_options = *live_options;
        std::optional<std::pair<std::uint32_t, std::uint32_t>> ts_pair;  // (script, mapped live) TS val
        for (packet::RawOption& o : got_options) {
            if (o.kind == wire::tcp_option_kind::kSack && o.data.size() % 8 == 0) {
                for (std::size_t i = 0; i < o.data.size(); i += 4) {
                    wire::store_be32(o.data.data() + i, wire::load_be32(o.data.data() + i) - flow.remote_offset(live_syn));
                }
            }
        }
        // The TS val mapping (packetdrill map_outbound_live_packet): remembered for inbound TS ecr, and the live
        // value moved into script space from the first pair seen.
        const TcpOptionSpec* script_ts = nullptr;
        for (const TcpOptionSpec& o : tcp.options) {
            if (o.kind == TcpOptionSpec::Kind::kTimestamp) script_ts = &o;
        }
        for (packet::RawOption& o : got_options) {
            if (o.kind != wire::tcp_option_kind::kTimestamps || o.data.size() != 8 || script_ts == nullptr) continue;
            const std::uint32_t live_val = wire::load_be32(o.data.data());
            if (!continuing) flow.ts_val_map[script_ts->value] = live_val;
            if (!flow.first_ts_val) flow.first_ts_val = std::pair{script_ts->value, live_val};
            const std::uint32_t mapped = flow.first_ts_val->first + (live_val - flow.first_ts_val->second);
            wire::store_be32(o.data.data(), mapped);
            ts_pair = std::pair{script_ts->value, mapped};
        }
        if (!tcp.any_options) {
            auto want_bytes = packet::encode_tcp_options(tcp.options);
            if (!want_bytes) {
                diffs.push_back(want_bytes.error());
            } else {
                std::vector<packet::RawOption> want_options = packet::walk_tcp_options(*want_bytes).value();
                bool same = want_options.size() == got_options.size();
                for (std::size_t i = 0; same && i < want_options.size(); ++i) {
                    const auto& w = want_options[i];
                    const auto& g = got_options[i];
                    // TS: the val within tolerance when ticks are known (below); the ecr exactly — inbound TS
                    // vals are not remapped, so the script's ecr is the live one. (packetdrill leaves the ecr
                    // unchecked; drill checks it, because PAWS and RFC 7323 behaviour lives in it.)
                    same = w.kind == g.kind &&
                           (w.kind == wire::tcp_option_kind::kTimestamps
                                ? g.data.size() == 8 && w.data.size() == 8 &&
                                      std::equal(w.data.begin() + 4, w.data.end(), g.data.begin() + 4)
                                : w.data == g.data);
                }
                if (!same) {
                    diffs.push_back(fmt::format("options: expected {}, got {}", packet::tcp_options_text(want_options),
                                                packet::tcp_options_text(got_options)));
                } else if (ts_pair && settings_.tcp_ts_tick_usecs > 0) {
                    const auto ticks = std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(ts_pair->second -
                                                                                                     ts_pair->first)));
                    if (ticks * settings_.tcp_ts_tick_usecs > settings_.tolerance_usecs) {
                        diffs.push_back(fmt::format("TS val: expected {}, got {} (tolerance {} usecs, {} usecs per tick)",
                                                    ts_pair->first, ts_pair->second, settings_.tolerance_usecs,
                                                    settings_.tcp_ts_tick_usecs));
                    }
                }
            }
        }
    }
    // Payload: the script's bytes are zeros (packetdrill verify_outbound_live_payload compares them).
    const wire::Bytes payload = view->payload();
    for (std::size_t i = 0; i < payload.size(); ++i) {
        if (payload[i] != 0) {
            diffs.push_back(fmt::format("payload: byte {} is {:#04x}, expected zeros", covered + i, payload[i]));
            break;
        }
    }

    if (!diffs.empty()) return fail();
    if (part) {
        partial_ = Partial{&expected, index, covered + live_length};
        return {Verdict::Kind::kPartial, {}};
    }
    partial_.reset();
    return {Verdict::Kind::kMatch, {}};
}

}  // namespace synack::drill
