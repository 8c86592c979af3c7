#include "tools/dump/explain.hpp"

#include <cstring>

#include <fmt/format.h>

#include "wire/tcp_options.hpp"

namespace synack::dump {
namespace {

namespace flag = wire::tcp_flags;
using wire::Seq32;

void add(std::string& text, std::string_view part) {
    if (!text.empty()) text += ", ";
    text += part;
}

// "mss 65495, sackOK, TS, wscale 7" from a SYN's options, read with wire/'s option iterator.
std::string describe_options(wire::Bytes options) {
    std::string text;
    wire::TcpOptionIterator it(options);
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) break;
        switch (opt->kind()) {
            case wire::tcp_option_kind::kMss:
                if (auto v = opt->as_mss()) add(text, fmt::format("mss {}", *v));
                break;
            case wire::tcp_option_kind::kSackPermitted: add(text, "sackOK"); break;
            case wire::tcp_option_kind::kTimestamps: add(text, "TS"); break;
            case wire::tcp_option_kind::kWindowScale:
                if (auto v = opt->as_window_scale()) add(text, fmt::format("wscale {}", *v));
                break;
            case wire::tcp_option_kind::kFastOpen:
            case wire::tcp_option_kind::kExperiment2:
                if (auto v = opt->as_fast_open_cookie()) {
                    add(text, v->is_request() ? "TFO cookie request" : "TFO cookie");
                }
                break;
            case wire::tcp_option_kind::kMptcp: add(text, "MPTCP"); break;
            default: break;
        }
    }
    return text;
}

int window_scale_offered(wire::Bytes options) {
    wire::TcpOptionIterator it(options);
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) break;
        if (auto v = opt->as_window_scale()) return *v > 14 ? 14 : *v;  // RFC 7323 §2.3: at most 14
    }
    return -1;
}

wire::SackBlocks sack_blocks(wire::Bytes options) {
    wire::TcpOptionIterator it(options);
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) break;
        if (auto v = opt->as_sack_blocks()) return *v;
    }
    return {};
}

}  // namespace

std::size_t Explainer::KeyHash::operator()(const Key& k) const noexcept {
    std::uint64_t h = 1469598103934665603ull ^ (std::uint64_t{k.low_port} << 16) ^ k.high_port ^
                      (std::uint64_t{k.family} << 40);
    for (std::uint8_t x : k.low) h = (h ^ x) * 1099511628211ull;
    for (std::uint8_t x : k.high) h = (h ^ x) * 1099511628211ull;
    return static_cast<std::size_t>(h);
}

// The handshake: SYN, SYN-ACK, their retransmissions, a simultaneous open (RFC 9293 §3.5, figure 8) and the ACK
// that completes a three-way handshake.
void Explainer::explain_open(Connection& c, const Side& self, const Side& peer, const Segment& s, std::string& text) {
    const Seq32 seq = s.tcp.seq();
    if (!s.syn) {
        if (s.ack && !c.established && !c.simultaneous_open && self.syn && peer.syn_has_ack &&
            s.tcp.ack() == peer.isn + 1) {
            add(text, "handshake 3/3: client ACK");
        }
        return;
    }
    std::string offers = describe_options(s.tcp.options());
    // RFC 3168 §6.1.1: ECE and CWR on a SYN ask for ECN; ECE alone on the SYN-ACK agrees.
    const std::uint16_t ecn = s.tcp.flags() & (flag::kEce | flag::kCwr);
    if ((!s.ack && ecn == (flag::kEce | flag::kCwr)) || (s.ack && ecn == flag::kEce)) add(offers, "ECN");
    const std::string offered = offers.empty() ? std::string() : ", offers " + offers;
    if (!s.ack) {
        if (self.syn && self.isn == seq) {
            add(text, fmt::format("retransmitted SYN, ISN {}", seq.raw()));
        } else if (peer.syn && !peer.syn_has_ack && !c.established) {
            c.simultaneous_open = true;
            add(text, fmt::format("simultaneous open: SYN from {}, ISN {}{}", s.from, seq.raw(), offered));
        } else {
            add(text, fmt::format("handshake 1/3: client SYN, ISN {}{}", seq.raw(), offered));
        }
        return;
    }
    if (self.syn && self.syn_has_ack && self.isn == seq) {
        add(text, fmt::format("retransmitted SYN-ACK, ISN {}", seq.raw()));
    } else if (c.simultaneous_open) {
        add(text, fmt::format("simultaneous open: SYN-ACK from {}, ISN {}, acks ISN {}", s.from, seq.raw(),
                              (s.tcp.ack() - 1).raw()));
    } else {
        add(text, fmt::format("handshake 2/3: server SYN-ACK, ISN {}, acks ISN {}{}", seq.raw(),
                              (s.tcp.ack() - 1).raw(), offered));
    }
}

// The payload: new data, data seen before (a retransmission), data after a gap in what was captured.
void Explainer::explain_data(const Side& self, const Segment& s, std::string& text) {
    if (s.length == 0) return;
    const Seq32 start = s.data_seq;
    const Seq32 end = start + s.length;
    const auto rel = [&](Seq32 x) { return x.distance_from(self.base); };
    if (self.seen && wire::before(start, self.next)) {
        if (wire::before_eq(end, self.next)) {
            add(text, fmt::format("retransmission of {} bytes (seq {}:{})", s.length, rel(start), rel(end)));
        } else {
            add(text, fmt::format("retransmission of {} bytes (seq {}:{}, {} new)", s.length, rel(start), rel(end),
                                  end.distance_from(self.next)));
        }
    } else if (self.seen && wire::after(start, self.next)) {
        add(text, fmt::format("data {} bytes (seq {}:{}, {} bytes before it not seen)", s.length, rel(start),
                              rel(end), start.distance_from(self.next)));
    } else {
        add(text, fmt::format("data {} bytes", s.length));
    }
}

// RFC 9293 §3.6: the FINs and their ACKs — four segments, three (the second FIN carrying the ACK of the first),
// or a simultaneous close.
void Explainer::explain_close(Connection& c, Side& self, Side& peer, const Segment& s, std::string& text) {
    bool three_way = false;
    if (s.fin) {
        const Seq32 fin_seq = s.data_seq + s.length;
        if (self.fin && self.fin_seq == fin_seq) {
            add(text, fmt::format("retransmitted FIN from {}", s.from));
        } else if (!peer.fin) {
            c.close = Close::FourWay;
            add(text, fmt::format("close 1/4: FIN from {}", s.from));
        } else if (peer.fin_acked) {
            add(text, fmt::format("close 3/4: FIN from {}", s.from));
        } else if (s.ack && s.tcp.ack() == peer.fin_seq + 1) {
            c.close = Close::ThreeWay;
            three_way = true;
            add(text, fmt::format("close 2-3/4: ACK of FIN from {} and FIN from {} (three-segment close)", s.to,
                                  s.from));
        } else {
            c.close = Close::Simultaneous;
            add(text, fmt::format("simultaneous close: FIN from {}", s.from));
        }
    }
    if (three_way || !s.ack || !peer.fin || peer.fin_acked || wire::before(s.tcp.ack(), peer.fin_seq + 1)) return;
    // This segment acknowledges the peer's FIN; the connection is closed once both FINs are acknowledged.
    const bool closed = self.fin && self.fin_acked;
    if (!self.fin && !s.fin) {
        add(text, fmt::format("close 2/4: ACK of FIN from {}", s.to));
    } else if (c.close == Close::Simultaneous) {
        add(text, fmt::format("simultaneous close: ACK of FIN from {}{}", s.to, closed ? ", connection closed" : ""));
    } else {
        add(text, fmt::format("close 4/4: ACK of FIN from {}{}", s.to, closed ? ", connection closed" : ""));
    }
    if (closed) c.finished = true;
}

// What the acknowledgment says when nothing else did: a duplicate ACK, a window update, a zero window, a
// keep-alive, or just an ACK.
void Explainer::explain_ack(const Side& self, const Side& peer, const Segment& s, bool duplicate, std::string& text) {
    if (!s.ack || s.syn || s.fin || s.length > 0 || !text.empty()) return;
    const Seq32 ack = s.tcp.ack();
    const std::uint16_t window = s.tcp.window();
    const bool both_scale = self.window_scale >= 0 && peer.window_scale >= 0;  // RFC 7323 §2.2
    if (duplicate) {
        add(text, fmt::format("duplicate ACK #{} of {}", self.duplicate_acks + 1, ack.distance_from(peer.base)));
    } else if (window == 0) {
        add(text, "zero window");
    } else if (self.seen && window != self.window) {
        if (both_scale) {
            add(text, fmt::format("window update: {} ({} bytes)", window,
                                  std::uint64_t{window} << self.window_scale));
        } else {
            add(text, fmt::format("window update: {}", window));
        }
    } else if (self.seen && s.tcp.seq() == self.next - 1) {
        add(text, "keep-alive");  // RFC 9293 §3.8.4: one below the next sequence number
    } else {
        add(text, "ACK");
    }
}

// RFC 5681 §2: the same ACK number, no data, no SYN or FIN, the same window, with data outstanding; RFC 6675 §2
// counts an ACK that newly SACKs data as duplicate whatever its window (Linux grows the window meanwhile).
bool Explainer::is_duplicate_ack(const Side& self, const Side& peer, const Segment& s, const wire::SackBlocks& sack) {
    if (!s.ack || s.syn || s.fin || s.length > 0 || !self.acked_valid || s.tcp.ack() != self.acked) return false;
    if (!peer.seen || !wire::before(s.tcp.ack(), peer.next)) return false;
    if (s.tcp.window() == self.window) return true;
    for (const wire::SackBlock& b : sack) {
        if (!self.sacked_valid || wire::after(b.right, self.sacked)) return true;
    }
    return false;
}

void Explainer::update(Side& self, Side& peer, const Segment& s, const wire::SackBlocks& sack, bool duplicate) {
    const Seq32 seq = s.tcp.seq();
    if (s.syn) {
        self.syn = true;
        self.syn_has_ack = s.ack;
        self.isn = seq;
        self.base = seq;
        self.window_scale = window_scale_offered(s.tcp.options());
    } else if (!self.seen) {
        self.base = seq;  // joined mid-stream: count from the first byte seen, as tcpdump does
    }
    const Seq32 end = s.data_seq + s.length + (s.fin ? 1u : 0u);
    if (!self.seen || wire::after(end, self.next)) self.next = end;
    if (s.fin) {
        self.fin = true;
        self.fin_seq = s.data_seq + s.length;
    }
    if (s.length > 0 && peer.fin && !self.fin) self.data_after_peer_fin = true;
    for (const wire::SackBlock& b : sack) {
        if (!self.sacked_valid || wire::after(b.right, self.sacked)) self.sacked = b.right;
        self.sacked_valid = true;
    }
    if (s.ack) {
        const Seq32 ack = s.tcp.ack();
        if (duplicate) {
            ++self.duplicate_acks;
        } else if (!self.acked_valid || ack != self.acked) {
            self.duplicate_acks = 0;
        }
        if (!self.acked_valid || wire::after(ack, self.acked)) self.acked = ack;
        self.acked_valid = true;
        if (peer.fin && wire::after_eq(ack, peer.fin_seq + 1)) peer.fin_acked = true;
    }
    self.window = s.tcp.window();
    self.seen = true;
}

void Explainer::on_segment(const IpInfo& ip, const wire::TcpView& tcp, std::uint32_t payload_length) {
    const std::uint16_t sport = tcp.source_port();
    const std::uint16_t dport = tcp.destination_port();
    const std::size_t n = ip.address_length;
    const bool from_low =
        sport < dport || (sport == dport && std::memcmp(ip.source.data(), ip.destination.data(), n) <= 0);
    Key key;
    key.family = static_cast<std::uint8_t>(n);
    std::memcpy(key.low.data(), from_low ? ip.source.data() : ip.destination.data(), n);
    std::memcpy(key.high.data(), from_low ? ip.destination.data() : ip.source.data(), n);
    key.low_port = from_low ? sport : dport;
    key.high_port = from_low ? dport : sport;

    const std::uint16_t flags = tcp.flags();
    const Segment s{tcp,
                    payload_length,
                    (flags & flag::kSyn) != 0,
                    (flags & flag::kAck) != 0,
                    (flags & flag::kFin) != 0,
                    (flags & flag::kRst) != 0,
                    tcp.seq() + ((flags & flag::kSyn) != 0 ? 1u : 0u),
                    n == 4 ? names_.ipv4(ip.source.data()) : names_.ipv6(ip.source.data()),
                    n == 4 ? names_.ipv4(ip.destination.data()) : names_.ipv6(ip.destination.data())};

    auto [it, inserted] = connections_.try_emplace(key);
    Connection* c = &it->second;
    if (inserted) c->first_from_low = from_low;
    int me = from_low == c->first_from_low ? 0 : 1;
    // A SYN after a close or reset, or with a new ISN once established, opens a new connection on the 4-tuple.
    if (!inserted && s.syn && !s.ack &&
        (c->finished || (c->established && c->side[me].syn && c->side[me].isn != tcp.seq()))) {
        *c = Connection{};
        c->first_from_low = from_low;
        me = 0;
    }
    Side& self = c->side[me];
    Side& peer = c->side[1 - me];

    std::string text;
    if (s.rst) {
        // RFC 9293 §3.5.2: a reset answering a SYN refuses the connection.
        text = fmt::format("reset from {}", s.from);
        if (!c->established && peer.syn && !self.syn) text += " (connection refused)";
        if (s.length > 0) text += fmt::format(", {} bytes of data", s.length);  // RFC 9293 §3.5.3
        update(self, peer, s, {}, false);
        c->finished = true;
        line_ = std::move(text);
        return;
    }

    // What the ACK newly covers of the peer's data (its SYN and FIN take a sequence number each, not a byte).
    std::uint32_t acked_bytes = 0;
    if (s.ack && peer.seen) {
        const Seq32 ack = s.tcp.ack();
        const Seq32 from = self.acked_valid ? self.acked : (peer.syn ? peer.isn : peer.base);
        if (wire::after(ack, from)) {
            std::uint32_t covered = ack.distance_from(from);
            if (peer.syn && wire::before_eq(from, peer.isn) && wire::after(ack, peer.isn)) --covered;
            if (peer.fin && wire::before_eq(from, peer.fin_seq) && wire::after(ack, peer.fin_seq)) --covered;
            acked_bytes = covered;
        }
    }
    const bool self_syn = self.syn || s.syn;
    const bool establishes = !c->established && self_syn && peer.syn && s.ack &&
                             wire::after_eq(s.tcp.ack(), peer.isn + 1) && peer.acked_valid &&
                             wire::after_eq(peer.acked, (s.syn ? tcp.seq() : self.isn) + 1);

    const wire::SackBlocks blocks = s.ack ? sack_blocks(tcp.options()) : wire::SackBlocks{};
    const bool duplicate = is_duplicate_ack(self, peer, s, blocks);

    explain_open(*c, self, peer, s, text);
    if (establishes) {
        add(text, "connection established");
        c->established = true;
    }
    explain_data(self, s, text);
    if (acked_bytes > 0) add(text, fmt::format("ACK of {} bytes", acked_bytes));
    explain_close(*c, self, peer, s, text);
    // RFC 9293 §3.6: a side that has received a FIN may go on sending (a half-close).
    if (s.length > 0 && peer.fin && !self.fin && !self.data_after_peer_fin) {
        add(text, fmt::format("half-close: {} sends after {}'s FIN", s.from, s.to));
    }
    explain_ack(self, peer, s, duplicate, text);
    if (blocks.size() > 0) {
        std::string sack = "SACK";
        for (const wire::SackBlock& b : blocks) {
            sack += fmt::format(" {}:{}", b.left.distance_from(peer.base), b.right.distance_from(peer.base));
        }
        add(text, sack);
    }
    if (text.empty()) text = s.ack ? "ACK" : "segment without ACK";
    update(self, peer, s, blocks, duplicate);
    line_ = std::move(text);
}

void Explainer::end_packet(Output& out) {
    if (line_.empty()) return;
    out.put("    ");
    out.put(line_);
    out.put('\n');
    line_.clear();
}

}  // namespace synack::dump
