// ICMPv6 at default verbosity (tcpdump print-icmp6.c): "ICMP6, echo request, id 7, seq 1, length 64",
// "ICMP6, neighbor solicitation, who has 2001:2::2, length 32", …
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_icmpv6(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length);

}  // namespace synack::dump
