// Linux's sysctl names and value syntax onto StackConfig: every name round-trips, the kernel's parsing (C number
// syntax, several numbers separated by spaces or tabs, fewer numbers keeping the rest) and ranges (EINVAL →
// kInvalid, from net/ipv4/sysctl_net_ipv4.c of Linux 6.18), and the values synack does not implement.
#include "stack/sysctl_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace synack::stack {
namespace {

using Status = SysctlResult::Status;

Status set(StackConfig& c, std::string_view name, std::string_view value) { return set_sysctl(c, name, value).status; }

TEST(SysctlTable, EveryNameReadsBackWhatItWasSetTo) {
    // Linux's compiled-in defaults read back as /proc/sys prints them ...
    const StackConfig defaults;
    EXPECT_EQ(get_sysctl(defaults, "net.ipv4.tcp_rmem"), "4096\t131072\t6291456");
    EXPECT_EQ(get_sysctl(defaults, "net.ipv4.tcp_wmem"), "4096\t16384\t4194304");
    EXPECT_EQ(get_sysctl(defaults, "net.ipv4.ip_local_port_range"), "32768\t60999");
    EXPECT_EQ(get_sysctl(defaults, "net.ipv4.tcp_syn_retries"), "6");
    EXPECT_EQ(get_sysctl(defaults, "net.core.somaxconn"), "4096");
    EXPECT_EQ(get_sysctl(defaults, "net.ipv4.tcp_congestion_control"), "reno");
    // ... and writing back what a name reads leaves the configuration as it was — except the two defaults whose
    // behaviour synack lacks (Linux's tcp_ecn=2 and tcp_syncookies=1).
    int names = 0;
    for (const std::string_view name : sysctl_names()) {
        const std::optional<std::string> value = get_sysctl(defaults, name);
        if (!value) continue;  // no value describes synack (tcp_recovery ...)
        ++names;
        StackConfig c;
        const SysctlResult r = set_sysctl(c, name, *value);
        if (name == "net.ipv4.tcp_ecn" || name == "net.ipv4.tcp_syncookies") {
            EXPECT_EQ(r.status, Status::kUnsupported) << name;
            continue;
        }
        EXPECT_EQ(r.status, Status::kApplied) << name << "=" << *value << ": " << r.message;
        EXPECT_EQ(get_sysctl(c, name), value) << name;
    }
    EXPECT_GE(names, 55);
}

TEST(SysctlTable, EveryFieldHasItsSysctl) {
    // Each field takes a non-default value through its name.
    StackConfig c;
    const std::pair<const char*, const char*> writes[] = {
        {"net.ipv4.tcp_syn_retries", "3"},          {"net.ipv4.tcp_syn_linear_timeouts", "0"},
        {"net.ipv4.tcp_synack_retries", "2"},       {"net.ipv4.tcp_timestamps", "0"},
        {"net.ipv4.tcp_window_scaling", "0"},       {"net.ipv4.tcp_sack", "0"},
        {"net.ipv4.tcp_ecn", "0"},                  {"net.ipv4.tcp_min_snd_mss", "536"},
        {"net.ipv4.tcp_syncookies", "0"},           {"net.ipv4.tcp_max_syn_backlog", "128"},
        {"net.core.somaxconn", "16"},               {"net.ipv4.tcp_abort_on_overflow", "1"},
        {"net.ipv4.tcp_rmem", "4096 87380 33554432"}, {"net.ipv4.tcp_wmem", "4096\t262144\t4194304"},
        {"net.core.rmem_max", "4194304"},           {"net.core.wmem_max", "8388608"},
        {"net.ipv4.tcp_app_win", "0"},              {"net.ipv4.tcp_workaround_signed_windows", "1"},
        {"net.ipv4.tcp_shrink_window", "1"},        {"net.ipv4.tcp_rto_min_us", "8000"},
        {"net.ipv4.tcp_rto_max_ms", "60000"},       {"net.ipv4.tcp_retries1", "4"},
        {"net.ipv4.tcp_retries2", "8"},             {"net.ipv4.tcp_orphan_retries", "2"},
        {"net.ipv4.tcp_fin_timeout", "30"},         {"net.ipv4.tcp_max_tw_buckets", "10"},
        {"net.ipv4.tcp_tw_reuse", "1"},             {"net.ipv4.tcp_tw_reuse_delay", "100"},
        {"net.ipv4.tcp_rfc1337", "1"},              {"net.ipv4.tcp_invalid_ratelimit", "1000"},
        {"net.ipv4.tcp_challenge_ack_limit", "1000"}, {"net.ipv4.tcp_pingpong_thresh", "3"},
        {"net.ipv4.tcp_keepalive_time", "60"},      {"net.ipv4.tcp_keepalive_intvl", "5"},
        {"net.ipv4.tcp_keepalive_probes", "3"},     {"net.ipv4.ip_local_port_range", "40000 40009"},
        {"net.ipv4.ip_default_ttl", "32"},          {"net.ipv4.ip_no_pmtu_disc", "1"},
        {"net.ipv6.conf.all.hop_limit", "17"},      {"net.ipv6.auto_flowlabels", "0"},
        {"net.ipv6.flowlabel_state_ranges", "1"},
    };
    for (const auto& [name, value] : writes) {
        const SysctlResult r = set_sysctl(c, name, value);
        EXPECT_EQ(r.status, Status::kApplied) << name << ": " << r.message;
    }
    EXPECT_EQ(c.tcp_syn_retries, 3);
    EXPECT_EQ(c.tcp_syn_linear_timeouts, 0);
    EXPECT_EQ(c.tcp_synack_retries, 2);
    EXPECT_FALSE(c.tcp_timestamps);
    EXPECT_FALSE(c.tcp_window_scaling);
    EXPECT_FALSE(c.tcp_sack);
    EXPECT_EQ(c.tcp_ecn, 0);
    EXPECT_EQ(c.tcp_min_snd_mss, 536);
    EXPECT_EQ(c.tcp_syncookies, 0);
    EXPECT_EQ(c.tcp_max_syn_backlog, 128);
    EXPECT_EQ(c.somaxconn, 16);
    EXPECT_TRUE(c.tcp_abort_on_overflow);
    EXPECT_EQ(c.tcp_rmem, (std::array<int, 3>{4096, 87380, 33554432}));
    EXPECT_EQ(c.tcp_wmem, (std::array<int, 3>{4096, 262144, 4194304}));
    EXPECT_EQ(c.rmem_max, 4194304);
    EXPECT_EQ(c.wmem_max, 8388608);
    EXPECT_EQ(c.tcp_app_win, 0);
    EXPECT_TRUE(c.tcp_workaround_signed_windows);
    EXPECT_TRUE(c.tcp_shrink_window);
    EXPECT_EQ(c.tcp_rto_min_us, 8000);
    EXPECT_EQ(c.tcp_rto_max_ms, 60000);
    EXPECT_EQ(c.tcp_retries1, 4);
    EXPECT_EQ(c.tcp_retries2, 8);
    EXPECT_EQ(c.tcp_orphan_retries, 2);
    EXPECT_EQ(c.tcp_fin_timeout, 30);
    EXPECT_EQ(c.tcp_max_tw_buckets, 10);
    EXPECT_EQ(c.tcp_tw_reuse, 1);
    EXPECT_EQ(c.tcp_tw_reuse_delay, 100);
    EXPECT_TRUE(c.tcp_rfc1337);
    EXPECT_EQ(c.tcp_invalid_ratelimit, 1000);
    EXPECT_EQ(c.tcp_challenge_ack_limit, 1000);
    EXPECT_EQ(c.tcp_pingpong_thresh, 3);
    EXPECT_EQ(c.tcp_keepalive_time, 60);
    EXPECT_EQ(c.tcp_keepalive_intvl, 5);
    EXPECT_EQ(c.tcp_keepalive_probes, 3);
    EXPECT_EQ(c.ip_local_port_range, (std::array<std::uint16_t, 2>{40000, 40009}));
    EXPECT_EQ(c.ip_default_ttl, 32);
    EXPECT_TRUE(c.ip_no_pmtu_disc);
    EXPECT_EQ(c.hop_limit, 17);
    EXPECT_EQ(c.auto_flowlabels, 0);
    EXPECT_TRUE(c.flowlabel_state_ranges);
}

TEST(SysctlTable, NumbersAsTheKernelParsesThem) {
    StackConfig c;
    // strtoul base 0: hex and octal; surrounding whitespace and the trailing newline sysctl writes.
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "0x7"), Status::kApplied);
    EXPECT_EQ(c.tcp_syn_retries, 7);
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "010"), Status::kApplied);
    EXPECT_EQ(c.tcp_syn_retries, 8);
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "  5\n"), Status::kApplied);
    EXPECT_EQ(c.tcp_syn_retries, 5);
    // sysctl's slash form of the name.
    EXPECT_EQ(set(c, "net/ipv4/tcp_syn_retries", "4"), Status::kApplied);
    EXPECT_EQ(c.tcp_syn_retries, 4);
    // Not a number, a trailing letter, nothing at all, an octal 9: EINVAL, and nothing changes.
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "five"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "5s"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", ""), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", " \t"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "09"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "0x"), Status::kInvalid);
    EXPECT_EQ(c.tcp_syn_retries, 4);
    // A single-number sysctl reads the first number and ignores the rest of the text, as the kernel does.
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "3 99"), Status::kApplied);
    EXPECT_EQ(c.tcp_syn_retries, 3);
}

TEST(SysctlTable, VectorsTakeSpacesTabsAndFewerNumbers) {
    StackConfig c;
    EXPECT_EQ(set(c, "net.ipv4.tcp_rmem", "4096\t540000   15728640"), Status::kApplied);
    EXPECT_EQ(c.tcp_rmem, (std::array<int, 3>{4096, 540000, 15728640}));
    // Fewer numbers: the others keep their value (proc_dointvec writes element by element).
    EXPECT_EQ(set(c, "net.ipv4.tcp_rmem", "8192 65536"), Status::kApplied);
    EXPECT_EQ(c.tcp_rmem, (std::array<int, 3>{8192, 65536, 15728640}));
    EXPECT_EQ(get_sysctl(c, "net.ipv4.tcp_rmem"), "8192\t65536\t15728640");
    // tcp_rmem/tcp_wmem have extra1 = SYSCTL_ONE: 0 or a negative number is refused, nothing changes.
    EXPECT_EQ(set(c, "net.ipv4.tcp_wmem", "0 16384 4194304"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.tcp_wmem", "4096 -1 4194304"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.tcp_wmem", "4096 16384 4294967296"), Status::kInvalid);  // beyond int
    EXPECT_EQ(c.tcp_wmem, (std::array<int, 3>{4096, 16384, 4194304}));
    // ip_local_port_range: low <= high, 1..65535, not below ip_unprivileged_port_start (1024).
    EXPECT_EQ(set(c, "net.ipv4.ip_local_port_range", "2000\t3000"), Status::kApplied);
    EXPECT_EQ(c.ip_local_port_range, (std::array<std::uint16_t, 2>{2000, 3000}));
    EXPECT_EQ(set(c, "net.ipv4.ip_local_port_range", "3001"), Status::kInvalid);  // low above the kept high
    EXPECT_EQ(set(c, "net.ipv4.ip_local_port_range", "4000 3000"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.ip_local_port_range", "1000 3000"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.ip_local_port_range", "2000 65536"), Status::kInvalid);
    EXPECT_EQ(set(c, "net.ipv4.ip_local_port_range", "3000 3000"), Status::kApplied);
    EXPECT_EQ(c.ip_local_port_range, (std::array<std::uint16_t, 2>{3000, 3000}));
}

TEST(SysctlTable, LinuxRangesAreInvalid) {
    StackConfig c;
    const std::pair<const char*, const char*> refused[] = {
        {"net.ipv4.tcp_syn_retries", "0"},           // 1..MAX_TCP_SYNCNT
        {"net.ipv4.tcp_syn_retries", "128"},
        {"net.ipv4.tcp_syn_linear_timeouts", "128"},
        {"net.ipv4.tcp_synack_retries", "256"},      // u8
        {"net.ipv4.tcp_synack_retries", "-1"},       // no sign for unsigned handlers
        {"net.ipv4.tcp_timestamps", "256"},
        {"net.ipv4.tcp_ecn", "6"},                   // 0..5 (AccECN modes)
        {"net.ipv4.tcp_min_snd_mss", "47"},          // TCP_MIN_SND_MSS..65535
        {"net.ipv4.tcp_min_snd_mss", "65536"},
        {"net.core.somaxconn", "-1"},
        {"net.core.rmem_max", "2303"},               // SOCK_MIN_RCVBUF
        {"net.core.wmem_max", "4607"},               // SOCK_MIN_SNDBUF
        {"net.ipv4.tcp_app_win", "32"},
        {"net.ipv4.tcp_shrink_window", "2"},
        {"net.ipv4.tcp_rto_min_us", "0"},
        {"net.ipv4.tcp_rto_max_ms", "999"},          // 1000..120000
        {"net.ipv4.tcp_rto_max_ms", "120001"},
        {"net.ipv4.tcp_tw_reuse", "3"},
        {"net.ipv4.tcp_tw_reuse_delay", "0"},        // 1..60000
        {"net.ipv4.tcp_tw_reuse_delay", "60001"},
        {"net.ipv4.tcp_pingpong_thresh", "0"},
        {"net.ipv4.tcp_fin_timeout", "8589935"},     // beyond INT_MAX / HZ
        {"net.ipv4.tcp_max_tw_buckets", "2147483648"},
        {"net.ipv4.ip_default_ttl", "0"},
        {"net.ipv6.conf.all.hop_limit", "256"},
        {"net.ipv6.auto_flowlabels", "4"},
        {"net.ipv6.flowlabel_state_ranges", "2"},
        {"net.ipv4.tcp_early_retrans", "5"},
        {"net.ipv4.tcp_pacing_ss_ratio", "1001"},
        {"net.ipv4.tcp_notsent_lowat", "4294967296"},
        {"net.mptcp.enabled", "2"},
        {"net.ipv4.tcp_fastopen_key", "a1a1a1a1-b2b2b2b2-c3c3c3c3"},
        {"net.ipv4.tcp_fastopen_key", "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4,zz"},
    };
    for (const auto& [name, value] : refused) {
        const StackConfig before = c;
        const SysctlResult r = set_sysctl(c, name, value);
        EXPECT_EQ(r.status, Status::kInvalid) << name << "=" << value << ": " << r.message;
        EXPECT_EQ(get_sysctl(c, name), get_sysctl(before, name)) << name;
    }
    const SysctlResult r = set_sysctl(c, "net.ipv4.tcp_syn_retries", "0");
    EXPECT_EQ(r.message, "net.ipv4.tcp_syn_retries=0: Linux refuses it (range 1..127)");
    // The edges of the same ranges are accepted.
    EXPECT_EQ(set(c, "net.ipv4.tcp_syn_retries", "127"), Status::kApplied);
    EXPECT_EQ(set(c, "net.ipv4.tcp_min_snd_mss", "48"), Status::kApplied);
    EXPECT_EQ(set(c, "net.ipv4.tcp_max_tw_buckets", "2147483647"), Status::kApplied);
    EXPECT_EQ(set(c, "net.ipv4.tcp_fin_timeout", "8589934"), Status::kApplied);
}

TEST(SysctlTable, MillisecondsAreStoredInWholeJiffies) {
    // proc_dointvec_ms_jiffies: 250 Hz, so 3 ms becomes one jiffy and reads back as 4.
    StackConfig c;
    EXPECT_EQ(set(c, "net.ipv4.tcp_invalid_ratelimit", "3"), Status::kApplied);
    EXPECT_EQ(c.tcp_invalid_ratelimit, 4);
    EXPECT_EQ(get_sysctl(c, "net.ipv4.tcp_invalid_ratelimit"), "4");
    EXPECT_EQ(set(c, "net.ipv4.tcp_invalid_ratelimit", "0"), Status::kApplied);
    EXPECT_EQ(c.tcp_invalid_ratelimit, 0);
}

TEST(SysctlTable, ParityPolicyValues) {
    StackConfig c;
    // Accepted: the values whose behaviour is synack's.
    const std::pair<const char*, const char*> applied[] = {
        {"net.ipv4.tcp_congestion_control", "reno"}, {"net.ipv4.tcp_congestion_control", "reno\n"},
        {"net.ipv4.tcp_early_retrans", "0"},         {"net.ipv4.tcp_early_retrans", "2"},
        {"net.ipv4.tcp_frto", "0"},                  {"net.ipv4.tcp_ecn", "0"},
        {"net.ipv4.tcp_dsack", "1"},                 {"net.ipv4.tcp_fack", "0"},
        {"net.ipv4.tcp_fack", "1"},                  {"net.ipv4.tcp_slow_start_after_idle", "0"},
        {"net.ipv4.tcp_notsent_lowat", "4294967295"}, {"net.ipv4.tcp_fastopen", "0"},
        {"net.ipv4.tcp_pacing_ss_ratio", "200"},     {"net.ipv4.tcp_pacing_ca_ratio", "120"},
        {"net.ipv4.tcp_fastopen_key", "a1a1a1a1-b2b2b2b2-c3c3c3c3-d4d4d4d4"},
        {"net.ipv4.tcp_syncookies", "0"},            {"net.mptcp.enabled", "0"},
        {"net.ipv4.tcp_timestamps", "1"},            {"net.ipv4.tcp_moderate_rcvbuf", "0"},
        {"net.ipv4.tcp_slow_start_after_idle", "1"}, {"net.ipv4.tcp_notsent_lowat", "16384"},
        {"net.ipv4.tcp_recovery", "1"},              {"net.ipv4.tcp_recovery", "0"},
        {"net.ipv4.tcp_recovery", "6"},              {"net.ipv4.tcp_reordering", "3"},
        {"net.ipv4.tcp_max_reordering", "300"},      {"net.ipv4.tcp_min_rtt_wlen", "300"},
    };
    for (const auto& [name, value] : applied) {
        const SysctlResult r = set_sysctl(c, name, value);
        EXPECT_EQ(r.status, Status::kApplied) << name << "=" << value << ": " << r.message;
    }
    // Unsupported: what Linux accepts but synack does not do (defaults.sh's values among them).
    const std::pair<const char*, const char*> unsupported[] = {
        {"net.ipv4.tcp_congestion_control", "cubic"}, {"net.ipv4.tcp_congestion_control", "bbr"},
        {"net.ipv4.tcp_early_retrans", "3"},          {"net.ipv4.tcp_early_retrans", "4"},
        {"net.ipv4.tcp_frto", "2"},                   {"net.ipv4.tcp_ecn", "1"},
        {"net.ipv4.tcp_ecn", "2"},                    {"net.ipv4.tcp_reordering", "0"},
        {"net.ipv4.tcp_fastopen", "0x70403"},
        {"net.ipv4.tcp_fastopen", "1"},               {"net.ipv4.tcp_tso_win_divisor", "3"},
        {"net.ipv4.tcp_syncookies", "1"},             {"net.mptcp.enabled", "1"},
        {"net.ipv4.tcp_timestamps", "2"},             {"net.ipv4.tcp_rto_min_us", "1000"},
        {"net.ipv6.auto_flowlabels", "3"},            {"net.ipv4.tcp_no_such_thing", "1"},
        {"net.ipv4.tcp_moderate_rcvbuf", "1"},
    };
    for (const auto& [name, value] : unsupported) {
        const SysctlResult r = set_sysctl(c, name, value);
        EXPECT_EQ(r.status, Status::kUnsupported) << name << "=" << value << ": " << r.message;
        EXPECT_FALSE(r.message.empty());
    }
    EXPECT_EQ(set_sysctl(c, "net.ipv4.tcp_ecn", "2").message,
              "net.ipv4.tcp_ecn=2: synack does not negotiate ECN (it behaves as tcp_ecn=0)");
    EXPECT_EQ(set_sysctl(c, "net.ipv4.tcp_congestion_control", "cubic").message,
              "net.ipv4.tcp_congestion_control=cubic: synack has only reno (NewReno) congestion control");
    // Names without a value that describes synack read as nothing; unknown names too.
    EXPECT_EQ(get_sysctl(c, "net.ipv4.tcp_tso_win_divisor"), std::nullopt);
    EXPECT_EQ(get_sysctl(c, "net.ipv4.tcp_no_such_thing"), std::nullopt);
    EXPECT_EQ(get_sysctl(c, "net.ipv4.tcp_dsack"), "1");
}

}  // namespace
}  // namespace synack::stack
