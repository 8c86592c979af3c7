#include "wire/result.hpp"

#include <gtest/gtest.h>

#include <string>

#include "wire/parse_error.hpp"

namespace synack {
namespace {

Result<int, wire::ParseError> half(int n) {
    if (n % 2 != 0) return Err{wire::ParseError::BadTotalLength};
    return n / 2;
}

TEST(Result, CarriesAValueOrAnError) {
    const auto ok = half(10);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(*ok, 5);
    const auto bad = half(3);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), wire::ParseError::BadTotalLength);
    EXPECT_EQ(bad.value_or(-1), -1);
    EXPECT_EQ(wire::to_string(bad.error()), "bad total length");
}

TEST(Result, ValueAndErrorOfTheSameTypeStayApart) {
    const Result<std::string, std::string> value = std::string("fine");
    const Result<std::string, std::string> error = Err{std::string("broken")};
    EXPECT_TRUE(value.ok());
    EXPECT_EQ(*value, "fine");
    EXPECT_FALSE(error.ok());
    EXPECT_EQ(error.error(), "broken");
}

TEST(Result, VoidResultSaysOkOrWhy) {
    const Result<void, std::string> fine;
    const Result<void, std::string> failed = Err{std::string("no")};
    EXPECT_TRUE(fine.ok());
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(failed.error(), "no");
}

}  // namespace
}  // namespace synack
