// The packet side of `synack drill`: packetdrill's mapping between the values a script writes and the values on the
// wire (google/packetdrill run_packet.c and socket.h, reimplemented). It builds the packets a script injects (`<`)
// and checks the packets the stack sends against the ones the script expects (`>`).
//
// Flows (packetdrill's "sockets"): every connection the script talks about has local and remote ports, the two
// ISNs and the TCP timestamp mapping. The rules, in order:
//   - A packet written with explicit ports ("sport>dport" in the script's own direction) uses the flow with those
//     ports. When none exists, an inbound SYN (no ACK) or an outbound SYN (no ACK) creates one with those ports;
//     any other packet is built or checked with the ports as written and the current flow's sequence mapping
//     (packetdrill does the same for "foreign" ports).
//   - An inbound TCP packet when no flow exists, or an inbound SYN without ACK after listening(), creates a passive
//     flow: local port = the listening port (bind_port when no listen() was seen), remote port = remote_port
//     (+1 for each further passive flow, so that two connections never share a 4-tuple).
//   - An outbound SYN without ACK after connecting() creates an active flow: remote port = the connect() port,
//     local port learnt from the live SYN.
//   - Any other packet uses the current flow: the one created last.
// Sequence numbers (packetdrill socket.h): in a packet with SYN set, seq is absolute; otherwise seq and ack are
// relative to the sender's and the receiver's ISN. The remote ISN is the seq of the flow's first inbound SYN
// (script and live values are the same: the script chooses it). The local ISN is learnt from the flow's first
// outbound SYN or SYN-ACK (its seq, whose own value is therefore never a mismatch). SACK blocks move with the ack.
// TCP timestamps: every outbound TS val the script names is remembered with the live value the stack sent, and an
// inbound TS ecr (on a packet with ACK) is mapped through that table (or, with tcp_ts_ecr_scaled, extrapolated from
// the first pair); an outbound TS val is checked only when tcp_ts_tick_usecs > 0, within tolerance_usecs; an
// outbound TS ecr is not checked (packetdrill verify_outbound_tcp_option).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tools/drill/network.hpp"
#include "tools/drill/script.hpp"
#include "wire/bytes.hpp"
#include "wire/result.hpp"
#include "wire/tcp.hpp"

namespace synack::drill {

struct CodecSettings {
    NetworkSettings network;
    std::uint16_t bind_port = 8080;     // --bind_port: the local port of passive flows without listen()
    std::uint16_t connect_port = 8080;  // --connect_port: of active flows when no connect() was seen
    // The script peer's port in passive opens; 0 picks kDefaultRemotePort. packetdrill takes a fresh ephemeral
    // port; synack a fixed one so that runs repeat exactly.
    std::uint16_t remote_port = 0;
    Usecs tcp_ts_tick_usecs = 0;     // --tcp_ts_tick_usecs: 0 = outbound TS val not checked
    bool strict_segments = false;    // --strict_segments: no merging of outbound segments
    Usecs tolerance_usecs = 4000;    // --tolerance_usecs: the outbound TS val check's tolerance
    bool tcp_ts_ecr_scaled = false;  // --tcp_ts_ecr_scaled: an unknown inbound TS ecr is extrapolated, not an error

    // Inside Linux's default ephemeral range 32768–60999, as packetdrill's port would be.
    static constexpr std::uint16_t kDefaultRemotePort = 40000;
};

class PacketCodec {
public:
    struct Verdict {
        enum class Kind : std::uint8_t {
            kMatch,     // the live packet is (or completes) the expected one
            kPartial,   // the live packet is a leading part of the expected one: feed the next live packet
            kMismatch,  // `difference` says why, field by field ("ack: expected 1001, got 1; win: ...")
        };
        Kind kind = Kind::kMismatch;
        std::string difference;
    };

    explicit PacketCodec(CodecSettings settings);

    // The runner saw listen() on a socket bound to `local_port`: the next inbound SYN opens a new passive flow.
    void listening(std::uint16_t local_port);
    // The runner saw connect() to `remote_port`: the next outbound SYN opens a new active flow.
    void connecting(std::uint16_t remote_port);

    // An inbound script packet as a whole IPv4/IPv6 datagram with correct checksums, mapped to live values.
    // Errors: a value the wire cannot carry, a TS ecr no outbound TS val explains, ICMP before any flow.
    Result<std::vector<std::uint8_t>, std::string> build_inbound(const PacketEvent& packet);

    // Checks a live outbound datagram against the script's expectation (TCP, or ICMP type and code). Unless
    // strict_segments, a live segment carrying the first part of the expected payload answers kPartial and the
    // following live segments, given with the same `expected` object, continue it until the whole payload is
    // covered (kMatch). The parts must be a TSO/GSO train (packetdrill verify_packet_fragments): every part but the
    // last as long as the first, else a mismatch "segment sizes: ..."; FIN and PSH belong to the last part.
    // A call with another `expected` object, or abandon_partial(), forgets a partial match.
    Verdict match_outbound(const PacketEvent& expected, wire::Bytes live);
    void abandon_partial() noexcept { partial_.reset(); }

    // The packet the script means, mapped to live values where they are known, as tcpdump prints it with
    // `-t -nn -S` (absolute sequence numbers, no time stamp). An unwritten outbound window shows as 0 and `<...>`
    // as no options. An event the codec cannot build gives "(cannot build: reason)".
    std::string expected_text(const PacketEvent& packet) const;
    // A live datagram as tcpdump prints it with `-t -nn -S`.
    std::string live_text(wire::Bytes packet) const;

private:
    struct Flow {
        std::uint16_t local_port = 0;
        std::uint16_t remote_port = 0;
        std::optional<std::uint32_t> remote_isn;
        std::optional<std::uint32_t> script_local_isn;
        std::optional<std::uint32_t> live_local_isn;
        std::unordered_map<std::uint32_t, std::uint32_t> ts_val_map;  // script TS val → live TS val
        std::optional<std::pair<std::uint32_t, std::uint32_t>> first_ts_val;  // (script, live)
        std::optional<std::pair<std::uint32_t, std::uint32_t>> flow_label;    // (script, live)

        // packetdrill socket.h: script → live offsets of sequence numbers.
        std::uint32_t remote_offset(bool syn) const noexcept { return syn ? 0 : remote_isn.value_or(0); }
        std::uint32_t local_offset(bool syn) const noexcept {
            const std::uint32_t live = live_local_isn.value_or(0);
            return syn ? live - script_local_isn.value_or(0) : live;
        }
    };
    // A flow chosen for a packet: an existing one (index) or a new one to add when the packet is committed.
    struct Choice {
        std::optional<std::size_t> index;
        Flow flow;
        bool consumes_listen = false;
        bool consumes_connect = false;
        bool chosen_remote_port = false;  // a new passive flow whose remote port the codec picked
        std::uint16_t local_port = 0;   // the ports the packet carries (explicit ports win over the flow's)
        std::uint16_t remote_port = 0;
    };
    struct Partial {
        const PacketEvent* expected = nullptr;
        std::size_t flow = 0;
        std::uint32_t covered = 0;       // payload bytes matched so far
        std::uint32_t first_length = 0;  // the first part's payload bytes: every later part but the last has as many
    };
    class SegmentCheck;  // the steps of match_tcp (packet_match.cpp)

    Choice current_flow() const;  // the flow created last (flows_ must not be empty)
    Result<Choice, std::string> choose_inbound(const PacketEvent& packet) const;
    Choice choose_outbound(const TcpSpec& tcp, std::optional<std::uint16_t> live_local_port) const;
    Choice choose_flow(const TcpSpec& tcp, Direction sender, bool bare_syn, bool pending_open,
                       std::uint16_t new_local_port, std::uint16_t new_remote_port) const;
    void commit(Choice& choice);
    Result<std::vector<std::uint8_t>, std::string> encode_inbound(const PacketEvent& packet, Choice& choice) const;
    std::vector<std::uint8_t> encode_outbound_text(const PacketEvent& packet, const Choice& choice) const;
    Verdict match_tcp(const PacketEvent& expected, const TcpSpec& tcp, wire::Bytes datagram);
    Choice flow_for_live(const TcpSpec& tcp, std::uint16_t expected_flags, const wire::TcpView& live);
    Verdict give_up(const std::vector<std::string>& diffs);  // a mismatch, which also forgets a partial match

    CodecSettings settings_;
    std::vector<Flow> flows_;
    std::size_t passive_flows_ = 0;
    std::optional<std::uint16_t> pending_listen_;
    std::optional<std::uint16_t> pending_connect_;
    std::optional<Partial> partial_;
};

}  // namespace synack::drill
