#include "wire/ipv4_options.hpp"

#include <gtest/gtest.h>

#include "support/hex.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace synack::wire {
namespace {

using test::hex;

const Ipv4Address kA{{10, 9, 0, 1}};
const Ipv4Address kB{{10, 9, 0, 2}};
const Ipv4Address kZero{};

// Option bytes of real packets captured on a veth pair (10.9.0.1 pings 10.9.0.2); tcpdump -v prints the text quoted.
// `ping -R`: "options (NOP,RR 10.9.0.1, 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0)"
const std::vector<std::uint8_t> kRecordRouteRequest = hex(
    "0107 2708 0a09 0001 0000 0000 0000 0000"
    "0000 0000 0000 0000 0000 0000 0000 0000"
    "0000 0000 0000 0000");
// its reply: "options (RR 10.9.0.1, 10.9.0.2, 10.9.0.2, 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0 0.0.0.0,EOL)"
const std::vector<std::uint8_t> kRecordRouteReply = hex(
    "0727 100a 0900 010a 0900 020a 0900 0200"
    "0000 0000 0000 0000 0000 0000 0000 0000"
    "0000 0000 0000 0000");
// `ping -T tsonly`: "options (timestamp TS{TSONLY 65706354@ ^ 0@ 0@ 0@ 0@ 0@ 0@ 0@ 0@})"
const std::vector<std::uint8_t> kTimestampOnlyRequest = hex(
    "4428 0900 03ea 9972 0000 0000 0000 0000"
    "0000 0000 0000 0000 0000 0000 0000 0000"
    "0000 0000 0000 0000");
// its reply: "options (timestamp TS{TSONLY 65706354@ 65706354@ 65706354@ ^ 0@ 0@ 0@ 0@ 0@ 0@})"
const std::vector<std::uint8_t> kTimestampOnlyReply = hex(
    "4428 1100 03ea 9972 03ea 9972 03ea 9972"
    "0000 0000 0000 0000 0000 0000 0000 0000"
    "0000 0000 0000 0000");
// `ping -T tsandaddr`: "options (timestamp TS{TS+ADDR 65706382@10.9.0.1 ^ 0@0.0.0.0 0@0.0.0.0 0@0.0.0.0})"
const std::vector<std::uint8_t> kTimestampAddressRequest = hex(
    "4424 0d01 0a09 0001 03ea 998e 0000 0000"
    "0000 0000 0000 0000 0000 0000 0000 0000"
    "0000 0000");
// its reply: "TS{TS+ADDR 65706382@10.9.0.1 65706382@10.9.0.2 65706382@10.9.0.2 ^ 0@0.0.0.0}"
const std::vector<std::uint8_t> kTimestampAddressReply = hex(
    "4424 1d01 0a09 0001 03ea 998e 0a09 0002"
    "03ea 998e 0a09 0002 03ea 998e 0000 0000"
    "0000 0000");
// An IGMPv3 report sent when a socket joined 239.1.2.3: "options (RA)".
const std::vector<std::uint8_t> kRouterAlert = hex("9404 0000");

std::vector<Ipv4Option> all_options(Bytes bytes) {
    std::vector<Ipv4Option> out;
    Ipv4OptionIterator it(bytes);
    while (!it.at_end()) {
        auto option = it.next();
        EXPECT_TRUE(option.ok());
        if (!option) break;
        out.push_back(*option);
    }
    return out;
}

TEST(Ipv4OptionIterator, RealRecordRouteRequest) {
    const auto options = all_options(kRecordRouteRequest);
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options[0].type, ipv4_option::kNop);
    EXPECT_EQ(options[0].length(), 1u);
    EXPECT_TRUE(options[0].data.empty());
    EXPECT_EQ(options[1].type, ipv4_option::kRecordRoute);
    EXPECT_EQ(options[1].length(), 39u);
    EXPECT_EQ(options[1].data.data(), kRecordRouteRequest.data() + 3);
    auto rr = options[1].as_route();
    ASSERT_TRUE(rr.ok());
    EXPECT_EQ(rr->pointer, 8);
    EXPECT_EQ(rr->address_count(), 9u);
    EXPECT_EQ(rr->filled_count(), 1u);
    EXPECT_EQ(rr->address(0), kA);
    for (std::size_t i = 1; i < 9; ++i) EXPECT_EQ(rr->address(i), kZero);
}

TEST(Ipv4OptionIterator, RealRecordRouteReplyEndsAtEol) {
    Ipv4OptionIterator it(kRecordRouteReply);
    auto rr_option = it.next();
    ASSERT_TRUE(rr_option.ok());
    auto rr = rr_option->as_route();
    ASSERT_TRUE(rr.ok());
    EXPECT_EQ(rr->pointer, 16);
    EXPECT_EQ(rr->filled_count(), 3u);
    EXPECT_EQ(rr->address(0), kA);
    EXPECT_EQ(rr->address(1), kB);
    EXPECT_EQ(rr->address(2), kB);
    EXPECT_EQ(rr->address(3), kZero);
    EXPECT_EQ(it.offset(), 39u);
    ASSERT_FALSE(it.at_end());
    auto eol = it.next();
    ASSERT_TRUE(eol.ok());
    EXPECT_EQ(eol->type, ipv4_option::kEndOfList);
    EXPECT_EQ(eol->length(), 1u);
    EXPECT_TRUE(it.at_end());
    EXPECT_EQ(it.offset(), 40u);
    auto past = it.next();
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error(), ParseError::Truncated);
}

TEST(Ipv4OptionIterator, RealTimestamps) {
    auto request = all_options(kTimestampOnlyRequest);
    ASSERT_EQ(request.size(), 1u);
    EXPECT_EQ(request[0].type, ipv4_option::kTimestamp);
    auto ts = request[0].as_timestamp();
    ASSERT_TRUE(ts.ok());
    EXPECT_EQ(ts->pointer, 9);
    EXPECT_EQ(ts->overflow, 0);
    EXPECT_EQ(ts->flag, ipv4_timestamp_flag::kTimestampsOnly);
    EXPECT_EQ(ts->entry_size(), 4u);
    EXPECT_EQ(ts->entry_count(), 9u);
    EXPECT_EQ(ts->filled_count(), 1u);
    EXPECT_EQ(ts->entry(0).timestamp, 65706354u);
    EXPECT_EQ(ts->entry(1).timestamp, 0u);

    auto reply = all_options(kTimestampOnlyReply);
    ASSERT_EQ(reply.size(), 1u);
    auto ts_reply = reply[0].as_timestamp();
    ASSERT_TRUE(ts_reply.ok());
    EXPECT_EQ(ts_reply->filled_count(), 3u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(ts_reply->entry(i).timestamp, 65706354u);

    auto with_addresses = all_options(kTimestampAddressReply);
    ASSERT_EQ(with_addresses.size(), 1u);
    auto ts_addr = with_addresses[0].as_timestamp();
    ASSERT_TRUE(ts_addr.ok());
    EXPECT_EQ(ts_addr->flag, ipv4_timestamp_flag::kAddressAndTimestamp);
    EXPECT_EQ(ts_addr->pointer, 29);
    EXPECT_EQ(ts_addr->entry_size(), 8u);
    EXPECT_EQ(ts_addr->entry_count(), 4u);
    EXPECT_EQ(ts_addr->filled_count(), 3u);
    EXPECT_EQ(ts_addr->entry(0).address, kA);
    EXPECT_EQ(ts_addr->entry(0).timestamp, 65706382u);
    EXPECT_EQ(ts_addr->entry(1).address, kB);
    EXPECT_EQ(ts_addr->entry(2).address, kB);
    EXPECT_EQ(ts_addr->entry(3).address, kZero);
    EXPECT_EQ(ts_addr->entry(3).timestamp, 0u);
}

TEST(Ipv4OptionIterator, RealRouterAlert) {
    auto options = all_options(kRouterAlert);
    ASSERT_EQ(options.size(), 1u);
    EXPECT_EQ(options[0].type, ipv4_option::kRouterAlert);
    auto value = options[0].as_router_alert();
    ASSERT_TRUE(value.ok());
    EXPECT_EQ(*value, 0);
    EXPECT_TRUE(ipv4_option::copied(ipv4_option::kRouterAlert));
    EXPECT_EQ(ipv4_option::option_class(ipv4_option::kRouterAlert), 0);
    EXPECT_EQ(ipv4_option::number(ipv4_option::kRouterAlert), 20);
    EXPECT_FALSE(ipv4_option::copied(ipv4_option::kTimestamp));
    EXPECT_EQ(ipv4_option::option_class(ipv4_option::kTimestamp), 2);
    EXPECT_EQ(ipv4_option::number(ipv4_option::kTimestamp), 4);
}

TEST(Ipv4OptionIterator, EmptyAndUnknown) {
    Ipv4OptionIterator empty(Bytes{});
    EXPECT_TRUE(empty.at_end());
    EXPECT_EQ(empty.next().error(), ParseError::Truncated);

    // Stream identifier (136, RFC 791) and an unassigned type 0x5e, kept raw.
    const auto bytes = hex("8804 abcd 5e03 ff01");
    auto options = all_options(bytes);
    ASSERT_EQ(options.size(), 3u);
    EXPECT_EQ(options[0].type, ipv4_option::kStreamId);
    EXPECT_EQ(options[0].data.size(), 2u);
    EXPECT_EQ(options[0].data[0], 0xab);
    EXPECT_EQ(options[1].type, 0x5e);
    EXPECT_EQ(options[1].length(), 3u);
    EXPECT_EQ(options[1].data.size(), 1u);
    EXPECT_EQ(options[1].data[0], 0xff);
    EXPECT_EQ(options[2].type, ipv4_option::kNop);
    EXPECT_TRUE(validate_ipv4_options(bytes).ok());
}

TEST(Ipv4OptionIterator, NothingAfterEndOfList) {
    // After EOL the rest is padding, even bytes that would be a malformed option.
    const auto bytes = hex("0100 0700");
    auto options = all_options(bytes);
    ASSERT_EQ(options.size(), 2u);
    EXPECT_EQ(options[1].type, ipv4_option::kEndOfList);
    EXPECT_TRUE(validate_ipv4_options(bytes).ok());
}

void expect_bad_length(const std::vector<std::uint8_t>& bytes, std::size_t good_before) {
    Ipv4OptionIterator it(bytes);
    for (std::size_t i = 0; i < good_before; ++i) {
        ASSERT_FALSE(it.at_end());
        ASSERT_TRUE(it.next().ok());
    }
    ASSERT_FALSE(it.at_end());
    auto bad = it.next();
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error(), ParseError::BadOptionLength);
    EXPECT_TRUE(it.at_end());
    EXPECT_EQ(it.next().error(), ParseError::Truncated);
    auto check = validate_ipv4_options(bytes);
    ASSERT_FALSE(check.ok());
    EXPECT_EQ(check.error(), ParseError::BadOptionLength);
}

TEST(Ipv4OptionIterator, LengthZero) { expect_bad_length(hex("0101 0700 0000 0000"), 2); }
TEST(Ipv4OptionIterator, LengthOne) { expect_bad_length(hex("9401 0000"), 0); }
TEST(Ipv4OptionIterator, LengthOctetMissing) { expect_bad_length(hex("0101 0194"), 3); }
TEST(Ipv4OptionIterator, LengthOverrunsTheHeader) {
    expect_bad_length(hex("0107 0b04 0a09 0001"), 1);  // RR says 11 bytes, 7 are left
    // The real record-route option cut by one byte.
    expect_bad_length(std::vector<std::uint8_t>(kRecordRouteReply.begin(), kRecordRouteReply.begin() + 38), 0);
}

TEST(Ipv4Option, TypedReadersRejectImpossibleLengths) {
    // Route options: 3 + 4n octets (type, length, pointer, addresses).
    EXPECT_EQ((Ipv4Option{ipv4_option::kRecordRoute, {}}.as_route().error()), ParseError::BadOptionLength);
    const auto five = hex("0401");
    EXPECT_EQ((Ipv4Option{ipv4_option::kLooseSourceRoute, five}.as_route().error()), ParseError::BadOptionLength);
    const auto no_slots = hex("04");
    auto empty_route = Ipv4Option{ipv4_option::kStrictSourceRoute, no_slots}.as_route();
    ASSERT_TRUE(empty_route.ok());
    EXPECT_EQ(empty_route->address_count(), 0u);
    EXPECT_EQ(empty_route->filled_count(), 0u);
    // Timestamp: at least 4 octets, and whole entries.
    const auto one = hex("05");
    EXPECT_EQ((Ipv4Option{ipv4_option::kTimestamp, one}.as_timestamp().error()), ParseError::BadOptionLength);
    const auto addr_half_entry = hex("0501 0a09 0001");  // flag 1 needs 8-byte entries
    EXPECT_EQ((Ipv4Option{ipv4_option::kTimestamp, addr_half_entry}.as_timestamp().error()),
              ParseError::BadOptionLength);
    const auto ts_only_one_entry = hex("0900 0000 0001");
    auto ts = Ipv4Option{ipv4_option::kTimestamp, ts_only_one_entry}.as_timestamp();
    ASSERT_TRUE(ts.ok());
    EXPECT_EQ(ts->entry_count(), 1u);
    EXPECT_EQ(ts->filled_count(), 1u);
    EXPECT_EQ(ts->entry(0).timestamp, 1u);
    // Router alert: exactly 2 octets of value.
    const auto three = hex("000000");
    EXPECT_EQ((Ipv4Option{ipv4_option::kRouterAlert, one}.as_router_alert().error()), ParseError::BadOptionLength);
    EXPECT_EQ((Ipv4Option{ipv4_option::kRouterAlert, three}.as_router_alert().error()), ParseError::BadOptionLength);
}

TEST(Ipv4Option, FilledCountClampsThePointer) {
    const auto route = hex("0000 0000 0000 0000");
    EXPECT_EQ((Ipv4RouteOption{0, route}.filled_count()), 0u);
    EXPECT_EQ((Ipv4RouteOption{3, route}.filled_count()), 0u);
    EXPECT_EQ((Ipv4RouteOption{4, route}.filled_count()), 0u);
    EXPECT_EQ((Ipv4RouteOption{8, route}.filled_count()), 1u);
    EXPECT_EQ((Ipv4RouteOption{12, route}.filled_count()), 2u);
    EXPECT_EQ((Ipv4RouteOption{255, route}.filled_count()), 2u);
    EXPECT_EQ((Ipv4TimestampOption{4, 0, 0, route}.filled_count()), 0u);
    EXPECT_EQ((Ipv4TimestampOption{13, 0, 0, route}.filled_count()), 2u);
    EXPECT_EQ((Ipv4TimestampOption{13, 0, 1, route}.filled_count()), 1u);
    EXPECT_EQ((Ipv4TimestampOption{200, 0, 1, route}.filled_count()), 1u);
}

TEST(Ipv4OptionsBuilder, WritesTheRealRecordRoute) {
    const std::array<Ipv4Address, 1> recorded{kA};
    Ipv4OptionsBuilder b;
    b.nop().record_route(recorded, 8);
    EXPECT_EQ(b.bytes(), kRecordRouteRequest);

    const std::array<Ipv4Address, 3> reply_route{kA, kB, kB};
    Ipv4OptionsBuilder reply;
    reply.record_route(reply_route, 6).end_of_list();
    EXPECT_EQ(reply.bytes(), kRecordRouteReply);
}

TEST(Ipv4OptionsBuilder, WritesTheRealTimestamps) {
    std::array<Ipv4TimestampEntry, 9> slots{};
    slots[0].timestamp = 65706354;
    Ipv4OptionsBuilder b;
    b.timestamp(ipv4_timestamp_flag::kTimestampsOnly, slots, 1);
    EXPECT_EQ(b.bytes(), kTimestampOnlyRequest);

    std::array<Ipv4TimestampEntry, 4> with_addresses{};
    with_addresses[0] = {kA, 65706382};
    with_addresses[1] = {kB, 65706382};
    with_addresses[2] = {kB, 65706382};
    Ipv4OptionsBuilder reply;
    reply.timestamp(ipv4_timestamp_flag::kAddressAndTimestamp, with_addresses, 3);
    EXPECT_EQ(reply.bytes(), kTimestampAddressReply);
}

TEST(Ipv4OptionsBuilder, WritesTheRealRouterAlert) {
    Ipv4OptionsBuilder b;
    b.router_alert();
    EXPECT_EQ(b.bytes(), kRouterAlert);
}

TEST(Ipv4OptionsBuilder, RoundTripEveryKind) {
    const std::array<Ipv4Address, 2> route{Ipv4Address{{192, 0, 2, 1}}, Ipv4Address{{192, 0, 2, 2}}};
    const std::array<Ipv4TimestampEntry, 1> prespecified{{{kB, 7}}};
    const auto stream = hex("1234");
    Ipv4OptionsBuilder b;
    b.source_route(false, route, 8)
        .source_route(true, route)
        .timestamp(ipv4_timestamp_flag::kPrespecified, prespecified, 0, 15)
        .router_alert(1)
        .option(ipv4_option::kStreamId, stream)
        .nop()
        .end_of_list();
    ASSERT_EQ(b.bytes().size(), 11u + 11u + 12u + 4u + 4u + 2u);

    Ipv4OptionIterator it(b.bytes());
    auto lsrr = it.next();
    ASSERT_TRUE(lsrr.ok());
    EXPECT_EQ(lsrr->type, ipv4_option::kLooseSourceRoute);
    auto lsrr_route = lsrr->as_route();
    ASSERT_TRUE(lsrr_route.ok());
    EXPECT_EQ(lsrr_route->pointer, 8);
    EXPECT_EQ(lsrr_route->filled_count(), 1u);
    EXPECT_EQ(lsrr_route->address(1), route[1]);

    auto ssrr = it.next();
    ASSERT_TRUE(ssrr.ok());
    EXPECT_EQ(ssrr->type, ipv4_option::kStrictSourceRoute);
    EXPECT_EQ(ssrr->as_route()->pointer, 4);
    EXPECT_EQ(ssrr->as_route()->address(0), route[0]);

    auto ts_option = it.next();
    ASSERT_TRUE(ts_option.ok());
    auto ts = ts_option->as_timestamp();
    ASSERT_TRUE(ts.ok());
    EXPECT_EQ(ts->flag, ipv4_timestamp_flag::kPrespecified);
    EXPECT_EQ(ts->overflow, 15);
    EXPECT_EQ(ts->pointer, 5);
    EXPECT_EQ(ts->filled_count(), 0u);
    EXPECT_EQ(ts->entry(0).address, kB);
    EXPECT_EQ(ts->entry(0).timestamp, 7u);

    auto ra = it.next();
    ASSERT_TRUE(ra.ok());
    EXPECT_EQ(*ra->as_router_alert(), 1);

    auto raw = it.next();
    ASSERT_TRUE(raw.ok());
    EXPECT_EQ(raw->type, ipv4_option::kStreamId);
    EXPECT_EQ(std::vector<std::uint8_t>(raw->data.begin(), raw->data.end()), stream);

    EXPECT_EQ(it.next()->type, ipv4_option::kNop);
    EXPECT_EQ(it.next()->type, ipv4_option::kEndOfList);
    EXPECT_TRUE(it.at_end());
}

TEST(Ipv4OptionsBuilder, RawBytesForMalformedOptions) {
    Ipv4OptionsBuilder b;
    const auto bad = hex("0701");
    b.nop().raw(bad);
    EXPECT_EQ(b.bytes(), hex("0107 01"));
    EXPECT_EQ(validate_ipv4_options(b.bytes()).error(), ParseError::BadOptionLength);
}

}  // namespace
}  // namespace synack::wire
