#include "wire/ipv6_extensions.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace synack::wire {

// ---- walker ----

Ipv6ExtensionWalker::Ipv6ExtensionWalker(const Ipv6View& ip, bool skip_rfc6564) noexcept
    : Ipv6ExtensionWalker(ip.next_header(), ip.payload(), ip.declared_payload_length(), skip_rfc6564) {}

Ipv6ExtensionWalker::Ipv6ExtensionWalker(std::uint8_t next_header, Bytes payload, std::size_t declared_length,
                                         bool skip_rfc6564) noexcept
    : bytes_(payload.first(std::min(payload.size(), declared_length))),
      declared_(declared_length),
      next_header_(next_header),
      skip_rfc6564_(skip_rfc6564) {}

bool Ipv6ExtensionWalker::is_extension(std::uint8_t next_header) const noexcept {
    return ipv6_extension::is_walked(next_header) || (skip_rfc6564_ && ipv6_extension::is_rfc6564(next_header));
}

bool Ipv6ExtensionWalker::at_end() const noexcept {
    return failed_ || stopped_at_fragment_ || !is_extension(next_header_);
}

ParseResult<Ipv6Extension> Ipv6ExtensionWalker::next() noexcept {
    if (at_end()) return Err{ParseError::Truncated};
    const std::uint8_t type = next_header_;
    // A header that runs past the bytes present is cut short by the capture, unless it also runs past the length
    // the IP header declares: then it is malformed.
    const auto overrun = [this](std::size_t end) {
        failed_ = true;
        return Err{end > declared_ ? ParseError::BadExtensionHeader : ParseError::Truncated};
    };
    // RFC 8200 §4.1: the hop-by-hop options header, when present, must immediately follow the IPv6 header.
    if (type == ip_protocol::kHopByHop && offset_ != 0) {
        failed_ = true;
        return Err{ParseError::BadExtensionHeader};
    }
    if (bytes_.size() - offset_ < 2) return overrun(offset_ + 2);
    const std::uint8_t* p = bytes_.data() + offset_;
    std::size_t length;
    if (type == ip_protocol::kFragment) {
        length = Ipv6FragmentView::kHeaderLength;  // RFC 8200 §4.5: the second octet is reserved, not a length
    } else if (type == ip_protocol::kAh) {
        length = (std::size_t{p[1]} + 2) * 4;  // RFC 4302 §2.2
        if (length < Ipv6AuthenticationView::kMinLength) {
            failed_ = true;
            return Err{ParseError::BadExtensionHeader};
        }
    } else {
        length = (std::size_t{p[1]} + 1) * 8;  // RFC 8200 §4.3, §4.4, §4.6; RFC 6564 §4
    }
    if (offset_ + length > bytes_.size()) return overrun(offset_ + length);

    const Ipv6Extension extension{type, p[0], bytes_.subspan(offset_, length)};
    offset_ += length;
    next_header_ = p[0];
    if (type == ip_protocol::kFragment && (load_be16(p + 2) & 0xfff8) != 0) stopped_at_fragment_ = true;
    return extension;
}

ParseResult<Ipv6UpperLayer> skip_ipv6_extensions(const Ipv6View& ip) noexcept {
    Ipv6ExtensionWalker walker(ip);
    while (!walker.at_end()) {
        auto extension = walker.next();
        if (!extension) return Err{extension.error()};
    }
    return Ipv6UpperLayer{walker.upper_protocol(), walker.upper_payload(), walker.offset(),
                          walker.stopped_at_fragment()};
}

// ---- options ----

ParseResult<std::uint32_t> Ipv6Option::as_jumbo_payload() const noexcept {
    if (data.size() != 4) return Err{ParseError::BadOptionLength};
    return load_be32(data.data());
}

ParseResult<std::uint16_t> Ipv6Option::as_router_alert() const noexcept {
    if (data.size() != 2) return Err{ParseError::BadOptionLength};
    return load_be16(data.data());
}

ParseResult<std::uint8_t> Ipv6Option::as_tunnel_encapsulation_limit() const noexcept {
    if (data.size() != 1) return Err{ParseError::BadOptionLength};
    return data[0];
}

ParseResult<Ipv6Option> Ipv6OptionIterator::next() noexcept {
    if (at_end()) return Err{ParseError::Truncated};
    const std::uint8_t type = bytes_[offset_];
    if (type == ipv6_option::kPad1) {
        ++offset_;
        return Ipv6Option{type, Bytes{}};
    }
    const std::size_t left = bytes_.size() - offset_;
    if (left < 2 || std::size_t{bytes_[offset_ + 1]} + 2 > left) {
        done_ = true;
        return Err{ParseError::BadOptionLength};
    }
    const Ipv6Option option{type, bytes_.subspan(offset_ + 2, bytes_[offset_ + 1])};
    offset_ += option.length();
    return option;
}

// ---- views ----

ParseResult<Ipv6FragmentView> Ipv6FragmentView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kHeaderLength) return Err{ParseError::Truncated};
    return Ipv6FragmentView(bytes);
}

ParseResult<Ipv6RoutingView> Ipv6RoutingView::parse(Bytes bytes) noexcept {
    if (bytes.size() < kMinLength) return Err{ParseError::Truncated};
    const Ipv6RoutingView view(bytes);
    if (bytes.size() < view.header_length()) return Err{ParseError::Truncated};
    // RFC 8754 §2: the segment list holds last entry + 1 addresses.
    if (view.routing_type() == ipv6_routing_type::kSegmentRouting &&
        8 + 16 * (std::size_t{view.last_entry()} + 1) > view.header_length()) {
        return Err{ParseError::BadExtensionHeader};
    }
    return view;
}

std::size_t Ipv6RoutingView::address_count() const noexcept {
    switch (routing_type()) {
        case ipv6_routing_type::kSourceRoute:
        case ipv6_routing_type::kMobileIpv6: return header_ext_length() / 2u;  // RFC 2460 §4.4, RFC 6275 §6.4
        case ipv6_routing_type::kSegmentRouting: return std::size_t{last_entry()} + 1;
        default: return 0;
    }
}

Bytes Ipv6RoutingView::trailer() const noexcept {
    if (routing_type() != ipv6_routing_type::kSegmentRouting) return Bytes{};
    return header().subspan(8 + 16 * address_count());
}

ParseResult<Ipv6AuthenticationView> Ipv6AuthenticationView::parse(Bytes bytes) noexcept {
    if (bytes.size() < 2) return Err{ParseError::Truncated};
    const Ipv6AuthenticationView view(bytes);
    if (view.header_length() < kMinLength) return Err{ParseError::BadExtensionHeader};
    if (bytes.size() < view.header_length()) return Err{ParseError::Truncated};
    return view;
}

// ---- builders ----

Ipv6OptionsBuilder& Ipv6OptionsBuilder::pad1() {
    bytes_.push_back(ipv6_option::kPad1);
    return *this;
}

Ipv6OptionsBuilder& Ipv6OptionsBuilder::padn(std::size_t total_length) {
    assert(total_length >= 2 && total_length <= 257);
    bytes_.push_back(ipv6_option::kPadN);
    bytes_.push_back(static_cast<std::uint8_t>(total_length - 2));
    bytes_.insert(bytes_.end(), total_length - 2, 0);
    return *this;
}

Ipv6OptionsBuilder& Ipv6OptionsBuilder::jumbo_payload(std::uint32_t length) {
    std::uint8_t v[4];
    store_be32(v, length);
    return option(ipv6_option::kJumboPayload, Bytes(v, 4));
}

Ipv6OptionsBuilder& Ipv6OptionsBuilder::router_alert(std::uint16_t value) {
    std::uint8_t v[2];
    store_be16(v, value);
    return option(ipv6_option::kRouterAlert, Bytes(v, 2));
}

Ipv6OptionsBuilder& Ipv6OptionsBuilder::tunnel_encapsulation_limit(std::uint8_t limit) {
    return option(ipv6_option::kTunnelEncapsulationLimit, Bytes(&limit, 1));
}

Ipv6OptionsBuilder& Ipv6OptionsBuilder::option(std::uint8_t type, Bytes data) {
    assert(data.size() <= 255);
    bytes_.push_back(type);
    bytes_.push_back(static_cast<std::uint8_t>(data.size()));
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    return *this;
}

Ipv6OptionsBuilder& Ipv6OptionsBuilder::raw(Bytes bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return *this;
}

void Ipv6OptionsHeaderBuilder::write(MutableBytes out) const noexcept {
    const std::size_t length = size();
    assert(out.size() >= length);
    std::uint8_t* p = out.data();
    p[0] = next_header;
    p[1] = header_ext_length.value_or(static_cast<std::uint8_t>(length / 8 - 1));
    if (!options.empty()) std::memcpy(p + 2, options.data(), options.size());
    // RFC 8200 §4.2: Pad1 for one octet of padding, PadN for more.
    std::uint8_t* pad = p + 2 + options.size();
    const std::size_t pad_length = length - 2 - options.size();
    if (pad_length == 1) {
        pad[0] = ipv6_option::kPad1;
    } else if (pad_length >= 2) {
        pad[0] = ipv6_option::kPadN;
        pad[1] = static_cast<std::uint8_t>(pad_length - 2);
        std::memset(pad + 2, 0, pad_length - 2);
    }
}

void Ipv6FragmentBuilder::write(MutableBytes out) const noexcept {
    assert(out.size() >= size());
    std::uint8_t* p = out.data();
    p[0] = next_header;
    p[1] = reserved;
    store_be16(p + 2, static_cast<std::uint16_t>((fragment_offset & 0xfff8) | ((reserved_bits & 0x03) << 1) |
                                                 (more_fragments ? 1 : 0)));
    store_be32(p + 4, identification);
}

void Ipv6RoutingBuilder::write(MutableBytes out) const noexcept {
    const std::size_t length = size();
    assert(out.size() >= length);
    std::uint8_t* p = out.data();
    p[0] = next_header;
    p[1] = header_ext_length.value_or(static_cast<std::uint8_t>(length / 8 - 1));
    p[2] = routing_type;
    p[3] = segments_left;
    std::uint32_t specific = 0;
    if (routing_type == ipv6_routing_type::kSegmentRouting && !addresses.empty()) {
        specific = static_cast<std::uint32_t>(addresses.size() - 1) << 24;
    }
    store_be32(p + 4, type_specific.value_or(specific));
    std::uint8_t* q = p + 8;
    for (const auto& a : addresses) {
        a.write(q);
        q += 16;
    }
    if (!trailer.empty()) std::memcpy(q, trailer.data(), trailer.size());
    q += trailer.size();
    std::memset(q, 0, static_cast<std::size_t>(p + length - q));
}

void Ipv6AuthenticationBuilder::write(MutableBytes out) const noexcept {
    const std::size_t length = size();
    assert(out.size() >= length);
    std::uint8_t* p = out.data();
    p[0] = next_header;
    p[1] = payload_length_field.value_or(static_cast<std::uint8_t>(length / 4 - 2));
    store_be16(p + 2, reserved);
    store_be32(p + 4, spi);
    store_be32(p + 8, sequence);
    if (!icv.empty()) std::memcpy(p + 12, icv.data(), icv.size());
    std::memset(p + 12 + icv.size(), 0, length - 12 - icv.size());
}

}  // namespace synack::wire
