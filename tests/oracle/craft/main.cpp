// oracle_craft_captures OUTDIR: writes the crafted oracle captures — the odd cases real traffic rarely shows (issue 2,
// point 5) — built with the project's own wire/ builders and written with device::PcapWriter (or PcapngWriter). The oracle tests
// then require `synack dump FLAGS` to print for them exactly what tcpdump prints. Every file holds TCP (so each
// gets every flag set, -v and -e included) and uses a different link type:
//   crafted-seq-wrap.tcp.pcap       Ethernet   sequence numbers wrapping past 2^32 mid-connection (IPv4, IPv6)
//   crafted-tcp-options.tcp.pcap    raw IP     every TCP option kind, well-formed and malformed; every flag
//   crafted-ipv4-options.tcp.pcap   SLL v1     IPv4 options; DF/MF and fragment offsets; TOS/ECN, TTL
//   crafted-ipv6-ext.tcp.pcap       SLL v2     IPv6 extension header chains (HBH, routing 0/2/4, fragment,
//                                              destination options, AH), jumbogram, flow label
//   crafted-bad-checksums.tcp.pcap  802.1Q     wrong TCP and IPv4 header checksums; VLAN priorities, DEI, QinQ
//   crafted-truncated.tcp.pcap      Ethernet   packets cut by the snapshot length at every header boundary
//   crafted-lengths.tcp.pcap        raw IP     zero, too small and oversized length fields (IPv4 total length and
//                                              IHL, IPv6 payload length, TCP data offset); a 70,040-byte
//                                              jumbogram; time going backwards
//   crafted-time.tcp.pcap           Ethernet   damaged record time stamps (a fraction of a second or more,
//   crafted-nano.tcp.pcap           Ethernet   negative fields); nanosecond resolution; pcapng's 64-bit
//   crafted-time-ng.tcp.pcapng      Ethernet   stamps past 2^31 seconds
//   crafted-icmp-chain.pcap         raw IP     ICMP errors quoting errors, 2,339 deep (-v recursion depth)
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "craft/craft.hpp"

int main(int argc, char** argv) {
    using namespace synack::craft;
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) fail(dir + ": " + error.message());
    seq_wrap(dir);
    tcp_options(dir);
    ipv4_options(dir);
    ipv6_extensions(dir);
    bad_checksums(dir);
    truncated(dir);
    lengths(dir);
    time_stamps(dir);
    icmp_chain(dir);
    return 0;
}
