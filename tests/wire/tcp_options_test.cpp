#include "wire/tcp_options.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "wire/tcp.hpp"

namespace synack::wire {
namespace {

namespace kind = tcp_option_kind;
using ByteVector = std::vector<std::uint8_t>;

ByteVector to_vector(Bytes b) { return ByteVector(b.begin(), b.end()); }

// kind, length, then length - 2 zero bytes.
ByteVector zero_option(std::uint8_t k, std::uint8_t length) {
    ByteVector v(length, 0);
    v[0] = k;
    v[1] = length;
    return v;
}

// Walks `options` to the end; every option must frame correctly.
std::vector<TcpOption> all_options(Bytes options) {
    std::vector<TcpOption> out;
    TcpOptionIterator it(options);
    while (!it.at_end()) {
        auto opt = it.next();
        EXPECT_TRUE(opt.ok()) << "framing error at offset " << it.offset();
        if (!opt) break;
        out.push_back(*opt);
    }
    return out;
}

// Options of the first segment of data/captures/seed-redis-ping.pcap (tcpdump -xx: offset 0x28..0x3b):
// [mss 1460,sackOK,TS val 2959270704 ecr 0,nop,wscale 7].
constexpr std::array<std::uint8_t, 20> kSeedSynOptions = {0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08,
                                                          0x0a, 0xb0, 0x62, 0xe3, 0x30, 0x00, 0x00,
                                                          0x00, 0x00, 0x01, 0x03, 0x03, 0x07};

// ---- Real captures (Linux 6.18 peers in network namespaces, captured with tcpdump -i; the whole TCP segment) ----

// MD5 SYN (TCP_MD5SIG set): tcpdump "options [nop,nop,md5 ... 6ba226547e45bf38b3767397ffec9e5a,mss 1460,nop,nop,
// sackOK,nop,wscale 10]"; 10.77.1.2.53162 > 10.77.2.2.5003, tcpdump -vv computes cksum 0x9502.
constexpr std::array<std::uint8_t, 52> kMd5Syn = {
    0xcf, 0xaa, 0x13, 0x8b, 0x03, 0x6b, 0xe7, 0xea, 0x00, 0x00, 0x00, 0x00, 0xd0, 0x02, 0xfa, 0xf0, 0x17, 0xd8,
    0x00, 0x00, 0x01, 0x01, 0x13, 0x12, 0x6b, 0xa2, 0x26, 0x54, 0x7e, 0x45, 0xbf, 0x38, 0xb3, 0x76, 0x73, 0x97,
    0xff, 0xec, 0x9e, 0x5a, 0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x03, 0x03, 0x0a,
};
// TFO cookie request SYN: "[mss 1460,sackOK,TS val 249754582 ecr 0,nop,wscale 10,tfo  cookiereq,nop,nop]".
constexpr std::array<std::uint8_t, 44> kTfoRequestSyn = {
    0x94, 0x2a, 0x13, 0x8c, 0x81, 0xf8, 0x44, 0x73, 0x00, 0x00, 0x00, 0x00, 0xb0, 0x02, 0xfa, 0xf0,
    0x17, 0xd0, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a, 0x0e, 0xe2, 0xf3, 0xd6,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a, 0x22, 0x02, 0x01, 0x01,
};
// The SYN-ACK granting a cookie: "[mss 1240,sackOK,TS val 731819639 ecr 249754582,nop,wscale 10,
// tfo  cookie 54560e8c08edb809,nop,nop]".
constexpr std::array<std::uint8_t, 52> kTfoCookieSynAck = {
    0x13, 0x8c, 0x94, 0x2a, 0xc1, 0xdc, 0x0f, 0x04, 0x81, 0xf8, 0x44, 0x74, 0xd0, 0x12, 0xfe, 0x3c, 0x17, 0xd8,
    0x00, 0x00, 0x02, 0x04, 0x04, 0xd8, 0x04, 0x02, 0x08, 0x0a, 0x2b, 0x9e, 0xae, 0x77, 0x0e, 0xe2, 0xf3, 0xd6,
    0x01, 0x03, 0x03, 0x0a, 0x22, 0x0a, 0x54, 0x56, 0x0e, 0x8c, 0x08, 0xed, 0xb8, 0x09, 0x01, 0x01,
};
// MPTCP SYN-ACK: "[mss 1240,sackOK,TS val 1183375213 ecr 2802320147,nop,wscale 10,
// mptcp 12 capable v1 {0x6d724891dbd499d6}]".
constexpr std::array<std::uint8_t, 52> kMptcpSynAck = {
    0x13, 0x8d, 0x92, 0x32, 0x3f, 0x71, 0x27, 0xe5, 0xf5, 0x73, 0xe1, 0x57, 0xd0, 0x12, 0xfe, 0x3c, 0x17, 0xd8,
    0x00, 0x00, 0x02, 0x04, 0x04, 0xd8, 0x04, 0x02, 0x08, 0x0a, 0x46, 0x88, 0xdf, 0x6d, 0xa7, 0x08, 0x03, 0x13,
    0x01, 0x03, 0x03, 0x0a, 0x1e, 0x0c, 0x01, 0x01, 0x6d, 0x72, 0x48, 0x91, 0xdb, 0xd4, 0x99, 0xd6,
};
// MPTCP first data segment: "[nop,nop,TS val 2802320147 ecr 1183375213,
// mptcp 22 capable v1 {0x998aedc784b22515,0x6d724891dbd499d6},nop,nop], length 12".
constexpr std::array<std::uint8_t, 68> kMptcpData = {
    0x92, 0x32, 0x13, 0x8d, 0xf5, 0x73, 0xe1, 0x57, 0x3f, 0x71, 0x27, 0xe6, 0xe0, 0x18, 0x00, 0x3f, 0x17,
    0xe8, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0xa7, 0x08, 0x03, 0x13, 0x46, 0x88, 0xdf, 0x6d, 0x1e, 0x16,
    0x01, 0x01, 0x99, 0x8a, 0xed, 0xc7, 0x84, 0xb2, 0x25, 0x15, 0x6d, 0x72, 0x48, 0x91, 0xdb, 0xd4, 0x99,
    0xd6, 0x00, 0x0c, 0x01, 0x01, 0x73, 0x79, 0x6e, 0x61, 0x63, 0x6b, 0x2d, 0x35, 0x30, 0x30, 0x35, 0x0a,
};
// An ACK during a lossy transfer, tcpdump -S: "ack 3730331798, ... [nop,nop,TS val 3110884128 ecr 2706792969,
// nop,nop,sack 3 {3730342850:3730344078}{3730337938:3730340394}{3730334254:3730336710}]".
constexpr std::array<std::uint8_t, 60> kSack3Ack = {
    0xbd, 0x1a, 0x13, 0x89, 0x72, 0x7a, 0xdb, 0xa3, 0xde, 0x58, 0x58, 0x96, 0xf0, 0x10, 0x00,
    0x4b, 0x17, 0xe0, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0xb9, 0x6c, 0x53, 0x20, 0xa1, 0x56,
    0x62, 0x09, 0x01, 0x01, 0x05, 0x1a, 0xde, 0x58, 0x83, 0xc2, 0xde, 0x58, 0x88, 0x8e, 0xde,
    0x58, 0x70, 0x92, 0xde, 0x58, 0x7a, 0x2a, 0xde, 0x58, 0x62, 0x2e, 0xde, 0x58, 0x6b, 0xc6,
};

const Ipv4Address kA = Ipv4Address::from_u32(0x0a4d0102);  // 10.77.1.2
const Ipv4Address kB = Ipv4Address::from_u32(0x0a4d0202);  // 10.77.2.2

TcpView view_of(Bytes segment) {
    auto v = TcpView::parse(segment);
    EXPECT_TRUE(v.ok());
    return *v;
}

TEST(TcpOptionIterator, SeedSynOptionsInOrder) {
    const auto opts = all_options(kSeedSynOptions);
    ASSERT_EQ(opts.size(), 5u);
    const std::array<std::uint8_t, 5> kinds = {kind::kMss, kind::kSackPermitted, kind::kTimestamps, kind::kNop,
                                               kind::kWindowScale};
    const std::array<std::uint8_t, 5> lengths = {4, 2, 10, 1, 3};
    const std::array<std::size_t, 5> offsets = {0, 4, 6, 16, 17};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(opts[i].kind(), kinds[i]);
        EXPECT_EQ(opts[i].length(), lengths[i]);
        EXPECT_EQ(opts[i].offset(), offsets[i]);
        EXPECT_EQ(opts[i].raw().size(), lengths[i]);
        EXPECT_EQ(opts[i].raw().data(), kSeedSynOptions.data() + offsets[i]);
    }
    EXPECT_EQ(opts[0].as_mss().value(), 1460);
    EXPECT_TRUE(opts[1].as_sack_permitted().ok());
    EXPECT_EQ(opts[2].as_timestamps().value(), (TcpTimestamps{2959270704u, 0}));
    EXPECT_TRUE(opts[3].data().empty());
    EXPECT_EQ(opts[4].as_window_scale().value(), 7);
    EXPECT_EQ(to_vector(opts[4].data()), (ByteVector{0x07}));
}

TEST(TcpOptionsBuilder, LinuxSynOrderMatchesTheSeedBytes) {
    TcpOptionsBuilder b;
    b.mss(1460).sack_permitted().timestamps(2959270704u, 0).nop().window_scale(7);
    EXPECT_FALSE(b.overflowed());
    EXPECT_EQ(b.unpadded_size(), 20u);
    EXPECT_EQ(b.size(), 20u);
    EXPECT_EQ(to_vector(b.bytes()), to_vector(kSeedSynOptions));
    std::array<std::uint8_t, 20> out{};
    b.write(out);
    EXPECT_EQ(out, kSeedSynOptions);
}

TEST(TcpOptionIterator, Md5SignatureFromARealSyn) {
    const TcpView v = view_of(kMd5Syn);
    EXPECT_EQ(v.expected_checksum(kA, kB), 0x9502);  // tcpdump -vv: "incorrect -> 0x9502" (checksum offload)
    const auto opts = all_options(v.options());
    ASSERT_EQ(opts.size(), 9u);
    EXPECT_EQ(opts[0].kind(), kind::kNop);
    EXPECT_EQ(opts[1].kind(), kind::kNop);
    EXPECT_EQ(opts[2].kind(), kind::kMd5Signature);
    EXPECT_EQ(opts[2].length(), 18);
    EXPECT_EQ(to_vector(opts[2].as_md5_signature().value()),
              (ByteVector{0x6b, 0xa2, 0x26, 0x54, 0x7e, 0x45, 0xbf, 0x38, 0xb3, 0x76, 0x73, 0x97, 0xff, 0xec, 0x9e,
                          0x5a}));
    EXPECT_EQ(opts[3].as_mss().value(), 1460);
    EXPECT_EQ(opts[4].kind(), kind::kNop);
    EXPECT_EQ(opts[5].kind(), kind::kNop);
    EXPECT_TRUE(opts[6].as_sack_permitted().ok());
    EXPECT_EQ(opts[7].kind(), kind::kNop);
    EXPECT_EQ(opts[8].as_window_scale().value(), 10);
    TcpOptionIterator it(v.options());
    while (!it.at_end()) (void)it.next();
    EXPECT_EQ(it.offset(), 32u);
}

TEST(TcpOptionIterator, FastOpenCookieRequestAndCookieFromRealSegments) {
    const TcpView req = view_of(kTfoRequestSyn);
    EXPECT_EQ(req.expected_checksum(kA, kB), 0x918c);  // tcpdump -vv
    const auto r = all_options(req.options());
    ASSERT_EQ(r.size(), 8u);
    EXPECT_EQ(r[5].kind(), kind::kFastOpen);
    EXPECT_EQ(r[5].length(), 2);
    const FastOpenCookie cookie_request = r[5].as_fast_open_cookie().value();
    EXPECT_TRUE(cookie_request.is_request());
    EXPECT_FALSE(cookie_request.experimental);

    const TcpView ack = view_of(kTfoCookieSynAck);
    EXPECT_EQ(ack.expected_checksum(kB, kA), 0xa02b);
    const auto a = all_options(ack.options());
    ASSERT_EQ(a.size(), 8u);
    EXPECT_EQ(a[0].as_mss().value(), 1240);
    EXPECT_EQ(a[2].as_timestamps().value(), (TcpTimestamps{731819639u, 249754582u}));
    EXPECT_EQ(a[4].as_window_scale().value(), 10);
    const FastOpenCookie granted = a[5].as_fast_open_cookie().value();
    EXPECT_FALSE(granted.is_request());
    EXPECT_EQ(to_vector(granted.cookie), (ByteVector{0x54, 0x56, 0x0e, 0x8c, 0x08, 0xed, 0xb8, 0x09}));
}

TEST(TcpOptionIterator, MptcpCapableFromRealSegments) {
    const TcpView syn_ack = view_of(kMptcpSynAck);
    EXPECT_EQ(syn_ack.expected_checksum(kB, kA), 0x0433);  // tcpdump -vv
    const auto s = all_options(syn_ack.options());
    ASSERT_EQ(s.size(), 6u);
    EXPECT_EQ(s[5].kind(), kind::kMptcp);
    EXPECT_EQ(s[5].length(), 12);
    const MptcpOption capable = s[5].as_mptcp().value();
    EXPECT_EQ(capable.subtype, mptcp_subtype::kMpCapable);
    // RFC 8684 §3.1: subtype 0 | version 1, flags 0x01 (H: HMAC-SHA256), then the 64-bit key.
    EXPECT_EQ(to_vector(capable.data),
              (ByteVector{0x01, 0x01, 0x6d, 0x72, 0x48, 0x91, 0xdb, 0xd4, 0x99, 0xd6}));

    const TcpView data = view_of(kMptcpData);
    EXPECT_EQ(data.expected_checksum(kA, kB), 0xf61c);
    EXPECT_EQ(std::string(data.payload().begin(), data.payload().end()), "synack-5005\n");
    const auto d = all_options(data.options());
    ASSERT_EQ(d.size(), 6u);
    EXPECT_EQ(d[3].length(), 22);
    const MptcpOption with_keys = d[3].as_mptcp().value();
    EXPECT_EQ(with_keys.subtype, mptcp_subtype::kMpCapable);
    ASSERT_EQ(with_keys.data.size(), 20u);
    EXPECT_EQ(load_be64(with_keys.data.data() + 2), 0x998aedc784b22515u);
    EXPECT_EQ(load_be64(with_keys.data.data() + 10), 0x6d724891dbd499d6u);
    EXPECT_EQ(load_be16(with_keys.data.data() + 18), 12);  // data-level length = the 12 payload bytes
    EXPECT_EQ(d[4].kind(), kind::kNop);
    EXPECT_EQ(d[5].kind(), kind::kNop);
}

TEST(TcpOptionIterator, ThreeSackBlocksFromARealAck) {
    const TcpView v = view_of(kSack3Ack);
    EXPECT_EQ(v.expected_checksum(kA, kB), 0x87e7);  // tcpdump -vv
    EXPECT_EQ(v.ack(), Seq32(3730331798u));
    const auto opts = all_options(v.options());
    ASSERT_EQ(opts.size(), 6u);
    EXPECT_EQ(opts[2].as_timestamps().value(), (TcpTimestamps{3110884128u, 2706792969u}));
    EXPECT_EQ(opts[5].length(), 26);
    const SackBlocks blocks = opts[5].as_sack_blocks().value();
    ASSERT_EQ(blocks.size(), 3u);
    EXPECT_EQ(blocks[0], (SackBlock{Seq32(3730342850u), Seq32(3730344078u)}));
    EXPECT_EQ(blocks[1], (SackBlock{Seq32(3730337938u), Seq32(3730340394u)}));
    EXPECT_EQ(blocks[2], (SackBlock{Seq32(3730334254u), Seq32(3730336710u)}));
    EXPECT_TRUE(after(blocks[0].left, v.ack()));

    // Rebuilt from the parsed blocks, the option bytes come out identical.
    TcpOptionsBuilder b;
    b.nop().nop().timestamps(3110884128u, 2706792969u).nop().nop().sack(blocks.view());
    EXPECT_EQ(to_vector(b.bytes()), to_vector(v.options()));
}

// ---- Builder → iterator round trips, one per kind ----

TEST(TcpOptionsBuilder, EveryKindRoundTrips) {
    const std::array<std::uint8_t, 8> cookie = {1, 2, 3, 4, 5, 6, 7, 8};
    TcpOptionsBuilder b;
    b.mss(536).window_scale(14).sack_permitted().timestamps(0xffffffffu, 1).fast_open({}).fast_open(cookie);
    EXPECT_EQ(b.unpadded_size(), 4u + 3 + 2 + 10 + 2 + 10);
    EXPECT_EQ(b.size(), 32u);
    auto opts = all_options(b.bytes());
    ASSERT_EQ(opts.size(), 7u);  // six options, then the one zero padding byte, which reads as EOL
    EXPECT_EQ(opts[0].as_mss().value(), 536);
    EXPECT_EQ(opts[1].as_window_scale().value(), 14);
    EXPECT_TRUE(opts[2].as_sack_permitted().ok());
    EXPECT_EQ(opts[3].as_timestamps().value(), (TcpTimestamps{0xffffffffu, 1}));
    EXPECT_TRUE(opts[4].as_fast_open_cookie().value().is_request());
    EXPECT_EQ(to_vector(opts[5].as_fast_open_cookie().value().cookie), to_vector(cookie));
    EXPECT_EQ(opts[6].kind(), kind::kEol);
}

TEST(TcpOptionsBuilder, ExperimentalFastOpenUsesKind254AndMagic) {
    const std::array<std::uint8_t, 4> cookie = {0xde, 0xad, 0xbe, 0xef};
    TcpOptionsBuilder b;
    b.fast_open_experimental(cookie).fast_open_experimental({});
    // RFC 7413 §4.1.1 / RFC 6994: kind 254, length, 0xF989, cookie.
    EXPECT_EQ(to_vector(b.bytes()), (ByteVector{0xfe, 0x08, 0xf9, 0x89, 0xde, 0xad, 0xbe, 0xef, 0xfe, 0x04, 0xf9,
                                                0x89}));
    const auto opts = all_options(b.bytes());
    ASSERT_EQ(opts.size(), 2u);
    const FastOpenCookie c = opts[0].as_fast_open_cookie().value();
    EXPECT_TRUE(c.experimental);
    EXPECT_EQ(to_vector(c.cookie), to_vector(cookie));
    EXPECT_EQ(opts[0].as_experiment_id().value(), kFastOpenExperimentId);
    EXPECT_TRUE(opts[1].as_fast_open_cookie().value().is_request());
    EXPECT_TRUE(opts[1].as_fast_open_cookie().value().experimental);
}

TEST(TcpOptionsBuilder, SackBlocksOneToFour) {
    for (std::size_t n = 1; n <= kMaxSackBlocks; ++n) {
        std::vector<SackBlock> blocks;
        for (std::size_t i = 0; i < n; ++i) {
            blocks.push_back({Seq32(0xfffffff0u + static_cast<std::uint32_t>(i * 100)),
                              Seq32(0xfffffff0u + static_cast<std::uint32_t>(i * 100 + 50))});
        }
        TcpOptionsBuilder b;
        b.sack(blocks);
        EXPECT_FALSE(b.overflowed());
        EXPECT_EQ(b.unpadded_size(), 2 + 8 * n);
        EXPECT_EQ(b.bytes()[0], kind::kSack);
        EXPECT_EQ(b.bytes()[1], 2 + 8 * n);
        TcpOptionIterator it(b.bytes());
        const TcpOption opt = it.next().value();
        const SackBlocks parsed = opt.as_sack_blocks().value();
        ASSERT_EQ(parsed.size(), n);
        for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(parsed[i], blocks[i]);
    }
}

TEST(TcpOptionsBuilder, Md5AuthenticationMptcpUserTimeoutAndUnknownKinds) {
    std::array<std::uint8_t, 16> digest{};
    for (std::size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<std::uint8_t>(0xa0 + i);
    const std::array<std::uint8_t, 12> mac = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0xff, 0xee};
    const std::array<std::uint8_t, 3> mptcp = {0x32, 0x01, 0x02};  // subtype 3 (ADD_ADDR) nibble + bytes
    TcpOptionsBuilder b;
    b.md5_signature(digest);
    EXPECT_EQ(b.unpadded_size(), 18u);
    auto opt = TcpOptionIterator(b.bytes()).next().value();
    EXPECT_EQ(to_vector(opt.as_md5_signature().value()), to_vector(digest));

    TcpOptionsBuilder ao;
    ao.authentication(7, 9, mac);
    EXPECT_EQ(to_vector(ao.bytes()).size(), 16u);
    EXPECT_EQ(ao.bytes()[0], kind::kAuthentication);
    EXPECT_EQ(ao.bytes()[1], 16);
    const TcpAuthentication auth = TcpOptionIterator(ao.bytes()).next().value().as_authentication().value();
    EXPECT_EQ(auth.key_id, 7);
    EXPECT_EQ(auth.rnext_key_id, 9);
    EXPECT_EQ(to_vector(auth.mac), to_vector(mac));

    TcpOptionsBuilder m;
    m.mptcp(mptcp).user_timeout(true, 0x7fff).user_timeout(false, 30).option(99, std::array<std::uint8_t, 2>{1, 2});
    EXPECT_EQ(to_vector(m.bytes()), (ByteVector{0x1e, 0x05, 0x32, 0x01, 0x02, 0x1c, 0x04, 0xff, 0xff, 0x1c, 0x04,
                                                0x00, 0x1e, 0x63, 0x04, 0x01, 0x02, 0x00, 0x00, 0x00}));
    const auto opts = all_options(m.bytes());
    ASSERT_EQ(opts.size(), 5u);
    EXPECT_EQ(opts[0].as_mptcp().value().subtype, mptcp_subtype::kAddAddr);
    EXPECT_EQ(opts[1].as_user_timeout().value().granularity_minutes, true);
    EXPECT_EQ(opts[1].as_user_timeout().value().timeout, 0x7fff);
    EXPECT_EQ(opts[2].as_user_timeout().value().granularity_minutes, false);
    EXPECT_EQ(opts[2].as_user_timeout().value().timeout, 30);
    EXPECT_EQ(opts[3].kind(), 99);
    EXPECT_EQ(opts[3].length(), 4);
    EXPECT_EQ(to_vector(opts[3].data()), (ByteVector{1, 2}));
    EXPECT_EQ(opts[3].as_mss().error(), ParseError::Unsupported);
    EXPECT_EQ(opts[4].kind(), kind::kEol);
}

TEST(TcpOptionsBuilder, PadsWithZerosOrNops) {
    TcpOptionsBuilder zeros;
    zeros.mss(1460).sack_permitted();
    EXPECT_EQ(zeros.unpadded_size(), 6u);
    EXPECT_EQ(zeros.size(), 8u);
    EXPECT_EQ(to_vector(zeros.bytes()), (ByteVector{0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x00, 0x00}));

    TcpOptionsBuilder nops;
    nops.mss(1460).sack_permitted().pad_with_nops();
    EXPECT_EQ(nops.unpadded_size(), 8u);
    EXPECT_EQ(to_vector(nops.bytes()), (ByteVector{0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x01, 0x01}));

    TcpOptionsBuilder eol;
    eol.window_scale(2).eol();
    EXPECT_EQ(to_vector(eol.bytes()), (ByteVector{0x03, 0x03, 0x02, 0x00}));
    EXPECT_TRUE(TcpOptionsBuilder{}.bytes().empty());
}

TEST(TcpOptionsBuilder, DropsWhatDoesNotFitInFortyBytes) {
    const std::array<SackBlock, 4> four{};
    TcpOptionsBuilder b;
    b.timestamps(1, 2).sack(four);  // 10 + 34 = 44 > 40
    EXPECT_TRUE(b.overflowed());
    EXPECT_EQ(b.unpadded_size(), 10u);
    b.nop().nop().sack(std::span<const SackBlock>(four.data(), 3));  // 12 + 26 = 38 fits
    EXPECT_EQ(b.unpadded_size(), 38u);
    EXPECT_EQ(b.size(), 40u);
    const std::array<std::uint8_t, 39> too_long{};
    TcpOptionsBuilder c;
    c.option(200, too_long);  // 41 bytes
    EXPECT_TRUE(c.overflowed());
    EXPECT_EQ(c.unpadded_size(), 0u);
}

// ---- EOL, NOP and framing errors: Linux tcp_parse_options and tcpdump print-tcp.c rules ----

TEST(TcpOptionIterator, EolEndsTheWalk) {
    const std::array<std::uint8_t, 8> bytes = {0x01, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x00, 0x00};
    TcpOptionIterator it(bytes);
    EXPECT_EQ(it.next().value().kind(), kind::kNop);
    const TcpOption eol = it.next().value();
    EXPECT_EQ(eol.kind(), kind::kEol);
    EXPECT_EQ(eol.length(), 1);
    EXPECT_TRUE(it.at_end());
    EXPECT_EQ(it.offset(), 2u);
    EXPECT_EQ(to_vector(it.remaining()), (ByteVector{0x02, 0x04, 0x05, 0xb4, 0x00, 0x00}));
    EXPECT_EQ(it.next().error(), ParseError::Truncated);
    EXPECT_TRUE(validate_tcp_options(bytes).ok());
}

TEST(TcpOptionIterator, EmptyOptionsAreAtEnd) {
    TcpOptionIterator it(Bytes{});
    EXPECT_TRUE(it.at_end());
    EXPECT_EQ(it.next().error(), ParseError::Truncated);
}

struct FramingCase {
    const char* name;
    ByteVector bytes;
    std::size_t good_before;  // options yielded before the error
    std::size_t error_offset;
};

TEST(TcpOptionIterator, FramingErrors) {
    const std::vector<FramingCase> cases = {
        {"kind without a length byte", {0x01, 0x01, 0x02}, 2, 2},
        {"zero length", {0x02, 0x00, 0x05, 0xb4}, 0, 0},
        {"length one", {0x01, 0x08, 0x01, 0x00}, 1, 1},
        {"length past the end", {0x08, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, 0, 0},
        {"second option runs past the header", {0x02, 0x04, 0x05, 0xb4, 0x05, 0x0a, 0x00, 0x00}, 1, 4},
        {"unknown kind with zero length", {0xfd, 0x00}, 0, 0},
        {"lone unknown kind", {0x63}, 0, 0},
    };
    for (const FramingCase& c : cases) {
        SCOPED_TRACE(c.name);
        TcpOptionIterator it(c.bytes);
        for (std::size_t i = 0; i < c.good_before; ++i) ASSERT_TRUE(it.next().ok());
        ASSERT_FALSE(it.at_end());
        EXPECT_EQ(it.offset(), c.error_offset);
        auto bad = it.next();
        ASSERT_FALSE(bad.ok());
        EXPECT_EQ(bad.error(), ParseError::BadOptionLength);
        EXPECT_TRUE(it.at_end());
        // The printer can still see the offending kind (and length byte, when there is one).
        EXPECT_EQ(it.offset(), c.error_offset);
        ASSERT_FALSE(it.remaining().empty());
        EXPECT_EQ(it.remaining()[0], c.bytes[c.error_offset]);
        EXPECT_EQ(it.next().error(), ParseError::Truncated);
        EXPECT_EQ(validate_tcp_options(c.bytes).error(), ParseError::BadOptionLength);
    }
}

// ---- Typed readers refuse lengths their RFC does not allow; the raw option stays readable ----

struct LengthCase {
    const char* name;
    ByteVector bytes;  // one well-framed option
    ParseError (*read)(const TcpOption&);
};

template <typename F>
ParseError error_of(const TcpOption& o, F f) {
    auto r = (o.*f)();
    EXPECT_FALSE(r.ok());
    return r.ok() ? ParseError::Unsupported : r.error();
}

TEST(TcpOption, TypedReadersRejectBadLengths) {
    const std::vector<LengthCase> cases = {
        {"mss 3", {0x02, 0x03, 0x05}, [](const TcpOption& o) { return error_of(o, &TcpOption::as_mss); }},
        {"mss 5", {0x02, 0x05, 0x05, 0xb4, 0x00}, [](const TcpOption& o) { return error_of(o, &TcpOption::as_mss); }},
        {"wscale 2", {0x03, 0x02}, [](const TcpOption& o) { return error_of(o, &TcpOption::as_window_scale); }},
        {"wscale 4", {0x03, 0x04, 0x07, 0x00},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_window_scale); }},
        {"sackOK 3", {0x04, 0x03, 0x00},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_sack_permitted); }},
        {"sack 3", {0x05, 0x03, 0x00}, [](const TcpOption& o) { return error_of(o, &TcpOption::as_sack_blocks); }},
        {"sack 9", {0x05, 0x09, 0, 0, 0, 1, 0, 0, 0},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_sack_blocks); }},
        {"sack 42 (5 blocks)", zero_option(kind::kSack, 42),
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_sack_blocks); }},
        {"TS 9", {0x08, 0x09, 0, 0, 0, 1, 0, 0, 0},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_timestamps); }},
        {"TS 11", {0x08, 0x0b, 0, 0, 0, 1, 0, 0, 0, 2, 0},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_timestamps); }},
        {"md5 17", zero_option(kind::kMd5Signature, 17),
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_md5_signature); }},
        {"ao 3", {0x1d, 0x03, 0x01}, [](const TcpOption& o) { return error_of(o, &TcpOption::as_authentication); }},
        {"mptcp 2", {0x1e, 0x02}, [](const TcpOption& o) { return error_of(o, &TcpOption::as_mptcp); }},
        {"uto 3", {0x1c, 0x03, 0x00}, [](const TcpOption& o) { return error_of(o, &TcpOption::as_user_timeout); }},
        {"tfo cookie 2", {0x22, 0x04, 0xaa, 0xbb},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_fast_open_cookie); }},
        {"tfo cookie 5 (odd)", {0x22, 0x07, 1, 2, 3, 4, 5},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_fast_open_cookie); }},
        {"tfo cookie 18", ByteVector{0x22, 0x14, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_fast_open_cookie); }},
        {"tfo exp 3", {0xfe, 0x03, 0xf9},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_fast_open_cookie); }},
        {"tfo exp cookie 3", {0xfe, 0x07, 0xf9, 0x89, 1, 2, 3},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_fast_open_cookie); }},
        {"experiment id 3", {0xfd, 0x03, 0x01},
         [](const TcpOption& o) { return error_of(o, &TcpOption::as_experiment_id); }},
    };
    for (const LengthCase& c : cases) {
        SCOPED_TRACE(c.name);
        TcpOptionIterator it(c.bytes);
        auto opt = it.next();
        ASSERT_TRUE(opt.ok());  // framing is fine: only the kind's own rule fails
        EXPECT_TRUE(it.at_end());
        EXPECT_EQ(c.read(*opt), ParseError::BadOptionLength);
        // Kind, length byte and data remain available for printing.
        EXPECT_EQ(opt->kind(), c.bytes[0]);
        EXPECT_EQ(opt->length(), c.bytes[1]);
        EXPECT_EQ(to_vector(opt->data()), ByteVector(c.bytes.begin() + 2, c.bytes.end()));
        EXPECT_EQ(to_vector(opt->raw()), c.bytes);
    }
}

TEST(TcpOption, TypedReadersRejectOtherKinds) {
    const std::array<std::uint8_t, 2> nop_eol = {0x01, 0x00};
    TcpOptionIterator it(nop_eol);
    const TcpOption nop = it.next().value();
    EXPECT_EQ(nop.as_mss().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_window_scale().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_sack_permitted().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_sack_blocks().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_timestamps().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_fast_open_cookie().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_md5_signature().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_authentication().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_mptcp().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_user_timeout().error(), ParseError::Unsupported);
    EXPECT_EQ(nop.as_experiment_id().error(), ParseError::Unsupported);
    // Kind 254 with another RFC 6994 experiment identifier is not TFO.
    const std::array<std::uint8_t, 6> other_exp = {0xfe, 0x06, 0x12, 0x34, 0xab, 0xcd};
    const TcpOption exp = TcpOptionIterator(other_exp).next().value();
    EXPECT_EQ(exp.as_fast_open_cookie().error(), ParseError::Unsupported);
    EXPECT_EQ(exp.as_experiment_id().value(), 0x1234);
}

TEST(TcpOption, SackWithNoBlocksIsFramedButEmpty) {
    // tcpdump prints "sack 0"; Linux requires at least one block and ignores it.
    const std::array<std::uint8_t, 2> bytes = {0x05, 0x02};
    const TcpOption opt = TcpOptionIterator(bytes).next().value();
    EXPECT_EQ(opt.as_sack_blocks().value().size(), 0u);
}

}  // namespace
}  // namespace synack::wire
