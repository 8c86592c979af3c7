#include "tools/gauntlet/run.hpp"

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "api/socket_api.hpp"
#include "runtime/stack_node.hpp"
#include "tools/gauntlet/digest.hpp"
#include "tools/gauntlet/peer.hpp"

namespace synack::tools::gauntlet {

namespace {

using namespace std::chrono_literals;

constexpr std::uint16_t kPort = 5001;
// Far more events than any run needs (a 64 MiB transfer each way at MTU 576 takes a few million): past it a
// stack is taken to be spinning.
constexpr std::uint64_t kMaxEvents = 100'000'000;

runtime::TwoHostConfig network_config(const Scenario& s) {
    runtime::TwoHostConfig c;
    c.seed = s.network_seed;
    c.mtu = s.mtu;
    c.client_to_server = s.client_to_server;
    c.server_to_client = s.server_to_client;
    return c;
}

std::string seconds_text(Duration d) {
    return fmt::format("{:.3f} s", std::chrono::duration<double>(d).count());
}

bool give_up_errno(api::Errno e) {
    // ETIMEDOUT: a side gave up (tcp_write_timeout(), or the handshake's retries); ECONNRESET: the other side's
    // stack no longer knows the connection and answers with a reset; EPIPE: a send after that.
    return e == api::Errno::kTimedOut || e == api::Errno::kConnReset || e == api::Errno::kPipe;
}

std::string side_error(const char* name, const Peer& p) {
    if (!p.failed()) return fmt::format("{} {}", name, p.connected() ? "completed" : "no connection");
    return fmt::format("{} {} {}", name, p.failed_call(), api::errno_name(p.error()));
}

// What is left in one stack after the run: empty when nothing.
std::string leftovers(const char* name, const stack::Stack& st, const api::SocketApi& api) {
    std::string out;
    auto add = [&](std::string what) {
        out += out.empty() ? fmt::format("{} stack holds ", name) : ", ";
        out += what;
    };
    if (st.connection_count() != 0) add(fmt::format("{} connection(s)", st.connection_count()));
    if (st.request_count() != 0) add(fmt::format("{} request entr(ies)", st.request_count()));
    if (st.time_wait_count() != 0) add(fmt::format("{} time-wait entr(ies)", st.time_wait_count()));
    if (st.next_deadline()) add("a pending timer");
    if (st.buffer_bytes_outstanding() != 0) add(fmt::format("{} B of buffers", st.buffer_bytes_outstanding()));
    if (api.open_count() != 0) add(fmt::format("{} open descriptor(s)", api.open_count()));
    return out;
}

class Run {
public:
    Run(const Scenario& s, const RunOptions& o)
        : scenario_(s),
          options_(o),
          net_(network_config(s)),
          client_api_(net_.client()),
          server_api_(net_.server()),
          client_(Peer::Role::kClient, client_api_, s.client, s.server, s.close_order == CloseOrder::kServerFirst,
                  o.keepalive),
          server_(Peer::Role::kServer, server_api_, s.server, s.client, s.close_order == CloseOrder::kClientFirst,
                  o.keepalive) {}

    RunResult go() {
        if (std::string e = open_taps(); !e.empty()) return fail(e);
        net_.network().observe(net_.link(), [this](const runtime::LinkEvent& e) {
            digest_.add(e);
            if (e.kind == runtime::LinkEventKind::DroppedMtu && oversize_.empty()) {
                oversize_ = fmt::format("the {} sent a {}-byte packet on its {}-byte MTU interface at {}",
                                        e.direction == runtime::LinkDirection::AToB ? "client" : "server",
                                        e.packet.size(), scenario_.mtu, seconds_text(e.time - start_));
            }
        });
        if (options_.on_network) options_.on_network(net_);
        start_ = net_.now();
        const int family = scenario_.ipv6 ? api::abi::kAfInet6 : api::abi::kAfInet;
        const api::SockAddr any = scenario_.ipv6 ? api::SockAddr::v6(wire::IpAddress{}, kPort)
                                                 : api::SockAddr::v4(wire::Ipv4Address{}, kPort);
        const api::SockAddr server = scenario_.ipv6 ? api::SockAddr::v6(net_.server_v6(), kPort)
                                                    : api::SockAddr::v4(net_.server_v4().v4(), kPort);
        if (!server_.start(family, any, net_.server_now())) {
            return fail("the server could not listen: " + server_.status());
        }
        if (!client_.start(family, server, net_.client_now())) {
            return fail("the client could not connect: " + client_.status());
        }
        net_.wake();

        const std::string transfer_failure = transfer();
        result_.transfer_time = net_.now() - start_;
        if (!transfer_failure.empty()) return finish(fail(transfer_failure));
        std::string verdict = judge();
        if (std::string e = settle(); !e.empty() && verdict.empty()) verdict = e;
        if (!verdict.empty()) return finish(fail(verdict));
        result_.passed = true;
        return finish(std::move(result_));
    }

private:
    std::string open_taps() {
        if (!options_.pcap.empty()) {
            if (auto t = net_.network().tap(net_.link(), options_.pcap, runtime::TapPoint::Sender); !t) {
                return options_.pcap + ": " + t.error();
            }
        }
        if (!options_.pcap_received.empty()) {
            if (auto t = net_.network().tap(net_.link(), options_.pcap_received, runtime::TapPoint::Receiver); !t) {
                return options_.pcap_received + ": " + t.error();
            }
        }
        return {};
    }

    // Steps the network one event at a time, letting both applications act after each, until both have closed.
    // Returns a failure (time limit, runaway) or empty.
    std::string transfer() {
        const Instant limit = start_ + options_.time_limit;
        runtime::SimNetwork& sim = net_.network();
        auto progress = [&] {
            return client_.verifier().delivered() + server_.verifier().delivered() + (client_.done() ? 1 : 0) +
                   (server_.done() ? 1 : 0) + (client_.failed() ? 1 : 0) + (server_.failed() ? 1 : 0);
        };
        std::uint64_t last_progress = progress();
        Instant last_progress_at = start_;
        while (!(client_.done() && server_.done())) {
            const std::optional<Instant> next = sim.next_event_time();
            if (!next) {
                // Nothing left to happen. A server whose client's handshake gave up has nobody to accept:
                // it closes its listener. Anyone else still waiting is judged by judge().
                if (client_.failed() && !server_.connected() && !server_.done()) {
                    server_.abandon(net_.server_now());
                    net_.wake();
                    continue;
                }
                stalled_ = true;
                return {};
            }
            if (*next > limit) {
                return fmt::format("not finished after {} of virtual time: client {}; server {}",
                                   seconds_text(options_.time_limit), client_.status(), server_.status());
            }
            if (*next > last_progress_at + options_.progress_limit) {
                return fmt::format("no byte delivered for {} of virtual time (from {}): client {}; server {}",
                                   seconds_text(options_.progress_limit), seconds_text(last_progress_at - start_),
                                   client_.status(), server_.status());
            }
            if (sim.events_processed() > kMaxEvents) {
                return fmt::format("more than {} events at {} of virtual time (a stack spinning?): client {}; "
                                   "server {}",
                                   kMaxEvents, seconds_text(net_.now() - start_), client_.status(), server_.status());
            }
            sim.step();
            const bool c = client_.service(net_.client_now());
            const bool s = server_.service(net_.server_now());
            if (c || s) net_.wake();
            if (const std::uint64_t p = progress(); p != last_progress) {
                last_progress = p;
                last_progress_at = net_.now();
            }
        }
        return {};
    }

    // Whether what the applications saw is a correct outcome; empty if so.
    std::string judge() {
        // A stack never sends more than its interface's MTU (the link's): TCP segments are cut to the MSS minus
        // the options they carry (Linux tcp_current_mss()).
        if (!oversize_.empty()) return oversize_;
        // Every byte delivered was the right byte at the right offset (StreamVerifier), whatever else happened.
        if (!server_.verifier().ok()) return "client → server stream: " + server_.verifier().failure();
        if (!client_.verifier().ok()) return "server → client stream: " + client_.verifier().failure();
        if (!client_.failed() && !server_.failed()) {
            if (stalled_) {
                return fmt::format("stalled: no event left to happen, no error reported: client {}; server {}",
                                   client_.status(), server_.status());
            }
            if (!client_.verifier().complete() || !server_.verifier().complete()) {
                return fmt::format("incomplete without an error: client {}; server {}", client_.status(),
                                   server_.status());
            }
            result_.outcome = "complete";
            return {};
        }
        // A give-up: it must start with a timeout somewhere, and each side must either report it (or the reset
        // that follows) or have finished its own part already.
        const Peer* sides[] = {&client_, &server_};
        bool timed_out = false;
        for (const Peer* p : sides) {
            if (p->failed() && !give_up_errno(p->error())) {
                return fmt::format("unexpected error: client {}; server {}", client_.status(), server_.status());
            }
            timed_out |= p->error() == api::Errno::kTimedOut;
        }
        // A connection whose application had closed it (an orphan) times out without anyone to tell; the
        // stack counts it (Linux tcp_write_err(): TCPAbortOnTimeout), and the reset it causes is legitimate.
        const std::uint64_t client_aborts = net_.client().counters().get(tcp::Counter::kTcpAbortOnTimeout);
        const std::uint64_t server_aborts = net_.server().counters().get(tcp::Counter::kTcpAbortOnTimeout);
        timed_out |= client_aborts + server_aborts > 0;
        if (!timed_out) {
            return fmt::format("a reset with no side giving up: client {}; server {}", client_.status(),
                               server_.status());
        }
        for (const Peer* p : sides) {
            if (p->failed()) continue;
            const bool finished = p->saw_eof() && p->verifier().complete() && p->done();
            const bool never_connected = p == &server_ && !server_.connected() && !client_.connected();
            if (!finished && !never_connected) {
                return fmt::format("one side gave up and the other never learnt: client {}; server {}",
                                   client_.status(), server_.status());
            }
        }
        result_.outcome = fmt::format("gave up: {}, {}", side_error("client", client_), side_error("server", server_));
        if (client_aborts + server_aborts > 0) {
            result_.outcome += fmt::format(" (TCPAbortOnTimeout: client {}, server {})", client_aborts, server_aborts);
        }
        return {};
    }

    // Lets every timer run out (TIME_WAIT, FIN_WAIT_2, orphans' retransmissions), then checks that nothing is
    // left: no connection, request or time-wait entry, no timer, no buffer, no descriptor, nothing on the link.
    std::string settle() {
        if (!client_.done()) client_.abandon(net_.client_now());
        if (!server_.done()) server_.abandon(net_.server_now());
        net_.wake();
        runtime::SimNetwork& sim = net_.network();
        const Instant closed = net_.now();
        const Instant limit = closed + options_.settle_limit;
        sim.run_until(closed + 61s);  // past TIME_WAIT (60 s) even if no timer said so
        while (const std::optional<Instant> next = sim.next_event_time()) {
            if (*next > limit) {
                return fmt::format("timers still pending {} after both closed: {}", seconds_text(options_.settle_limit),
                                   leftovers("client", net_.client(), client_api_) + " " +
                                       leftovers("server", net_.server(), server_api_));
            }
            sim.step();
        }
        std::string left = leftovers("client", net_.client(), client_api_);
        if (std::string s = leftovers("server", net_.server(), server_api_); !s.empty()) {
            left += (left.empty() ? "" : "; ") + s;
        }
        const device::SimLink& up = sim.link(net_.link(), runtime::LinkDirection::AToB);
        const device::SimLink& down = sim.link(net_.link(), runtime::LinkDirection::BToA);
        if (up.in_flight() + down.in_flight() != 0) {
            left += (left.empty() ? "" : "; ") +
                    fmt::format("{} packet(s) still on the link", up.in_flight() + down.in_flight());
        }
        if (!left.empty()) return fmt::format("after {} of settling: {}", seconds_text(net_.now() - closed), left);
        return {};
    }

    RunResult fail(std::string reason) {
        result_.passed = false;
        result_.reason = std::move(reason);
        return std::move(result_);
    }

    RunResult finish(RunResult r) {
        if (auto f = net_.network().flush_taps(); !f && r.passed) {
            r.passed = false;
            r.reason = "pcap: " + f.error();
        }
        r.digest = digest_.value();
        r.packets = digest_.packets();
        r.bytes_delivered = client_.verifier().delivered() + server_.verifier().delivered();
        r.events = net_.network().events_processed();
        r.virtual_time = net_.now() - start_;
        r.link_counters = counters_text("c→s", runtime::LinkDirection::AToB) + "; " +
                          counters_text("s→c", runtime::LinkDirection::BToA);
        return r;
    }

    std::string counters_text(const char* name, runtime::LinkDirection d) {
        const device::SimLinkCounters& c = net_.network().link(net_.link(), d).counters();
        return fmt::format("{} sent {} lost {} dup {} corrupt {} reorder {} mtu-drop {} queue-drop {}", name, c.sent,
                           c.lost, c.duplicated, c.corrupted, c.reordered, c.dropped_mtu, c.dropped_queue);
    }

    const Scenario& scenario_;
    const RunOptions& options_;
    runtime::TwoHostNetwork net_;
    api::SocketApi client_api_;
    api::SocketApi server_api_;
    Peer client_;
    Peer server_;
    LinkDigest digest_;
    Instant start_{};
    bool stalled_ = false;
    std::string oversize_;  // the first packet the link refused for its size
    RunResult result_;
};

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
    // Big (the stacks' tables and the link pools): on the heap.
    auto run = std::make_unique<Run>(scenario, options);
    return run->go();
}

}  // namespace synack::tools::gauntlet
