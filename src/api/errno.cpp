#include "api/errno.hpp"

namespace synack::api {

namespace {

struct ErrnoText {
    Errno value;
    std::string_view name;
    std::string_view message;  // glibc 2.36 strerror()
};

constexpr ErrnoText kTable[] = {
    {Errno::kOk, "0", "Success"},
    {Errno::kPerm, "EPERM", "Operation not permitted"},
    {Errno::kNoEnt, "ENOENT", "No such file or directory"},
    {Errno::kBadF, "EBADF", "Bad file descriptor"},
    {Errno::kAgain, "EAGAIN", "Resource temporarily unavailable"},
    {Errno::kNoMem, "ENOMEM", "Cannot allocate memory"},
    {Errno::kAcces, "EACCES", "Permission denied"},
    {Errno::kFault, "EFAULT", "Bad address"},
    {Errno::kInval, "EINVAL", "Invalid argument"},
    {Errno::kMFile, "EMFILE", "Too many open files"},
    {Errno::kNotTy, "ENOTTY", "Inappropriate ioctl for device"},
    {Errno::kPipe, "EPIPE", "Broken pipe"},
    {Errno::kNotSock, "ENOTSOCK", "Socket operation on non-socket"},
    {Errno::kDestAddrReq, "EDESTADDRREQ", "Destination address required"},
    {Errno::kProtoType, "EPROTOTYPE", "Protocol wrong type for socket"},
    {Errno::kNoProtoOpt, "ENOPROTOOPT", "Protocol not available"},
    {Errno::kProtoNoSupport, "EPROTONOSUPPORT", "Protocol not supported"},
    {Errno::kSocktNoSupport, "ESOCKTNOSUPPORT", "Socket type not supported"},
    {Errno::kOpNotSupp, "EOPNOTSUPP", "Operation not supported"},
    {Errno::kAfNoSupport, "EAFNOSUPPORT", "Address family not supported by protocol"},
    {Errno::kAddrInUse, "EADDRINUSE", "Address already in use"},
    {Errno::kAddrNotAvail, "EADDRNOTAVAIL", "Cannot assign requested address"},
    {Errno::kNetUnreach, "ENETUNREACH", "Network is unreachable"},
    {Errno::kConnAborted, "ECONNABORTED", "Software caused connection abort"},
    {Errno::kConnReset, "ECONNRESET", "Connection reset by peer"},
    {Errno::kNoBufs, "ENOBUFS", "No buffer space available"},
    {Errno::kIsConn, "EISCONN", "Transport endpoint is already connected"},
    {Errno::kNotConn, "ENOTCONN", "Transport endpoint is not connected"},
    {Errno::kTimedOut, "ETIMEDOUT", "Connection timed out"},
    {Errno::kConnRefused, "ECONNREFUSED", "Connection refused"},
    {Errno::kHostUnreach, "EHOSTUNREACH", "No route to host"},
    {Errno::kAlready, "EALREADY", "Operation already in progress"},
    {Errno::kInProgress, "EINPROGRESS", "Operation now in progress"},
};

const ErrnoText* find(Errno e) noexcept {
    for (const ErrnoText& t : kTable) {
        if (t.value == e) return &t;
    }
    return nullptr;
}

}  // namespace

std::string_view errno_name(Errno e) noexcept {
    const ErrnoText* t = find(e);
    return t != nullptr ? t->name : "E?";
}

std::string_view errno_message(Errno e) noexcept {
    const ErrnoText* t = find(e);
    return t != nullptr ? t->message : "Unknown error";
}

bool errno_from_name(std::string_view name, Errno& out) noexcept {
    if (name == "EWOULDBLOCK") name = "EAGAIN";
    if (name == "ENOTSUP") name = "EOPNOTSUPP";
    for (const ErrnoText& t : kTable) {
        if (t.name == name && t.value != Errno::kOk) {
            out = t.value;
            return true;
        }
    }
    return false;
}

}  // namespace synack::api
