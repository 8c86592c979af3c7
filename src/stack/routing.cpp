#include "stack/routing.hpp"

#include <algorithm>
#include <cstring>

namespace synack::stack {

namespace {

struct Halves {
    std::uint64_t hi;
    std::uint64_t lo;
};

Halves halves(const wire::IpAddress& a) noexcept {
    Halves h{};
    std::memcpy(&h.hi, a.octets.data(), 8);
    std::memcpy(&h.lo, a.octets.data() + 8, 8);
    return h;
}

// The ::ffff:0:0/96 mapping that marks an IPv4 address (wire::IpAddress::is_v4()), as the halves hold it.
bool mapped_v4(const Halves& h) noexcept {
    static const Halves kMapped = halves(wire::IpAddress(wire::Ipv4Address{}));
    static const std::uint64_t kMaskLo = [] {
        std::uint8_t bytes[8] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0};
        std::uint64_t m = 0;
        std::memcpy(&m, bytes, 8);
        return m;
    }();
    return h.hi == kMapped.hi && (h.lo & kMaskLo) == (kMapped.lo & kMaskLo);
}

}  // namespace

bool prefix_contains(const wire::IpAddress& prefix, std::uint8_t len, const wire::IpAddress& a) noexcept {
    if (prefix.is_v4() != a.is_v4()) return false;
    const unsigned offset = a.is_v4() ? 96 : 0;  // IPv4 lives in the last 32 bits of the mapped form
    const unsigned bits = offset + len;
    for (unsigned i = offset; i < bits && i < 128; ++i) {
        const unsigned byte = i / 8;
        const unsigned mask = 0x80u >> (i % 8);
        if ((prefix.octets[byte] & mask) != (a.octets[byte] & mask)) return false;
    }
    return true;
}

InterfaceId Routing::add_interface(std::string name, std::uint32_t mtu) {
    interfaces_.push_back(Interface{std::move(name), mtu});
    return static_cast<InterfaceId>(interfaces_.size() - 1);
}

std::optional<std::uint8_t> Routing::add_address(InterfaceId interface, const wire::IpAddress& address,
                                                 std::uint8_t prefix_len) {
    if (auto existing = local_index(address)) return existing;
    if (addresses_.size() >= 255) return std::nullopt;
    addresses_.push_back(LocalAddress{address, prefix_len, interface});
    return static_cast<std::uint8_t>(addresses_.size() - 1);
}

Routing::Match Routing::match_of(const Route& route) noexcept {
    Match m;
    m.v4 = route.prefix.is_v4();
    const unsigned offset = m.v4 ? 96 : 0;
    const unsigned bits = std::min(128u, offset + route.prefix_len);
    std::uint8_t mask[16] = {};
    for (unsigned i = 0; i < bits; ++i) mask[i / 8] = static_cast<std::uint8_t>(mask[i / 8] | (0x80u >> (i % 8)));
    std::memcpy(&m.mask_hi, mask, 8);
    std::memcpy(&m.mask_lo, mask + 8, 8);
    const Halves p = halves(route.prefix);
    m.hi = p.hi & m.mask_hi;
    m.lo = p.lo & m.mask_lo;
    return m;
}

// Kept sorted by prefix length, longest first, so the first match is the longest; a stable insertion keeps the
// earlier of two equal prefixes first, as a scan for the longest that keeps the first one found would.
void Routing::add_route(const Route& route) {
    // The same route again (each address on one prefix brings it) changes nothing: the first one would win.
    for (const Route& r : routes_) {
        if (r.prefix_len == route.prefix_len && r.interface == route.interface && r.gateway == route.gateway &&
            prefix_contains(r.prefix, r.prefix_len, route.prefix) && r.prefix.is_v4() == route.prefix.is_v4()) {
            return;
        }
    }
    std::size_t at = 0;
    while (at < routes_.size() && routes_[at].prefix_len >= route.prefix_len) ++at;
    routes_.insert(routes_.begin() + static_cast<std::ptrdiff_t>(at), route);
    matches_.insert(matches_.begin() + static_cast<std::ptrdiff_t>(at), match_of(route));
}

// The same answer as the longest prefix_contains() match of the destination's family (routes of the other family
// never match: an IPv4 mask covers the mapping, and an IPv6 route is skipped for a mapped address).
const Route* Routing::lookup(const wire::IpAddress& destination) const noexcept {
    const Halves d = halves(destination);
    const bool v4 = mapped_v4(d);
    for (std::size_t i = 0; i < matches_.size(); ++i) {
        const Match& m = matches_[i];
        if (m.v4 != v4) continue;
        if ((d.hi & m.mask_hi) == m.hi && (d.lo & m.mask_lo) == m.lo) return &routes_[i];
    }
    return nullptr;
}

std::optional<wire::IpAddress> Routing::source_for(const wire::IpAddress& destination, InterfaceId via) const noexcept {
    const LocalAddress* same_interface = nullptr;
    const LocalAddress* any = nullptr;
    for (const LocalAddress& a : addresses_) {
        if (a.address.is_v4() != destination.is_v4()) continue;
        if (a.interface == via) {
            if (prefix_contains(a.address, a.prefix_len, destination)) return a.address;
            if (same_interface == nullptr) same_interface = &a;
        }
        if (any == nullptr) any = &a;
    }
    if (same_interface != nullptr) return same_interface->address;
    if (any != nullptr) return any->address;
    return std::nullopt;
}

std::optional<std::uint8_t> Routing::local_index(const wire::IpAddress& address) const noexcept {
    const Halves a = halves(address);
    for (std::size_t i = 0; i < addresses_.size(); ++i) {
        const Halves h = halves(addresses_[i].address);
        if (h.hi == a.hi && h.lo == a.lo) return static_cast<std::uint8_t>(i);
    }
    return std::nullopt;
}

}  // namespace synack::stack
