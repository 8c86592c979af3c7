// Linux's sysctl names and value syntax onto stack::StackConfig: what `sysctl -w net.ipv4.tcp_rmem="4096 131072
// 6291456"` means for a synack stack, for the drill runner and any tool that takes Linux settings.
//
//   StackConfig c;
//   set_sysctl(c, "net.ipv4.tcp_timestamps", "0");        // kApplied: c.tcp_timestamps == false
//   set_sysctl(c, "net.ipv4.tcp_syn_retries", "0");       // kInvalid: Linux's range is 1..127
//   set_sysctl(c, "net.ipv4.tcp_congestion_control", "cubic");  // kUnsupported: synack has only "reno"
//   get_sysctl(c, "net.ipv4.ip_local_port_range");        // "32768\t60999", as /proc/sys prints it
//
// Values are parsed as the kernel's proc handlers parse them (kernel/sysctl.c, net/ipv4/sysctl_net_ipv4.c of
// Linux 6.18): integers in C syntax (decimal, 0x hex, leading-0 octal), several of them separated by spaces, tabs
// or newlines; a vector sysctl written with fewer numbers keeps the rest; each handler's range. A value the
// reference kernel refuses (EINVAL) is kInvalid. A name synack does not know, or a value whose behaviour synack
// does not implement, is kUnsupported with a one-line reason: the parity policy of issue 4 — a setting is applied
// only when synack then behaves as Linux does with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stack/config.hpp"

namespace synack::stack {

struct SysctlResult {
    enum class Status : std::uint8_t {
        kApplied,      // the configuration now holds the value
        kUnsupported,  // a name or value synack does not implement; the configuration is unchanged
        kInvalid,      // a value Linux refuses (sysctl: "Invalid argument"); the configuration is unchanged
    };
    Status status = Status::kApplied;
    std::string message;  // why, for kUnsupported and kInvalid: "net.ipv4.tcp_ecn=1: synack does not negotiate ECN"
};

// Sets `name` ("net.ipv4.tcp_syn_retries"; "net/ipv4/tcp_syn_retries" as sysctl also takes it) to `value`.
SysctlResult set_sysctl(StackConfig& config, std::string_view name, std::string_view value);

// The value as `sysctl -n` prints it (numbers of a vector separated by tabs); for a setting synack has no field
// for, the value synack behaves as ("reno" for tcp_congestion_control). std::nullopt for a name synack does not
// know, or one for which synack implements no value at all (tcp_recovery, tcp_reordering, tcp_tso_win_divisor).
std::optional<std::string> get_sysctl(const StackConfig& config, std::string_view name);

// Every name set_sysctl() knows, in the table's order (each one's values may still be partly unsupported).
std::vector<std::string_view> sysctl_names();

}  // namespace synack::stack
