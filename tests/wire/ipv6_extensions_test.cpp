#include "wire/ipv6_extensions.hpp"

#include <gtest/gtest.h>

#include "support/hex.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace synack::wire {
namespace {

using test::hex;

Ipv6Address v6(std::string_view text) { return Ipv6Address::parse(text).value(); }
std::vector<std::uint8_t> to_vector(Bytes b) { return {b.begin(), b.end()}; }

// IPv6 packets captured with tcpdump on a veth pair (fd00:9::1 -> fd00:9::2), Ethernet header removed. The
// extension headers were put there by the Linux kernel: UDP sockets with IPV6_DSTOPTS / IPV6_HOPOPTS /
// IPV6_RTHDR set, an MLDv2 report, and `ping -6 -s 3000`. tcpdump -v prints the text quoted.
// "next-header unknown (60) payload length: 22 … DSTOPT (opt_type 0x1e: len=4) 58951 > 9999: UDP, length 6"
const std::vector<std::uint8_t> kDestinationOptions = hex(
    "600d f3fd 0016 3c40 fd00 0009 0000 0000"
    "0000 0000 0000 0001 fd00 0009 0000 0000"
    "0000 0000 0000 0002 1100 1e04 dead beef"
    "e647 270f 000e af0d 6473 746f 7074");
// "next-header Options (0) payload length: 22 … HBH (rtalert: 0x0001) (padn) 35490 > 9999: UDP, length 6"
const std::vector<std::uint8_t> kHopByHop = hex(
    "6009 9de0 0016 0040 fd00 0009 0000 0000"
    "0000 0000 0000 0001 fd00 0009 0000 0000"
    "0000 0000 0000 0002 1100 0502 0001 0100"
    "8aa2 270f 000e 0ab7 686f 706f 7074");
// "next-header Routing (43) payload length: 51 … RT6 (len=4, type=4, segleft=1, last-entry=1, flags=0x0, tag=7,
// [0]fd00:9::99, [1]fd00:9::99) 52059 > 9999: UDP, length 3"
const std::vector<std::uint8_t> kSegmentRouting = hex(
    "6009 478f 0033 2b40 fd00 0009 0000 0000"
    "0000 0000 0000 0001 fd00 0009 0000 0000"
    "0000 0000 0000 0099 1104 0401 0100 0007"
    "fd00 0009 0000 0000 0000 0000 0000 0099"
    "fd00 0009 0000 0000 0000 0000 0000 0099"
    "cb5b 270f 000b 374d 7372 68");
// "next-header Options (0) payload length: 28 … HBH (rtalert: 0x0001) (padn) DSTOPT (opt_type 0x1e: len=4)
// 43540 > 9999: UDP, length 4"
const std::vector<std::uint8_t> kHopByHopThenDestination = hex(
    "6001 25fc 001c 0040 fd00 0009 0000 0000"
    "0000 0000 0000 0001 fd00 0009 0000 0000"
    "0000 0000 0000 0002 3c00 0502 0001 0100"
    "1100 1e04 dead beef aa14 270f 000c 5dc4"
    "626f 7468");
// "(hlim 1, next-header Options (0) payload length: 36) fe80::ff:fe00:a > ff02::16: HBH (rtalert: 0x0000) (padn)
// … multicast listener report v2"
const std::vector<std::uint8_t> kMldReport = hex(
    "6000 0000 0024 0001 fe80 0000 0000 0000"
    "0000 00ff fe00 000a ff02 0000 0000 0000"
    "0000 0000 0000 0016 3a00 0502 0000 0100"
    "8f00 70fd 0000 0001 0400 0000 ff02 0000"
    "0000 0000 0000 0000 0001 0003");
// "frag (0xb76c0949:0|1448) ICMP6, echo request", first 64 bytes.
const std::vector<std::uint8_t> kFirstFragmentHead = hex(
    "600c 0300 05b0 2c40 fd00 0009 0000 0000"
    "0000 0000 0000 0001 fd00 0009 0000 0000"
    "0000 0000 0000 0002 3a00 0001 b76c 0949"
    "8000 a746 215a 0001 aa82 046b 0000 0000");
// "(flowlabel 0xc0300, hlim 64, next-header Fragment (44) payload length: 120) … frag (0xb76c0949:2896|112)"
const std::vector<std::uint8_t> kLastFragment = hex(
    "600c 0300 0078 2c40 fd00 0009 0000 0000"
    "0000 0000 0000 0001 fd00 0009 0000 0000"
    "0000 0000 0000 0002 3a00 0b50 b76c 0949"
    "4849 4a4b 4c4d 4e4f 5051 5253 5455 5657"
    "5859 5a5b 5c5d 5e5f 6061 6263 6465 6667"
    "6869 6a6b 6c6d 6e6f 7071 7273 7475 7677"
    "7879 7a7b 7c7d 7e7f 8081 8283 8485 8687"
    "8889 8a8b 8c8d 8e8f 9091 9293 9495 9697"
    "9899 9a9b 9c9d 9e9f a0a1 a2a3 a4a5 a6a7"
    "a8a9 aaab acad aeaf b0b1 b2b3 b4b5 b6b7");

Ipv6View parse_ip(const std::vector<std::uint8_t>& bytes) { return Ipv6View::parse(bytes).value(); }

// Walks to the end, expecting no error.
std::vector<Ipv6Extension> walk(Ipv6ExtensionWalker& walker) {
    std::vector<Ipv6Extension> out;
    while (!walker.at_end()) {
        auto extension = walker.next();
        EXPECT_TRUE(extension.ok());
        if (!extension) break;
        out.push_back(*extension);
    }
    return out;
}

std::vector<Ipv6Option> all_options(Ipv6OptionIterator it) {
    std::vector<Ipv6Option> out;
    while (!it.at_end()) {
        auto option = it.next();
        EXPECT_TRUE(option.ok());
        if (!option) break;
        out.push_back(*option);
    }
    return out;
}

// ---- the walker over real packets ----

TEST(Ipv6ExtensionWalker, NoExtensionHeaders) {
    const auto bytes = hex("6000 0000 0008 1140");
    std::vector<std::uint8_t> packet(bytes);
    packet.resize(48, 0);
    const auto ip = parse_ip(packet);
    Ipv6ExtensionWalker walker(ip);
    EXPECT_TRUE(walker.at_end());
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kUdp);
    EXPECT_EQ(walker.upper_payload().data(), packet.data() + 40);
    EXPECT_EQ(walker.upper_payload().size(), 8u);
    EXPECT_EQ(walker.offset(), 0u);
    EXPECT_EQ(walker.next().error(), ParseError::Truncated);
}

TEST(Ipv6ExtensionWalker, RealDestinationOptions) {
    const auto ip = parse_ip(kDestinationOptions);
    Ipv6ExtensionWalker walker(ip);
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 1u);
    EXPECT_EQ(extensions[0].type, ip_protocol::kDestinationOptions);
    EXPECT_EQ(extensions[0].next_header, ip_protocol::kUdp);
    EXPECT_EQ(extensions[0].header.data(), kDestinationOptions.data() + 40);
    EXPECT_EQ(extensions[0].header.size(), 8u);
    EXPECT_EQ(to_vector(extensions[0].data()), hex("1e04 dead beef"));
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kUdp);
    EXPECT_EQ(walker.offset(), 8u);
    EXPECT_EQ(walker.upper_payload().size(), 14u);
    EXPECT_EQ(load_be16(walker.upper_payload().data() + 2), 9999);  // UDP destination port
    EXPECT_FALSE(walker.stopped_at_fragment());

    const auto options = all_options(Ipv6OptionIterator::over_header(extensions[0].header));
    ASSERT_EQ(options.size(), 1u);
    EXPECT_EQ(options[0].type, 0x1e);
    EXPECT_EQ(options[0].length(), 6u);
    EXPECT_EQ(to_vector(options[0].data), hex("dead beef"));
    EXPECT_EQ(ipv6_option::action(0x1e), ipv6_option::kActionSkip);
    EXPECT_FALSE(ipv6_option::may_change(0x1e));
}

TEST(Ipv6ExtensionWalker, RealHopByHopRouterAlert) {
    const auto ip = parse_ip(kHopByHop);
    Ipv6ExtensionWalker walker(ip);
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 1u);
    EXPECT_EQ(extensions[0].type, ip_protocol::kHopByHop);
    EXPECT_EQ(extensions[0].next_header, ip_protocol::kUdp);
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kUdp);
    EXPECT_EQ(walker.upper_payload().size(), 14u);

    const auto options = all_options(Ipv6OptionIterator::over_header(extensions[0].header));
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options[0].type, ipv6_option::kRouterAlert);
    auto alert = options[0].as_router_alert();
    ASSERT_TRUE(alert.ok());
    EXPECT_EQ(*alert, ipv6_router_alert::kRsvp);
    EXPECT_EQ(options[1].type, ipv6_option::kPadN);
    EXPECT_EQ(options[1].length(), 2u);
    EXPECT_TRUE(options[1].data.empty());
}

TEST(Ipv6ExtensionWalker, RealMldReport) {
    const auto ip = parse_ip(kMldReport);
    EXPECT_EQ(ip.hop_limit(), 1);
    auto upper = skip_ipv6_extensions(ip);
    ASSERT_TRUE(upper.ok());
    EXPECT_EQ(upper->protocol, ip_protocol::kIcmpv6);
    EXPECT_EQ(upper->extension_length, 8u);
    EXPECT_EQ(upper->payload.size(), 28u);
    EXPECT_EQ(upper->payload[0], 143);  // MLDv2 report
    EXPECT_FALSE(upper->non_first_fragment);

    Ipv6ExtensionWalker walker(ip);
    auto hop = walker.next();
    ASSERT_TRUE(hop.ok());
    const auto options = all_options(Ipv6OptionIterator::over_header(hop->header));
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(*options[0].as_router_alert(), ipv6_router_alert::kMld);
}

TEST(Ipv6ExtensionWalker, RealHopByHopThenDestinationOptions) {
    const auto ip = parse_ip(kHopByHopThenDestination);
    Ipv6ExtensionWalker walker(ip);
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 2u);
    EXPECT_EQ(extensions[0].type, ip_protocol::kHopByHop);
    EXPECT_EQ(extensions[0].next_header, ip_protocol::kDestinationOptions);
    EXPECT_EQ(extensions[1].type, ip_protocol::kDestinationOptions);
    EXPECT_EQ(extensions[1].next_header, ip_protocol::kUdp);
    EXPECT_EQ(extensions[1].header.data(), kHopByHopThenDestination.data() + 48);
    EXPECT_EQ(walker.offset(), 16u);
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kUdp);
    EXPECT_EQ(walker.upper_payload().size(), 12u);
}

TEST(Ipv6ExtensionWalker, RealSegmentRoutingHeader) {
    const auto ip = parse_ip(kSegmentRouting);
    Ipv6ExtensionWalker walker(ip);
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 1u);
    EXPECT_EQ(extensions[0].type, ip_protocol::kRouting);
    EXPECT_EQ(extensions[0].header.size(), 40u);
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kUdp);
    EXPECT_EQ(walker.upper_payload().size(), 11u);

    auto routing = Ipv6RoutingView::parse(extensions[0].header);
    ASSERT_TRUE(routing.ok());
    EXPECT_EQ(routing->next_header(), ip_protocol::kUdp);
    EXPECT_EQ(routing->header_ext_length(), 4);
    EXPECT_EQ(routing->header_length(), 40u);
    EXPECT_EQ(routing->routing_type(), ipv6_routing_type::kSegmentRouting);
    EXPECT_EQ(routing->segments_left(), 1);
    EXPECT_EQ(routing->last_entry(), 1);
    EXPECT_EQ(routing->srh_flags(), 0);
    EXPECT_EQ(routing->srh_tag(), 7);
    ASSERT_EQ(routing->address_count(), 2u);
    EXPECT_EQ(routing->address(0), v6("fd00:9::99"));
    EXPECT_EQ(routing->address(1), v6("fd00:9::99"));
    EXPECT_TRUE(routing->trailer().empty());
    EXPECT_EQ(routing->type_data().size(), 36u);
    EXPECT_TRUE(routing->payload().empty());
}

TEST(Ipv6ExtensionWalker, RealFirstFragmentContinuesTheChain) {
    const auto ip = parse_ip(kFirstFragmentHead);
    Ipv6ExtensionWalker walker(ip);
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 1u);
    EXPECT_EQ(extensions[0].type, ip_protocol::kFragment);
    EXPECT_FALSE(walker.stopped_at_fragment());
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kIcmpv6);
    EXPECT_EQ(walker.upper_payload().size(), 16u);  // what the capture kept
    EXPECT_EQ(walker.upper_payload()[0], 128);      // echo request

    auto fragment = Ipv6FragmentView::parse(extensions[0].header);
    ASSERT_TRUE(fragment.ok());
    EXPECT_EQ(fragment->next_header(), ip_protocol::kIcmpv6);
    EXPECT_EQ(fragment->reserved(), 0);
    EXPECT_EQ(fragment->fragment_offset(), 0);
    EXPECT_EQ(fragment->reserved_bits(), 0);
    EXPECT_TRUE(fragment->more_fragments());
    EXPECT_EQ(fragment->identification(), 0xb76c0949u);
    EXPECT_FALSE(fragment->is_atomic());
    EXPECT_EQ(fragment->header_length(), 8u);
    EXPECT_TRUE(fragment->payload().empty());
}

TEST(Ipv6ExtensionWalker, RealLaterFragmentStopsTheChain) {
    const auto ip = parse_ip(kLastFragment);
    Ipv6ExtensionWalker walker(ip);
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 1u);
    EXPECT_TRUE(walker.at_end());
    EXPECT_TRUE(walker.stopped_at_fragment());
    // What follows is the fragment's data (bytes 2896.. of the ICMPv6 message), not a header.
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kIcmpv6);
    EXPECT_EQ(walker.upper_payload().size(), 112u);
    EXPECT_EQ(walker.upper_payload()[0], 0x48);

    auto fragment = Ipv6FragmentView::parse(ip.payload());
    ASSERT_TRUE(fragment.ok());
    EXPECT_EQ(fragment->fragment_offset(), 2896);
    EXPECT_FALSE(fragment->more_fragments());
    EXPECT_EQ(fragment->identification(), 0xb76c0949u);
    EXPECT_EQ(fragment->payload().size(), 112u);

    auto upper = skip_ipv6_extensions(ip);
    ASSERT_TRUE(upper.ok());
    EXPECT_TRUE(upper->non_first_fragment);
    EXPECT_EQ(upper->protocol, ip_protocol::kIcmpv6);
    EXPECT_EQ(upper->extension_length, 8u);
}

// ---- walker errors ----

// An IPv6 packet whose payload is `payload` (payload length = declared, or payload.size()).
std::vector<std::uint8_t> packet(std::uint8_t next_header, const std::vector<std::uint8_t>& payload,
                                 std::optional<std::uint16_t> declared = std::nullopt) {
    std::vector<std::uint8_t> out(40 + payload.size());
    Ipv6Builder ip;
    ip.payload_length = declared.value_or(static_cast<std::uint16_t>(payload.size()));
    ip.next_header = next_header;
    ip.write(out);
    std::copy(payload.begin(), payload.end(), out.begin() + 40);
    return out;
}

void expect_walk_error(const std::vector<std::uint8_t>& bytes, std::size_t good, ParseError error,
                       std::uint8_t protocol_after_good) {
    const auto ip = Ipv6View::parse(bytes).value();
    Ipv6ExtensionWalker walker(ip);
    for (std::size_t i = 0; i < good; ++i) {
        ASSERT_FALSE(walker.at_end());
        ASSERT_TRUE(walker.next().ok());
    }
    ASSERT_FALSE(walker.at_end());
    auto bad = walker.next();
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error(), error);
    EXPECT_TRUE(walker.at_end());
    EXPECT_EQ(walker.next().error(), ParseError::Truncated);
    EXPECT_EQ(walker.upper_protocol(), protocol_after_good);
    auto upper = skip_ipv6_extensions(ip);
    ASSERT_FALSE(upper.ok());
    EXPECT_EQ(upper.error(), error);
}

TEST(Ipv6ExtensionWalker, HopByHopNotFirst) {
    // Destination options, then a hop-by-hop header: RFC 8200 §4.1 allows hop-by-hop only first.
    const auto payload = hex("0000 0100 0000 0000 1100 0100 0000 0000");
    expect_walk_error(packet(ip_protocol::kDestinationOptions, payload), 1, ParseError::BadExtensionHeader,
                      ip_protocol::kHopByHop);
}

TEST(Ipv6ExtensionWalker, HeaderOverrunsThePayloadLength) {
    // The real destination options header with its length raised to 2 (24 bytes): the payload is 22.
    auto bytes = kDestinationOptions;
    bytes[41] = 2;
    expect_walk_error(bytes, 0, ParseError::BadExtensionHeader, ip_protocol::kDestinationOptions);
    // The same header cut short by the capture (payload length 22, 4 bytes present) is truncated, not malformed.
    expect_walk_error(std::vector<std::uint8_t>(kDestinationOptions.begin(), kDestinationOptions.begin() + 44), 0,
                      ParseError::Truncated, ip_protocol::kDestinationOptions);
    // The second header of the real two-header chain, cut after its first byte.
    expect_walk_error(std::vector<std::uint8_t>(kHopByHopThenDestination.begin(),
                                                kHopByHopThenDestination.begin() + 49),
                      1, ParseError::Truncated, ip_protocol::kDestinationOptions);
}

TEST(Ipv6ExtensionWalker, EveryTruncationPointOfTheRealChain) {
    for (std::size_t n = 40; n < 56; ++n) {
        const std::vector<std::uint8_t> cut(kHopByHopThenDestination.begin(), kHopByHopThenDestination.begin() + n);
        const auto ip = Ipv6View::parse(cut).value();
        auto upper = skip_ipv6_extensions(ip);
        ASSERT_FALSE(upper.ok()) << n;
        EXPECT_EQ(upper.error(), ParseError::Truncated) << n;
    }
    const std::vector<std::uint8_t> cut(kHopByHopThenDestination.begin(), kHopByHopThenDestination.begin() + 56);
    auto upper = skip_ipv6_extensions(Ipv6View::parse(cut).value());
    ASSERT_TRUE(upper.ok());
    EXPECT_TRUE(upper->payload.empty());
}

TEST(Ipv6ExtensionWalker, LengthOctetMissing) {
    expect_walk_error(packet(ip_protocol::kRouting, hex("11")), 0, ParseError::BadExtensionHeader,
                      ip_protocol::kRouting);
    expect_walk_error(packet(ip_protocol::kRouting, hex("11"), 100), 0, ParseError::Truncated, ip_protocol::kRouting);
}

TEST(Ipv6ExtensionWalker, FragmentHeaderCutShort) {
    // The real first fragment's header, declared and present as only 7 bytes: malformed; present as 7 of 1456: cut.
    const auto seven = hex("3a00 0001 b76c 09");
    expect_walk_error(packet(ip_protocol::kFragment, seven), 0, ParseError::BadExtensionHeader,
                      ip_protocol::kFragment);
    expect_walk_error(packet(ip_protocol::kFragment, seven, 1456), 0, ParseError::Truncated, ip_protocol::kFragment);
    for (std::size_t n = 0; n < 8; ++n) {
        auto fragment = Ipv6FragmentView::parse(Bytes(kFirstFragmentHead.data() + 40, n));
        ASSERT_FALSE(fragment.ok()) << n;
        EXPECT_EQ(fragment.error(), ParseError::Truncated);
    }
}

TEST(Ipv6ExtensionWalker, AtomicFragmentContinues) {
    // RFC 6946: offset 0 and M = 0; the header after it is walked.
    Ipv6FragmentBuilder fragment;
    fragment.next_header = ip_protocol::kDestinationOptions;
    fragment.identification = 0x01020304;
    std::vector<std::uint8_t> payload(16);
    fragment.write(payload);
    Ipv6OptionsHeaderBuilder dest;
    dest.next_header = ip_protocol::kTcp;
    dest.write(MutableBytes(payload).subspan(8));
    const auto bytes = packet(ip_protocol::kFragment, payload);
    Ipv6ExtensionWalker walker(Ipv6View::parse(bytes).value());
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 2u);
    EXPECT_TRUE(Ipv6FragmentView::parse(extensions[0].header)->is_atomic());
    EXPECT_FALSE(walker.stopped_at_fragment());
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kTcp);
    EXPECT_TRUE(walker.upper_payload().empty());
}

TEST(Ipv6ExtensionWalker, AuthenticationHeaderLengthRule) {
    // RFC 4302 §2.2: (payload length + 2) * 4 octets; HMAC-SHA1-96 makes it 4 (24 octets).
    Ipv6AuthenticationBuilder ah;
    ah.next_header = ip_protocol::kTcp;
    ah.spi = 0x1000;
    ah.sequence = 1;
    ah.icv.assign(12, 0xaa);
    std::vector<std::uint8_t> payload(ah.size() + 4, 0x55);
    ah.write(payload);
    EXPECT_EQ(payload[1], 4);
    auto bytes = packet(ip_protocol::kAh, payload);
    Ipv6ExtensionWalker walker(Ipv6View::parse(bytes).value());
    const auto extensions = walk(walker);
    ASSERT_EQ(extensions.size(), 1u);
    EXPECT_EQ(extensions[0].type, ip_protocol::kAh);
    EXPECT_EQ(extensions[0].header.size(), 24u);
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kTcp);
    EXPECT_EQ(walker.upper_payload().size(), 4u);

    // Payload length 0 means 8 octets, less than the 12 fixed ones.
    bytes[41] = 0;
    expect_walk_error(bytes, 0, ParseError::BadExtensionHeader, ip_protocol::kAh);
    // Payload length 10 means 48 octets, more than the 28 present and declared.
    bytes[41] = 10;
    expect_walk_error(bytes, 0, ParseError::BadExtensionHeader, ip_protocol::kAh);
}

TEST(Ipv6ExtensionWalker, NoNextHeaderAndEspEndTheWalk) {
    // RFC 8200 §4.7: nothing follows next header 59; bytes after it are left for the caller to ignore.
    Ipv6OptionsHeaderBuilder dest;
    dest.next_header = ip_protocol::kNoNextHeader;
    std::vector<std::uint8_t> payload(12, 0x77);
    dest.write(payload);
    const auto bytes = packet(ip_protocol::kDestinationOptions, payload);
    Ipv6ExtensionWalker walker(Ipv6View::parse(bytes).value());
    EXPECT_EQ(walk(walker).size(), 1u);
    EXPECT_EQ(walker.upper_protocol(), ip_protocol::kNoNextHeader);
    EXPECT_EQ(walker.upper_payload().size(), 4u);

    const auto esp_bytes = packet(ip_protocol::kEsp, payload);
    Ipv6ExtensionWalker esp(Ipv6View::parse(esp_bytes).value());
    EXPECT_TRUE(esp.at_end());
    EXPECT_EQ(esp.upper_protocol(), ip_protocol::kEsp);
}

TEST(Ipv6ExtensionWalker, Rfc6564HeadersOnlyWhenAsked) {
    // A mobility header (RFC 6275) in RFC 6564's uniform format: length 1 means 16 octets.
    std::vector<std::uint8_t> payload = hex("3b01 0000 0000 0000 0000 0000 0000 0000");
    const auto bytes = packet(ip_protocol::kMobility, payload);
    const auto ip = Ipv6View::parse(bytes).value();
    Ipv6ExtensionWalker plain(ip);
    EXPECT_TRUE(plain.at_end());
    EXPECT_EQ(plain.upper_protocol(), ip_protocol::kMobility);

    Ipv6ExtensionWalker skipping(ip, true);
    const auto extensions = walk(skipping);
    ASSERT_EQ(extensions.size(), 1u);
    EXPECT_EQ(extensions[0].header.size(), 16u);
    EXPECT_EQ(skipping.upper_protocol(), ip_protocol::kNoNextHeader);
    EXPECT_TRUE(ipv6_extension::is_rfc6564(ipv6_extension::kHip));
    EXPECT_TRUE(ipv6_extension::is_rfc6564(ipv6_extension::kShim6));
    EXPECT_FALSE(ipv6_extension::is_rfc6564(ip_protocol::kTcp));
}

TEST(Ipv6ExtensionWalker, DeclaredLengthBoundsTheBytes) {
    // Bytes beyond the declared length (link padding) are not walked into.
    const auto payload = hex("1100 0100 0000 0000 ffff ffff");
    Ipv6ExtensionWalker walker(ip_protocol::kDestinationOptions, payload, 8);
    EXPECT_EQ(walk(walker).size(), 1u);
    EXPECT_TRUE(walker.upper_payload().empty());
    Ipv6ExtensionWalker short_declared(ip_protocol::kDestinationOptions, payload, 6);
    auto bad = short_declared.next();
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error(), ParseError::BadExtensionHeader);
}

// ---- options ----

TEST(Ipv6OptionIterator, PadsAndTypedOptions) {
    const auto bytes = hex("0000 0103 0000 00c2 0400 0186 a005 0200 0204 0105 c910 2001 0db8 0000 0000 0000 0000"
                           "0000 0001");
    const auto options = all_options(Ipv6OptionIterator(bytes));
    ASSERT_EQ(options.size(), 7u);
    EXPECT_EQ(options[0].type, ipv6_option::kPad1);
    EXPECT_EQ(options[0].length(), 1u);
    EXPECT_EQ(options[1].type, ipv6_option::kPad1);
    EXPECT_EQ(options[2].type, ipv6_option::kPadN);
    EXPECT_EQ(options[2].length(), 5u);
    EXPECT_EQ(options[2].data.size(), 3u);
    EXPECT_EQ(options[3].type, ipv6_option::kJumboPayload);
    EXPECT_EQ(*options[3].as_jumbo_payload(), 100000u);
    EXPECT_EQ(ipv6_option::action(ipv6_option::kJumboPayload), ipv6_option::kActionDiscardIcmpUnicast);
    EXPECT_EQ(*options[4].as_router_alert(), ipv6_router_alert::kActiveNetworks);
    EXPECT_EQ(*options[5].as_tunnel_encapsulation_limit(), 5);
    EXPECT_EQ(options[6].type, ipv6_option::kHomeAddress);
    EXPECT_EQ(options[6].data.size(), 16u);
    EXPECT_EQ(Ipv6Address::from_bytes(options[6].data.data()), v6("2001:db8::1"));
    EXPECT_TRUE(ipv6_option::may_change(0x26));  // quick-start
    EXPECT_FALSE(ipv6_option::may_change(ipv6_option::kRouterAlert));
}

void expect_option_error(const std::vector<std::uint8_t>& bytes, std::size_t good) {
    Ipv6OptionIterator it(bytes);
    for (std::size_t i = 0; i < good; ++i) ASSERT_TRUE(it.next().ok());
    ASSERT_FALSE(it.at_end());
    auto bad = it.next();
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error(), ParseError::BadOptionLength);
    EXPECT_TRUE(it.at_end());
    EXPECT_EQ(it.next().error(), ParseError::Truncated);
}

TEST(Ipv6OptionIterator, BadLengths) {
    expect_option_error(hex("0502 0000 0105 0000"), 1);  // PadN says 5 octets of data, 2 are left
    expect_option_error(hex("0000 0000 0000 0005"), 7);  // router alert at the last octet: no length octet
    expect_option_error(hex("c2ff"), 0);
    // The real hop-by-hop options with the header's last octet lost.
    expect_option_error(hex("0502 0001 01"), 1);
}

TEST(Ipv6Option, TypedReadersRejectWrongLengths) {
    const auto three = hex("000000");
    const auto one = hex("00");
    EXPECT_EQ((Ipv6Option{ipv6_option::kJumboPayload, three}.as_jumbo_payload().error()),
              ParseError::BadOptionLength);
    EXPECT_EQ((Ipv6Option{ipv6_option::kRouterAlert, three}.as_router_alert().error()), ParseError::BadOptionLength);
    EXPECT_EQ((Ipv6Option{ipv6_option::kRouterAlert, one}.as_router_alert().error()), ParseError::BadOptionLength);
    EXPECT_EQ((Ipv6Option{ipv6_option::kTunnelEncapsulationLimit, three}.as_tunnel_encapsulation_limit().error()),
              ParseError::BadOptionLength);
    EXPECT_EQ((Ipv6Option{ipv6_option::kTunnelEncapsulationLimit, {}}.as_tunnel_encapsulation_limit().error()),
              ParseError::BadOptionLength);
}

// ---- routing and authentication views ----

TEST(Ipv6RoutingView, TruncationAndBadSegmentList) {
    const Bytes srh(kSegmentRouting.data() + 40, 40);
    for (std::size_t n = 0; n < 40; ++n) {
        auto routing = Ipv6RoutingView::parse(srh.first(n));
        ASSERT_FALSE(routing.ok()) << n;
        EXPECT_EQ(routing.error(), ParseError::Truncated) << n;
    }
    // Last entry 2 needs three addresses; the 40-octet header has room for two.
    auto bytes = std::vector<std::uint8_t>(srh.begin(), srh.end());
    bytes[4] = 2;
    auto routing = Ipv6RoutingView::parse(bytes);
    ASSERT_FALSE(routing.ok());
    EXPECT_EQ(routing.error(), ParseError::BadExtensionHeader);
}

TEST(Ipv6RoutingView, OtherTypes) {
    // Type 0 (RFC 2460): length 4 = two addresses.
    Ipv6RoutingBuilder type0;
    type0.routing_type = ipv6_routing_type::kSourceRoute;
    type0.segments_left = 2;
    type0.addresses = {v6("2001:db8::1"), v6("2001:db8::2")};
    std::vector<std::uint8_t> out(type0.size());
    type0.write(out);
    EXPECT_EQ(std::vector<std::uint8_t>(out.begin(), out.begin() + 8), hex("3b04 0002 0000 0000"));
    auto r0 = Ipv6RoutingView::parse(out);
    ASSERT_TRUE(r0.ok());
    ASSERT_EQ(r0->address_count(), 2u);
    EXPECT_EQ(r0->address(1), v6("2001:db8::2"));
    EXPECT_TRUE(r0->trailer().empty());

    // Type 2 (RFC 6275): one home address.
    Ipv6RoutingBuilder type2;
    type2.routing_type = ipv6_routing_type::kMobileIpv6;
    type2.segments_left = 1;
    type2.addresses = {v6("2001:db8::99")};
    out.assign(type2.size(), 0);
    type2.write(out);
    auto r2 = Ipv6RoutingView::parse(out);
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2->header_ext_length(), 2);
    ASSERT_EQ(r2->address_count(), 1u);
    EXPECT_EQ(r2->address(0), v6("2001:db8::99"));

    // Type 3 (RPL, compressed): no addresses decoded, the data kept.
    Ipv6RoutingBuilder type3;
    type3.routing_type = ipv6_routing_type::kRpl;
    type3.type_specific = 0x11223344;
    type3.trailer = {1, 2, 3, 4, 5, 6, 7, 8};
    out.assign(type3.size(), 0);
    type3.write(out);
    auto r3 = Ipv6RoutingView::parse(out);
    ASSERT_TRUE(r3.ok());
    EXPECT_EQ(r3->address_count(), 0u);
    EXPECT_EQ(to_vector(r3->type_data()), hex("1122 3344 0102 0304 0506 0708"));
    EXPECT_TRUE(r3->trailer().empty());
}

TEST(Ipv6AuthenticationView, ParseAndErrors) {
    const auto bytes = hex("0604 0000 0000 1000 0000 0001 aaaa aaaa aaaa aaaa aaaa aaaa 5555");
    auto ah = Ipv6AuthenticationView::parse(bytes);
    ASSERT_TRUE(ah.ok());
    EXPECT_EQ(ah->next_header(), ip_protocol::kTcp);
    EXPECT_EQ(ah->payload_length_field(), 4);
    EXPECT_EQ(ah->header_length(), 24u);
    EXPECT_EQ(ah->reserved(), 0);
    EXPECT_EQ(ah->spi(), 0x1000u);
    EXPECT_EQ(ah->sequence(), 1u);
    EXPECT_EQ(to_vector(ah->icv()), std::vector<std::uint8_t>(12, 0xaa));
    EXPECT_EQ(ah->payload().size(), 2u);
    for (std::size_t n = 0; n < 24; ++n) {
        auto cut = Ipv6AuthenticationView::parse(Bytes(bytes.data(), n));
        ASSERT_FALSE(cut.ok()) << n;
        EXPECT_EQ(cut.error(), ParseError::Truncated) << n;
    }
    auto short_length = bytes;
    short_length[1] = 0;
    EXPECT_EQ(Ipv6AuthenticationView::parse(short_length).error(), ParseError::BadExtensionHeader);
}

// ---- builders ----

TEST(Ipv6OptionsHeaderBuilder, WritesTheRealHeaders) {
    // Hop-by-hop with router alert 1: the builder adds the same PadN the kernel did.
    Ipv6OptionsHeaderBuilder hop;
    hop.next_header = ip_protocol::kUdp;
    hop.options = Ipv6OptionsBuilder().router_alert(ipv6_router_alert::kRsvp).bytes();
    EXPECT_EQ(hop.size(), 8u);
    std::vector<std::uint8_t> out(8, 0xee);
    hop.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kHopByHop.begin() + 40, kHopByHop.begin() + 48));

    Ipv6OptionsHeaderBuilder mld_hop;
    mld_hop.next_header = ip_protocol::kIcmpv6;
    mld_hop.options = Ipv6OptionsBuilder().router_alert(ipv6_router_alert::kMld).bytes();
    mld_hop.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kMldReport.begin() + 40, kMldReport.begin() + 48));

    Ipv6OptionsHeaderBuilder dest;
    dest.next_header = ip_protocol::kUdp;
    const auto deadbeef = hex("dead beef");
    dest.options = Ipv6OptionsBuilder().option(0x1e, deadbeef).bytes();
    dest.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kDestinationOptions.begin() + 40, kDestinationOptions.begin() + 48));
}

TEST(Ipv6OptionsHeaderBuilder, PaddingAndOverride) {
    Ipv6OptionsHeaderBuilder h;
    h.options = hex("0503 0000 00");  // 5 octets: one octet of padding, a Pad1
    std::vector<std::uint8_t> out(8, 0xee);
    h.write(out);
    EXPECT_EQ(out, hex("3b00 0503 0000 0000"));

    h.options.clear();  // 6 octets of padding: PadN with 4 zero octets
    h.write(out);
    EXPECT_EQ(out, hex("3b00 0104 0000 0000"));

    // 2 + 6 + 3 octets: PadN with 3 zero octets fills the header to 16.
    h.options = Ipv6OptionsBuilder().jumbo_payload(70000).tunnel_encapsulation_limit(4).bytes();
    EXPECT_EQ(h.size(), 16u);
    out.assign(16, 0xee);
    h.write(out);
    EXPECT_EQ(out, hex("3b01 c204 0001 1170 0401 0401 0300 0000"));
    const auto options = all_options(Ipv6OptionIterator::over_header(out));
    ASSERT_EQ(options.size(), 3u);
    EXPECT_EQ(*options[0].as_jumbo_payload(), 70000u);
    EXPECT_EQ(*options[1].as_tunnel_encapsulation_limit(), 4);
    EXPECT_EQ(options[2].type, ipv6_option::kPadN);

    // A length octet that claims more than the header: the walker refuses it.
    h.options.clear();
    h.header_ext_length = 3;
    out.assign(8, 0);
    h.write(out);
    EXPECT_EQ(out[1], 3);
    const auto bytes = packet(ip_protocol::kHopByHop, out);
    expect_walk_error(bytes, 0, ParseError::BadExtensionHeader, ip_protocol::kHopByHop);
}

TEST(Ipv6OptionsBuilder, EveryKind) {
    const auto raw = hex("ff");
    Ipv6OptionsBuilder b;
    b.pad1().padn(4).jumbo_payload(0x12345678).router_alert(2).tunnel_encapsulation_limit(9).option(0x3e, raw).raw(
        hex("01"));
    EXPECT_EQ(b.bytes(), hex("0001 0200 00c2 0412 3456 7805 0200 0204 0109 3e01 ff01"));
    expect_option_error(b.bytes(), 6);  // the raw 0x01 at the end has no length octet
}

TEST(Ipv6FragmentBuilder, WritesTheRealHeadersAndRoundTrips) {
    Ipv6FragmentBuilder first;
    first.next_header = ip_protocol::kIcmpv6;
    first.more_fragments = true;
    first.identification = 0xb76c0949;
    EXPECT_EQ(first.size(), 8u);
    std::vector<std::uint8_t> out(8, 0xee);
    first.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kFirstFragmentHead.begin() + 40, kFirstFragmentHead.begin() + 48));
    Ipv6FragmentBuilder last = first;
    last.more_fragments = false;
    last.fragment_offset = 2896;
    last.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kLastFragment.begin() + 40, kLastFragment.begin() + 48));

    const Ipv6FragmentBuilder odd{ip_protocol::kTcp, 0x5a, 65528, 3, true, 0xffffffff};
    odd.write(out);
    EXPECT_EQ(out, hex("065a ffff ffff ffff"));
    auto view = Ipv6FragmentView::parse(out);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->next_header(), ip_protocol::kTcp);
    EXPECT_EQ(view->reserved(), 0x5a);
    EXPECT_EQ(view->fragment_offset(), 65528);
    EXPECT_EQ(view->reserved_bits(), 3);
    EXPECT_TRUE(view->more_fragments());
    EXPECT_EQ(view->identification(), 0xffffffffu);
}

TEST(Ipv6RoutingBuilder, WritesTheRealSegmentRoutingHeader) {
    Ipv6RoutingBuilder srh;
    srh.next_header = ip_protocol::kUdp;
    srh.segments_left = 1;
    srh.type_specific = 0x01000007;  // last entry 1, flags 0, tag 7
    srh.addresses = {v6("fd00:9::99"), v6("fd00:9::99")};
    EXPECT_EQ(srh.size(), 40u);
    std::vector<std::uint8_t> out(40, 0xee);
    srh.write(out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(kSegmentRouting.begin() + 40, kSegmentRouting.begin() + 80));

    // Default type-specific octets for an SRH: last entry from the addresses, zero flags and tag.
    srh.type_specific.reset();
    srh.addresses.push_back(v6("2001:db8::3"));
    srh.trailer = {0x00, 0x01, 0x00};  // SRH TLVs: Pad1, then PadN with no data; zero-padded to 8 octets
    EXPECT_EQ(srh.size(), 64u);
    out.assign(64, 0xee);
    srh.write(out);
    auto view = Ipv6RoutingView::parse(out);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->header_ext_length(), 7);
    EXPECT_EQ(view->last_entry(), 2);
    EXPECT_EQ(view->srh_tag(), 0);
    ASSERT_EQ(view->address_count(), 3u);
    EXPECT_EQ(view->address(2), v6("2001:db8::3"));
    EXPECT_EQ(to_vector(view->trailer()), hex("0001 0000 0000 0000"));

    srh.header_ext_length = 9;
    srh.write(out);
    EXPECT_EQ(Ipv6RoutingView::parse(out).error(), ParseError::Truncated);
}

TEST(Ipv6AuthenticationBuilder, RoundTripAndOverride) {
    Ipv6AuthenticationBuilder ah;
    ah.next_header = ip_protocol::kUdp;
    ah.reserved = 0xbeef;
    ah.spi = 0xdeadbeef;
    ah.sequence = 42;
    ah.icv = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    EXPECT_EQ(ah.size(), 24u);
    std::vector<std::uint8_t> out(24, 0xee);
    ah.write(out);
    EXPECT_EQ(out, hex("1104 beef dead beef 0000 002a 0102 0304 0506 0708 090a 0b0c"));
    auto view = Ipv6AuthenticationView::parse(out);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->next_header(), ip_protocol::kUdp);
    EXPECT_EQ(view->reserved(), 0xbeef);
    EXPECT_EQ(view->spi(), 0xdeadbeefu);
    EXPECT_EQ(view->sequence(), 42u);
    EXPECT_EQ(to_vector(view->icv()), ah.icv);

    ah.payload_length_field = 1;
    ah.write(out);
    auto short_view = Ipv6AuthenticationView::parse(out);
    ASSERT_TRUE(short_view.ok());
    EXPECT_EQ(short_view->header_length(), 12u);
    EXPECT_TRUE(short_view->icv().empty());
}

}  // namespace
}  // namespace synack::wire
