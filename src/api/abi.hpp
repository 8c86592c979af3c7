// The numbers of Linux's socket interface on x86-64 (include/uapi/linux/*.h, asm-generic/socket.h, glibc's
// bits/*.h): families, types, levels, options, message flags, poll bits, ioctl and fcntl commands. The socket
// facade takes and returns exactly these, so a script runner passes a script's values through unchanged.
// Named kCamelCase, not AF_INET: those are macros wherever <sys/socket.h> is included.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace synack::api::abi {

// Address families and socket types (socket(2)).
inline constexpr int kAfUnspec = 0;
inline constexpr int kAfInet = 2;
inline constexpr int kAfInet6 = 10;
inline constexpr int kAfMax = 46;             // AF_MAX: families at or above it are EAFNOSUPPORT
inline constexpr int kSockStream = 1;
inline constexpr int kSockDgram = 2;
inline constexpr int kSockRaw = 3;
inline constexpr int kSockSeqpacket = 5;
inline constexpr int kSockMax = 11;           // SOCK_MAX: types at or above it are EINVAL
inline constexpr int kSockTypeMask = 0xf;
inline constexpr int kSockNonblock = 04000;   // = O_NONBLOCK
inline constexpr int kSockCloexec = 02000000; // = O_CLOEXEC

// Protocols and option levels.
inline constexpr int kIpprotoIp = 0;
inline constexpr int kIpprotoTcp = 6;
inline constexpr int kIpprotoUdp = 17;
inline constexpr int kIpprotoIpv6 = 41;
inline constexpr int kSolSocket = 1;
inline constexpr int kSolTcp = kIpprotoTcp;
inline constexpr int kSolIpv6 = kIpprotoIpv6;

// SOL_SOCKET options.
inline constexpr int kSoReuseaddr = 2;
inline constexpr int kSoType = 3;
inline constexpr int kSoError = 4;
inline constexpr int kSoSndbuf = 7;
inline constexpr int kSoRcvbuf = 8;
inline constexpr int kSoKeepalive = 9;
inline constexpr int kSoLinger = 13;
inline constexpr int kSoAcceptconn = 30;
inline constexpr int kSoProtocol = 38;
inline constexpr int kSoDomain = 39;

// IPPROTO_TCP options.
inline constexpr int kTcpNodelay = 1;
inline constexpr int kTcpMaxseg = 2;
inline constexpr int kTcpKeepidle = 4;
inline constexpr int kTcpKeepintvl = 5;
inline constexpr int kTcpKeepcnt = 6;
inline constexpr int kTcpSyncnt = 7;
inline constexpr int kTcpLinger2 = 8;
inline constexpr int kTcpInfo = 11;
inline constexpr int kTcpQuickack = 12;
inline constexpr int kTcpCongestion = 13;
inline constexpr int kTcpUserTimeout = 18;
inline constexpr int kTcpCork = 3;
inline constexpr int kTcpNotsentLowat = 25;

// IPPROTO_IPV6 options.
inline constexpr int kIpv6V6only = 26;

// send(2)/recv(2) flags.
inline constexpr int kMsgOob = 0x1;
inline constexpr int kMsgPeek = 0x2;
inline constexpr int kMsgDontroute = 0x4;
inline constexpr int kMsgTrunc = 0x20;
inline constexpr int kMsgDontwait = 0x40;
inline constexpr int kMsgEor = 0x80;
inline constexpr int kMsgWaitall = 0x100;
inline constexpr int kMsgConfirm = 0x800;
inline constexpr int kMsgErrqueue = 0x2000;
inline constexpr int kMsgNosignal = 0x4000;
inline constexpr int kMsgMore = 0x8000;
inline constexpr int kMsgZerocopy = 0x4000000;
inline constexpr int kMsgFastopen = 0x20000000;

// shutdown(2).
inline constexpr int kShutRd = 0;
inline constexpr int kShutWr = 1;
inline constexpr int kShutRdwr = 2;

// poll(2) bits (asm-generic/poll.h); tcp_poll() sets the ones tcp::poll_bits names.
inline constexpr std::uint32_t kPollIn = 0x0001;
inline constexpr std::uint32_t kPollPri = 0x0002;
inline constexpr std::uint32_t kPollOut = 0x0004;
inline constexpr std::uint32_t kPollErr = 0x0008;
inline constexpr std::uint32_t kPollHup = 0x0010;
inline constexpr std::uint32_t kPollNval = 0x0020;
inline constexpr std::uint32_t kPollRdnorm = 0x0040;
inline constexpr std::uint32_t kPollRdband = 0x0080;
inline constexpr std::uint32_t kPollWrnorm = 0x0100;
inline constexpr std::uint32_t kPollWrband = 0x0200;
inline constexpr std::uint32_t kPollMsg = 0x0400;
inline constexpr std::uint32_t kPollRdhup = 0x2000;

// ioctl(2) requests on sockets.
inline constexpr unsigned long kFionread = 0x541B;   // = SIOCINQ
inline constexpr unsigned long kSiocinq = 0x541B;
inline constexpr unsigned long kSiocoutq = 0x5411;   // = TIOCOUTQ
inline constexpr unsigned long kSiocoutqnsd = 0x894B;
inline constexpr unsigned long kFionbio = 0x5421;

// fcntl(2).
inline constexpr int kFGetfd = 1;
inline constexpr int kFSetfd = 2;
inline constexpr int kFGetfl = 3;
inline constexpr int kFSetfl = 4;
inline constexpr int kFdCloexec = 1;
inline constexpr int kORdwr = 02;
inline constexpr int kOAppend = 02000;
inline constexpr int kONonblock = 04000;
inline constexpr int kOAsync = 020000;
inline constexpr int kODirect = 040000;
inline constexpr int kONoatime = 01000000;
// fs/fcntl.c SETFL_MASK: the status flags F_SETFL may change.
inline constexpr int kSetflMask = kOAppend | kONonblock | kOAsync | kODirect | kONoatime;

// Linux's kernel clock for SO_LINGER (sk_lingertime is kept in jiffies): CONFIG_HZ=250 on the reference kernel.
inline constexpr long kHz = 250;

// The value of a constant by its Linux name ("AF_INET6", "SO_REUSEADDR", "MSG_NOSIGNAL", "POLLRDHUP",
// "FIONREAD", "O_NONBLOCK", …), for a script runner; std::nullopt for a name not listed here.
std::optional<std::int64_t> constant(std::string_view name) noexcept;

// Poll bits as strace prints them: "POLLIN|POLLOUT|POLLRDNORM", "0" when none.
std::string poll_events_text(std::uint32_t events);

}  // namespace synack::api::abi
