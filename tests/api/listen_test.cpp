// listen() and accept(): binding on listen, the backlog (clamped to somaxconn, changed by a second listen()),
// what a listener answers to the other calls, SHUT_RD stopping it, the accepted socket (addresses, inherited
// options, not inherited O_NONBLOCK), IPv4 clients of an IPv6 listener — against the reference kernel's
// answers (scenario "listen" of tests/api/linux/captured/probes.txt).
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "api/harness.hpp"

namespace synack::api::test {
namespace {

tcp::TcpInfo tcp_info(SocketApi& api, int fd, Instant now) {
    tcp::TcpInfo i;
    int len = sizeof(i);
    EXPECT_EQ(api.getsockopt(fd, IPPROTO_TCP, TCP_INFO,
                             wire::MutableBytes(reinterpret_cast<std::uint8_t*>(&i), sizeof(i)), len, now),
              ok());
    EXPECT_EQ(len, 280);
    return i;
}

TEST(Listen, ListenerAnswersAsLinux) {
    Hosts h;
    SocketApi& api = h.server;
    const Probe p{"listen"};
    const int a = Hosts::open(api);
    p.expect("listen(5) unbound", api.listen(a, 5, h.now()));
    SockAddr name;
    ASSERT_EQ(api.getsockname(a, name), ok());
    EXPECT_TRUE(name.address.is_unspecified());
    EXPECT_TRUE(linux_printed("listen", "port parity 1"));
    EXPECT_EQ(name.port % 2, 1);  // an autobound listener takes an odd port first, as bind(0)
    EXPECT_EQ(std::to_string(sockopt(api, a, SOL_SOCKET, SO_ACCEPTCONN, h.now())),
              linux_answer("listen", "getsockopt(SO_ACCEPTCONN)"));

    // Linux: state=10 … unacked=0 sacked=5 … snd_cwnd=10 reordering=3 pacing_rate=max_pacing_rate=2^64-1,
    // every other field 0.
    tcp::TcpInfo i = tcp_info(api, a, h.now());
    EXPECT_EQ(i.tcpi_state, 10);
    EXPECT_EQ(i.tcpi_unacked, 0u);
    EXPECT_EQ(i.tcpi_sacked, 5u);
    EXPECT_EQ(i.tcpi_snd_cwnd, 10u);
    EXPECT_EQ(i.tcpi_reordering, 3u);
    EXPECT_EQ(i.tcpi_pacing_rate, ~std::uint64_t{0});
    EXPECT_EQ(i.tcpi_max_pacing_rate, ~std::uint64_t{0});
    EXPECT_EQ(i.tcpi_rto, 0u);
    EXPECT_EQ(i.tcpi_snd_mss, 0u);
    EXPECT_EQ(i.tcpi_rttvar, 0u);
    EXPECT_EQ(i.tcpi_min_rtt, 0u);
    EXPECT_EQ(i.tcpi_delivery_rate_app_limited, 0);

    // A second listen() changes the backlog only; negative and huge ones become somaxconn (4096).
    const std::pair<int, const char*> backlogs[] = {{10, "10"}, {-1, "4096"}, {-5, "4096"}, {100000, "4096"}, {0, "0"}};
    for (const auto& [b, sacked] : backlogs) {
        EXPECT_EQ(api.listen(a, b, h.now()), ok());
        EXPECT_EQ(std::to_string(tcp_info(api, a, h.now()).tcpi_sacked), sacked) << b;
    }
    p.expect("listen(10) again", ok());
    p.expect("listen(-1)", ok());
    EXPECT_EQ(sockopt(api, a, SOL_SOCKET, SO_ACCEPTCONN, h.now()), 1);

    EXPECT_EQ(poll_text(api, a), linux_answer("listen", "poll"));
    p.expect("accept", api.accept(a, nullptr, h.now()));
    SockAddr peer;
    p.expect("getpeername", api.getpeername(a, peer));
    std::uint8_t buf[10];
    p.expect("recv", api.recv(a, buf, 0, h.now()));
    p.expect("recv(0)", api.recv(a, wire::MutableBytes(buf, 0), 0, h.now()));
    const std::uint64_t sigpipes = api.sigpipe_count();
    p.expect("send", api.send(a, wire::Bytes(buf, 1), 0, h.now()));
    EXPECT_EQ(api.sigpipe_count(), sigpipes + 1);
    int q = 0;
    p.expect("ioctl(SIOCINQ)", api.ioctl(a, SIOCINQ, q));
    p.expect("ioctl(SIOCOUTQ)", api.ioctl(a, SIOCOUTQ, q));
    p.expect("connect on listener", api.connect(a, h.client_v4(9), h.now()));
    p.expect("shutdown(SHUT_WR) on listener", api.shutdown(a, SHUT_WR, h.now()));
    EXPECT_EQ(poll_text(api, a), linux_nth("listen", "poll", 1));
    EXPECT_EQ(sockopt(api, a, SOL_SOCKET, SO_ACCEPTCONN, h.now()), 1);
}

TEST(Listen, AcceptAndShutRdAsLinux) {
    Hosts h;
    SocketApi& api = h.server;
    const Probe p{"listen"};
    // As the probe: listen() binds the socket to a port of its choosing (no SOCK_BINDPORT_LOCK).
    const int a = Hosts::open(h.server);
    ASSERT_EQ(api.listen(a, 8, h.now()), ok());
    SockAddr bound;
    ASSERT_EQ(api.getsockname(a, bound), ok());
    const std::uint16_t port = bound.port;
    const int c = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(c, h.server_v4(port), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    EXPECT_EQ(poll_text(api, a), linux_nth("listen", "poll", 2));  // POLLIN|POLLRDNORM
    tcp::TcpInfo i = tcp_info(api, a, h.now());
    EXPECT_EQ(i.tcpi_unacked, 1u);  // Linux: state=10 unacked=1 sacked=8
    EXPECT_EQ(i.tcpi_sacked, 8u);

    SockAddr peer;
    const SysResult child = api.accept(a, &peer, h.now());
    ASSERT_TRUE(child.ok());
    const int s = static_cast<int>(child.value);
    SockAddr client_name;
    ASSERT_EQ(h.client.getsockname(c, client_name), ok());
    EXPECT_EQ(peer, client_name);
    EXPECT_EQ(poll_text(api, a), linux_nth("listen", "poll", 3));
    SockAddr name;
    ASSERT_EQ(api.getsockname(s, name), ok());
    EXPECT_EQ(name, h.server_v4(port));  // Linux: child getsockname = the listener's port, the local address
    ASSERT_EQ(api.getpeername(s, name), ok());
    EXPECT_EQ(name, client_name);
    // O_NONBLOCK is not inherited: it comes from accept4()'s SOCK_NONBLOCK only.
    EXPECT_EQ(as_probe(api.fcntl(s, F_GETFL), true), linux_answer("listen", "fcntl(accept4(0) child, F_GETFL)"));
    EXPECT_EQ(as_probe(api.fcntl(s, F_GETFD), true), linux_answer("listen", "fcntl(accept4(0) child, F_GETFD)"));
    const int c2 = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(c2, h.server_v4(port), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    const SysResult nb = api.accept(a, nullptr, h.now(), SOCK_NONBLOCK);
    ASSERT_TRUE(nb.ok());
    EXPECT_EQ(as_probe(api.fcntl(static_cast<int>(nb.value), F_GETFL), true),
              linux_answer("listen", "fcntl(accept4(SOCK_NONBLOCK) child, F_GETFL)"));
    p.expect("accept4(SOCK_NONBLOCK) empty", api.accept(a, nullptr, h.now(), SOCK_NONBLOCK));
    EXPECT_EQ(api.accept(a, nullptr, h.now(), 0x40), fails(Errno::kInval));  // accept4(): unknown flags

    // SHUT_RD stops listening (tcp_disconnect()); the socket is CLOSE, and may listen again.
    p.expect("shutdown(SHUT_RD) on listener", api.shutdown(a, SHUT_RD, h.now()));
    EXPECT_EQ(poll_text(api, a), linux_nth("listen", "poll", 4));
    EXPECT_EQ(std::to_string(sockopt(api, a, SOL_SOCKET, SO_ACCEPTCONN, h.now())), "0");
    EXPECT_EQ(tcp_info(api, a, h.now()).tcpi_state, 7);  // Linux: tcp_info state=7
    p.expect("accept after", api.accept(a, nullptr, h.now()));
    const int c3 = Hosts::open(h.client);
    p.expect("connect to the port", h.client.connect(c3, h.server_v4(port), h.now()));
    h.run(10ms);
    EXPECT_EQ(std::to_string(sockopt(h.client, c3, SOL_SOCKET, SO_ERROR, h.now())),
              linux_answer("listen", "getsockopt(SO_ERROR)"));  // 111: ECONNREFUSED
    // tcp_set_state(TCP_CLOSE) gave the port back (inet_put_port(): no SOCK_BINDPORT_LOCK), so listen() binds
    // afresh beside the accepted connections that still hold the old one.
    p.expect("listen again after SHUT_RD", api.listen(a, 3, h.now()));
    SockAddr again;
    ASSERT_EQ(api.getsockname(a, again), ok());
    EXPECT_NE(again.port, 0);
}

TEST(Listen, OnSocketsThatAreNotClosedAsLinux) {
    Hosts h;
    const Probe p{"listen"};
    const int l = h.listener(7200);
    const auto [c, s] = h.connected_pair(l, 7200);
    p.expect("listen on accepted socket", h.server.listen(s, 1, h.now()));
    p.expect("listen on connected socket", h.client.listen(c, 1, h.now()));
    const int d = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(d, h.silent_v4(80), h.now()), fails(Errno::kInProgress));
    p.expect("listen on SYN_SENT socket", h.client.listen(d, 1, h.now()));
    const int e = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(e, h.server_v4(1), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    p.expect("listen on refused socket (SO_ERROR unread)", h.client.listen(e, 1, h.now()));
    EXPECT_EQ(sockopt(h.client, e, SOL_SOCKET, SO_ERROR, h.now()), ECONNREFUSED);
    p.expect("connect again", h.client.connect(e, h.server_v4(1), h.now()));
    p.expect("listen after that", h.client.listen(e, 1, h.now()));
}

TEST(Listen, AcceptedSocketsInheritOptionsAsLinux) {
    Hosts h;
    SocketApi& api = h.server;
    const Instant now = h.now();
    const int f = Hosts::open(api);
    ASSERT_EQ(api.setsockopt_int(f, IPPROTO_TCP, TCP_NODELAY, 1, now), ok());
    ASSERT_EQ(api.setsockopt_int(f, SOL_SOCKET, SO_KEEPALIVE, 1, now), ok());
    ASSERT_EQ(api.setsockopt_int(f, SOL_SOCKET, SO_RCVBUF, 10000, now), ok());
    ASSERT_EQ(api.setsockopt_int(f, SOL_SOCKET, SO_SNDBUF, 10000, now), ok());
    ASSERT_EQ(api.setsockopt_int(f, IPPROTO_TCP, TCP_KEEPIDLE, 77, now), ok());
    ASSERT_EQ(api.setsockopt_int(f, IPPROTO_TCP, TCP_USER_TIMEOUT, 1234, now), ok());
    ASSERT_EQ(api.setsockopt_int(f, IPPROTO_TCP, TCP_SYNCNT, 3, now), ok());
    const Linger abort{1, 0};
    ASSERT_EQ(api.setsockopt(f, SOL_SOCKET, SO_LINGER,
                             wire::Bytes(reinterpret_cast<const std::uint8_t*>(&abort), sizeof(abort)), now),
              ok());
    ASSERT_EQ(api.bind(f, h.server_v4(7300)), ok());
    ASSERT_EQ(api.listen(f, 1, now), ok());
    // TCP_MAXSEG set on the listening socket reaches the connections to come.
    ASSERT_EQ(api.setsockopt_int(f, IPPROTO_TCP, TCP_MAXSEG, 1000, now), ok());
    const int g = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(g, h.server_v4(7300), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    const int ch = static_cast<int>(api.accept(f, nullptr, h.now()).value);
    const std::tuple<const char*, int, int> checks[] = {
        {"TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY},   {"SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE},
        {"SO_RCVBUF", SOL_SOCKET, SO_RCVBUF},        {"SO_SNDBUF", SOL_SOCKET, SO_SNDBUF},
        {"TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE}, {"TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT},
        {"TCP_SYNCNT", IPPROTO_TCP, TCP_SYNCNT},     {"TCP_MAXSEG", IPPROTO_TCP, TCP_MAXSEG},
        {"SO_ACCEPTCONN", SOL_SOCKET, SO_ACCEPTCONN},
    };
    for (const auto& [name, level, option] : checks) {
        EXPECT_EQ(std::to_string(sockopt(api, ch, level, option, h.now())),
                  linux_answer("listen", std::string("getsockopt(child ") + name + ")"))
            << name;
    }
    Linger l;
    int len = sizeof(l);
    ASSERT_EQ(api.getsockopt(ch, SOL_SOCKET, SO_LINGER, wire::MutableBytes(reinterpret_cast<std::uint8_t*>(&l), sizeof(l)),
                             len, h.now()),
              ok());
    EXPECT_EQ(l.l_onoff, 1);  // Linux: child SO_LINGER = {1, 0}
    EXPECT_EQ(l.l_linger, 0);
}

TEST(Listen, Ipv6ListenerTakesIpv4ClientsAsLinux) {
    Hosts h;
    const int l = h.listener(7400, 4, AF_INET6);
    const int c = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(c, h.server_v4(7400), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    SockAddr peer;
    const int s = static_cast<int>(h.server.accept(l, &peer, h.now()).value);
    // Linux: ('::ffff:198.18.0.1', 46920, 0, 0) — an AF_INET6 address holding the IPv4 one.
    EXPECT_EQ(peer.family, AF_INET6);
    EXPECT_EQ(peer.address, h.net.client_v4());
    SockAddr name;
    ASSERT_EQ(h.server.getsockname(s, name), ok());
    EXPECT_EQ(name, h.server_mapped(7400));
    EXPECT_EQ(std::to_string(sockopt(h.server, s, SOL_SOCKET, SO_DOMAIN, h.now())),
              linux_answer("listen", "getsockopt(child SO_DOMAIN)"));
    // IPV6_V6ONLY keeps IPv4 clients out: the SYN finds no listener and is refused (RFC 3493 §5.3).
    const int only = Hosts::open(h.server, AF_INET6);
    ASSERT_EQ(h.server.setsockopt_int(only, IPPROTO_IPV6, IPV6_V6ONLY, 1, h.now()), ok());
    ASSERT_EQ(h.server.bind(only, SockAddr::v6(wire::IpAddress{}, 7401)), ok());
    ASSERT_EQ(h.server.listen(only, 4, h.now()), ok());
    const int c4 = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(c4, h.server_v4(7401), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    EXPECT_EQ(sockopt(h.client, c4, SOL_SOCKET, SO_ERROR, h.now()), ECONNREFUSED);
    const int c6 = Hosts::open(h.client, AF_INET6);
    ASSERT_EQ(h.client.connect(c6, h.server_v6(7401), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    EXPECT_EQ(h.client.connect(c6, h.server_v6(7401), h.now()), ok());
}

TEST(Listen, AcceptQueueHoldsBacklogPlusOneAsLinux) {
    // Linux: listen(1) and four clients: unacked=2 sacked=1 (sk_acceptq_is_full() is "more than the backlog").
    Hosts h;
    const int l = h.listener(7500, 1);
    for (int k = 0; k < 4; ++k) {
        const int c = Hosts::open(h.client);
        ASSERT_EQ(h.client.connect(c, h.server_v4(7500), h.now()), fails(Errno::kInProgress));
    }
    h.run(20ms);
    const tcp::TcpInfo i = tcp_info(h.server, l, h.now());
    EXPECT_EQ(i.tcpi_unacked, 2u);
    EXPECT_EQ(i.tcpi_sacked, 1u);
    EXPECT_TRUE(linux_printed("listen", "tcp_info unacked=2 sacked=1"));
}

TEST(Listen, CloseResetsWhatWasNotAccepted) {
    // inet_csk_listen_stop(): the queued connection is reset; its client sees ECONNRESET.
    Hosts h;
    const int l = h.listener(7600);
    const int c = Hosts::open(h.client);
    ASSERT_EQ(h.client.connect(c, h.server_v4(7600), h.now()), fails(Errno::kInProgress));
    h.run(10ms);
    ASSERT_EQ(h.client.connect(c, h.server_v4(7600), h.now()), ok());
    ASSERT_EQ(h.server.close(l, h.now()), ok());
    h.run(10ms);
    std::uint8_t buf[4];
    EXPECT_EQ(h.client.recv(c, buf, 0, h.now()), fails(Errno::kConnReset));
    EXPECT_EQ(h.server.listen(l, 1, h.now()), fails(Errno::kBadF));
}

}  // namespace
}  // namespace synack::api::test
