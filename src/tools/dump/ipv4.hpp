// IPv4 (tcpdump print-ip.c ip_print): "IP " or with -v "IP (tos …, ttl …, id …, offset …, flags […], proto …,
// length …)\n    ", then the transport printer, or "a > b: ip-proto-N" for fragments after the first.
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_ipv4(Context& ctx, wire::Bytes bytes, std::uint32_t length);

// How the -v option list ended (tcpdump print-ip.c ip_optprint): printed in full or stopped at a bad length
// (Done), an option or entry cut short by the capture (Truncated: " [truncated-option]"), or a type or length
// octet beyond the capture (Longjmp: tcpdump's GET_U_1 gives up on the packet).
enum class Ipv4OptionsEnd { Done, Truncated, Longjmp };

// "EOL", "NOP", "RR 1.2.3.4, …": `bytes` is the captured datagram from the first option on (an option's
// entries may be read past its end, as tcpdump does), `declared_length` the option bytes the IHL gives.
Ipv4OptionsEnd print_ipv4_options(Context& ctx, wire::Bytes bytes, std::size_t declared_length);

// tcpdump ipproto.c ipproto_values: "TCP", "UDP", … or an empty view.
std::string_view ip_protocol_name(std::uint8_t protocol);
// tcpdump's netdb_protoname table (used for fragments without -n): "tcp", "udp", … or an empty view.
std::string_view ip_protocol_netdb_name(std::uint8_t protocol);

}  // namespace synack::dump
