// setsockopt() and getsockopt() as Linux answers them: sk_setsockopt()/sk_getsockopt() (SOL_SOCKET),
// do_tcp_setsockopt()/do_tcp_getsockopt() (IPPROTO_TCP), do_ipv6_setsockopt()/do_ipv6_getsockopt()
// (IPV6_V6ONLY), with their length rules, ranges and errors, and TCP_INFO (tcp_get_info()).
#include <algorithm>
#include <climits>
#include <cstring>

#include "api/socket_entry.hpp"

namespace synack::api {

namespace {

using tcp::State;

// include/net/sock.h: the smallest buffers SO_SNDBUF and SO_RCVBUF give (TCP_SKB_MIN_TRUESIZE = 2048 + the
// aligned struct sk_buff, 256 bytes on the reference kernel).
constexpr int kMinRcvbuf = 2304;
constexpr int kMinSndbuf = 2 * 2304;
constexpr int kTcpMinMss = 88;            // TCP_MIN_MSS
constexpr int kMaxTcpWindow = 32767;      // MAX_TCP_WINDOW: TCP_MAXSEG's ceiling
constexpr int kMaxTcpKeepidle = 32767;
constexpr int kMaxTcpKeepintvl = 32767;
constexpr int kMaxTcpKeepcnt = 127;
constexpr int kMaxTcpSyncnt = 127;
constexpr int kTcpFinTimeoutMax = 120;    // seconds (TCP_FIN_TIMEOUT_MAX)
constexpr std::size_t kTcpCaNameMax = 16;
constexpr std::uint64_t kMaxScheduleTimeout = LONG_MAX;  // sk_lingertime for "forever"

int read_int(wire::Bytes value) {
    std::int32_t v = 0;
    std::memcpy(&v, value.data(), sizeof(v));
    return v;
}

// Copies min(limit, size) bytes of `v` out, as the kernel's copy_to_user() of a shorter optlen does; EFAULT
// when the buffer is smaller than that.
SysResult write_out(const void* v, std::size_t size, std::size_t limit, wire::MutableBytes out, int& length) {
    const std::size_t n = std::min(limit, size);
    if (n > out.size()) return SysResult::failure(Errno::kFault);
    if (n != 0) std::memcpy(out.data(), v, n);
    length = static_cast<int>(n);
    return SysResult::success();
}

}  // namespace

SysResult SocketApi::setsockopt_int(int fd, int level, int name, int value, Instant now) {
    std::uint8_t bytes[sizeof(int)];
    std::memcpy(bytes, &value, sizeof(value));
    return setsockopt(fd, level, name, wire::Bytes(bytes, sizeof(bytes)), now);
}

SysResult SocketApi::getsockopt_int(int fd, int level, int name, int& value, Instant now) {
    std::uint8_t bytes[sizeof(int)] = {};
    int length = sizeof(bytes);
    SysResult r = getsockopt(fd, level, name, wire::MutableBytes(bytes, sizeof(bytes)), length, now);
    if (r) {
        value = 0;
        std::memcpy(&value, bytes, static_cast<std::size_t>(std::min(length, 4)));
    }
    return r;
}

// The options reach what carries them: the connection, or the listener (for connections yet to come).
void SocketApi::options_changed(Entry& e) {
    if (tcp::Connection* c = connection(e)) {
        c->options() = e.options;
    } else if (e.listening()) {
        if (tcp::SocketOptions* o = stack_.listener_options(e.listener)) *o = e.options;
    }
}

SysResult SocketApi::setsockopt(int fd, int level, int name, wire::Bytes value, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if (level == abi::kSolSocket) return finish(set_socket_option(*e, name, value, now));
    if (level == abi::kIpprotoTcp) return finish(set_tcp_option(*e, name, value, now));
    if (level == abi::kIpprotoIpv6 && e->family == abi::kAfInet6) {
        if (name != abi::kIpv6V6only) return SysResult::failure(Errno::kNoProtoOpt);
        // do_ipv6_setsockopt(): an int, and only before the socket has a port.
        if (value.size() < sizeof(int) || e->port != 0) return SysResult::failure(Errno::kInval);
        e->v6only = read_int(value) != 0;
        return SysResult::success();
    }
    // ip_setsockopt()/ipv6_setsockopt(): a level the protocol does not know, or IP options synack lacks.
    return SysResult::failure(Errno::kNoProtoOpt);
}

// A setsockopt()'s side effects on a connection (tcp::option_effect): carried out by a zero-length send, the
// one call through which the stack settles a connection's timers after it acts.
void SocketApi::apply_effects(Entry& e, std::uint8_t effects, Instant now) {
    tcp::Connection* c = connection(e);
    if (c == nullptr || e.listening()) return;
    c->options().option_effects = effects;
    (void)stack_.send(e.connection, {}, now);
    c = connection(e);
    if (c != nullptr) c->options().option_effects = 0;
}

// sk_setsockopt(): every option takes at least an int; SO_LINGER a struct linger.
SysResult SocketApi::set_socket_option(Entry& e, int name, wire::Bytes value, Instant now) {
    if (value.size() < sizeof(int)) return SysResult::failure(Errno::kInval);
    const int v = read_int(value);
    const tcp::TcpSysctls& sc = stack_.config();
    switch (name) {
        case abi::kSoReuseaddr:
            e.reuseaddr = v != 0;
            return SysResult::success();
        case abi::kSoKeepalive: {
            // tcp_set_keepalive(): turning it on starts the timer (keepalive_time from now), off stops it.
            const bool was = e.options.keepalive;
            e.options.keepalive = v != 0;
            options_changed(e);
            if (was != e.options.keepalive) {
                apply_effects(e, e.options.keepalive ? tcp::option_effect::kKeepaliveOn
                                                     : tcp::option_effect::kKeepaliveOff, now);
            }
            return SysResult::success();
        }
        case abi::kSoSndbuf: {
            // The value is compared unsigned with wmem_max, doubled, and at least SOCK_MIN_SNDBUF.
            const auto limited = std::min<std::uint32_t>(static_cast<std::uint32_t>(v),
                                                         static_cast<std::uint32_t>(sc.wmem_max));
            e.options.sndbuf = static_cast<std::uint32_t>(
                std::max<std::int64_t>(std::int64_t{limited} * 2, kMinSndbuf));
            options_changed(e);
            mark(e);  // sk_write_space()
            return SysResult::success();
        }
        case abi::kSoRcvbuf: {
            auto limited = std::min<std::uint32_t>(static_cast<std::uint32_t>(v), static_cast<std::uint32_t>(sc.rmem_max));
            limited = std::min<std::uint32_t>(limited, INT_MAX / 2);
            e.options.rcvbuf = static_cast<std::uint32_t>(std::max<std::int64_t>(std::int64_t{limited} * 2, kMinRcvbuf));
            options_changed(e);
            return SysResult::success();
        }
        case abi::kSoLinger: {
            if (value.size() < sizeof(Linger)) return SysResult::failure(Errno::kInval);
            Linger l;
            std::memcpy(&l, value.data(), sizeof(l));
            if (l.l_onoff == 0) {
                e.linger = false;  // sk_lingertime stays as it was
            } else {
                // l_linger is read as an unsigned long: a negative one is "forever" (MAX_SCHEDULE_TIMEOUT).
                const auto seconds = static_cast<std::uint64_t>(static_cast<std::int64_t>(l.l_linger));
                e.linger_jiffies = seconds >= kMaxScheduleTimeout / abi::kHz ? kMaxScheduleTimeout
                                                                              : seconds * abi::kHz;
                e.linger = true;
            }
            return SysResult::success();
        }
        default:
            // SO_TYPE, SO_ERROR, SO_ACCEPTCONN, SO_PROTOCOL, SO_DOMAIN are read-only; the rest synack lacks.
            return SysResult::failure(Errno::kNoProtoOpt);
    }
}

// do_tcp_setsockopt(): TCP_CONGESTION takes a string (1 to 15 bytes, cut at a NUL), the others an int.
SysResult SocketApi::set_tcp_option(Entry& e, int name, wire::Bytes value, Instant now) {
    if (name == abi::kTcpCongestion) {
        if (value.empty()) return SysResult::failure(Errno::kInval);
        char requested[kTcpCaNameMax] = {};
        const std::size_t n = std::min(value.size(), kTcpCaNameMax - 1);
        for (std::size_t i = 0; i < n && value[i] != 0; ++i) requested[i] = static_cast<char>(value[i]);
        // tcp_set_congestion_control(): synack has Reno only; any other name is an algorithm this kernel does
        // not have, which Linux answers with ENOENT once request_module() fails.
        if (std::strcmp(requested, "reno") != 0) return SysResult::failure(Errno::kNoEnt);
        std::memcpy(e.congestion.data(), requested, kTcpCaNameMax);
        return SysResult::success();
    }
    if (value.size() < sizeof(int)) return SysResult::failure(Errno::kInval);
    const int v = read_int(value);
    std::uint8_t effects = 0;
    switch (name) {
        case abi::kTcpNodelay:
            // __tcp_sock_set_nodelay(): on sets TCP_NAGLE_OFF|TCP_NAGLE_PUSH and pushes what waits.
            e.options.nodelay = v != 0;
            if (v != 0) effects = tcp::option_effect::kPush | tcp::option_effect::kNaglePush;
            break;
        case abi::kTcpCork:
            // __tcp_sock_set_cork(): off pushes what it held (with TCP_NAGLE_PUSH when TCP_NODELAY is on).
            e.options.cork = v != 0;
            if (v == 0) {
                effects = tcp::option_effect::kPush;
                if (e.options.nodelay) effects |= tcp::option_effect::kNaglePush;
            }
            break;
        case abi::kTcpNotsentLowat:
            // tp->notsent_lowat = val (any value, as an unsigned int); then sk_write_space().
            e.options.notsent_lowat = static_cast<std::uint32_t>(v);
            mark(e);
            break;
        case abi::kTcpMaxseg:
            if (v != 0 && (v < kTcpMinMss || v > kMaxTcpWindow)) return SysResult::failure(Errno::kInval);
            e.options.user_mss = static_cast<std::uint16_t>(v);
            break;
        case abi::kTcpKeepidle:
            if (v < 1 || v > kMaxTcpKeepidle) return SysResult::failure(Errno::kInval);
            e.options.keepalive_time = static_cast<std::uint32_t>(v);
            effects = tcp::option_effect::kKeepidle;  // tcp_sock_set_keepidle_locked()
            break;
        case abi::kTcpKeepintvl:
            if (v < 1 || v > kMaxTcpKeepintvl) return SysResult::failure(Errno::kInval);
            e.options.keepalive_intvl = static_cast<std::uint32_t>(v);
            break;
        case abi::kTcpKeepcnt:
            if (v < 1 || v > kMaxTcpKeepcnt) return SysResult::failure(Errno::kInval);
            e.options.keepalive_probes = static_cast<std::uint8_t>(v);
            break;
        case abi::kTcpSyncnt:
            if (v < 1 || v > kMaxTcpSyncnt) return SysResult::failure(Errno::kInval);
            e.options.syn_retries = static_cast<std::uint8_t>(v);
            break;
        case abi::kTcpUserTimeout:
            if (v < 0) return SysResult::failure(Errno::kInval);
            e.options.user_timeout_ms = static_cast<std::uint32_t>(v);
            break;
        case abi::kTcpLinger2:
            e.options.linger2 = v < 0 ? -1 : std::min(v, kTcpFinTimeoutMax);
            break;
        case abi::kTcpQuickack:
            // __tcp_sock_set_quickack(): 0 enters delayed-ACK (ping-pong) mode, anything else leaves it.
            e.pingpong = v == 0;
            return SysResult::success();
        default:
            return SysResult::failure(Errno::kNoProtoOpt);
    }
    options_changed(e);
    if (effects != 0) apply_effects(e, effects, now);
    return SysResult::success();
}

SysResult SocketApi::getsockopt(int fd, int level, int name, wire::MutableBytes value, int& length, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if (level == abi::kSolSocket) return finish(get_socket_option(*e, name, value, length));
    // The TCP and IPv6 levels read optlen as an unsigned int: a negative one is taken as large.
    if (level == abi::kIpprotoTcp) return finish(get_tcp_option(*e, name, value, length, now));
    if (e->family == abi::kAfInet6) {
        if (level != abi::kIpprotoIpv6 || name != abi::kIpv6V6only) return SysResult::failure(Errno::kNoProtoOpt);
        const int v = e->v6only ? 1 : 0;
        return write_out(&v, sizeof(v), static_cast<unsigned>(length), value, length);
    }
    // ip_getsockopt(): the IP level's options are not modelled; other levels are not the protocol's.
    return SysResult::failure(level == abi::kIpprotoIp ? Errno::kNoProtoOpt : Errno::kOpNotSupp);
}

// sk_getsockopt(): a negative optlen is EINVAL; a shorter one gets that many bytes of the value.
SysResult SocketApi::get_socket_option(Entry& e, int name, wire::MutableBytes value, int& length) {
    if (length < 0) return SysResult::failure(Errno::kInval);
    const tcp::TcpSysctls& sc = stack_.config();
    int v = 0;
    switch (name) {
        case abi::kSoType: v = abi::kSockStream; break;
        case abi::kSoProtocol: v = e.protocol; break;
        case abi::kSoDomain: v = e.family; break;
        case abi::kSoAcceptconn: v = e.listening() ? 1 : 0; break;
        case abi::kSoReuseaddr: v = e.reuseaddr ? 1 : 0; break;
        case abi::kSoKeepalive: v = e.options.keepalive ? 1 : 0; break;
        case abi::kSoError: {
            // sock_error(): read and cleared.
            Errno err = e.error;
            e.error = Errno::kOk;
            if (tcp::Connection* c = connection(e)) {
                if (const tcp::Errno ce = c->take_error(); ce != tcp::Errno::kOk) err = from_tcp(ce);
            }
            v = static_cast<int>(err);
            break;
        }
        case abi::kSoRcvbuf:
            v = e.options.rcvbuf != 0 ? static_cast<int>(e.options.rcvbuf) : sc.tcp_rmem[1];
            break;
        case abi::kSoSndbuf:
            if (e.options.sndbuf != 0) {
                v = static_cast<int>(e.options.sndbuf);
            } else if (const tcp::Connection* c = connection(e)) {
                v = static_cast<int>(c->send_buffer_space() + c->send_queue_bytes());  // grown once established
            } else {
                v = sc.tcp_wmem[1];
            }
            break;
        case abi::kSoLinger: {
            Linger l;
            l.l_onoff = e.linger ? 1 : 0;
            l.l_linger = static_cast<std::int32_t>(static_cast<std::uint32_t>(e.linger_jiffies / abi::kHz));
            return write_out(&l, sizeof(l), static_cast<std::size_t>(length), value, length);
        }
        default:
            return SysResult::failure(Errno::kNoProtoOpt);
    }
    if (name == abi::kSoError) mark(e);
    return write_out(&v, sizeof(v), static_cast<std::size_t>(length), value, length);
}

// do_tcp_getsockopt(): ints cut to optlen (at most 4 bytes); TCP_INFO up to sizeof(struct tcp_info);
// TCP_CONGESTION up to TCP_CA_NAME_MAX bytes of the name, NUL-padded.
SysResult SocketApi::get_tcp_option(Entry& e, int name, wire::MutableBytes value, int& length, Instant now) {
    const unsigned requested = static_cast<unsigned>(length);
    const tcp::TcpSysctls& sc = stack_.config();
    const tcp::Connection* c = connection(e);
    int v = 0;
    switch (name) {
        case abi::kTcpInfo: {
            const tcp::TcpInfo i = info(e, now);
            return write_out(&i, sizeof(i), requested, value, length);
        }
        case abi::kTcpCongestion:
            return write_out(e.congestion.data(), kTcpCaNameMax, requested, value, length);
        case abi::kTcpNodelay: v = e.options.nodelay ? 1 : 0; break;
        case abi::kTcpCork: v = e.options.cork ? 1 : 0; break;
        case abi::kTcpNotsentLowat: v = static_cast<int>(e.options.notsent_lowat); break;
        case abi::kTcpMaxseg: {
            // tp->mss_cache (536 before a connection), or TCP_MAXSEG's value while CLOSE or LISTEN.
            const bool closed_or_listening = c == nullptr || c->state() == State::kClosed;
            v = c != nullptr ? c->mss() : 536;
            if (e.options.user_mss != 0 && closed_or_listening) v = e.options.user_mss;
            break;
        }
        case abi::kTcpKeepidle:
            v = e.options.keepalive_time != 0 ? static_cast<int>(e.options.keepalive_time) : sc.tcp_keepalive_time;
            break;
        case abi::kTcpKeepintvl:
            v = e.options.keepalive_intvl != 0 ? static_cast<int>(e.options.keepalive_intvl) : sc.tcp_keepalive_intvl;
            break;
        case abi::kTcpKeepcnt:
            v = e.options.keepalive_probes != 0 ? e.options.keepalive_probes : sc.tcp_keepalive_probes;
            break;
        case abi::kTcpSyncnt:
            v = e.options.syn_retries != 0 ? e.options.syn_retries : sc.tcp_syn_retries;
            break;
        case abi::kTcpUserTimeout: v = static_cast<int>(e.options.user_timeout_ms); break;
        case abi::kTcpLinger2:
            v = e.options.linger2 < 0 ? -1 : (e.options.linger2 != 0 ? e.options.linger2 : sc.tcp_fin_timeout);
            break;
        case abi::kTcpQuickack: v = e.pingpong ? 0 : 1; break;
        default:
            return SysResult::failure(Errno::kNoProtoOpt);
    }
    return write_out(&v, sizeof(v), requested, value, length);
}

// tcp_get_info() for a socket with no connection behind it: a listener reports its accept queue (tcpi_unacked)
// and backlog (tcpi_sacked) and little else; a socket in CLOSE the values tcp_init_sock() gave it.
tcp::TcpInfo SocketApi::info(const Entry& e, Instant now) const {
    if (const tcp::Connection* c = connection(e)) return c->info(now);
    tcp::TcpInfo i;
    i.tcpi_snd_cwnd = 10;            // TCP_INIT_CWND
    i.tcpi_reordering = 3;           // tcp_reordering
    i.tcpi_pacing_rate = ~std::uint64_t{0};
    i.tcpi_max_pacing_rate = ~std::uint64_t{0};
    if (e.listening()) {
        i.tcpi_state = 10;           // TCP_LISTEN
        i.tcpi_unacked = static_cast<std::uint32_t>(stack_.accept_queue_length(e.listener));
        i.tcpi_sacked = static_cast<std::uint32_t>(e.backlog);
        return i;
    }
    i.tcpi_state = 7;                // TCP_CLOSE
    i.tcpi_delivery_rate_app_limited = 1;
    i.tcpi_rto = 1000000;            // TCP_TIMEOUT_INIT
    i.tcpi_snd_mss = 536;            // TCP_MSS_DEFAULT
    i.tcpi_rttvar = 250000;          // mdev_us = TCP_TIMEOUT_INIT, reported / 4
    i.tcpi_snd_ssthresh = 0x7fffffff;  // TCP_INFINITE_SSTHRESH
    i.tcpi_min_rtt = ~std::uint32_t{0};
    return i;
}

}  // namespace synack::api
