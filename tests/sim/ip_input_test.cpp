// The input path's checks, each drop with its named reason and Linux's counter: bad IPv4 header checksum,
// packets for another host, fragments (no reassembly yet), other protocols, truncated TCP headers.
#include "sim/harness.hpp"
#include "wire/ipv4.hpp"

namespace synack::sim::test {
namespace {

std::vector<std::uint8_t> ipv4_tcp(const wire::IpAddress& src, const wire::IpAddress& dst, std::uint8_t protocol = 6,
                                   bool more_fragments = false) {
    wire::TcpBuilder tcp;
    tcp.source_port = 1234;
    tcp.destination_port = 80;
    tcp.flags = wire::tcp_flags::kSyn;
    const auto segment = tcp.build({}, src.v4(), dst.v4());
    wire::Ipv4Builder ip;
    ip.source = src.v4();
    ip.destination = dst.v4();
    ip.protocol = protocol;
    ip.more_fragments = more_fragments;
    ip.payload_length = static_cast<std::uint16_t>(segment.size());
    std::vector<std::uint8_t> packet(ip.size() + segment.size());
    ip.write(packet);
    std::copy(segment.begin(), segment.end(), packet.begin() + static_cast<std::ptrdiff_t>(ip.size()));
    return packet;
}

TEST(IpInput, EachDropHasItsReasonAndCounter) {
    SimPair net;
    Stack& s = *net.server;
    const auto good = ipv4_tcp(net.client_v4(), net.server_v4());

    auto bad_checksum = good;
    bad_checksum[10] ^= 0xff;
    s.receive(0, bad_checksum, net.now());
    EXPECT_EQ(s.drops(tcp::DropReason::kIpCsum), 1u);

    s.receive(0, ipv4_tcp(net.client_v4(), *wire::IpAddress::parse("198.18.0.99")), net.now());
    EXPECT_EQ(s.drops(tcp::DropReason::kOtherHost), 1u);
    EXPECT_EQ(s.counters().get(tcp::Counter::kIpInAddrErrors), 1u);

    s.receive(0, ipv4_tcp(net.client_v4(), net.server_v4(), 6, true), net.now());
    EXPECT_EQ(s.drops(tcp::DropReason::kFragUnsupported), 1u);

    s.receive(0, ipv4_tcp(net.client_v4(), net.server_v4(), 17), net.now());
    EXPECT_EQ(s.drops(tcp::DropReason::kIpNoProto), 1u);
    EXPECT_EQ(s.counters().get(tcp::Counter::kIpInUnknownProtos), 1u);

    auto truncated = good;
    truncated.resize(30);  // the IP header says more than this
    s.receive(0, truncated, net.now());
    EXPECT_EQ(s.drops(tcp::DropReason::kIpInHdr), 1u);
    EXPECT_EQ(s.counters().get(tcp::Counter::kIpInHdrErrors), 2u);  // with the bad checksum

    // Every one was counted as received, none delivered; nothing was sent back.
    EXPECT_EQ(s.counters().get(tcp::Counter::kIpInReceives), 5u);
    EXPECT_EQ(s.counters().get(tcp::Counter::kIpInDelivers), 0u);
    EXPECT_TRUE(net.captured.empty());

    // The good one reaches TCP: no listener on port 80, so a reset.
    s.receive(0, good, net.now());
    EXPECT_EQ(s.drops(tcp::DropReason::kNoSocket), 1u);
    ASSERT_EQ(net.captured.size(), 1u);
    EXPECT_EQ(net.captured[0].text(), "[R.] seq 0 ack 1 win 0 len 0");
}

}  // namespace
}  // namespace synack::sim::test
