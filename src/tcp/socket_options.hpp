// Per-connection settings the socket API changes with setsockopt(); zero means "the stack's sysctl".
// A listener's settings pass to the connections it accepts, as Linux clones them (inet_csk_clone_lock()).
#pragma once

#include <cstdint>

namespace synack::tcp {

struct SocketOptions {
    bool nodelay = false;               // TCP_NODELAY: no Nagle
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
};

}  // namespace synack::tcp
