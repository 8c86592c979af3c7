// Link-layer printers, one per capture link type, and the lookup from a LINKTYPE_ value to its printer.
// Each prints what tcpdump prints for its header (with -e) and hands the payload to the EtherType dispatch,
// setting Context::link_header_length to the bytes -x/-X/-A leave out.
#pragma once

#include <cstdint>

#include "tools/dump/context.hpp"

namespace synack::dump {

using LinkPrinter = Flow (*)(Context& ctx, wire::Bytes captured, std::uint32_t wire_length);

Flow print_ethernet_frame(Context& ctx, wire::Bytes captured, std::uint32_t wire_length);  // link_ethernet.cpp
Flow print_linux_sll(Context& ctx, wire::Bytes captured, std::uint32_t wire_length);       // link_sll.cpp
Flow print_linux_sll2(Context& ctx, wire::Bytes captured, std::uint32_t wire_length);      // link_sll.cpp
Flow print_raw_ip(Context& ctx, wire::Bytes captured, std::uint32_t wire_length);          // link_raw.cpp

// nullptr for link types synack does not print.
LinkPrinter link_printer(std::uint32_t link_type);

// "vlan 10, p 3, DEI" (tcpdump print-ether.c ieee8021q_tci_string).
void print_vlan_tci(Output& out, std::uint16_t tci);

}  // namespace synack::dump
