// Two stacks joined by an in-order wire with a fixed one-way delay, on a virtual clock the test advances — the
// smallest network that runs a whole connection. Every packet is recorded (time, direction, bytes) and can be
// described in tcpdump's words; a predicate may lose packets.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "stack/stack.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace synack::stack::test {

using namespace std::chrono_literals;

inline std::string options_text(wire::Bytes options) {
    std::ostringstream o;
    wire::TcpOptionIterator it(options);
    bool first = true;
    while (!it.at_end()) {
        auto opt = it.next();
        if (!opt) break;
        if (!first) o << ",";
        first = false;
        switch (opt->kind()) {
            case wire::tcp_option_kind::kNop: o << "nop"; break;
            case wire::tcp_option_kind::kMss: o << "mss " << *opt->as_mss(); break;
            case wire::tcp_option_kind::kWindowScale: o << "wscale " << int{*opt->as_window_scale()}; break;
            case wire::tcp_option_kind::kSackPermitted: o << "sackOK"; break;
            case wire::tcp_option_kind::kTimestamps: {
                const auto ts = *opt->as_timestamps();
                o << "TS val " << ts.value << " ecr " << ts.echo_reply;
                break;
            }
            case wire::tcp_option_kind::kSack: {
                o << "sack";
                for (const auto& b : *opt->as_sack_blocks()) o << " {" << b.left.raw() << ":" << b.right.raw() << "}";
                break;
            }
            default: o << "opt-" << int{opt->kind()}; break;
        }
    }
    return o.str();
}

// What a captured packet says, in tcpdump -S style, with the IP fields synack must get right.
struct Packet {
    Instant at{};
    int from = 0;  // 0: the client stack, 1: the server stack
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
    // "[S.] seq 1 ack 2 win 3 [options] len 0"
    std::string text() const {
        const auto t = tcp();
        std::ostringstream o;
        o << "[" << flags() << "] seq " << t.seq().raw();
        if (t.has_flags(wire::tcp_flags::kAck)) o << " ack " << t.ack().raw();
        o << " win " << t.window();
        if (!t.options().empty()) o << " [" << options_text(t.options()) << "]";
        o << " len " << t.payload().size();
        return o.str();
    }
};

class TraceRecorder : public TraceSink {
public:
    std::vector<std::string> lines;
    void transition(Instant, const tcp::FlowTuple& f, ConnectionId, tcp::State from, tcp::State to) override {
        lines.push_back(std::to_string(f.local_port) + " " + std::string(tcp::to_string(from)) + "->" +
                        std::string(tcp::to_string(to)));
    }
    void drop(Instant, InterfaceId, tcp::DropReason r, const tcp::FlowTuple*) override {
        lines.push_back("drop " + std::string(tcp::to_string(r)));
    }
    void timer(Instant, const tcp::FlowTuple& f, ConnectionId, tcp::TimerKind k) override {
        lines.push_back(std::to_string(f.local_port) + " timer " + tcp::to_string(k));
    }
};

class Relay {
public:
    struct Side final : PacketSink {
        Relay* relay = nullptr;
        int index = 0;
        void transmit(InterfaceId, wire::Bytes packet) override { relay->sent(index, packet); }
    };

    Instant now = Instant{} + 10s;
    Duration delay = 1ms;  // one way
    std::vector<Packet> captured;
    std::function<bool(const Packet&)> lose;  // true: the packet never arrives
    Side sides[2];
    std::unique_ptr<Stack> client;
    std::unique_ptr<Stack> server;
    TraceRecorder client_trace;
    TraceRecorder server_trace;

    wire::IpAddress client_v4 = *wire::IpAddress::parse("198.18.0.1");
    wire::IpAddress server_v4 = *wire::IpAddress::parse("198.18.0.2");
    wire::IpAddress client_v6 = *wire::IpAddress::parse("2001:2::1");
    wire::IpAddress server_v6 = *wire::IpAddress::parse("2001:2::2");

    explicit Relay(const StackConfig& config = {}, std::uint64_t seed = 1) {
        for (int i = 0; i < 2; ++i) {
            sides[i].relay = this;
            sides[i].index = i;
        }
        client = std::make_unique<Stack>(config, sides[0], seed);
        server = std::make_unique<Stack>(config, sides[1], seed + 1);
        setup(*client, client_v4, client_v6);
        setup(*server, server_v4, server_v6);
        client->set_trace_sink(&client_trace);
        server->set_trace_sink(&server_trace);
    }

    static void setup(Stack& s, const wire::IpAddress& v4, const wire::IpAddress& v6) {
        const InterfaceId i = s.add_interface("eth0", 1500);
        ASSERT_TRUE(s.add_address(i, v4, 24));
        ASSERT_TRUE(s.add_address(i, v6, 64));
    }

    void sent(int from, wire::Bytes packet) {
        Packet p;
        p.at = now;
        p.from = from;
        p.bytes.assign(packet.begin(), packet.end());
        captured.push_back(p);
        if (lose && lose(p)) return;
        in_flight.push_back({now + delay, from == 0 ? 1 : 0, p.bytes});
    }

    // Processes arrivals and timers in time order up to `until`.
    void run_until(Instant until) {
        for (;;) {
            std::optional<Instant> next;
            if (!in_flight.empty()) next = in_flight.front().at;
            for (Stack* s : {client.get(), server.get()}) {
                if (auto d = s->next_deadline(); d && (!next || *d < *next)) next = d;
            }
            if (!next || *next > until) break;
            now = std::max(now, *next);
            while (!in_flight.empty() && in_flight.front().at <= now) {
                const Flight f = std::move(in_flight.front());
                in_flight.pop_front();
                (f.to == 0 ? *client : *server).receive(0, f.bytes, now);
            }
            for (Stack* s : {client.get(), server.get()}) {
                if (auto d = s->next_deadline(); d && *d <= now) s->on_timer(now);
            }
        }
        now = until;
    }
    void run_for(Duration d) { run_until(now + d); }

    std::vector<std::string> texts(std::size_t from = 0) const {
        std::vector<std::string> out;
        for (std::size_t i = from; i < captured.size(); ++i) {
            out.push_back(std::string(captured[i].from == 0 ? "C " : "S ") + captured[i].text());
        }
        return out;
    }

private:
    struct Flight {
        Instant at;
        int to;
        std::vector<std::uint8_t> bytes;
    };
    std::deque<Flight> in_flight;
};

}  // namespace synack::stack::test
