#include "wire/ethernet.hpp"

#include <cassert>

namespace synack::wire {

ParseResult<EthernetView> EthernetView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kHeaderLength) return Err{ParseError::Truncated};
    return EthernetView(bytes);
}

ParseResult<VlanTagView> VlanTagView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kHeaderLength) return Err{ParseError::Truncated};
    return VlanTagView(bytes);
}

ParseResult<UntaggedPayload> skip_vlan_tags(std::uint16_t ether_type, Bytes payload) noexcept {
    UntaggedPayload out{ether_type, payload, 0};
    while (ether_type::is_vlan_tpid(out.ether_type)) {
        auto tag = VlanTagView::parse(out.payload);
        if (!tag) return Err{tag.error()};
        out.ether_type = tag->ether_type();
        out.payload = tag->payload();
        ++out.vlan_tags;
    }
    return out;
}

void EthernetBuilder::write(MutableBytes out) const noexcept {
    assert(out.size() >= size());
    destination.write(out.data());
    source.write(out.data() + 6);
    store_be16(out.data() + 12, ether_type);
}

void VlanTagBuilder::write(MutableBytes out) const noexcept {
    assert(out.size() >= size());
    const auto tci = static_cast<std::uint16_t>(((priority & 0x7) << 13) | (drop_eligible ? 0x1000 : 0) |
                                                (vlan_id & 0x0fff));
    store_be16(out.data(), tci);
    store_be16(out.data() + 2, ether_type);
}

}  // namespace synack::wire
