// Packets per second through the simulated link and router (device/sim_link, device/sim_router): the cost the
// simulator adds to every packet of a simulated run. Reports only; there is no goal.
#include <benchmark/benchmark.h>

#include <vector>

#include "device/sim_link.hpp"
#include "device/sim_random.hpp"
#include "device/sim_router.hpp"
#include "wire/ipv4.hpp"
#include "wire/ipv6.hpp"

namespace {

using namespace synack;

std::vector<std::uint8_t> ipv4_packet(std::size_t total, bool df) {
    wire::Ipv4Builder h;
    h.dont_fragment = df;
    h.protocol = wire::ip_protocol::kTcp;
    h.source = *wire::Ipv4Address::parse("198.18.1.1");
    h.destination = *wire::Ipv4Address::parse("198.18.2.1");
    h.payload_length = static_cast<std::uint16_t>(total - h.size());
    std::vector<std::uint8_t> p(total, 0x5a);
    h.write(p);
    return p;
}

std::vector<std::uint8_t> ipv6_packet(std::size_t total) {
    wire::Ipv6Builder h;
    h.source = *wire::Ipv6Address::parse("2001:2:0:1::1");
    h.destination = *wire::Ipv6Address::parse("2001:2:0:2::1");
    h.payload_length = static_cast<std::uint16_t>(total - h.size());
    std::vector<std::uint8_t> p(total, 0x5a);
    h.write(p);
    return p;
}

// One packet through a link per iteration: transmit at an advancing clock, then release each copy (what the
// simulator does when it delivers). Argument: packet size.
void run_link(benchmark::State& state, const device::SimLinkConfig& config) {
    device::SimLink link(config);
    device::SimRandom random(1);
    const auto packet = ipv4_packet(static_cast<std::size_t>(state.range(0)), true);
    Instant now{};
    for (auto _ : state) {
        now += std::chrono::microseconds{200};
        const device::SimLinkOutcome out = link.transmit(packet, now, random);
        for (int i = 0; i < out.count; ++i) link.release(out.deliveries[i].packet);
        benchmark::DoNotOptimize(out);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * state.range(0));
}

void BM_SimLinkPlain(benchmark::State& state) {
    device::SimLinkConfig config;
    config.delay = std::chrono::milliseconds{10};
    run_link(state, config);
}
BENCHMARK(BM_SimLinkPlain)->Arg(64)->Arg(1500);

void BM_SimLinkRateLimited(benchmark::State& state) {
    device::SimLinkConfig config;
    config.delay = std::chrono::milliseconds{10};
    config.rate_bps = 1'000'000'000;
    run_link(state, config);
}
BENCHMARK(BM_SimLinkRateLimited)->Arg(64)->Arg(1500);

void BM_SimLinkImpaired(benchmark::State& state) {
    device::SimLinkConfig config;
    config.delay = std::chrono::milliseconds{10};
    config.jitter = std::chrono::milliseconds{1};
    config.rate_bps = 1'000'000'000;
    config.loss = 0.01;
    config.duplicate = 0.01;
    config.reorder = 0.01;
    config.reorder_delay = std::chrono::milliseconds{2};
    config.corrupt = 0.01;
    run_link(state, config);
}
BENCHMARK(BM_SimLinkImpaired)->Arg(64)->Arg(1500);

class Discard : public device::SimRouter::Output {
public:
    void transmit(device::SimInterfaceId, wire::Bytes packet) override { benchmark::DoNotOptimize(packet.data()); }
};

device::SimRouter make_router(std::uint32_t mtu1) {
    device::SimRouter r;
    r.add_interface({1500, *wire::Ipv4Address::parse("198.18.1.254"), *wire::Ipv6Address::parse("2001:2:0:1::fe")});
    r.add_interface({mtu1, *wire::Ipv4Address::parse("198.18.2.254"), *wire::Ipv6Address::parse("2001:2:0:2::fe")});
    r.add_route(*wire::IpAddress::parse("198.18.1.0"), 24, 0);
    r.add_route(*wire::IpAddress::parse("198.18.2.0"), 24, 1);
    r.add_route(*wire::IpAddress::parse("2001:2:0:1::"), 64, 0);
    r.add_route(*wire::IpAddress::parse("2001:2:0:2::"), 64, 1);
    return r;
}

void run_router(benchmark::State& state, device::SimRouter& router, const std::vector<std::uint8_t>& packet) {
    Discard out;
    for (auto _ : state) router.receive(0, packet, out);
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(packet.size()));
}

void BM_SimRouterForwardIpv4(benchmark::State& state) {
    auto router = make_router(1500);
    run_router(state, router, ipv4_packet(static_cast<std::size_t>(state.range(0)), true));
}
BENCHMARK(BM_SimRouterForwardIpv4)->Arg(64)->Arg(1500);

void BM_SimRouterForwardIpv6(benchmark::State& state) {
    auto router = make_router(1500);
    run_router(state, router, ipv6_packet(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_SimRouterForwardIpv6)->Arg(64)->Arg(1500);

void BM_SimRouterFragmentIpv4(benchmark::State& state) {
    auto router = make_router(576);
    run_router(state, router, ipv4_packet(1500, false));  // three fragments per packet
}
BENCHMARK(BM_SimRouterFragmentIpv4);

void BM_SimRouterFragmentationNeeded(benchmark::State& state) {
    auto router = make_router(1280);
    run_router(state, router, ipv4_packet(1500, true));  // a 576-byte ICMP error per packet
}
BENCHMARK(BM_SimRouterFragmentationNeeded);

}  // namespace
