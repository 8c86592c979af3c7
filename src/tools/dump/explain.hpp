// --explain (synack's own, not tcpdump's): after each TCP segment, one indented line saying what the segment is
// in its connection's life, e.g.
//     handshake 1/3: client SYN, ISN 3051156309, offers mss 65495, sackOK, TS, wscale 7
//     data 14 bytes, ACK of 74 bytes
//     retransmission of 1448 bytes (seq 2897:4345)
//     duplicate ACK #2 of 2897, SACK 4345:7241
//     close 1/4: FIN from 10.0.0.1
// It follows both directions of every connection (keyed by its 4-tuple, a new SYN after a close or reset starting
// a new one) with Seq32 arithmetic: the handshake (and a simultaneous open), new data and data seen again, what
// each ACK newly covers, duplicate ACKs, window updates and zero windows, SACK blocks, keep-alives, the close
// (four segments, three, simultaneous, half-close with data after one FIN) and resets. Sequence numbers in the
// text count from the sender's ISN (the first byte after the SYN is 1), as tcpdump's relative numbers do.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "tools/dump/context.hpp"
#include "wire/seq32.hpp"
#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::dump {

class Explainer {
public:
    explicit Explainer(Names& names) : names_(names) {}

    void begin_packet() { line_.clear(); }
    // `payload_length` is the data length by the IP header (more than the bytes captured, if the capture cut it).
    void on_segment(const IpInfo& ip, const wire::TcpView& tcp, std::uint32_t payload_length);
    // Appends "    <explanation>\n" when the packet held a TCP segment.
    void end_packet(Output& out);

    // The explanation of the last segment (for tests).
    const std::string& line() const noexcept { return line_; }

private:
    // One direction of a connection: what its endpoint has sent.
    struct Side {
        bool seen = false;
        bool syn = false;            // sent a SYN
        bool syn_has_ack = false;    // … with ACK (a SYN-ACK)
        wire::Seq32 isn;
        wire::Seq32 base;            // relative numbers count from here: the ISN, else one before the first seq
        wire::Seq32 next;            // one past the highest sequence number sent (SYN and FIN count)
        bool acked_valid = false;
        wire::Seq32 acked;           // the highest acknowledgment it sent
        int duplicate_acks = 0;      // in a row, for the ACK number `acked`
        std::uint16_t window = 0;
        int window_scale = -1;       // the shift its SYN offered, -1 if none seen
        bool fin = false;
        wire::Seq32 fin_seq;         // its FIN's sequence number
        bool fin_acked = false;      // the peer acknowledged the FIN
        bool data_after_peer_fin = false;  // a half-close has been pointed out
        bool sacked_valid = false;
        wire::Seq32 sacked;          // the highest right edge of the SACK blocks it sent
    };
    enum class Close { None, FourWay, ThreeWay, Simultaneous };
    struct Connection {
        Side side[2];                // [0]: the endpoint that sent the first segment seen
        bool first_from_low = true;  // side 0 is the key's `low` endpoint
        bool simultaneous_open = false;
        bool established = false;
        Close close = Close::None;
        bool finished = false;       // closed or reset: a new SYN starts a new connection
    };
    struct Key {
        std::array<std::uint8_t, 16> low{};   // the endpoint with the lower port (then address)
        std::array<std::uint8_t, 16> high{};
        std::uint16_t low_port = 0;
        std::uint16_t high_port = 0;
        std::uint8_t family = 0;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& k) const noexcept;
    };
    // What one segment says, worked out before the sender's state changes.
    struct Segment {
        const wire::TcpView& tcp;
        std::uint32_t length;        // payload bytes
        bool syn, ack, fin, rst;
        wire::Seq32 data_seq;        // sequence number of the first payload byte
        std::string_view from;       // the sender's address, named
        std::string_view to;
    };

    static void explain_open(Connection& c, const Side& self, const Side& peer, const Segment& s, std::string& text);
    static void explain_data(const Side& self, const Segment& s, std::string& text);
    static void explain_close(Connection& c, Side& self, Side& peer, const Segment& s, std::string& text);
    static void explain_ack(const Side& self, const Side& peer, const Segment& s, bool duplicate, std::string& text);
    static bool is_duplicate_ack(const Side& self, const Side& peer, const Segment& s, const wire::SackBlocks& sack);
    static void update(Side& self, Side& peer, const Segment& s, const wire::SackBlocks& sack, bool duplicate);

    Names& names_;
    std::unordered_map<Key, Connection, KeyHash> connections_;
    std::string line_;
};

}  // namespace synack::dump
