// ICMP at default verbosity (tcpdump print-icmp.c): "ICMP echo request, id 7, seq 1, length 64",
// "ICMP 10.0.0.2 udp port 33434 unreachable, length 36", …
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_icmp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length);

}  // namespace synack::dump
