// Routing::lookup() matches routes through precomputed masks; it must give exactly the answer of the plain
// definition — the longest prefix_contains() match of the destination's family, the first added among equals —
// for any mix of IPv4 and IPv6 routes, including the ones that look alike in the 16-byte form (::/0 against an
// IPv4 address, ::ffff:0:0/96 as an IPv6 route).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "stack/routing.hpp"

namespace synack::stack {
namespace {

const Route* reference_lookup(const std::vector<Route>& added, const wire::IpAddress& destination) {
    const Route* best = nullptr;
    for (const Route& r : added) {
        if (!prefix_contains(r.prefix, r.prefix_len, destination)) continue;
        if (best == nullptr || r.prefix_len > best->prefix_len) best = &r;
    }
    return best;
}

wire::IpAddress random_address(std::mt19937_64& rng, bool v4) {
    if (v4) return wire::Ipv4Address::from_u32(static_cast<std::uint32_t>(rng()) & 0x0a0f00ffu);
    wire::Ipv6Address a{};
    for (auto& b : a.octets) b = static_cast<std::uint8_t>(rng() % 4);
    a.octets[0] = 0x20;
    return a;
}

TEST(RoutingLookup, MatchesTheLongestPrefixDefinition) {
    std::mt19937_64 rng(3);
    for (int round = 0; round < 50; ++round) {
        Routing routing;
        routing.add_interface("eth0", 1500);
        std::vector<Route> added;
        const int count = 1 + static_cast<int>(rng() % 24);
        for (int i = 0; i < count; ++i) {
            const bool v4 = rng() % 2 == 0;
            Route r{random_address(rng, v4), static_cast<std::uint8_t>(rng() % (v4 ? 33 : 129)), 0, std::nullopt};
            r.interface = static_cast<InterfaceId>(i);  // tells the routes apart
            routing.add_route(r);
            added.push_back(r);
        }
        // The look-alikes: the IPv6 default route and the IPv6 route over the IPv4-mapped block.
        if (round % 5 == 0) {
            Route all6{*wire::IpAddress::parse("::"), 0, 100, std::nullopt};
            Route mapped{*wire::IpAddress::parse("::ffff:0:0"), 96, 101, std::nullopt};
            routing.add_route(all6);
            routing.add_route(mapped);
            added.push_back(all6);
            added.push_back(mapped);
        }
        for (int probe = 0; probe < 400; ++probe) {
            const wire::IpAddress d = random_address(rng, rng() % 2 == 0);
            const Route* want = reference_lookup(added, d);
            const Route* got = routing.lookup(d);
            ASSERT_EQ(want == nullptr, got == nullptr) << d.to_string();
            if (want != nullptr) {
                EXPECT_EQ(got->interface, want->interface) << d.to_string();
                EXPECT_EQ(got->prefix_len, want->prefix_len) << d.to_string();
            }
        }
    }
}

TEST(RoutingLookup, AnIpv6DefaultRouteNeverCarriesIpv4) {
    Routing routing;
    routing.add_interface("eth0", 1500);
    routing.add_route(Route{*wire::IpAddress::parse("::"), 0, 0, std::nullopt});
    EXPECT_EQ(routing.lookup(*wire::IpAddress::parse("198.18.0.1")), nullptr);
    ASSERT_NE(routing.lookup(*wire::IpAddress::parse("2001:db8::1")), nullptr);
    routing.add_route(Route{*wire::IpAddress::parse("0.0.0.0"), 0, 0, std::nullopt});
    ASSERT_NE(routing.lookup(*wire::IpAddress::parse("198.18.0.1")), nullptr);
    EXPECT_TRUE(routing.lookup(*wire::IpAddress::parse("198.18.0.1"))->prefix.is_v4());
}

TEST(RoutingLookup, LocalIndexFindsEveryAddress) {
    Routing routing;
    routing.add_interface("eth0", 1500);
    std::vector<wire::IpAddress> addresses;
    for (std::uint32_t i = 0; i < 40; ++i) {
        addresses.push_back(wire::Ipv4Address::from_u32(0x0a000001u + i * 7));
        addresses.push_back(*wire::IpAddress::parse("2001:db8::" + std::to_string(i + 1)));
    }
    for (const auto& a : addresses) ASSERT_TRUE(routing.add_address(0, a, 24));
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        ASSERT_EQ(routing.local_index(addresses[i]), static_cast<std::uint8_t>(i));
    }
    EXPECT_FALSE(routing.local_index(*wire::IpAddress::parse("10.0.0.2")));
    EXPECT_EQ(routing.local_index(*wire::IpAddress::parse("::ffff:10.0.0.1")), std::uint8_t{0});  // 10.0.0.1's form
}

}  // namespace
}  // namespace synack::stack
