#include "wire/ethernet.hpp"

#include <gtest/gtest.h>

#include "support/hex.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace synack::wire {
namespace {

using test::hex;

const MacAddress kMacA{{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}};
const MacAddress kMacB{{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b}};
const MacAddress kBroadcast{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

// Captured with tcpdump on a veth pair (02:00:00:00:00:0a = 10.9.0.1, 02:00:00:00:00:0b = 10.9.0.2):
// "ARP, Request who-has 10.9.0.2 tell 10.9.0.1, length 28".
const std::vector<std::uint8_t> kArpRequestFrame = hex(
    "ffff ffff ffff 0200 0000 000a 0806 0001"
    "0800 0604 0001 0200 0000 000a 0a09 0001"
    "0000 0000 0000 0a09 0002");

// The first bytes (Ethernet, tags, IPv4 header) of frames sent through a veth pair with an AF_PACKET socket and
// captured on the receiving end, where libpcap re-inserts the tag the kernel took off. tcpdump -e
// decodes as "ethertype 802.1Q (0x8100), length 102: vlan 100, p 5, ethertype IPv4 (0x0800), 10.9.0.1 > 10.9.0.2"
const std::vector<std::uint8_t> kVlanFrame = hex(
    "0200 0000 000b 0200 0000 000a 8100 a064"
    "0800 4500 0054 d77d 4000 4001 4f17 0a09"
    "0001 0a09 0002");
// and as "ethertype 802.1Q-QinQ (0x88a8), length 106: vlan 200, p 3, DEI, ethertype 802.1Q (0x8100), vlan 30, p 0,
// ethertype IPv4 (0x0800), 10.9.0.1 > 10.9.0.2".
const std::vector<std::uint8_t> kQinQFrame = hex(
    "0200 0000 000b 0200 0000 000a 88a8 70c8"
    "8100 001e 0800 4500 0054 d77d 4000 4001"
    "4f17 0a09 0001 0a09 0002");

TEST(EthernetView, RealArpFrame) {
    auto eth = EthernetView::parse(kArpRequestFrame);
    ASSERT_TRUE(eth.ok());
    EXPECT_EQ(eth->destination(), kBroadcast);
    EXPECT_EQ(eth->source(), kMacA);
    EXPECT_EQ(eth->ether_type(), ether_type::kArp);
    EXPECT_FALSE(ether_type::is_length(eth->ether_type()));
    EXPECT_EQ(eth->header_length(), 14u);
    EXPECT_EQ(eth->header().data(), kArpRequestFrame.data());
    EXPECT_EQ(eth->header().size(), 14u);
    EXPECT_EQ(eth->payload().data(), kArpRequestFrame.data() + 14);
    EXPECT_EQ(eth->payload().size(), 28u);
}

TEST(EthernetView, EveryTruncationPoint) {
    for (std::size_t n = 0; n < 14; ++n) {
        auto eth = EthernetView::parse(Bytes(kArpRequestFrame.data(), n));
        ASSERT_FALSE(eth.ok()) << n;
        EXPECT_EQ(eth.error(), ParseError::Truncated) << n;
    }
    auto bare = EthernetView::parse(Bytes(kArpRequestFrame.data(), 14));
    ASSERT_TRUE(bare.ok());
    EXPECT_TRUE(bare->payload().empty());
}

TEST(EthernetView, Ieee8023LengthField) {
    auto frame = kArpRequestFrame;
    frame[12] = 0x00;
    frame[13] = 0x1c;  // 802.3: a length of 28
    auto eth = EthernetView::parse(frame);
    ASSERT_TRUE(eth.ok());
    EXPECT_EQ(eth->ether_type(), 28);
    EXPECT_TRUE(ether_type::is_length(eth->ether_type()));
    EXPECT_TRUE(ether_type::is_length(1500));
    EXPECT_FALSE(ether_type::is_length(1501));
}

TEST(VlanTagView, RealDot1qFrame) {
    auto eth = EthernetView::parse(kVlanFrame);
    ASSERT_TRUE(eth.ok());
    EXPECT_EQ(eth->destination(), kMacB);
    EXPECT_EQ(eth->source(), kMacA);
    EXPECT_EQ(eth->ether_type(), ether_type::kVlan);
    auto tag = VlanTagView::parse(eth->payload());
    ASSERT_TRUE(tag.ok());
    EXPECT_EQ(tag->tci(), 0xa064);
    EXPECT_EQ(tag->priority(), 5);
    EXPECT_FALSE(tag->drop_eligible());
    EXPECT_EQ(tag->vlan_id(), 100);
    EXPECT_EQ(tag->ether_type(), ether_type::kIpv4);
    EXPECT_EQ(tag->header_length(), 4u);
    EXPECT_EQ(tag->header().data(), kVlanFrame.data() + 14);
    EXPECT_EQ(tag->payload().data(), kVlanFrame.data() + 18);
    EXPECT_EQ(tag->payload()[0], 0x45);
}

TEST(VlanTagView, RealQinQFrame) {
    auto eth = EthernetView::parse(kQinQFrame);
    ASSERT_TRUE(eth.ok());
    EXPECT_EQ(eth->ether_type(), ether_type::kQinQ);
    auto outer = VlanTagView::parse(eth->payload());
    ASSERT_TRUE(outer.ok());
    EXPECT_EQ(outer->priority(), 3);
    EXPECT_TRUE(outer->drop_eligible());
    EXPECT_EQ(outer->vlan_id(), 200);
    EXPECT_EQ(outer->ether_type(), ether_type::kVlan);
    auto inner = VlanTagView::parse(outer->payload());
    ASSERT_TRUE(inner.ok());
    EXPECT_EQ(inner->priority(), 0);
    EXPECT_FALSE(inner->drop_eligible());
    EXPECT_EQ(inner->vlan_id(), 30);
    EXPECT_EQ(inner->ether_type(), ether_type::kIpv4);
    EXPECT_EQ(inner->payload().data(), kQinQFrame.data() + 22);
}

TEST(VlanTagView, EveryTruncationPoint) {
    const auto tag = hex("a064 0800");
    for (std::size_t n = 0; n < 4; ++n) {
        auto v = VlanTagView::parse(Bytes(tag.data(), n));
        ASSERT_FALSE(v.ok()) << n;
        EXPECT_EQ(v.error(), ParseError::Truncated) << n;
    }
    auto v = VlanTagView::parse(tag);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->payload().empty());
}

TEST(SkipVlanTags, StripsEveryTag) {
    auto eth = EthernetView::parse(kQinQFrame);
    ASSERT_TRUE(eth.ok());
    auto inner = skip_vlan_tags(eth->ether_type(), eth->payload());
    ASSERT_TRUE(inner.ok());
    EXPECT_EQ(inner->ether_type, ether_type::kIpv4);
    EXPECT_EQ(inner->vlan_tags, 2u);
    EXPECT_EQ(inner->payload.data(), kQinQFrame.data() + 22);
    EXPECT_EQ(inner->payload.size(), kQinQFrame.size() - 22);

    auto plain = EthernetView::parse(kArpRequestFrame);
    ASSERT_TRUE(plain.ok());
    auto untagged = skip_vlan_tags(plain->ether_type(), plain->payload());
    ASSERT_TRUE(untagged.ok());
    EXPECT_EQ(untagged->ether_type, ether_type::kArp);
    EXPECT_EQ(untagged->vlan_tags, 0u);
    EXPECT_EQ(untagged->payload.data(), kArpRequestFrame.data() + 14);
}

TEST(SkipVlanTags, TruncatedInnerTag) {
    // The S-TAG is whole; the C-TAG after it has only 3 of its 4 bytes.
    for (std::size_t cut = 18; cut < 22; ++cut) {
        auto eth = EthernetView::parse(Bytes(kQinQFrame.data(), cut));
        ASSERT_TRUE(eth.ok());
        auto inner = skip_vlan_tags(eth->ether_type(), eth->payload());
        ASSERT_FALSE(inner.ok()) << cut;
        EXPECT_EQ(inner.error(), ParseError::Truncated);
    }
}

TEST(SkipVlanTags, LegacyTpids) {
    EXPECT_TRUE(ether_type::is_vlan_tpid(0x8100));
    EXPECT_TRUE(ether_type::is_vlan_tpid(0x88a8));
    EXPECT_TRUE(ether_type::is_vlan_tpid(0x9100));
    EXPECT_TRUE(ether_type::is_vlan_tpid(0x9200));
    EXPECT_FALSE(ether_type::is_vlan_tpid(0x0800));
    EXPECT_FALSE(ether_type::is_vlan_tpid(0x86dd));
    const auto tags = hex("0007 9100 0008 86dd 6000");
    auto inner = skip_vlan_tags(0x9200, tags);
    ASSERT_TRUE(inner.ok());
    EXPECT_EQ(inner->ether_type, ether_type::kIpv6);
    EXPECT_EQ(inner->vlan_tags, 2u);
    EXPECT_EQ(inner->payload.size(), 2u);
}

TEST(EthernetBuilder, WritesTheRealHeader) {
    const EthernetBuilder b{kBroadcast, kMacA, ether_type::kArp};
    EXPECT_EQ(b.size(), 14u);
    std::vector<std::uint8_t> out(14, 0xee);
    b.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kArpRequestFrame.begin(), kArpRequestFrame.begin() + 14));
}

TEST(VlanTagBuilder, WritesTheRealQinQTags) {
    // Ethernet header with the S-TAG TPID, then the S-TAG and the C-TAG: the first 22 bytes of kQinQFrame.
    std::vector<std::uint8_t> out(22, 0xee);
    EthernetBuilder{kMacB, kMacA, ether_type::kQinQ}.write(out);
    const VlanTagBuilder s_tag{3, true, 200, ether_type::kVlan};
    const VlanTagBuilder c_tag{0, false, 30, ether_type::kIpv4};
    EXPECT_EQ(s_tag.size(), 4u);
    s_tag.write(MutableBytes(out).subspan(14));
    c_tag.write(MutableBytes(out).subspan(18));
    EXPECT_EQ(out, std::vector<std::uint8_t>(kQinQFrame.begin(), kQinQFrame.begin() + 22));
}

TEST(VlanTagBuilder, RoundTripAndFieldMasks) {
    std::vector<std::uint8_t> out(4);
    VlanTagBuilder{7, true, 4095, ether_type::kIpv6}.write(out);
    EXPECT_EQ(out, hex("ffff 86dd"));
    auto tag = VlanTagView::parse(out);
    ASSERT_TRUE(tag.ok());
    EXPECT_EQ(tag->priority(), 7);
    EXPECT_TRUE(tag->drop_eligible());
    EXPECT_EQ(tag->vlan_id(), 4095);
    EXPECT_EQ(tag->ether_type(), ether_type::kIpv6);

    // Out-of-range values are cut to their field widths rather than spilling into the neighbouring bits.
    VlanTagBuilder{9, false, 0x1001, ether_type::kArp}.write(out);
    EXPECT_EQ(out, hex("2001 0806"));
}

TEST(EthernetBuilder, RoundTrip) {
    std::vector<std::uint8_t> out(14);
    EthernetBuilder{kMacA, kMacB, ether_type::kIpv6}.write(out);
    EXPECT_EQ(out, hex("0200 0000 000a 0200 0000 000b 86dd"));
    auto eth = EthernetView::parse(out);
    ASSERT_TRUE(eth.ok());
    EXPECT_EQ(eth->destination(), kMacA);
    EXPECT_EQ(eth->source(), kMacB);
    EXPECT_EQ(eth->ether_type(), ether_type::kIpv6);
}

}  // namespace
}  // namespace synack::wire
