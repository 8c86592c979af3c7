#include "tools/drill/runner.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "api/abi.hpp"
#include "tools/drill/call_eval.hpp"
#include "tools/drill/code_block.hpp"
#include "tools/drill/commands.hpp"
#include "tools/drill/packet_codec.hpp"

namespace synack::drill {
namespace {

// How long drill waits for an expected packet or a blocked call past its scheduled time before it calls it
// missing (packetdrill's sniffing timeout).
constexpr Usecs kMissingAfter = 2'000'000;

// Ends the script: thrown inside the runner only, caught by run_script().
struct Stop {
    ScriptResult result;
};

std::string seconds(Usecs t) { return fmt::format("{:.6f}", static_cast<double>(t) / 1e6); }

class Runner {
public:
    Runner(const Script& script, const DrillOptions& options, const NetworkSettings& network, Backend& backend,
           std::FILE* trace)
        : script_(script),
          options_(options),
          network_(network),
          backend_(backend),
          trace_(trace),
          context_{network_, options_},
          codec_(CodecSettings{.network = network,
                               .bind_port = options.bind_port,
                               .connect_port = options.connect_port,
                               .remote_port = 0,
                               .tcp_ts_tick_usecs = options.tcp_ts_tick_usecs,
                               .strict_segments = options.strict_segments,
                               .tolerance_usecs = options.tolerance_usecs,
                               .tcp_ts_ecr_scaled = options.tcp_ts_ecr_scaled}) {}

    ScriptResult run() {
        for (const Event& e : script_.events) {
            event_ = &e;
            check_order(e);
            const Usecs start = scheduled_start(e);
            switch (e.body.index()) {
            case 0: run_packet(e, std::get<PacketEvent>(e.body), start); break;
            case 1: run_syscall(e, std::get<SyscallEvent>(e.body), start); break;
            case 2: run_command(e, std::get<CommandEvent>(e.body), start); break;
            default: run_code(e, std::get<CodeEvent>(e.body), start); break;
            }
            last_event_ = &e;
            last_time_ = start;
            last_blocked_ = blocked_now_;
            blocked_now_ = false;
        }
        if (pending_) await_pending();
        // What the last events made the stack send must have been expected too: let one tolerance pass and
        // take what came (packetdrill would only notice at a later expected packet; a script's end has none).
        wait_until(backend_.now() + options_.tolerance_usecs);
        if (!sent_.empty()) {
            fail(last_event_ != nullptr ? last_event_->line : 0, "unexpected outbound packet after the last event",
                 {"actual: " + codec_.live_text(sent_.front().packet)});
        }
        return ScriptResult{};
    }

private:
    struct Pending {
        const Event* event = nullptr;
        Call call;
        Usecs start = 0;
        Usecs end = 0;
        bool exact = false;  // a call the script did not mark blocking: it must return at its start time
    };

    // ---- Time ----
    static bool inbound_packet(const Event* e) {
        const auto* p = e != nullptr ? std::get_if<PacketEvent>(&e->body) : nullptr;
        return p != nullptr && p->direction == Direction::kInbound;
    }

    // run.c adjust_relative_event_times(): relative times count from the previous event's scheduled time when
    // both are inbound packets, otherwise from now.
    // After a call that blocked, the next event counts from the call's start: packetdrill hands the call to its
    // thread and goes on at once, while a backend may take a moment to know the call blocked.
    Usecs base_for(const Event& e) {
        if (inbound_packet(last_event_) && inbound_packet(&e)) return last_time_;
        if (last_blocked_) return last_time_;
        return backend_.now();
    }

    Usecs scheduled_start(const Event& e) {
        switch (e.time.kind) {
        case TimeKind::kAbsolute: return e.time.start;
        case TimeKind::kRelative: return base_for(e) + e.time.start;
        case TimeKind::kAny:
        case TimeKind::kNone: return backend_.now();
        }
        return backend_.now();
    }

    std::optional<Usecs> scheduled_end(const Event& e, Usecs start) {
        if (!e.time.end) return std::nullopt;
        if (e.time.kind == TimeKind::kAbsolute) return *e.time.end;
        return start - e.time.start + *e.time.end;
    }

    // max(tolerance_usecs, tolerance_percent of the gap from `since` to `expected`): timers fire late by up to
    // 12.5 % of their length (run.c verify_time()).
    Usecs tolerance(Usecs expected, Usecs since) const {
        const auto dynamic = static_cast<Usecs>(options_.tolerance_percent / 100.0 *
                                                static_cast<double>(std::max<Usecs>(0, expected - since)));
        return std::max(options_.tolerance_usecs, dynamic);
    }
    Usecs tolerance(Usecs expected) const { return tolerance(expected, last_time_); }

    // run.c verify_time(). `since` is where the gap of the dynamic tolerance starts: the previous event, or for
    // a blocking call's return the call's own start (run_system_call.c: the last event is irrelevant there).
    void verify_time(const Event& e, Usecs start, std::optional<Usecs> end, Usecs actual, std::string_view what,
                     std::optional<Usecs> since = std::nullopt) {
        if (e.time.kind == TimeKind::kAny) return;
        const Usecs tol = tolerance(start, since.value_or(last_time_));
        const Usecs last = end.value_or(start);
        if (actual >= start - tol && actual <= last + tol) return;
        if (end) {
            fail(e.line, fmt::format("timing error: expected {} in time range {}~{} sec but happened at {} sec", what,
                                     seconds(start), seconds(*end), seconds(actual)));
        }
        fail(e.line, fmt::format("timing error: expected {} at {} sec but happened at {} sec; tolerance {} sec", what,
                                 seconds(start), seconds(actual), seconds(tol)));
    }

    // run.c get_next_event(): absolute times never go backwards.
    void check_order(const Event& e) {
        if (e.time.kind != TimeKind::kAbsolute) return;
        if (last_absolute_ && e.time.start < *last_absolute_) {
            fail(e.line, fmt::format("time goes backward in script from {} usec to {} usec", *last_absolute_,
                                     e.time.start));
        }
        last_absolute_ = e.time.start;
    }

    // run.c wait_for_event(): waits for an event's time, and fails if the runner only got there too late (a
    // packet the stack sent late, a slow call) — the event would not happen when the script says.
    void wait_for_start(const Event& e, Usecs start, std::string_view what) {
        wait_until(start);
        if (e.time.kind == TimeKind::kAny || e.time.kind == TimeKind::kNone) return;
        const Usecs now = backend_.now();
        const Usecs tol = tolerance(start);
        if (now > start + tol) {
            fail(e.line, fmt::format("timing error: expected {} at {} sec but happened at {} sec; tolerance {} sec",
                                     what, seconds(start), seconds(now), seconds(tol)));
        }
    }

    // ---- Waiting ----
    // Lets the backend run until `deadline`, keeping the packets it sends and finishing a blocked call.
    // Returns false when the deadline came.
    bool wait_once(Usecs deadline) {
        Happening h = backend_.wait(deadline);
        switch (h.kind) {
        case Happening::Kind::kDeadline: return false;
        case Happening::Kind::kPacket:
            if (trace_ != nullptr) {
                std::fprintf(trace_, "%s > %s\n", seconds(h.at).c_str(), codec_.live_text(h.packet).c_str());
            }
            sent_.push_back(std::move(h));
            return true;
        case Happening::Kind::kCallDone: complete_pending(h); return true;
        }
        return false;
    }

    void wait_until(Usecs t) {
        while (backend_.now() < t && wait_once(t)) {
        }
    }

    void await_pending() {
        const Usecs deadline = std::max(backend_.now(), pending_->end) + kMissingAfter;
        while (pending_ && wait_once(deadline)) {
        }
        if (pending_) {
            fail(pending_->event->line, fmt::format("{}() did not return (expected by {} sec)", pending_->call.name,
                                                    seconds(pending_->end)));
        }
    }

    // ---- Events ----
    void run_packet(const Event& e, const PacketEvent& p, Usecs start) {
        if (p.direction == Direction::kInbound) {
            wait_for_start(e, start, "inbound packet");
            auto bytes = codec_.build_inbound(p);
            if (!bytes) fail(e.line, bytes.error());
            if (trace_ != nullptr) {
                std::fprintf(trace_, "%s < %s\n", seconds(backend_.now()).c_str(), codec_.live_text(*bytes).c_str());
            }
            if (auto injected = backend_.inject(*bytes); !injected) fail(e.line, injected.error());
            return;
        }
        const std::optional<Usecs> end = scheduled_end(e, start);
        const Usecs deadline = std::max(backend_.now(), end.value_or(start)) + tolerance(start) + kMissingAfter;
        bool first = true;
        for (;;) {
            while (sent_.empty()) {
                if (!wait_once(deadline) && sent_.empty()) {
                    fail(e.line, "timed out waiting for outbound packet", {"script: " + codec_.expected_text(p)});
                }
            }
            Happening h = std::move(sent_.front());
            sent_.pop_front();
            const PacketCodec::Verdict v = codec_.match_outbound(p, h.packet);
            if (v.kind == PacketCodec::Verdict::Kind::kMismatch) {
                fail(e.line, "live packet field mismatch: " + v.difference,
                     {"script: " + codec_.expected_text(p), "actual: " + codec_.live_text(h.packet)});
            }
            if (first) verify_time(e, start, end, h.at, "outbound packet");
            first = false;
            if (v.kind == PacketCodec::Verdict::Kind::kMatch) return;
        }
    }

    void run_syscall(const Event& e, const SyscallEvent& s, Usecs start) {
        wait_for_start(e, start, "system call start");
        if (pending_) await_pending();
        auto built = build_call(s, context_);
        if (!built) {
            if (built.error().unsupported) skip(e.line, "unsupported: " + built.error().message);
            fail(e.line, built.error().message);
        }
        const Call& call = *built;
        // The codec learns of a connect() before it returns: its SYN may be on the wire first.
        if (call.op == CallOp::kConnect && call.address) codec_.connecting(call.address->port);

        std::optional<CallOutcome> outcome = backend_.call(call);
        const std::optional<Usecs> end = s.end ? std::optional<Usecs>(scheduled_end_of_call(e, s, start)) : std::nullopt;
        if (!outcome) {
            pending_ = Pending{&e, call, start, end.value_or(start), !end.has_value()};
            blocked_now_ = true;
            if (trace_ != nullptr) std::fprintf(trace_, "%s %s(...) blocks\n", seconds(start).c_str(), s.name.c_str());
            return;
        }
        if (end) verify_time(e, *end, std::nullopt, backend_.now(), "system call return", start);
        finish_call(e, s, call, *outcome);
    }

    Usecs scheduled_end_of_call(const Event& e, const SyscallEvent& s, Usecs start) {
        // The end of "T...E" counts from the same base as T when the times are relative.
        if (s.end->kind == TimeKind::kAbsolute) return s.end->start;
        return start - e.time.start + s.end->start;
    }

    void complete_pending(const Happening& h) {
        if (!pending_) fail(event_->line, "a system call returned that was not running");
        const Pending p = *pending_;
        pending_.reset();
        const auto& s = std::get<SyscallEvent>(p.event->body);
        if (p.exact) {
            verify_time(*p.event, p.start, std::nullopt, h.at, "system call return (the call blocked)");
        } else {
            verify_time(*p.event, p.end, std::nullopt, h.at, "system call return", p.start);
        }
        finish_call(*p.event, s, p.call, h.outcome);
    }

    void finish_call(const Event& e, const SyscallEvent& s, const Call& call, const CallOutcome& outcome) {
        if (trace_ != nullptr) {
            std::fprintf(trace_, "%s %s(...) = %s\n", seconds(backend_.now()).c_str(), s.name.c_str(),
                         outcome_text(outcome).c_str());
        }
        if (auto problem = check_outcome(s, outcome, context_)) fail(e.line, s.name + "(): " + *problem);
        if (outcome.ret < 0) return;
        switch (call.op) {
        case CallOp::kSocket:
        case CallOp::kAccept: socket_under_test_ = static_cast<int>(outcome.ret); break;
        case CallOp::kConnect: socket_under_test_ = call.fd; break;
        case CallOp::kListen: codec_.listening(bound_port(call.fd)); break;
        case CallOp::kBind:
            if (call.address) bound_ports_[call.fd] = call.address->port;
            break;
        default: break;
        }
    }

    std::uint16_t bound_port(int fd) const {
        const auto it = bound_ports_.find(fd);
        return it != bound_ports_.end() ? it->second : options_.bind_port;
    }

    void run_command(const Event& e, const CommandEvent& c, Usecs start) {
        wait_for_start(e, start, "command");
        const CommandPlan plan = plan_command(c.text);
        if (!plan.unsupported.empty()) skip(e.line, "unsupported: " + plan.unsupported);
        for (const SysctlAssignment& a : plan.sysctls) {
            const SettingOutcome o = backend_.set_sysctl(a.name, a.value);
            if (trace_ != nullptr) std::fprintf(trace_, "sysctl %s=%s\n", a.name.c_str(), a.value.c_str());
            if (o.status == SettingOutcome::Status::kUnsupported) {
                skip(e.line, "unsupported: " + a.name + "=" + a.value + ": " + o.message);
            }
            if (o.status == SettingOutcome::Status::kInvalid) fail(e.line, a.name + "=" + a.value + ": " + o.message);
        }
    }

    void run_code(const Event& e, const CodeEvent& c, Usecs start) {
        wait_for_start(e, start, "data collection for code");
        auto assertions = parse_code_block(c.text, options_);
        if (!assertions) skip(e.line, "unsupported: " + assertions.error());
        const std::optional<tcp::TcpInfo> info = backend_.tcp_info(socket_under_test_);
        if (!info) fail(e.line, "no TCP socket to read TCP_INFO from (fd " + std::to_string(socket_under_test_) + ")");
        if (auto problem = check_assertions(*assertions, *info)) fail(e.line, *problem);
    }

    // ---- Ending ----
    [[noreturn]] void fail(int line, std::string message, std::vector<std::string> details = {}) {
        throw Stop{ScriptResult{ScriptResult::Status::kFailed, line, std::move(message), std::move(details)}};
    }
    [[noreturn]] void skip(int line, std::string message) {
        throw Stop{ScriptResult{ScriptResult::Status::kSkipped, line, std::move(message), {}}};
    }

    const Script& script_;
    const DrillOptions& options_;
    NetworkSettings network_;
    Backend& backend_;
    std::FILE* trace_;
    CallContext context_;
    PacketCodec codec_;
    const Event* event_ = nullptr;
    const Event* last_event_ = nullptr;
    Usecs last_time_ = 0;
    std::optional<Usecs> last_absolute_;   // the last absolute time written, for check_order()
    bool blocked_now_ = false;             // the current event is a call that blocked
    bool last_blocked_ = false;            // the previous event was
    std::deque<Happening> sent_;           // packets the stack sent that no expected packet has taken yet
    std::optional<Pending> pending_;       // the call that blocked
    int socket_under_test_ = -1;           // the socket %{ }% blocks read TCP_INFO from
    std::map<int, std::uint16_t> bound_ports_;
};

}  // namespace

ScriptResult run_script(const Script& script, const DrillOptions& options, const NetworkSettings& network,
                        Backend& backend, std::FILE* trace) {
    if (auto started = backend.start(network); !started) {
        return ScriptResult{ScriptResult::Status::kFailed, 0, "cannot start " + backend.description() + ": " +
                                                                  started.error(), {}};
    }
    ScriptResult result;
    try {
        Runner runner(script, options, network, backend, trace);
        result = runner.run();
    } catch (Stop& stop) {
        result = std::move(stop.result);
    }
    backend.finish();
    return result;
}

}  // namespace synack::drill
