// Interfaces, their addresses and the routes of one stack: longest-prefix match (IPv4 and IPv6 kept apart),
// source address selection and the "is this address ours" test of the input path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stack/packet_sink.hpp"
#include "wire/address.hpp"

namespace synack::stack {

struct Interface {
    std::string name;
    std::uint32_t mtu = 1500;
};

struct LocalAddress {
    wire::IpAddress address;
    std::uint8_t prefix_len = 0;
    InterfaceId interface = 0;
};

struct Route {
    wire::IpAddress prefix;
    std::uint8_t prefix_len = 0;  // of the address family's own width (32 or 128)
    InterfaceId interface = 0;
    std::optional<wire::IpAddress> gateway;
};

// Whether `a` lies in `prefix`/`len` (len counts bits of the family: 32 for IPv4, 128 for IPv6).
bool prefix_contains(const wire::IpAddress& prefix, std::uint8_t len, const wire::IpAddress& a) noexcept;

class Routing {
public:
    InterfaceId add_interface(std::string name, std::uint32_t mtu);
    bool has_interface(InterfaceId id) const noexcept { return id < interfaces_.size(); }
    const Interface& interface(InterfaceId id) const { return interfaces_.at(id); }
    std::size_t interface_count() const noexcept { return interfaces_.size(); }

    // Returns the address's index (the time-wait entries keep it instead of the address); at most 255.
    std::optional<std::uint8_t> add_address(InterfaceId interface, const wire::IpAddress& address, std::uint8_t prefix_len);
    void add_route(const Route& route);

    // The longest matching route of the address's family.
    const Route* lookup(const wire::IpAddress& destination) const noexcept;
    // Linux's choice of a source address: one on the route's interface in the destination's prefix, else the
    // first of its family there, else the first of its family anywhere.
    std::optional<wire::IpAddress> source_for(const wire::IpAddress& destination, InterfaceId via) const noexcept;
    // The index of a local address (nullopt: not ours).
    std::optional<std::uint8_t> local_index(const wire::IpAddress& address) const noexcept;
    const wire::IpAddress& address_at(std::uint8_t index) const { return addresses_.at(index).address; }
    const std::vector<LocalAddress>& addresses() const noexcept { return addresses_; }

private:
    // A route's prefix as two masked 64-bit halves of the 16-byte form (an IPv4 route's mask also covers the
    // ::ffff: mapping, so it can only match IPv4 addresses), for a match in a few instructions.
    struct Match {
        std::uint64_t hi = 0;
        std::uint64_t lo = 0;
        std::uint64_t mask_hi = 0;
        std::uint64_t mask_lo = 0;
        bool v4 = false;
    };
    static Match match_of(const Route& route) noexcept;

    std::vector<Interface> interfaces_;
    std::vector<LocalAddress> addresses_;
    std::vector<Route> routes_;   // longest prefix first; among equal lengths, in the order added
    std::vector<Match> matches_;  // routes_[i]'s match
};

}  // namespace synack::stack
