// bind(): each answer against the reference kernel's (scenarios "bind" and "bind_matrix" of
// tests/api/linux/captured/probes.txt; the probe's 198.18.0.1 is the server's 198.18.0.2 here, 2001:2::1 its
// 2001:2::2, 127.0.0.1 its second address 198.18.0.22): addresses that are not ours, binding twice, ports in
// use by bound, listening and connected sockets, SO_REUSEADDR, IPV6_V6ONLY and v4-mapped addresses, and ports
// still held by connections the application closed (TIME_WAIT).
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <map>
#include <regex>

#include "api/harness.hpp"

namespace synack::api::test {
namespace {

struct BindHost : Hosts {
    SocketApi& api = server;
    Probe probe{"bind"};
    wire::IpAddress other = *wire::IpAddress::parse("198.18.0.22");

    BindHost() { EXPECT_TRUE(net.server().add_address(0, other, 24)); }

    SockAddr v4(const char* a, std::uint16_t port) const { return SockAddr::parse(a, port); }
    SockAddr local(std::uint16_t port) const { return server_v4(port); }
    SockAddr local6(std::uint16_t port) const { return server_v6(port); }
    SockAddr mapped(std::uint16_t port) const { return server_mapped(port); }
    SockAddr any6(std::uint16_t port) const { return SockAddr::v6(wire::IpAddress{}, port); }

    int fresh(int family, bool reuse = false, int v6only = -1) {
        const int fd = open(api, family);
        if (reuse) {
            EXPECT_EQ(api.setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, now()), ok());
        }
        if (v6only >= 0) {
            EXPECT_EQ(api.setsockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, v6only, now()), ok());
        }
        return fd;
    }
    SysResult bind_fresh(int family, const SockAddr& a, bool reuse = false, int v6only = -1) {
        return api.bind(fresh(family, reuse, v6only), a);
    }
};

TEST(Bind, AddressesAndPortsAsLinux) {
    BindHost h;
    SocketApi& api = h.api;
    const int a = h.fresh(AF_INET);
    h.probe.expect("bind(198.18.0.1:0)", api.bind(a, h.local(0)));
    SockAddr name;
    ASSERT_EQ(api.getsockname(a, name), ok());
    EXPECT_EQ(name.address, h.local(0).address);
    // Linux inet_csk_find_open_port(): bind(0) takes the odd ports of ip_local_port_range first.
    EXPECT_TRUE(linux_printed("bind", "port parity 1"));
    EXPECT_EQ(name.port % 2, 1);
    EXPECT_GE(name.port, 32768);
    EXPECT_LE(name.port, 60999);
    h.probe.expect("bind again", api.bind(a, h.local(0)));
    h.probe.expect("bind again, other port", api.bind(a, h.local(5999)));

    h.probe.expect("bind(198.18.0.99:5000)", h.bind_fresh(AF_INET, h.v4("198.18.0.99", 5000)));
    h.probe.expect("bind(198.18.0.1:5000)", h.bind_fresh(AF_INET, h.local(5000)));
    h.probe.expect("other socket bind(198.18.0.1:5000)", h.bind_fresh(AF_INET, h.local(5000)));
    h.probe.expect("other socket bind(0.0.0.0:5000)", h.bind_fresh(AF_INET, h.v4("0.0.0.0", 5000)));
    h.probe.expect("reuse socket bind(198.18.0.1:5000), first without reuse", h.bind_fresh(AF_INET, h.local(5000), true));

    const int e = h.fresh(AF_INET, true);
    const int f = h.fresh(AF_INET, true);
    h.probe.expect("reuse socket bind(198.18.0.1:5001)", api.bind(e, h.local(5001)));
    h.probe.expect("second reuse socket bind(0.0.0.0:5001)", api.bind(f, h.v4("0.0.0.0", 5001)));
    h.probe.expect("first listen", api.listen(e, 5, h.now()));
    h.probe.expect("second listen", api.listen(f, 5, h.now()));
    h.probe.expect("third reuse socket bind(198.18.0.1:5001) while one listens",
                   h.bind_fresh(AF_INET, h.local(5001), true));
    h.probe.expect("reuse socket bind(127.0.0.1:5001) (other address)",
                   h.bind_fresh(AF_INET, SockAddr::v4(h.other.v4(), 5001), true));
    h.probe.expect("non-reuse socket bind(127.0.0.1:5001) (other address)",
                   h.bind_fresh(AF_INET, SockAddr::v4(h.other.v4(), 5001)));

    h.probe.expect("bind(198.18.0.1:5002)", h.bind_fresh(AF_INET, h.local(5002)));
    h.probe.expect("AF_INET6 bind([::]:5002) (v6only 0)", h.bind_fresh(AF_INET6, h.any6(5002)));
    h.probe.expect("AF_INET6 v6only bind([::]:5002)", h.bind_fresh(AF_INET6, h.any6(5002), false, 1));
    const int l6 = h.fresh(AF_INET6);
    h.probe.expect("AF_INET6 bind([::ffff:198.18.0.1]:5003)", api.bind(l6, h.mapped(5003)));
    ASSERT_EQ(api.getsockname(l6, name), ok());
    EXPECT_EQ(name, SockAddr::v6(h.net.server_v4(), 5003));  // Linux: ('::ffff:198.18.0.1', 5003, 0, 0)
    EXPECT_EQ(name.to_string(), "[::ffff:198.18.0.2]:5003");
    h.probe.expect("AF_INET6 v6only bind([::ffff:198.18.0.1]:5004)", h.bind_fresh(AF_INET6, h.mapped(5004), false, 1));
    h.probe.expect("AF_INET6 bind([2001:2::99]:5005)",
                   h.bind_fresh(AF_INET6, SockAddr::parse("2001:2::99", 5005)));
    h.probe.expect("AF_INET6 bind([::ffff:198.18.0.99]:5005)",
                   h.bind_fresh(AF_INET6, SockAddr::parse("::ffff:198.18.0.99", 5005)));
    h.probe.expect("AF_INET6 bind([::ffff:0.0.0.0]:5005)", h.bind_fresh(AF_INET6, SockAddr::parse("::ffff:0.0.0.0", 5005)));
    h.probe.expect("AF_INET6 bind([2001:2::1]:5005)", h.bind_fresh(AF_INET6, h.local6(5005)));
    h.probe.expect("AF_INET bind(198.18.0.1:5005) beside [2001:2::1]:5005", h.bind_fresh(AF_INET, h.local(5005)));
    h.probe.expect("AF_INET6 bind([::]:5005) beside [2001:2::1]:5005", h.bind_fresh(AF_INET6, h.any6(5005)));
    h.probe.expect("AF_INET bind(0.0.0.0:5006)", h.bind_fresh(AF_INET, h.v4("0.0.0.0", 5006)));
    h.probe.expect("AF_INET6 bind([2001:2::1]:5006) beside 0.0.0.0:5006", h.bind_fresh(AF_INET6, h.local6(5006)));
    h.probe.expect("AF_INET6 bind([::ffff:198.18.0.1]:5006) beside 0.0.0.0:5006", h.bind_fresh(AF_INET6, h.mapped(5006)));
    h.probe.expect("AF_INET6 v6only bind([::]:5006) beside 0.0.0.0:5006", h.bind_fresh(AF_INET6, h.any6(5006), false, 1));
    h.probe.expect("AF_INET6 bind([::]:5007)", h.bind_fresh(AF_INET6, h.any6(5007)));
    h.probe.expect("AF_INET bind(198.18.0.1:5007) beside [::]:5007", h.bind_fresh(AF_INET, h.local(5007)));
    h.probe.expect("AF_INET6 bind([2001:2::1]:5007) beside [::]:5007", h.bind_fresh(AF_INET6, h.local6(5007)));

    const int t = h.fresh(AF_INET);
    ASSERT_EQ(api.listen(t, 1, h.now()), ok());
    h.probe.expect("bind after listen", api.bind(t, h.local(0)));
}

TEST(Bind, FamiliesOfTheAddress) {
    // inet_bind_sk(): an AF_INET socket takes AF_INET, or AF_UNSPEC with INADDR_ANY (compatibility);
    // inet6_bind_sk(): an AF_INET6 socket takes AF_INET6 only; IPv6 multicast is EINVAL for a stream socket.
    BindHost h;
    EXPECT_EQ(h.bind_fresh(AF_INET, h.local6(80)), fails(Errno::kAfNoSupport));
    EXPECT_EQ(h.bind_fresh(AF_INET6, h.local(80)), fails(Errno::kAfNoSupport));
    EXPECT_EQ(h.bind_fresh(AF_INET, SockAddr{abi::kAfUnspec, wire::IpAddress(wire::Ipv4Address{}), 81, 0, 0}), ok());
    EXPECT_EQ(h.bind_fresh(AF_INET, SockAddr{abi::kAfUnspec, h.local(0).address, 82, 0, 0}),
              fails(Errno::kAfNoSupport));
    EXPECT_EQ(h.bind_fresh(AF_INET6, SockAddr::parse("ff02::1", 83)), fails(Errno::kInval));
    EXPECT_EQ(h.api.bind(77, h.local(84)), fails(Errno::kBadF));
}

TEST(Bind, AfterConnectIsEinval) {
    BindHost h;
    const int u = Hosts::open(h.client);
    EXPECT_EQ(h.client.connect(u, h.silent_v4(80), h.now()), fails(Errno::kInProgress));
    h.probe.expect("bind after connect", h.client.bind(u, h.client_v4(0)));
}

// Every pair of the probe's bind_matrix: two sockets bind one port (the first not listening), then both
// listen; the same with SO_REUSEADDR on both; and with the first one listening.
TEST(Bind, EveryPairOfAddressesAsLinux) {
    struct Case {
        int family;
        SockAddr address;
        int v6only;  // -1: AF_INET
    };
    Hosts h;
    const wire::IpAddress v4 = h.net.server_v4();
    const wire::IpAddress v6 = h.net.server_v6();
    const std::map<std::string, Case> cases = {
        {"0.0.0.0", {AF_INET, SockAddr::v4(wire::Ipv4Address{}, 0), -1}},
        {"198.18.0.1", {AF_INET, SockAddr::v4(v4.v4(), 0), -1}},
        {"[::]", {AF_INET6, SockAddr::v6(wire::IpAddress{}, 0), 0}},
        {"[::] v6only", {AF_INET6, SockAddr::v6(wire::IpAddress{}, 0), 1}},
        {"[2001:2::1]", {AF_INET6, SockAddr::v6(v6, 0), 0}},
        {"[2001:2::1] v6only", {AF_INET6, SockAddr::v6(v6, 0), 1}},
        {"[::ffff:198.18.0.1]", {AF_INET6, SockAddr::v6(v4, 0), 0}},
        {"[::ffff:0.0.0.0]", {AF_INET6, SockAddr::v6(wire::IpAddress(wire::Ipv4Address{}), 0), 0}},
    };
    const std::regex line(R"(reuse (\d)( listening)?: (.+) then (.+?)(, both listen)? = (.+))");
    SocketApi& api = h.server;
    std::uint16_t port = 6000;
    int checked = 0;
    SysResult last_bind = ok();
    int x = -1;
    int y = -1;
    for (const std::string& text : linux_lines("bind_matrix")) {
        std::smatch m;
        ASSERT_TRUE(std::regex_match(text, m, line)) << text;
        const bool reuse = m[1] == "1";
        const bool first_listens = m[2].matched;
        const Case& first = cases.at(m[3]);
        const Case& second = cases.at(m[4]);
        const std::string linux_result = m[6];
        if (m[5].matched) {
            // ", both listen": the second socket bound; both now listen.
            ASSERT_TRUE(last_bind.ok()) << text;
            EXPECT_EQ(api.listen(x, 1, h.now()), ok()) << text;
            EXPECT_EQ(as_probe(api.listen(y, 1, h.now())), linux_result) << text;
            ++checked;
            continue;
        }
        if (x >= 0) {
            (void)api.close(x, h.now());
            (void)api.close(y, h.now());
        }
        ++port;
        x = Hosts::open(api, first.family);
        y = Hosts::open(api, second.family);
        for (const auto& [fd, c] : {std::pair{x, first}, std::pair{y, second}}) {
            EXPECT_EQ(api.setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, reuse ? 1 : 0, h.now()), ok());
            if (c.v6only >= 0) {
                EXPECT_EQ(api.setsockopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, c.v6only, h.now()), ok());
            }
        }
        SockAddr a = first.address;
        a.port = port;
        ASSERT_EQ(api.bind(x, a), ok()) << text;
        if (first_listens) {
            ASSERT_EQ(api.listen(x, 1, h.now()), ok()) << text;
        }
        SockAddr b = second.address;
        b.port = port;
        last_bind = api.bind(y, b);
        EXPECT_EQ(as_probe(last_bind), linux_result) << text;
        ++checked;
    }
    EXPECT_EQ(checked, 280);
}

// The probe's client bound a port (SO_REUSEADDR as given), connected, and closed first: its port went to
// TIME_WAIT. Linux lets another socket bind it only when both have SO_REUSEADDR (tw_reuse and sk_reuse).
TEST(Bind, PortHeldByATimeWaitEntryAsLinux) {
    for (int old_reuse = 0; old_reuse <= 1; ++old_reuse) {
        for (int new_reuse = 0; new_reuse <= 1; ++new_reuse) {
            Hosts h;
            const int l = h.listener(7000);
            const int c = Hosts::open(h.client);
            ASSERT_EQ(h.client.setsockopt_int(c, SOL_SOCKET, SO_REUSEADDR, old_reuse, h.now()), ok());
            ASSERT_EQ(h.client.bind(c, h.client_v4(0)), ok());
            SockAddr name;
            ASSERT_EQ(h.client.getsockname(c, name), ok());
            ASSERT_EQ(h.client.connect(c, h.server_v4(7000), h.now()), fails(Errno::kInProgress));
            h.run(10ms);
            const int s = static_cast<int>(h.server.accept(l, nullptr, h.now()).value);
            ASSERT_EQ(h.client.close(c, h.now()), ok());
            h.run(10ms);
            ASSERT_EQ(h.server.close(s, h.now()), ok());
            h.run(10ms);
            ASSERT_EQ(h.net.client().time_wait_count(), 1u);
            const int n = Hosts::open(h.client);
            ASSERT_EQ(h.client.setsockopt_int(n, SOL_SOCKET, SO_REUSEADDR, new_reuse, h.now()), ok());
            const std::string call = "bind to a TIME_WAIT port (old SO_REUSEADDR " + std::to_string(old_reuse) +
                                     ", new " + std::to_string(new_reuse) + ")";
            Probe{"bind"}.expect(call, h.client.bind(n, name));
            // TIME_WAIT lasts 60 s; then the port is free.
            ASSERT_EQ(h.client.close(n, h.now()), ok());
            h.run(61s);
            EXPECT_EQ(h.net.client().time_wait_count(), 0u);
            const int later = Hosts::open(h.client);
            EXPECT_EQ(h.client.bind(later, name), ok()) << call;
        }
    }
}

TEST(Bind, PortHeldByAnAcceptedConnectionAsLinux) {
    // The listener closed; the connection it accepted keeps the port.
    Hosts h;
    const int l = h.listener(7001);
    const auto [c, s] = h.connected_pair(l, 7001);
    ASSERT_EQ(h.server.close(l, h.now()), ok());
    const int n = Hosts::open(h.server);
    Probe{"bind"}.expect("bind to a port an accepted connection holds", h.server.bind(n, h.server_v4(7001)));
    ASSERT_EQ(h.server.setsockopt_int(n, SOL_SOCKET, SO_REUSEADDR, 1, h.now()), ok());
    Probe{"bind"}.expect("same with SO_REUSEADDR", h.server.bind(n, h.server_v4(7001)));
    // The connection reset by its peer (SO_LINGER {1, 0}) lets the port go at once (tcp_done() puts it), the
    // accepted socket still open.
    const Linger abort{1, 0};
    ASSERT_EQ(h.client.setsockopt(c, SOL_SOCKET, SO_LINGER,
                                  wire::Bytes(reinterpret_cast<const std::uint8_t*>(&abort), sizeof(abort)), h.now()),
              ok());
    ASSERT_EQ(h.client.close(c, h.now()), ok());
    h.run(10ms);
    EXPECT_EQ(h.net.server().connection(*h.server.connection_of(s))->state(), tcp::State::kClosed);
    Probe{"bind"}.expect("bind to it after the peer reset the accepted connection", h.server.bind(n, h.server_v4(7001)));
}

}  // namespace
}  // namespace synack::api::test
