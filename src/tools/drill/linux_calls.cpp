#include "tools/drill/linux_calls.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace synack::drill {

// ---- FdTable ----

int FdTable::to_kernel(int script_fd) const {
    if (script_fd < 0) {
        return script_fd;
    }
    std::lock_guard lock(mutex_);
    auto it = kernel_of_script_.find(script_fd);
    return it == kernel_of_script_.end() ? kNoDescriptor : it->second;
}

int FdTable::add(int kernel_fd) {
    std::lock_guard lock(mutex_);
    int script_fd = kFirstScriptFd;
    for (const auto& [used, kernel] : kernel_of_script_) {  // ordered: the first gap is the lowest free number
        (void)kernel;
        if (used > script_fd) {
            break;
        }
        if (used == script_fd) {
            ++script_fd;
        }
    }
    kernel_of_script_[script_fd] = kernel_fd;
    return script_fd;
}

void FdTable::remove(int script_fd) {
    std::lock_guard lock(mutex_);
    kernel_of_script_.erase(script_fd);
}

std::vector<int> FdTable::take_all() {
    std::lock_guard lock(mutex_);
    std::vector<int> kernel;
    for (const auto& [script, fd] : kernel_of_script_) {
        (void)script;
        kernel.push_back(fd);
    }
    kernel_of_script_.clear();
    return kernel;
}

std::vector<int> FdTable::kernel_fds() const {
    std::lock_guard lock(mutex_);
    std::vector<int> kernel;
    for (const auto& [script, fd] : kernel_of_script_) {
        (void)script;
        kernel.push_back(fd);
    }
    return kernel;
}

// ---- The calls ----

namespace {

// struct sockaddr_in or sockaddr_in6 from the runner's address.
struct KernelAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;

    const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
};

// The socket's own family, for an AF_UNSPEC address (connect()'s "disconnect" needs a plausible length).
int socket_domain(int kernel_fd) {
    int domain = AF_INET;
    socklen_t length = sizeof domain;
    if (::getsockopt(kernel_fd, SOL_SOCKET, SO_DOMAIN, &domain, &length) != 0) {
        return AF_INET;
    }
    return domain;
}

KernelAddress kernel_address(const api::SockAddr& address, int kernel_fd) {
    KernelAddress out;
    if (address.family == AF_INET) {
        sockaddr_in in{};
        in.sin_family = AF_INET;
        in.sin_port = htons(address.port);
        address.address.v4().write(reinterpret_cast<std::uint8_t*>(&in.sin_addr));
        std::memcpy(&out.storage, &in, sizeof in);
        out.length = sizeof in;
    } else if (address.family == AF_INET6) {
        sockaddr_in6 in6{};
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons(address.port);
        in6.sin6_flowinfo = htonl(address.flowinfo);
        std::memcpy(&in6.sin6_addr, address.address.octets.data(), 16);  // IPv4 held as ::ffff:a.b.c.d
        in6.sin6_scope_id = address.scope_id;
        std::memcpy(&out.storage, &in6, sizeof in6);
        out.length = sizeof in6;
    } else {
        // AF_UNSPEC (or a family the script made up): zeros with that family, as long as the socket's own address.
        out.storage.ss_family = static_cast<sa_family_t>(address.family);
        out.length = socket_domain(kernel_fd) == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    }
    return out;
}

CallOutcome from_return(std::int64_t ret) {
    CallOutcome outcome;
    outcome.ret = ret;
    outcome.error = ret < 0 ? errno : 0;
    if (ret < 0) {
        outcome.ret = -1;
    }
    return outcome;
}

std::size_t first_length(const Call& call) { return call.lengths.empty() ? 0 : call.lengths[0]; }

// Buffers for readv/writev, one per length.
struct IoVectors {
    std::vector<std::vector<std::uint8_t>> buffers;
    std::vector<iovec> vectors;

    explicit IoVectors(const std::vector<std::size_t>& lengths) {
        buffers.reserve(lengths.size());
        for (std::size_t length : lengths) {
            buffers.emplace_back(length, std::uint8_t{0});
        }
        for (auto& buffer : buffers) {
            vectors.push_back(iovec{buffer.data(), buffer.size()});
        }
    }
    int count() const noexcept { return static_cast<int>(vectors.size()); }
};

CallOutcome poll_call(const Call& call, FdTable& fds) {
    std::vector<pollfd> kernel(call.poll_fds.size());
    for (std::size_t i = 0; i < kernel.size(); ++i) {
        kernel[i].fd = fds.to_kernel(call.poll_fds[i].fd);
        kernel[i].events = call.poll_fds[i].events;
    }
    CallOutcome outcome = from_return(::poll(kernel.data(), kernel.size(), call.timeout_ms));
    outcome.poll_fds = call.poll_fds;
    for (std::size_t i = 0; i < kernel.size(); ++i) {
        outcome.poll_fds[i].revents = kernel[i].revents;
    }
    return outcome;
}

}  // namespace

CallOutcome perform_call(const Call& call, FdTable& fds) {
    const int fd = call.op == CallOp::kSocket || call.op == CallOp::kPoll ? -1 : fds.to_kernel(call.fd);
    switch (call.op) {
    case CallOp::kSocket: {
        CallOutcome outcome = from_return(::socket(call.domain, call.type, call.protocol));
        if (outcome.ret >= 0) {
            outcome.ret = fds.add(static_cast<int>(outcome.ret));
        }
        return outcome;
    }
    case CallOp::kBind: {
        KernelAddress address = call.address ? kernel_address(*call.address, fd) : KernelAddress{};
        return from_return(::bind(fd, call.address ? address.get() : nullptr, address.length));
    }
    case CallOp::kListen:
        return from_return(::listen(fd, call.backlog));
    case CallOp::kAccept: {
        CallOutcome outcome = from_return(::accept4(fd, nullptr, nullptr, call.flags));
        if (outcome.ret >= 0) {
            outcome.ret = fds.add(static_cast<int>(outcome.ret));
        }
        return outcome;
    }
    case CallOp::kConnect: {
        KernelAddress address = call.address ? kernel_address(*call.address, fd) : KernelAddress{};
        return from_return(::connect(fd, call.address ? address.get() : nullptr, address.length));
    }
    case CallOp::kRead: {
        std::vector<std::uint8_t> buffer(first_length(call));
        return from_return(::read(fd, buffer.data(), buffer.size()));
    }
    case CallOp::kRecv: {
        std::vector<std::uint8_t> buffer(first_length(call));
        return from_return(::recv(fd, buffer.data(), buffer.size(), call.flags));
    }
    case CallOp::kReadv: {
        IoVectors io(call.lengths);
        return from_return(::readv(fd, io.vectors.data(), io.count()));
    }
    case CallOp::kWrite: {
        std::vector<std::uint8_t> zeros(first_length(call));
        return from_return(::write(fd, zeros.data(), zeros.size()));
    }
    case CallOp::kSend: {
        std::vector<std::uint8_t> zeros(first_length(call));
        return from_return(::send(fd, zeros.data(), zeros.size(), call.flags));
    }
    case CallOp::kSendto: {
        std::vector<std::uint8_t> zeros(first_length(call));
        KernelAddress address = call.address ? kernel_address(*call.address, fd) : KernelAddress{};
        return from_return(::sendto(fd, zeros.data(), zeros.size(), call.flags,
                                    call.address ? address.get() : nullptr, address.length));
    }
    case CallOp::kWritev: {
        IoVectors io(call.lengths);
        return from_return(::writev(fd, io.vectors.data(), io.count()));
    }
    case CallOp::kClose: {
        CallOutcome outcome = from_return(::close(fd));
        // Linux releases the descriptor whatever close() answers, EBADF aside.
        if (outcome.error != EBADF) {
            fds.remove(call.fd);
        }
        return outcome;
    }
    case CallOp::kShutdown:
        return from_return(::shutdown(fd, call.how));
    case CallOp::kSetsockopt:
        return from_return(::setsockopt(fd, call.level, call.option, call.option_value.data(),
                                        static_cast<socklen_t>(call.option_value.size())));
    case CallOp::kGetsockopt: {
        std::vector<std::uint8_t> value(static_cast<std::size_t>(call.option_length > 0 ? call.option_length : 0));
        socklen_t length = static_cast<socklen_t>(call.option_length);
        CallOutcome outcome = from_return(::getsockopt(fd, call.level, call.option, value.data(), &length));
        if (outcome.ret == 0) {
            value.resize(std::min<std::size_t>(value.size(), length));
            outcome.option_value = std::move(value);
            outcome.option_length = static_cast<int>(length);
        }
        return outcome;
    }
    case CallOp::kFcntl:
        return from_return(::fcntl(fd, call.command, call.argument));
    case CallOp::kPoll:
        return poll_call(call, fds);
    case CallOp::kIoctl: {
        int value = call.ioctl_value;
        CallOutcome outcome = from_return(::ioctl(fd, call.request, &value));
        outcome.ioctl_value = value;
        return outcome;
    }
    }
    CallOutcome unknown;
    unknown.ret = -1;
    unknown.error = ENOSYS;
    return unknown;
}

}  // namespace synack::drill
