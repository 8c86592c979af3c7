// Two stacks on the simulated network (runtime::TwoHostNetwork: client 198.18.0.1 / 2001:2::1, server 198.18.0.2
// / 2001:2::2, 1 ms each way), each with a socket facade, and the reference kernel's answers to the same
// calls (tests/api/linux/captured/probes.txt, made by tests/api/linux/run.sh; its addresses 198.18.0.1 and
// 2001:2::1 play the server's part here, 198.18.0.2 the silent host's).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "api/socket_api.hpp"
#include "runtime/stack_node.hpp"

namespace synack::api {

inline void PrintTo(const SysResult& r, std::ostream* os) { *os << r.to_string(); }
inline void PrintTo(const SockAddr& a, std::ostream* os) { *os << a.to_string(); }

namespace test {

using namespace std::chrono_literals;

inline SysResult ok(std::int64_t v = 0) { return SysResult::success(v); }
inline SysResult fails(Errno e) { return SysResult::failure(e); }

// The lines Linux printed for one scenario, without the "scenario: " prefix.
inline std::vector<std::string> linux_lines(const std::string& scenario) {
    std::ifstream in(std::string(SYNACK_SOURCE_DIR) + "/tests/api/linux/captured/probes.txt");
    std::vector<std::string> lines;
    const std::string prefix = scenario + ": ";
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) == 0) lines.push_back(line.substr(prefix.size()));
    }
    return lines;
}

// What Linux answered to the call printed as `call` in `scenario`: "None" (0), a value, or "-1 ENAME".
inline std::string linux_answer(const std::string& scenario, const std::string& call) {
    for (const std::string& line : linux_lines(scenario)) {
        const std::string head = call + " = ";
        if (line.rfind(head, 0) == 0) return line.substr(head.size());
    }
    ADD_FAILURE() << "no Linux answer for " << scenario << ": " << call;
    return "?";
}

// The n-th (from 0) answer to a call the scenario made several times.
inline std::string linux_nth(const std::string& scenario, const std::string& call, int n) {
    for (const std::string& line : linux_lines(scenario)) {
        const std::string head = call + " = ";
        if (line.rfind(head, 0) == 0 && n-- == 0) return line.substr(head.size());
    }
    ADD_FAILURE() << "no such Linux answer for " << scenario << ": " << call;
    return "?";
}

// Whether the scenario printed exactly this line.
inline bool linux_printed(const std::string& scenario, const std::string& text) {
    for (const std::string& line : linux_lines(scenario)) {
        if (line == text) return true;
    }
    return false;
}

// A SysResult in the probes' words: "None" for 0 from a call returning nothing, "-1 ENAME" for a failure.
inline std::string as_probe(const SysResult& r, bool returns_value = false) {
    if (!r.ok()) return "-1 " + std::string(errno_name(r.error));
    return returns_value ? std::to_string(r.value) : (r.value == 0 ? "None" : std::to_string(r.value));
}

// Compares synack's answers with Linux's, call by call, within one probe scenario.
struct Probe {
    std::string scenario;
    void expect(const std::string& call, const SysResult& r, bool returns_value = false) const {
        EXPECT_EQ(as_probe(r, returns_value), linux_answer(scenario, call)) << scenario << ": " << call;
    }
};

struct Hosts {
    runtime::TwoHostNetwork net;
    SocketApi client;
    SocketApi server;

    explicit Hosts(const runtime::TwoHostConfig& config = {})
        : net(config), client(net.client()), server(net.server()) {}

    Instant now() const { return net.now(); }
    void run(Duration d) {
        net.run_for(d);
        client.dispatch();
        server.dispatch();
    }

    SockAddr server_v4(std::uint16_t port) const { return SockAddr::v4(net.server_v4().v4(), port); }
    SockAddr server_v6(std::uint16_t port) const { return SockAddr::v6(net.server_v6(), port); }
    SockAddr server_mapped(std::uint16_t port) const { return SockAddr::v6(net.server_v4(), port); }
    SockAddr client_v4(std::uint16_t port) const { return SockAddr::v4(net.client_v4().v4(), port); }
    // Routed to the server's link, where nobody answers: a SYN to it is never acknowledged.
    SockAddr silent_v4(std::uint16_t port) const { return SockAddr::v4(*wire::Ipv4Address::parse("198.18.0.3"), port); }

    static int open(SocketApi& api, int family = abi::kAfInet) {
        const SysResult r = api.socket(family, abi::kSockStream | abi::kSockNonblock, 0);
        EXPECT_TRUE(r.ok()) << r.to_string();
        return static_cast<int>(r.value);
    }

    // A listener on the server, a client connected to it and the accepted socket: {client fd, server fd}.
    std::pair<int, int> connected_pair(int listener, std::uint16_t port, int family = abi::kAfInet) {
        const int c = open(client, family);
        const SockAddr to = family == abi::kAfInet ? server_v4(port) : server_v6(port);
        EXPECT_EQ(client.connect(c, to, now()), SysResult::failure(Errno::kInProgress));
        run(10ms);
        const SysResult s = server.accept(listener, nullptr, now());
        EXPECT_TRUE(s.ok()) << s.to_string();
        return {c, static_cast<int>(s.value)};
    }

    int listener(std::uint16_t port, int backlog = 16, int family = abi::kAfInet) {
        const int l = open(server, family);
        const SockAddr at = family == abi::kAfInet ? SockAddr::v4(wire::Ipv4Address{}, port)
                                                   : SockAddr::v6(wire::IpAddress{}, port);
        EXPECT_EQ(server.bind(l, at), SysResult::success());
        EXPECT_EQ(server.listen(l, backlog, now()), SysResult::success());
        return l;
    }
};

inline std::string poll_text(const SocketApi& api, int fd) { return abi::poll_events_text(api.readiness(fd)); }

inline int sockopt(SocketApi& api, int fd, int level, int name, Instant now) {
    int v = -12345;
    const SysResult r = api.getsockopt_int(fd, level, name, v, now);
    EXPECT_TRUE(r.ok()) << r.to_string();
    return v;
}

}  // namespace test
}  // namespace synack::api
