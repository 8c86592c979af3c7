// A script's system call → Call, and the answer checked (tools/drill/call_eval.hpp).
#include <gtest/gtest.h>

#include <cstring>

#include "api/abi.hpp"
#include "tools/drill/call_eval.hpp"

namespace synack::drill {
namespace {

Expr integer(std::int64_t v) { return Expr{Expr::Kind::kInteger, v, "", {}, {}}; }
Expr name(std::string n) { return Expr{Expr::Kind::kName, 0, std::move(n), {}, {}}; }
Expr ellipsis() { return Expr{Expr::Kind::kEllipsis, 0, "", {}, {}}; }
Expr list(std::vector<Expr> items) { return Expr{Expr::Kind::kList, 0, "", std::move(items), {}}; }
Expr or_of(std::vector<Expr> items) { return Expr{Expr::Kind::kOr, 0, "", std::move(items), {}}; }
Expr structure(std::vector<std::string> fields, std::vector<Expr> items) {
    return Expr{Expr::Kind::kStruct, 0, "", std::move(items), std::move(fields)};
}

SyscallEvent call(std::string n, std::vector<Expr> args, Expr result, std::string err = "") {
    SyscallEvent s;
    s.name = std::move(n);
    s.args = std::move(args);
    s.result = std::move(result);
    s.errno_name = std::move(err);
    return s;
}

struct DrillCallEval : ::testing::Test {
    DrillOptions options;
    NetworkSettings network = *network_settings(options);
    CallContext context{network, options};
};

TEST_F(DrillCallEval, EllipsisAddressesAreTheScriptsDefaults) {
    auto b = build_call(call("bind", {integer(3), ellipsis(), ellipsis()}, integer(0)), context);
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->op, CallOp::kBind);
    EXPECT_EQ(b->address->to_string(), "198.18.0.1:8080");
    auto c = build_call(call("connect", {integer(3), ellipsis(), ellipsis()}, integer(-1), "EINPROGRESS"), context);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->address->to_string(), "198.19.0.1:8080");
}

TEST_F(DrillCallEval, Ipv4MappedSocketsUseMappedAddresses) {
    options.ip_version = IpVersion::kIpv4MappedIpv6;
    network = *network_settings(options);
    auto s = build_call(call("socket", {ellipsis(), name("SOCK_STREAM"), name("IPPROTO_TCP")}, integer(3)), context);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->domain, api::abi::kAfInet6);
    auto c = build_call(call("connect", {integer(3), ellipsis(), ellipsis()}, integer(0)), context);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->address->to_string(), "[::ffff:198.19.0.1]:8080");
}

TEST_F(DrillCallEval, SetsockoptValuesBecomeTheBytesTheKernelTakes) {
    auto s = build_call(call("setsockopt", {integer(3), name("SOL_SOCKET"), name("SO_LINGER"),
                                            structure({"l_onoff", "l_linger"}, {integer(1), integer(0)}), integer(8)},
                             integer(0)),
                        context);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->level, api::abi::kSolSocket);
    EXPECT_EQ(s->option, api::abi::kSoLinger);
    EXPECT_EQ(s->option_value, (std::vector<std::uint8_t>{1, 0, 0, 0, 0, 0, 0, 0}));
    auto f = build_call(call("fcntl", {integer(3), name("F_SETFL"), or_of({name("O_RDWR"), name("O_NONBLOCK")})},
                             integer(0)),
                        context);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->argument, api::abi::kORdwr | api::abi::kONonblock);
}

TEST_F(DrillCallEval, ResultsAndErrnosAreCheckedInPacketdrillsWords) {
    const SyscallEvent c = call("connect", {integer(3), ellipsis(), ellipsis()}, integer(-1), "EINPROGRESS");
    CallOutcome o{-1, 115, {}, 0, {}, 0};
    EXPECT_EQ(check_outcome(c, o, context), std::nullopt);
    o.error = 111;
    EXPECT_EQ(check_outcome(c, o, context),
              "Expected errno 115 (Operation now in progress) but got 111 (Connection refused)");
    const SyscallEvent a = call("accept", {integer(3), ellipsis(), ellipsis()}, integer(4));
    EXPECT_EQ(check_outcome(a, CallOutcome{-1, 11, {}, 0, {}, 0}, context),
              "Expected result 4 but got -1 with errno 11 (Resource temporarily unavailable)");
    EXPECT_EQ(outcome_text(CallOutcome{-1, 111, {}, 0, {}, 0}), "-1 ECONNREFUSED (Connection refused)");
}

TEST_F(DrillCallEval, GetsockoptIoctlAndPollOutputsAreChecked) {
    const SyscallEvent g =
        call("getsockopt", {integer(3), name("SOL_SOCKET"), name("SO_ERROR"), list({integer(0)}), list({integer(4)})},
             integer(0));
    auto built = build_call(g, context);
    ASSERT_TRUE(built.ok());
    EXPECT_EQ(built->option_length, 4);
    CallOutcome o{0, 0, {0, 0, 0, 0}, 4, {}, 0};
    EXPECT_EQ(check_outcome(g, o, context), std::nullopt);
    o.option_value = {111, 0, 0, 0};
    EXPECT_EQ(check_outcome(g, o, context), "Bad getsockopt optval: expected: 0 actual: 111");

    const SyscallEvent i = call("ioctl", {integer(4), name("SIOCINQ"), list({integer(1000)})}, integer(0));
    EXPECT_EQ(check_outcome(i, CallOutcome{0, 0, {}, 0, {}, 1000}, context), std::nullopt);
    EXPECT_EQ(check_outcome(i, CallOutcome{0, 0, {}, 0, {}, 10}, context), "Bad ioctl value: expected: 1000 actual: 10");

    const SyscallEvent p = call(
        "poll",
        {list({structure({"fd", "events", "revents"}, {integer(4), name("POLLIN"), or_of({name("POLLIN"), name("POLLRDNORM")})})}),
         integer(1), integer(0)},
        integer(1));
    auto pc = build_call(p, context);
    ASSERT_TRUE(pc.ok());
    ASSERT_EQ(pc->poll_fds.size(), 1u);
    EXPECT_EQ(pc->poll_fds[0].events, api::abi::kPollIn);
    CallOutcome po{1, 0, {}, 0, {api::PollFd{4, 1, 0x41}}, 0};
    EXPECT_EQ(check_outcome(p, po, context), std::nullopt);
    po.poll_fds[0].revents = 1;
    EXPECT_NE(check_outcome(p, po, context), std::nullopt);
}

TEST_F(DrillCallEval, UnknownCallsAndSymbolsAreUnsupportedNotFailures) {
    auto u = build_call(call("epoll_create", {integer(1)}, integer(3)), context);
    ASSERT_FALSE(u.ok());
    EXPECT_TRUE(u.error().unsupported);
    auto s = build_call(call("setsockopt", {integer(3), name("SOL_SOCKET"), name("SO_NOT_A_THING"), list({integer(1)}),
                                            integer(4)},
                             integer(0)),
                        context);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().unsupported);
    auto wrong = build_call(call("listen", {integer(3)}, integer(0)), context);
    ASSERT_FALSE(wrong.ok());
    EXPECT_FALSE(wrong.error().unsupported);
}

}  // namespace
}  // namespace synack::drill
