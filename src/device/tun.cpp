#include "device/tun.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace synack::device {

namespace {

std::string errno_text(int error) {
    switch (error) {
    case EPERM:
    case EACCES:
        return "needs root (CAP_NET_ADMIN)";
    default:
        return std::strerror(error);
    }
}

}  // namespace

Result<TunDevice, std::string> TunDevice::open(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameLength) {
        return Err{"TUN device name \"" + std::string(name) + "\" must have 1 to 15 characters"};
    }
    int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        if (error == ENOENT || error == ENODEV || error == ENXIO) {
            return Err{std::string("no /dev/net/tun (the tun driver is missing)")};
        }
        return Err{"cannot open /dev/net/tun: " + errno_text(error)};
    }
    ifreq request{};
    std::memcpy(request.ifr_name, name.data(), name.size());
    request.ifr_flags = IFF_TUN | IFF_NO_PI;  // bare IP packets, no struct tun_pi, no virtio_net_hdr
    if (::ioctl(fd, TUNSETIFF, &request) != 0) {
        int error = errno;
        ::close(fd);
        return Err{"cannot create TUN device " + std::string(name) + ": " + errno_text(error)};
    }
    return TunDevice(fd, std::string(request.ifr_name));
}

TunDevice::TunDevice(TunDevice&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), name_(std::move(other.name_)) {}

TunDevice& TunDevice::operator=(TunDevice&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
        name_ = std::move(other.name_);
    }
    return *this;
}

TunDevice::~TunDevice() { close(); }

void TunDevice::close() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

Result<std::size_t, std::string> TunDevice::read(wire::MutableBytes buffer) {
    for (;;) {
        ssize_t n = ::read(fd_, buffer.data(), buffer.size());
        if (n >= 0) {
            return static_cast<std::size_t>(n);
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN) {
            return std::size_t{0};
        }
        return Err{"read from TUN device " + name_ + ": " + errno_text(errno)};
    }
}

Result<void, std::string> TunDevice::write(wire::Bytes packet) {
    for (;;) {
        ssize_t n = ::write(fd_, packet.data(), packet.size());
        if (n >= 0) {
            if (static_cast<std::size_t>(n) != packet.size()) {
                return Err{"write to TUN device " + name_ + ": short write"};
            }
            return {};
        }
        if (errno == EINTR) {
            continue;
        }
        return Err{"write to TUN device " + name_ + ": " + errno_text(errno)};
    }
}

}  // namespace synack::device
