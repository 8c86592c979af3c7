#include "wire/checksum.hpp"

namespace synack::wire {

namespace {

std::uint16_t fold(std::uint64_t sum) noexcept {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

}  // namespace

void InternetChecksum::add(Bytes bytes) noexcept {
    const std::uint8_t* p = bytes.data();
    std::size_t n = bytes.size();
    if (n == 0) return;
    if (odd_) {
        sum_ += p[0];
        ++p;
        --n;
        odd_ = false;
    }
    while (n >= 2) {
        sum_ += load_be16(p);
        p += 2;
        n -= 2;
    }
    if (n == 1) {
        sum_ += std::uint64_t{p[0]} << 8;
        odd_ = true;
    }
}

void InternetChecksum::add_u16(std::uint16_t v) noexcept {
    std::uint8_t b[2];
    store_be16(b, v);
    add(Bytes(b, 2));
}

void InternetChecksum::add_u32(std::uint32_t v) noexcept {
    std::uint8_t b[4];
    store_be32(b, v);
    add(Bytes(b, 4));
}

std::uint16_t InternetChecksum::folded() const noexcept { return fold(sum_); }

std::uint16_t InternetChecksum::finish() const noexcept { return static_cast<std::uint16_t>(~fold(sum_)); }

std::uint16_t internet_checksum(Bytes bytes) noexcept {
    InternetChecksum c;
    c.add(bytes);
    return c.finish();
}

void add_pseudo_header_v4(InternetChecksum& c, const Ipv4Address& src, const Ipv4Address& dst, std::uint8_t protocol,
                          std::uint16_t length) noexcept {
    c.add(src.octets);
    c.add(dst.octets);
    c.add_u16(protocol);
    c.add_u16(length);
}

void add_pseudo_header_v6(InternetChecksum& c, const Ipv6Address& src, const Ipv6Address& dst,
                          std::uint8_t next_header, std::uint32_t length) noexcept {
    c.add(src.octets);
    c.add(dst.octets);
    c.add_u32(length);
    c.add_u32(next_header);
}

std::uint16_t checksum_update16(std::uint16_t old_checksum, std::uint16_t old_value, std::uint16_t new_value) noexcept {
    std::uint64_t sum = static_cast<std::uint16_t>(~old_checksum);
    sum += static_cast<std::uint16_t>(~old_value);
    sum += new_value;
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint16_t checksum_update32(std::uint16_t old_checksum, std::uint32_t old_value, std::uint32_t new_value) noexcept {
    std::uint16_t c = checksum_update16(old_checksum, static_cast<std::uint16_t>(old_value >> 16),
                                        static_cast<std::uint16_t>(new_value >> 16));
    return checksum_update16(c, static_cast<std::uint16_t>(old_value), static_cast<std::uint16_t>(new_value));
}

}  // namespace synack::wire
