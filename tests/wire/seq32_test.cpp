#include "wire/seq32.hpp"

#include <gtest/gtest.h>

namespace synack::wire {
namespace {

TEST(Seq32, OrdersAcrossTheWrap) {
    const Seq32 near_top(0xfffffff0u);
    const Seq32 wrapped = near_top + 0x20u;  // 0x00000010
    EXPECT_EQ(wrapped.raw(), 0x10u);
    EXPECT_TRUE(before(near_top, wrapped));
    EXPECT_TRUE(after(wrapped, near_top));
    EXPECT_FALSE(before(wrapped, near_top));
    EXPECT_EQ(wrapped.distance_from(near_top), 0x20u);
}

TEST(Seq32, EqualIsNeitherBeforeNorAfter) {
    const Seq32 s(12345);
    EXPECT_FALSE(before(s, s));
    EXPECT_FALSE(after(s, s));
    EXPECT_TRUE(before_eq(s, s));
    EXPECT_TRUE(after_eq(s, s));
}

TEST(Seq32, HalfTheCircleAwayFlipsTheOrder) {
    // Linux's before() is (s32)(a - b) < 0: 2^31 - 1 ahead is after, 2^31 ahead counts as before.
    const Seq32 a(100);
    EXPECT_TRUE(after(a + 0x7fffffffu, a));
    EXPECT_TRUE(before(a + 0x80000000u, a));
}

TEST(Seq32, WindowTestsWrap) {
    const Seq32 lo(0xffffff00u);
    EXPECT_TRUE(in_window(Seq32(0xffffff00u), lo, 0x200));
    EXPECT_TRUE(in_window(Seq32(0x000000ffu), lo, 0x200));
    EXPECT_FALSE(in_window(Seq32(0x00000100u), lo, 0x200));
    EXPECT_FALSE(in_window(Seq32(0xfffffeffu), lo, 0x200));
    EXPECT_FALSE(in_window(lo, lo, 0));
    EXPECT_TRUE(between(Seq32(5), lo, Seq32(10)));
    EXPECT_FALSE(between(Seq32(11), lo, Seq32(10)));
    EXPECT_EQ(seq_max(lo, Seq32(3)).raw(), 3u);
    EXPECT_EQ(seq_min(lo, Seq32(3)).raw(), 0xffffff00u);
}

}  // namespace
}  // namespace synack::wire
