#include "stack/routing.hpp"

namespace synack::stack {

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

const Route* Routing::lookup(const wire::IpAddress& destination) const noexcept {
    const Route* best = nullptr;
    for (const Route& r : routes_) {
        if (!prefix_contains(r.prefix, r.prefix_len, destination)) continue;
        if (best == nullptr || r.prefix_len > best->prefix_len) best = &r;
    }
    return best;
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
    for (std::size_t i = 0; i < addresses_.size(); ++i) {
        if (addresses_[i].address == address) return static_cast<std::uint8_t>(i);
    }
    return std::nullopt;
}

}  // namespace synack::stack
