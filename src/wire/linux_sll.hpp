// Linux "cooked" capture headers: LINKTYPE_LINUX_SLL (v1, 16 bytes) and LINKTYPE_LINUX_SLL2 (v2, 20 bytes), what
// libpcap writes for `-i any` and for devices without a link-layer header (libpcap pcap/sll.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "wire/bytes.hpp"
#include "wire/ether_type.hpp"
#include "wire/parse_error.hpp"

namespace synack::wire {

// sll_pkttype: the direction/addressing of the packet (linux/if_packet.h PACKET_*).
namespace sll_packet_type {
inline constexpr std::uint16_t kHost = 0;       // to us
inline constexpr std::uint16_t kBroadcast = 1;
inline constexpr std::uint16_t kMulticast = 2;
inline constexpr std::uint16_t kOtherHost = 3;  // to someone else, seen in promiscuous mode
inline constexpr std::uint16_t kOutgoing = 4;   // sent by us
}  // namespace sll_packet_type

// sll_hatype: the ARPHRD_ device type (linux/if_arp.h), a few common ones.
namespace arphrd {
inline constexpr std::uint16_t kEther = 1;
inline constexpr std::uint16_t kLoopback = 772;
inline constexpr std::uint16_t kIpGre = 778;
inline constexpr std::uint16_t kNone = 0xfffe;  // e.g. TUN devices: no link-layer header
}  // namespace arphrd

// Protocol values that are not EtherTypes (libpcap pcap/sll.h LINUX_SLL_P_*).
namespace sll_protocol {
inline constexpr std::uint16_t k802_3 = 0x0001;  // Novell 802.3 frames without 802.2 LLC header
inline constexpr std::uint16_t k802_2 = 0x0004;  // 802.2 LLC frames
inline constexpr std::uint16_t kCan = 0x000c;
inline constexpr std::uint16_t kCanFd = 0x000d;
}  // namespace sll_protocol

inline constexpr std::size_t kSllAddressCapacity = 8;  // SLL_ADDRLEN

// packet type (2) | ARPHRD type (2) | address length (2) | address (8) | protocol (2) | payload.
class LinuxSllView {
public:
    static constexpr std::size_t kHeaderLength = 16;

    static ParseResult<LinuxSllView> parse(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept { return kHeaderLength; }
    Bytes header() const noexcept { return bytes_.first(kHeaderLength); }
    Bytes payload() const noexcept { return bytes_.subspan(kHeaderLength); }

    std::uint16_t packet_type() const noexcept { return load_be16(bytes_.data()); }
    std::uint16_t arphrd_type() const noexcept { return load_be16(bytes_.data() + 2); }
    std::uint16_t address_length() const noexcept { return load_be16(bytes_.data() + 4); }
    // The first address_length() bytes of the 8-byte address field (all 8 if the length says more).
    Bytes address() const noexcept;
    std::uint16_t protocol() const noexcept { return load_be16(bytes_.data() + 14); }

private:
    explicit LinuxSllView(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

// protocol (2) | reserved, must be zero (2) | interface index (4) | ARPHRD type (2) | packet type (1) |
// address length (1) | address (8) | payload.
class LinuxSll2View {
public:
    static constexpr std::size_t kHeaderLength = 20;

    static ParseResult<LinuxSll2View> parse(Bytes bytes) noexcept;

    std::size_t header_length() const noexcept { return kHeaderLength; }
    Bytes header() const noexcept { return bytes_.first(kHeaderLength); }
    Bytes payload() const noexcept { return bytes_.subspan(kHeaderLength); }

    std::uint16_t protocol() const noexcept { return load_be16(bytes_.data()); }
    std::uint16_t reserved() const noexcept { return load_be16(bytes_.data() + 2); }
    std::uint32_t interface_index() const noexcept { return load_be32(bytes_.data() + 4); }
    std::uint16_t arphrd_type() const noexcept { return load_be16(bytes_.data() + 8); }
    std::uint8_t packet_type() const noexcept { return bytes_[10]; }
    std::uint8_t address_length() const noexcept { return bytes_[11]; }
    // The first address_length() bytes of the 8-byte address field (all 8 if the length says more).
    Bytes address() const noexcept;

private:
    explicit LinuxSll2View(Bytes bytes) noexcept : bytes_(bytes) {}
    Bytes bytes_;
};

struct LinuxSllBuilder {
    std::uint16_t packet_type = sll_packet_type::kHost;
    std::uint16_t arphrd_type = arphrd::kEther;
    std::uint16_t address_length = 6;
    std::array<std::uint8_t, kSllAddressCapacity> address{};
    std::uint16_t protocol = ether_type::kIpv4;

    std::size_t size() const noexcept { return LinuxSllView::kHeaderLength; }
    void write(MutableBytes out) const noexcept;
};

struct LinuxSll2Builder {
    std::uint16_t protocol = ether_type::kIpv4;
    std::uint16_t reserved = 0;
    std::uint32_t interface_index = 1;
    std::uint16_t arphrd_type = arphrd::kEther;
    std::uint8_t packet_type = sll_packet_type::kHost;
    std::uint8_t address_length = 6;
    std::array<std::uint8_t, kSllAddressCapacity> address{};

    std::size_t size() const noexcept { return LinuxSll2View::kHeaderLength; }
    void write(MutableBytes out) const noexcept;
};

}  // namespace synack::wire
