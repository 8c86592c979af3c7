// send, recv, ioctl, fcntl and poll, as Linux answers them for a TCP socket (tcp_sendmsg_locked(),
// tcp_recvmsg_locked(), tcp_ioctl(), fs/fcntl.c, do_pollfd()).
#include <algorithm>

#include "api/socket_entry.hpp"

namespace synack::api {

namespace {

using tcp::State;

// Flags whose meaning synack does not model; Linux acts on them (docs/socket-api.md).
constexpr int kUnsupportedSend = abi::kMsgOob | abi::kMsgZerocopy | abi::kMsgFastopen;
constexpr int kUnsupportedRecv = abi::kMsgTrunc;

}  // namespace

// tcp_sendmsg_locked(): sk_stream_wait_connect() (the pending error, EAGAIN while connecting, EPIPE when not
// connected), then sk_stream_error() — EPIPE raises SIGPIPE unless MSG_NOSIGNAL; synack counts it instead.
SysResult SocketApi::send(int fd, wire::Bytes data, int flags, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if ((flags & kUnsupportedSend) != 0) return SysResult::failure(Errno::kOpNotSupp);
    Errno err = Errno::kPipe;
    std::size_t sent = 0;
    if (tcp::Connection* c = connection(*e); c != nullptr && !e->listening()) {
        c->options().more_next_send = (flags & abi::kMsgMore) != 0;  // tcp_push() with MSG_MORE
        auto r = stack_.send(e->connection, data, now);
        if (r) {
            sent = *r;
            err = Errno::kOk;
        } else {
            err = from_tcp(r.error());
        }
    } else if (!e->listening() && e->error != Errno::kOk) {
        err = e->error;
        e->error = Errno::kOk;
    }
    if (err == Errno::kOk) return finish(SysResult::success(static_cast<std::int64_t>(sent)));
    if (err == Errno::kPipe && (flags & abi::kMsgNosignal) == 0) ++sigpipes_;
    return finish(SysResult::failure(err));
}

// tcp_recvmsg_locked(): ENOTCONN on a listener; on a socket without a connection the pending error, 0 after
// SHUT_RD, else ENOTCONN; on a connection its data (MSG_PEEK leaves it queued), 0 at the end of the stream,
// EAGAIN when nothing is there yet. MSG_OOB is EINVAL (no urgent data is ever kept); MSG_ERRQUEUE EAGAIN (the
// error queue is always empty). MSG_DONTWAIT and MSG_WAITALL change nothing on a non-blocking socket.
SysResult SocketApi::recv(int fd, wire::MutableBytes buffer, int flags, Instant now) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if ((flags & abi::kMsgErrqueue) != 0) return SysResult::failure(Errno::kAgain);
    if ((flags & kUnsupportedRecv) != 0) return SysResult::failure(Errno::kOpNotSupp);
    if (e->listening()) return SysResult::failure(Errno::kNotConn);
    if ((flags & abi::kMsgOob) != 0) return SysResult::failure(Errno::kInval);
    tcp::Connection* c = connection(*e);
    if (c == nullptr) {
        if (e->error != Errno::kOk) {
            const Errno err = e->error;
            e->error = Errno::kOk;
            return finish(SysResult::failure(err));
        }
        if ((e->shutdown & kRcvShutdown) != 0) return SysResult::success(0);
        return SysResult::failure(Errno::kNotConn);
    }
    if ((flags & abi::kMsgPeek) != 0) c->options().peek_next_recv = true;
    auto r = stack_.recv(e->connection, buffer, now);
    if (tcp::Connection* still = connection(*e)) still->options().peek_next_recv = false;
    if (!r) return finish(SysResult::failure(from_tcp(r.error())));
    return finish(SysResult::success(static_cast<std::int64_t>(*r)));
}

// tcp_ioctl(): SIOCINQ (bytes ready to read, the FIN not counted), SIOCOUTQ (bytes not yet acknowledged) and
// SIOCOUTQNSD (bytes not yet sent) — EINVAL on a listener, 0 while connecting; FIONBIO sets O_NONBLOCK
// (fs/ioctl.c). Anything else: ENOTTY.
SysResult SocketApi::ioctl(int fd, unsigned long request, int& value) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    if (request == abi::kFionbio) {
        if (value != 0) {
            e->status_flags |= abi::kONonblock;
        } else {
            e->status_flags &= ~abi::kONonblock;
        }
        return SysResult::success();
    }
    if (request != abi::kSiocinq && request != abi::kSiocoutq && request != abi::kSiocoutqnsd) {
        return SysResult::failure(Errno::kNotTy);
    }
    if (e->listening()) return SysResult::failure(Errno::kInval);
    const tcp::Connection* c = connection(*e);
    if (c == nullptr || c->state() == State::kSynSent || c->state() == State::kSynReceived) {
        value = 0;
        return SysResult::success();
    }
    if (request == abi::kSiocinq) {
        value = static_cast<int>(c->readable_bytes());
    } else if (request == abi::kSiocoutq) {
        value = static_cast<int>(c->write_seq().distance_from(c->snd_una()));
    } else {
        value = static_cast<int>(c->write_seq().distance_from(c->snd_nxt()));
    }
    return SysResult::success();
}

// fs/fcntl.c: F_GETFL (O_RDWR and the status flags), F_SETFL (SETFL_MASK; O_DIRECT is EINVAL on a socket),
// F_GETFD/F_SETFD (FD_CLOEXEC). Other commands: EINVAL.
SysResult SocketApi::fcntl(int fd, int command, long argument) {
    Entry* e = entry(fd);
    if (e == nullptr) return SysResult::failure(Errno::kBadF);
    const int arg = static_cast<int>(argument);
    switch (command) {
        case abi::kFGetfl:
            return SysResult::success(e->status_flags);
        case abi::kFSetfl:
            if ((arg & abi::kODirect) != 0) return SysResult::failure(Errno::kInval);
            e->status_flags = (e->status_flags & ~abi::kSetflMask) | (arg & abi::kSetflMask);
            return SysResult::success();
        case abi::kFGetfd:
            return SysResult::success(e->cloexec ? abi::kFdCloexec : 0);
        case abi::kFSetfd:
            e->cloexec = (arg & abi::kFdCloexec) != 0;
            return SysResult::success();
        default:
            return SysResult::failure(Errno::kInval);
    }
}

// do_pollfd(): a negative fd is skipped, a closed one gets POLLNVAL, the others tcp_poll()'s mask filtered by
// the events asked for plus POLLERR and POLLHUP (always reported).
SysResult SocketApi::poll(std::span<PollFd> fds) const {
    std::int64_t ready = 0;
    for (PollFd& p : fds) {
        p.revents = 0;
        if (p.fd < 0) continue;
        const Entry* e = entry(p.fd);
        std::uint32_t mask = abi::kPollNval;
        if (e != nullptr) {
            const std::uint32_t filter = static_cast<std::uint16_t>(p.events) | abi::kPollErr | abi::kPollHup;
            mask = poll_mask(*e) & filter;
        }
        p.revents = static_cast<std::int16_t>(mask);
        if (mask != 0) ++ready;
    }
    return SysResult::success(ready);
}

std::uint32_t SocketApi::readiness(int fd) const {
    const Entry* e = entry(fd);
    return e == nullptr ? abi::kPollNval : poll_mask(*e);
}

}  // namespace synack::api
