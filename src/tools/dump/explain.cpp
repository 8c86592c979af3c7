#include "tools/dump/explain.hpp"

#include <cstring>

#include <fmt/format.h>

#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::dump {
namespace {

namespace flag = wire::tcp_flags;
using wire::Seq32;

}  // namespace

std::size_t Explainer::KeyHash::operator()(const Key& k) const noexcept {
    std::uint64_t h = 1469598103934665603ull ^ (std::uint64_t{k.pa} << 16) ^ k.pb;
    for (std::uint8_t x : k.a) h = (h ^ x) * 1099511628211ull;
    for (std::uint8_t x : k.b) h = (h ^ x) * 1099511628211ull;
    return static_cast<std::size_t>(h);
}

std::string_view Explainer::address(const std::uint8_t* a, std::size_t length) {
    return length == 4 ? names_.ipv4(a) : names_.ipv6(a);
}

// "mss 65495, sackOK, TS, wscale 7" from a SYN's options, read with wire/'s option iterator.
std::string Explainer::describe_options(wire::Bytes options) const {
    std::string text;
    auto add = [&](std::string_view part) {
        if (!text.empty()) text += ", ";
        text += part;
    };
    wire::TcpOptionIterator it(options);
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) break;
        switch (opt->kind()) {
            case wire::tcp_option_kind::kMss:
                if (auto v = opt->as_mss()) add(fmt::format("mss {}", *v));
                break;
            case wire::tcp_option_kind::kSackPermitted: add("sackOK"); break;
            case wire::tcp_option_kind::kTimestamps: add("TS"); break;
            case wire::tcp_option_kind::kWindowScale:
                if (auto v = opt->as_window_scale()) add(fmt::format("wscale {}", *v));
                break;
            case wire::tcp_option_kind::kFastOpen: add("TFO"); break;
            case wire::tcp_option_kind::kMptcp: add("MPTCP"); break;
            default: break;
        }
    }
    return text;
}

void Explainer::on_segment(const SegmentFacts& s) {
    const IpInfo& ip = *s.ip;
    Key key;
    const bool forward = s.sport < s.dport ||
                         (s.sport == s.dport && std::memcmp(ip.source.data(), ip.destination.data(), ip.address_length) <= 0);
    const std::uint8_t* lo = forward ? ip.source.data() : ip.destination.data();
    const std::uint8_t* hi = forward ? ip.destination.data() : ip.source.data();
    std::memcpy(key.a.data(), lo, ip.address_length);
    std::memcpy(key.b.data(), hi, ip.address_length);
    key.pa = forward ? s.sport : s.dport;
    key.pb = forward ? s.dport : s.sport;

    const bool syn = (s.flags & flag::kSyn) != 0;
    const bool ack = (s.flags & flag::kAck) != 0;
    const bool fin = (s.flags & flag::kFin) != 0;
    const bool rst = (s.flags & flag::kRst) != 0;

    auto [it, inserted] = connections_.try_emplace(key);
    Connection& c = it->second;
    // A fresh SYN on a connection that had finished starts a new one.
    if (!inserted && syn && !ack && (c.closes >= 4 || c.side[0].fin || c.side[1].fin)) c = Connection{};
    // Side 0 is the endpoint whose segment was seen first.
    if (!c.side[0].seen && !c.side[1].seen) c.first_from_a = forward;
    const int me = forward == c.first_from_a ? 0 : 1;
    Side& self = c.side[me];
    Side& peer = c.side[1 - me];
    const std::string_view who = address(ip.source.data(), ip.address_length);

    std::string text;
    auto add = [&](std::string part) {
        if (!text.empty()) text += ", ";
        text += std::move(part);
    };

    // Acknowledgment: what it newly covers of the peer's bytes.
    std::uint32_t newly_acked = 0;
    bool ack_of_fin = false;
    if (ack) {
        if (self.acked_valid && wire::after(s.ack, self.acked)) newly_acked = s.ack.distance_from(self.acked);
        if (!self.acked_valid && peer.syn) newly_acked = s.ack.distance_from(peer.isn + 1);
        if (peer.fin && !peer.fin_acked && s.ack == peer.fin_seq + 1) ack_of_fin = true;
    }
    const std::uint32_t seg_len = s.payload_length + (syn ? 1u : 0u) + (fin ? 1u : 0u);
    const bool retransmission = self.seen && seg_len > 0 && !syn && wire::before(s.seq, self.next);

    if (rst) {
        add(fmt::format("reset from {}", who));
    } else if (syn && !ack) {
        if (self.syn && self.isn == s.seq) {
            add(fmt::format("retransmitted SYN, ISN {}", s.seq.raw()));
        } else {
            std::string offers = describe_options(s.options);
            add(fmt::format("handshake 1/3: client SYN, ISN {}{}{}", s.seq.raw(), offers.empty() ? "" : ", offers ",
                            offers));
        }
    } else if (syn && ack) {
        if (self.syn && self.isn == s.seq) {
            add(fmt::format("retransmitted SYN-ACK, ISN {}", s.seq.raw()));
        } else {
            std::string offers = describe_options(s.options);
            add(fmt::format("handshake 2/3: server SYN-ACK, ISN {}, acks ISN {}{}{}", s.seq.raw(),
                            (s.ack - 1).raw(), offers.empty() ? "" : ", offers ", offers));
        }
    } else if (!c.established && ack && peer.syn && self.syn && s.ack == peer.isn + 1 && s.payload_length == 0 &&
               !fin) {
        add("handshake 3/3: client ACK, connection established");
        c.established = true;
        newly_acked = 0;
    } else {
        if (s.payload_length > 0) {
            if (retransmission) {
                add(fmt::format("retransmission of {} bytes", s.payload_length));
            } else {
                add(fmt::format("data {} bytes", s.payload_length));
            }
        }
        if (ack_of_fin) {
            ++c.closes;
            add(fmt::format("close {}/4: ACK of FIN from {}", self.fin ? 4 : 2,
                            address(ip.destination.data(), ip.address_length)));
        }
        if (fin) {
            if (self.fin && self.fin_seq == s.seq + s.payload_length) {
                add(fmt::format("retransmitted FIN from {}", who));
            } else {
                ++c.closes;
                add(fmt::format("close {}/4: FIN from {}", c.closes > 4 ? 4 : (peer.fin ? 3 : 1), who));
            }
        }
        if (!ack_of_fin && newly_acked > 0) {
            const std::uint32_t bytes = peer.fin && s.ack == peer.fin_seq + 1 ? newly_acked - 1 : newly_acked;
            if (bytes > 0) add(fmt::format("ACK of {} bytes", bytes));
        }
        if (text.empty() && ack) {
            if (self.seen && s.window != self.window) {
                add(s.window == 0 ? std::string("zero window") : fmt::format("window update: {}", s.window));
            } else if (self.seen && seg_len == 0 && self.next.raw() != 0 && s.seq == self.next - 1) {
                add("keep-alive");
            } else if (self.acked_valid && s.ack == self.acked && wire::before(s.ack, peer.next)) {
                add(fmt::format("duplicate ACK of {}", s.ack.raw()));
            } else {
                add("ACK");
            }
        }
    }

    // Update the sender's state.
    if (syn) {
        self.syn = true;
        self.isn = s.seq;
    }
    const Seq32 end = s.seq + seg_len;
    if (!self.seen || wire::after(end, self.next)) self.next = end;
    if (fin) {
        self.fin = true;
        self.fin_seq = s.seq + s.payload_length;
    }
    if (ack) {
        if (!self.acked_valid || wire::after(s.ack, self.acked)) self.acked = s.ack;
        self.acked_valid = true;
        if (ack_of_fin) peer.fin_acked = true;
    }
    self.window = s.window;
    self.seen = true;
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
