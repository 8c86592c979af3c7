// Stateful fuzzing of one tcp::Connection (issue 5, point 7). The input picks the settings and a state reached by
// playing the real handshake and close against the connection (SYN_SENT, SYN_RECEIVED by simultaneous open or
// from a listener's request entry, ESTABLISHED, FIN_WAIT_1/2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT), then a
// sequence of events: segments from the peer (flags, sequence and acknowledgment numbers chosen near the
// connection's own rcv_nxt / snd_una / snd_nxt so they are often acceptable, window, options with timestamps and
// SACK blocks, payload), application calls (send, recv, peek, shutdown, close, abort, options) and time passing
// with on_timer(). After every event, and for every segment the connection emits, invariants are checked; a
// violation traps (the crash input is the reproduction). ASan/UBSan catch out-of-bounds and undefined behaviour.
//
// Segments are built as option bytes and read back with tcp::parse_options(), so they look as the stack's parser
// hands them over (MSS and window scale only on a SYN, at most 4 SACK blocks, …). The Host here is a small real
// one: it owns the buffer pool and records what the connection does; it does not link GoogleTest.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <cstdio>
#include <string>

#include "tcp/connection.hpp"
#include "tcp/host.hpp"
#include "tcp/request.hpp"
#include "tcp/segment.hpp"
#include "tcp/time_wait.hpp"
#include "tcp/timing.hpp"
#include "wire/address.hpp"
#include "wire/tcp.hpp"
#include "wire/tcp_options.hpp"

namespace {

using namespace synack;
using namespace synack::tcp;
using wire::Seq32;
namespace f = wire::tcp_flags;

// A violated invariant: say which (and the connection's variables, when one is being checked) and trap.
const tcp::Connection* g_checked = nullptr;

[[noreturn]] void violated(const char* what, int line) {
    std::fprintf(stderr, "tcp_connection_fuzz: invariant violated (line %d): %s\n", line, what);
    if (const tcp::Connection* c = g_checked) {
        std::fprintf(stderr,
                     "  state %s snd_una %u snd_nxt %u write_seq %u snd_wnd %u rcv_nxt %u copied_seq %u rcv_wnd %u "
                     "readable %zu send_queue %zu unsent %zu mss %u\n",
                     std::string(to_string(c->state())).c_str(), c->snd_una().raw(), c->snd_nxt().raw(),
                     c->write_seq().raw(), c->snd_wnd(), c->rcv_nxt().raw(), c->copied_seq().raw(), c->rcv_wnd(),
                     c->readable_bytes(), c->send_queue_bytes(), c->unsent_bytes(), unsigned{c->mss()});
    }
    __builtin_trap();
}

#define require(condition) ((condition) ? (void)0 : violated(#condition, __LINE__))

// Payload bytes for segments and send(): contents do not matter to the protocol, only lengths do.
std::array<std::uint8_t, 70000> g_source = [] {
    std::array<std::uint8_t, 70000> a{};
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<std::uint8_t>(i * 7 + 3);
    return a;
}();
std::array<std::uint8_t, 70000> g_sink{};
const bool g_trace = std::getenv("SYNACK_FUZZ_TRACE") != nullptr;  // print every event and segment (reproducing)

constexpr std::uint32_t kIpv4Header = 20;
constexpr std::uint32_t kTcpHeader = 20;

// The Host: settings, counters, the buffer pool, and checks on every segment the connection emits.
class FuzzHost final : public Host {
public:
    TcpSysctls config{};
    Mib counters{};
    BufferPool pool{};
    Connection* conn = nullptr;  // set once the connection exists (segments are checked against it)
    std::uint32_t mtu = 1500;
    std::uint32_t rng = 0x9e3779b9u;
    std::uint64_t transmitted = 0;
    // What the peer learns from our segments: our latest TSval, and the right edge of our receive window.
    std::uint32_t last_tsval = 0;
    bool have_right_edge = false;
    Seq32 right_edge{};
    std::uint8_t last_events = 0;

    const TcpSysctls& sysctls() const noexcept override { return config; }
    Mib& mib() noexcept override { return counters; }
    BufferPool& buffers() noexcept override { return pool; }
    std::uint32_t random_u32() noexcept override {
        rng = rng * 1664525u + 1013904223u;
        return rng;
    }
    void transmit(Connection& c, const OutSegment& s) override {
        ++transmitted;
        if (g_trace) {
            std::fprintf(stderr, "  -> flags %#x seq %u ack %u win %u len %zu%s ts %d sack %u", s.flags, s.seq.raw(),
                         s.ack.raw(), s.window, s.payload_size(), s.control ? " control" : "", s.options.timestamps,
                         s.options.sack_count);
            for (std::uint8_t i = 0; i < s.options.sack_count; ++i) {
                std::fprintf(stderr, " %u-%u", s.options.sack[i].left.raw(), s.options.sack[i].right.raw());
            }
            std::fprintf(stderr, "\n");
        }
        check_segment(c, s);
        if (s.options.timestamps) last_tsval = s.options.tsval;
    }
    void state_changed(Connection&, State, State to) override { require(to <= State::kTimeWait); }
    void notify(Connection&, std::uint8_t e) override { last_events |= e; }
    void dropped(Connection&, DropReason r) override { require(static_cast<int>(r) >= 0); }
    void timer_fired(Connection&, TimerKind) override {}

private:
    void check_segment(Connection& c, const OutSegment& s) {
        const std::size_t len = s.payload_size();
        // The options fit the header and the segment fits the route's MTU (RFC 9293 §3.7.1: SEG.LEN ≤ MSS).
        wire::TcpOptionsBuilder options;
        write_options(s.options, options);
        require(!options.overflowed());
        require(options.size() <= wire::kMaxTcpOptionBytes);
        require(kIpv4Header + kTcpHeader + options.size() + len <= mtu);
        if (len == 0) {
            if ((s.flags & f::kAck) != 0) check_window_edge(c, s);
            return;
        }
        require((s.flags & f::kSyn) == 0);  // no data on our SYNs (no Fast Open)
        require(c.mss() != 0 && len <= c.mss());
        // Data lies in what the application queued, from snd_una on.
        const Seq32 end = s.seq + static_cast<std::uint32_t>(len);
        require(after_eq(s.seq, c.snd_una()));
        require(before_eq(end, c.write_seq()));
        // Within the peer's window (Linux tcp_snd_wnd_test()), except the segment at snd_una: a retransmission
        // into a shrunken window or a zero-window probe (Linux tcp_retransmit_skb(), tcp_write_wakeup()).
        if (s.seq != c.snd_una()) require(before_eq(end, c.snd_una() + c.snd_wnd()));
        check_window_edge(c, s);
    }

    // Linux tcp_select_window(): the window offered never moves its right edge back (tcp_shrink_window off).
    void check_window_edge(Connection& c, const OutSegment& s) {
        if ((s.flags & (f::kSyn | f::kRst)) != 0 || s.control) return;
        if (!is_synchronized(c.state()) && c.state() != State::kSynReceived) return;
        const Seq32 edge = s.ack + (std::uint32_t{s.window} << c.rcv_wscale());
        if (have_right_edge && !config.tcp_shrink_window) require(after_eq(edge, right_edge));
        if (!have_right_edge || after(edge, right_edge)) right_edge = edge;
        have_right_edge = true;
    }
};

// Which state the prelude brings the connection to.
enum class Target : std::uint8_t {
    kSynSent,
    kSynReceivedSimultaneous,
    kEstablishedActive,
    kEstablishedPassive,
    kSynReceivedPassive,
    kFinWait1,
    kFinWait2,
    kCloseWait,
    kClosing,
    kLastAck,
    kTimeWait,
    kOrphanFinWait2,
    kCount,
};

const wire::IpAddress kLocal = *wire::IpAddress::parse("198.18.0.1");
const wire::IpAddress kRemote = *wire::IpAddress::parse("198.18.0.2");

class Fuzz {
public:
    explicit Fuzz(FuzzedDataProvider& in) : in_(in) {}

    void run() {
        configure();
        prelude();
        check();
        for (int i = 0; i < kMaxEvents && in_.remaining_bytes() > 0; ++i) {
            event();
            after_event();
            if (gone_) break;
        }
        finish();
    }

private:
    static constexpr int kMaxEvents = 400;

    // ---- settings ----
    void configure() {
        host_.config.tcp_timestamps = in_.ConsumeBool();
        host_.config.tcp_sack = in_.ConsumeBool();
        host_.config.tcp_window_scaling = in_.ConsumeBool();
        if (in_.ConsumeBool()) {  // small buffers bring full windows and zero windows quickly
            host_.config.tcp_rmem = {4096, in_.ConsumeIntegralInRange<int>(4096, 262144), 6291456};
            host_.config.tcp_wmem = {4096, in_.ConsumeIntegralInRange<int>(4096, 262144), 4194304};
        }
        host_.config.tcp_shrink_window = false;
        host_.config.tcp_orphan_retries = in_.ConsumeIntegralInRange<int>(0, 3);
        host_.config.tcp_retries2 = in_.ConsumeIntegralInRange<int>(1, 15);
        host_.config.tcp_syn_retries = in_.ConsumeIntegralInRange<int>(1, 6);
        static constexpr std::array<std::uint32_t, 5> kMtus = {1500, 576, 9000, 65535, 1280};
        host_.mtu = kMtus[in_.ConsumeIntegralInRange<std::size_t>(0, kMtus.size() - 1)];
        params_.tuple = {kLocal, kRemote, 40000, 443};
        params_.mtu = host_.mtu;
        params_.iss = Seq32(in_.ConsumeIntegral<std::uint32_t>());
        params_.ts_offset = in_.ConsumeIntegral<std::uint32_t>();
        params_.ip_id = 1;
        params_.options.nodelay = in_.ConsumeBool();
        if (in_.ConsumeBool()) params_.options.rcvbuf = in_.ConsumeIntegralInRange<std::uint32_t>(2304, 1 << 20);
        if (in_.ConsumeBool()) params_.options.sndbuf = in_.ConsumeIntegralInRange<std::uint32_t>(4608, 1 << 20);
        if (in_.ConsumeBool()) params_.options.user_mss = in_.ConsumeIntegralInRange<std::uint16_t>(88, 9000);
        if (in_.ConsumeBool()) {
            params_.options.keepalive = true;
            params_.options.keepalive_time = in_.ConsumeIntegralInRange<std::uint32_t>(1, 30);
            params_.options.keepalive_intvl = in_.ConsumeIntegralInRange<std::uint32_t>(1, 10);
            params_.options.keepalive_probes = in_.ConsumeIntegralInRange<std::uint8_t>(1, 5);
        }
        if (in_.ConsumeBool()) params_.options.user_timeout_ms = in_.ConsumeIntegralInRange<std::uint32_t>(1, 60000);
        if (in_.ConsumeBool()) params_.options.linger2 = in_.ConsumeIntegralInRange<std::int32_t>(-1, 120);
        // The peer.
        peer_iss_ = Seq32(in_.ConsumeIntegral<std::uint32_t>());
        peer_mss_ = in_.ConsumeBool() ? in_.ConsumeIntegralInRange<std::uint16_t>(1, 65535) : 1460;
        peer_ts_ = in_.ConsumeBool();
        peer_sack_ = in_.ConsumeBool();
        peer_wscale_ = in_.ConsumeBool() ? std::optional<std::uint8_t>(in_.ConsumeIntegralInRange<std::uint8_t>(0, 15))
                                         : std::nullopt;
        peer_window_ = in_.ConsumeIntegral<std::uint16_t>();
        if (peer_window_ < 1024 && in_.ConsumeBool()) peer_window_ = 65535;
        peer_tsval_ = in_.ConsumeIntegral<std::uint32_t>();
        target_ = static_cast<Target>(in_.ConsumeIntegralInRange<int>(0, static_cast<int>(Target::kCount) - 1));
        if (g_trace) std::fprintf(stderr, "target %d mtu %u\n", static_cast<int>(target_), host_.mtu);
        prelude_data_ = in_.ConsumeIntegralInRange<std::uint32_t>(0, 3000);
    }

    // ---- segments from the peer ----
    struct Out {
        Seq32 seq;
        Seq32 ack;
        std::uint16_t flags = f::kAck;
        std::uint16_t window = 0;
        std::uint16_t urgent = 0;
        std::uint32_t len = 0;
        bool ts = false;
        std::uint32_t tsval = 0;
        std::uint32_t tsecr = 0;
        bool syn_options = false;       // MSS, SACK-permitted, window scale as the peer's SYN had them
        std::uint8_t sack_count = 0;
        std::array<wire::SackBlock, 4> sack{};
        std::array<std::uint8_t, 8> junk{};  // raw option bytes appended (malformed options)
        std::uint8_t junk_len = 0;
    };

    std::uint32_t peer_clock() const {
        return peer_tsval_ + static_cast<std::uint32_t>(to_ms(now_ - kStart));
    }

    // A well-formed segment from the peer at its current position.
    Out peer_segment(std::uint16_t flags) const {
        Out o;
        o.seq = conn_ ? conn_->rcv_nxt() : peer_iss_ + 1;
        o.ack = conn_ ? conn_->snd_nxt() : Seq32(0);
        o.flags = flags;
        o.window = peer_window_;
        o.ts = peer_ts_;
        o.tsval = peer_clock();
        o.tsecr = host_.last_tsval;
        return o;
    }

    void deliver(const Out& o) {
        if (!conn_ || conn_->state() == State::kClosed) return;  // the stack no longer demuxes to it
        if (g_trace) {
            std::fprintf(stderr, "  <- flags %#x seq %u ack %u win %u len %u ts %d sack %u (rcv_nxt %u snd_una %u)\n",
                         o.flags, o.seq.raw(), o.ack.raw(), o.window, o.len, o.ts, o.sack_count,
                         conn_->rcv_nxt().raw(), conn_->snd_una().raw());
        }
        const bool syn = (o.flags & f::kSyn) != 0;
        wire::TcpOptionsBuilder b;
        if (syn && o.syn_options) {
            b.mss(peer_mss_);
            if (peer_sack_) b.sack_permitted();
            if (peer_wscale_) b.nop().window_scale(*peer_wscale_);
        }
        if (o.ts) b.nop().nop().timestamps(o.tsval, o.tsecr);
        if (o.sack_count != 0) b.nop().nop().sack(std::span<const wire::SackBlock>(o.sack.data(), o.sack_count));
        if (o.junk_len != 0) b.raw(wire::Bytes(o.junk.data(), o.junk_len));
        Segment seg;
        seg.source_port = 443;
        seg.destination_port = 40000;
        seg.seq = o.seq;
        seg.ack = o.ack;
        seg.flags = o.flags;
        seg.window = o.window;
        seg.urgent_pointer = o.urgent;
        seg.payload = wire::Bytes(g_source.data(), std::min<std::size_t>(o.len, g_source.size()));
        seg.options = parse_options(b.bytes().first(std::min(b.size(), wire::kMaxTcpOptionBytes)), syn);
        conn_->on_segment(seg, now_);
    }

    // ---- bringing the connection to its state ----
    void create() {
        conn_ = std::make_unique<Connection>(host_, params_);
        host_.conn = conn_.get();
    }

    void active_open() {
        create();
        conn_->connect(now_);
    }

    void synack_from_peer() {
        Out o = peer_segment(f::kSyn | f::kAck);
        o.seq = peer_iss_;
        o.ack = conn_->snd_nxt();
        o.syn_options = true;
        o.tsecr = host_.last_tsval;
        deliver(o);
    }

    // The passive side: a listener's request entry answers the peer's SYN, and the third ACK makes the connection.
    void passive_open(bool complete) {
        ListenerParams listener;
        listener.options = params_.options;
        listener.mtu = params_.mtu;
        wire::TcpOptionsBuilder b;
        b.mss(peer_mss_);
        if (peer_sack_) b.sack_permitted();
        if (peer_ts_) b.nop().nop().timestamps(peer_clock(), 0);
        if (peer_wscale_) b.nop().window_scale(*peer_wscale_);
        Segment syn;
        syn.source_port = 443;
        syn.destination_port = 40000;
        syn.seq = peer_iss_;
        syn.flags = f::kSyn;
        syn.window = peer_window_;
        syn.options = parse_options(b.bytes(), true);
        RequestState request = open_request(host_.config, listener, syn, params_.iss, params_.ts_offset, 7);
        const OutSegment synack = make_synack(request, now_);
        if (synack.options.timestamps) host_.last_tsval = synack.options.tsval;
        advance(std::chrono::milliseconds(in_.ConsumeIntegralInRange<int>(0, 300)));
        create();
        conn_->open_from_request(request, now_);
        require(conn_->state() == State::kSynReceived);
        if (complete) {
            Out o = peer_segment(f::kAck);
            o.seq = peer_iss_ + 1;
            o.ack = params_.iss + 1;
            deliver(o);
        }
    }

    void establish() {
        if (in_.ConsumeBool()) {
            active_open();
            advance(std::chrono::milliseconds(in_.ConsumeIntegralInRange<int>(0, 300)));
            synack_from_peer();
        } else {
            passive_open(true);
        }
        // Some data each way first, so the sequence variables have moved.
        if (prelude_data_ != 0 && conn_->state() == State::kEstablished) {
            (void)conn_->send(wire::Bytes(g_source.data(), prelude_data_), now_);
            Out o = peer_segment(f::kAck | f::kPsh);
            o.len = std::min<std::uint32_t>(prelude_data_, conn_->mss());
            deliver(o);
            ack_all();
        }
    }

    // The peer acknowledges everything sent so far.
    void ack_all() {
        if (!conn_) return;
        deliver(peer_segment(f::kAck));
    }

    void fin_from_peer(bool ack_our_fin) {
        if (!conn_) return;
        Out o = peer_segment(f::kAck | f::kFin);
        if (!ack_our_fin) o.ack = conn_->snd_una();
        deliver(o);
    }

    void prelude() {
        switch (target_) {
            case Target::kSynSent: active_open(); break;
            case Target::kSynReceivedSimultaneous: {
                active_open();
                Out o = peer_segment(f::kSyn);
                o.seq = peer_iss_;
                o.ack = Seq32(0);
                o.syn_options = true;
                o.tsecr = 0;
                deliver(o);
                break;
            }
            case Target::kEstablishedActive:
                active_open();
                synack_from_peer();
                break;
            case Target::kEstablishedPassive: passive_open(true); break;
            case Target::kSynReceivedPassive: passive_open(false); break;
            case Target::kFinWait1:
                establish();
                app_close_or_shutdown();
                break;
            case Target::kFinWait2:
                establish();
                app_close_or_shutdown();
                ack_all();
                break;
            case Target::kCloseWait:
                establish();
                fin_from_peer(true);
                break;
            case Target::kClosing:
                establish();
                app_close_or_shutdown();
                fin_from_peer(false);
                break;
            case Target::kLastAck:
                establish();
                fin_from_peer(true);
                app_close_or_shutdown();
                break;
            case Target::kTimeWait:
                establish();
                (void)conn_->shutdown(ShutdownHow::kWrite, now_);
                ack_all();
                fin_from_peer(true);
                break;
            case Target::kOrphanFinWait2:
                establish();
                conn_->close(now_);
                ack_all();
                break;
            case Target::kCount: break;
        }
        after_event();
    }

    void app_close_or_shutdown() {
        if (in_.ConsumeBool()) conn_->close(now_);
        else (void)conn_->shutdown(ShutdownHow::kWrite, now_);
    }

    // ---- events ----
    Seq32 pick_seq() {
        const Seq32 rcv_nxt = conn_->rcv_nxt();
        switch (in_.ConsumeIntegralInRange<int>(0, 7)) {
            case 0:
            case 1:
            case 2: return rcv_nxt;
            case 3: return rcv_nxt + static_cast<std::uint32_t>(in_.ConsumeIntegralInRange<int>(-3000, 3000));
            case 4: return rcv_nxt + static_cast<std::uint32_t>(in_.ConsumeIntegralInRange<int>(-70000, 200000));
            case 5:
                return rcv_nxt + conn_->rcv_wnd() + static_cast<std::uint32_t>(in_.ConsumeIntegralInRange<int>(-2, 2));
            case 6: return rcv_nxt - 1;
            default: return Seq32(in_.ConsumeIntegral<std::uint32_t>());
        }
    }

    Seq32 pick_ack() {
        switch (in_.ConsumeIntegralInRange<int>(0, 7)) {
            case 0:
            case 1: return conn_->snd_nxt();
            case 2: return conn_->snd_una();
            case 3:
                return conn_->snd_una() + in_.ConsumeIntegralInRange<std::uint32_t>(
                                              0, conn_->snd_nxt().distance_from(conn_->snd_una()));
            case 4:
                return conn_->snd_una() +
                       static_cast<std::uint32_t>(in_.ConsumeIntegralInRange<int>(-70000, 70000));
            case 5: return conn_->write_seq();
            case 6: return conn_->snd_nxt() + static_cast<std::uint32_t>(in_.ConsumeIntegralInRange<int>(-3, 3));
            default: return Seq32(in_.ConsumeIntegral<std::uint32_t>());
        }
    }

    std::uint16_t pick_flags() {
        const std::uint8_t bits = in_.ConsumeIntegral<std::uint8_t>();
        std::uint16_t flags = 0;
        if ((bits & 0x07) != 0) flags |= f::kAck;           // mostly with ACK
        if ((bits & 0x18) == 0x18) flags |= f::kFin;
        if ((bits & 0x20) != 0) flags |= f::kPsh;
        if ((bits & 0xc0) == 0xc0) flags |= (bits & 1) ? f::kRst : f::kSyn;
        if ((bits & 0xc7) == 0x80) flags |= f::kUrg;
        if (bits == 0xff) flags = in_.ConsumeIntegral<std::uint8_t>();  // anything
        return flags;
    }

    std::uint32_t pick_len() {
        switch (in_.ConsumeIntegralInRange<int>(0, 5)) {
            case 0:
            case 1: return 0;
            case 2: return in_.ConsumeIntegralInRange<std::uint32_t>(1, 100);
            case 3: return std::min<std::uint32_t>(conn_->advmss() == 0 ? 536 : conn_->advmss(), 65000);
            case 4: return in_.ConsumeIntegralInRange<std::uint32_t>(1, 9000);
            default: return in_.ConsumeIntegralInRange<std::uint32_t>(1, 65000);
        }
    }

    void segment_event() {
        Out o = peer_segment(pick_flags());
        o.seq = pick_seq();
        o.ack = pick_ack();
        o.len = pick_len();
        switch (in_.ConsumeIntegralInRange<int>(0, 3)) {
            case 0: o.window = peer_window_; break;
            case 1: o.window = 0; break;
            case 2: o.window = in_.ConsumeIntegral<std::uint16_t>(); break;
            default: o.window = 65535; break;
        }
        if (o.flags & f::kUrg) o.urgent = in_.ConsumeIntegral<std::uint16_t>();
        o.syn_options = in_.ConsumeBool();
        if (in_.ConsumeBool()) o.ts = !o.ts;
        switch (in_.ConsumeIntegralInRange<int>(0, 4)) {
            case 0: o.tsval = peer_clock() - in_.ConsumeIntegralInRange<std::uint32_t>(0, 100000); break;
            case 1: o.tsval = in_.ConsumeIntegral<std::uint32_t>(); break;
            case 2: o.tsval = peer_clock() + 0x80000000u; break;
            default: break;
        }
        if (in_.ConsumeIntegralInRange<int>(0, 3) == 0) o.tsecr = in_.ConsumeIntegral<std::uint32_t>();
        o.sack_count = in_.ConsumeIntegralInRange<std::uint8_t>(0, 4);
        if (in_.ConsumeIntegralInRange<int>(0, 2) != 0) o.sack_count = 0;
        for (std::uint8_t i = 0; i < o.sack_count; ++i) {
            const Seq32 base = in_.ConsumeBool() ? conn_->snd_una() : conn_->snd_nxt();
            const auto left = static_cast<std::uint32_t>(in_.ConsumeIntegralInRange<int>(-5000, 70000));
            const auto size = static_cast<std::uint32_t>(in_.ConsumeIntegralInRange<int>(-10, 70000));
            o.sack[i] = {base + left, base + left + size};
        }
        if (in_.ConsumeIntegralInRange<int>(0, 15) == 0) {
            o.junk_len = in_.ConsumeIntegralInRange<std::uint8_t>(1, 8);
            for (std::uint8_t i = 0; i < o.junk_len; ++i) o.junk[i] = in_.ConsumeIntegral<std::uint8_t>();
        }
        host_.last_events = 0;
        deliver(o);
    }

    void advance(Duration d) { now_ += d; }

    void time_event() {
        Duration d{};
        switch (in_.ConsumeIntegralInRange<int>(0, 4)) {
            case 0: d = std::chrono::microseconds(in_.ConsumeIntegralInRange<int>(0, 50000)); break;
            case 1: d = std::chrono::milliseconds(in_.ConsumeIntegralInRange<int>(0, 2000)); break;
            case 2: d = std::chrono::seconds(in_.ConsumeIntegralInRange<int>(0, 200)); break;
            default: {  // exactly to the next deadline
                const auto next = conn_ ? conn_->next_deadline() : std::nullopt;
                if (next && *next > now_) d = *next - now_;
                break;
            }
        }
        advance(d);
        run_timers();
    }

    // As the stack's timer wheel does: on_timer() while a deadline is due, then the hand-off.
    void run_timers() {
        for (int i = 0; i < 64 && conn_; ++i) {
            const auto next = conn_->next_deadline();
            if (!next || *next > now_) break;
            conn_->on_timer(now_);
            handoff();
        }
    }

    void app_event(int op) {
        if (g_trace) std::fprintf(stderr, "  app %d\n", op);
        switch (op) {
            case 0: {
                const std::size_t n = pick_app_len();
                const auto r = conn_->send(wire::Bytes(g_source.data(), n), now_);
                if (r) require(*r <= n);
                break;
            }
            case 1: {
                const std::size_t n = pick_app_len();
                const std::size_t before = conn_->readable_bytes();
                const Seq32 copied = conn_->copied_seq();
                const bool peek = in_.ConsumeIntegralInRange<int>(0, 5) == 0;
                conn_->options().peek_next_recv = peek;
                const auto r = conn_->recv(wire::MutableBytes(g_sink.data(), n), now_);
                if (r) {
                    require(*r <= n);
                    require(*r <= before);
                    // Only amounts are checked: every segment's payload starts at the same source offset, so contents
                    // say nothing about order. copied_seq moves by what was read (not at all for MSG_PEEK), plus an
                    // urgent byte skipped.
                    if (peek) require(conn_->copied_seq() == copied);
                    else {
                        // The urgent byte is skipped (Linux tcp_recvmsg() without SO_OOBINLINE): at most one more.
                        const std::uint32_t moved = conn_->copied_seq().distance_from(copied);
                        require(moved == *r || moved == *r + 1);
                    }
                }
                conn_->options().peek_next_recv = false;
                break;
            }
            case 2:
                (void)conn_->shutdown(static_cast<ShutdownHow>(in_.ConsumeIntegralInRange<int>(0, 2)), now_);
                break;
            case 3:
                conn_->close(now_);
                break;
            case 4:
                if (in_.ConsumeIntegralInRange<int>(0, 3) == 0) conn_->abort(now_);
                break;
            case 5: {
                SocketOptions& o = conn_->options();
                switch (in_.ConsumeIntegralInRange<int>(0, 3)) {
                    case 0: o.nodelay = !o.nodelay; break;
                    case 1: o.keepalive = !o.keepalive; break;
                    case 2: o.user_timeout_ms = in_.ConsumeIntegralInRange<std::uint32_t>(0, 30000); break;
                    default: (void)conn_->take_error(); break;
                }
                break;
            }
            default: (void)conn_->poll(); break;
        }
    }

    std::size_t pick_app_len() {
        switch (in_.ConsumeIntegralInRange<int>(0, 3)) {
            case 0: return in_.ConsumeIntegralInRange<std::size_t>(0, 100);
            case 1: return in_.ConsumeIntegralInRange<std::size_t>(0, 4000);
            default: return in_.ConsumeIntegralInRange<std::size_t>(0, g_source.size());
        }
    }

    void event() {
        const int op = in_.ConsumeIntegralInRange<int>(0, 15);
        if (g_trace) {
            std::fprintf(stderr, "event %d at %lld ms, state %s\n", op,
                         static_cast<long long>(to_ms(now_ - kStart)), std::string(to_string(conn_->state())).c_str());
        }
        if (op <= 5) {
            segment_event();
        } else if (op == 6) {
            ack_all();
        } else if (op == 7) {  // in-order data from the peer, well formed
            Out o = peer_segment(f::kAck | f::kPsh);
            o.len = pick_len();
            deliver(o);
        } else if (op == 8) {
            fin_from_peer(in_.ConsumeBool());
        } else if (op <= 11) {
            time_event();
        } else {
            app_event(in_.ConsumeIntegralInRange<int>(0, 6));
        }
    }

    // ---- after every event ----
    void handoff() {
        if (!conn_) return;
        const auto& h = conn_->time_wait_handoff();
        if (!h) return;
        // Linux tcp_time_wait(): from TIME_WAIT, or from FIN_WAIT_2 of an orphan (substate FIN_WAIT_2).
        if (h->fin_wait2) require(conn_->state() == State::kFinWait2 && conn_->orphaned());
        else require(conn_->state() == State::kTimeWait);
        require(h->timeout >= Duration::zero() && h->timeout <= std::chrono::seconds(3600));
        const TimeWaitEntry e = make_time_wait(*conn_, h->fin_wait2, now_);
        (void)e;
        conn_->complete_time_wait_handoff(now_);
        require(conn_->state() == State::kClosed);
        require(!conn_->time_wait_handoff());
    }

    void after_event() {
        handoff();
        check();
        // The stack frees an orphan once it is CLOSED; the fuzz run ends there.
        if (conn_ && conn_->state() == State::kClosed && conn_->orphaned()) gone_ = true;
    }

    void check() {
        if (!conn_) return;
        const Connection& c = *conn_;
        g_checked = &c;
        const State s = c.state();
        require(s <= State::kTimeWait && s != State::kListen);
        // RFC 9293 §3.3.1: SND.UNA ≤ SND.NXT ≤ what was queued (write_seq).
        require(before_eq(c.snd_una(), c.snd_nxt()));
        require(before_eq(c.snd_nxt(), c.write_seq()));
        // The application never reads past what arrived in order.
        require(before_eq(c.copied_seq(), c.rcv_nxt()));
        const std::uint32_t unread = c.rcv_nxt().distance_from(c.copied_seq());
        require(c.readable_bytes() <= unread);
        // Before the peer's FIN every byte up to rcv_nxt is readable; after it, at least the FIN is not. (More can be
        // skipped: a segment overlapping the FIN with data and another FIN moves rcv_nxt on again, as Linux's
        // tcp_data_queue() does in CLOSE_WAIT — RFC 9293 says to ignore such text.)
        const bool fin_received = s == State::kCloseWait || s == State::kClosing || s == State::kLastAck ||
                                  s == State::kTimeWait;
        if (fin_received) require(unread >= c.readable_bytes() + 1);
        else if (s != State::kClosed) require(unread == c.readable_bytes());
        // Buffers within their limits.
        const std::size_t rcvbuf = c.options().rcvbuf != 0 ? c.options().rcvbuf : host_.config.tcp_rmem[1];
        require(c.readable_bytes() <= rcvbuf + (std::size_t{1} << c.rcv_wscale()) + 65535);
        const std::size_t sndbuf_max =
            std::max<std::size_t>({std::size_t(host_.config.tcp_wmem[2]), c.options().sndbuf, 4096});
        require(c.send_queue_bytes() <= sndbuf_max);
        // (In CLOSED the queue is gone but write_seq - snd_nxt stays, as Linux's SIOCOUTQNSD reads it after
        // tcp_done().)
        if (s != State::kClosed) require(c.unsent_bytes() <= c.send_queue_bytes());
        require(c.readable_bytes() == 0 || c.holds_buffer_memory());
        require(host_.pool.bytes_outstanding() <= 2 * (std::size_t{1} << BufferPool::kMaxShift));
        // The send queue holds the unacknowledged bytes: write_seq - snd_una counts them plus SYN and FIN (a close in
        // SYN_RECEIVED sends the FIN before the SYN is acknowledged, Linux tcp_close_state()).
        if (is_synchronized(s)) {
            const std::uint32_t queued = c.write_seq().distance_from(c.snd_una());
            require(c.send_queue_bytes() <= queued);
            const std::uint32_t syn = c.snd_una() == c.iss() ? 1 : 0;  // a SYN still unacknowledged
            require(queued <= c.send_queue_bytes() + syn + 1);
        }
        // Something in flight in a live state: a timer is armed to retransmit it (no stall).
        const bool live = s == State::kSynSent || s == State::kSynReceived || s == State::kEstablished ||
                          s == State::kFinWait1 || s == State::kCloseWait || s == State::kClosing ||
                          s == State::kLastAck;
        if (live && c.snd_una() != c.snd_nxt()) require(c.next_deadline().has_value());
        if (c.next_deadline()) require(*c.next_deadline() >= now_ - std::chrono::seconds(1));
        require(c.mss() <= 65535 && c.rcv_wscale() <= kMaxWindowScale && c.snd_wscale() <= kMaxWindowScale);
        (void)c.info(now_);
    }

    void finish() {
        g_checked = nullptr;
        conn_.reset();
        require(host_.pool.bytes_outstanding() == 0);  // every buffer came back to the pool
    }

    FuzzedDataProvider& in_;
    FuzzHost host_;
    ConnectionParams params_{};
    std::unique_ptr<Connection> conn_;
    static inline const Instant kStart = Instant{} + std::chrono::seconds(10);
    Instant now_ = kStart;
    Target target_ = Target::kSynSent;
    Seq32 peer_iss_{};
    std::uint16_t peer_mss_ = 1460;
    bool peer_ts_ = true;
    bool peer_sack_ = true;
    std::optional<std::uint8_t> peer_wscale_;
    std::uint16_t peer_window_ = 65535;
    std::uint32_t peer_tsval_ = 0;
    std::uint32_t prelude_data_ = 0;
    bool gone_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    Fuzz(in).run();
    return 0;
}
