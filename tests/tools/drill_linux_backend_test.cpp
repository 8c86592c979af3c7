// drill::LinuxBackend against the running kernel: a listener in the script's namespace answers an injected SYN
// with the SYN-ACK Linux's compiled-in defaults give (wscale 7 from tcp_rmem's 6 MiB maximum, not the host's
// 32 MiB), a blocking accept() finishes when the third ACK arrives, sysctls change the namespace and nothing
// else, and finish() leaves no namespace behind. Needs root and /dev/net/tun; skipped otherwise.
#include "tools/drill/linux_backend.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/abi.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/tcp.hpp"
#include "tools/drill/options.hpp"
#include "wire/tcp_options.hpp"

namespace synack::drill {
namespace {

using wire::tcp_flags::kAck;
using wire::tcp_flags::kSyn;

constexpr std::uint16_t kRemotePort = 40000;
constexpr std::uint16_t kListenPort = 8080;
constexpr Usecs kSecond = 1'000'000;

bool have_root_and_tun() { return ::geteuid() == 0 && ::access("/dev/net/tun", F_OK) == 0; }

bool namespace_listed(const std::string& name) { return ::access(("/run/netns/" + name).c_str(), F_OK) == 0; }

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

ino_t thread_namespace() {
    struct stat st {};
    ::stat("/proc/thread-self/ns/net", &st);
    return st.st_ino;
}

// The drill's default networks (tools/drill/options.hpp), as a script without address options gets them.
NetworkSettings default_network(IpVersion version) {
    DrillOptions options;
    options.ip_version = version;
    return *network_settings(options);
}
NetworkSettings ipv4_network() { return default_network(IpVersion::kIpv4); }

NetworkSettings ipv6_network() { return default_network(IpVersion::kIpv6); }

// An IP packet carrying one TCP segment from remote to local.
std::vector<std::uint8_t> segment_to_local(const NetworkSettings& net, const wire::TcpBuilder& tcp) {
    std::vector<std::uint8_t> packet;
    if (net.ipv6_packets()) {
        std::vector<std::uint8_t> body = tcp.build({}, net.remote_ip.v6(), net.local_ip.v6());
        wire::Ipv6Builder ip;
        ip.source = net.remote_ip.v6();
        ip.destination = net.local_ip.v6();
        ip.payload_length = static_cast<std::uint16_t>(body.size());
        packet.resize(ip.size());
        ip.write(packet);
        packet.insert(packet.end(), body.begin(), body.end());
    } else {
        std::vector<std::uint8_t> body = tcp.build({}, net.remote_ip.v4(), net.local_ip.v4());
        wire::Ipv4Builder ip;
        ip.dont_fragment = true;
        ip.source = net.remote_ip.v4();
        ip.destination = net.local_ip.v4();
        ip.payload_length = static_cast<std::uint16_t>(body.size());
        packet.resize(ip.size());
        ip.write(packet);
        packet.insert(packet.end(), body.begin(), body.end());
    }
    return packet;
}

// The TCP segment of a packet local sent to remote, with its addresses checked.
wire::TcpView tcp_from_local(const NetworkSettings& net, const std::vector<std::uint8_t>& packet) {
    wire::Bytes payload;
    if (net.ipv6_packets()) {
        auto ip = wire::Ipv6View::parse_strict(packet);
        EXPECT_TRUE(ip.ok());
        EXPECT_EQ(wire::IpAddress(ip->source()), net.local_ip);
        EXPECT_EQ(wire::IpAddress(ip->destination()), net.remote_ip);
        EXPECT_EQ(ip->next_header(), wire::ip_protocol::kTcp);
        payload = ip->payload();
    } else {
        auto ip = wire::Ipv4View::parse_strict(packet);
        EXPECT_TRUE(ip.ok());
        EXPECT_EQ(wire::IpAddress(ip->source()), net.local_ip);
        EXPECT_EQ(wire::IpAddress(ip->destination()), net.remote_ip);
        EXPECT_EQ(ip->protocol(), wire::ip_protocol::kTcp);
        payload = ip->payload();
    }
    auto tcp = wire::TcpView::parse(payload);
    EXPECT_TRUE(tcp.ok());
    return *tcp;
}

struct SynAckOptions {
    std::vector<std::uint8_t> kinds;
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> wscale;
    std::optional<wire::TcpTimestamps> timestamps;
};

SynAckOptions options_of(const wire::TcpView& tcp) {
    SynAckOptions out;
    wire::TcpOptionIterator it = tcp.option_iterator();
    while (!it.at_end()) {
        auto option = it.next();
        if (!option.ok()) {
            break;
        }
        out.kinds.push_back(option->kind());
        if (option->kind() == wire::tcp_option_kind::kMss) {
            out.mss = *option->as_mss();
        } else if (option->kind() == wire::tcp_option_kind::kWindowScale) {
            out.wscale = *option->as_window_scale();
        } else if (option->kind() == wire::tcp_option_kind::kTimestamps) {
            out.timestamps = *option->as_timestamps();
        }
    }
    return out;
}

wire::TcpBuilder syn(std::uint16_t source_port) {
    static wire::TcpOptionsBuilder options;
    options = wire::TcpOptionsBuilder();
    options.mss(1000).sack_permitted().timestamps(100, 0).nop().window_scale(7);
    wire::TcpBuilder tcp;
    tcp.source_port = source_port;
    tcp.destination_port = kListenPort;
    tcp.seq = wire::Seq32(1000);
    tcp.flags = kSyn;
    tcp.window = 65535;
    tcp.options = options.bytes();
    return tcp;
}

// Waits up to a second for the next packet local sends.
std::vector<std::uint8_t> next_packet(LinuxBackend& backend) {
    Happening happening = backend.wait(backend.now() + kSecond);
    EXPECT_EQ(happening.kind, Happening::Kind::kPacket);
    return happening.packet;
}

Call make_call(CallOp op, int fd = -1) {
    Call call;
    call.op = op;
    call.fd = fd;
    return call;
}

std::int64_t call_ok(LinuxBackend& backend, const Call& call) {
    std::optional<CallOutcome> outcome = backend.call(call);
    EXPECT_TRUE(outcome.has_value()) << call.name << " blocked";
    if (!outcome) {
        return -1;
    }
    EXPECT_EQ(outcome->error, 0) << call.name;
    return outcome->ret;
}

// socket(), SO_REUSEADDR, bind(:8080), listen(): the listener's script fd.
int listen_on_8080(LinuxBackend& backend, const NetworkSettings& net) {
    Call socket_call = make_call(CallOp::kSocket);
    socket_call.domain = net.ipv6_sockets() ? api::abi::kAfInet6 : api::abi::kAfInet;
    socket_call.type = api::abi::kSockStream;
    int fd = static_cast<int>(call_ok(backend, socket_call));
    Call reuse = make_call(CallOp::kSetsockopt, fd);
    reuse.level = api::abi::kSolSocket;
    reuse.option = api::abi::kSoReuseaddr;
    reuse.option_value = {1, 0, 0, 0};
    EXPECT_EQ(call_ok(backend, reuse), 0);
    Call bind = make_call(CallOp::kBind, fd);
    bind.address = net.ipv6_sockets() ? api::SockAddr::v6(wire::Ipv6Address{}, kListenPort)
                                      : api::SockAddr::v4(wire::Ipv4Address{}, kListenPort);
    EXPECT_EQ(call_ok(backend, bind), 0);
    Call listen = make_call(CallOp::kListen, fd);
    listen.backlog = 1;
    EXPECT_EQ(call_ok(backend, listen), 0);
    return fd;
}

void handshake_and_settings(const NetworkSettings& net) {
    const std::string host_rmem = read_file("/proc/sys/net/ipv4/tcp_rmem");
    const std::string host_timestamps = read_file("/proc/sys/net/ipv4/tcp_timestamps");
    const ino_t home = thread_namespace();
    LinuxBackend backend;
    auto started = backend.start(net);
    ASSERT_TRUE(started.ok()) << started.error();
    EXPECT_TRUE(namespace_listed(LinuxBackend::namespace_name()));
    EXPECT_NE(thread_namespace(), home);
    EXPECT_EQ(read_file("/proc/sys/net/ipv4/tcp_rmem"), "4096\t131072\t6291456\n");

    int listener = listen_on_8080(backend, net);
    EXPECT_EQ(listener, 3);

    EXPECT_TRUE(backend.inject(segment_to_local(net, syn(kRemotePort))).ok());
    std::vector<std::uint8_t> syn_ack_packet = next_packet(backend);
    ASSERT_FALSE(syn_ack_packet.empty());
    wire::TcpView syn_ack = tcp_from_local(net, syn_ack_packet);
    EXPECT_EQ(syn_ack.flags(), kSyn | kAck);
    EXPECT_EQ(syn_ack.source_port(), kListenPort);
    EXPECT_EQ(syn_ack.destination_port(), kRemotePort);
    EXPECT_EQ(syn_ack.ack().raw(), 1001u);
    SynAckOptions options = options_of(syn_ack);
    // Linux's order with timestamps (tcp_options_write): mss, sackOK, TS, nop, wscale.
    EXPECT_EQ(options.kinds, (std::vector<std::uint8_t>{2, 4, 8, 1, 3}));
    EXPECT_EQ(options.mss, net.ipv6_packets() ? 1440 : 1460);  // MTU 1500 less the IP and TCP headers
    EXPECT_EQ(options.wscale, 7);  // tcp_rmem[2] = 6291456, Linux's default; the host's 32 MiB gives 10
    ASSERT_TRUE(options.timestamps.has_value());
    EXPECT_EQ(options.timestamps->echo_reply, 100u);

    // accept() blocks until the third ACK comes.
    Call accept = make_call(CallOp::kAccept, listener);
    accept.name = "accept";
    EXPECT_FALSE(backend.call(accept).has_value());
    Happening quiet = backend.wait(backend.now() + 50'000);
    EXPECT_EQ(quiet.kind, Happening::Kind::kDeadline);
    wire::TcpBuilder ack;
    ack.source_port = kRemotePort;
    ack.destination_port = kListenPort;
    ack.seq = wire::Seq32(1001);
    ack.ack = syn_ack.seq() + 1;
    ack.flags = kAck;
    ack.window = 512;
    wire::TcpOptionsBuilder ack_options;
    ack_options.nop().nop().timestamps(101, options.timestamps->value);
    ack.options = ack_options.bytes();
    Usecs injected_at = backend.now();
    EXPECT_TRUE(backend.inject(segment_to_local(net, ack)).ok());
    Happening accepted = backend.wait(backend.now() + kSecond);
    ASSERT_EQ(accepted.kind, Happening::Kind::kCallDone);
    EXPECT_EQ(accepted.outcome.ret, 4);
    EXPECT_EQ(accepted.outcome.error, 0);
    EXPECT_GE(accepted.at, injected_at);
    EXPECT_LE(accepted.at, backend.now());

    // write(2) sends zeros; read(2) takes what the peer sent.
    Call write_call = make_call(CallOp::kWrite, 4);
    write_call.lengths = {10};
    EXPECT_EQ(call_ok(backend, write_call), 10);
    std::vector<std::uint8_t> data_packet = next_packet(backend);
    ASSERT_FALSE(data_packet.empty());
    wire::TcpView data = tcp_from_local(net, data_packet);
    EXPECT_EQ(data.flags(), wire::tcp_flags::kPsh | kAck);
    EXPECT_EQ(data.seq(), syn_ack.seq() + 1);
    EXPECT_EQ(std::vector<std::uint8_t>(data.payload().begin(), data.payload().end()),
              std::vector<std::uint8_t>(10, 0));
    wire::TcpBuilder reply = ack;
    reply.ack = syn_ack.seq() + 11;
    reply.flags = wire::tcp_flags::kPsh | kAck;
    wire::TcpOptionsBuilder reply_options;
    reply_options.nop().nop().timestamps(102, options.timestamps->value);
    reply.options = reply_options.bytes();
    std::vector<std::uint8_t> reply_packet = segment_to_local(net, reply);
    const std::uint8_t hello[5] = {'h', 'e', 'l', 'l', 'o'};
    std::vector<std::uint8_t> body = net.ipv6_packets()
                                         ? reply.build(hello, net.remote_ip.v6(), net.local_ip.v6())
                                         : reply.build(hello, net.remote_ip.v4(), net.local_ip.v4());
    {
        // The same packet with the payload: rebuild the IP header around the longer segment.
        const std::size_t ip_header = net.ipv6_packets() ? 40 : 20;
        reply_packet.resize(ip_header);
        reply_packet.insert(reply_packet.end(), body.begin(), body.end());
        if (net.ipv6_packets()) {
            wire::Ipv6Builder ip;
            ip.source = net.remote_ip.v6();
            ip.destination = net.local_ip.v6();
            ip.payload_length = static_cast<std::uint16_t>(body.size());
            ip.write(reply_packet);
        } else {
            wire::Ipv4Builder ip;
            ip.dont_fragment = true;
            ip.source = net.remote_ip.v4();
            ip.destination = net.local_ip.v4();
            ip.payload_length = static_cast<std::uint16_t>(body.size());
            ip.write(reply_packet);
        }
    }
    EXPECT_TRUE(backend.inject(reply_packet).ok());
    Call read_call = make_call(CallOp::kRead, 4);
    read_call.lengths = {100};
    std::optional<CallOutcome> got = backend.call(read_call);
    bool acked = false;
    // The kernel may not have taken the segment yet (the read then blocks until it does); it acknowledges it.
    while (!got || !acked) {
        Happening next = backend.wait(backend.now() + kSecond);
        ASSERT_NE(next.kind, Happening::Kind::kDeadline);
        if (next.kind == Happening::Kind::kCallDone) {
            got = next.outcome;
        } else {
            wire::TcpView segment = tcp_from_local(net, next.packet);
            EXPECT_EQ(segment.flags(), kAck);
            EXPECT_EQ(segment.ack().raw(), 1006u);
            acked = true;
        }
    }
    EXPECT_EQ(got->ret, 5);

    std::optional<tcp::TcpInfo> info = backend.tcp_info(4);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->tcpi_state, 1);  // TCP_ESTABLISHED
    EXPECT_EQ(info->tcpi_rcv_wscale, 7);
    EXPECT_EQ(info->tcpi_snd_wscale, 7);
    EXPECT_FALSE(backend.tcp_info(9).has_value());

    // Without timestamps the next SYN-ACK has none: mss, nop, nop, sackOK, nop, wscale.
    SettingOutcome off = backend.set_sysctl("net.ipv4.tcp_timestamps", "0");
    EXPECT_EQ(off.status, SettingOutcome::Status::kApplied) << off.message;
    EXPECT_TRUE(backend.inject(segment_to_local(net, syn(kRemotePort + 1))).ok());
    std::vector<std::uint8_t> second_packet = next_packet(backend);
    ASSERT_FALSE(second_packet.empty());
    wire::TcpView second = tcp_from_local(net, second_packet);
    EXPECT_EQ(second.destination_port(), kRemotePort + 1);
    EXPECT_EQ(options_of(second).kinds, (std::vector<std::uint8_t>{2, 1, 1, 4, 1, 3}));

    EXPECT_EQ(backend.set_sysctl("net.ipv4.tcp_timestamps", "banana").status, SettingOutcome::Status::kInvalid);
    EXPECT_EQ(backend.set_sysctl("net.ipv4.tcp_no_such_setting", "1").status, SettingOutcome::Status::kUnsupported);
    EXPECT_EQ(backend.set_sysctl("kernel.hostname", "x").status, SettingOutcome::Status::kUnsupported);
    EXPECT_EQ(backend.set_sysctl("net.ipv4.../x", "1").status, SettingOutcome::Status::kUnsupported);

    backend.finish();
    EXPECT_FALSE(namespace_listed(LinuxBackend::namespace_name()));
    EXPECT_EQ(thread_namespace(), home);
    EXPECT_NE(std::system(("ip link show dev " + LinuxBackend::tun_name() + " >/dev/null 2>&1").c_str()), 0);
    // The host's own settings never changed.
    EXPECT_EQ(read_file("/proc/sys/net/ipv4/tcp_rmem"), host_rmem);
    EXPECT_EQ(read_file("/proc/sys/net/ipv4/tcp_timestamps"), host_timestamps);
}

TEST(DrillLinuxBackend, Ipv4HandshakeWithLinuxDefaultsAndSysctls) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    handshake_and_settings(ipv4_network());
}

TEST(DrillLinuxBackend, Ipv6HandshakeWithLinuxDefaultsAndSysctls) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    handshake_and_settings(ipv6_network());
}

TEST(DrillLinuxBackend, ConnectSendsItsSynThroughTheGatewayRoute) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    NetworkSettings net = ipv4_network();
    net.ip_version = IpVersion::kIpv4MappedIpv6;
    LinuxBackend backend;
    auto started = backend.start(net);
    ASSERT_TRUE(started.ok()) << started.error();
    Call socket_call = make_call(CallOp::kSocket);
    socket_call.domain = api::abi::kAfInet6;
    socket_call.type = api::abi::kSockStream | api::abi::kSockNonblock;
    ASSERT_EQ(call_ok(backend, socket_call), 3);
    Call connect = make_call(CallOp::kConnect, 3);
    connect.address = api::SockAddr::v6(net.remote_ip, kListenPort);  // ::ffff:198.19.0.1
    std::optional<CallOutcome> outcome = backend.call(connect);
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->ret, -1);
    EXPECT_EQ(outcome->error, 115);  // EINPROGRESS
    std::vector<std::uint8_t> packet = next_packet(backend);
    ASSERT_FALSE(packet.empty());
    wire::TcpView syn_out = tcp_from_local(net, packet);  // an IPv4 packet: the peer is IPv4-mapped
    EXPECT_EQ(syn_out.flags(), kSyn);
    EXPECT_EQ(syn_out.destination_port(), kListenPort);
    EXPECT_GE(syn_out.source_port(), 32768);  // ip_local_port_range 32768 60999
    EXPECT_LE(syn_out.source_port(), 60999);
    EXPECT_EQ(options_of(syn_out).wscale, 7);
}

TEST(DrillLinuxBackend, ScriptDescriptorsAreNumberedAsInAFreshProcess) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    LinuxBackend backend;
    auto started = backend.start(ipv4_network());
    ASSERT_TRUE(started.ok()) << started.error();
    Call socket_call = make_call(CallOp::kSocket);
    socket_call.domain = api::abi::kAfInet;
    socket_call.type = api::abi::kSockStream;
    EXPECT_EQ(call_ok(backend, socket_call), 3);
    EXPECT_EQ(call_ok(backend, socket_call), 4);
    EXPECT_EQ(call_ok(backend, make_call(CallOp::kClose, 3)), 0);
    EXPECT_EQ(call_ok(backend, socket_call), 3);
    std::optional<CallOutcome> bad = backend.call(make_call(CallOp::kClose, 7));
    ASSERT_TRUE(bad.has_value());
    EXPECT_EQ(bad->ret, -1);
    EXPECT_EQ(bad->error, 9);  // EBADF
    Call poll = make_call(CallOp::kPoll);
    poll.poll_fds = {api::PollFd{4, 0x0001 /* POLLIN */, 0}, api::PollFd{7, 0x0001, 0}};
    poll.timeout_ms = 0;
    std::optional<CallOutcome> polled = backend.call(poll);
    ASSERT_TRUE(polled.has_value());
    EXPECT_EQ(polled->ret, 2);
    ASSERT_EQ(polled->poll_fds.size(), 2u);
    EXPECT_EQ(polled->poll_fds[0].fd, 4);
    EXPECT_EQ(polled->poll_fds[0].revents, 0x0010);  // POLLHUP: a socket never connected
    EXPECT_EQ(polled->poll_fds[1].revents, 0x0020);  // POLLNVAL: no such descriptor
}

TEST(DrillLinuxBackend, FinishEndsABlockedCallAndRemovesEverything) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    NetworkSettings net = ipv4_network();
    LinuxBackend backend;
    auto started = backend.start(net);
    ASSERT_TRUE(started.ok()) << started.error();
    int listener = listen_on_8080(backend, net);
    EXPECT_FALSE(backend.call(make_call(CallOp::kAccept, listener)).has_value());
    auto before = std::chrono::steady_clock::now();
    backend.finish();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
    EXPECT_FALSE(namespace_listed(LinuxBackend::namespace_name()));
    // A second script after the first: a fresh namespace again.
    auto again = backend.start(net);
    ASSERT_TRUE(again.ok()) << again.error();
    EXPECT_EQ(listen_on_8080(backend, net), 3);
}

TEST(DrillLinuxBackend, StartDeletesTheNamespaceOfAProcessThatWasKilled) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::_exit(0);
    }
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // now a pid nobody has
    const std::string abandoned = "synack-drill-" + std::to_string(child);
    ASSERT_EQ(std::system(("ip netns add " + abandoned).c_str()), 0);
    ASSERT_TRUE(namespace_listed(abandoned));
    LinuxBackend backend;
    auto started = backend.start(ipv4_network());
    ASSERT_TRUE(started.ok()) << started.error();
    EXPECT_FALSE(namespace_listed(abandoned));
    EXPECT_TRUE(namespace_listed(LinuxBackend::namespace_name()));  // its own, of a live process, stays
}

TEST(DrillLinuxBackend, DescribesTheKernel) {
    utsname names{};
    ASSERT_EQ(::uname(&names), 0);
    EXPECT_EQ(LinuxBackend().description(), std::string("linux ") + names.release);
}

}  // namespace
}  // namespace synack::drill

namespace synack::drill {
namespace {

// A child namespace may not select cubic with the sysctl (EPERM: not in the host's allowed list); the backend
// gives each new socket the algorithm instead, as the sysctl's default would have.
TEST(DrillLinuxBackend, ACongestionControlTheNamespaceRefusesIsSetOnEachSocket) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    LinuxBackend backend;
    auto started = backend.start(ipv4_network());
    ASSERT_TRUE(started.ok()) << started.error();
    EXPECT_EQ(backend.set_sysctl("net.ipv4.tcp_congestion_control", "cubic").status, SettingOutcome::Status::kApplied);
    Call socket_call = make_call(CallOp::kSocket);
    socket_call.domain = api::abi::kAfInet;
    socket_call.type = api::abi::kSockStream;
    const int fd = static_cast<int>(call_ok(backend, socket_call));
    Call get = make_call(CallOp::kGetsockopt, fd);
    get.level = api::abi::kSolTcp;
    get.option = api::abi::kTcpCongestion;
    get.option_length = 16;
    const std::optional<CallOutcome> answer = backend.call(get);
    ASSERT_TRUE(answer.has_value());
    ASSERT_EQ(answer->ret, 0);
    const std::string name(answer->option_value.begin(), answer->option_value.end());
    EXPECT_EQ(name.substr(0, name.find('\0')), "cubic");
    backend.finish();
}

}  // namespace
}  // namespace synack::drill
