#include "wire/tcp.hpp"

#include <algorithm>

#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::wire {

namespace {

constexpr std::size_t kChecksumOffset = 16;

// Sums the segment with its checksum field taken as zero.
void add_segment_without_checksum(InternetChecksum& c, Bytes segment) noexcept {
    c.add(segment.first(kChecksumOffset));
    c.add(segment.subspan(kChecksumOffset + 2));
}

template <typename Address, typename AddPseudo>
std::uint16_t checksum_of(Bytes header, Bytes payload, const Address& src, const Address& dst,
                          AddPseudo add_pseudo) noexcept {
    InternetChecksum c;
    add_pseudo(c, src, dst, header.size() + payload.size());
    add_segment_without_checksum(c, header);
    c.add(payload);
    return c.finish();
}

void pseudo_v4(InternetChecksum& c, const Ipv4Address& s, const Ipv4Address& d, std::size_t n) noexcept {
    add_pseudo_header_v4(c, s, d, ip_protocol::kTcp, static_cast<std::uint16_t>(n));
}

void pseudo_v6(InternetChecksum& c, const Ipv6Address& s, const Ipv6Address& d, std::size_t n) noexcept {
    add_pseudo_header_v6(c, s, d, ip_protocol::kTcp, static_cast<std::uint32_t>(n));
}

}  // namespace

ParseResult<TcpView> TcpView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kMinHeaderLength) return Err{ParseError::Truncated};
    const std::size_t header_length = std::size_t{static_cast<std::uint8_t>(bytes[12] >> 4)} * 4;
    // RFC 9293 §3.1: the data offset counts 32-bit words and is at least 5; Linux tcp_v4_rcv drops
    // `th->doff < sizeof(struct tcphdr) / 4` and a doff beyond the segment (tcpdump: "bad hdr length").
    if (header_length < kMinHeaderLength) return Err{ParseError::BadHeaderLength};
    if (header_length > bytes.size()) return Err{ParseError::Truncated};
    return TcpView(bytes, header_length);
}

ParseResult<TcpView> TcpView::parse_captured(Bytes bytes) noexcept {
    if (bytes.size() < kMinHeaderLength) return Err{ParseError::Truncated};
    const std::size_t header_length = std::size_t{static_cast<std::uint8_t>(bytes[12] >> 4)} * 4;
    if (header_length < kMinHeaderLength) return Err{ParseError::BadHeaderLength};
    return TcpView(bytes, std::min(header_length, bytes.size()));
}

std::uint16_t TcpView::expected_checksum(const Ipv4Address& src, const Ipv4Address& dst) const noexcept {
    return checksum_of(header(), payload(), src, dst, pseudo_v4);
}

std::uint16_t TcpView::expected_checksum(const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    return checksum_of(header(), payload(), src, dst, pseudo_v6);
}

bool TcpView::checksum_valid(const Ipv4Address& src, const Ipv4Address& dst) const noexcept {
    InternetChecksum c;
    pseudo_v4(c, src, dst, bytes_.size());
    c.add(bytes_);
    return c.folded() == 0xffff;
}

bool TcpView::checksum_valid(const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    InternetChecksum c;
    pseudo_v6(c, src, dst, bytes_.size());
    c.add(bytes_);
    return c.folded() == 0xffff;
}

void TcpBuilder::write_fields(MutableBytes out) const noexcept {
    std::uint8_t* p = out.data();
    const std::size_t n = size();
    store_be16(p + 0, source_port);
    store_be16(p + 2, destination_port);
    store_be32(p + 4, seq.raw());
    store_be32(p + 8, ack.raw());
    const std::uint8_t offset = data_offset.value_or(static_cast<std::uint8_t>(n / 4));
    p[12] = static_cast<std::uint8_t>(((offset & 0x0f) << 4) | ((reserved_bits & 0x07) << 1) |
                                      ((flags & tcp_flags::kAe) ? 1 : 0));
    p[13] = static_cast<std::uint8_t>(flags & 0xff);
    store_be16(p + 14, window);
    store_be16(p + 16, 0);
    store_be16(p + 18, urgent_pointer);
    std::copy(options.begin(), options.end(), p + TcpView::kMinHeaderLength);
    std::fill(p + TcpView::kMinHeaderLength + options.size(), p + n, std::uint8_t{0});  // RFC 9293: zero padding
}

void TcpBuilder::write(MutableBytes out, Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const noexcept {
    write_fields(out);
    const std::uint16_t c = checksum.value_or(checksum_of(out.first(size()), payload, src, dst, pseudo_v4));
    store_be16(out.data() + kChecksumOffset, c);
}

void TcpBuilder::write(MutableBytes out, Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    write_fields(out);
    const std::uint16_t c = checksum.value_or(checksum_of(out.first(size()), payload, src, dst, pseudo_v6));
    store_be16(out.data() + kChecksumOffset, c);
}

std::vector<std::uint8_t> TcpBuilder::build(Bytes payload, const Ipv4Address& src, const Ipv4Address& dst) const {
    std::vector<std::uint8_t> out(size() + payload.size());
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(size()));
    write(out, payload, src, dst);
    return out;
}

std::vector<std::uint8_t> TcpBuilder::build(Bytes payload, const Ipv6Address& src, const Ipv6Address& dst) const {
    std::vector<std::uint8_t> out(size() + payload.size());
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(size()));
    write(out, payload, src, dst);
    return out;
}

}  // namespace synack::wire
