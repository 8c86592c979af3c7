// Where a stack's outgoing IP packets go: the runtime implements it (a simulated link, a TUN device).
#pragma once

#include <cstdint>

#include "wire/bytes.hpp"

namespace synack::stack {

using InterfaceId = std::uint16_t;

class PacketSink {
public:
    virtual ~PacketSink() = default;
    // One IP packet (IPv4 or IPv6, no link-layer header). `packet` is valid only during the call: the sink
    // copies it into its own (pooled) buffer.
    virtual void transmit(InterfaceId interface, wire::Bytes packet) = 0;
};

}  // namespace synack::stack
