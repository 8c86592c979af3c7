// --explain: a per-connection tracker that says, after each TCP segment, what the segment is in its
// connection's life — "handshake 1/3: client SYN, ISN 3051156309, offers mss 65495, sackOK, TS, wscale 7",
// "data 14 bytes", "ACK of 14 bytes", "retransmission of 14 bytes", "window update: 512", "close 1/4: FIN from
// 10.0.0.1", "reset from 10.0.0.2". It follows both directions of every 4-tuple with Seq32 arithmetic.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "tools/dump/context.hpp"
#include "wire/seq32.hpp"

namespace synack::dump {

// What the TCP printer tells the tracker about one segment.
struct SegmentFacts {
    const IpInfo* ip = nullptr;
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    wire::Seq32 seq;
    wire::Seq32 ack;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::uint32_t payload_length = 0;
    wire::Bytes options;  // empty when the header was cut short
};

class Explainer {
public:
    explicit Explainer(Names& names) : names_(names) {}

    void begin_packet() { line_.clear(); }
    void on_segment(const SegmentFacts& s);
    // Appends "    <explanation>\n" when the packet held a TCP segment.
    void end_packet(Output& out);

    // The explanation of the last segment (for tests).
    const std::string& line() const noexcept { return line_; }

private:
    struct Side {
        bool seen = false;        // any segment sent
        bool syn = false;         // sent a SYN
        wire::Seq32 isn;
        wire::Seq32 next;         // one past the highest sequence number sent (SYN and FIN count)
        wire::Seq32 acked;        // the highest acknowledgment it sent
        bool acked_valid = false;
        std::uint16_t window = 0;
        bool fin = false;
        wire::Seq32 fin_seq;
        bool fin_acked = false;   // its FIN was acknowledged by the peer
    };
    struct Connection {
        Side side[2];             // [0]: the endpoint that sent the first segment seen (the client if it was a SYN)
        bool established = false;
        int closes = 0;           // steps of the close seen so far
        bool first_from_a = true; // side 0 sent from the key's "a" endpoint
    };
    struct Key {
        std::array<std::uint8_t, 16> a{};
        std::array<std::uint8_t, 16> b{};
        std::uint16_t pa = 0;
        std::uint16_t pb = 0;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };

    std::string describe_options(wire::Bytes options) const;
    std::string_view address(const std::uint8_t* a, std::size_t length);

    Names& names_;
    std::unordered_map<Key, Connection, KeyHash> connections_;
    std::string line_;
};

}  // namespace synack::dump
