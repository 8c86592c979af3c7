// A system call of a script after the runner evaluated its arguments: concrete numbers, addresses and option
// bytes, the same for every backend. The numbers are Linux's (api/abi.hpp), so the linux backend passes them to
// the kernel unchanged and the synack backend to api::SocketApi.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/socket_api.hpp"
#include "api/sockaddr.hpp"

namespace synack::drill {

enum class CallOp : std::uint8_t {
    kSocket,      // domain, type, protocol
    kBind,        // fd, address
    kListen,      // fd, backlog
    kAccept,      // fd (accept4 flags in `flags`)
    kConnect,     // fd, address
    kRead,        // fd, lengths[0]                    read(2)
    kRecv,        // fd, lengths[0], flags             recv(2) and recvfrom(2) (the address is not asked for)
    kReadv,       // fd, lengths (one per iovec)
    kWrite,       // fd, lengths[0]                    write(2)
    kSend,        // fd, lengths[0], flags             send(2)
    kSendto,      // fd, lengths[0], flags, address (none: NULL)
    kWritev,      // fd, lengths (one per iovec)
    kClose,       // fd
    kShutdown,    // fd, how
    kSetsockopt,  // fd, level, option, option_value (its size is the optlen)
    kGetsockopt,  // fd, level, option, option_length (the optlen passed in)
    kFcntl,       // fd, command, argument
    kPoll,        // poll_fds, timeout_ms
    kIoctl,       // fd, request, ioctl_value (FIONBIO's argument)
};

struct Call {
    CallOp op = CallOp::kSocket;
    std::string name;  // as the script wrote it ("recvfrom", "sendto", ...), for messages
    int fd = -1;
    // socket()
    int domain = 0;
    int type = 0;
    int protocol = 0;
    int backlog = 0;   // listen()
    int how = 0;       // shutdown()
    int flags = 0;     // send/recv flags, accept4 flags
    // setsockopt()/getsockopt()
    int level = 0;
    int option = 0;
    std::vector<std::uint8_t> option_value;
    int option_length = 0;
    // fcntl()
    int command = 0;
    long argument = 0;
    // ioctl()
    unsigned long request = 0;
    int ioctl_value = 0;
    // bind(), connect(), sendto()
    std::optional<api::SockAddr> address;
    // read/write family: bytes asked for, one entry per buffer (readv/writev: per iovec). Written bytes are zeros.
    std::vector<std::size_t> lengths;
    // poll()
    std::vector<api::PollFd> poll_fds;
    int timeout_ms = 0;
};

// What the call returned.
struct CallOutcome {
    std::int64_t ret = 0;
    int error = 0;  // Linux's errno number when ret is -1, else 0
    std::vector<std::uint8_t> option_value;  // getsockopt(): the bytes written (option_length of them)
    int option_length = 0;
    std::vector<api::PollFd> poll_fds;       // poll(): with revents
    int ioctl_value = 0;                     // ioctl(): the int written back (SIOCINQ, SIOCOUTQ, ...)
};

}  // namespace synack::drill
