// From an IP protocol number to its printer (tcpdump print-ip.c ip_demux_print). Adding a transport printer is
// one file defining a TransportPrinter plus one row in the table in ip_demux.cpp.
#pragma once

#include <cstdint>

#include "tools/dump/context.hpp"

namespace synack::dump {

// `data` is what was captured of the transport header and payload (cut at the IP datagram's end), `length` the
// length the IP header gives it.
using TransportPrinter = Flow (*)(Context& ctx, const IpInfo& ip, wire::Bytes data, std::uint32_t length);

Flow print_ip_payload(Context& ctx, const IpInfo& ip, std::uint8_t protocol, wire::Bytes data, std::uint32_t length);

// tcpdump in_cksum_shouldbe: the checksum field value that would have made `computed` (the checksum over the
// data with the field as received) zero.
std::uint16_t checksum_should_be(std::uint16_t field, std::uint16_t computed) noexcept;

// "a > b" with names, for printers that print the addresses themselves.
void print_ip_addresses(Context& ctx, const IpInfo& ip);

}  // namespace synack::dump
