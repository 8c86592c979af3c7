// TCP (tcpdump print-tcp.c tcp_print): "a.p > b.q: Flags [S.], cksum …, seq …, ack …, win …, options […],
// length N" and the application summary after it.
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_tcp(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length);

}  // namespace synack::dump
