// The running Linux kernel as the system under test (`synack drill --stack=linux`): each script gets a fresh
// network namespace, synack-drill-<pid>, holding a TUN device, synack-d<pid>, with local_ip, the MTU and one route,
// to remote_ip through gateway_ip. Injected packets are written to the TUN, the packets the kernel sends are read
// from it, and system calls are made on real kernel sockets by a thread inside the namespace. The namespace's
// settings are first put back to Linux's compiled-in defaults where the host's values leak into a new namespace
// (docs/linux-defaults.md). Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and /dev/net/tun.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "device/tun.hpp"
#include "tools/drill/backend.hpp"
#include "tools/drill/linux_calls.hpp"
#include "tools/drill/linux_netns.hpp"
#include "tools/drill/linux_syscall_thread.hpp"

namespace synack::drill {

class LinuxBackend final : public Backend {
public:
    LinuxBackend();
    ~LinuxBackend() override;
    LinuxBackend(const LinuxBackend&) = delete;
    LinuxBackend& operator=(const LinuxBackend&) = delete;

    // "linux " + uname -r.
    std::string description() const override;
    // Errors (the runner reports the script skipped): "needs root (CAP_NET_ADMIN)", "no /dev/net/tun", or the
    // step that failed. The calling thread stays inside the namespace until finish(), which (like the destructor)
    // must run on the same thread to bring it back. Namespaces of killed processes (synack-drill-<pid> with no
    // such process) are deleted first.
    Result<void, std::string> start(const NetworkSettings& network) override;
    void finish() override;
    // Writes /proc/sys/<name with '.' → '/'> inside the namespace. Only net.* names (the per-namespace ones):
    // kUnsupported for others and for a file the kernel does not have, kInvalid when the kernel refuses the value.
    SettingOutcome set_sysctl(std::string_view name, std::string_view value) override;
    Usecs now() override;
    Result<void, std::string> inject(wire::Bytes packet) override;
    // Runs on the system-call thread; the call is reported blocked once that thread sleeps in the kernel, or at
    // the latest after kBlockedAfter. The runner never makes a call while another is blocked.
    std::optional<CallOutcome> call(const Call& call) override;
    // Packets the kernel sends to remote_ip, in the order read, timed when read; others (MLD reports, router
    // solicitations, anything not for remote_ip) are dropped.
    Happening wait(Usecs deadline) override;
    std::optional<tcp::TcpInfo> tcp_info(int fd) override;

    static std::string namespace_name();  // "synack-drill-<pid>"
    static std::string tun_name();        // "synack-d<pid>" (IFNAMSIZ allows 15 characters)

    static constexpr std::chrono::milliseconds kBlockedAfter{20};

private:
    Result<void, std::string> configure_interface();
    Result<void, std::string> apply_linux_defaults();
    bool for_remote(wire::Bytes packet) const noexcept;

    NetworkSettings network_;
    std::optional<NetNamespace> namespace_;
    std::optional<NamespaceVisit> visit_;  // the calling thread's stay in the namespace
    std::optional<device::TunDevice> tun_;
    std::unique_ptr<SyscallThread> syscalls_;
    FdTable fds_;
    std::string socket_congestion_;  // a congestion control the namespace's sysctl refused, set on each socket
    std::int64_t start_usecs_ = 0;  // CLOCK_MONOTONIC at start()
    std::vector<std::uint8_t> buffer_;
};

}  // namespace synack::drill
