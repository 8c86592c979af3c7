// Error numbers as Linux returns them from socket calls (asm-generic/errno.h values, fixed here so they do not
// depend on the host's <cerrno>). The socket facade hands these to its callers unchanged.
#pragma once

#include <cstdint>
#include <string_view>

namespace synack::tcp {

enum class Errno : std::int32_t {
    kOk = 0,
    kBadF = 9,            // EBADF: no such handle
    kAgain = 11,          // EAGAIN / EWOULDBLOCK: would block
    kNoMem = 12,          // ENOMEM
    kInval = 22,          // EINVAL
    kPipe = 32,           // EPIPE: sending after shutdown(SHUT_WR) or after the peer reset a CLOSE_WAIT socket
    kOpNotSupp = 95,      // EOPNOTSUPP
    kAddrInUse = 98,      // EADDRINUSE
    kAddrNotAvail = 99,   // EADDRNOTAVAIL: no local address/port free for this destination
    kNetUnreach = 101,    // ENETUNREACH: no route
    kConnAborted = 103,   // ECONNABORTED
    kConnReset = 104,     // ECONNRESET
    kNoBufs = 105,        // ENOBUFS
    kIsConn = 106,        // EISCONN
    kNotConn = 107,       // ENOTCONN
    kTimedOut = 110,      // ETIMEDOUT
    kConnRefused = 111,   // ECONNREFUSED
    kHostUnreach = 113,   // EHOSTUNREACH
    kAlready = 114,       // EALREADY
    kInProgress = 115,    // EINPROGRESS
};

constexpr std::string_view to_string(Errno e) noexcept {
    switch (e) {
        case Errno::kOk: return "0";
        case Errno::kBadF: return "EBADF";
        case Errno::kAgain: return "EAGAIN";
        case Errno::kNoMem: return "ENOMEM";
        case Errno::kInval: return "EINVAL";
        case Errno::kPipe: return "EPIPE";
        case Errno::kOpNotSupp: return "EOPNOTSUPP";
        case Errno::kAddrInUse: return "EADDRINUSE";
        case Errno::kAddrNotAvail: return "EADDRNOTAVAIL";
        case Errno::kNetUnreach: return "ENETUNREACH";
        case Errno::kConnAborted: return "ECONNABORTED";
        case Errno::kConnReset: return "ECONNRESET";
        case Errno::kNoBufs: return "ENOBUFS";
        case Errno::kIsConn: return "EISCONN";
        case Errno::kNotConn: return "ENOTCONN";
        case Errno::kTimedOut: return "ETIMEDOUT";
        case Errno::kConnRefused: return "ECONNREFUSED";
        case Errno::kHostUnreach: return "EHOSTUNREACH";
        case Errno::kAlready: return "EALREADY";
        case Errno::kInProgress: return "EINPROGRESS";
    }
    return "E?";
}

}  // namespace synack::tcp
