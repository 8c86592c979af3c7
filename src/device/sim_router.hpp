// A simulated IPv4/IPv6 router that forwards bare IP packets between its interfaces the way a Linux router does
// (net/ipv4/ip_forward.c, net/ipv6/ip6_output.c ip6_forward, net/ipv4/icmp.c, net/ipv6/icmp.c), checked against
// captures of one (tests/runtime/linux_router_capture.sh):
//   - a bad IPv4 header (version, IHL, checksum, lengths) or IPv6 header is dropped; bytes past the IP length are
//     trimmed;
//   - packets for the router's own addresses, multicast and broadcast destinations are not forwarded (dropped);
//   - longest-prefix route lookup; no route: ICMP net unreachable (3/0) / ICMPv6 no route (1/0);
//   - TTL or hop limit <= 1: time exceeded in transit (11/0, ICMPv6 3/0), quoting the packet as it arrived;
//   - IPv6 from a link-local source: destination unreachable, beyond scope (1/2); unspecified, multicast or
//     loopback sources are dropped;
//   - larger than the next link's MTU: IPv4 with DF gets "fragmentation needed" (3/4) with the next-hop MTU;
//     IPv4 without DF is fragmented as ip_do_fragment does (8-byte multiples, options not copied replaced by NOPs
//     after the first fragment, MF kept when fragmenting a fragment); IPv6 gets "packet too big" (2/0) with the MTU;
//   - otherwise the TTL is decremented with ip_decrease_ttl's incremental checksum update, or the hop limit.
// ICMP errors go out of the interface that routes back to the packet's source, from that interface's address,
// with TTL / hop limit 64; IPv4 ones with TOS 0xc0 | (TOS & 0x1e), no DF, and at most 576 bytes; IPv6 ones at most
// 1280 bytes, with a flow label hashed from the addresses (as Linux's auto flow labels are). None is sent about an
// ICMP error, a non-first fragment, or a source that does not name one host.
// Not modelled: ICMP rate limiting (Linux limits time exceeded and unreachable per destination: a burst of 6, then
// one per second; never "fragmentation needed" or "packet too big"), redirects, IP options processing (record
// route, source route) and echoing them in ICMP errors, local delivery (the router answers no pings).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/ipv4.hpp"

namespace synack::device {

// Interfaces are numbered from 0 in the order added (the same numbering as stack::InterfaceId).
using SimInterfaceId = std::uint16_t;

struct SimRouterInterface {
    std::uint32_t mtu = 1500;
    std::optional<wire::Ipv4Address> ipv4;  // source of the ICMP errors sent out of this interface
    std::optional<wire::Ipv6Address> ipv6;
};

struct SimRouterConfig {
    std::uint8_t icmp_ttl = 64;          // net.ipv4.ip_default_ttl
    std::uint8_t icmpv6_hop_limit = 64;  // net.ipv6.conf.all.hop_limit
    // Seeds the IPv4 identification counter of ICMP errors and the key of the ICMPv6 flow-label hash.
    std::uint64_t seed = 0;
    // A fixed flow label for ICMPv6 errors instead of the hash (to compare with a capture).
    std::optional<std::uint32_t> icmpv6_flow_label;
};

struct SimRouterCounters {
    std::uint64_t received = 0;
    std::uint64_t forwarded = 0;        // packets sent on, whole or in fragments
    std::uint64_t fragmented = 0;       // packets sent on in fragments (IPv4 FragOKs)
    std::uint64_t fragments = 0;        // fragments created (FragCreates)
    std::uint64_t icmp_errors = 0;      // ICMP and ICMPv6 errors sent
    std::uint64_t dropped_header = 0;   // malformed IP header, bad checksum, unknown interface
    std::uint64_t dropped_local = 0;    // addressed to the router itself
    std::uint64_t dropped_not_forwardable = 0;  // multicast or broadcast destination, bad source
    std::uint64_t dropped_no_route = 0;
    std::uint64_t dropped_ttl = 0;      // TTL or hop limit expired
    std::uint64_t dropped_too_big = 0;  // DF set or IPv6: larger than the next-hop MTU
};

class SimRouter {
public:
    // Where forwarded packets and ICMP errors go; `packet` is valid only during the call.
    class Output {
    public:
        virtual ~Output() = default;
        virtual void transmit(SimInterfaceId interface, wire::Bytes packet) = 0;
    };

    explicit SimRouter(const SimRouterConfig& config = {});

    SimInterfaceId add_interface(const SimRouterInterface& interface);
    // prefix_length counts bits of the family's own address: 0–32 for IPv4, 0–128 for IPv6.
    void add_route(const wire::IpAddress& prefix, std::uint8_t prefix_length, SimInterfaceId interface);
    // The interface of the longest matching prefix of the address's family.
    std::optional<SimInterfaceId> route(const wire::IpAddress& destination) const noexcept;

    // One IP packet arriving on `in`; forwarded packets and ICMP errors go to `out` before this returns.
    void receive(SimInterfaceId in, wire::Bytes packet, Output& out);

    // The identification field of the next ICMP error (then counting up by one per error).
    void set_next_ipv4_id(std::uint16_t id) noexcept { next_ipv4_id_ = id; }
    SimRouterConfig& config() noexcept { return config_; }
    const SimRouterInterface& interface(SimInterfaceId id) const { return interfaces_.at(id); }
    std::size_t interface_count() const noexcept { return interfaces_.size(); }
    const SimRouterCounters& counters() const noexcept { return counters_; }

    // Linux's ip_decrease_ttl (include/net/ip.h) on a header in place: TTL - 1 and the checksum + 0x0100 with the
    // end-around carry, a result of 0xffff written as 0x0000.
    static void decrease_ttl(wire::MutableBytes ipv4_header) noexcept;

private:
    struct Route {
        wire::IpAddress prefix;  // masked
        std::uint8_t bits = 0;   // of the 16-byte form (IPv4: 96 + length)
        bool v4 = false;
        SimInterfaceId interface = 0;
    };

    void receive_v4(SimInterfaceId in, wire::Bytes packet, Output& out);
    void receive_v6(SimInterfaceId in, wire::Bytes packet, Output& out);
    bool is_own_address(const wire::IpAddress& address) const noexcept;
    void fragment_v4(const wire::Ipv4View& ip, SimInterfaceId interface, std::uint32_t mtu, Output& out);
    void send_icmpv4_error(wire::Bytes invoking, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                           Output& out);
    void send_icmpv6_error(wire::Bytes invoking, std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                           Output& out);
    std::uint32_t flow_label(const wire::Ipv6Address& src, const wire::Ipv6Address& dst) const noexcept;

    SimRouterConfig config_;
    SimRouterCounters counters_;
    std::vector<SimRouterInterface> interfaces_;
    std::vector<Route> routes_;
    std::uint16_t next_ipv4_id_;
    std::vector<std::uint8_t> packet_;  // the forwarded copy (64 KiB; larger for a jumbogram)
    std::vector<std::uint8_t> out_;     // fragments and ICMP errors being built
    wire::Ipv4Builder fragment_header_;  // reused so its options keep their capacity
};

}  // namespace synack::device
