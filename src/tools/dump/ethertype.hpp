// EtherType names (for -e) and the dispatch from an EtherType to the network-layer printer; shared by Ethernet,
// 802.1Q and the Linux cooked headers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "tools/dump/context.hpp"

namespace synack::dump {

// tcpdump's name for the type, or an empty view when it has none ("Unknown").
std::string_view ethertype_name(std::uint16_t type);

// Prints the payload of a frame of this type; std::nullopt when no printer knows the type (the caller then
// prints the frame's addresses and a hex dump, as tcpdump does).
std::optional<Flow> print_ethertype(Context& ctx, std::uint16_t type, wire::Bytes bytes, std::uint32_t length);

}  // namespace synack::dump
