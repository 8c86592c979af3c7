// device::TunDevice against the kernel: in a network namespace of the test's own (synack-drill-<pid>), a UDP
// datagram written to the TUN device reaches a kernel UDP socket, and one the kernel sends comes out of read().
// Needs root and /dev/net/tun; skipped otherwise.
#include "device/tun.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "wire/address.hpp"
#include "wire/ip_protocol.hpp"
#include "wire/ipv4.hpp"
#include "wire/udp.hpp"

namespace synack::device {
namespace {

bool have_root_and_tun() { return ::geteuid() == 0 && ::access("/dev/net/tun", F_OK) == 0; }

bool run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; }

// A named network namespace (as `ip netns add` makes it) that this thread stays in until destruction.
class OwnNamespace {
public:
    OwnNamespace() : name_("synack-drill-" + std::to_string(::getpid())) {
        if (!run("ip netns add " + name_)) {
            return;
        }
        added_ = true;
        home_ = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        int ns = ::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
        entered_ = home_ >= 0 && ns >= 0 && ::setns(ns, CLONE_NEWNET) == 0;
        if (ns >= 0) {
            ::close(ns);
        }
    }
    ~OwnNamespace() {
        if (entered_) {
            ::setns(home_, CLONE_NEWNET);
        }
        if (home_ >= 0) {
            ::close(home_);
        }
        if (added_) {
            run("ip netns delete " + name_);
        }
    }
    OwnNamespace(const OwnNamespace&) = delete;
    OwnNamespace& operator=(const OwnNamespace&) = delete;

    bool ok() const { return entered_; }
    const std::string& name() const { return name_; }

private:
    std::string name_;
    bool added_ = false;
    bool entered_ = false;
    int home_ = -1;
};

const wire::Ipv4Address kLocal{{198, 18, 0, 1}};
const wire::Ipv4Address kPeer{{198, 18, 0, 2}};

sockaddr_in socket_address(const wire::Ipv4Address& address, std::uint16_t port) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    address.write(reinterpret_cast<std::uint8_t*>(&in.sin_addr));
    return in;
}

TEST(TunDevice, RefusesANameLongerThanIfnamsizAllows) {
    auto tun = TunDevice::open("synack-0123456789");
    ASSERT_FALSE(tun.ok());
    EXPECT_EQ(tun.error(), "TUN device name \"synack-0123456789\" must have 1 to 15 characters");
}

TEST(TunDevice, CarriesPacketsBothWaysInItsOwnNamespace) {
    if (!have_root_and_tun()) {
        GTEST_SKIP() << "needs root and /dev/net/tun";
    }
    OwnNamespace ns;
    ASSERT_TRUE(ns.ok()) << "cannot make and enter network namespace " << ns.name();
    const std::string name = "synack-d" + std::to_string(::getpid());
    auto opened = TunDevice::open(name);
    ASSERT_TRUE(opened.ok()) << opened.error();
    TunDevice tun = std::move(opened).value();
    EXPECT_EQ(tun.name(), name);
    EXPECT_GE(tun.fd(), 0);
    ASSERT_TRUE(run("ip -n " + ns.name() + " link set dev " + name + " up"));
    ASSERT_TRUE(run("ip -n " + ns.name() + " addr add 198.18.0.1/16 dev " + name));

    // Nothing waiting yet that is ours: read() answers 0 once the queue is empty (IPv6 noise may come first).
    std::array<std::uint8_t, 2048> buffer{};
    for (;;) {
        auto read = tun.read(buffer);
        ASSERT_TRUE(read.ok()) << read.error();
        if (*read == 0) {
            break;
        }
    }

    int udp = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);  // made on this thread: inside the namespace
    ASSERT_GE(udp, 0);
    sockaddr_in bound = socket_address(kLocal, 5000);
    ASSERT_EQ(::bind(udp, reinterpret_cast<const sockaddr*>(&bound), sizeof bound), 0);

    // Inbound: 198.18.0.2:4000 → 198.18.0.1:5000 "hello", written to the device, received by the socket.
    const std::vector<std::uint8_t> hello = {'h', 'e', 'l', 'l', 'o'};
    wire::UdpBuilder udp_header;
    udp_header.source_port = 4000;
    udp_header.destination_port = 5000;
    std::vector<std::uint8_t> datagram = udp_header.build(hello, kPeer, kLocal);
    wire::Ipv4Builder ip;
    ip.protocol = wire::ip_protocol::kUdp;
    ip.source = kPeer;
    ip.destination = kLocal;
    ip.payload_length = static_cast<std::uint16_t>(datagram.size());
    std::vector<std::uint8_t> packet(ip.size());
    ip.write(packet);
    packet.insert(packet.end(), datagram.begin(), datagram.end());
    auto written = tun.write(packet);
    ASSERT_TRUE(written.ok()) << written.error();

    pollfd socket_ready{udp, POLLIN, 0};
    ASSERT_EQ(::poll(&socket_ready, 1, 1000), 1) << "the kernel did not deliver the datagram";
    std::array<char, 64> received{};
    sockaddr_in from{};
    socklen_t from_length = sizeof from;
    ssize_t n = ::recvfrom(udp, received.data(), received.size(), 0, reinterpret_cast<sockaddr*>(&from),
                           &from_length);
    ASSERT_EQ(n, 5);
    EXPECT_EQ(std::string(received.data(), 5), "hello");
    EXPECT_EQ(ntohs(from.sin_port), 4000);
    EXPECT_EQ(wire::Ipv4Address::from_bytes(reinterpret_cast<const std::uint8_t*>(&from.sin_addr)), kPeer);

    // Outbound: the socket answers "ping" to 198.18.0.2:4000; read() returns that IPv4 packet.
    sockaddr_in peer = socket_address(kPeer, 4000);
    ASSERT_EQ(::sendto(udp, "ping", 4, 0, reinterpret_cast<const sockaddr*>(&peer), sizeof peer), 4);
    bool seen = false;
    for (int attempt = 0; attempt < 20 && !seen; ++attempt) {
        pollfd tun_ready{tun.fd(), POLLIN, 0};
        ASSERT_EQ(::poll(&tun_ready, 1, 1000), 1) << "nothing came out of the TUN device";
        auto read = tun.read(buffer);
        ASSERT_TRUE(read.ok()) << read.error();
        wire::Bytes bytes(buffer.data(), *read);
        if (*read == 0 || (bytes[0] >> 4) != 4) {
            continue;  // IPv6 noise (router solicitation, MLD report)
        }
        auto sent = wire::Ipv4View::parse_strict(bytes);
        ASSERT_TRUE(sent.ok());
        EXPECT_EQ(sent->source(), kLocal);
        EXPECT_EQ(sent->destination(), kPeer);
        ASSERT_EQ(sent->protocol(), wire::ip_protocol::kUdp);
        auto sent_udp = wire::UdpView::parse_strict(sent->payload());
        ASSERT_TRUE(sent_udp.ok());
        EXPECT_EQ(sent_udp->source_port(), 5000);
        EXPECT_EQ(sent_udp->destination_port(), 4000);
        EXPECT_EQ(std::string(sent_udp->payload().begin(), sent_udp->payload().end()), "ping");
        seen = true;
    }
    EXPECT_TRUE(seen);
    ::close(udp);
    tun.close();
    EXPECT_FALSE(tun.is_open());
    EXPECT_FALSE(run("ip -n " + ns.name() + " link show dev " + name)) << "closing the device removes it";
}

}  // namespace
}  // namespace synack::device
