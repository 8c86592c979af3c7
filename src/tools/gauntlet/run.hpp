// One gauntlet run: the scenario's two hosts on the simulated network (runtime::TwoHostNetwork: two real stacks,
// one duplex link with the scenario's impairments), the two applications (Peer) on the socket facade, driven
// event by event in virtual time; then the checks of docs/gauntlet.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "runtime/stack_node.hpp"
#include "tools/gauntlet/scenario.hpp"
#include "wire/instant.hpp"

namespace synack::tools::gauntlet {

struct RunOptions {
    std::string pcap;           // every packet as offered to the link (what tcpdump on each sender would see)
    std::string pcap_received;  // every copy as it arrives (duplicates, corruption and reordering included)
    // The transfer must keep moving: some byte delivered (or an application done) at least every
    // `progress_limit` of virtual time — longer than a live connection can be silent (retransmissions backed off
    // to tcp_rto_max, keepalive's 300 s + 9 × 75 s). At 30 % loss both ways RTO-bound recovery is slow as Linux's
    // would be: losses of retransmissions back the RTO off, and ACKs answering duplicates echo old timestamps
    // that inflate it (RFC 7323 §4.3), so 64 MiB can take days of virtual time. `time_limit` is the hard cap.
    Duration progress_limit = std::chrono::hours(6);
    Duration time_limit = std::chrono::hours(24 * 30);
    // After that, every timer must have run out within this much more (TIME_WAIT is 60 s; an orphan's FIN
    // retransmissions back off up to tcp_rto_max).
    Duration settle_limit = std::chrono::hours(1);
    // The applications' SO_KEEPALIVE (Peer): off, a side whose peer gave up silently may wait for ever.
    bool keepalive = true;
    // For tests: called once the network is built, before anything runs (e.g. to install an input filter that
    // alters packets, to show the checks catch it).
    std::function<void(runtime::TwoHostNetwork&)> on_network;
};

struct RunResult {
    bool passed = false;
    // "complete", or what ended it legitimately: "gave up: client connect ETIMEDOUT, server no connection".
    std::string outcome;
    std::string reason;            // why it failed (empty when passed)
    std::uint64_t digest = 0;      // LinkDigest of the whole run
    std::uint64_t packets = 0;     // packets offered to the link, both directions
    std::uint64_t bytes_delivered = 0;  // stream bytes checked by the receivers, both directions
    std::uint64_t events = 0;      // simulator events
    Duration transfer_time{0};     // virtual time from connect() to both applications closed
    Duration virtual_time{0};      // virtual time of the whole run, settling included
    // Each direction's link counters: "c→s sent 40 lost 3 dup 1 corrupt 0 reorder 2 mtu-drop 0 queue-drop 0;
    // s→c …".
    std::string link_counters;
};

RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace synack::tools::gauntlet
