// Handles the stack gives the application: an index and a generation, so a stale handle is recognised.
#pragma once

#include <cstdint>

#include "stack/packet_sink.hpp"
#include "wire/address.hpp"

namespace synack::stack {

struct ConnectionId {
    std::uint32_t index = 0;
    std::uint32_t generation = 0;  // 0: no connection
    explicit operator bool() const noexcept { return generation != 0; }
    friend bool operator==(const ConnectionId&, const ConnectionId&) = default;
};

struct ListenerId {
    std::uint32_t index = 0;
    std::uint32_t generation = 0;
    explicit operator bool() const noexcept { return generation != 0; }
    friend bool operator==(const ListenerId&, const ListenerId&) = default;
};

struct Endpoint {
    wire::IpAddress address{};
    std::uint16_t port = 0;
};

}  // namespace synack::stack
