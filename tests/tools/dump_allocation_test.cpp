// The printer's steady state: once a flow's names and sequence numbers are known, printing its packets again
// allocates nothing (the output buffer keeps its capacity; names are cached by fixed-size keys).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "device/capture_record.hpp"
#include "support/allocation_counter.hpp"
#include "tools/dump/names.hpp"
#include "tools/dump/printer.hpp"
#include "wire/icmpv4.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/linux_sll.hpp"
#include "wire/tcp.hpp"
#include "wire/udp.hpp"

namespace synack::dump {
namespace {

using Packet = std::vector<std::uint8_t>;

const wire::Ipv6Address kClient6 = *wire::Ipv6Address::parse("2001:2:0:12::1");
const wire::Ipv6Address kServer6 = *wire::Ipv6Address::parse("2001:2:0:12::2");
const wire::Ipv4Address kClient4{{198, 18, 12, 1}};
const wire::Ipv4Address kServer4{{198, 18, 12, 2}};

// LINUX_SLL2 + IPv6 + TCP ACK with 10 bytes of data.
Packet sll2_ipv6_tcp() {
    wire::TcpBuilder t;
    t.source_port = 40013;
    t.destination_port = 9106;
    t.flags = wire::tcp_flags::kAck | wire::tcp_flags::kPsh;
    const std::uint8_t data[10] = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'};
    const Packet segment = t.build(data, kClient6, kServer6);
    wire::Ipv6Builder ip;
    ip.source = kClient6;
    ip.destination = kServer6;
    ip.payload_length = static_cast<std::uint16_t>(segment.size());
    wire::LinuxSll2Builder sll;
    sll.protocol = wire::ether_type::kIpv6;
    sll.interface_index = 1;
    Packet out(sll.size() + ip.size() + segment.size());
    sll.write(wire::MutableBytes(out).first(sll.size()));
    ip.write(wire::MutableBytes(out).subspan(sll.size(), ip.size()));
    std::copy(segment.begin(), segment.end(), out.begin() + static_cast<std::ptrdiff_t>(sll.size() + ip.size()));
    return out;
}

// LINUX_SLL2 + IPv4 + ICMP port unreachable quoting a UDP datagram.
Packet sll2_icmp_unreachable() {
    wire::UdpBuilder udp;
    udp.source_port = 40014;
    udp.destination_port = 33434;
    const Packet datagram_udp = udp.build({}, kServer4, kClient4);
    wire::Ipv4Builder quoted;
    quoted.source = kServer4;
    quoted.destination = kClient4;
    quoted.protocol = 17;
    quoted.payload_length = static_cast<std::uint16_t>(datagram_udp.size());
    Packet body(quoted.size() + datagram_udp.size());
    quoted.write(wire::MutableBytes(body).first(quoted.size()));
    std::copy(datagram_udp.begin(), datagram_udp.end(), body.begin() + static_cast<std::ptrdiff_t>(quoted.size()));
    const auto icmp = wire::Icmpv4Builder::destination_unreachable(wire::icmpv4_unreachable::kPort);
    wire::Ipv4Builder ip;
    ip.source = kClient4;
    ip.destination = kServer4;
    ip.protocol = 1;
    ip.payload_length = static_cast<std::uint16_t>(icmp.size() + body.size());
    wire::LinuxSll2Builder sll;
    Packet out(sll.size() + ip.size() + icmp.size() + body.size());
    sll.write(wire::MutableBytes(out).first(sll.size()));
    ip.write(wire::MutableBytes(out).subspan(sll.size(), ip.size()));
    const std::size_t at = sll.size() + ip.size();
    std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(at + icmp.size()));
    icmp.write(wire::MutableBytes(out).subspan(at, icmp.size()), wire::Bytes(out).subspan(at + icmp.size()));
    return out;
}

long allocations_printing_again(const Options& options, const Packet& frame) {
    PacketPrinter printer(options, static_cast<std::uint32_t>(device::LinkType::LinuxSll2));
    device::CaptureRecord record;
    record.timestamp = {1700000000, 250000000};
    record.wire_length = static_cast<std::uint32_t>(frame.size());
    record.data = frame;
    printer.print(record, 1);  // names, flow state and the output buffer's capacity
    printer.output().clear();
    test::AllocationCounter counter;
    for (std::uint64_t n = 2; n < 5; ++n) {
        printer.print(record, n);
        printer.output().clear();
    }
    return counter.count();
}

TEST(DumpAllocations, AKnownIpv6FlowPrintsWithoutAllocating) {
    for (int verbose = 0; verbose <= 1; ++verbose) {
        Options o;
        o.numeric = 1;
        o.verbose = verbose;
        EXPECT_EQ(allocations_printing_again(o, sll2_ipv6_tcp()), 0) << "-v count " << verbose;
    }
}

TEST(DumpAllocations, AnIcmpErrorPrintsWithoutAllocating) {
    for (int verbose = 0; verbose <= 1; ++verbose) {
        Options o;
        o.numeric = 1;
        o.verbose = verbose;
        EXPECT_EQ(allocations_printing_again(o, sll2_icmp_unreachable()), 0) << "-v count " << verbose;
    }
}

// tcpdump asks if_indextoname for every LINUX_SLL2 packet; synack asks once per index.
TEST(Names, InterfaceNamesAreAskedOncePerIndex) {
    Names names(true);
    const std::string_view first = names.interface(1);
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(names.interface(1).data(), first.data());  // the cached string, not a fresh answer
    EXPECT_EQ(names.interface(0), "?");                   // index 0 names no interface
}

}  // namespace
}  // namespace synack::dump
