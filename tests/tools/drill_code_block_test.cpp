// %{ assert tcpi_X == N }% blocks (tools/drill/code_block.hpp).
#include <gtest/gtest.h>

#include "tools/drill/code_block.hpp"

namespace synack::drill {
namespace {

TEST(DrillCodeBlock, PlainAssertionsHoldOrNameTheActualValue) {
    const DrillOptions options;
    auto a = parse_code_block("\nassert tcpi_snd_cwnd == 10, tcpi_snd_cwnd\n  assert tcpi_ca_state == TCP_CA_Loss\n",
                              options);
    ASSERT_TRUE(a.ok()) << a.error();
    ASSERT_EQ(a->size(), 2u);
    EXPECT_EQ((*a)[1].value, 4);
    tcp::TcpInfo info;
    info.tcpi_snd_cwnd = 10;
    info.tcpi_ca_state = 4;
    EXPECT_EQ(check_assertions(*a, info), std::nullopt);
    info.tcpi_snd_cwnd = 7;
    EXPECT_EQ(check_assertions(*a, info),
              "AssertionError: assert tcpi_snd_cwnd == 10, tcpi_snd_cwnd (tcpi_snd_cwnd is 7)");
}

TEST(DrillCodeBlock, ComparisonsAndBitfields) {
    const DrillOptions options;
    auto a = parse_code_block("assert tcpi_rto >= 200000\nassert tcpi_snd_wscale != 7\nassert tcpi_rtt < 5", options);
    ASSERT_TRUE(a.ok());
    tcp::TcpInfo info;
    info.tcpi_rto = 200000;
    info.tcpi_snd_wscale = 6;
    info.tcpi_rtt = 4;
    EXPECT_EQ(check_assertions(*a, info), std::nullopt);
    info.tcpi_snd_wscale = 7;
    EXPECT_NE(check_assertions(*a, info), std::nullopt);
}

TEST(DrillCodeBlock, StatementsJoinedWithSemicolons) {
    const DrillOptions options;
    auto a = parse_code_block("assert tcpi_ca_state == TCP_CA_Open; assert tcpi_retransmits == 0", options);
    ASSERT_TRUE(a.ok()) << a.error();
    ASSERT_EQ(a->size(), 2u);
    EXPECT_EQ((*a)[1].field, "tcpi_retransmits");
    tcp::TcpInfo info;
    info.tcpi_retransmits = 1;
    EXPECT_EQ(check_assertions(*a, info), "AssertionError: assert tcpi_retransmits == 0 (tcpi_retransmits is 1)");
}

TEST(DrillCodeBlock, OtherPythonIsUnsupported) {
    const DrillOptions options;
    EXPECT_FALSE(parse_code_block("import os", options).ok());
    EXPECT_FALSE(parse_code_block("assert tcpi_rtt + 1 == 5", options).ok());
    EXPECT_FALSE(parse_code_block("assert tcpi_nonexistent == 5", options).ok());
    EXPECT_FALSE(parse_code_block("assert tcpi_rtt == tcpi_rttvar", options).ok());
}

}  // namespace
}  // namespace synack::drill
