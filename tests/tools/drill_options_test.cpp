// Drill's options: the command line and a script's option lines (tools/drill/options.hpp).
#include <gtest/gtest.h>

#include "tools/drill/options.hpp"

namespace synack::drill {
namespace {

TEST(DrillOptions, ScriptLinesThenCommandLineWins) {
    Script script;
    script.path = "x.pkt";
    script.options = {{1, "tolerance_usecs", "10000"}, {2, "ip_version", "ipv6"}, {3, "strict_segments", ""}};
    auto o = options_for_script(script, {{"tolerance_usecs", "5000"}, {"D", "COOKIE=0x1234"}});
    ASSERT_TRUE(o.ok()) << o.error();
    EXPECT_EQ(o->tolerance_usecs, 5000);
    EXPECT_EQ(o->ip_version, IpVersion::kIpv6);
    EXPECT_TRUE(o->strict_segments);
    EXPECT_EQ(o->defines.at("COOKIE"), "0x1234");
}

TEST(DrillOptions, BadValuesNameTheOptionAndLine) {
    Script script;
    script.path = "x.pkt";
    script.options = {{4, "bind_port", "70000"}};
    auto o = options_for_script(script, {});
    ASSERT_FALSE(o.ok());
    EXPECT_EQ(o.error(), "x.pkt:4: bad --bind_port: 70000");
    DrillOptions d;
    EXPECT_EQ(apply_option(d, "wire_client", std::nullopt).error(), "option 'wire_client' unknown");
    EXPECT_EQ(apply_option(d, "strict_segments", "1").error(), "option 'strict_segments' forbids an argument");
    EXPECT_EQ(apply_option(d, "mtu", std::nullopt).error(), "option 'mtu' requires an argument");
    EXPECT_FALSE(apply_option(d, "ip_version", "ipv5").ok());
    EXPECT_FALSE(apply_option(d, "tolerance_percent", "101").ok());
}

TEST(DrillOptions, DefaultAddressesAreBenchmarkingRanges) {
    DrillOptions o;
    auto n = network_settings(o);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n->local_ip, *wire::IpAddress::parse("198.18.0.1"));
    EXPECT_EQ(n->remote_ip, *wire::IpAddress::parse("198.19.0.1"));
    EXPECT_EQ(n->gateway_ip, *wire::IpAddress::parse("198.18.0.2"));
    EXPECT_EQ(n->prefix_len, 16);
    o.ip_version = IpVersion::kIpv6;
    n = network_settings(o);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(n->local_ip, *wire::IpAddress::parse("2001:2:0:1::1"));
    EXPECT_EQ(n->remote_ip, *wire::IpAddress::parse("2001:2:0:2::1"));
    o.local_ip = "198.18.5.5";  // an IPv4 address for an IPv6 run
    EXPECT_FALSE(network_settings(o).ok());
}

}  // namespace
}  // namespace synack::drill
