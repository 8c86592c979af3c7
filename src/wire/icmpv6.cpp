#include "wire/icmpv6.hpp"

#include <algorithm>

#include "wire/checksum.hpp"
#include "wire/ip_protocol.hpp"

namespace synack::wire {

namespace {

constexpr std::size_t kChecksumOffset = 2;
constexpr std::size_t kNdOptionUnit = 8;

bool is_nd(std::uint8_t type) noexcept {
    return type >= icmpv6_type::kRouterSolicitation && type <= icmpv6_type::kRedirect;
}

}  // namespace

std::size_t icmpv6_fixed_length(std::uint8_t type) noexcept {
    switch (type) {
        case icmpv6_type::kRouterAdvertisement: return 16;   // RFC 4861 §4.2
        case icmpv6_type::kNeighborSolicitation:             // §4.3
        case icmpv6_type::kNeighborAdvertisement: return 24;  // §4.4
        case icmpv6_type::kRedirect: return 40;              // §4.5
        default: return Icmpv6View::kMinHeaderLength;       // RS (§4.1), echo and the error messages
    }
}

ParseResult<Icmpv6View> Icmpv6View::parse(Bytes bytes) noexcept {
    if (bytes.size() < kMinHeaderLength || bytes.size() < icmpv6_fixed_length(bytes[0])) {
        return Err{ParseError::Truncated};
    }
    return Icmpv6View(bytes);
}

ParseResult<Icmpv6View> Icmpv6View::parse_captured(Bytes bytes) noexcept {
    if (bytes.size() < 2) return Err{ParseError::Truncated};
    return Icmpv6View(bytes);
}

Ipv6Address Icmpv6View::target() const noexcept {
    const std::uint8_t t = type();
    if (t != icmpv6_type::kNeighborSolicitation && t != icmpv6_type::kNeighborAdvertisement &&
        t != icmpv6_type::kRedirect) {
        return {};
    }
    return address(8);
}

Ipv6Address Icmpv6View::redirect_destination() const noexcept {
    if (type() != icmpv6_type::kRedirect) return {};
    return address(24);
}

std::uint32_t Icmpv6View::reachable_time() const noexcept {
    return type() == icmpv6_type::kRouterAdvertisement ? be32(8) : 0;
}

std::uint32_t Icmpv6View::retrans_timer() const noexcept {
    return type() == icmpv6_type::kRouterAdvertisement ? be32(12) : 0;
}

Bytes Icmpv6View::nd_options() const noexcept { return is_nd(type()) ? payload() : Bytes{}; }

bool Icmpv6View::checksum_valid(const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    InternetChecksum c;
    add_pseudo_header_v6(c, src, dst, ip_protocol::kIcmpv6, static_cast<std::uint32_t>(bytes_.size()));
    c.add(bytes_);
    return c.folded() == 0xffff;
}

std::uint16_t Icmpv6View::expected_checksum(const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    InternetChecksum c;
    add_pseudo_header_v6(c, src, dst, ip_protocol::kIcmpv6, static_cast<std::uint32_t>(bytes_.size()));
    c.add(bytes_.first(kChecksumOffset));
    c.add(bytes_.subspan(kChecksumOffset + 2));
    return c.finish();
}

// ---- ND options ----

ParseResult<Bytes> NdOption::as_link_layer_address() const noexcept {
    if (type() != nd_option_type::kSourceLinkLayerAddress && type() != nd_option_type::kTargetLinkLayerAddress) {
        return Err{ParseError::Unsupported};
    }
    if (raw_.size() < kNdOptionUnit) return Err{ParseError::BadOptionLength};
    return data();
}

ParseResult<MacAddress> NdOption::as_mac_address() const noexcept {
    auto address = as_link_layer_address();
    if (!address) return Err{address.error()};
    if (length() != 1) return Err{ParseError::BadOptionLength};
    return MacAddress::from_bytes(address->data());
}

ParseResult<NdPrefixInformation> NdOption::as_prefix_information() const noexcept {
    if (type() != nd_option_type::kPrefixInformation) return Err{ParseError::Unsupported};
    if (length() != 4) return Err{ParseError::BadOptionLength};
    const std::uint8_t* p = raw_.data();
    NdPrefixInformation info;
    info.prefix_length = p[2];
    info.flags = p[3];
    info.valid_lifetime = load_be32(p + 4);
    info.preferred_lifetime = load_be32(p + 8);
    // p + 12: Reserved2
    info.prefix = Ipv6Address::from_bytes(p + 16);
    return info;
}

ParseResult<std::uint32_t> NdOption::as_mtu() const noexcept {
    if (type() != nd_option_type::kMtu) return Err{ParseError::Unsupported};
    if (length() != 1) return Err{ParseError::BadOptionLength};
    return load_be32(raw_.data() + 4);  // after 2 reserved bytes
}

ParseResult<Bytes> NdOption::as_redirected_header() const noexcept {
    if (type() != nd_option_type::kRedirectedHeader) return Err{ParseError::Unsupported};
    if (raw_.size() < kNdOptionUnit) return Err{ParseError::BadOptionLength};
    return raw_.subspan(kNdOptionUnit);
}

ParseResult<NdOption> NdOptionIterator::next() noexcept {
    if (at_end()) return Err{ParseError::Truncated};
    const std::size_t left = bytes_.size() - offset_;
    const std::size_t size = left < 2 ? 0 : std::size_t{bytes_[offset_ + 1]} * kNdOptionUnit;
    if (size == 0 || size > left) {
        done_ = true;
        return Err{ParseError::BadOptionLength};
    }
    NdOption opt(bytes_.subspan(offset_, size), offset_);
    offset_ += size;
    return opt;
}

ParseResult<void> validate_nd_options(Bytes options) noexcept {
    NdOptionIterator it(options);
    while (!it.at_end()) {
        if (auto opt = it.next(); !opt) return Err{opt.error()};
    }
    return {};
}

NdOptionsBuilder& NdOptionsBuilder::source_link_layer_address(const MacAddress& mac) {
    return option(nd_option_type::kSourceLinkLayerAddress, mac.octets);
}

NdOptionsBuilder& NdOptionsBuilder::target_link_layer_address(const MacAddress& mac) {
    return option(nd_option_type::kTargetLinkLayerAddress, mac.octets);
}

NdOptionsBuilder& NdOptionsBuilder::prefix_information(const NdPrefixInformation& info) {
    std::array<std::uint8_t, 30> d{};
    d[0] = info.prefix_length;
    d[1] = info.flags;
    store_be32(d.data() + 2, info.valid_lifetime);
    store_be32(d.data() + 6, info.preferred_lifetime);
    info.prefix.write(d.data() + 14);
    return option(nd_option_type::kPrefixInformation, d);
}

NdOptionsBuilder& NdOptionsBuilder::mtu(std::uint32_t mtu) {
    std::array<std::uint8_t, 6> d{};
    store_be32(d.data() + 2, mtu);
    return option(nd_option_type::kMtu, d);
}

NdOptionsBuilder& NdOptionsBuilder::option(std::uint8_t type, Bytes data) {
    const std::size_t units = (2 + data.size() + kNdOptionUnit - 1) / kNdOptionUnit;
    bytes_.push_back(type);
    bytes_.push_back(static_cast<std::uint8_t>(units));
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    bytes_.resize(bytes_.size() + units * kNdOptionUnit - 2 - data.size(), 0);
    return *this;
}

NdOptionsBuilder& NdOptionsBuilder::raw(Bytes bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return *this;
}

// ---- Icmpv6Builder ----

namespace {

Icmpv6Builder make(std::uint8_t type, std::uint8_t code, std::uint32_t rest) noexcept {
    Icmpv6Builder b;
    b.type = type;
    b.code = code;
    b.rest_of_header = rest;
    return b;
}

}  // namespace

Icmpv6Builder Icmpv6Builder::echo_request(std::uint16_t identifier, std::uint16_t sequence) noexcept {
    return make(icmpv6_type::kEchoRequest, 0, (std::uint32_t{identifier} << 16) | sequence);
}

Icmpv6Builder Icmpv6Builder::echo_reply(std::uint16_t identifier, std::uint16_t sequence) noexcept {
    return make(icmpv6_type::kEchoReply, 0, (std::uint32_t{identifier} << 16) | sequence);
}

Icmpv6Builder Icmpv6Builder::destination_unreachable(std::uint8_t code) noexcept {
    return make(icmpv6_type::kDestinationUnreachable, code, 0);
}

Icmpv6Builder Icmpv6Builder::packet_too_big(std::uint32_t mtu) noexcept {
    return make(icmpv6_type::kPacketTooBig, 0, mtu);
}

Icmpv6Builder Icmpv6Builder::time_exceeded(std::uint8_t code) noexcept {
    return make(icmpv6_type::kTimeExceeded, code, 0);
}

Icmpv6Builder Icmpv6Builder::parameter_problem(std::uint8_t code, std::uint32_t pointer) noexcept {
    return make(icmpv6_type::kParameterProblem, code, pointer);
}

Icmpv6Builder Icmpv6Builder::router_solicitation() noexcept {
    return make(icmpv6_type::kRouterSolicitation, 0, 0);
}

Icmpv6Builder Icmpv6Builder::router_advertisement(std::uint8_t cur_hop_limit, std::uint8_t flags,
                                                  std::uint16_t router_lifetime, std::uint32_t reachable_time,
                                                  std::uint32_t retrans_timer) noexcept {
    Icmpv6Builder b = make(icmpv6_type::kRouterAdvertisement, 0,
                           (std::uint32_t{cur_hop_limit} << 24) | (std::uint32_t{flags} << 16) | router_lifetime);
    store_be32(b.fixed_tail.data(), reachable_time);
    store_be32(b.fixed_tail.data() + 4, retrans_timer);
    b.fixed_tail_length = 8;
    return b;
}

Icmpv6Builder Icmpv6Builder::neighbor_solicitation(const Ipv6Address& target) noexcept {
    Icmpv6Builder b = make(icmpv6_type::kNeighborSolicitation, 0, 0);
    target.write(b.fixed_tail.data());
    b.fixed_tail_length = 16;
    return b;
}

Icmpv6Builder Icmpv6Builder::neighbor_advertisement(std::uint8_t flags, const Ipv6Address& target) noexcept {
    Icmpv6Builder b = make(icmpv6_type::kNeighborAdvertisement, 0, std::uint32_t{flags} << 24);
    target.write(b.fixed_tail.data());
    b.fixed_tail_length = 16;
    return b;
}

Icmpv6Builder Icmpv6Builder::redirect(const Ipv6Address& target, const Ipv6Address& destination) noexcept {
    Icmpv6Builder b = make(icmpv6_type::kRedirect, 0, 0);
    target.write(b.fixed_tail.data());
    destination.write(b.fixed_tail.data() + 16);
    b.fixed_tail_length = 32;
    return b;
}

void Icmpv6Builder::write(MutableBytes out, Bytes body, const Ipv6Address& src, const Ipv6Address& dst) const noexcept {
    std::uint8_t* p = out.data();
    const std::size_t n = size();
    p[0] = type;
    p[1] = code;
    store_be16(p + 2, 0);
    store_be32(p + 4, rest_of_header);
    std::copy(fixed_tail.begin(), fixed_tail.begin() + static_cast<std::ptrdiff_t>(n - 8), p + 8);
    InternetChecksum c;
    add_pseudo_header_v6(c, src, dst, ip_protocol::kIcmpv6, static_cast<std::uint32_t>(n + body.size()));
    c.add(out.first(n));
    c.add(body);
    store_be16(p + kChecksumOffset, checksum.value_or(c.finish()));
}

std::vector<std::uint8_t> Icmpv6Builder::build(Bytes body, const Ipv6Address& src, const Ipv6Address& dst) const {
    std::vector<std::uint8_t> out(size() + body.size());
    std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(size()));
    write(out, body, src, dst);
    return out;
}

}  // namespace synack::wire
