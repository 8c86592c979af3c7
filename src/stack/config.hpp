// The settings of one stack in one struct, named after the Linux sysctls they mirror, with Linux's defaults:
// the TCP ones (tcp/sysctl.hpp) and the IP ones below. docs/linux-defaults.md lists them all.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "tcp/sysctl.hpp"

namespace synack::stack {

struct StackConfig : tcp::TcpSysctls {
    // net.ipv4
    std::array<std::uint16_t, 2> ip_local_port_range = {32768, 60999};
    int ip_default_ttl = 64;
    bool ip_no_pmtu_disc = false;   // false: TCP segments carry DF (path MTU discovery)
    // net.ipv6
    int hop_limit = 64;             // net.ipv6.conf.all.hop_limit
    int auto_flowlabels = 1;        // 1: a flow label from the flow's hash unless the socket sets one
    bool flowlabel_state_ranges = false;

    // Sizing (no Linux equivalent): the connection table's initial bucket count (a power of two; it doubles
    // as connections arrive).
    std::size_t initial_buckets = 1024;
};

}  // namespace synack::stack
