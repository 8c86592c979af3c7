// A passive open before its third ACK: the protocol half of a SYN-cache entry (Linux struct tcp_request_sock,
// net/ipv4/tcp_input.c tcp_conn_request(), net/ipv4/tcp_minisocks.c tcp_check_req()). The stack keeps it with its
// addresses, timer and hash link in a request entry of at most 128 bytes, and turns it into a Connection only
// when the handshake completes.
#pragma once

#include <cstdint>

#include "tcp/drop_reason.hpp"
#include "tcp/mib.hpp"
#include "tcp/out_segment.hpp"
#include "tcp/paws.hpp"
#include "tcp/rate_limit.hpp"
#include "tcp/segment.hpp"
#include "tcp/socket_options.hpp"
#include "tcp/sysctl.hpp"
#include "wire/instant.hpp"

namespace synack::tcp {

struct RequestState {
    Seq32 irs{};                       // the peer's ISN (rcv_isn)
    Seq32 iss{};                       // ours (snt_isn)
    std::uint32_t ts_recent = 0;       // the peer's latest TSval
    std::uint32_t ts_offset = 0;
    std::uint32_t snt_tsval_first = 0; // TSvals of our first and latest SYN-ACK: a valid TSecr lies between
    std::uint32_t snt_tsval_last = 0;
    std::uint32_t last_oow_ack_time = 0;  // tcp_invalid_ratelimit bookkeeping (ms + 1; 0: never)
    std::uint32_t snt_synack_us = 0;   // when the first SYN-ACK left (µs of the stack clock, modulo 2^32)
    std::uint32_t txhash = 0;          // the random flow hash (IPv6 flow label) the connection will keep
    std::uint32_t rcv_wnd = 0;         // the window our SYN-ACK offers (rsk_rcv_wnd)
    std::uint16_t peer_mss = 0;        // the MSS the peer announced, or 536 / 1220 without one
    std::uint16_t advmss = 0;          // ours: route MTU less the IP and TCP headers, capped by TCP_MAXSEG
    std::uint8_t snd_wscale : 4 = 0;
    std::uint8_t rcv_wscale : 4 = 0;
    std::uint8_t num_retrans = 0;      // SYN-ACKs retransmitted
    std::uint8_t num_timeout = 0;      // SYN-ACK timer expiries
    bool wscale_ok : 1 = false;
    bool sack_ok : 1 = false;
    bool tstamp_ok : 1 = false;
    bool acked : 1 = false;            // the third ACK came while the accept queue was full (kept, not reset)
    bool synack_sent : 1 = false;
};

// How a listener makes request entries: its settings and the route's MTU towards the peer.
struct ListenerParams {
    SocketOptions options{};
    std::uint32_t mtu = 1500;
    bool v6 = false;
};

// Linux tcp_conn_request() + tcp_openreq_init() + tcp_openreq_init_rwin(): the request for a SYN.
static_assert(sizeof(RequestState) <= 48, "the protocol half of a request entry");
RequestState open_request(const TcpSysctls& sysctls, const ListenerParams& listener, const Segment& syn, Seq32 iss,
                          std::uint32_t ts_offset, std::uint32_t txhash) noexcept;

// Linux tcp_make_synack() with tcp_synack_options(): the SYN-ACK (first or retransmitted); records its TSval.
OutSegment make_synack(RequestState& request, Instant now) noexcept;

// Linux tcp_v4_reqsk_send_ack(): the ACK a request sends back to an out-of-window segment.
OutSegment make_request_ack(const RequestState& request, Instant now) noexcept;

// What tcp_check_req() decided about a segment that matched a request entry.
enum class RequestVerdict : std::uint8_t {
    kDrop,               // drop it (drop_reason says why; kNotSpecified for a quiet consume)
    kSendAck,            // drop it and answer with make_request_ack()
    kRetransmitSynAck,   // a retransmitted SYN: send the SYN-ACK again (rate-limited) and restart the timer
    kListenerReset,      // an unacceptable ACK: the listener answers with a reset as for no connection
    kEmbryonicReset,     // RST or SYN in window: drop the request; reset the peer unless it sent the RST
    kCreateChild,        // the third ACK: make the connection and let it process this segment
};

struct RequestDecision {
    RequestVerdict verdict = RequestVerdict::kDrop;
    DropReason drop_reason = DropReason::kNotSpecified;
};

// Linux tcp_check_req() (net/ipv4/tcp_minisocks.c), short of creating the child: that is the caller's, which
// must also handle a full accept queue (ListenOverflows) by leaving the request in place with `acked` set.
RequestDecision check_request(RequestState& request, const Segment& segment, Instant now,
                              const TcpSysctls& sysctls, Mib& mib) noexcept;

// The SYN-ACK timer: Linux reqsk_timer_handler()/syn_ack_recalc(). Returns false when the request has used up
// its retries (the listener's TCP_SYNCNT, else tcp_synack_retries) and must be dropped; otherwise counts the
// expiry (the caller resends the SYN-ACK) and returns true. retry_delay() is when the timer fires next,
// TCP_TIMEOUT_INIT << num_timeout (at most 120 s).
bool request_timer_expired(RequestState& request, const ListenerParams& listener, const TcpSysctls& sysctls) noexcept;
Duration request_retry_delay(const RequestState& request) noexcept;

}  // namespace synack::tcp
