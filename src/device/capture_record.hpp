// One captured frame as a capture file holds it: when, how much was captured, how long it was on the wire.
#pragma once

#include <cstdint>

#include "wire/bytes.hpp"

namespace synack::device {

// Normally nanoseconds is below one second. A time stamp read from a damaged file keeps the fields as the record
// header holds them (libpcap's struct timeval, the fraction scaled to nanoseconds): a fraction of a second or more,
// negative fields (libpcap reads them as signed 32-bit values). tcpdump prints them so, unnormalised.
struct CaptureTimestamp {
    std::int64_t seconds = 0;
    std::int64_t nanoseconds = 0;
};

struct CaptureRecord {
    CaptureTimestamp timestamp;
    std::uint32_t wire_length = 0;  // the frame's length on the wire ("len")
    wire::Bytes data;               // the captured bytes ("caplen" of them); valid until the next read
};

// Link types by their pcap LINKTYPE_ numbers (https://www.tcpdump.org/linktypes.html).
enum class LinkType : std::uint32_t {
    Null = 0,          // BSD loopback
    Ethernet = 1,
    Raw = 101,         // raw IPv4 or IPv6
    LinuxSll = 113,    // Linux cooked capture v1
    Loop = 108,        // OpenBSD loopback
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276,   // Linux cooked capture v2
};

}  // namespace synack::device
