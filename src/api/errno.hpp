// The error numbers socket calls return, with Linux's values (asm-generic/errno-base.h, asm-generic/errno.h)
// and glibc's messages, so a script runner can print `= -1 EINPROGRESS (Operation now in progress)` as strace
// does. A superset of tcp::Errno: the stack's errors pass through unchanged.
#pragma once

#include <cstdint>
#include <string_view>

#include "tcp/errno.hpp"

namespace synack::api {

enum class Errno : std::int32_t {
    kOk = 0,
    kPerm = 1,              // EPERM
    kNoEnt = 2,             // ENOENT: TCP_CONGESTION names an algorithm that is not there
    kBadF = 9,              // EBADF
    kAgain = 11,            // EAGAIN (EWOULDBLOCK)
    kNoMem = 12,            // ENOMEM
    kAcces = 13,            // EACCES
    kFault = 14,            // EFAULT
    kInval = 22,            // EINVAL
    kMFile = 24,            // EMFILE
    kNotTy = 25,            // ENOTTY
    kPipe = 32,             // EPIPE
    kNotSock = 88,          // ENOTSOCK
    kDestAddrReq = 89,      // EDESTADDRREQ
    kProtoType = 91,        // EPROTOTYPE
    kNoProtoOpt = 92,       // ENOPROTOOPT
    kProtoNoSupport = 93,   // EPROTONOSUPPORT
    kSocktNoSupport = 94,   // ESOCKTNOSUPPORT
    kOpNotSupp = 95,        // EOPNOTSUPP (ENOTSUP)
    kAfNoSupport = 97,      // EAFNOSUPPORT
    kAddrInUse = 98,        // EADDRINUSE
    kAddrNotAvail = 99,     // EADDRNOTAVAIL
    kNetUnreach = 101,      // ENETUNREACH
    kConnAborted = 103,     // ECONNABORTED
    kConnReset = 104,       // ECONNRESET
    kNoBufs = 105,          // ENOBUFS
    kIsConn = 106,          // EISCONN
    kNotConn = 107,         // ENOTCONN
    kTimedOut = 110,        // ETIMEDOUT
    kConnRefused = 111,     // ECONNREFUSED
    kHostUnreach = 113,     // EHOSTUNREACH
    kAlready = 114,         // EALREADY
    kInProgress = 115,      // EINPROGRESS
};

// tcp::Errno holds Linux's numbers too.
constexpr Errno from_tcp(tcp::Errno e) noexcept { return static_cast<Errno>(static_cast<std::int32_t>(e)); }

// "EINPROGRESS"; "0" for kOk; "E?" for a number not listed above.
std::string_view errno_name(Errno e) noexcept;
// glibc's strerror() text: "Operation now in progress".
std::string_view errno_message(Errno e) noexcept;
// The value for a name ("EWOULDBLOCK" and "ENOTSUP" are the aliases Linux defines), for a script runner.
bool errno_from_name(std::string_view name, Errno& out) noexcept;

}  // namespace synack::api
