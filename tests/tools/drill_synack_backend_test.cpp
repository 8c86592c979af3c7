// The synack backend driven directly, as the runner drives it: calls, injected packets, and wait() reporting what
// the stack sent and when blocked calls finish, in virtual time. Expectations are Linux's (the SYN-ACK's option
// order, the SYN retransmission schedule of docs/linux-defaults.md, blocking-call semantics).
#include "tools/drill/synack_backend.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "api/abi.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"
#include "wire/tcp.hpp"
#include "tools/drill/options.hpp"
#include "wire/tcp_options.hpp"

namespace synack::drill {
namespace {

namespace abi = api::abi;
using wire::Seq32;

constexpr Usecs kSecond = 1'000'000;

// The drill's default networks (tools/drill/options.hpp), as a script without address options gets them.
NetworkSettings default_network(IpVersion version) {
    DrillOptions options;
    options.ip_version = version;
    return *network_settings(options);
}
NetworkSettings ipv4_network() { return default_network(IpVersion::kIpv4); }

// An IPv4 packet from the script's remote host to the stack: `tcp` over `payload` zero bytes.
std::vector<std::uint8_t> inbound(const NetworkSettings& n, const wire::TcpBuilder& tcp, std::size_t payload = 0) {
    const std::vector<std::uint8_t> data(payload, 0);
    const std::vector<std::uint8_t> segment = tcp.build(data, n.remote_ip.v4(), n.local_ip.v4());
    wire::Ipv4Builder ip;
    ip.source = n.remote_ip.v4();
    ip.destination = n.local_ip.v4();
    ip.dont_fragment = true;
    ip.payload_length = static_cast<std::uint16_t>(segment.size());
    std::vector<std::uint8_t> packet(ip.size() + segment.size());
    ip.write(packet);
    std::copy(segment.begin(), segment.end(), packet.begin() + static_cast<std::ptrdiff_t>(ip.size()));
    return packet;
}

Call make(CallOp op, int fd = -1) {
    Call c;
    c.op = op;
    c.fd = fd;
    return c;
}

Call socket_call(int type = abi::kSockStream) {
    Call c = make(CallOp::kSocket);
    c.domain = abi::kAfInet;
    c.type = type;
    return c;
}

// socket, bind 0.0.0.0:8080, listen: the listener's fd.
int listener(SynackBackend& b, bool nonblocking) {
    const std::optional<CallOutcome> s = b.call(socket_call(abi::kSockStream | (nonblocking ? abi::kSockNonblock : 0)));
    EXPECT_TRUE(s && s->ret == 3);
    Call bind = make(CallOp::kBind, 3);
    bind.address = api::SockAddr::v4(wire::Ipv4Address{}, 8080);
    EXPECT_EQ(b.call(bind)->ret, 0);
    Call listen = make(CallOp::kListen, 3);
    listen.backlog = 1;
    EXPECT_EQ(b.call(listen)->ret, 0);
    return 3;
}

// The TCP header of a packet the stack sent (IPv4, from local to remote).
std::optional<wire::TcpView> tcp_of(const NetworkSettings& n, const std::vector<std::uint8_t>& packet) {
    const auto ip = wire::Ipv4View::parse(packet);
    if (!ip) return std::nullopt;
    EXPECT_EQ(wire::IpAddress(ip->source()), n.local_ip);
    EXPECT_EQ(wire::IpAddress(ip->destination()), n.remote_ip);
    const auto tcp = wire::TcpView::parse(ip->payload());
    if (!tcp) return std::nullopt;
    return *tcp;
}

wire::TcpBuilder syn(std::uint32_t isn, std::uint32_t ts_val) {
    static wire::TcpOptionsBuilder options;  // the bytes must outlive the builder's span
    options = wire::TcpOptionsBuilder{};
    options.mss(1460).sack_permitted().timestamps(ts_val, 0).nop().window_scale(7);
    wire::TcpBuilder t;
    t.source_port = 40000;
    t.destination_port = 8080;
    t.seq = Seq32(isn);
    t.flags = wire::tcp_flags::kSyn;
    t.window = 65535;
    t.options = options.bytes();
    return t;
}

wire::TcpBuilder ack(std::uint32_t seq, Seq32 ack_seq) {
    wire::TcpBuilder t;
    t.source_port = 40000;
    t.destination_port = 8080;
    t.seq = Seq32(seq);
    t.ack = ack_seq;
    t.flags = wire::tcp_flags::kAck;
    t.window = 502;
    return t;
}

class SynackBackendTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(backend.start(net).ok()); }
    NetworkSettings net = ipv4_network();
    SynackBackend backend;
};

TEST_F(SynackBackendTest, PassiveOpenAnswersTheSynAtOnceWithLinuxsOptions) {
    EXPECT_EQ(backend.description(), "synack");
    listener(backend, true);
    EXPECT_TRUE(backend.inject(inbound(net, syn(1000, 77))).ok());
    const Happening h = backend.wait(kSecond);
    ASSERT_EQ(h.kind, Happening::Kind::kPacket);
    EXPECT_EQ(h.at, 0);
    const auto tcp = tcp_of(net, h.packet);
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->flags(), wire::tcp_flags::kSyn | wire::tcp_flags::kAck);
    EXPECT_EQ(tcp->source_port(), 8080);
    EXPECT_EQ(tcp->destination_port(), 40000);
    EXPECT_EQ(tcp->ack(), Seq32(1001));
    // Linux's SYN-ACK: mss 1460 (MTU 1500), sackOK, TS (echoing 77), nop, wscale 7 (tcp_rmem[2] = 6 MiB).
    const wire::Bytes o = tcp->options();
    ASSERT_EQ(o.size(), 20u);
    EXPECT_EQ(std::vector<std::uint8_t>(o.begin(), o.begin() + 8),
              (std::vector<std::uint8_t>{0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a}));
    EXPECT_EQ(wire::load_be32(o.data() + 12), 77u);
    EXPECT_EQ(std::vector<std::uint8_t>(o.begin() + 16, o.end()), (std::vector<std::uint8_t>{0x01, 0x03, 0x03, 0x07}));
    // The handshake completes with the ACK; accept() gives the next descriptor.
    EXPECT_TRUE(backend.inject(inbound(net, ack(1001, tcp->seq() + 1))).ok());
    const std::optional<CallOutcome> a = backend.call(make(CallOp::kAccept, 3));
    ASSERT_TRUE(a);
    EXPECT_EQ(a->ret, 4);
    EXPECT_EQ(a->error, 0);
    // Nothing else is sent: wait() runs to its deadline.
    const Happening idle = backend.wait(kSecond / 2);
    EXPECT_EQ(idle.kind, Happening::Kind::kDeadline);
    EXPECT_EQ(idle.at, kSecond / 2);
    EXPECT_EQ(backend.now(), kSecond / 2);
    // TCP_INFO of the accepted socket: ESTABLISHED (1) with the three options.
    const std::optional<tcp::TcpInfo> info = backend.tcp_info(4);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->tcpi_state, 1);
    EXPECT_EQ(info->tcpi_options, tcp::tcpi_option::kTimestamps | tcp::tcpi_option::kSack | tcp::tcpi_option::kWscale);
    EXPECT_FALSE(backend.tcp_info(9));
}

TEST_F(SynackBackendTest, BlockingAcceptFinishesWhenTheHandshakeDoes) {
    listener(backend, false);
    EXPECT_FALSE(backend.call(make(CallOp::kAccept, 3)));  // blocks
    EXPECT_EQ(backend.wait(kSecond).kind, Happening::Kind::kDeadline);
    EXPECT_TRUE(backend.inject(inbound(net, syn(5000, 1))).ok());
    const Happening synack = backend.wait(2 * kSecond);
    ASSERT_EQ(synack.kind, Happening::Kind::kPacket);
    EXPECT_EQ(synack.at, kSecond);
    const auto tcp = tcp_of(net, synack.packet);
    ASSERT_TRUE(tcp);
    wire::TcpBuilder third = ack(5001, tcp->seq() + 1);
    EXPECT_TRUE(backend.inject(inbound(net, third)).ok());
    const Happening done = backend.wait(2 * kSecond);
    ASSERT_EQ(done.kind, Happening::Kind::kCallDone);
    EXPECT_EQ(done.at, kSecond);
    EXPECT_EQ(done.outcome.ret, 4);
    EXPECT_EQ(done.outcome.error, 0);
}

TEST_F(SynackBackendTest, BlockingConnectRetransmitsTheSynAndTimesOut) {
    const std::optional<CallOutcome> s = backend.call(socket_call());
    ASSERT_TRUE(s);
    Call connect = make(CallOp::kConnect, 3);
    connect.address = api::SockAddr::v4(net.remote_ip.v4(), 8080);
    EXPECT_FALSE(backend.call(connect));
    // docs/linux-defaults.md: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, ETIMEDOUT at 131 s.
    const std::vector<Usecs> expected = {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67};
    std::optional<Seq32> isn;
    for (const Usecs at : expected) {
        const Happening h = backend.wait(200 * kSecond);
        ASSERT_EQ(h.kind, Happening::Kind::kPacket) << at;
        EXPECT_EQ(h.at, at * kSecond);
        const auto tcp = tcp_of(net, h.packet);
        ASSERT_TRUE(tcp);
        EXPECT_EQ(tcp->flags(), wire::tcp_flags::kSyn);
        EXPECT_EQ(tcp->destination_port(), 8080);
        if (!isn) isn = tcp->seq();
        EXPECT_EQ(tcp->seq(), *isn);
    }
    const Happening done = backend.wait(200 * kSecond);
    ASSERT_EQ(done.kind, Happening::Kind::kCallDone);
    EXPECT_EQ(done.at, 131 * kSecond);
    EXPECT_EQ(done.outcome.ret, -1);
    EXPECT_EQ(done.outcome.error, static_cast<int>(api::Errno::kTimedOut));
}

TEST_F(SynackBackendTest, BlockingConnectReturnsZeroWhenEstablished) {
    ASSERT_TRUE(backend.call(socket_call()));
    Call connect = make(CallOp::kConnect, 3);
    connect.address = api::SockAddr::v4(net.remote_ip.v4(), 8080);
    EXPECT_FALSE(backend.call(connect));
    const Happening syn_out = backend.wait(kSecond / 10);
    ASSERT_EQ(syn_out.kind, Happening::Kind::kPacket);
    const auto tcp = tcp_of(net, syn_out.packet);
    ASSERT_TRUE(tcp);
    EXPECT_EQ(backend.wait(kSecond / 10).kind, Happening::Kind::kDeadline);
    wire::TcpBuilder synack;
    synack.source_port = 8080;
    synack.destination_port = tcp->source_port();
    synack.seq = Seq32(7000);
    synack.ack = tcp->seq() + 1;
    synack.flags = wire::tcp_flags::kSyn | wire::tcp_flags::kAck;
    synack.window = 65535;
    EXPECT_TRUE(backend.inject(inbound(net, synack)).ok());
    // The ACK of the handshake goes out, then connect() returns 0 at the same instant.
    const Happening ack_out = backend.wait(kSecond);
    ASSERT_EQ(ack_out.kind, Happening::Kind::kPacket);
    EXPECT_EQ(ack_out.at, kSecond / 10);
    const Happening done = backend.wait(kSecond);
    ASSERT_EQ(done.kind, Happening::Kind::kCallDone);
    EXPECT_EQ(done.at, kSecond / 10);
    EXPECT_EQ(done.outcome.ret, 0);
    EXPECT_EQ(done.outcome.error, 0);
}

TEST_F(SynackBackendTest, BlockingReadWaitsForData) {
    listener(backend, true);
    EXPECT_TRUE(backend.inject(inbound(net, syn(1000, 5))).ok());
    const Happening synack = backend.wait(kSecond);  // the view below points into its packet
    const auto tcp = tcp_of(net, synack.packet);
    ASSERT_TRUE(tcp);
    EXPECT_TRUE(backend.inject(inbound(net, ack(1001, tcp->seq() + 1))).ok());
    ASSERT_EQ(backend.call(make(CallOp::kAccept, 3))->ret, 4);
    Call read = make(CallOp::kRead, 4);
    read.lengths = {1000};
    EXPECT_FALSE(backend.call(read));
    EXPECT_EQ(backend.wait(kSecond / 5).kind, Happening::Kind::kDeadline);
    wire::TcpBuilder data = ack(1001, tcp->seq() + 1);
    data.flags = wire::tcp_flags::kAck | wire::tcp_flags::kPsh;
    EXPECT_TRUE(backend.inject(inbound(net, data, 100)).ok());
    // read() returns the 100 bytes at once; the ACK for them may come before or after it.
    bool done = false;
    for (int i = 0; i < 4 && !done; ++i) {
        const Happening h = backend.wait(kSecond);
        if (h.kind != Happening::Kind::kCallDone) continue;
        done = true;
        EXPECT_EQ(h.at, kSecond / 5);
        EXPECT_EQ(h.outcome.ret, 100);
    }
    EXPECT_TRUE(done);
    // MSG_DONTWAIT never blocks.
    Call recv = make(CallOp::kRecv, 4);
    recv.lengths = {10};
    recv.flags = abi::kMsgDontwait;
    const std::optional<CallOutcome> r = backend.call(recv);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->error, static_cast<int>(api::Errno::kAgain));
}

TEST_F(SynackBackendTest, PollWithATimeoutBlocksInVirtualTime) {
    listener(backend, true);
    Call poll = make(CallOp::kPoll);
    poll.poll_fds = {api::PollFd{3, static_cast<std::int16_t>(abi::kPollIn), 0}};
    poll.timeout_ms = 250;
    EXPECT_FALSE(backend.call(poll));
    const Happening done = backend.wait(kSecond);
    ASSERT_EQ(done.kind, Happening::Kind::kCallDone);
    EXPECT_EQ(done.at, kSecond / 4);
    EXPECT_EQ(done.outcome.ret, 0);
    ASSERT_EQ(done.outcome.poll_fds.size(), 1u);
    EXPECT_EQ(done.outcome.poll_fds[0].revents, 0);
    // A zero timeout never blocks.
    poll.timeout_ms = 0;
    const std::optional<CallOutcome> now = backend.call(poll);
    ASSERT_TRUE(now);
    EXPECT_EQ(now->ret, 0);
}

TEST_F(SynackBackendTest, SysctlsTakeEffectOnTheRunningStack) {
    EXPECT_EQ(backend.set_sysctl("net.ipv4.tcp_timestamps", "0").status, SettingOutcome::Status::kApplied);
    EXPECT_EQ(backend.set_sysctl("net.ipv4.tcp_congestion_control", "cubic").status,
              SettingOutcome::Status::kUnsupported);
    EXPECT_EQ(backend.set_sysctl("net.ipv4.tcp_syn_retries", "0").status, SettingOutcome::Status::kInvalid);
    listener(backend, true);
    EXPECT_TRUE(backend.inject(inbound(net, syn(1000, 77))).ok());
    const Happening h = backend.wait(kSecond);
    ASSERT_EQ(h.kind, Happening::Kind::kPacket);
    const auto tcp = tcp_of(net, h.packet);
    ASSERT_TRUE(tcp);
    // Without timestamps Linux's SYN-ACK carries mss, nop, nop, sackOK, nop, wscale 7.
    const wire::Bytes o = tcp->options();
    EXPECT_EQ(std::vector<std::uint8_t>(o.begin(), o.end()),
              (std::vector<std::uint8_t>{0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x03, 0x03, 0x07}));
    // A new script starts from Linux's defaults again.
    backend.finish();
    ASSERT_TRUE(backend.start(net).ok());
    EXPECT_TRUE(backend.stack()->config().tcp_timestamps);
    EXPECT_EQ(backend.now(), 0);
}

TEST(SynackBackend, Ipv6GoesThroughTheDefaultRoute) {
    const NetworkSettings net = default_network(IpVersion::kIpv6);
    SynackBackend backend;
    ASSERT_TRUE(backend.start(net).ok());
    Call socket = make(CallOp::kSocket);
    socket.domain = abi::kAfInet6;
    socket.type = abi::kSockStream | abi::kSockNonblock;
    ASSERT_EQ(backend.call(socket)->ret, 3);
    Call connect = make(CallOp::kConnect, 3);
    connect.address = api::SockAddr::v6(net.remote_ip, 8080);
    const std::optional<CallOutcome> c = backend.call(connect);
    ASSERT_TRUE(c);  // non-blocking: EINPROGRESS at once
    EXPECT_EQ(c->error, static_cast<int>(api::Errno::kInProgress));
    const Happening h = backend.wait(kSecond);
    ASSERT_EQ(h.kind, Happening::Kind::kPacket);
    EXPECT_EQ(h.at, 0);
    const auto ip = wire::Ipv6View::parse(h.packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(wire::IpAddress(ip->source()), net.local_ip);
    EXPECT_EQ(wire::IpAddress(ip->destination()), net.remote_ip);
    EXPECT_EQ(ip->hop_limit(), 64);
    const auto tcp = wire::TcpView::parse(ip->payload());
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->flags(), wire::tcp_flags::kSyn);
    // MSS 1440: MTU 1500 less the IPv6 and TCP headers.
    EXPECT_EQ(wire::load_be16(tcp->options().data() + 2), 1440);
}

TEST(SynackBackend, SettingsMadeBeforeStartAreTheScripts) {
    SynackBackend backend;
    EXPECT_EQ(backend.set_sysctl("net.ipv4.tcp_syn_retries", "2").status, SettingOutcome::Status::kApplied);
    ASSERT_TRUE(backend.start(ipv4_network()).ok());
    EXPECT_EQ(backend.stack()->config().tcp_syn_retries, 2);
    backend.finish();
    ASSERT_TRUE(backend.start(ipv4_network()).ok());
    EXPECT_EQ(backend.stack()->config().tcp_syn_retries, 6);
}

TEST_F(SynackBackendTest, FinishClosesWhatTheScriptLeftOpen) {
    listener(backend, true);
    ASSERT_TRUE(backend.call(socket_call()));
    EXPECT_EQ(backend.sockets()->open_count(), 2u);
    backend.finish();
    EXPECT_EQ(backend.stack(), nullptr);
    const std::optional<CallOutcome> late = backend.call(socket_call());
    ASSERT_TRUE(late);
    EXPECT_EQ(late->error, static_cast<int>(api::Errno::kBadF));
}

}  // namespace
}  // namespace synack::drill
