#include "wire/linux_sll.hpp"

#include <gtest/gtest.h>

#include "support/hex.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace synack::wire {
namespace {

using test::hex;

// Captured with `tcpdump -i any -y LINUX_SLL` and `-y LINUX_SLL2` in a network namespace whose veth (ifindex 5,
// 02:00:00:00:00:0b) received an ARP request broadcast from 02:00:00:00:00:0a and sent the reply, and whose
// loopback carried a ping. tcpdump -e prints, for SLL: "B 02:00:00:00:00:0a ethertype ARP (0x0806), length 44",
// "Out 02:00:00:00:00:0b ethertype ARP (0x0806)", " In 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 100";
// for SLL2: "B   ifindex 5 02:00:00:00:00:0a ethertype ARP (0x0806), length 48", "Out ifindex 5 …",
// "lo    In  ifindex 1 00:00:00:00:00:00 ethertype IPv4 (0x0800)".
const std::vector<std::uint8_t> kSllBroadcastArp = hex(
    "0001 0001 0006 0200 0000 000a 0000 0806"
    "0001 0800 0604 0001 0200 0000 000a 0a09"
    "0001 0000 0000 0000 0a09 0002");
const std::vector<std::uint8_t> kSllOutgoingArp = hex(
    "0004 0001 0006 0200 0000 000b 0000 0806"
    "0001 0800 0604 0002 0200 0000 000b 0a09"
    "0002 0200 0000 000a 0a09 0001");
const std::vector<std::uint8_t> kSllLoopbackIp = hex(  // first 24 bytes
    "0000 0304 0006 0000 0000 0000 0000 0800"
    "4500 0054 1149 4000");
const std::vector<std::uint8_t> kSll2BroadcastArp = hex(
    "0806 0000 0000 0005 0001 0106 0200 0000"
    "000a 0000 0001 0800 0604 0001 0200 0000"
    "000a 0a09 0001 0000 0000 0000 0a09 0002");
const std::vector<std::uint8_t> kSll2OutgoingArp = hex(
    "0806 0000 0000 0005 0001 0406 0200 0000"
    "000b 0000 0001 0800 0604 0002 0200 0000"
    "000b 0a09 0002 0200 0000 000a 0a09 0001");
const std::vector<std::uint8_t> kSll2LoopbackIp = hex(  // first 28 bytes
    "0800 0000 0000 0001 0304 0006 0000 0000"
    "0000 0000 4500 0054 1149 4000");

std::vector<std::uint8_t> to_vector(Bytes b) { return {b.begin(), b.end()}; }

TEST(LinuxSllView, RealBroadcastArp) {
    auto sll = LinuxSllView::parse(kSllBroadcastArp);
    ASSERT_TRUE(sll.ok());
    EXPECT_EQ(sll->packet_type(), sll_packet_type::kBroadcast);
    EXPECT_EQ(sll->arphrd_type(), arphrd::kEther);
    EXPECT_EQ(sll->address_length(), 6);
    EXPECT_EQ(to_vector(sll->address()), hex("0200 0000 000a"));
    EXPECT_EQ(sll->protocol(), ether_type::kArp);
    EXPECT_EQ(sll->header_length(), 16u);
    EXPECT_EQ(sll->header().size(), 16u);
    EXPECT_EQ(sll->payload().data(), kSllBroadcastArp.data() + 16);
    EXPECT_EQ(sll->payload().size(), 28u);
}

TEST(LinuxSllView, RealOutgoingAndLoopback) {
    auto out = LinuxSllView::parse(kSllOutgoingArp);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->packet_type(), sll_packet_type::kOutgoing);
    EXPECT_EQ(to_vector(out->address()), hex("0200 0000 000b"));

    auto lo = LinuxSllView::parse(kSllLoopbackIp);
    ASSERT_TRUE(lo.ok());
    EXPECT_EQ(lo->packet_type(), sll_packet_type::kHost);
    EXPECT_EQ(lo->arphrd_type(), arphrd::kLoopback);
    EXPECT_EQ(to_vector(lo->address()), hex("0000 0000 0000"));
    EXPECT_EQ(lo->protocol(), ether_type::kIpv4);
    EXPECT_EQ(lo->payload()[0], 0x45);
}

TEST(LinuxSllView, AddressLengthBeyondTheField) {
    auto bytes = kSllBroadcastArp;
    bytes[5] = 20;  // more than the 8-byte field holds: address() stops at the field
    auto sll = LinuxSllView::parse(bytes);
    ASSERT_TRUE(sll.ok());
    EXPECT_EQ(sll->address_length(), 20);
    EXPECT_EQ(to_vector(sll->address()), hex("0200 0000 000a 0000"));
    bytes[5] = 0;
    auto none = LinuxSllView::parse(bytes);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->address().empty());
}

TEST(LinuxSllView, EveryTruncationPoint) {
    for (std::size_t n = 0; n < 16; ++n) {
        auto sll = LinuxSllView::parse(Bytes(kSllBroadcastArp.data(), n));
        ASSERT_FALSE(sll.ok()) << n;
        EXPECT_EQ(sll.error(), ParseError::Truncated) << n;
    }
    auto bare = LinuxSllView::parse(Bytes(kSllBroadcastArp.data(), 16));
    ASSERT_TRUE(bare.ok());
    EXPECT_TRUE(bare->payload().empty());
}

TEST(LinuxSll2View, RealBroadcastArp) {
    auto sll = LinuxSll2View::parse(kSll2BroadcastArp);
    ASSERT_TRUE(sll.ok());
    EXPECT_EQ(sll->protocol(), ether_type::kArp);
    EXPECT_EQ(sll->reserved(), 0);
    EXPECT_EQ(sll->interface_index(), 5u);
    EXPECT_EQ(sll->arphrd_type(), arphrd::kEther);
    EXPECT_EQ(sll->packet_type(), sll_packet_type::kBroadcast);
    EXPECT_EQ(sll->address_length(), 6);
    EXPECT_EQ(to_vector(sll->address()), hex("0200 0000 000a"));
    EXPECT_EQ(sll->header_length(), 20u);
    EXPECT_EQ(sll->header().size(), 20u);
    EXPECT_EQ(sll->payload().data(), kSll2BroadcastArp.data() + 20);
    EXPECT_EQ(sll->payload().size(), 28u);
}

TEST(LinuxSll2View, RealOutgoingAndLoopback) {
    auto out = LinuxSll2View::parse(kSll2OutgoingArp);
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(out->packet_type(), sll_packet_type::kOutgoing);
    EXPECT_EQ(out->interface_index(), 5u);
    EXPECT_EQ(to_vector(out->address()), hex("0200 0000 000b"));

    auto lo = LinuxSll2View::parse(kSll2LoopbackIp);
    ASSERT_TRUE(lo.ok());
    EXPECT_EQ(lo->protocol(), ether_type::kIpv4);
    EXPECT_EQ(lo->interface_index(), 1u);
    EXPECT_EQ(lo->arphrd_type(), arphrd::kLoopback);
    EXPECT_EQ(lo->packet_type(), sll_packet_type::kHost);
    EXPECT_EQ(to_vector(lo->address()), hex("0000 0000 0000"));
    EXPECT_EQ(lo->payload()[0], 0x45);
}

TEST(LinuxSll2View, AddressLengthBeyondTheField) {
    auto bytes = kSll2BroadcastArp;
    bytes[11] = 255;
    auto sll = LinuxSll2View::parse(bytes);
    ASSERT_TRUE(sll.ok());
    EXPECT_EQ(sll->address_length(), 255);
    EXPECT_EQ(to_vector(sll->address()), hex("0200 0000 000a 0000"));
}

TEST(LinuxSll2View, EveryTruncationPoint) {
    for (std::size_t n = 0; n < 20; ++n) {
        auto sll = LinuxSll2View::parse(Bytes(kSll2BroadcastArp.data(), n));
        ASSERT_FALSE(sll.ok()) << n;
        EXPECT_EQ(sll.error(), ParseError::Truncated) << n;
    }
    auto bare = LinuxSll2View::parse(Bytes(kSll2BroadcastArp.data(), 20));
    ASSERT_TRUE(bare.ok());
    EXPECT_TRUE(bare->payload().empty());
}

TEST(LinuxSllBuilder, WritesTheRealHeader) {
    LinuxSllBuilder b;
    b.packet_type = sll_packet_type::kBroadcast;
    b.arphrd_type = arphrd::kEther;
    b.address_length = 6;
    b.address = {0x02, 0, 0, 0, 0, 0x0a, 0, 0};
    b.protocol = ether_type::kArp;
    EXPECT_EQ(b.size(), 16u);
    std::vector<std::uint8_t> out(16, 0xee);
    b.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kSllBroadcastArp.begin(), kSllBroadcastArp.begin() + 16));
}

TEST(LinuxSllBuilder, RoundTrip) {
    const LinuxSllBuilder b{sll_packet_type::kOtherHost, arphrd::kIpGre, 4, {10, 0, 0, 1, 0, 0, 0, 0},
                            ether_type::kIpv6};
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    auto sll = LinuxSllView::parse(out);
    ASSERT_TRUE(sll.ok());
    EXPECT_EQ(sll->packet_type(), sll_packet_type::kOtherHost);
    EXPECT_EQ(sll->arphrd_type(), arphrd::kIpGre);
    EXPECT_EQ(sll->address_length(), 4);
    EXPECT_EQ(to_vector(sll->address()), hex("0a00 0001"));
    EXPECT_EQ(sll->protocol(), ether_type::kIpv6);
}

TEST(LinuxSll2Builder, WritesTheRealHeader) {
    LinuxSll2Builder b;
    b.protocol = ether_type::kArp;
    b.interface_index = 5;
    b.arphrd_type = arphrd::kEther;
    b.packet_type = sll_packet_type::kOutgoing;
    b.address_length = 6;
    b.address = {0x02, 0, 0, 0, 0, 0x0b, 0, 0};
    EXPECT_EQ(b.size(), 20u);
    std::vector<std::uint8_t> out(20, 0xee);
    b.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kSll2OutgoingArp.begin(), kSll2OutgoingArp.begin() + 20));
}

TEST(LinuxSll2Builder, RoundTrip) {
    const LinuxSll2Builder b{sll_protocol::k802_2, 0xabcd, 0x01020304, arphrd::kNone, sll_packet_type::kMulticast, 0,
                             {}};
    std::vector<std::uint8_t> out(b.size());
    b.write(out);
    EXPECT_EQ(out, hex("0004 abcd 0102 0304 fffe 0200 0000 0000 0000 0000"));
    auto sll = LinuxSll2View::parse(out);
    ASSERT_TRUE(sll.ok());
    EXPECT_EQ(sll->protocol(), sll_protocol::k802_2);
    EXPECT_EQ(sll->reserved(), 0xabcd);
    EXPECT_EQ(sll->interface_index(), 0x01020304u);
    EXPECT_EQ(sll->arphrd_type(), arphrd::kNone);
    EXPECT_EQ(sll->packet_type(), sll_packet_type::kMulticast);
    EXPECT_EQ(sll->address_length(), 0);
    EXPECT_TRUE(sll->address().empty());
}

}  // namespace
}  // namespace synack::wire
