// The four numbers that name a connection (RFC 9293 §3.1: the socket pair).
#pragma once

#include <cstdint>

#include "wire/address.hpp"

namespace synack::tcp {

struct FlowTuple {
    wire::IpAddress local_address{};
    wire::IpAddress remote_address{};
    std::uint16_t local_port = 0;
    std::uint16_t remote_port = 0;

    bool is_v4() const noexcept { return remote_address.is_v4(); }
    friend bool operator==(const FlowTuple&, const FlowTuple&) = default;
};

}  // namespace synack::tcp
