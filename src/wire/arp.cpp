#include "wire/arp.hpp"

#include <cassert>

namespace synack::wire {

ParseResult<ArpView> ArpView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kFixedLength) return Err{ParseError::Truncated};
    const ArpView view(bytes);
    if (bytes.size() < view.header_length()) return Err{ParseError::Truncated};
    return view;
}

std::optional<MacAddress> ArpView::sender_mac() const noexcept {
    if (!is_ethernet_ipv4()) return std::nullopt;
    return MacAddress::from_bytes(sender_hardware().data());
}

std::optional<Ipv4Address> ArpView::sender_ipv4() const noexcept {
    if (!is_ethernet_ipv4()) return std::nullopt;
    return Ipv4Address::from_bytes(sender_protocol().data());
}

std::optional<MacAddress> ArpView::target_mac() const noexcept {
    if (!is_ethernet_ipv4()) return std::nullopt;
    return MacAddress::from_bytes(target_hardware().data());
}

std::optional<Ipv4Address> ArpView::target_ipv4() const noexcept {
    if (!is_ethernet_ipv4()) return std::nullopt;
    return Ipv4Address::from_bytes(target_protocol().data());
}

void ArpBuilder::write(MutableBytes out) const noexcept {
    assert(out.size() >= size());
    std::uint8_t* p = out.data();
    store_be16(p, hardware_type);
    store_be16(p + 2, protocol_type);
    p[4] = 6;
    p[5] = 4;
    store_be16(p + 6, operation);
    sender_mac.write(p + 8);
    sender_ipv4.write(p + 14);
    target_mac.write(p + 18);
    target_ipv4.write(p + 24);
}

}  // namespace synack::wire
