// Test harness for tcp/: a recording Host, segments turned into real TCP bytes and read back (so every option
// goes through the writer and the parser), a one-line description in tcpdump's words, and a pair of endpoints —
// an active opener and a passive side that starts as a listener's request entry — joined by an in-order wire
// on a virtual clock. Helpers bring a pair to any state (established(), fin_wait_2(), …).
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tcp/connection.hpp"
#include "tcp/request.hpp"
#include "tcp/reset.hpp"
#include "tcp/segment.hpp"
#include "tcp/time_wait.hpp"
#include "support/options_text.hpp"
#include "wire/tcp.hpp"

namespace synack::tcp::test {

using namespace std::chrono_literals;

inline constexpr std::uint32_t kClientIss = 4294967290u;  // 2^32 - 6: the sequence space wraps right away
inline constexpr std::uint32_t kServerIss = 4294967000u;  // 2^32 - 296
inline constexpr std::uint32_t kClientTsOffset = 1000;
inline constexpr std::uint32_t kServerTsOffset = 500000;
inline const Instant kStart = Instant{} + 10s;  // TSval = 10000 ms + offset at the start

inline const wire::IpAddress kClientAddress = *wire::IpAddress::parse("198.18.0.1");
inline const wire::IpAddress kServerAddress = *wire::IpAddress::parse("198.18.0.2");
inline constexpr std::uint16_t kClientPort = 40000;
inline constexpr std::uint16_t kServerPort = 6379;

// A segment as it went on the wire: its bytes and their parse.
struct Wire {
    std::vector<std::uint8_t> bytes;
    Segment seg;
    bool control = false;  // sent as from Linux's control socket (IPv4 ID 0)
};

inline std::string describe_options(wire::Bytes options) {
    return synack::test::options_words(options, {.sack_count = true, .timestamps = {}});
}

inline std::string flags_text(std::uint16_t f) {
    std::string s;
    if (f & wire::tcp_flags::kSyn) s += 'S';
    if (f & wire::tcp_flags::kFin) s += 'F';
    if (f & wire::tcp_flags::kPsh) s += 'P';
    if (f & wire::tcp_flags::kRst) s += 'R';
    if (f & wire::tcp_flags::kAck) s += '.';
    return s.empty() ? "none" : s;
}

// tcpdump -S style: "[S.] seq 4294967000 ack 4294967291 win 65160 [mss 1460,sackOK,TS val … ecr …,nop,wscale 7]
// len 0".
inline std::string describe(const Wire& w) {
    const wire::TcpView v = *wire::TcpView::parse(w.bytes);
    std::ostringstream o;
    o << "[" << flags_text(v.flags()) << "] seq " << v.seq().raw();
    if (v.has_flags(wire::tcp_flags::kAck)) o << " ack " << v.ack().raw();
    o << " win " << v.window();
    if (!v.options().empty()) o << " [" << describe_options(v.options()) << "]";
    o << " len " << v.payload().size();
    return o.str();
}

class TestHost : public Host {
public:
    TcpSysctls config{};
    Mib counters{};
    BufferPool pool{};
    std::deque<Wire> sent;  // every segment transmitted, in order
    struct Transition {
        State from;
        State to;
    };
    std::vector<Transition> transitions;
    std::vector<DropReason> drops;
    std::vector<std::uint8_t> events;
    std::vector<TimerKind> timers;
    std::uint32_t rng = 0x12345678u;

    const TcpSysctls& sysctls() const noexcept override { return config; }
    Mib& mib() noexcept override { return counters; }
    BufferPool& buffers() noexcept override { return pool; }
    std::uint32_t random_u32() noexcept override {
        rng = rng * 1664525u + 1013904223u;
        return rng;
    }
    void transmit(Connection& c, const OutSegment& s) override { sent.push_back(to_wire(c.tuple(), s)); }
    void state_changed(Connection&, State from, State to) override { transitions.push_back({from, to}); }
    void notify(Connection&, std::uint8_t e) override { events.push_back(e); }
    void dropped(Connection&, DropReason r) override { drops.push_back(r); }
    void timer_fired(Connection&, TimerKind k) override { timers.push_back(k); }

    static Wire to_wire(const FlowTuple& t, const OutSegment& s) {
        wire::TcpOptionsBuilder options;
        write_options(s.options, options);
        wire::TcpBuilder b;
        b.source_port = t.local_port;
        b.destination_port = t.remote_port;
        b.seq = s.seq;
        b.ack = s.ack;
        b.flags = s.flags;
        b.window = s.window;
        b.options = options.bytes();
        std::vector<std::uint8_t> payload(s.payload[0].begin(), s.payload[0].end());
        payload.insert(payload.end(), s.payload[1].begin(), s.payload[1].end());
        Wire w;
        w.bytes = b.build(payload, t.local_address.v4(), t.remote_address.v4());
        w.control = s.control;
        return w;
    }

    // The last segment sent, parsed (its payload points into the deque's stable storage).
    Wire& last() { return sent.back(); }
    std::string last_text() { return describe(sent.back()); }
    std::string transitions_text() const {
        std::string s;
        for (const auto& t : transitions) {
            if (!s.empty()) s += ", ";
            s += std::string(to_string(t.from)) + "->" + std::string(to_string(t.to));
        }
        return s;
    }
};

inline Segment parse(const Wire& w) { return parse_segment(*wire::TcpView::parse(w.bytes)); }

// Builds a segment from the peer's side for injection: what a remote TCP might send.
struct Inject {
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint16_t flags = wire::tcp_flags::kAck;
    std::uint16_t window = 502;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> ts;  // TSval, TSecr
    std::vector<std::uint8_t> payload;
    wire::TcpOptionsBuilder extra_options{};  // written after the timestamps (e.g. a SYN's options)
    bool to_server = false;                   // from the client to the server (default: to the client)
};

struct Endpoint {
    TestHost host;
    std::unique_ptr<Connection> conn;
};

// Two endpoints on an in-order wire. The client opens actively; the server side is a listener whose request
// entry becomes a Connection on the third ACK, as the stack does it.
class Pair {
public:
    Instant now = kStart;
    Endpoint client;
    Endpoint server;
    std::optional<RequestState> request;
    ListenerParams listener{};
    std::size_t client_read = 0;  // segments of each host already delivered
    std::size_t server_read = 0;
    // Segments dropped on the wire: a predicate on (from_client, wire).
    std::vector<std::pair<bool, Wire>> lost;

    FlowTuple client_tuple() const { return {kClientAddress, kServerAddress, kClientPort, kServerPort}; }
    FlowTuple server_tuple() const { return {kServerAddress, kClientAddress, kServerPort, kClientPort}; }

    Pair() {
        ConnectionParams p;
        p.tuple = client_tuple();
        p.iss = Seq32(kClientIss);
        p.ts_offset = kClientTsOffset;
        p.ip_id = 100;
        client.conn = std::make_unique<Connection>(client.host, p);
    }

    void connect() { client.conn->connect(now); }

    // The server's listener logic for one segment addressed to it before the connection exists.
    void to_listener(const Segment& seg) {
        auto& h = server.host;
        if (!request) {
            if (seg.syn() && !seg.ack_flag() && !seg.rst()) {
                request = open_request(h.config, listener, seg, Seq32(kServerIss), kServerTsOffset, 0x00abcdefu);
                h.transitions.push_back({State::kListen, State::kSynReceived});
                h.sent.push_back(TestHost::to_wire(server_tuple(), make_synack(*request, now)));
            } else if (auto rst = make_reset(seg)) {
                h.sent.push_back(TestHost::to_wire(server_tuple(), *rst));
            }
            return;
        }
        const RequestDecision d = check_request(*request, seg, now, h.config, h.counters);
        switch (d.verdict) {
            case RequestVerdict::kDrop: break;
            case RequestVerdict::kSendAck:
                h.sent.push_back(TestHost::to_wire(server_tuple(), make_request_ack(*request, now)));
                break;
            case RequestVerdict::kRetransmitSynAck:
                ++request->num_retrans;
                h.sent.push_back(TestHost::to_wire(server_tuple(), make_synack(*request, now)));
                break;
            case RequestVerdict::kListenerReset:
            case RequestVerdict::kEmbryonicReset:
                if (auto rst = make_reset(seg)) h.sent.push_back(TestHost::to_wire(server_tuple(), *rst));
                if (d.verdict == RequestVerdict::kEmbryonicReset) request.reset();
                break;
            case RequestVerdict::kCreateChild: {
                ConnectionParams p;
                p.tuple = server_tuple();
                p.mtu = listener.mtu;
                p.iss = request->iss;
                p.ts_offset = request->ts_offset;
                p.ip_id = 200;
                p.options = listener.options;
                server.conn = std::make_unique<Connection>(h, p);
                server.conn->open_from_request(*request, now);
                h.transitions.push_back({State::kSynReceived, State::kEstablished});
                server.conn->on_segment(seg, now);
                h.transitions.pop_back();  // the connection reports SYN_RECEIVED -> ESTABLISHED itself
                request.reset();
                break;
            }
        }
    }

    // Delivers every segment sent so far (and those sent in reply) in order, until the wire is quiet.
    // `drop` decides which to lose.
    template <typename Drop>
    void deliver_if(Drop drop) {
        bool progress = true;
        while (progress) {
            progress = false;
            while (client_read < client.host.sent.size()) {
                const Wire w = client.host.sent[client_read++];
                progress = true;
                if (drop(true, w)) {
                    lost.emplace_back(true, w);
                    continue;
                }
                to_server(w);
            }
            while (server_read < server.host.sent.size()) {
                const Wire w = server.host.sent[server_read++];
                progress = true;
                if (drop(false, w)) {
                    lost.emplace_back(false, w);
                    continue;
                }
                to_client(w);
            }
        }
    }
    void deliver() {
        deliver_if([](bool, const Wire&) { return false; });
    }
    void to_server(const Wire& w) {
        if (server.conn && server.conn->state() != State::kClosed) server.conn->on_segment(parse(server_keep(w)), now);
        else to_listener(parse(server_keep(w)));
    }
    void to_client(const Wire& w) {
        if (client.conn->state() != State::kClosed) client.conn->on_segment(parse(client_keep(w)), now);
    }
    // Keeps delivered bytes alive (segments point into them).
    const Wire& server_keep(const Wire& w) { return server_inbox.emplace_back(w); }
    const Wire& client_keep(const Wire& w) { return client_inbox.emplace_back(w); }

    // Runs both endpoints' timers up to `until`, delivering what they send.
    void advance(Duration d) { advance_to(now + d); }
    void advance_to(Instant until) {
        for (;;) {
            std::optional<Instant> next;
            for (Connection* c : {client.conn.get(), server.conn.get()}) {
                if (!c) continue;
                if (auto t = c->next_deadline(); t && (!next || *t < *next)) next = t;
            }
            if (!next || *next > until) break;
            now = std::max(now, *next);
            for (Connection* c : {client.conn.get(), server.conn.get()}) {
                if (c && c->next_deadline() && *c->next_deadline() <= now) c->on_timer(now);
            }
            deliver();
        }
        now = until;
    }

    // Segments a side sent since `from` (an index into its host's sent list), described.
    static std::vector<std::string> texts(const TestHost& h, std::size_t from = 0) {
        std::vector<std::string> out;
        for (std::size_t i = from; i < h.sent.size(); ++i) out.push_back(describe(h.sent[i]));
        return out;
    }

    // Builds a segment "from the peer" addressed to `to` and hands it over.
    Segment make(const Inject& in) {
        wire::TcpOptionsBuilder o;
        if (in.ts) o.nop().nop().timestamps(in.ts->first, in.ts->second);
        if (in.extra_options.size() != 0) o.raw(in.extra_options.bytes());
        wire::TcpBuilder b;
        b.source_port = in.to_server ? kClientPort : kServerPort;
        b.destination_port = in.to_server ? kServerPort : kClientPort;
        b.seq = Seq32(in.seq);
        b.ack = Seq32(in.ack);
        b.flags = in.flags;
        b.window = in.window;
        b.options = o.bytes();
        Wire w;
        w.bytes = in.to_server ? b.build(in.payload, kClientAddress.v4(), kServerAddress.v4())
                               : b.build(in.payload, kServerAddress.v4(), kClientAddress.v4());
        const Wire& kept = injected.emplace_back(std::move(w));
        return parse(kept);
    }

    std::deque<Wire> server_inbox;
    std::deque<Wire> client_inbox;
    std::deque<Wire> injected;
};

// The client's current TSval and what it would echo.
inline std::uint32_t tsval(const Pair& p, std::uint32_t offset) { return ts_clock(p.now, offset); }

// Brings a pair through the handshake: both ESTABLISHED.
inline void established(Pair& p) {
    p.connect();
    p.deliver();
    ASSERT_EQ(p.client.conn->state(), State::kEstablished);
    ASSERT_TRUE(p.server.conn);
    ASSERT_EQ(p.server.conn->state(), State::kEstablished);
}

// An established pair seen from the client: what the peer sends it (inject) and what it answers (replies).
struct EstablishedClient : ::testing::Test {
    Pair p;
    std::size_t sent0 = 0;
    void SetUp() override {
        established(p);
        sent0 = p.client.host.sent.size();
    }
    void inject(const Inject& in) { p.client.conn->on_segment(p.make(in), p.now); }
    std::vector<std::string> replies() const { return Pair::texts(p.client.host, sent0); }
    std::uint64_t mib(Counter c) const { return p.client.host.counters.get(c); }
};

}  // namespace synack::tcp::test
