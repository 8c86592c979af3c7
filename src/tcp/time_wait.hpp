// TIME_WAIT (and an orphan's FIN_WAIT_2) in a 64-byte entry instead of a connection block, as Linux's
// inet_timewait_sock (net/ipv4/tcp_minisocks.c tcp_timewait_state_process(), tcp_time_wait()). The entry keeps
// what the rules below need: the next sequence numbers both ways, the peer's latest timestamp, the window,
// the flow hash; the table that holds it (stack/time_wait_table.hpp) owns the link fields.
//
// Approximations, for the size: ts_recent_stamp is kept in seconds modulo 2^16 (it only ever decides "older
// than 60 s"), last_oow_ack_time in milliseconds modulo 2^16; the timestamp offset is not stored because it is a
// function of the two addresses (IsnGenerator::ts_offset()), which the caller supplies.
#pragma once

#include <cstdint>

#include "tcp/drop_reason.hpp"
#include "tcp/mib.hpp"
#include "tcp/out_segment.hpp"
#include "tcp/segment.hpp"
#include "tcp/sysctl.hpp"
#include "wire/address.hpp"
#include "wire/instant.hpp"

namespace synack::tcp {

class Connection;

inline constexpr std::uint32_t kNoLink = 0xffffffffu;

struct TimeWaitEntry {
    wire::IpAddress remote_address{};
    std::uint16_t local_port = 0;
    std::uint16_t remote_port = 0;
    Seq32 rcv_nxt{};                      // tw_rcv_nxt
    Seq32 snd_nxt{};                      // tw_snd_nxt
    std::uint32_t ts_recent = 0;          // tw_ts_recent
    std::uint32_t txhash = 0;             // tw_txhash: the IPv6 flow label of our ACKs
    std::uint32_t deadline_ms = 0;        // when it expires (stack clock, ms)
    std::uint32_t entry_ms = 0;           // tw_entry_stamp: when it became TIME_WAIT (tcp_tw_reuse_delay)
    std::uint32_t hash_next = kNoLink;    // owned by the table
    std::uint32_t expiry_prev = kNoLink;  // owned by the table
    std::uint32_t expiry_next = kNoLink;  // owned by the table
    std::uint16_t ts_recent_stamp = 0;    // tw_ts_recent_stamp, seconds mod 2^16 (valid when has_ts_recent())
    std::uint16_t last_oow_ack_time = 0;  // ms + 1 mod 2^16; 0: never
    std::uint16_t window = 0;             // the window field our ACKs carry (tw_rcv_wnd >> tw_rcv_wscale)
    std::uint8_t local_address = 0;       // the table's index of the local address
    std::uint8_t flags = 0;

    static constexpr std::uint8_t kWscaleMask = 0x0f;
    static constexpr std::uint8_t kFinWait2 = 0x10;   // substate FIN_WAIT_2: the peer's FIN has not come yet
    static constexpr std::uint8_t kTsRecent = 0x20;   // timestamps in use (tw_ts_recent_stamp != 0)
    static constexpr std::uint8_t kInUse = 0x40;      // for the table's free list

    std::uint8_t rcv_wscale() const noexcept { return flags & kWscaleMask; }
    bool fin_wait2() const noexcept { return (flags & kFinWait2) != 0; }
    bool has_ts_recent() const noexcept { return (flags & kTsRecent) != 0; }
    std::uint32_t rcv_wnd() const noexcept { return std::uint32_t{window} << rcv_wscale(); }
};
static_assert(sizeof(TimeWaitEntry) <= 64, "a time-wait entry must stay within 64 bytes");

// Linux tcp_time_wait(): the entry for a connection handing over (Connection::time_wait_handoff()).
// Addresses, ports' table links and deadline are for the caller to fill.
TimeWaitEntry make_time_wait(const Connection& connection, bool fin_wait2, Instant now) noexcept;

enum class TimeWaitVerdict : std::uint8_t {
    kConsume,   // nothing to send (the entry may have been updated or rescheduled)
    kAck,       // answer with make_time_wait_ack()
    kReset,     // answer with a reset (make_reset()) and delete the entry (TCP_TW_RST)
    kKill,      // delete the entry (an acceptable RST)
    kSyn,       // a new SYN may reuse the 4-tuple: delete the entry and give the SYN to a listener with `isn`
};

struct TimeWaitDecision {
    TimeWaitVerdict verdict = TimeWaitVerdict::kConsume;
    bool reschedule = false;  // restart the 60 s (inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN))
    Seq32 isn{};              // for kSyn: tw_snd_nxt + 65535 + 2 (never 0)
    DropReason drop_reason = DropReason::kNotSpecified;  // when the segment counts as dropped
};

// Linux tcp_timewait_state_process() (RFC 9293 §3.10.7.4 for TIME_WAIT, RFC 1122 §4.2.2.13 for SYN reuse,
// RFC 7323 PAWS). `ts_offset` is the entry's timestamp offset. With kAck the out-of-window rate limit has been
// applied (a limited answer becomes kConsume); `now` updates the entry when a FIN completes FIN_WAIT_2.
TimeWaitDecision time_wait_process(TimeWaitEntry& entry, const Segment& segment, std::uint32_t ts_offset,
                                   Instant now, const TcpSysctls& sysctls, Mib& mib) noexcept;

// Linux tcp_v4_timewait_ack(): <SEQ=tw_snd_nxt><ACK=tw_rcv_nxt><CTL=ACK>, the timestamps when the peer's is
// known, from the control socket.
OutSegment make_time_wait_ack(const TimeWaitEntry& entry, std::uint32_t ts_offset, Instant now) noexcept;

// Linux tcp_twsk_unique(): may an active open take this entry's 4-tuple? Only with timestamps in use; then
// always for a port the application chose (bind()), else with tcp_tw_reuse 1 — or 2 when either address is
// loopback — once the entry is older than tcp_tw_reuse_delay. Never in substate FIN_WAIT_2 (unless bound).
// The new connection starts at time_wait_reuse_isn() and inherits ts_recent (Linux copies it, so its SYN
// echoes it).
bool time_wait_reusable(const TimeWaitEntry& entry, bool loopback, bool port_chosen, Instant now,
                        const TcpSysctls& sysctls) noexcept;
Seq32 time_wait_reuse_isn(const TimeWaitEntry& entry) noexcept;
std::uint32_t time_wait_ts_recent_stamp(const TimeWaitEntry& entry, Instant now) noexcept;  // full seconds

}  // namespace synack::tcp
