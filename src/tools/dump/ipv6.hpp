// IPv6 (tcpdump print-ip6.c ip6_print): "IP6 " or with -v "IP6 (class …, flowlabel …, hlim …, next-header …
// payload length: …) ", the extension headers (HBH, DSTOPT, frag, RT6), then the upper-layer printer.
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_ipv6(Context& ctx, wire::Bytes bytes, std::uint32_t length);

}  // namespace synack::dump
