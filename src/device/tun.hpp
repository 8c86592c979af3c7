// A TUN device (Linux's tun driver, Documentation/networking/tuntap.rst): the kernel's IP layer on one side, this
// process on the other. Each read() takes one IP packet the kernel sent through the interface, each write() hands
// it one IP packet as if received on the interface. IFF_TUN | IFF_NO_PI: bare IPv4/IPv6 packets, no packet-info
// prefix and no virtio header. The descriptor is non-blocking; poll fd() for POLLIN.
//
// The device lives in the network namespace of the thread that opens it and disappears when it is closed (it is
// not made persistent). Addresses, MTU, state and routes are configured from outside (ip(8) or rtnetlink).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "wire/bytes.hpp"
#include "wire/result.hpp"

namespace synack::device {

class TunDevice {
public:
    // IFNAMSIZ - 1: the longest interface name the kernel takes.
    static constexpr std::size_t kMaxNameLength = 15;

    // Creates the interface `name` (or attaches to it if it already exists and is a TUN device). Errors are one
    // line: "needs root (CAP_NET_ADMIN)" for EPERM, "no /dev/net/tun" when the driver's node is missing, ...
    static Result<TunDevice, std::string> open(std::string_view name);

    TunDevice(TunDevice&& other) noexcept;
    TunDevice& operator=(TunDevice&& other) noexcept;
    TunDevice(const TunDevice&) = delete;
    TunDevice& operator=(const TunDevice&) = delete;
    ~TunDevice();

    int fd() const noexcept { return fd_; }
    const std::string& name() const noexcept { return name_; }
    bool is_open() const noexcept { return fd_ >= 0; }

    // Reads one packet into `buffer` and returns its size; 0 when no packet is waiting. A packet longer than
    // the buffer is cut to it (the driver copies what fits), so give MTU bytes or more.
    Result<std::size_t, std::string> read(wire::MutableBytes buffer);
    // Writes one whole IPv4 or IPv6 packet (the driver takes the version from its first nibble).
    Result<void, std::string> write(wire::Bytes packet);

    // Closes the descriptor, which removes the interface. Also done by the destructor.
    void close() noexcept;

private:
    TunDevice(int fd, std::string name) noexcept : fd_(fd), name_(std::move(name)) {}

    int fd_ = -1;
    std::string name_;
};

}  // namespace synack::device
