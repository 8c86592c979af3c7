// IPv4 options (RFC 791 §3.1): an iterator over the option bytes of a header and typed readers for record route,
// loose/strict source route, timestamp and router alert (RFC 2113); a builder appending options in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

namespace ipv4_option {
inline constexpr std::uint8_t kEndOfList = 0;
inline constexpr std::uint8_t kNop = 1;
inline constexpr std::uint8_t kRecordRoute = 7;
inline constexpr std::uint8_t kTimestamp = 68;
inline constexpr std::uint8_t kSecurity = 130;  // RFC 1108
inline constexpr std::uint8_t kLooseSourceRoute = 131;
inline constexpr std::uint8_t kStreamId = 136;
inline constexpr std::uint8_t kStrictSourceRoute = 137;
inline constexpr std::uint8_t kRouterAlert = 148;  // RFC 2113

// The type octet: copied flag (1 bit) | class (2 bits) | number (5 bits).
constexpr bool copied(std::uint8_t type) noexcept { return (type & 0x80) != 0; }
constexpr std::uint8_t option_class(std::uint8_t type) noexcept { return (type >> 5) & 0x03; }
constexpr std::uint8_t number(std::uint8_t type) noexcept { return type & 0x1f; }
// EOL and NOP are a single octet; every other option has a length octet counting type and length octets too.
constexpr bool is_single_octet(std::uint8_t type) noexcept { return type == kEndOfList || type == kNop; }
}  // namespace ipv4_option

// Timestamp option flags (RFC 791 "Internet Timestamp").
namespace ipv4_timestamp_flag {
inline constexpr std::uint8_t kTimestampsOnly = 0;
inline constexpr std::uint8_t kAddressAndTimestamp = 1;
inline constexpr std::uint8_t kPrespecified = 3;
}  // namespace ipv4_timestamp_flag

// Record route, loose and strict source route: type | length | pointer | route data (addresses).
struct Ipv4RouteOption {
    std::uint8_t pointer = 0;  // 1-based octet index into the option of the next address slot; 4 is the first
    Bytes route;               // the address slots, a multiple of 4 bytes

    std::size_t address_count() const noexcept { return route.size() / 4; }
    Ipv4Address address(std::size_t i) const noexcept { return Ipv4Address::from_bytes(route.data() + 4 * i); }
    // Slots before the pointer (recorded, or already visited by a source route), clamped to the slots present.
    std::size_t filled_count() const noexcept;
};

struct Ipv4TimestampEntry {
    Ipv4Address address;  // unused (and not written) with ipv4_timestamp_flag::kTimestampsOnly
    std::uint32_t timestamp = 0;
};

// Timestamp: type | length | pointer | overflow (4 bits) | flag (4 bits) | entries.
struct Ipv4TimestampOption {
    std::uint8_t pointer = 0;  // 1-based octet index of the next free entry; 5 is the first
    std::uint8_t overflow = 0;
    std::uint8_t flag = 0;
    Bytes data;  // the entries: 4 bytes each with kTimestampsOnly, 8 (address, timestamp) otherwise

    std::size_t entry_size() const noexcept { return flag == ipv4_timestamp_flag::kTimestampsOnly ? 4 : 8; }
    std::size_t entry_count() const noexcept { return data.size() / entry_size(); }
    Ipv4TimestampEntry entry(std::size_t i) const noexcept;
    std::size_t filled_count() const noexcept;  // entries before the pointer, clamped to the entries present
};

struct Ipv4Option {
    std::uint8_t type = 0;
    Bytes data;  // after the type and length octets; empty for EOL and NOP

    std::size_t length() const noexcept { return ipv4_option::is_single_octet(type) ? 1 : 2 + data.size(); }

    // Typed readers; BadOptionLength if the length does not fit the kind (tcpdump print-ip.c "[bad length]").
    ParseResult<Ipv4RouteOption> as_route() const noexcept;          // length 3 + 4n (RR, LSRR, SSRR)
    ParseResult<Ipv4TimestampOption> as_timestamp() const noexcept;  // length 4 + entry size * n
    ParseResult<std::uint16_t> as_router_alert() const noexcept;     // length 4
};

// Walks the option bytes of an IPv4 header (Ipv4View::options()). Stops after an EOL (what follows it is
// padding) or at the end of the bytes; an option whose length octet is missing, below 2 or beyond the bytes
// left yields BadOptionLength, after which the iterator is at its end.
class Ipv4OptionIterator {
public:
    explicit Ipv4OptionIterator(Bytes options) noexcept : bytes_(options) {}

    bool at_end() const noexcept { return done_ || offset_ >= bytes_.size(); }
    // The next option; call only while !at_end() (otherwise Truncated).
    ParseResult<Ipv4Option> next() noexcept;
    // Offset of the next option within the option bytes.
    std::size_t offset() const noexcept { return offset_; }

private:
    Bytes bytes_;
    std::size_t offset_ = 0;
    bool done_ = false;
};

// Runs an iterator to the end: the first error, if any.
ParseResult<void> validate_ipv4_options(Bytes options) noexcept;

// Appends options in the caller's order; the result goes into Ipv4Builder::options (which pads it to 4 bytes).
class Ipv4OptionsBuilder {
public:
    Ipv4OptionsBuilder& end_of_list();
    Ipv4OptionsBuilder& nop();
    // Record route with `recorded` addresses filled in and `empty_slots` zero slots after them.
    Ipv4OptionsBuilder& record_route(std::span<const Ipv4Address> recorded, std::size_t empty_slots);
    // Loose (strict = false) or strict source route over `route`, with the pointer at `pointer`.
    Ipv4OptionsBuilder& source_route(bool strict, std::span<const Ipv4Address> route, std::uint8_t pointer = 4);
    // Timestamp with every slot in `entries`, of which the first `filled` are used (the pointer follows them).
    Ipv4OptionsBuilder& timestamp(std::uint8_t flag, std::span<const Ipv4TimestampEntry> entries, std::size_t filled,
                                  std::uint8_t overflow = 0);
    Ipv4OptionsBuilder& router_alert(std::uint16_t value = 0);
    // Any option: type, length 2 + data.size(), data.
    Ipv4OptionsBuilder& option(std::uint8_t type, Bytes data);
    // Bytes as given, for malformed options.
    Ipv4OptionsBuilder& raw(Bytes bytes);

    const std::vector<std::uint8_t>& bytes() const noexcept { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

}  // namespace synack::wire
