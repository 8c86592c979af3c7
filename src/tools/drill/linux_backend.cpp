#include "tools/drill/linux_backend.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <type_traits>

#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"

namespace synack::drill {

namespace {

// Linux's compiled-in values of the settings synack mirrors (docs/linux-defaults.md). A new namespace copies
// some from the host (tcp_rmem's 32 MiB maximum here): each one that differs is set. Congestion control is left
// as the namespace has it: scripts choose it. net.core.{r,w}mem_{max,default} are not here: a namespace other
// than the host's sees them read-only (mode 0444), so the host's values hold there.
struct Default {
    const char* name;
    const char* value;
};
constexpr Default kLinuxDefaults[] = {
    {"net.ipv4.tcp_rmem", "4096 131072 6291456"},
    {"net.ipv4.tcp_wmem", "4096 16384 4194304"},
    {"net.core.somaxconn", "4096"},
    {"net.ipv4.tcp_syn_retries", "6"},
    {"net.ipv4.tcp_syn_linear_timeouts", "4"},
    {"net.ipv4.tcp_synack_retries", "5"},
    {"net.ipv4.tcp_timestamps", "1"},
    {"net.ipv4.tcp_window_scaling", "1"},
    {"net.ipv4.tcp_sack", "1"},
    {"net.ipv4.tcp_ecn", "2"},
    {"net.ipv4.tcp_min_snd_mss", "48"},
    {"net.ipv4.tcp_syncookies", "1"},
    {"net.ipv4.tcp_max_syn_backlog", "2048"},
    {"net.ipv4.tcp_abort_on_overflow", "0"},
    {"net.ipv4.tcp_app_win", "31"},
    {"net.ipv4.tcp_workaround_signed_windows", "0"},
    {"net.ipv4.tcp_shrink_window", "0"},
    {"net.ipv4.tcp_rto_min_us", "200000"},
    {"net.ipv4.tcp_rto_max_ms", "120000"},
    {"net.ipv4.tcp_retries1", "3"},
    {"net.ipv4.tcp_retries2", "15"},
    {"net.ipv4.tcp_orphan_retries", "0"},
    {"net.ipv4.tcp_fin_timeout", "60"},
    {"net.ipv4.tcp_max_tw_buckets", "131072"},
    {"net.ipv4.tcp_tw_reuse", "2"},
    {"net.ipv4.tcp_tw_reuse_delay", "1000"},
    {"net.ipv4.tcp_rfc1337", "0"},
    {"net.ipv4.tcp_invalid_ratelimit", "500"},
    {"net.ipv4.tcp_challenge_ack_limit", "2147483647"},
    {"net.ipv4.tcp_pingpong_thresh", "1"},
    {"net.ipv4.tcp_keepalive_time", "7200"},
    {"net.ipv4.tcp_keepalive_intvl", "75"},
    {"net.ipv4.tcp_keepalive_probes", "9"},
    {"net.ipv4.ip_local_port_range", "32768 60999"},
    {"net.ipv4.ip_default_ttl", "64"},
    {"net.ipv4.ip_no_pmtu_disc", "0"},
    {"net.ipv6.conf.all.hop_limit", "64"},
    {"net.ipv6.auto_flowlabels", "1"},
    {"net.ipv6.flowlabel_state_ranges", "0"},
};

// "4096\t131072\t6291456\n" and "4096 131072 6291456" compare equal.
std::string collapse_spaces(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n') {
            space = !out.empty();
        } else {
            if (space) {
                out += ' ';
            }
            space = false;
            out += c;
        }
    }
    return out;
}

std::optional<std::string> sysctl_path(std::string_view name) {
    if (name.size() < 4 || (name.substr(0, 4) != "net." && name.substr(0, 4) != "net/")) {
        return std::nullopt;
    }
    std::string path = "/proc/sys/";
    for (char c : name) {
        bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                       c == '-' || c == '.' || c == '/';
        if (!allowed) {
            return std::nullopt;
        }
        path += c == '.' ? '/' : c;
    }
    if (path.find("//") != std::string::npos) {
        return std::nullopt;
    }
    return path;
}

std::optional<std::string> read_text_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    std::string text;
    char buffer[256];
    ssize_t n = 0;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

std::string address_with_prefix(const wire::IpAddress& address, unsigned prefix) {
    return address.to_string() + "/" + std::to_string(prefix);
}

}  // namespace

LinuxBackend::LinuxBackend() : buffer_(65536) {}

LinuxBackend::~LinuxBackend() { finish(); }

std::string LinuxBackend::namespace_name() { return "synack-drill-" + std::to_string(::getpid()); }

std::string LinuxBackend::tun_name() { return "synack-d" + std::to_string(::getpid()); }

std::string LinuxBackend::description() const {
    utsname names{};
    if (::uname(&names) != 0) {
        return "linux";
    }
    return std::string("linux ") + names.release;
}

Result<void, std::string> LinuxBackend::start(const NetworkSettings& network) {
    socket_congestion_.clear();
    finish();
    if (::geteuid() != 0) {
        return Err{std::string("the linux backend needs root (CAP_NET_ADMIN)")};
    }
    if (::access("/dev/net/tun", F_OK) != 0) {
        return Err{std::string("the linux backend needs /dev/net/tun (no tun driver)")};
    }
    network_ = network;
    auto failed = [this](std::string message) -> Result<void, std::string> {
        finish();
        return Err{std::move(message)};
    };

    remove_abandoned_namespaces("synack-drill-");
    auto created = NetNamespace::create(namespace_name());
    if (!created) {
        return failed(created.error());
    }
    namespace_.emplace(std::move(created).value());
    auto entered = NamespaceVisit::enter(namespace_->fd());
    if (!entered) {
        return failed(entered.error());
    }
    visit_.emplace(std::move(entered).value());

    // Before the device exists, so it is born with them: no duplicate address detection and no router
    // solicitations on it (RFC 4862 §5.4, RFC 4861 §6.3.7); a TUN device is IFF_NOARP, which already skips DAD.
    (void)set_sysctl("net.ipv6.conf.default.accept_dad", "0");
    (void)set_sysctl("net.ipv6.conf.default.router_solicitations", "0");

    auto tun = device::TunDevice::open(tun_name());
    if (!tun) {
        return failed(tun.error());
    }
    tun_.emplace(std::move(tun).value());
    if (auto configured = configure_interface(); !configured) {
        return failed(configured.error());
    }
    if (auto defaults = apply_linux_defaults(); !defaults) {
        return failed(defaults.error());
    }
    auto thread = SyscallThread::start(namespace_->fd());
    if (!thread) {
        return failed(thread.error());
    }
    syscalls_ = std::move(thread).value();
    start_usecs_ = monotonic_usecs();
    return {};
}

Result<void, std::string> LinuxBackend::configure_interface() {
    const std::string& ns = namespace_->name();
    const std::string& dev = tun_->name();
    const bool v6 = !network_.local_ip.is_v4();
    const std::string family = v6 ? "-6" : "-4";
    std::vector<std::vector<std::string>> commands = {
        {"ip", "-n", ns, "link", "set", "dev", "lo", "up"},
        {"ip", "-n", ns, "link", "set", "dev", dev, "mtu", std::to_string(network_.mtu), "up"},
        {"ip", "-n", ns, family, "addr", "add", address_with_prefix(network_.local_ip, network_.prefix_len), "dev",
         dev},
        {"ip", "-n", ns, family, "route", "add", address_with_prefix(network_.remote_ip, v6 ? 128 : 32), "via",
         network_.gateway_ip.to_string(), "dev", dev},
    };
    if (v6) {
        commands[2].push_back("nodad");
    }
    for (const auto& command : commands) {
        if (auto ran = run_program(command); !ran) {
            return Err{ran.error()};
        }
    }
    return {};
}

Result<void, std::string> LinuxBackend::apply_linux_defaults() {
    for (const Default& setting : kLinuxDefaults) {
        auto path = sysctl_path(setting.name);
        auto current = path ? read_text_file(*path) : std::nullopt;
        if (!current) {
            continue;  // not in this kernel (or without IPv6): nothing leaks in
        }
        if (collapse_spaces(*current) == setting.value) {
            continue;
        }
        SettingOutcome set = set_sysctl(setting.name, setting.value);
        if (set.status != SettingOutcome::Status::kApplied) {
            return Err{"setting " + std::string(setting.name) + " to \"" + setting.value + "\" in namespace " +
                       namespace_->name() + ": " + set.message};
        }
    }
    return {};
}

void LinuxBackend::finish() {
    if (syscalls_) {
        syscalls_->stop();
        syscalls_.reset();
    }
    for (int fd : fds_.take_all()) {
        ::close(fd);
    }
    tun_.reset();
    if (visit_) {
        visit_->leave();
        visit_.reset();
    }
    if (namespace_) {
        namespace_->remove();
        namespace_.reset();
    }
}

SettingOutcome LinuxBackend::set_sysctl(std::string_view name, std::string_view value) {
    SettingOutcome outcome;
    if (!visit_) {
        outcome.status = SettingOutcome::Status::kUnsupported;
        outcome.message = "the linux backend is not started";
        return outcome;
    }
    // /proc/sys/net resolves the network namespace of the thread that opens the file: this thread is inside.
    auto path = sysctl_path(name);
    if (!path) {
        outcome.status = SettingOutcome::Status::kUnsupported;
        outcome.message = std::string(name) + " is not a per-namespace (net.*) setting";
        return outcome;
    }
    int fd = ::open(path->c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        outcome.status = SettingOutcome::Status::kUnsupported;
        outcome.message = error == ENOENT ? "this kernel has no " + std::string(name)
                                          : *path + ": " + std::strerror(error);
        return outcome;
    }
    std::string text = std::string(value) + "\n";
    ssize_t n = ::write(fd, text.data(), text.size());
    int error = errno;
    ::close(fd);
    if (name == "net.ipv4.tcp_congestion_control") {
        // A child namespace may select only the algorithms the host allows (EPERM for cubic here), but root can
        // still give each socket any algorithm with TCP_CONGESTION; accepted children inherit the listener's.
        // So a refused algorithm is applied socket by socket, which is what the sysctl's default would do.
        socket_congestion_ = n < 0 && error == EPERM ? std::string(value) : std::string();
        if (n < 0 && error == EPERM) return outcome;
    }
    if (n < 0) {
        outcome.status = error == EINVAL || error == ERANGE ? SettingOutcome::Status::kInvalid
                                                            : SettingOutcome::Status::kUnsupported;
        outcome.message = "the kernel refuses " + std::string(name) + "=" + std::string(value) + ": " +
                          std::strerror(error);
    }
    return outcome;
}

Usecs LinuxBackend::now() { return monotonic_usecs() - start_usecs_; }

Result<void, std::string> LinuxBackend::inject(wire::Bytes packet) {
    if (!tun_) {
        return Err{std::string("no TUN device: start() was not called")};
    }
    if (auto written = tun_->write(packet); !written) {
        return Err{"injecting a packet: " + written.error()};
    }
    return {};
}

std::optional<CallOutcome> LinuxBackend::call(const Call& call) {
    if (!syscalls_) {
        CallOutcome outcome;
        outcome.ret = -1;
        outcome.error = EBADF;
        return outcome;
    }
    return syscalls_->run(
        [this, call] {
            CallOutcome outcome = perform_call(call, fds_);
            if (call.op == CallOp::kSocket && outcome.ret >= 0 && !socket_congestion_.empty()) {
                const int kernel_fd = fds_.to_kernel(static_cast<int>(outcome.ret));
                (void)::setsockopt(kernel_fd, IPPROTO_TCP, TCP_CONGESTION, socket_congestion_.data(),
                                   static_cast<socklen_t>(socket_congestion_.size()));
            }
            return outcome;
        },
        kBlockedAfter);
}

bool LinuxBackend::for_remote(wire::Bytes packet) const noexcept {
    if (packet.empty()) {
        return false;
    }
    const int version = packet[0] >> 4;
    if (version == 4 && network_.remote_ip.is_v4()) {
        auto ip = wire::Ipv4View::parse(packet);
        return ip.ok() && wire::IpAddress(ip->destination()) == network_.remote_ip;
    }
    if (version == 6 && !network_.remote_ip.is_v4()) {
        auto ip = wire::Ipv6View::parse(packet);
        return ip.ok() && wire::IpAddress(ip->destination()) == network_.remote_ip;
    }
    return false;
}

Happening LinuxBackend::wait(Usecs deadline) {
    Happening happening;
    if (!tun_ || !syscalls_) {
        happening.at = deadline;
        return happening;
    }
    for (;;) {
        Usecs left = std::max<Usecs>(0, deadline - now());
        timespec timeout{static_cast<time_t>(left / 1'000'000), static_cast<long>(left % 1'000'000) * 1000};
        pollfd fds[2] = {{tun_->fd(), POLLIN, 0}, {syscalls_->event_fd(), POLLIN, 0}};
        int ready = ::ppoll(fds, 2, &timeout, nullptr);
        if (ready < 0 && errno != EINTR) {
            std::fprintf(stderr, "synack drill: poll: %s\n", std::strerror(errno));
            happening.at = deadline;
            return happening;
        }
        // Packets first: the kernel queues what a finished call sent before the call's thread runs again.
        if (ready > 0 && (fds[0].revents & POLLIN) != 0) {
            auto read = tun_->read(buffer_);
            if (!read) {
                std::fprintf(stderr, "synack drill: %s\n", read.error().c_str());
            } else if (*read > 0) {
                wire::Bytes packet(buffer_.data(), *read);
                if (for_remote(packet)) {
                    happening.kind = Happening::Kind::kPacket;
                    happening.at = now();
                    happening.packet.assign(packet.begin(), packet.end());
                    return happening;
                }
            }
            continue;  // dropped (MLD, router solicitation, ...): look again
        }
        if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
            if (auto finished = syscalls_->take_finished()) {
                happening.kind = Happening::Kind::kCallDone;
                happening.at = finished->at_usecs - start_usecs_;
                happening.outcome = std::move(finished->outcome);
                return happening;
            }
            continue;
        }
        if (ready == 0 && now() >= deadline) {
            happening.kind = Happening::Kind::kDeadline;
            happening.at = deadline;
            return happening;
        }
    }
}

std::optional<tcp::TcpInfo> LinuxBackend::tcp_info(int fd) {
    static_assert(std::is_trivially_copyable_v<tcp::TcpInfo>);
    int kernel_fd = fds_.to_kernel(fd);
    if (kernel_fd < 0 || kernel_fd == FdTable::kNoDescriptor) {
        return std::nullopt;
    }
    alignas(tcp::TcpInfo) std::uint8_t bytes[sizeof(tcp::TcpInfo)] = {};
    socklen_t length = sizeof bytes;
    if (::getsockopt(kernel_fd, IPPROTO_TCP, TCP_INFO, bytes, &length) != 0) {
        return std::nullopt;
    }
    tcp::TcpInfo info{};
    std::memcpy(&info, bytes, std::min<std::size_t>(length, sizeof info));  // a shorter kernel struct: rest 0
    return info;
}

}  // namespace synack::drill
