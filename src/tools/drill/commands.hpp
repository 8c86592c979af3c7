// Back-quoted shell commands of a script, understood rather than run: packetdrill scripts use them to set
// sysctls (`sysctl -q net.ipv4.tcp_sack=0`, `echo 0 > /proc/sys/net/ipv4/tcp_sack`, the kernel selftests'
// `./set_sysctls.py /proc/sys/net/ipv4/tcp_sack=0`, and gtests' `../common/defaults.sh`). Drill maps each onto
// Backend::set_sysctl, so both backends see the same settings; a command it does not understand makes the
// script "unsupported" — never silently ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace synack::drill {

struct SysctlAssignment {
    std::string name;   // dotted: "net.ipv4.tcp_sack"
    std::string value;  // as sysctl takes it: "0", "4096 131072 6291456"
};

struct CommandPlan {
    std::vector<SysctlAssignment> sysctls;
    std::string unsupported;  // non-empty: the part drill does not understand, and why
};

CommandPlan plan_command(std::string_view text);

// The sysctls of google/packetdrill's gtests/net/common/defaults.sh, in its order.
std::vector<SysctlAssignment> packetdrill_defaults();

}  // namespace synack::drill
