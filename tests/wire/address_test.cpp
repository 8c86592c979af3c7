#include "wire/address.hpp"

#include <gtest/gtest.h>

namespace synack::wire {
namespace {

TEST(Ipv4Address, ParsesPrintsAndConverts) {
    const auto a = Ipv4Address::parse("198.18.0.1");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->to_string(), "198.18.0.1");
    EXPECT_EQ(a->to_u32(), 0xc6120001u);
    EXPECT_EQ(Ipv4Address::from_u32(0xc6120001u), *a);
    EXPECT_FALSE(Ipv4Address::parse("198.18.0").has_value());
    EXPECT_FALSE(Ipv4Address::parse("198.18.0.256").has_value());
    EXPECT_FALSE(Ipv4Address::parse("").has_value());
}

TEST(Ipv6Address, PrintsTheRfc5952Form) {
    const auto a = Ipv6Address::parse("2001:0002:0000:0000:0000:0000:0000:0001");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->to_string(), "2001:2::1");
    EXPECT_EQ(Ipv6Address::parse("::ffff:198.18.0.1")->to_string(), "::ffff:198.18.0.1");
    EXPECT_EQ(Ipv6Address::parse("fe80:0:0:0:1:0:0:1")->to_string(), "fe80::1:0:0:1");
    EXPECT_FALSE(Ipv6Address::parse("2001:2::1::2").has_value());
}

TEST(MacAddress, PrintsLowercaseColonSeparated) {
    const std::uint8_t raw[6] = {0x02, 0x00, 0x5e, 0xAB, 0xcd, 0x0f};
    const auto m = MacAddress::from_bytes(raw);
    EXPECT_EQ(m.to_string(), "02:00:5e:ab:cd:0f");
    std::uint8_t out[6] = {};
    m.write(out);
    EXPECT_EQ(MacAddress::from_bytes(out), m);
}

TEST(IpAddress, HoldsIpv4MappedAndIpv6) {
    const IpAddress v4 = *Ipv4Address::parse("198.18.0.1");
    EXPECT_TRUE(v4.is_v4());
    EXPECT_EQ(v4.v4().to_string(), "198.18.0.1");
    EXPECT_EQ(v4.to_string(), "198.18.0.1");
    EXPECT_EQ(v4.v6().to_string(), "::ffff:198.18.0.1");
    const auto v6 = IpAddress::parse("2001:2::1");
    ASSERT_TRUE(v6.has_value());
    EXPECT_FALSE(v6->is_v4());
    EXPECT_EQ(v6->to_string(), "2001:2::1");
    EXPECT_NE(*v6, v4);
    EXPECT_EQ(*IpAddress::parse("198.18.0.1"), v4);
    EXPECT_TRUE(IpAddress::parse("0.0.0.0")->is_unspecified());
    EXPECT_TRUE(IpAddress::parse("::")->is_unspecified());
    EXPECT_FALSE(IpAddress::parse("::")->is_v4());
    EXPECT_FALSE(v4.is_unspecified());
    EXPECT_FALSE(IpAddress::parse("198.18.0.256").has_value());
}

}  // namespace
}  // namespace synack::wire
