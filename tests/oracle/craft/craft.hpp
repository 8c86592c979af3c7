// The helpers behind craft_captures (tests/oracle/craft/main.cpp): addresses, payloads, IPv4/IPv6 packets, TCP
// flows, link-layer frames and capture files, all written with the project's own wire/ builders and device/ writers.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "device/capture_record.hpp"
#include "device/pcap_reader.hpp"
#include "device/pcap_writer.hpp"
#include "device/pcapng_writer.hpp"
#include "wire/address.hpp"
#include "wire/bytes.hpp"
#include "wire/ether_type.hpp"
#include "wire/ethernet.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/linux_sll.hpp"
#include "wire/seq32.hpp"
#include "wire/tcp.hpp"

namespace synack::craft {

using namespace synack::wire;
using Packet = std::vector<std::uint8_t>;

[[noreturn]] void fail(const std::string& what);

Ipv4Address v4(std::string_view text);
Ipv6Address v6(std::string_view text);
Bytes text(std::string_view s);
Packet concat(std::initializer_list<Bytes> parts);
// A payload of n printable bytes ("seq-wrap 0000 …"), so that -A and -X show where segments begin.
Packet filler(std::size_t n, std::string_view tag);

// ---- network layer --------------------------------------------------------------------------------------------

// IPv4 header (as given in `ip`, payload length and protocol filled in) followed by `payload`.
Packet ipv4(Ipv4Builder ip, Bytes payload, std::uint8_t protocol = ip_protocol::kTcp);
// IPv6 header followed by `rest` (extension headers and upper layer); payload length from rest unless given.
Packet ipv6(Ipv6Builder ip, Bytes rest, std::uint8_t next_header, std::optional<std::uint16_t> payload_length = {});

template <typename Builder>
Packet header_bytes(const Builder& b) {
    Packet out(b.size());
    b.write(MutableBytes(out));
    return out;
}

// One TCP/IPv4 flow: builds segments with the addresses, ports and IP fields fixed.
struct Flow4 {
    Ipv4Address client, server;
    std::uint16_t client_port = 0, server_port = 0;
    std::uint16_t next_id = 1000;

    Packet segment(bool from_client, TcpBuilder tcp, Bytes payload = {}, Ipv4Builder ip = {});
};

struct Flow6 {
    Ipv6Address client, server;
    std::uint16_t client_port = 0, server_port = 0;

    Packet segment(bool from_client, TcpBuilder tcp, Bytes payload = {}, Ipv6Builder ip = {});
};

TcpBuilder tcp(std::uint32_t seq, std::uint32_t ack, std::uint16_t flags, std::uint16_t window = 502,
               Bytes options = {});

constexpr std::uint16_t kAck = tcp_flags::kAck;
constexpr std::uint16_t kSyn = tcp_flags::kSyn;
constexpr std::uint16_t kFin = tcp_flags::kFin;
constexpr std::uint16_t kPsh = tcp_flags::kPsh;
constexpr std::uint16_t kRst = tcp_flags::kRst;

// ---- link layer -----------------------------------------------------------------------------------------------

inline const MacAddress kClientMac{{0x00, 0x00, 0x0c, 0x5a, 0x03, 0x01}};
inline const MacAddress kServerMac{{0x02, 0x00, 0x00, 0x5a, 0x03, 0x02}};

std::uint16_t ether_type_of(const Packet& l3);
Packet ethernet(const Packet& l3, bool from_client = true);

struct Tag {
    std::uint16_t tpid = ether_type::kVlan;
    std::uint16_t vlan_id = 10;
    std::uint8_t priority = 0;
    bool drop_eligible = false;
};

// Ethernet with 802.1Q tags, outermost first (each tag's TPID is in the field before it).
Packet tagged(const Packet& l3, std::span<const Tag> tags, bool from_client = true);
Packet sll(const Packet& l3, bool from_client);
Packet sll2(const Packet& l3, bool from_client, std::uint32_t interface_index);

// ---- capture files --------------------------------------------------------------------------------------------

class Capture {
public:
    enum class Format { Pcap, Pcapng };

    Capture(const std::string& path, device::LinkType link_type,
            device::TimestampPrecision precision = device::TimestampPrecision::Micro, Format format = Format::Pcap);
    ~Capture();
    Capture(const Capture&) = delete;
    Capture& operator=(const Capture&) = delete;

    // Writes `frame` whole, `gap_us` after the previous record (negative: time goes backwards).
    void add(const Packet& frame, std::int64_t gap_us = 137) { add_cut(frame, frame.size(), gap_us); }

    // Writes the first `captured` bytes of `frame` (as a snapshot length would), its wire length intact.
    void add_cut(const Packet& frame, std::size_t captured, std::int64_t gap_us = 137);

    // Writes `frame` whole with exactly this time stamp, which may be one a damaged file holds (a fraction of a
    // second or more, negative fields); the clock of add() is left alone.
    void add_at(const Packet& frame, device::CaptureTimestamp timestamp) { write(frame, frame.size(), timestamp); }

private:
    void write(const Packet& frame, std::size_t captured, device::CaptureTimestamp timestamp);

    std::string path_;
    std::optional<device::PcapWriter> pcap_;
    std::optional<device::PcapngWriter> pcapng_;
    std::int64_t time_us_ = 1700000000LL * 1000000 + 250000;  // 2023-11-14 22:13:20.25 UTC
};

// ---- the captures, each writing one or more files into `dir` ---------------------------------------------------

void seq_wrap(const std::string& dir);
void tcp_options(const std::string& dir);
void ipv4_options(const std::string& dir);
void ipv6_extensions(const std::string& dir);
void bad_checksums(const std::string& dir);
void truncated(const std::string& dir);
void lengths(const std::string& dir);
void time_stamps(const std::string& dir);
void icmp_chain(const std::string& dir);

}  // namespace synack::craft
