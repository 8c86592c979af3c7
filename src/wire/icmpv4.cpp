#include "wire/icmpv4.hpp"

#include <algorithm>

#include "wire/checksum.hpp"

namespace synack::wire {

namespace {
constexpr std::size_t kChecksumOffset = 2;
}  // namespace

ParseResult<Icmpv4View> Icmpv4View::parse(Bytes bytes) noexcept {
    if (bytes.size() < kHeaderLength) return Err{ParseError::Truncated};
    return Icmpv4View(bytes);
}

ParseResult<Icmpv4View> Icmpv4View::parse_captured(Bytes bytes) noexcept {
    if (bytes.size() < 2) return Err{ParseError::Truncated};
    return Icmpv4View(bytes);
}

bool Icmpv4View::checksum_valid() const noexcept {
    InternetChecksum c;
    c.add(bytes_);
    return c.folded() == 0xffff;
}

std::uint16_t Icmpv4View::expected_checksum() const noexcept {
    InternetChecksum c;
    c.add(bytes_.first(kChecksumOffset));
    c.add(bytes_.subspan(kChecksumOffset + 2));
    return c.finish();
}

Icmpv4Builder Icmpv4Builder::echo_request(std::uint16_t identifier, std::uint16_t sequence) noexcept {
    return {icmpv4_type::kEchoRequest, 0, (std::uint32_t{identifier} << 16) | sequence, std::nullopt};
}

Icmpv4Builder Icmpv4Builder::echo_reply(std::uint16_t identifier, std::uint16_t sequence) noexcept {
    return {icmpv4_type::kEchoReply, 0, (std::uint32_t{identifier} << 16) | sequence, std::nullopt};
}

Icmpv4Builder Icmpv4Builder::destination_unreachable(std::uint8_t code, std::uint16_t next_hop_mtu) noexcept {
    return {icmpv4_type::kDestinationUnreachable, code, next_hop_mtu, std::nullopt};  // RFC 1191 §4
}

Icmpv4Builder Icmpv4Builder::time_exceeded(std::uint8_t code) noexcept {
    return {icmpv4_type::kTimeExceeded, code, 0, std::nullopt};
}

Icmpv4Builder Icmpv4Builder::redirect(std::uint8_t code, const Ipv4Address& gateway) noexcept {
    return {icmpv4_type::kRedirect, code, gateway.to_u32(), std::nullopt};
}

Icmpv4Builder Icmpv4Builder::parameter_problem(std::uint8_t pointer, std::uint8_t code) noexcept {
    return {icmpv4_type::kParameterProblem, code, std::uint32_t{pointer} << 24, std::nullopt};
}

void Icmpv4Builder::write(MutableBytes out, Bytes payload) const noexcept {
    std::uint8_t* p = out.data();
    p[0] = type;
    p[1] = code;
    store_be16(p + 2, 0);
    store_be32(p + 4, rest_of_header);
    InternetChecksum c;
    c.add(out.first(size()));
    c.add(payload);
    store_be16(p + kChecksumOffset, checksum.value_or(c.finish()));
}

std::vector<std::uint8_t> Icmpv4Builder::build(Bytes payload) const {
    std::vector<std::uint8_t> out(size() + payload.size());
    std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(size()));
    write(out, payload);
    return out;
}

}  // namespace synack::wire
