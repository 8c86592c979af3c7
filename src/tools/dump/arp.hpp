// ARP and RARP at tcpdump's default verbosity (print-arp.c): "ARP, Request who-has A tell B, length 28".
#pragma once

#include "tools/dump/context.hpp"

namespace synack::dump {

Flow print_arp(Context& ctx, wire::Bytes bytes, std::uint32_t length);

}  // namespace synack::dump
