#include "wire/icmpv4.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"
#include "wire/udp.hpp"

namespace synack::wire {
namespace {

using ByteVector = std::vector<std::uint8_t>;

ByteVector to_vector(Bytes b) { return ByteVector(b.begin(), b.end()); }

// Real ICMP messages (the IPv4 payload), captured with tcpdump from Linux 6.18.
// `ping -c1 -p 73796e61636b 127.0.0.1` on lo: "ICMP echo request, id 5509, seq 1, length 64"
constexpr std::array<std::uint8_t, 64> kEchoRequest = {
    0x08, 0x00, 0x5e, 0x03, 0x15, 0x85, 0x00, 0x01, 0xb7, 0x81, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00,
    0x45, 0xff, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x63, 0x6b, 0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b,
    0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b, 0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b, 0x73, 0x79, 0x6e, 0x61,
    0x63, 0x6b, 0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b, 0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b, 0x73, 0x79,
};
// Its reply: "ICMP echo reply, id 5509, seq 1, length 64" (same data, type 0).
constexpr std::array<std::uint8_t, 8> kEchoReplyHeader = {0x00, 0x00, 0x66, 0x03, 0x15, 0x85, 0x00, 0x01};
// `echo hello-udp | nc -u 127.0.0.1 47999` with nothing listening: "ICMP 127.0.0.1 udp port 47999 unreachable,
// length 46", quoting "IP ... proto UDP (17), length 38) 127.0.0.1.43135 > 127.0.0.1.47999: UDP, length 10".
constexpr std::array<std::uint8_t, 46> kPortUnreachable = {
    0x03, 0x03, 0x71, 0x57, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x26, 0xfe, 0xd5, 0x40, 0x00,
    0x40, 0x11, 0x3d, 0xef, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01, 0xa8, 0x7f, 0xbb, 0x7f,
    0x00, 0x12, 0xfe, 0x25, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x2d, 0x75, 0x64, 0x70, 0x0a,
};
// Through a Linux router (network namespaces): `ping -t1 10.77.2.2` from 10.77.1.2:
// 10.77.1.1 > 10.77.1.2: "ICMP time exceeded in-transit, length 92"
constexpr std::array<std::uint8_t, 92> kTimeExceeded = {
    0x0b, 0x00, 0xf4, 0xff, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x54, 0x0b, 0xf9, 0x40, 0x00, 0x01, 0x01,
    0x56, 0x13, 0x0a, 0x4d, 0x01, 0x02, 0x0a, 0x4d, 0x02, 0x02, 0x08, 0x00, 0x29, 0xe3, 0x17, 0x73, 0x00, 0x01,
    0xdb, 0x81, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x0a, 0xe9, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11,
    0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23,
    0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
    0x36, 0x37,
};
// The router sends 10.77.9.9 back out the interface it came in on: "ICMP redirect 10.77.9.9 to host 10.77.1.3".
constexpr std::array<std::uint8_t, 92> kRedirect = {
    0x05, 0x01, 0xef, 0xae, 0x0a, 0x4d, 0x01, 0x03, 0x45, 0x00, 0x00, 0x54, 0x4f, 0x19, 0x40, 0x00, 0x3f, 0x01,
    0xcd, 0xeb, 0x0a, 0x4d, 0x01, 0x02, 0x0a, 0x4d, 0x09, 0x09, 0x08, 0x00, 0x41, 0x1f, 0x17, 0x77, 0x00, 0x01,
    0xdb, 0x81, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00, 0xf2, 0xa8, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x11,
    0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23,
    0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
    0x36, 0x37,
};
// A raw IP packet of protocol 253 to 10.77.2.2: "ICMP 10.77.2.2 protocol 253 unreachable, length 40".
constexpr std::array<std::uint8_t, 40> kProtocolUnreachable = {
    0x03, 0x02, 0xa3, 0x68, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00, 0x00, 0x20, 0x85, 0xe0, 0x40, 0x00,
    0x3f, 0xfd, 0x9d, 0x63, 0x0a, 0x4d, 0x01, 0x02, 0x0a, 0x4d, 0x02, 0x02, 0x73, 0x79, 0x6e, 0x61,
    0x63, 0x6b, 0x2d, 0x70, 0x72, 0x6f, 0x74, 0x6f,
};
// An IPv4 header carrying a timestamp option of length 3 (< 4): "ICMP parameter problem - octet 21, length 40";
// Linux points at the option's length octet (IP header offset 21).
constexpr std::array<std::uint8_t, 40> kParameterProblem = {
    0x0c, 0x00, 0xde, 0xff, 0x15, 0x00, 0x00, 0x00, 0x46, 0x00, 0x00, 0x20, 0x12, 0x34, 0x00, 0x00,
    0x40, 0x01, 0x07, 0x09, 0x0a, 0x4d, 0x01, 0x02, 0x0a, 0x4d, 0x02, 0x02, 0x44, 0x03, 0x05, 0x00,
    0x08, 0x00, 0xf7, 0xfd, 0x00, 0x01, 0x00, 0x01,
};

// `ping -M do -s 1400 10.77.2.2` over a 1280-byte link: "ICMP 10.77.2.2 unreachable - need to frag (mtu 1280),
// length 556". Linux quotes 548 bytes of the 1428-byte echo request; these are its first 52 bytes. The rest is
// ping's fill pattern, data byte i = i for i >= 16 (after the 16-byte timestamp), which frag_needed() restores;
// the captured checksum 0x0ec9 then proves the 556 bytes are the ones on the wire.
constexpr std::array<std::uint8_t, 52> kFragNeededStart = {
    0x03, 0x04, 0x0e, 0xc9, 0x00, 0x00, 0x05, 0x00, 0x45, 0x00, 0x05, 0x94, 0x00, 0x00, 0x40, 0x00, 0x40, 0x01,
    0x1d, 0xcc, 0x0a, 0x4d, 0x01, 0x02, 0x0a, 0x4d, 0x02, 0x02, 0x08, 0x00, 0x71, 0x6d, 0x17, 0x74, 0x00, 0x01,
    0xdb, 0x81, 0x04, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x16, 0x14, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00,
};
ByteVector frag_needed() {
    ByteVector v(kFragNeededStart.begin(), kFragNeededStart.end());
    for (std::size_t i = 16; v.size() < 556; ++i) v.push_back(static_cast<std::uint8_t>(i));
    return v;
}

TEST(Icmpv4View, EchoRequestFromPing) {
    const Icmpv4View v = Icmpv4View::parse(kEchoRequest).value();
    EXPECT_EQ(v.type(), icmpv4_type::kEchoRequest);
    EXPECT_EQ(v.code(), 0);
    EXPECT_EQ(v.checksum(), 0x5e03);
    EXPECT_EQ(v.identifier(), 5509);
    EXPECT_EQ(v.sequence(), 1);
    EXPECT_EQ(v.rest_of_header(), 0x15850001u);
    EXPECT_FALSE(v.is_error());
    EXPECT_TRUE(v.quoted().empty());
    EXPECT_EQ(v.header_length(), 8u);
    EXPECT_EQ(v.header().data(), kEchoRequest.data());
    EXPECT_EQ(v.payload().size(), 56u);
    EXPECT_EQ(v.payload().data(), kEchoRequest.data() + 8);
    EXPECT_EQ(v.bytes().size(), 64u);
    // ping -p 73796e61636b fills the data after the 16-byte timestamp with "synack"...
    EXPECT_EQ(std::string(v.payload().begin() + 16, v.payload().begin() + 22), "cksyna");  // pattern offset 16 % 6
    EXPECT_TRUE(v.checksum_valid());
    EXPECT_EQ(v.expected_checksum(), 0x5e03);
}

TEST(Icmpv4Builder, RebuildsTheEchoRequestAndReply) {
    const Bytes data = Bytes(kEchoRequest).subspan(8);
    EXPECT_EQ(Icmpv4Builder::echo_request(5509, 1).build(data), to_vector(kEchoRequest));

    ByteVector reply(kEchoReplyHeader.begin(), kEchoReplyHeader.end());
    reply.insert(reply.end(), data.begin(), data.end());
    const ByteVector built = Icmpv4Builder::echo_reply(5509, 1).build(data);
    EXPECT_EQ(built, reply);
    const Icmpv4View v = Icmpv4View::parse(built).value();
    EXPECT_EQ(v.type(), icmpv4_type::kEchoReply);
    EXPECT_TRUE(v.checksum_valid());

    // write() sums data already in place behind the header.
    std::array<std::uint8_t, 64> buffer{};
    std::copy(data.begin(), data.end(), buffer.begin() + 8);
    Icmpv4Builder::echo_request(5509, 1).write(buffer, Bytes(buffer).subspan(8));
    EXPECT_EQ(buffer, kEchoRequest);
}

TEST(Icmpv4View, PortUnreachableQuotesTheUdpDatagram) {
    const Icmpv4View v = Icmpv4View::parse(kPortUnreachable).value();
    EXPECT_EQ(v.type(), icmpv4_type::kDestinationUnreachable);
    EXPECT_EQ(v.code(), icmpv4_unreachable::kPort);
    EXPECT_TRUE(v.is_error());
    EXPECT_TRUE(v.checksum_valid());
    EXPECT_EQ(v.original_datagram_words(), 0);
    EXPECT_EQ(v.next_hop_mtu(), 0);
    ASSERT_EQ(v.quoted().size(), 38u);
    EXPECT_EQ(v.quoted().data(), kPortUnreachable.data() + 8);

    const Ipv4View ip = Ipv4View::parse(v.quoted()).value();
    EXPECT_EQ(ip.protocol(), ip_protocol::kUdp);
    const UdpView udp = UdpView::parse(ip.payload()).value();
    EXPECT_EQ(udp.source_port(), 43135);
    EXPECT_EQ(udp.destination_port(), 47999);
    EXPECT_EQ(std::string(udp.payload().begin(), udp.payload().end()), "hello-udp\n");
    // tcpdump -vv on the quoted datagram: "[bad udp cksum 0xfe25 -> 0x745a!]" (loopback leaves it partial).
    const Ipv4Address lo = Ipv4Address::from_u32(0x7f000001);
    EXPECT_EQ(udp.expected_checksum(lo, lo), 0x745a);

    EXPECT_EQ(Icmpv4Builder::destination_unreachable(icmpv4_unreachable::kPort).build(v.quoted()),
              to_vector(kPortUnreachable));
}

TEST(Icmpv4View, FragmentationNeededCarriesTheNextHopMtu) {
    const ByteVector bytes = frag_needed();
    const Icmpv4View v = Icmpv4View::parse(bytes).value();
    EXPECT_EQ(v.type(), icmpv4_type::kDestinationUnreachable);
    EXPECT_EQ(v.code(), icmpv4_unreachable::kFragmentationNeeded);
    EXPECT_EQ(v.next_hop_mtu(), 1280);  // RFC 1191 §4
    EXPECT_EQ(v.checksum(), 0x0ec9);
    EXPECT_TRUE(v.checksum_valid());
    EXPECT_EQ(v.quoted().size(), 548u);

    // The quoted echo request was 1428 bytes long: the quote is cut short, which Ipv4View::parse accepts.
    const Ipv4View ip = Ipv4View::parse(v.quoted()).value();
    EXPECT_EQ(ip.total_length(), 1428);
    EXPECT_TRUE(ip.dont_fragment());
    EXPECT_TRUE(ip.payload_truncated());
    const Icmpv4View echo = Icmpv4View::parse(ip.payload()).value();
    EXPECT_EQ(echo.type(), icmpv4_type::kEchoRequest);
    EXPECT_EQ(echo.identifier(), 6004);
    EXPECT_EQ(echo.sequence(), 1);

    const auto builder = Icmpv4Builder::destination_unreachable(icmpv4_unreachable::kFragmentationNeeded, 1280);
    EXPECT_EQ(builder.build(v.quoted()), bytes);
}

TEST(Icmpv4View, TimeExceededQuotesTheExpiredPacket) {
    const Icmpv4View v = Icmpv4View::parse(kTimeExceeded).value();
    EXPECT_EQ(v.type(), icmpv4_type::kTimeExceeded);
    EXPECT_EQ(v.code(), icmpv4_time_exceeded::kTtl);
    EXPECT_TRUE(v.checksum_valid());
    const Ipv4View ip = Ipv4View::parse(v.quoted()).value();
    EXPECT_EQ(ip.ttl(), 1);
    EXPECT_EQ(ip.destination(), Ipv4Address::from_u32(0x0a4d0202));
    EXPECT_FALSE(ip.payload_truncated());  // Linux quotes all of a 84-byte packet
    const Icmpv4View echo = Icmpv4View::parse(ip.payload()).value();
    EXPECT_EQ(echo.identifier(), 6003);
    EXPECT_TRUE(echo.checksum_valid());
    EXPECT_EQ(Icmpv4Builder::time_exceeded(icmpv4_time_exceeded::kTtl).build(v.quoted()), to_vector(kTimeExceeded));
}

TEST(Icmpv4View, RedirectNamesTheBetterGateway) {
    const Icmpv4View v = Icmpv4View::parse(kRedirect).value();
    EXPECT_EQ(v.type(), icmpv4_type::kRedirect);
    EXPECT_EQ(v.code(), icmpv4_redirect::kHost);
    EXPECT_EQ(v.gateway(), Ipv4Address::from_u32(0x0a4d0103));  // 10.77.1.3
    EXPECT_TRUE(v.checksum_valid());
    EXPECT_EQ(Ipv4View::parse(v.quoted()).value().destination(), Ipv4Address::from_u32(0x0a4d0909));
    EXPECT_EQ(Icmpv4Builder::redirect(icmpv4_redirect::kHost, Ipv4Address::from_u32(0x0a4d0103)).build(v.quoted()),
              to_vector(kRedirect));
}

TEST(Icmpv4View, ProtocolUnreachable) {
    const Icmpv4View v = Icmpv4View::parse(kProtocolUnreachable).value();
    EXPECT_EQ(v.code(), icmpv4_unreachable::kProtocol);
    EXPECT_TRUE(v.checksum_valid());
    const Ipv4View ip = Ipv4View::parse(v.quoted()).value();
    EXPECT_EQ(ip.protocol(), 253);
    EXPECT_EQ(std::string(ip.payload().begin(), ip.payload().end()), "synack-proto");
    EXPECT_EQ(Icmpv4Builder::destination_unreachable(icmpv4_unreachable::kProtocol).build(v.quoted()),
              to_vector(kProtocolUnreachable));
}

TEST(Icmpv4View, ParameterProblemPointsIntoTheQuotedHeader) {
    const Icmpv4View v = Icmpv4View::parse(kParameterProblem).value();
    EXPECT_EQ(v.type(), icmpv4_type::kParameterProblem);
    EXPECT_EQ(v.code(), icmpv4_parameter_problem::kPointer);
    EXPECT_EQ(v.pointer(), 21);
    EXPECT_TRUE(v.checksum_valid());
    ASSERT_GT(v.quoted().size(), std::size_t{v.pointer()});
    EXPECT_EQ(v.quoted()[v.pointer()], 0x03);  // the timestamp option's impossible length
    EXPECT_EQ(Icmpv4Builder::parameter_problem(21).build(v.quoted()), to_vector(kParameterProblem));
}

TEST(Icmpv4View, ErrorTypes) {
    for (int t = 0; t < 256; ++t) {
        const auto type = static_cast<std::uint8_t>(t);
        const bool error = t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
        EXPECT_EQ(icmpv4_is_error(type), error) << t;
        Icmpv4Builder b;
        b.type = type;
        const ByteVector bytes = b.build(ByteVector{1, 2, 3});
        const Icmpv4View v = Icmpv4View::parse(bytes).value();
        EXPECT_EQ(v.is_error(), error);
        EXPECT_EQ(v.quoted().size(), error ? 3u : 0u);
        EXPECT_EQ(v.payload().size(), 3u);
    }
}

TEST(Icmpv4View, EveryTruncationOfTheHeader) {
    for (std::size_t n = 0; n < 8; ++n) {
        EXPECT_EQ(Icmpv4View::parse(Bytes(kEchoRequest).first(n)).error(), ParseError::Truncated) << n;
    }
    const Icmpv4View bare = Icmpv4View::parse(Bytes(kEchoRequest).first(8)).value();
    EXPECT_TRUE(bare.payload().empty());
    EXPECT_EQ(bare.identifier(), 5509);
    EXPECT_FALSE(bare.checksum_valid());  // the checksum covers the data that is missing
}

TEST(Icmpv4View, ParseCapturedNeedsOnlyTypeAndCode) {
    for (std::size_t n = 0; n < 2; ++n) {
        EXPECT_EQ(Icmpv4View::parse_captured(Bytes(kEchoRequest).first(n)).error(), ParseError::Truncated) << n;
    }
    // Type and code are there from 2 bytes on; the rest of the header reads as 0 until all 8 are.
    for (std::size_t n = 2; n < 8; ++n) {
        const Icmpv4View v = Icmpv4View::parse_captured(Bytes(kEchoRequest).first(n)).value();
        EXPECT_TRUE(v.header_truncated()) << n;
        EXPECT_EQ(v.type(), icmpv4_type::kEchoRequest) << n;
        EXPECT_EQ(v.code(), 0) << n;
        EXPECT_EQ(v.checksum(), n >= 4 ? 0x5e03 : 0) << n;
        EXPECT_EQ(v.identifier(), n >= 6 ? 5509 : 0) << n;
        EXPECT_EQ(v.sequence(), 0) << n;
        EXPECT_EQ(v.rest_of_header(), 0u) << n;
        EXPECT_EQ(v.pointer(), n >= 5 ? 0x15 : 0) << n;
        EXPECT_EQ(v.gateway(), Ipv4Address{}) << n;
        EXPECT_EQ(v.header().size(), n) << n;
        EXPECT_TRUE(v.payload().empty()) << n;
        EXPECT_TRUE(v.quoted().empty()) << n;
    }
    for (std::size_t n = 8; n <= kEchoRequest.size(); ++n) {
        const Icmpv4View v = Icmpv4View::parse_captured(Bytes(kEchoRequest).first(n)).value();
        EXPECT_FALSE(v.header_truncated()) << n;
        EXPECT_EQ(v.identifier(), 5509) << n;
        EXPECT_EQ(v.sequence(), 1) << n;
        EXPECT_EQ(v.payload().size(), n - 8) << n;
    }
}

TEST(Icmpv4Builder, NamedConstructorsWriteTheRestOfHeader) {
    struct Case {
        Icmpv4Builder builder;
        std::array<std::uint8_t, 8> header;  // checksum bytes zero
    };
    const Case cases[] = {
        {Icmpv4Builder::echo_request(0x1234, 0xabcd), {8, 0, 0, 0, 0x12, 0x34, 0xab, 0xcd}},
        {Icmpv4Builder::echo_reply(0xffff, 0), {0, 0, 0, 0, 0xff, 0xff, 0, 0}},
        {Icmpv4Builder::destination_unreachable(icmpv4_unreachable::kHostProhibited), {3, 10, 0, 0, 0, 0, 0, 0}},
        {Icmpv4Builder::destination_unreachable(icmpv4_unreachable::kFragmentationNeeded, 576),
         {3, 4, 0, 0, 0, 0, 2, 0x40}},
        {Icmpv4Builder::time_exceeded(icmpv4_time_exceeded::kReassembly), {11, 1, 0, 0, 0, 0, 0, 0}},
        {Icmpv4Builder::redirect(icmpv4_redirect::kTosHost, Ipv4Address::from_u32(0xc0000201)),
         {5, 3, 0, 0, 192, 0, 2, 1}},
        {Icmpv4Builder::parameter_problem(0xff, icmpv4_parameter_problem::kBadLength), {12, 2, 0, 0, 0xff, 0, 0, 0}},
    };
    for (const Case& c : cases) {
        Icmpv4Builder b = c.builder;
        b.checksum = 0;
        const ByteVector zeroed = b.build({});
        EXPECT_EQ(zeroed, to_vector(c.header));
        const ByteVector bytes = c.builder.build({});
        const Icmpv4View v = Icmpv4View::parse(bytes).value();
        EXPECT_TRUE(v.checksum_valid());
        EXPECT_EQ(v.checksum(), internet_checksum(c.header));
    }
}

}  // namespace
}  // namespace synack::wire
