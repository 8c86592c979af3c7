#include "stack/sysctl_table.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <initializer_list>

#include "wire/result.hpp"

namespace synack::stack {

namespace {

// The reference kernel's CONFIG_HZ: proc_dointvec_jiffies and proc_dointvec_ms_jiffies store jiffies.
constexpr std::int64_t kHz = 250;
constexpr std::int64_t kMsPerJiffy = 1000 / kHz;
constexpr std::int64_t kIntMax = INT_MAX;
constexpr std::int64_t kUintMax = UINT_MAX;

// How the kernel parses and stores a number (kernel/sysctl.c).
enum class Syntax : std::uint8_t {
    kInt,      // proc_dointvec(_minmax): a signed int
    kUint,     // proc_douintvec(_minmax): no sign, at most UINT_MAX
    kU8,       // proc_dou8vec_minmax: no sign, at most 255
    kSeconds,  // proc_dointvec_jiffies: seconds, at most INT_MAX / HZ
    kMillis,   // proc_dointvec_ms_jiffies: milliseconds, stored as jiffies rounded up (read back in 4 ms steps)
};

using Getter = std::int64_t (*)(const StackConfig&);
using Setter = void (*)(StackConfig&, std::int64_t);
using Implemented = bool (*)(std::int64_t);

// One number-valued sysctl.
struct Scalar {
    std::string_view name;
    Syntax syntax;
    std::int64_t min;  // Linux's range: a value outside it is kInvalid
    std::int64_t max;
    Getter get;                // nullptr: synack implements no value of it (get_sysctl() says nothing)
    Setter set;                // nullptr: nothing to store (synack's behaviour is fixed at the accepted values)
    Implemented implemented;   // nullptr: every value Linux accepts
    std::string_view reason;   // why the other values are unsupported
};

bool nonneg(std::int64_t v) { return v >= 0; }
bool positive(std::int64_t v) { return v > 0; }
bool zero(std::int64_t v) { return v == 0; }

// Linux 6.18's net/ipv4/sysctl_net_ipv4.c, net/core/sysctl_net_core.c, net/ipv6/{addrconf,sysctl_net_ipv6}.c and
// net/mptcp/ctrl.c give the syntax and ranges.
constexpr Scalar kScalars[] = {
    // ---- Opening ----
    {"net.ipv4.tcp_syn_retries", Syntax::kU8, 1, 127,  // MAX_TCP_SYNCNT
     [](const StackConfig& c) -> std::int64_t { return c.tcp_syn_retries; },
     [](StackConfig& c, std::int64_t v) { c.tcp_syn_retries = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_syn_linear_timeouts", Syntax::kU8, 0, 127,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_syn_linear_timeouts; },
     [](StackConfig& c, std::int64_t v) { c.tcp_syn_linear_timeouts = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_synack_retries", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_synack_retries; },
     [](StackConfig& c, std::int64_t v) { c.tcp_synack_retries = static_cast<int>(v); }, nullptr, {}},
    // 2 (and above) keeps timestamps without the per-connection random offset (tcp_timestamps == 1 adds it).
    {"net.ipv4.tcp_timestamps", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_timestamps ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_timestamps = v != 0; },
     [](std::int64_t v) { return v <= 1; }, "synack always adds the random per-connection offset (value 1)"},
    {"net.ipv4.tcp_window_scaling", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_window_scaling ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_window_scaling = v != 0; }, nullptr, {}},
    {"net.ipv4.tcp_sack", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_sack ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_sack = v != 0; }, nullptr, {}},
    // synack never negotiates ECN: it behaves as tcp_ecn=0. Linux's default 2 ("accept ECN when the peer asks")
    // would equal that only while no peer asks — a script that sets 2 (or leaves it) and sends an ECN-setup SYN
    // would see Linux answer with ECE and synack not, so 2 is unsupported rather than applied as 0: the script is
    // skipped, not silently run against a behaviour synack lacks. 3..5 are AccECN (Linux 6.18).
    {"net.ipv4.tcp_ecn", Syntax::kU8, 0, 5,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_ecn; },
     [](StackConfig& c, std::int64_t v) { c.tcp_ecn = static_cast<int>(v); }, zero,
     "synack does not negotiate ECN (it behaves as tcp_ecn=0)"},
    {"net.ipv4.tcp_min_snd_mss", Syntax::kInt, 48, 65535,  // TCP_MIN_SND_MSS
     [](const StackConfig& c) -> std::int64_t { return c.tcp_min_snd_mss; },
     [](StackConfig& c, std::int64_t v) { c.tcp_min_snd_mss = static_cast<int>(v); }, nullptr, {}},
    // Linux answers a full SYN queue with cookies when this is 1 (always when 2); synack drops the SYN instead.
    {"net.ipv4.tcp_syncookies", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_syncookies; },
     [](StackConfig& c, std::int64_t v) { c.tcp_syncookies = static_cast<int>(v); }, zero,
     "synack has no SYN cookies yet (it behaves as tcp_syncookies=0)"},
    // With tcp_syncookies=0 Linux also drops SYNs from unproven peers once the SYN queue holds more than 3/4 of
    // this; synack does not (issue 6) — which no script reaches at the default 2048.
    {"net.ipv4.tcp_max_syn_backlog", Syntax::kInt, INT_MIN, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_max_syn_backlog; },
     [](StackConfig& c, std::int64_t v) { c.tcp_max_syn_backlog = static_cast<int>(v); }, nullptr, {}},
    {"net.core.somaxconn", Syntax::kInt, 0, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.somaxconn; },
     [](StackConfig& c, std::int64_t v) { c.somaxconn = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_abort_on_overflow", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_abort_on_overflow ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_abort_on_overflow = v != 0; }, nullptr, {}},

    // ---- Buffers (tcp_rmem and tcp_wmem are vectors, handled apart) ----
    {"net.core.rmem_max", Syntax::kInt, 2304, kIntMax,  // SOCK_MIN_RCVBUF
     [](const StackConfig& c) -> std::int64_t { return c.rmem_max; },
     [](StackConfig& c, std::int64_t v) { c.rmem_max = static_cast<int>(v); }, nullptr, {}},
    {"net.core.wmem_max", Syntax::kInt, 4608, kIntMax,  // SOCK_MIN_SNDBUF
     [](const StackConfig& c) -> std::int64_t { return c.wmem_max; },
     [](StackConfig& c, std::int64_t v) { c.wmem_max = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_app_win", Syntax::kU8, 0, 31,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_app_win; },
     [](StackConfig& c, std::int64_t v) { c.tcp_app_win = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_workaround_signed_windows", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_workaround_signed_windows ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_workaround_signed_windows = v != 0; }, nullptr, {}},
    {"net.ipv4.tcp_shrink_window", Syntax::kU8, 0, 1,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_shrink_window ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_shrink_window = v != 0; }, nullptr, {}},

    // ---- Retransmission ----
    // Linux keeps the floor in jiffies (usecs_to_jiffies rounds up to 4 ms); synack in milliseconds.
    {"net.ipv4.tcp_rto_min_us", Syntax::kInt, 1, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_rto_min_us; },
     [](StackConfig& c, std::int64_t v) { c.tcp_rto_min_us = static_cast<int>(v); },
     [](std::int64_t v) { return v % (kMsPerJiffy * 1000) == 0; },
     "synack implements whole jiffies only (multiples of 4000 us at HZ=250)"},
    {"net.ipv4.tcp_rto_max_ms", Syntax::kInt, 1000, 120000,  // TCP_RTO_MAX_SEC * MSEC_PER_SEC
     [](const StackConfig& c) -> std::int64_t { return c.tcp_rto_max_ms; },
     [](StackConfig& c, std::int64_t v) { c.tcp_rto_max_ms = static_cast<int>(v); },
     [](std::int64_t v) { return v % kMsPerJiffy == 0; },
     "synack implements whole jiffies only (multiples of 4 ms at HZ=250)"},
    {"net.ipv4.tcp_retries1", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_retries1; },
     [](StackConfig& c, std::int64_t v) { c.tcp_retries1 = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_retries2", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_retries2; },
     [](StackConfig& c, std::int64_t v) { c.tcp_retries2 = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_orphan_retries", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_orphan_retries; },
     [](StackConfig& c, std::int64_t v) { c.tcp_orphan_retries = static_cast<int>(v); }, nullptr, {}},

    // ---- Closing ----
    {"net.ipv4.tcp_fin_timeout", Syntax::kSeconds, -kIntMax / kHz, kIntMax / kHz,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_fin_timeout; },
     [](StackConfig& c, std::int64_t v) { c.tcp_fin_timeout = static_cast<int>(v); }, nonneg,
     "synack implements non-negative timeouts only"},
    {"net.ipv4.tcp_max_tw_buckets", Syntax::kInt, INT_MIN, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_max_tw_buckets; },
     [](StackConfig& c, std::int64_t v) { c.tcp_max_tw_buckets = static_cast<int>(v); }, nonneg,
     "synack implements non-negative limits only"},
    {"net.ipv4.tcp_tw_reuse", Syntax::kU8, 0, 2,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_tw_reuse; },
     [](StackConfig& c, std::int64_t v) { c.tcp_tw_reuse = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_tw_reuse_delay", Syntax::kUint, 1, 60000,  // TCP_PAWS_MSL * MSEC_PER_SEC
     [](const StackConfig& c) -> std::int64_t { return c.tcp_tw_reuse_delay; },
     [](StackConfig& c, std::int64_t v) { c.tcp_tw_reuse_delay = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_rfc1337", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_rfc1337 ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_rfc1337 = v != 0; }, nullptr, {}},

    // ---- RFC 5961 and out-of-window replies ----
    {"net.ipv4.tcp_invalid_ratelimit", Syntax::kMillis, -kIntMax * kMsPerJiffy, kIntMax * kMsPerJiffy,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_invalid_ratelimit; },
     [](StackConfig& c, std::int64_t v) { c.tcp_invalid_ratelimit = static_cast<int>(v); },
     [](std::int64_t v) { return v >= 0 && v <= kIntMax - kMsPerJiffy; },
     "synack implements non-negative limits up to INT_MAX ms only"},
    {"net.ipv4.tcp_challenge_ack_limit", Syntax::kInt, INT_MIN, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_challenge_ack_limit; },
     [](StackConfig& c, std::int64_t v) { c.tcp_challenge_ack_limit = v; }, nonneg,
     "synack implements non-negative limits only"},

    // ---- Delayed ACKs and keepalive ----
    {"net.ipv4.tcp_pingpong_thresh", Syntax::kU8, 1, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_pingpong_thresh; },
     [](StackConfig& c, std::int64_t v) { c.tcp_pingpong_thresh = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_keepalive_time", Syntax::kSeconds, -kIntMax / kHz, kIntMax / kHz,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_keepalive_time; },
     [](StackConfig& c, std::int64_t v) { c.tcp_keepalive_time = static_cast<int>(v); }, positive,
     "synack implements positive keepalive times only"},
    {"net.ipv4.tcp_keepalive_intvl", Syntax::kSeconds, -kIntMax / kHz, kIntMax / kHz,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_keepalive_intvl; },
     [](StackConfig& c, std::int64_t v) { c.tcp_keepalive_intvl = static_cast<int>(v); }, positive,
     "synack implements positive keepalive intervals only"},
    {"net.ipv4.tcp_keepalive_probes", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_keepalive_probes; },
     [](StackConfig& c, std::int64_t v) { c.tcp_keepalive_probes = static_cast<int>(v); }, nullptr, {}},

    // ---- IP (ip_local_port_range is a vector, handled apart) ----
    {"net.ipv4.ip_default_ttl", Syntax::kU8, 1, 255,
     [](const StackConfig& c) -> std::int64_t { return c.ip_default_ttl; },
     [](StackConfig& c, std::int64_t v) { c.ip_default_ttl = static_cast<int>(v); }, nullptr, {}},
    // 1 clears DF. (Linux then draws IPv4 IDs from its ip_idents hash; synack keeps counting per connection.)
    {"net.ipv4.ip_no_pmtu_disc", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.ip_no_pmtu_disc ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.ip_no_pmtu_disc = v != 0; },
     [](std::int64_t v) { return v <= 1; }, "synack implements 0 (DF set) and 1 (DF clear) only"},
    // Linux reads a device's own hop_limit (conf.<dev>, copied from conf.default when the device appears);
    // synack has this one value for every interface.
    {"net.ipv6.conf.all.hop_limit", Syntax::kInt, 1, 255,
     [](const StackConfig& c) -> std::int64_t { return c.hop_limit; },
     [](StackConfig& c, std::int64_t v) { c.hop_limit = static_cast<int>(v); }, nullptr, {}},
    // 2 and 3 depend on IPV6_AUTOFLOWLABEL, which synack's sockets do not have.
    {"net.ipv6.auto_flowlabels", Syntax::kU8, 0, 3,
     [](const StackConfig& c) -> std::int64_t { return c.auto_flowlabels; },
     [](StackConfig& c, std::int64_t v) { c.auto_flowlabels = static_cast<int>(v); },
     [](std::int64_t v) { return v <= 1; }, "synack has no IPV6_AUTOFLOWLABEL socket option (values 0 and 1 only)"},
    {"net.ipv6.flowlabel_state_ranges", Syntax::kU8, 0, 1,
     [](const StackConfig& c) -> std::int64_t { return c.flowlabel_state_ranges ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.flowlabel_state_ranges = v != 0; }, nullptr, {}},

    // ---- Behaviour synack implements one way only (issue 4, point 4): accepted at exactly those values ----
    // TLP runs only with 3 or 4 (tcp_schedule_loss_probe()); 1 and 2 are the retired early-retransmit modes,
    // which now mean no TLP as 0 does.
    {"net.ipv4.tcp_early_retrans", Syntax::kU8, 0, 4, [](const StackConfig&) -> std::int64_t { return 0; }, nullptr,
     [](std::int64_t v) { return v <= 2; }, "synack has no tail loss probe (it behaves as tcp_early_retrans=0)"},
    {"net.ipv4.tcp_frto", Syntax::kU8, 0, 255, [](const StackConfig&) -> std::int64_t { return 0; }, nullptr, zero,
     "synack has no F-RTO (it behaves as tcp_frto=0)"},
    // RACK cannot be turned off on the reference kernel (6.17+: bit 0x1 no longer matters); 0x2 keeps the
    // reordering window from growing with D-SACKs, 0x4 drops the duplicate-ACK rule (tcp_rack_reo_wnd()).
    {"net.ipv4.tcp_recovery", Syntax::kInt, INT_MIN, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_recovery; },
     [](StackConfig& c, std::int64_t v) { c.tcp_recovery = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_reordering", Syntax::kInt, INT_MIN, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_reordering; },
     [](StackConfig& c, std::int64_t v) { c.tcp_reordering = static_cast<int>(v); }, positive,
     "a reordering degree below 1 would mark every segment lost at once"},
    {"net.ipv4.tcp_max_reordering", Syntax::kInt, INT_MIN, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_max_reordering; },
     [](StackConfig& c, std::int64_t v) { c.tcp_max_reordering = static_cast<int>(v); }, positive,
     "a maximum reordering degree below 1 is not modelled"},
    {"net.ipv4.tcp_min_rtt_wlen", Syntax::kInt, 0, 86400,  // one day
     [](const StackConfig& c) -> std::int64_t { return c.tcp_min_rtt_wlen; },
     [](StackConfig& c, std::int64_t v) { c.tcp_min_rtt_wlen = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_dsack", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_dsack ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_dsack = v != 0; }, nullptr, {}},
    // Obsolete since Linux 4.15: no effect at any value.
    {"net.ipv4.tcp_fack", Syntax::kU8, 0, 255, [](const StackConfig&) -> std::int64_t { return 0; }, nullptr, nullptr,
     {}},
    // tcp_cwnd_restart() after an idle RTO (tcp_slow_start_after_idle_check()), on by default.
    {"net.ipv4.tcp_slow_start_after_idle", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_slow_start_after_idle ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_slow_start_after_idle = v != 0; }, nullptr, {}},
    {"net.ipv4.tcp_notsent_lowat", Syntax::kUint, 0, kUintMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_notsent_lowat; },
     [](StackConfig& c, std::int64_t v) { c.tcp_notsent_lowat = static_cast<std::uint32_t>(v); }, nullptr, {}},
    // Bit 0 enables client TFO, bit 1 server TFO, the rest variants of them; 0 is "no TFO", synack's behaviour.
    {"net.ipv4.tcp_fastopen", Syntax::kInt, INT_MIN, kIntMax, [](const StackConfig&) -> std::int64_t { return 0; },
     nullptr, zero, "synack has no TCP Fast Open (it behaves as tcp_fastopen=0)"},
    // tcp_tso_should_defer() defers at every value (0 only changes the limit); synack never defers.
    {"net.ipv4.tcp_tso_win_divisor", Syntax::kU8, 0, 255, nullptr, nullptr, [](std::int64_t) { return false; },
     "synack does not defer sending to build TSO packets"},
    // The pacing ratios only act when TCP paces: with the fq qdisc, or a congestion control asking for internal
    // pacing (BBR). With reno, the only one synack accepts, on a plain qdisc nothing paces: no effect.
    {"net.ipv4.tcp_pacing_ss_ratio", Syntax::kInt, 0, 1000, [](const StackConfig&) -> std::int64_t { return 200; },
     nullptr, nullptr, {}},
    {"net.ipv4.tcp_pacing_ca_ratio", Syntax::kInt, 0, 1000, [](const StackConfig&) -> std::int64_t { return 120; },
     nullptr, nullptr, {}},
    // Receive-buffer auto-tuning (tcp_rcv_space_adjust()); synack keeps tcp_rmem[1].
    {"net.ipv4.tcp_moderate_rcvbuf", Syntax::kU8, 0, 255, [](const StackConfig&) -> std::int64_t { return 0; },
     nullptr, zero, "synack does not auto-tune the receive buffer (tcp_moderate_rcvbuf=0)"},
    {"net.ipv4.tcp_mtu_probing", Syntax::kU8, 0, 255, [](const StackConfig&) -> std::int64_t { return 0; }, nullptr,
     zero, "synack has no packetization-layer path MTU discovery (tcp_mtu_probing=0)"},
    {"net.ipv4.tcp_thin_linear_timeouts", Syntax::kU8, 0, 255,
     [](const StackConfig&) -> std::int64_t { return 0; }, nullptr, zero,
     "synack has no linear timeouts for thin streams (tcp_thin_linear_timeouts=0)"},
    // SACK compression (__tcp_ack_snd_check()): 0 turns it off. The two times are unsigned longs in Linux
    // (proc_doulongvec_minmax); synack takes them up to UINT_MAX ns.
    {"net.ipv4.tcp_comp_sack_nr", Syntax::kU8, 0, 255,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_comp_sack_nr; },
     [](StackConfig& c, std::int64_t v) { c.tcp_comp_sack_nr = static_cast<int>(v); }, nullptr, {}},
    {"net.ipv4.tcp_comp_sack_delay_ns", Syntax::kUint, 0, kUintMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_comp_sack_delay_ns; },
     [](StackConfig& c, std::int64_t v) { c.tcp_comp_sack_delay_ns = v; }, nullptr, {}},
    {"net.ipv4.tcp_comp_sack_slack_ns", Syntax::kUint, 0, kUintMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_comp_sack_slack_ns; },
     [](StackConfig& c, std::int64_t v) { c.tcp_comp_sack_slack_ns = v; }, nullptr, {}},
    // 1 makes the urgent pointer point at the urgent byte (RFC 1122), 0 one past it (BSD, RFC 6093's advice).
    {"net.ipv4.tcp_stdurg", Syntax::kInt, INT_MIN, kIntMax,
     [](const StackConfig& c) -> std::int64_t { return c.tcp_stdurg ? 1 : 0; },
     [](StackConfig& c, std::int64_t v) { c.tcp_stdurg = v != 0; }, nullptr, {}},
    // Without MPTCP sockets (IPPROTO_MPTCP), which synack does not have, the switch changes nothing else.
    {"net.mptcp.enabled", Syntax::kU8, 0, 1, [](const StackConfig&) -> std::int64_t { return 0; }, nullptr, zero,
     "synack has no MPTCP (it behaves as net.mptcp.enabled=0)"},
};

constexpr std::string_view kRmem = "net.ipv4.tcp_rmem";
constexpr std::string_view kWmem = "net.ipv4.tcp_wmem";
constexpr std::string_view kPortRange = "net.ipv4.ip_local_port_range";
constexpr std::string_view kCongestion = "net.ipv4.tcp_congestion_control";
constexpr std::string_view kFastopenKey = "net.ipv4.tcp_fastopen_key";
constexpr std::array<std::string_view, 5> kSpecial = {kRmem, kWmem, kPortRange, kCongestion, kFastopenKey};

// sysctl takes "net/ipv4/x" as well as "net.ipv4.x" (and a leading slash).
std::string normalise(std::string_view name) {
    while (!name.empty() && name.front() == '/') name.remove_prefix(1);
    std::string n(name);
    for (char& ch : n) {
        if (ch == '/') ch = '.';
    }
    return n;
}

const Scalar* find_scalar(std::string_view name) {
    for (const Scalar& s : kScalars) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// One number as the kernel's proc_get_long() reads it: an optional '-', then C syntax (strtoul base 0).
struct Number {
    bool negative = false;
    std::uint64_t magnitude = 0;
};

std::optional<Number> parse_number(std::string_view token) {
    Number n;
    if (!token.empty() && token.front() == '-') {
        n.negative = true;
        token.remove_prefix(1);
    }
    if (token.empty()) return std::nullopt;
    unsigned base = 10;
    if (token.size() > 1 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
        base = 16;
        token.remove_prefix(2);
        if (token.empty()) return std::nullopt;
    } else if (token.size() > 1 && token[0] == '0') {
        base = 8;
        token.remove_prefix(1);
    }
    for (char c : token) {
        unsigned digit = 0;
        if (c >= '0' && c <= '9') {
            digit = static_cast<unsigned>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            digit = static_cast<unsigned>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            digit = static_cast<unsigned>(c - 'A' + 10);
        } else {
            return std::nullopt;
        }
        if (digit >= base) return std::nullopt;
        if (n.magnitude > (UINT64_MAX - digit) / base) return std::nullopt;  // strtoul's ERANGE
        n.magnitude = n.magnitude * base + digit;
    }
    return n;
}

// The whitespace-separated tokens of a value.
std::vector<std::string_view> tokens(std::string_view value) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && is_space(value[i])) ++i;
        const std::size_t start = i;
        while (i < value.size() && !is_space(value[i])) ++i;
        if (i > start) out.push_back(value.substr(start, i - start));
    }
    return out;
}

std::string describe(std::string_view name, std::string_view value) {
    std::string s(name);
    s += '=';
    s += value;
    return s;
}

SysctlResult invalid(std::string_view name, std::string_view value, std::string_view why) {
    std::string m = describe(name, value);
    m += ": Linux refuses it (";
    m += why;
    m += ')';
    return {SysctlResult::Status::kInvalid, std::move(m)};
}

SysctlResult unsupported(std::string_view name, std::string_view value, std::string_view why) {
    std::string m = describe(name, value);
    m += ": ";
    m += why;
    return {SysctlResult::Status::kUnsupported, std::move(m)};
}

std::string range_text(std::int64_t min, std::int64_t max) { return std::to_string(min) + ".." + std::to_string(max); }

// A number as `syntax` stores it; std::nullopt when the handler refuses it (its conversion, not the range).
std::optional<std::int64_t> convert(const Number& n, Syntax syntax) {
    switch (syntax) {
        case Syntax::kInt:
            if (n.negative ? n.magnitude > std::uint64_t{kIntMax} + 1 : n.magnitude > std::uint64_t{kIntMax}) {
                return std::nullopt;
            }
            break;
        case Syntax::kUint:
        case Syntax::kU8:
            if (n.negative || n.magnitude > std::uint64_t{kUintMax}) return std::nullopt;
            break;
        case Syntax::kSeconds:
            if (n.magnitude > std::uint64_t{kIntMax / kHz}) return std::nullopt;
            break;
        case Syntax::kMillis: {
            // msecs_to_jiffies() rounds up; more than INT_MAX jiffies is refused.
            if (n.magnitude > std::uint64_t{kIntMax} * kMsPerJiffy) return std::nullopt;
            const auto jiffies = static_cast<std::int64_t>((n.magnitude + kMsPerJiffy - 1) / kMsPerJiffy);
            const std::int64_t ms = jiffies * kMsPerJiffy;  // what reading it back shows
            return n.negative ? -ms : ms;
        }
    }
    const auto v = static_cast<std::int64_t>(n.magnitude);
    return n.negative ? -v : v;
}

// The numbers of a value, each converted; a std::string error (for kInvalid) when one is refused. Linux reads
// as many as the sysctl holds and ignores the rest of the text.
Result<std::vector<std::int64_t>, std::string> numbers(std::string_view value, Syntax syntax, std::size_t count) {
    const std::vector<std::string_view> ts = tokens(value);
    if (ts.empty()) return Err{std::string("no number")};
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < ts.size() && i < count; ++i) {
        const std::optional<Number> n = parse_number(ts[i]);
        if (!n) return Err{"not a number: \"" + std::string(ts[i]) + "\""};
        const std::optional<std::int64_t> v = convert(*n, syntax);
        if (!v) return Err{"out of range: " + std::string(ts[i])};
        out.push_back(*v);
    }
    return out;
}

SysctlResult set_scalar(StackConfig& config, const Scalar& s, std::string_view value) {
    auto parsed = numbers(value, s.syntax, 1);
    if (!parsed) return invalid(s.name, value, parsed.error());
    const std::int64_t v = parsed.value()[0];
    const std::int64_t max = s.syntax == Syntax::kU8 ? std::min<std::int64_t>(s.max, 255) : s.max;
    if (v < s.min || v > max) return invalid(s.name, value, "range " + range_text(s.min, max));
    if (s.implemented != nullptr && !s.implemented(v)) return unsupported(s.name, value, s.reason);
    if (s.set != nullptr) s.set(config, v);
    return {};
}

// tcp_rmem, tcp_wmem: proc_dointvec_minmax over three ints, each at least 1.
SysctlResult set_memory(std::array<int, 3>& field, std::string_view name, std::string_view value) {
    auto parsed = numbers(value, Syntax::kInt, 3);
    if (!parsed) return invalid(name, value, parsed.error());
    std::array<int, 3> next = field;
    for (std::size_t i = 0; i < parsed.value().size(); ++i) {
        const std::int64_t v = parsed.value()[i];
        if (v < 1) return invalid(name, value, "each number at least 1");
        next[i] = static_cast<int>(v);
    }
    field = next;
    return {};
}

// ipv4_local_port_range(): two ports in 1..65535, low <= high, and low not below ip_unprivileged_port_start
// (1024 by default; synack has no setting for it).
SysctlResult set_port_range(StackConfig& config, std::string_view value) {
    auto parsed = numbers(value, Syntax::kInt, 2);
    if (!parsed) return invalid(kPortRange, value, parsed.error());
    std::array<std::int64_t, 2> range = {config.ip_local_port_range[0], config.ip_local_port_range[1]};
    for (std::size_t i = 0; i < parsed.value().size(); ++i) range[i] = parsed.value()[i];
    for (const std::int64_t p : range) {
        if (p < 1 || p > 65535) return invalid(kPortRange, value, "ports 1..65535");
    }
    if (range[1] < range[0]) return invalid(kPortRange, value, "the upper port below the lower");
    if (range[0] < 1024) return invalid(kPortRange, value, "the lower port below ip_unprivileged_port_start 1024");
    config.ip_local_port_range = {static_cast<std::uint16_t>(range[0]), static_cast<std::uint16_t>(range[1])};
    return {};
}

// proc_dostring() keeps the text up to the first newline; tcp_set_default_congestion_control() looks it up.
SysctlResult set_congestion(std::string_view value) {
    const std::size_t nl = value.find('\n');
    const std::string_view algorithm = value.substr(0, nl);
    if (algorithm == "reno") return {};
    return unsupported(kCongestion, value, "synack has only reno (NewReno) congestion control");
}

// proc_tcp_fastopen_key(): "%x-%x-%x-%x", optionally ",%x-%x-%x-%x" for the backup key.
bool fastopen_key_valid(std::string_view key) {
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        const std::size_t start = i;
        while (i < key.size() && ((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f') ||
                                  (key[i] >= 'A' && key[i] <= 'F'))) {
            ++i;
        }
        if (i == start) return false;
        ++parts;
        if (parts == 4) return true;  // sscanf stops here: anything after the fourth number is ignored
        if (i >= key.size() || key[i] != '-') return false;
        ++i;
    }
}

SysctlResult set_fastopen_key(std::string_view value) {
    const std::string_view text = value.substr(0, value.find('\n'));
    const std::size_t comma = text.find(',');
    const std::string_view primary = text.substr(0, comma);
    if (!fastopen_key_valid(primary) || (comma != std::string_view::npos && !fastopen_key_valid(text.substr(comma + 1)))) {
        return invalid(kFastopenKey, value, "a key is four hex words: a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4");
    }
    // Only TCP Fast Open reads the key, and synack accepts only tcp_fastopen=0: the key changes nothing.
    return {};
}

std::string join(std::initializer_list<std::int64_t> values) {
    std::string s;
    for (const std::int64_t v : values) {
        if (!s.empty()) s += '\t';
        s += std::to_string(v);
    }
    return s;
}

}  // namespace

SysctlResult set_sysctl(StackConfig& config, std::string_view name, std::string_view value) {
    const std::string n = normalise(name);
    if (const Scalar* s = find_scalar(n)) return set_scalar(config, *s, value);
    if (n == kRmem) return set_memory(config.tcp_rmem, kRmem, value);
    if (n == kWmem) return set_memory(config.tcp_wmem, kWmem, value);
    if (n == kPortRange) return set_port_range(config, value);
    if (n == kCongestion) return set_congestion(value);
    if (n == kFastopenKey) return set_fastopen_key(value);
    return unsupported(n, value, "synack does not implement this setting");
}

std::optional<std::string> get_sysctl(const StackConfig& config, std::string_view name) {
    const std::string n = normalise(name);
    if (const Scalar* s = find_scalar(n)) {
        if (s->get == nullptr) return std::nullopt;
        return std::to_string(s->get(config));
    }
    if (n == kRmem) return join({config.tcp_rmem[0], config.tcp_rmem[1], config.tcp_rmem[2]});
    if (n == kWmem) return join({config.tcp_wmem[0], config.tcp_wmem[1], config.tcp_wmem[2]});
    if (n == kPortRange) return join({config.ip_local_port_range[0], config.ip_local_port_range[1]});
    if (n == kCongestion) return std::string("reno");
    if (n == kFastopenKey) return std::string("00000000-00000000-00000000-00000000");
    return std::nullopt;
}

std::vector<std::string_view> sysctl_names() {
    std::vector<std::string_view> names;
    for (const Scalar& s : kScalars) names.push_back(s.name);
    for (const std::string_view s : kSpecial) names.push_back(s);
    return names;
}

}  // namespace synack::stack
