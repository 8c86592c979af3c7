// `synack demo`: the founding documents' annotated capture, made live. Two stacks in the simulator — a client
// and a Redis-like server on port 6379 — joined by one link; the client connects, sends the RESP command PING
// (`*1\r\n$4\r\nping\r\n`), the server answers `+PONG\r\n`, and the connection closes the way --close says.
// Every segment is printed as `tcpdump -nn` prints the link's capture (the dump printer, LINKTYPE_RAW, the
// virtual time as the time stamp), and between them, indented, what each side's stack reports: its state
// transitions (from the trace sink), the retransmission timers that fire, the packets it drops, and the
// packets the link loses. Time stamps are printed in UTC, so a run reads the same on every machine.
#include "tools/demo_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "device/capture_record.hpp"
#include "device/pcap_writer.hpp"
#include "runtime/stack_node.hpp"
#include "stack/stack.hpp"
#include "stack/trace.hpp"
#include "tcp/errno.hpp"
#include "tools/dump/options.hpp"
#include "tools/dump/printer.hpp"

namespace synack::tools {
namespace {

constexpr std::uint16_t kRedisPort = 6379;
constexpr std::string_view kPing = "*1\r\n$4\r\nping\r\n";
constexpr std::string_view kPong = "+PONG\r\n";
// --isn-wrap: the client's data (14 bytes after SYN at 2^32 - 5) and the server's (7 bytes after SYN-ACK at
// 2^32 - 2) both cross 2^32.
constexpr std::uint32_t kWrapClientIsn = 0xfffffffbu;
constexpr std::uint32_t kWrapServerIsn = 0xfffffffeu;
constexpr Duration kLinkDelay = std::chrono::milliseconds(1);
constexpr Duration kGiveUp = std::chrono::minutes(10);  // of virtual time
constexpr std::uint64_t kMaxEvents = 1'000'000;         // a few dozen make a run; more means a stack spins

enum class CloseMode { Client, Server, Simultaneous };

struct DemoOptions {
    CloseMode close = CloseMode::Client;
    double loss_percent = 0;
    std::uint64_t seed = 1;
    bool isn_wrap = false;
    bool ipv6 = false;
    std::string pcap;
    dump::Options print;
};

wire::Bytes bytes_of(std::string_view s) {
    return wire::Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

device::CaptureTimestamp capture_time(Instant t) {
    const auto ns = t.time_since_epoch().count();
    return {ns / 1'000'000'000, static_cast<std::uint32_t>(ns % 1'000'000'000)};
}

// HH:MM:SS.ffffff in UTC, as the packet lines print it.
std::string clock_text(Instant t) {
    const device::CaptureTimestamp ts = capture_time(t);
    const std::time_t seconds = static_cast<std::time_t>(ts.seconds);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return fmt::format("{:02}:{:02}:{:02}.{:06}", tm.tm_hour, tm.tm_min, tm.tm_sec, ts.nanoseconds / 1000);
}

// Everything printed, in the order it happened: packet lines from the link, notes from the stacks' traces. A
// note says when it happened only if no packet was sent or arrived at that moment, just before or just after.
class Transcript {
public:
    Transcript(const dump::Options& options, Instant start)
        : printer_(options, static_cast<std::uint32_t>(device::LinkType::Raw)), last_event_(start) {}

    void packet(Instant at, wire::Bytes bytes) {
        flush_notes(at);
        device::CaptureRecord record;
        record.timestamp = capture_time(at);
        record.wire_length = static_cast<std::uint32_t>(bytes.size());
        record.data = bytes;
        printer_.print(record, ++packets_);
        last_event_ = at;
        flush();
    }
    void arrived(Instant at) {
        flush_notes(at);
        last_event_ = at;
    }
    void note(Instant at, std::string text) { notes_.push_back({at, std::move(text)}); }
    void line(std::string_view text) {
        flush_notes(std::nullopt);
        printer_.output().print("{}\n", text);
        flush();
    }
    void finish() {
        flush_notes(std::nullopt);
        flush();
    }

private:
    struct Note {
        Instant at;
        std::string text;
    };
    void flush_notes(std::optional<Instant> next_event) {
        for (const Note& n : notes_) {
            if (n.at == last_event_ || n.at == next_event) {
                printer_.output().print("    {}\n", n.text);
            } else {
                printer_.output().print("    {} (at {})\n", n.text, clock_text(n.at));
            }
        }
        notes_.clear();
    }
    void flush() { printer_.output().flush_to(stdout); }

    dump::PacketPrinter printer_;
    Instant last_event_;
    std::vector<Note> notes_;
    std::uint64_t packets_ = 0;
};

// What one host's stack tells: its state transitions, the retransmission timers that fire, its drops.
class HostTrace final : public stack::TraceSink {
public:
    HostTrace(std::string name, Transcript& transcript, const runtime::StackNode& node)
        : name_(std::move(name)), transcript_(transcript), node_(node) {}

    void transition(Instant now, const tcp::FlowTuple&, stack::ConnectionId, tcp::State from, tcp::State to) override {
        transcript_.note(network_time(now),
                         fmt::format("{}: {} → {}", name_, tcp::to_string(from), tcp::to_string(to)));
    }
    void drop(Instant now, stack::InterfaceId, tcp::DropReason reason, const tcp::FlowTuple*) override {
        transcript_.note(network_time(now),
                         fmt::format("{}: drops an arriving segment ({})", name_, tcp::to_string(reason)));
    }
    void timer(Instant now, const tcp::FlowTuple&, stack::ConnectionId, tcp::TimerKind kind) override {
        switch (kind) {
            case tcp::TimerKind::kRetransmit:
                transcript_.note(network_time(now), fmt::format("{}: retransmission timeout", name_));
                break;
            case tcp::TimerKind::kSynAck:
                transcript_.note(network_time(now), fmt::format("{}: SYN-ACK retransmission timeout", name_));
                break;
            default: break;  // delayed ACKs, keep-alives, …: their segments speak for themselves
        }
    }

private:
    Instant network_time(Instant local) const { return local - node_.clock_offset(); }

    std::string name_;
    Transcript& transcript_;
    const runtime::StackNode& node_;
};

std::string percent_text(double p) { return fmt::format("{:g}%", p); }

runtime::TwoHostConfig network_config(const DemoOptions& o) {
    runtime::TwoHostConfig config;
    config.seed = o.seed;
    config.client_to_server.delay = kLinkDelay;
    config.server_to_client.delay = kLinkDelay;
    config.client_to_server.loss = o.loss_percent / 100.0;
    config.server_to_client.loss = o.loss_percent / 100.0;
    return config;
}

stack::Endpoint server_endpoint(const runtime::TwoHostNetwork& net, bool ipv6) {
    return {ipv6 ? net.server_v6() : net.server_v4(), kRedisPort};
}

// The two applications: a client that connects, sends PING, reads PONG; a server that accepts, reads PING,
// answers PONG; each closes when --close says, and when it reads the end of the stream.
class Applications {
public:
    Applications(runtime::TwoHostNetwork& net, Transcript& transcript, const DemoOptions& options)
        : net_(net), transcript_(transcript), options_(options) {}

    // listen() and connect(): the calls a rehearsal for --isn-wrap repeats.
    static Result<void, std::string> start(runtime::TwoHostNetwork& net, bool ipv6, stack::ListenerId& listener,
                                           stack::ConnectionId& client, Transcript* transcript = nullptr) {
        auto l = net.server().listen(server_endpoint(net, ipv6), 128);
        if (!l) return Err{fmt::format("listen: {}", tcp::to_string(l.error()))};
        listener = *l;
        // A listening socket is not traced (no connection yet): its CLOSED → LISTEN is told here.
        if (transcript != nullptr) transcript->note(net.now(), "server: CLOSED → LISTEN");
        auto c = net.client().connect(server_endpoint(net, ipv6), net.client_now());
        if (!c) return Err{fmt::format("connect: {}", tcp::to_string(c.error()))};
        client = *c;
        return {};
    }

    Result<void, std::string> start() { return start(net_, options_.ipv6, listener_, client_, &transcript_); }

    // Lets both applications act on what their sockets say now.
    void poll() {
        poll_client();
        poll_server();
    }

    bool finished() const noexcept { return failed_ || (client_closed_ && server_closed_); }
    bool failed() const noexcept { return failed_; }
    bool exchanged() const noexcept { return client_in_ == kPong && server_in_ == kPing; }

private:
    void poll_client() {
        if (client_closed_) return;
        stack::Stack& s = net_.client();
        const tcp::Connection* c = s.connection(client_);
        if (c == nullptr) return;
        if (const tcp::Errno e = c->pending_error(); e != tcp::Errno::kOk) {
            transcript_.note(net_.now(), fmt::format("client: the connection failed: {}", tcp::to_string(e)));
            failed_ = true;
            close_client();
            return;
        }
        if (!ping_sent_ && c->state() == tcp::State::kEstablished) {
            if (s.send(client_, bytes_of(kPing), net_.client_now())) ping_sent_ = true;
        }
        if (const bool at_eof = read(s, client_, client_in_, net_.client_now()); at_eof) {
            close_client();  // the server closed first: close back
            return;
        }
        if (client_in_ == kPong) {
            if (options_.close == CloseMode::Client) close_client();
            if (options_.close == CloseMode::Simultaneous) {
                close_client();  // both applications close at the same moment: the FINs cross
                close_server();
            }
        }
    }

    void poll_server() {
        if (server_closed_) return;
        stack::Stack& s = net_.server();
        if (!server_) {
            if (auto a = s.accept(listener_, net_.server_now())) server_ = *a;
            else return;
        }
        const tcp::Connection* c = s.connection(server_);
        if (c == nullptr) return;
        if (const tcp::Errno e = c->pending_error(); e != tcp::Errno::kOk) {
            transcript_.note(net_.now(), fmt::format("server: the connection failed: {}", tcp::to_string(e)));
            failed_ = true;
            close_server();
            return;
        }
        const bool at_eof = read(s, server_, server_in_, net_.server_now());
        if (!pong_sent_ && server_in_ == kPing) {
            if (s.send(server_, bytes_of(kPong), net_.server_now())) pong_sent_ = true;
            if (options_.close == CloseMode::Server) close_server();
        }
        if (at_eof) close_server();  // the client closed first: close back
    }

    // Reads what is there into `into`; true at the end of the stream.
    static bool read(stack::Stack& s, stack::ConnectionId id, std::string& into, Instant now) {
        const tcp::Connection* c = s.connection(id);
        if (c == nullptr || (c->poll() & tcp::poll_bits::kIn) == 0) return false;
        for (;;) {
            std::uint8_t buffer[256];
            auto got = s.recv(id, buffer, now);
            if (!got) return false;  // EAGAIN (or an error, which pending_error() reports)
            if (*got == 0) return true;
            into.append(reinterpret_cast<const char*>(buffer), *got);
        }
    }

    void close_client() {
        if (client_closed_) return;
        client_closed_ = true;
        (void)net_.client().close(client_, net_.client_now());
    }
    void close_server() {
        if (server_closed_) return;
        server_closed_ = true;
        if (server_) (void)net_.server().close(server_, net_.server_now());
        (void)net_.server().close_listener(listener_, net_.server_now());
    }

    runtime::TwoHostNetwork& net_;
    Transcript& transcript_;
    const DemoOptions& options_;
    stack::ListenerId listener_{};
    stack::ConnectionId client_{};
    stack::ConnectionId server_{};
    std::string client_in_;
    std::string server_in_;
    bool ping_sent_ = false;
    bool pong_sent_ = false;
    bool client_closed_ = false;
    bool server_closed_ = false;
    bool failed_ = false;
};

std::string header(const runtime::TwoHostNetwork& net, const DemoOptions& o) {
    const bool v6 = o.ipv6;
    std::string text = fmt::format(
        "synack demo: client {} and server {} port {} on one simulated link ({} ms each way, MTU {}",
        (v6 ? net.client_v6() : net.client_v4()).to_string(), (v6 ? net.server_v6() : net.server_v4()).to_string(),
        kRedisPort, std::chrono::duration_cast<std::chrono::milliseconds>(kLinkDelay).count(), net.config().mtu);
    if (o.loss_percent > 0) text += fmt::format(", {} loss each way", percent_text(o.loss_percent));
    text += fmt::format("), seed {}", o.seed);
    switch (o.close) {
        case CloseMode::Client: text += "; the client closes first"; break;
        case CloseMode::Server: text += "; the server closes first"; break;
        case CloseMode::Simultaneous: text += "; both close at once"; break;
    }
    if (o.isn_wrap) text += fmt::format(", ISNs {} and {} (2^32 - 5, 2^32 - 2)", kWrapClientIsn, kWrapServerIsn);
    return text;
}

int run(const DemoOptions& options) {
    runtime::TwoHostConfig config = network_config(options);
    if (options.isn_wrap) {
        auto offsets = runtime::isn_clock_offsets(
            config,
            [&](runtime::TwoHostNetwork& rehearsal) {
                stack::ListenerId l;
                stack::ConnectionId c;
                (void)Applications::start(rehearsal, options.ipv6, l, c);
            },
            wire::Seq32(kWrapClientIsn), wire::Seq32(kWrapServerIsn));
        if (!offsets) {
            std::fprintf(stderr, "synack demo: --isn-wrap: %s\n", offsets.error().c_str());
            return 1;
        }
        config.client_clock_offset = offsets->client;
        config.server_clock_offset = offsets->server;
    }

    runtime::TwoHostNetwork net(config);
    Transcript transcript(options.print, net.now());
    HostTrace client_trace("client", transcript, net.client_node());
    HostTrace server_trace("server", transcript, net.server_node());
    net.client().set_trace_sink(&client_trace);
    net.server().set_trace_sink(&server_trace);
    if (!options.pcap.empty()) {
        if (auto tapped = net.network().tap(net.link(), options.pcap, runtime::TapPoint::Sender,
                                            device::TimestampPrecision::Micro);
            !tapped) {
            std::fprintf(stderr, "synack demo: %s: %s\n", options.pcap.c_str(), tapped.error().c_str());
            return 1;
        }
    }
    net.network().observe(net.link(), [&](const runtime::LinkEvent& e) {
        const char* to = e.direction == runtime::LinkDirection::AToB ? "server" : "client";
        switch (e.kind) {
            case runtime::LinkEventKind::Sent: transcript.packet(e.time, e.packet); break;
            case runtime::LinkEventKind::Lost:
                transcript.note(e.time, fmt::format("lost on the link: the {} never sees it", to));
                break;
            case runtime::LinkEventKind::Delivered: transcript.arrived(e.time); break;
            case runtime::LinkEventKind::DroppedMtu:
            case runtime::LinkEventKind::DroppedQueue:
                transcript.note(e.time, "dropped by the link");
                break;
        }
    });

    transcript.line(header(net, options));
    Applications apps(net, transcript, options);
    if (auto started = apps.start(); !started) {
        std::fprintf(stderr, "synack demo: %s\n", started.error().c_str());
        return 1;
    }
    net.wake();
    const Instant give_up = net.now() + kGiveUp;
    std::uint64_t events = 0;
    while (net.network().next_event_time() && *net.network().next_event_time() <= give_up) {
        if (++events > kMaxEvents) {
            transcript.finish();
            std::fprintf(stderr, "synack demo: the simulation did not settle after %llu events\n",
                         static_cast<unsigned long long>(kMaxEvents));
            return 1;
        }
        net.network().step();
        apps.poll();
        net.wake();  // the applications' calls may have set new timers
    }
    transcript.finish();
    std::fflush(stdout);
    if (!options.pcap.empty()) {
        if (auto flushed = net.network().flush_taps(); !flushed) {
            std::fprintf(stderr, "synack demo: %s: %s\n", options.pcap.c_str(), flushed.error().c_str());
            return 1;
        }
    }
    if (apps.failed() || !apps.exchanged()) {
        std::fprintf(stderr, "synack demo: the exchange did not complete\n");
        return 1;
    }
    return 0;
}

}  // namespace

int demo_main(int argc, char** argv) {
    CLI::App app{"Two simulated hosts: a client sends a Redis PING, the server answers PONG, they close; every "
                 "segment printed as tcpdump -nn prints it, with each side's state transitions.",
                 "synack demo"};
    DemoOptions options;
    std::string close = "client";
    int verbose = 0;
    int hex = 0;
    int hex_ascii = 0;
    app.add_option("--close", close, "Who closes first: client, server or simultaneous (the FINs cross)")
        ->check(CLI::IsMember({"client", "server", "simultaneous"}))
        ->capture_default_str();
    app.add_option("--loss", options.loss_percent, "Lose P percent of the packets, each direction")
        ->check(CLI::Range(0.0, 99.0))
        ->type_name("P");
    app.add_option("--seed", options.seed, "The simulation's seed: the same seed, the same run")
        ->capture_default_str()
        ->type_name("N");
    app.add_flag("--isn-wrap", options.isn_wrap,
                 "ISNs just below 2^32, so the sequence numbers wrap mid-connection (implies -S)");
    app.add_flag("--ipv6", options.ipv6, "Over IPv6 instead of IPv4");
    app.add_option("--pcap", options.pcap, "Also write the link's packets to a pcap file")->type_name("FILE");
    app.add_flag("--explain", options.print.explain, "After each segment, a line on its role in the connection");
    app.add_flag("-S", options.print.absolute_seq, "Absolute TCP sequence numbers");
    app.add_flag("-v", verbose, "More detail (-v, -vv, -vvv), as tcpdump");
    app.add_flag("-x", hex, "Hex dump of each packet");
    app.add_flag("-X", hex_ascii, "Hex and ASCII dump of each packet");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    options.close = close == "server" ? CloseMode::Server
                    : close == "simultaneous" ? CloseMode::Simultaneous
                                              : CloseMode::Client;
    options.print.numeric = 2;  // -nn
    options.print.verbose = verbose;
    options.print.hex = hex;
    options.print.hex_ascii = hex_ascii;
    if (options.isn_wrap) options.print.absolute_seq = true;
    // The virtual clock starts at 2025-01-01 00:00:00 UTC; print it as UTC wherever the demo runs.
    setenv("TZ", "UTC", 1);
    tzset();
    return run(options);
}

}  // namespace synack::tools
