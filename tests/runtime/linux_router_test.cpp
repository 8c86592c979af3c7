// The simulated router against a Linux router: the packets that arrived at a Linux router in network namespaces
// (tests/runtime/linux_router_capture.sh) go through device::SimRouter, and what it sends must equal, byte for byte
// and in order, what the Linux router sent on each interface: forwarded packets (TTL / hop limit and checksum),
// fragments, ICMP "fragmentation needed", time exceeded, net unreachable, ICMPv6 packet too big, time exceeded and
// no route. Two fields are Linux's random choices and are taken from the capture before each packet: the IPv4
// identification of ICMP errors (ip_select_ident) and the flow label of ICMPv6 errors (auto flow labels).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "device/pcap_reader.hpp"
#include "device/sim_router.hpp"
#include "wire/address.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"

namespace synack::device {
namespace {

using Packet = std::vector<std::uint8_t>;

struct Frame {
    std::int64_t time_ns;
    Packet ip;  // without the Ethernet header
};

std::string capture_path(const char* interface) {
    if (const char* dir = std::getenv("SYNACK_LINUX_ROUTER_CAPTURES")) {
        return std::string(dir) + "/" + interface + ".pcap";
    }
    return std::string(SYNACK_SOURCE_DIR) + "/tests/runtime/data/linux-router-" + interface + ".pcap";
}

std::vector<Frame> read_capture(const char* interface) {
    auto reader = PcapReader::open(capture_path(interface), TimestampPrecision::Nano);
    EXPECT_TRUE(reader.ok()) << capture_path(interface);
    std::vector<Frame> frames;
    if (!reader.ok()) return frames;
    EXPECT_EQ(reader->link_type(), static_cast<std::uint32_t>(LinkType::Ethernet));
    CaptureRecord r;
    while (reader->next(r) == PcapReader::Next::Record) {
        EXPECT_EQ(r.data.size(), r.wire_length);
        if (r.data.size() < 14) continue;
        frames.push_back({r.timestamp.seconds * 1'000'000'000 + r.timestamp.nanoseconds,
                          Packet(r.data.begin() + 14, r.data.end())});
    }
    return frames;
}

wire::IpAddress source_of(const Packet& ip) {
    if ((ip[0] >> 4) == 4) return wire::Ipv4View::parse(ip)->source();
    return wire::Ipv6View::parse(ip)->source();
}

class Recorder : public SimRouter::Output {
public:
    void transmit(SimInterfaceId interface, wire::Bytes packet) override {
        sent.emplace_back(interface, Packet(packet.begin(), packet.end()));
    }
    std::vector<std::pair<SimInterfaceId, Packet>> sent;
};

TEST(LinuxRouter, SimRouterSendsWhatTheLinuxRouterSent) {
    const auto r1 = *wire::Ipv4Address::parse("198.18.1.254");
    const auto r2 = *wire::Ipv4Address::parse("198.18.2.254");
    const auto r1v6 = *wire::Ipv6Address::parse("2001:2:0:1::fe");
    const auto r2v6 = *wire::Ipv6Address::parse("2001:2:0:2::fe");
    const wire::IpAddress hosts[2][2] = {{*wire::IpAddress::parse("198.18.1.1"), *wire::IpAddress::parse("2001:2:0:1::1")},
                                         {*wire::IpAddress::parse("198.18.2.1"), *wire::IpAddress::parse("2001:2:0:2::1")}};
    SimRouter router;
    router.add_interface({1500, r1, r1v6});
    router.add_interface({1280, r2, r2v6});
    router.add_route(hosts[0][0], 24, 0);
    router.add_route(hosts[1][0], 24, 1);
    router.add_route(hosts[0][1], 64, 0);
    router.add_route(hosts[1][1], 64, 1);

    // Split each capture into what arrived from the host on that side and what the router sent there.
    struct Arrival {
        std::int64_t time_ns;
        SimInterfaceId interface;
        Packet ip;
    };
    std::vector<Arrival> arrivals;
    std::deque<Packet> departures[2];
    const char* names[2] = {"r1", "r2"};
    for (SimInterfaceId i = 0; i < 2; ++i) {
        for (Frame& f : read_capture(names[i])) {
            const wire::IpAddress from = source_of(f.ip);
            if (from == hosts[i][0] || from == hosts[i][1]) {
                arrivals.push_back({f.time_ns, i, std::move(f.ip)});
            } else {
                departures[i].push_back(std::move(f.ip));
            }
        }
    }
    std::stable_sort(arrivals.begin(), arrivals.end(),
                     [](const Arrival& a, const Arrival& b) { return a.time_ns < b.time_ns; });
    // What the script sends: 4 IPv4 and 4 IPv6 pings from h1, and the replies.
    ASSERT_GE(arrivals.size(), 12u);

    std::size_t icmp_errors = 0;
    for (std::size_t n = 0; n < arrivals.size(); ++n) {
        const Arrival& a = arrivals[n];
        // Errors go back out of the arrival interface: take Linux's random fields from the next departure there.
        if (!departures[a.interface].empty()) {
            const Packet& next = departures[a.interface].front();
            const wire::IpAddress from = source_of(next);
            if ((next[0] >> 4) == 4 && (from == wire::IpAddress(r1) || from == wire::IpAddress(r2))) {
                router.set_next_ipv4_id(wire::Ipv4View::parse(next)->identification());
            } else if ((next[0] >> 4) == 6 && (from == wire::IpAddress(r1v6) || from == wire::IpAddress(r2v6))) {
                router.config().icmpv6_flow_label = wire::Ipv6View::parse(next)->flow_label();
            }
        }
        Recorder out;
        router.receive(a.interface, a.ip, out);
        for (const auto& [interface, bytes] : out.sent) {
            ASSERT_FALSE(departures[interface].empty()) << "arrival " << n << ": an extra packet on r" << interface + 1;
            EXPECT_EQ(bytes, departures[interface].front()) << "arrival " << n << " on r" << a.interface + 1;
            departures[interface].pop_front();
        }
    }
    icmp_errors = router.counters().icmp_errors;
    EXPECT_TRUE(departures[0].empty()) << departures[0].size() << " packets Linux sent on r1 were not sent";
    EXPECT_TRUE(departures[1].empty()) << departures[1].size() << " packets Linux sent on r2 were not sent";
    // frag needed, time exceeded, net unreachable; packet too big, time exceeded, no route.
    EXPECT_EQ(icmp_errors, 6u);
    EXPECT_EQ(router.counters().fragmented, 1u);
}

}  // namespace
}  // namespace synack::device
