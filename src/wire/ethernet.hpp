// Ethernet II frames (IEEE 802.3 with an EtherType) and IEEE 802.1Q / 802.1ad VLAN tags.
#pragma once

#include <cstddef>
#include <cstdint>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/ether_type.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

// destination (6) | source (6) | EtherType (2) | payload. The frame check sequence is not part of a capture.
class EthernetView {
public:
    static constexpr std::size_t kHeaderLength = 14;

    static ParseResult<EthernetView> parse(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept { return kHeaderLength; }
    Bytes header() const noexcept { return bytes_.first(kHeaderLength); }
    Bytes payload() const noexcept { return bytes_.subspan(kHeaderLength); }

    MacAddress destination() const noexcept { return MacAddress::from_bytes(bytes_.data()); }
    MacAddress source() const noexcept { return MacAddress::from_bytes(bytes_.data() + 6); }
    // An EtherType, or (when ether_type::is_length()) an IEEE 802.3 length field.
    std::uint16_t ether_type() const noexcept { return load_be16(bytes_.data() + 12); }

private:
    explicit EthernetView(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

// The four bytes after a VLAN TPID (ether_type::is_vlan_tpid): the tag control information
// (priority code point 3 bits | drop eligible 1 bit | VLAN id 12 bits, IEEE 802.1Q §9.6) and the inner EtherType.
// The TPID itself is the EtherType of the header before (an Ethernet header or an outer tag).
class VlanTagView {
public:
    static constexpr std::size_t kHeaderLength = 4;

    static ParseResult<VlanTagView> parse(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept { return kHeaderLength; }
    Bytes header() const noexcept { return bytes_.first(kHeaderLength); }
    Bytes payload() const noexcept { return bytes_.subspan(kHeaderLength); }

    std::uint16_t tci() const noexcept { return load_be16(bytes_.data()); }
    std::uint8_t priority() const noexcept { return static_cast<std::uint8_t>(tci() >> 13); }
    bool drop_eligible() const noexcept { return (tci() & 0x1000) != 0; }
    std::uint16_t vlan_id() const noexcept { return tci() & 0x0fff; }
    std::uint16_t ether_type() const noexcept { return load_be16(bytes_.data() + 2); }

private:
    explicit VlanTagView(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

// What follows a stack of VLAN tags (QinQ: an S-TAG, then one or more C-TAGs).
struct UntaggedPayload {
    std::uint16_t ether_type = 0;  // the first EtherType that is not a VLAN TPID
    Bytes payload;                 // the bytes after the last tag
    std::size_t vlan_tags = 0;     // how many tags were skipped
};

// Skips every VLAN tag starting at `payload`, whose EtherType is `ether_type`; Truncated if a tag is cut short.
ParseResult<UntaggedPayload> skip_vlan_tags(std::uint16_t ether_type, Bytes payload) noexcept;

struct EthernetBuilder {
    MacAddress destination;
    MacAddress source;
    std::uint16_t ether_type = ether_type::kIpv4;

    std::size_t size() const noexcept { return EthernetView::kHeaderLength; }
    void write(MutableBytes out) const noexcept;
};

// Writes one tag's TCI and inner EtherType; the TPID is the previous header's ether_type (kVlan or kQinQ).
struct VlanTagBuilder {
    std::uint8_t priority = 0;     // 3 bits
    bool drop_eligible = false;
    std::uint16_t vlan_id = 0;     // 12 bits
    std::uint16_t ether_type = ether_type::kIpv4;

    std::size_t size() const noexcept { return VlanTagView::kHeaderLength; }
    void write(MutableBytes out) const noexcept;
};

}  // namespace synack::wire
