// ARP (RFC 826) for any hardware/protocol pair, with typed accessors for the Ethernet/IPv4 case.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/ether_type.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

namespace arp_operation {
inline constexpr std::uint16_t kRequest = 1;
inline constexpr std::uint16_t kReply = 2;
inline constexpr std::uint16_t kReverseRequest = 3;  // RFC 903
inline constexpr std::uint16_t kReverseReply = 4;
inline constexpr std::uint16_t kInverseRequest = 8;  // RFC 2390
inline constexpr std::uint16_t kInverseReply = 9;
}  // namespace arp_operation

namespace arp_hardware {
inline constexpr std::uint16_t kEthernet = 1;
inline constexpr std::uint16_t kIeee802 = 6;
}  // namespace arp_hardware

// hardware type (2) | protocol type (2) | hardware length (1) | protocol length (1) | operation (2) |
// sender hardware (hlen) | sender protocol (plen) | target hardware (hlen) | target protocol (plen).
class ArpView {
public:
    static constexpr std::size_t kFixedLength = 8;
    static constexpr std::size_t kEthernetIpv4Length = 28;

    // Truncated unless the fixed part and all four addresses (as long as the length bytes say) are present.
    static ParseResult<ArpView> parse(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept {
        return kFixedLength + 2u * hardware_length() + 2u * protocol_length();
    }
    Bytes header() const noexcept { return bytes_.first(header_length()); }
    // Whatever follows the message in the frame (usually Ethernet padding to 60 bytes).
    Bytes payload() const noexcept { return bytes_.subspan(header_length()); }

    std::uint16_t hardware_type() const noexcept { return load_be16(bytes_.data()); }
    std::uint16_t protocol_type() const noexcept { return load_be16(bytes_.data() + 2); }
    std::uint8_t hardware_length() const noexcept { return bytes_[4]; }
    std::uint8_t protocol_length() const noexcept { return bytes_[5]; }
    std::uint16_t operation() const noexcept { return load_be16(bytes_.data() + 6); }

    Bytes sender_hardware() const noexcept { return bytes_.subspan(kFixedLength, hardware_length()); }
    Bytes sender_protocol() const noexcept {
        return bytes_.subspan(kFixedLength + hardware_length(), protocol_length());
    }
    Bytes target_hardware() const noexcept {
        return bytes_.subspan(kFixedLength + hardware_length() + protocol_length(), hardware_length());
    }
    Bytes target_protocol() const noexcept {
        return bytes_.subspan(kFixedLength + 2u * hardware_length() + protocol_length(), protocol_length());
    }

    // 6-byte hardware addresses and 4-byte IPv4 protocol addresses (the hardware type is not consulted:
    // IEEE 802 networks use type 6 with Ethernet addresses too).
    bool is_ethernet_ipv4() const noexcept {
        return hardware_length() == 6 && protocol_length() == 4 && protocol_type() == ether_type::kIpv4;
    }
    // The addresses typed; std::nullopt unless is_ethernet_ipv4().
    std::optional<MacAddress> sender_mac() const noexcept;
    std::optional<Ipv4Address> sender_ipv4() const noexcept;
    std::optional<MacAddress> target_mac() const noexcept;
    std::optional<Ipv4Address> target_ipv4() const noexcept;

private:
    explicit ArpView(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

// An Ethernet/IPv4 ARP message (28 bytes).
struct ArpBuilder {
    std::uint16_t hardware_type = arp_hardware::kEthernet;
    std::uint16_t protocol_type = ether_type::kIpv4;
    std::uint16_t operation = arp_operation::kRequest;
    MacAddress sender_mac;
    Ipv4Address sender_ipv4;
    MacAddress target_mac;
    Ipv4Address target_ipv4;

    std::size_t size() const noexcept { return ArpView::kEthernetIpv4Length; }
    void write(MutableBytes out) const noexcept;
};

}  // namespace synack::wire
