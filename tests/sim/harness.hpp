// Two stacks on the simulated network (runtime::TwoHostNetwork), with what the tests look at: every packet as
// the link saw it sent (a tcpdump on each sender would record the same), read back through wire views and
// described in tcpdump's words; each stack's trace; an optional predicate that loses chosen packets on arrival.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/stack_node.hpp"
#include "support/options_text.hpp"
#include "stack/stack.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::sim::test {

using namespace std::chrono_literals;
using stack::ConnectionId;
using stack::ConnectOptions;
using stack::Endpoint;
using stack::ListenerId;
using stack::Stack;
using stack::StackConfig;
using stack::StackEvents;

inline wire::Bytes bytes_of(const std::string& s) {
    return wire::Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// The first TSval each side sent: `TS val c+2` reads "the client's first TSval plus 2 ms".
struct TsBase {
    std::optional<std::uint32_t> side[2];
};

inline std::string ts_text(std::uint32_t value, int side, const TsBase* base) {
    if (base == nullptr || !base->side[side]) return std::to_string(value);
    const auto delta = static_cast<std::int32_t>(value - *base->side[side]);
    return std::string(side == 0 ? "c" : "s") + (delta < 0 ? "" : "+") + std::to_string(delta);
}

// tcpdump's option words; with `base`, timestamps relative to each side's first TSval (`from`: the sender).
inline std::string options_text(wire::Bytes options, int from = 0, const TsBase* base = nullptr) {
    return synack::test::options_words(
        options, {.sack_count = false, .timestamps = [from, base](std::uint32_t value, std::uint32_t echo_reply) {
                      return "TS val " + ts_text(value, from, base) + " ecr " +
                             (echo_reply == 0 ? std::string("0") : ts_text(echo_reply, 1 - from, base));
                  }});
}

// One packet as offered to the link, with the IP fields synack must get right.
struct Packet {
    Instant at{};
    int from = 0;       // 0: the client stack, 1: the server stack
    bool lost = false;  // the link lost a copy of it (the test's `lose` predicate does not mark it)
    std::vector<std::uint8_t> bytes;

    bool v4() const { return (bytes[0] >> 4) == 4; }
    wire::TcpView tcp() const {
        if (v4()) return *wire::TcpView::parse(wire::Ipv4View::parse(bytes)->payload());
        return *wire::TcpView::parse(wire::Ipv6View::parse(bytes)->payload());
    }
    std::uint16_t ip_id() const { return wire::Ipv4View::parse(bytes)->identification(); }
    std::uint32_t flow_label() const { return wire::Ipv6View::parse(bytes)->flow_label(); }
    std::string flags() const {
        const auto f = tcp().flags();
        std::string s;
        if (f & wire::tcp_flags::kSyn) s += 'S';
        if (f & wire::tcp_flags::kFin) s += 'F';
        if (f & wire::tcp_flags::kPsh) s += 'P';
        if (f & wire::tcp_flags::kRst) s += 'R';
        if (f & wire::tcp_flags::kAck) s += '.';
        return s;
    }
    std::string payload() const {
        const auto p = tcp().payload();
        return std::string(p.begin(), p.end());
    }
    // "[S.] seq 1 ack 2 win 3 [options] len 0", sequence numbers absolute (tcpdump -S); with `base`, timestamps
    // relative to each side's first TSval.
    std::string text(const TsBase* base = nullptr) const {
        const auto t = tcp();
        std::ostringstream o;
        o << "[" << flags() << "] seq " << t.seq().raw();
        if (t.has_flags(wire::tcp_flags::kAck)) o << " ack " << t.ack().raw();
        o << " win " << t.window();
        if (!t.options().empty()) o << " [" << options_text(t.options(), from, base) << "]";
        o << " len " << t.payload().size();
        return o.str();
    }
};

class TraceRecorder : public stack::TraceSink {
public:
    std::vector<std::string> lines;
    void transition(Instant, const tcp::FlowTuple& f, ConnectionId, tcp::State from, tcp::State to) override {
        lines.push_back(std::to_string(f.local_port) + " " + std::string(tcp::to_string(from)) + "->" +
                        std::string(tcp::to_string(to)));
    }
    void drop(Instant, stack::InterfaceId, tcp::DropReason r, const tcp::FlowTuple*) override {
        lines.push_back("drop " + std::string(tcp::to_string(r)));
    }
    void timer(Instant, const tcp::FlowTuple& f, ConnectionId, tcp::TimerKind k) override {
        lines.push_back(std::to_string(f.local_port) + " timer " + tcp::to_string(k));
    }
    // Only the state transitions, "FROM->TO".
    std::vector<std::string> transitions() const {
        std::vector<std::string> out;
        for (const std::string& l : lines) {
            const auto arrow = l.find("->");
            if (arrow != std::string::npos) out.push_back(l.substr(l.find(' ') + 1));
        }
        return out;
    }
};

inline runtime::TwoHostConfig two_hosts(const StackConfig& config = {}, std::uint64_t seed = 1) {
    runtime::TwoHostConfig c;
    c.seed = seed;
    c.client = config;
    c.server = config;
    return c;
}

// ISNs just below 2^32, as the lifecycle tests use them: the client's SYN at 2^32 - 5 and the server's SYN-ACK
// at 2^32 - 2, so both sides' data crosses the wrap within a few bytes.
inline constexpr std::uint32_t kWrapClientIsn = 0xfffffffbu;
inline constexpr std::uint32_t kWrapServerIsn = 0xfffffffeu;
inline constexpr std::uint16_t kPort = 6379;

// A configuration whose first connection — listen(kPort) on the server, then connect() from the client at the
// start — gets exactly these ISNs (the hosts' clocks are offset; runtime::isn_clock_offsets()).
inline runtime::TwoHostConfig isn_config(bool v6, runtime::TwoHostConfig config = two_hosts(),
                                         std::uint32_t client_isn = kWrapClientIsn,
                                         std::optional<std::uint32_t> server_isn = kWrapServerIsn) {
    auto offsets = runtime::isn_clock_offsets(
        config,
        [v6, server_isn](runtime::TwoHostNetwork& n) {
            const Endpoint server{v6 ? n.server_v6() : n.server_v4(), kPort};
            if (server_isn) {
                EXPECT_TRUE(n.server().listen(server, 128));
            }
            EXPECT_TRUE(n.client().connect(server, n.client_now()));
        },
        wire::Seq32(client_isn), server_isn ? std::optional<wire::Seq32>(*server_isn) : std::nullopt);
    EXPECT_TRUE(offsets) << (offsets ? "" : offsets.error());
    if (offsets) {
        config.client_clock_offset = offsets->client;
        config.server_clock_offset = offsets->server;
    }
    return config;
}

class SimPair {
    runtime::TwoHostNetwork net_;  // first: the members below point into it

public:
    explicit SimPair(const runtime::TwoHostConfig& config = two_hosts())
        : net_(config), client(&net_.client()), server(&net_.server()) {
        client->set_trace_sink(&client_trace);
        server->set_trace_sink(&server_trace);
        net_.network().observe(net_.link(), [this](const runtime::LinkEvent& e) { observed(e); });
        net_.client_node().set_input_filter(
            [this](stack::InterfaceId, wire::Bytes p, Instant at) { return arrives(1, p, at); });
        net_.server_node().set_input_filter(
            [this](stack::InterfaceId, wire::Bytes p, Instant at) { return arrives(0, p, at); });
    }
    explicit SimPair(const StackConfig& config, std::uint64_t seed = 1) : SimPair(two_hosts(config, seed)) {}

    runtime::TwoHostNetwork& hosts() { return net_; }
    runtime::SimNetwork& network() { return net_.network(); }

    // The network's time; with no clock offsets (the default) also each stack's.
    Instant now() const { return net_.now(); }
    Instant client_now() const { return net_.client_now(); }
    Instant server_now() const { return net_.server_now(); }
    void run_for(Duration d) { net_.run_for(d); }
    void run_until(Instant t) { net_.run_until(t); }

    wire::IpAddress client_v4() const { return net_.client_v4(); }
    wire::IpAddress server_v4() const { return net_.server_v4(); }
    wire::IpAddress client_v6() const { return net_.client_v6(); }
    wire::IpAddress server_v6() const { return net_.server_v6(); }

    // Milliseconds of `side`'s clock (0: client) between two moments of the network's: the TSval clock's ticks.
    std::int64_t ms_between(int side, Instant a, Instant b) const {
        const Duration offset = side == 0 ? net_.config().client_clock_offset : net_.config().server_clock_offset;
        const auto ms = [&](Instant t) {
            return std::chrono::floor<std::chrono::milliseconds>((t + offset).time_since_epoch()).count();
        };
        return ms(b) - ms(a);
    }

    // Lines "C <text>" / "S <text>" for the packets captured from `from` on.
    std::vector<std::string> texts(std::size_t from = 0, const TsBase* base = nullptr) const {
        std::vector<std::string> out;
        for (std::size_t i = from; i < captured.size(); ++i) {
            out.push_back(std::string(captured[i].from == 0 ? "C " : "S ") + captured[i].text(base));
        }
        return out;
    }
    // Each side's first TSval in the capture so far.
    TsBase ts_base() const {
        TsBase base;
        for (const Packet& p : captured) {
            if (base.side[p.from]) continue;
            wire::TcpOptionIterator it(p.tcp().options());
            while (!it.at_end()) {
                auto opt = it.next();
                if (!opt) break;
                if (opt->kind() == wire::tcp_option_kind::kTimestamps) base.side[p.from] = opt->as_timestamps()->value;
            }
        }
        return base;
    }

    std::vector<Packet> captured;
    // Decides, as a packet arrives (before the stack sees it), whether it is lost instead (true).
    std::function<bool(const Packet&)> lose;
    Stack* client;
    Stack* server;
    TraceRecorder client_trace;
    TraceRecorder server_trace;

private:
    void observed(const runtime::LinkEvent& e) {
        const int from = e.direction == runtime::LinkDirection::AToB ? 0 : 1;
        if (e.kind == runtime::LinkEventKind::Sent) {
            Packet p;
            p.at = e.time;
            p.from = from;
            p.bytes.assign(e.packet.begin(), e.packet.end());
            captured.push_back(std::move(p));
        } else if (e.kind == runtime::LinkEventKind::Lost && !captured.empty()) {
            captured.back().lost = true;  // reported right after the packet's Sent
        }
    }
    bool arrives(int from, wire::Bytes bytes, Instant at) {
        if (!lose) return true;
        Packet p;
        p.at = at;
        p.from = from;
        p.bytes.assign(bytes.begin(), bytes.end());
        return !lose(p);
    }
};

}  // namespace synack::sim::test
