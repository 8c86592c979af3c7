#include "wire/arp.hpp"

#include <gtest/gtest.h>

#include "support/hex.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace synack::wire {
namespace {

using test::hex;

// ARP messages captured on a veth pair; tcpdump prints "Request who-has 10.9.0.2 tell 10.9.0.1, length 28" and
// "Reply 10.9.0.2 is-at 02:00:00:00:00:0b, length 28" (with -e: "Ethernet (len 6), IPv4 (len 4)").
const std::vector<std::uint8_t> kRequest = hex(
    "0001 0800 0604 0001 0200 0000 000a 0a09"
    "0001 0000 0000 0000 0a09 0002");
const std::vector<std::uint8_t> kReply = hex(
    "0001 0800 0604 0002 0200 0000 000b 0a09"
    "0002 0200 0000 000a 0a09 0001");

const MacAddress kMacA{{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}};
const MacAddress kMacB{{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b}};
const Ipv4Address kIpA{{10, 9, 0, 1}};
const Ipv4Address kIpB{{10, 9, 0, 2}};

std::vector<std::uint8_t> to_vector(Bytes b) { return {b.begin(), b.end()}; }

TEST(ArpView, RealRequest) {
    auto arp = ArpView::parse(kRequest);
    ASSERT_TRUE(arp.ok());
    EXPECT_EQ(arp->hardware_type(), arp_hardware::kEthernet);
    EXPECT_EQ(arp->protocol_type(), ether_type::kIpv4);
    EXPECT_EQ(arp->hardware_length(), 6);
    EXPECT_EQ(arp->protocol_length(), 4);
    EXPECT_EQ(arp->operation(), arp_operation::kRequest);
    EXPECT_EQ(to_vector(arp->sender_hardware()), hex("0200 0000 000a"));
    EXPECT_EQ(to_vector(arp->sender_protocol()), hex("0a09 0001"));
    EXPECT_EQ(to_vector(arp->target_hardware()), hex("0000 0000 0000"));
    EXPECT_EQ(to_vector(arp->target_protocol()), hex("0a09 0002"));
    EXPECT_TRUE(arp->is_ethernet_ipv4());
    EXPECT_EQ(arp->sender_mac(), kMacA);
    EXPECT_EQ(arp->sender_ipv4(), kIpA);
    EXPECT_EQ(arp->target_mac(), MacAddress{});
    EXPECT_EQ(arp->target_ipv4(), kIpB);
    EXPECT_EQ(arp->header_length(), 28u);
    EXPECT_EQ(arp->header().size(), 28u);
    EXPECT_TRUE(arp->payload().empty());
}

TEST(ArpView, RealReply) {
    auto arp = ArpView::parse(kReply);
    ASSERT_TRUE(arp.ok());
    EXPECT_EQ(arp->operation(), arp_operation::kReply);
    EXPECT_EQ(arp->sender_mac(), kMacB);
    EXPECT_EQ(arp->sender_ipv4(), kIpB);
    EXPECT_EQ(arp->target_mac(), kMacA);
    EXPECT_EQ(arp->target_ipv4(), kIpA);
}

TEST(ArpView, EthernetPaddingIsPayload) {
    // On a real wire the 42-byte frame is padded to the 60-byte minimum: 18 bytes follow the message.
    auto padded = kRequest;
    padded.resize(28 + 18, 0);
    auto arp = ArpView::parse(padded);
    ASSERT_TRUE(arp.ok());
    EXPECT_EQ(arp->header_length(), 28u);
    EXPECT_EQ(arp->payload().size(), 18u);
    EXPECT_EQ(arp->payload().data(), padded.data() + 28);
}

TEST(ArpView, EveryTruncationPoint) {
    for (std::size_t n = 0; n < 28; ++n) {
        auto arp = ArpView::parse(Bytes(kRequest.data(), n));
        ASSERT_FALSE(arp.ok()) << n;
        EXPECT_EQ(arp.error(), ParseError::Truncated) << n;
    }
}

TEST(ArpView, OtherAddressLengths) {
    // Hardware length 8 and protocol length 16: the addresses follow the lengths, the typed ones are absent.
    std::vector<std::uint8_t> msg = hex("0018 86dd 0810 0001");
    for (std::uint8_t i = 0; i < 2 * (8 + 16); ++i) msg.push_back(i);
    auto arp = ArpView::parse(msg);
    ASSERT_TRUE(arp.ok());
    EXPECT_EQ(arp->header_length(), 8u + 48u);
    EXPECT_EQ(arp->sender_hardware().size(), 8u);
    EXPECT_EQ(arp->sender_hardware()[0], 0);
    EXPECT_EQ(arp->sender_protocol().size(), 16u);
    EXPECT_EQ(arp->sender_protocol()[0], 8);
    EXPECT_EQ(arp->target_hardware()[0], 24);
    EXPECT_EQ(arp->target_protocol()[0], 32);
    EXPECT_EQ(arp->target_protocol()[15], 47);
    EXPECT_FALSE(arp->is_ethernet_ipv4());
    EXPECT_EQ(arp->sender_mac(), std::nullopt);
    EXPECT_EQ(arp->sender_ipv4(), std::nullopt);
    EXPECT_EQ(arp->target_mac(), std::nullopt);
    EXPECT_EQ(arp->target_ipv4(), std::nullopt);

    auto cut = ArpView::parse(Bytes(msg.data(), msg.size() - 1));
    ASSERT_FALSE(cut.ok());
    EXPECT_EQ(cut.error(), ParseError::Truncated);

    // IPv4 lengths but another protocol type: not typed as IPv4.
    auto other = kRequest;
    other[2] = 0x86;
    other[3] = 0xdd;
    auto arp2 = ArpView::parse(other);
    ASSERT_TRUE(arp2.ok());
    EXPECT_FALSE(arp2->is_ethernet_ipv4());
    EXPECT_EQ(arp2->sender_ipv4(), std::nullopt);
}

TEST(ArpView, ZeroLengths) {
    const auto msg = hex("0001 0800 0000 0001");
    auto arp = ArpView::parse(msg);
    ASSERT_TRUE(arp.ok());
    EXPECT_EQ(arp->header_length(), 8u);
    EXPECT_TRUE(arp->sender_hardware().empty());
    EXPECT_TRUE(arp->target_protocol().empty());
    EXPECT_FALSE(arp->is_ethernet_ipv4());
}

TEST(ArpBuilder, WritesTheRealMessages) {
    ArpBuilder request;
    request.operation = arp_operation::kRequest;
    request.sender_mac = kMacA;
    request.sender_ipv4 = kIpA;
    request.target_ipv4 = kIpB;
    EXPECT_EQ(request.size(), 28u);
    std::vector<std::uint8_t> out(28, 0xee);
    request.write(out);
    EXPECT_EQ(out, kRequest);

    const ArpBuilder reply{arp_hardware::kEthernet, ether_type::kIpv4, arp_operation::kReply, kMacB, kIpB, kMacA, kIpA};
    reply.write(out);
    EXPECT_EQ(out, kReply);
}

TEST(ArpBuilder, RoundTrip) {
    const ArpBuilder b{arp_hardware::kIeee802, ether_type::kIpv4, arp_operation::kReverseReply, kMacB, kIpA, kMacA,
                       kIpB};
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    auto arp = ArpView::parse(out);
    ASSERT_TRUE(arp.ok());
    EXPECT_EQ(arp->hardware_type(), arp_hardware::kIeee802);
    EXPECT_EQ(arp->operation(), arp_operation::kReverseReply);
    EXPECT_EQ(arp->sender_mac(), kMacB);
    EXPECT_EQ(arp->sender_ipv4(), kIpA);
    EXPECT_EQ(arp->target_mac(), kMacA);
    EXPECT_EQ(arp->target_ipv4(), kIpB);
}

}  // namespace
}  // namespace synack::wire
