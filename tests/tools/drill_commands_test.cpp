// Back-quoted commands → sysctl settings (tools/drill/commands.hpp).
#include <gtest/gtest.h>

#include "tools/drill/commands.hpp"

namespace synack::drill {
namespace {

std::string text(const CommandPlan& p) {
    std::string s;
    for (const SysctlAssignment& a : p.sysctls) s += a.name + "=" + a.value + ";";
    return s;
}

TEST(DrillCommands, SysctlWithSeveralAssignmentsAndQuotes) {
    const CommandPlan p = plan_command("sysctl -q net.ipv4.tcp_sack=0 net.ipv4.tcp_rmem=\"4096 131072 6291456\"");
    EXPECT_EQ(p.unsupported, "");
    EXPECT_EQ(text(p), "net.ipv4.tcp_sack=0;net.ipv4.tcp_rmem=4096 131072 6291456;");
}

TEST(DrillCommands, EchoIntoProcSysAndSetSysctlsPy) {
    EXPECT_EQ(text(plan_command("echo 0 > /proc/sys/net/ipv4/tcp_timestamps")), "net.ipv4.tcp_timestamps=0;");
    EXPECT_EQ(text(plan_command("./set_sysctls.py /proc/sys/net/ipv4/tcp_ecn=0 /proc/sys/net/ipv4/tcp_frto=0")),
              "net.ipv4.tcp_ecn=0;net.ipv4.tcp_frto=0;");
}

TEST(DrillCommands, SeveralLinesSemicolonsAndContinuations) {
    const CommandPlan p = plan_command("sysctl -q net.ipv4.tcp_sack=1; sysctl -q net.ipv4.tcp_timestamps=1 && \\\n"
                                       "sysctl -q net.ipv4.tcp_window_scaling=0\n");
    EXPECT_EQ(p.unsupported, "");
    EXPECT_EQ(text(p), "net.ipv4.tcp_sack=1;net.ipv4.tcp_timestamps=1;net.ipv4.tcp_window_scaling=0;");
}

TEST(DrillCommands, DefaultsShIsPacketdrillsList) {
    const CommandPlan p = plan_command("../common/defaults.sh");
    ASSERT_EQ(p.unsupported, "");
    ASSERT_EQ(p.sysctls.size(), packetdrill_defaults().size());
    EXPECT_EQ(p.sysctls.front().name, "net.ipv4.tcp_rmem");
    EXPECT_EQ(p.sysctls.front().value, "4096 540000 15728640");  // $((15*1024*1024))
}

TEST(DrillCommands, AnythingElseIsUnsupported) {
    EXPECT_NE(plan_command("tc qdisc add dev tun0 root fq").unsupported, "");
    EXPECT_NE(plan_command("sysctl -q net.ipv4.tcp_rmem=$((1<<20))").unsupported, "");
    EXPECT_NE(plan_command("sysctl -a").unsupported, "");
    EXPECT_NE(plan_command("echo 1 > /tmp/x").unsupported, "");
    EXPECT_NE(plan_command("true & false").unsupported, "");
}

}  // namespace
}  // namespace synack::drill
