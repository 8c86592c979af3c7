// Per-connection settings the socket API changes with setsockopt(); zero means "the stack's sysctl".
// A listener's settings pass to the connections it accepts, as Linux clones them (inet_csk_clone_lock()).
#pragma once

#include <cstdint>

namespace synack::tcp {

// What a setsockopt() does besides storing its value (SocketOptions::option_effects).
namespace option_effect {
inline constexpr std::uint8_t kPush = 1;          // tcp_push_pending_frames(): TCP_NODELAY on, TCP_CORK off
inline constexpr std::uint8_t kNaglePush = 2;     // … with TCP_NAGLE_PUSH (TCP_NODELAY on; uncork with NODELAY)
inline constexpr std::uint8_t kKeepaliveOn = 4;   // tcp_set_keepalive(): the timer from now, keepalive_time
inline constexpr std::uint8_t kKeepaliveOff = 8;  // … or stopped
inline constexpr std::uint8_t kKeepidle = 16;     // tcp_sock_set_keepidle_locked(): the rest of the new idle time
}  // namespace option_effect

struct SocketOptions {
    bool nodelay = false;               // TCP_NODELAY: no Nagle (Linux TCP_NAGLE_OFF)
    bool cork = false;                  // TCP_CORK: hold partial segments (Linux TCP_NAGLE_CORK)
    std::uint32_t notsent_lowat = 0;    // TCP_NOTSENT_LOWAT, bytes; 0: the sysctl tcp_notsent_lowat
    std::uint16_t user_mss = 0;         // TCP_MAXSEG: caps the MSS we announce and use
    std::uint8_t syn_retries = 0;       // TCP_SYNCNT (also the SYN-ACK retries of a listener's requests)
    bool keepalive = false;             // SO_KEEPALIVE
    std::uint32_t keepalive_time = 0;   // TCP_KEEPIDLE, seconds
    std::uint32_t keepalive_intvl = 0;  // TCP_KEEPINTVL, seconds
    std::uint8_t keepalive_probes = 0;  // TCP_KEEPCNT
    std::uint32_t user_timeout_ms = 0;  // TCP_USER_TIMEOUT
    std::int32_t linger2 = 0;           // TCP_LINGER2, seconds: orphaned FIN_WAIT_2 timeout; < 0 resets instead
    std::uint32_t rcvbuf = 0;           // SO_RCVBUF as the kernel stores it (already doubled); 0: tcp_rmem[1]
    std::uint32_t sndbuf = 0;           // SO_SNDBUF as stored (doubled); 0: tcp_wmem[1], grown once established
    // Not an option but recv()'s MSG_PEEK (Linux tcp_recvmsg()'s flags), for the one call the socket facade makes
    // with it: Connection::recv() copies without consuming and clears it. Never inherited (a listener's is false).
    bool peek_next_recv = false;
    // Not options either, set by the socket facade for one call: send()'s MSG_MORE (tcp_push() then pushes with
    // TCP_NAGLE_CORK and leaves the data unmarked by PSH), and the side effects of a setsockopt() that a
    // zero-length Connection::send() then carries out (option_effect bits). Never inherited.
    bool more_next_send = false;
    std::uint8_t option_effects = 0;
};

}  // namespace synack::tcp
