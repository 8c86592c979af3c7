#include "wire/udp.hpp"

#include <algorithm>

#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::wire {

namespace {

constexpr std::size_t kChecksumOffset = 6;

void pseudo_v4(InternetChecksum& c, const Ipv4Address& s, const Ipv4Address& d, std::size_t n) noexcept {
    add_pseudo_header_v4(c, s, d, ip_protocol::kUdp, static_cast<std::uint16_t>(n));
}

void pseudo_v6(InternetChecksum& c, const Ipv6Address& s, const Ipv6Address& d, std::size_t n) noexcept {
    add_pseudo_header_v6(c, s, d, ip_protocol::kUdp, static_cast<std::uint32_t>(n));
}

// RFC 768: the checksum of the pseudo-header, header (checksum field as zero) and data; an all-zero result is
// transmitted as all ones, since zero means "no checksum".
template <typename Address, typename AddPseudo>
std::uint16_t checksum_of(Bytes header, Bytes payload, const Address& src, const Address& dst,
                          AddPseudo add_pseudo) noexcept {
    InternetChecksum c;
    add_pseudo(c, src, dst, header.size() + payload.size());
    c.add(header.first(kChecksumOffset));
    c.add(payload);
    const std::uint16_t sum = c.finish();
    return sum == 0 ? 0xffff : sum;
}

template <typename Address, typename AddPseudo>
bool sums_to_ones(Bytes datagram, const Address& src, const Address& dst, AddPseudo add_pseudo) noexcept {
    InternetChecksum c;
    add_pseudo(c, src, dst, datagram.size());
    c.add(datagram);
    return c.folded() == 0xffff;
}

}  // namespace

ParseResult<UdpView> UdpView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kHeaderLength) return Err{ParseError::Truncated};
    const std::size_t length = load_be16(bytes.data() + 4);
    if (length < kHeaderLength) return Err{ParseError::BadTotalLength};  // Linux udp_rcv: "short packet"
    return UdpView(bytes, std::min(length, bytes.size()));
}

ParseResult<UdpView> UdpView::parse_captured(Bytes bytes) noexcept {
    if (bytes.size() < 4) return Err{ParseError::Truncated};
    const std::size_t length = bytes.size() >= 6 ? load_be16(bytes.data() + 4) : 0;
    return UdpView(bytes, length >= kHeaderLength ? std::min(length, bytes.size()) : bytes.size());
}

ParseResult<UdpView> UdpView::parse_strict(Bytes bytes) noexcept {
    auto view = parse(bytes);
    if (view && view->payload_truncated()) return Err{ParseError::BadTotalLength};  // Linux udp_rcv: ulen > skb->len
    return view;
}

std::uint16_t UdpView::expected_checksum(const Ipv4Address& src, const Ipv4Address& dst) const noexcept {
    return checksum_of(header(), payload(), src, dst, pseudo_v4);
}

std::uint16_t UdpView::expected_checksum(const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    return checksum_of(header(), payload(), src, dst, pseudo_v6);
}

bool UdpView::checksum_valid(const Ipv4Address& src, const Ipv4Address& dst) const noexcept {
    return checksum() == 0 || sums_to_ones(datagram(), src, dst, pseudo_v4);
}

bool UdpView::checksum_valid(const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    return checksum() != 0 && sums_to_ones(datagram(), src, dst, pseudo_v6);
}

namespace {

void write_fields(const UdpBuilder& b, MutableBytes out, std::size_t payload_size) noexcept {
    std::uint8_t* p = out.data();
    store_be16(p + 0, b.source_port);
    store_be16(p + 2, b.destination_port);
    store_be16(p + 4, b.length.value_or(static_cast<std::uint16_t>(UdpView::kHeaderLength + payload_size)));
    store_be16(p + 6, 0);
}

}  // namespace

void UdpBuilder::write(MutableBytes out, Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const noexcept {
    write_fields(*this, out, payload.size());
    const Bytes header = out.first(size());
    store_be16(out.data() + kChecksumOffset, checksum.value_or(checksum_of(header, payload, src, dst, pseudo_v4)));
}

void UdpBuilder::write(MutableBytes out, Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    write_fields(*this, out, payload.size());
    const Bytes header = out.first(size());
    store_be16(out.data() + kChecksumOffset, checksum.value_or(checksum_of(header, payload, src, dst, pseudo_v6)));
}

std::vector<std::uint8_t> UdpBuilder::build(Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const {
    std::vector<std::uint8_t> out(size() + payload.size());
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(size()));
    write(out, payload, src, dst);
    return out;
}

std::vector<std::uint8_t> UdpBuilder::build(Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const {
    std::vector<std::uint8_t> out(size() + payload.size());
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(size()));
    write(out, payload, src, dst);
    return out;
}

}  // namespace synack::wire
