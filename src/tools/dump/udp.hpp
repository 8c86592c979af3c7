// UDP at default verbosity (tcpdump print-udp.c): "a.p > b.q: UDP, length N" and its length complaints.
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_udp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length);

}  // namespace synack::dump
