#include "wire/ipv4_options.hpp"

#include <algorithm>

namespace synack::wire {

std::size_t Ipv4RouteOption::filled_count() const noexcept {
    if (pointer < 4) return 0;
    return std::min<std::size_t>((pointer - 4u) / 4, address_count());
}

Ipv4TimestampEntry Ipv4TimestampOption::entry(std::size_t i) const noexcept {
    const std::uint8_t* p = data.data() + i * entry_size();
    if (entry_size() == 4) return Ipv4TimestampEntry{Ipv4Address{}, load_be32(p)};
    return Ipv4TimestampEntry{Ipv4Address::from_bytes(p), load_be32(p + 4)};
}

std::size_t Ipv4TimestampOption::filled_count() const noexcept {
    if (pointer < 5) return 0;
    return std::min<std::size_t>((pointer - 5u) / entry_size(), entry_count());
}

ParseResult<Ipv4RouteOption> Ipv4Option::as_route() const noexcept {
    // RFC 791: type, length, pointer, then 4-byte addresses. data excludes type and length.
    if (data.empty() || (data.size() - 1) % 4 != 0) return Err{ParseError::BadOptionLength};
    return Ipv4RouteOption{data[0], data.subspan(1)};
}

ParseResult<Ipv4TimestampOption> Ipv4Option::as_timestamp() const noexcept {
    if (data.size() < 2) return Err{ParseError::BadOptionLength};
    Ipv4TimestampOption ts{data[0], static_cast<std::uint8_t>(data[1] >> 4), static_cast<std::uint8_t>(data[1] & 0x0f),
                           data.subspan(2)};
    if (ts.data.size() % ts.entry_size() != 0) return Err{ParseError::BadOptionLength};
    return ts;
}

ParseResult<std::uint16_t> Ipv4Option::as_router_alert() const noexcept {
    if (data.size() != 2) return Err{ParseError::BadOptionLength};
    return load_be16(data.data());
}

ParseResult<Ipv4Option> Ipv4OptionIterator::next() noexcept {
    if (at_end()) return Err{ParseError::Truncated};
    const std::uint8_t type = bytes_[offset_];
    if (ipv4_option::is_single_octet(type)) {
        ++offset_;
        if (type == ipv4_option::kEndOfList) done_ = true;
        return Ipv4Option{type, Bytes{}};
    }
    const std::size_t left = bytes_.size() - offset_;
    if (left < 2 || bytes_[offset_ + 1] < 2 || bytes_[offset_ + 1] > left) {
        done_ = true;
        return Err{ParseError::BadOptionLength};
    }
    const std::size_t length = bytes_[offset_ + 1];
    const Ipv4Option option{type, bytes_.subspan(offset_ + 2, length - 2)};
    offset_ += length;
    return option;
}

ParseResult<void> validate_ipv4_options(Bytes options) noexcept {
    Ipv4OptionIterator it(options);
    while (!it.at_end()) {
        auto option = it.next();
        if (!option) return Err{option.error()};
    }
    return {};
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::end_of_list() {
    bytes_.push_back(ipv4_option::kEndOfList);
    return *this;
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::nop() {
    bytes_.push_back(ipv4_option::kNop);
    return *this;
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::record_route(std::span<const Ipv4Address> recorded, std::size_t empty_slots) {
    const std::size_t length = 3 + 4 * (recorded.size() + empty_slots);
    bytes_.push_back(ipv4_option::kRecordRoute);
    bytes_.push_back(static_cast<std::uint8_t>(length));
    bytes_.push_back(static_cast<std::uint8_t>(4 + 4 * recorded.size()));
    for (const auto& a : recorded) bytes_.insert(bytes_.end(), a.octets.begin(), a.octets.end());
    bytes_.insert(bytes_.end(), 4 * empty_slots, 0);
    return *this;
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::source_route(bool strict, std::span<const Ipv4Address> route,
                                                     std::uint8_t pointer) {
    bytes_.push_back(strict ? ipv4_option::kStrictSourceRoute : ipv4_option::kLooseSourceRoute);
    bytes_.push_back(static_cast<std::uint8_t>(3 + 4 * route.size()));
    bytes_.push_back(pointer);
    for (const auto& a : route) bytes_.insert(bytes_.end(), a.octets.begin(), a.octets.end());
    return *this;
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::timestamp(std::uint8_t flag, std::span<const Ipv4TimestampEntry> entries,
                                                  std::size_t filled, std::uint8_t overflow) {
    const std::size_t entry_size = flag == ipv4_timestamp_flag::kTimestampsOnly ? 4 : 8;
    bytes_.push_back(ipv4_option::kTimestamp);
    bytes_.push_back(static_cast<std::uint8_t>(4 + entry_size * entries.size()));
    bytes_.push_back(static_cast<std::uint8_t>(5 + entry_size * filled));
    bytes_.push_back(static_cast<std::uint8_t>(((overflow & 0x0f) << 4) | (flag & 0x0f)));
    for (const auto& e : entries) {
        if (entry_size == 8) bytes_.insert(bytes_.end(), e.address.octets.begin(), e.address.octets.end());
        std::uint8_t ts[4];
        store_be32(ts, e.timestamp);
        bytes_.insert(bytes_.end(), ts, ts + 4);
    }
    return *this;
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::router_alert(std::uint16_t value) {
    std::uint8_t v[2];
    store_be16(v, value);
    return option(ipv4_option::kRouterAlert, Bytes(v, 2));
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::option(std::uint8_t type, Bytes data) {
    bytes_.push_back(type);
    bytes_.push_back(static_cast<std::uint8_t>(2 + data.size()));
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    return *this;
}

Ipv4OptionsBuilder& Ipv4OptionsBuilder::raw(Bytes bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return *this;
}

}  // namespace synack::wire
