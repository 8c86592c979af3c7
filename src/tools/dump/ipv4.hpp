// IPv4 (tcpdump print-ip.c ip_print): "IP " or with -v "IP (tos …, ttl …, id …, offset …, flags […], proto …,
// length …)\n    ", then the transport printer, or "a > b: ip-proto-N" for fragments after the first.
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_ipv4(Context& ctx, wire::Bytes bytes, std::uint32_t length);

// The -v option list "EOL", "NOP", "RR 1.2.3.4, …" (print-ip.c ip_optprint); false if the options ran past the
// captured bytes.
bool print_ipv4_options(Context& ctx, wire::Bytes options, std::size_t declared_length);

// tcpdump ipproto.c ipproto_values: "TCP", "UDP", … or an empty view.
std::string_view ip_protocol_name(std::uint8_t protocol);
// tcpdump's netdb_protoname table (used for fragments without -n): "tcp", "udp", … or an empty view.
std::string_view ip_protocol_netdb_name(std::uint8_t protocol);

}  // namespace synack::dump
