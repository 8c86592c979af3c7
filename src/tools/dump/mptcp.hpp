// The MPTCP option (kind 30) as tcpdump 4.99 prints it inside the option list (print-mptcp.c).
#pragma once

#include <cstdint>

#include "tools/dump/context.hpp"

namespace synack::dump {

// `option` is the whole option (kind, length, data), all of it captured. False when tcpdump calls it a bad option.
bool print_mptcp_option(Context& ctx, wire::Bytes option, std::uint8_t tcp_flags);

}  // namespace synack::dump
