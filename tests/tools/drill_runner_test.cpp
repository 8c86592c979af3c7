// The runner on the synack backend: scripts that must pass, and scripts that must fail — each with the line and
// the reason packetdrill would give — so a broken stack cannot slip through a broken runner.
#include <gtest/gtest.h>

#include <string>

#include "tools/drill/parser.hpp"
#include "tools/drill/runner.hpp"
#include "tools/drill/synack_backend.hpp"

namespace synack::drill {
namespace {

constexpr std::string_view kOpen = R"(
0 `sysctl -q net.ipv4.tcp_congestion_control=reno net.ipv4.tcp_early_retrans=0 net.ipv4.tcp_frto=0 net.ipv4.tcp_ecn=0`
+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
+0 > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 1000 ecr 100,nop,wscale 7>
)";

ScriptResult run(const std::string& text) {
    auto script = parse_script(text, "t.pkt");
    EXPECT_TRUE(script.ok()) << script.error().to_string();
    if (!script) return ScriptResult{ScriptResult::Status::kFailed, 0, "parse", {}};
    auto options = options_for_script(*script, {});
    EXPECT_TRUE(options.ok());
    auto network = network_settings(*options);
    EXPECT_TRUE(network.ok());
    SynackBackend backend;
    return run_script(*script, *options, *network, backend, nullptr);
}

TEST(DrillRunner, AHandshakePasses) {
    const ScriptResult r = run(std::string(kOpen) + "+.01 < . 1:1(0) ack 1 win 502 <nop,nop,TS val 200 ecr 1000>\n"
                                                    "+0 accept(3, ..., ...) = 4\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kPassed) << r.message;
}

TEST(DrillRunner, AWrongFieldFailsWithTheLineAndBothPackets) {
    const ScriptResult r = run(std::string(kOpen) + "+.01 < . 1:1(0) ack 1 win 502 <nop,nop,TS val 200 ecr 1000>\n"
                                                    "+0 accept(3, ..., ...) = 4\n"
                                                    "+0 write(4, ..., 10) = 10\n"
                                                    "+0 > P. 1:11(10) ack 2 win 510 <nop,nop,TS val 1010 ecr 200>\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.line, 11);
    EXPECT_EQ(r.message, "live packet field mismatch: ack: expected 2, got 1");
    ASSERT_EQ(r.details.size(), 2u);
    EXPECT_EQ(r.details[0].rfind("script: IP 198.18.0.1.8080 > 198.19.0.1.40000: Flags [P.]", 0), 0u) << r.details[0];
}

TEST(DrillRunner, AWrongResultFails) {
    // A blocking accept() with nothing to accept would block: the listener is made non-blocking.
    const ScriptResult r = run(std::string(kOpen) + "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
                                                    "+0 accept(3, ..., ...) = 4\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.line, 9);
    EXPECT_EQ(r.message, "accept(): Expected result 4 but got -1 with errno 11 (Resource temporarily unavailable)");
}

TEST(DrillRunner, APacketNoLineExpectedFailsAtTheEnd) {
    // The listener is closed with a request pending: nothing is sent. But a SYN to a closed port is answered.
    const ScriptResult r = run(std::string(kOpen) + "+0 close(3) = 0\n"
                                                    "+.1 < S 0:0(0) win 65535 <mss 1460>\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.message, "unexpected outbound packet after the last event");
}

TEST(DrillRunner, AnExpectedPacketThatNeverComesTimesOut) {
    // An established, idle connection sends nothing.
    const ScriptResult r = run(std::string(kOpen) + "+.01 < . 1:1(0) ack 1 win 502 <nop,nop,TS val 200 ecr 1000>\n"
                                                    "+0 > . 1:1(0) ack 1\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.message, "timed out waiting for outbound packet");
}

TEST(DrillRunner, APacketAtTheWrongTimeFails) {
    // The SYN-ACK is retransmitted 1 s after the first (tcp_synack_retries' first timeout), not 0.5 s.
    const ScriptResult r = run(std::string(kOpen) + "+.5 > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 2000 ecr 100,nop,wscale 7>\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.message.rfind("timing error: expected outbound packet at 0.500000 sec but happened at 1.000000 sec", 0),
              0u)
        << r.message;
}

TEST(DrillRunner, AnEventTheRunnerReachesLateFails) {
    // The retransmitted SYN-ACK comes at 1.0 (the range allows it), but the next line says 0.95.
    const ScriptResult r =
        run(std::string(kOpen) + "0.9~1.1 > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 2000 ecr 100,nop,wscale 7>\n"
                                 "0.95 < . 1:1(0) ack 1 win 502 <nop,nop,TS val 200 ecr 2000>\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.message.rfind("timing error: expected inbound packet at 0.950000 sec but happened at 1.000000 sec", 0),
              0u)
        << r.message;
}

TEST(DrillRunner, TimeGoingBackwardsIsRefused) {
    const ScriptResult r = run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n0.5 close(3) = 0\n0.2 close(3) = -1 EBADF\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.line, 3);
    EXPECT_EQ(r.message, "time goes backward in script from 500000 usec to 200000 usec");
}

TEST(DrillRunner, ABlockingCallsToleranceCountsFromItsOwnStart) {
    // accept() blocks for 0.45 s against a written 0.5: 12.5 % of the call's 0.5 s allows it (run_system_call.c),
    // whatever the gap since the last event.
    const ScriptResult r = run(R"(
0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
+0 bind(3, ..., ...) = 0
+0 listen(3, 1) = 0
+0...0.500 accept(3, ..., ...) = 4
+.4 < S 0:0(0) win 65535 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>
+0 > S. 0:0(0) ack 1 win 65160 <mss 1460,sackOK,TS val 400 ecr 100,nop,wscale 7>
+.05 < . 1:1(0) ack 1 win 502 <nop,nop,TS val 200 ecr 400>
)");
    EXPECT_EQ(r.status, ScriptResult::Status::kPassed) << r.line << ": " << r.message;
}

TEST(DrillRunner, ASettingSynackLacksSkipsTheScript) {
    const ScriptResult r = run("0 `sysctl -q net.ipv4.tcp_congestion_control=cubic`\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kSkipped);
    EXPECT_EQ(r.line, 1);
    EXPECT_EQ(r.message.rfind("unsupported: net.ipv4.tcp_congestion_control=cubic", 0), 0u) << r.message;
}

TEST(DrillRunner, TcpInfoAssertionsAreChecked) {
    const std::string open = std::string(kOpen) + "+.01 < . 1:1(0) ack 1 win 502 <nop,nop,TS val 200 ecr 1000>\n"
                                                  "+0 accept(3, ..., ...) = 4\n";
    EXPECT_EQ(run(open + "+0 %{ assert tcpi_state == TCP_ESTABLISHED }%\n").status, ScriptResult::Status::kPassed);
    const ScriptResult r = run(open + "+0 %{ assert tcpi_snd_mss == 1000 }%\n");
    EXPECT_EQ(r.status, ScriptResult::Status::kFailed);
    EXPECT_EQ(r.message, "AssertionError: assert tcpi_snd_mss == 1000 (tcpi_snd_mss is 1448)");
}

}  // namespace
}  // namespace synack::drill
