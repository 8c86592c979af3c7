// Reading options as Linux's tcp_parse_options() does, and writing them in tcp_options_write()'s order.
#include "support/hex.hpp"
#include "tcp/harness.hpp"

namespace synack::tcp::test {
namespace {

std::string written(const OutOptions& o) {
    wire::TcpOptionsBuilder b;
    write_options(o, b);
    return describe_options(b.bytes()) + " / " + std::to_string(b.size()) + " bytes";
}

TEST(OptionWriter, SynOrderIsMssSackOkTimestampsNopWscale) {
    OutOptions o;
    o.mss = 1460;
    o.sack_permitted = true;
    o.timestamps = true;
    o.tsval = 702546507;
    o.window_scale = 7;
    // The bytes of the reference kernel's SYN: 0204 05b4 0402 080a <val> <ecr> 0103 0307.
    wire::TcpOptionsBuilder b;
    write_options(o, b);
    EXPECT_EQ(std::vector<std::uint8_t>(b.bytes().begin(), b.bytes().end()),
              synack::test::hex("020405b4 0402080a 29e0024b 00000000 01030307"));
}

TEST(OptionWriter, EachCombinationPadsWithNops) {
    OutOptions ts_only;
    ts_only.timestamps = true;
    ts_only.tsval = 1;
    ts_only.tsecr = 2;
    EXPECT_EQ(written(ts_only), "nop,nop,TS val 1 ecr 2 / 12 bytes");
    OutOptions no_ts;  // a SYN with timestamps off: MSS, NOP NOP SACK-permitted, NOP wscale
    no_ts.mss = 1460;
    no_ts.sack_permitted = true;
    no_ts.window_scale = 7;
    EXPECT_EQ(written(no_ts), "mss 1460,nop,nop,sackOK,nop,wscale 7 / 12 bytes");
    OutOptions sack;
    sack.timestamps = true;
    sack.sack_count = 1;
    sack.sack[0] = {Seq32(1000), Seq32(1001)};
    EXPECT_EQ(written(sack), "nop,nop,TS val 0 ecr 0,nop,nop,sack 1 {1000:1001} / 24 bytes");
}

Segment syn_with(const std::string& option_hex, std::uint16_t flags = wire::tcp_flags::kSyn) {
    static std::deque<std::vector<std::uint8_t>> keep;
    const auto options = synack::test::hex(option_hex);
    wire::TcpBuilder b;
    b.flags = flags;
    b.options = options;
    keep.push_back(b.build({}, kClientAddress.v4(), kServerAddress.v4()));
    return parse_segment(*wire::TcpView::parse(keep.back()));
}

TEST(SegmentOptions, SynOnlyOptionsAreIgnoredWithoutSyn) {
    const Segment ack = syn_with("020405b4 01030307 0402 0000", wire::tcp_flags::kAck);
    EXPECT_EQ(ack.options.mss, 0);
    EXPECT_FALSE(ack.options.has_window_scale);
    EXPECT_FALSE(ack.options.sack_permitted);
}

TEST(SegmentOptions, WindowScaleAbove14IsRead14AndMssZeroIgnored) {
    const Segment s = syn_with("02040000 0103030f");
    EXPECT_EQ(s.options.mss, 0);  // Linux: "if (in_mss)"
    EXPECT_TRUE(s.options.has_window_scale);
    EXPECT_EQ(s.options.window_scale, 14);  // RFC 7323 §2.3
}

TEST(SegmentOptions, WrongLengthIgnoredFramingErrorStopsTheWalk) {
    // An MSS option of length 3 is skipped; the timestamps after it still count.
    const Segment a = syn_with("020305 01 080a00000007 00000000 0000");
    EXPECT_EQ(a.options.mss, 0);
    EXPECT_TRUE(a.options.has_timestamps);
    EXPECT_EQ(a.options.tsval, 7u);
    // A length running past the header ends parsing; what came before stays.
    const Segment b = syn_with("020405b4 0814");
    EXPECT_EQ(b.options.mss, 1460);
    EXPECT_FALSE(b.options.has_timestamps);
}

TEST(SegmentLength, SynAndFinEachCountOne) {
    const Segment s = syn_with("", wire::tcp_flags::kSyn | wire::tcp_flags::kFin);
    EXPECT_EQ(s.seg_len(), 2u);
    EXPECT_EQ(s.end_seq(), s.seq + 2);
}

}  // namespace
}  // namespace synack::tcp::test
