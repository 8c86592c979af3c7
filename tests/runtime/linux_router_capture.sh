#!/usr/bin/env bash
# linux_router_capture.sh OUTDIR — what a Linux router does with the packets the simulated router (device/sim_router)
# must handle like it: forwarding with TTL / hop-limit decrement, fragmentation of IPv4 without DF, ICMP
# "fragmentation needed", ICMPv6 "packet too big", time exceeded and no route. tests/runtime/linux_router_test.cpp
# replays the captured arrivals through device::SimRouter and expects exactly the captured departures; the committed
# captures tests/runtime/data/linux-router-r{1,2}.pcap were made by this script (Linux 6.18, Debian 12 userland).
#
# Topology (no route out; addresses from 198.18.0.0/15 and 2001:2::/48):
#   H1 = synack-sim-<pid>-h1   h1 ── veth ── r1   R = synack-sim-<pid>-r (forwarding)   r2 ── veth ── h2   H2
#   198.18.1.1/24 2001:2:0:1::1/64 ↔ 198.18.1.254 2001:2:0:1::fe      198.18.2.254 2001:2:0:2::fe ↔ 198.18.2.1 …2::1
#   MTU 1500 on the h1 link, 1280 on the h2 link.
# Outputs: r1.pcap and r2.pcap (Ethernet, captured on the router's two interfaces), and their tcpdump -xx text.
# To check the simulated router against a fresh capture: SYNACK_LINUX_ROUTER_CAPTURES=OUTDIR runtime_tests.
# Needs root, ip, tcpdump, ping. Exits 77 ("skipped") when a requirement is missing; namespaces are removed on exit.
set -euo pipefail

(($# == 1)) || { echo "usage: $0 OUTDIR" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "linux_router_capture: SKIPPED: needs root" >&2; exit 77; }
for tool in ip tcpdump ping timeout; do
    command -v "$tool" >/dev/null || { echo "linux_router_capture: SKIPPED: no $tool" >&2; exit 77; }
done

mkdir -p "$1"
readonly OUT=$(cd "$1" && pwd)
readonly H1="synack-sim-$$-h1" R="synack-sim-$$-r" H2="synack-sim-$$-h2"
declare -a background=()

cleanup() {
    local status=$?
    for pid in "${background[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
    for pid in "${background[@]}"; do wait "$pid" 2>/dev/null || true; done
    for ns in "$H1" "$R" "$H2"; do ip netns delete "$ns" 2>/dev/null || true; done
    exit "$status"
}
trap cleanup EXIT

for ns in "$H1" "$R" "$H2"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
done
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
ip link add h1 netns "$H1" type veth peer name r1 netns "$R"
ip link add h2 netns "$H2" type veth peer name r2 netns "$R"
ip -n "$R" link set r2 mtu 1280
ip -n "$H2" link set h2 mtu 1280
ip -n "$H1" addr add 198.18.1.1/24 dev h1
ip -n "$H1" addr add 2001:2:0:1::1/64 dev h1 nodad
ip -n "$R" addr add 198.18.1.254/24 dev r1
ip -n "$R" addr add 2001:2:0:1::fe/64 dev r1 nodad
ip -n "$R" addr add 198.18.2.254/24 dev r2
ip -n "$R" addr add 2001:2:0:2::fe/64 dev r2 nodad
ip -n "$H2" addr add 198.18.2.1/24 dev h2
ip -n "$H2" addr add 2001:2:0:2::1/64 dev h2 nodad
for pair in "$H1 h1" "$R r1" "$R r2" "$H2 h2"; do
    read -r ns dev <<<"$pair"
    ip -n "$ns" link set "$dev" up
done
# Hosts route everything in the benchmarking ranges through the router; the router knows only its two subnets.
ip -n "$H1" route add 198.18.0.0/15 via 198.18.1.254
ip -n "$H1" -6 route add 2001:2::/48 via 2001:2:0:1::fe
ip -n "$H2" route add 198.18.0.0/15 via 198.18.2.254
ip -n "$H2" -6 route add 2001:2::/48 via 2001:2:0:2::fe

for dev in r1 r2; do
    ip netns exec "$R" tcpdump -i "$dev" -s 0 -U -w "$OUT/$dev.pcap" 'icmp or icmp6 and not ip6[40] >= 133' \
        2>/dev/null &
    background+=($!)
done
sleep 1
run() { ip netns exec "$H1" timeout 5 "$@" >/dev/null 2>&1 || true; }
run ping -c1 -W1 198.18.2.1                      # forwarded: TTL 64 → 63
run ping -c1 -W1 -M dont -s 1400 198.18.2.1      # no DF: fragmented on r2 (before h1 learns the path MTU)
run ping -c1 -W1 -M do -s 1400 198.18.2.1        # DF, 1428 > 1280: fragmentation needed, MTU 1280
run ping -c1 -W1 -t 1 198.18.2.1                 # TTL 1: time exceeded
run ping -c1 -W1 198.18.9.9                      # no route
run ping -6 -c1 -W1 2001:2:0:2::1                # forwarded: hop limit 64 → 63
run ping -6 -c1 -W1 -s 1400 2001:2:0:2::1        # 1448 > 1280: packet too big, MTU 1280
run ping -6 -c1 -W1 -t 1 2001:2:0:2::1           # hop limit 1: time exceeded
run ping -6 -c1 -W1 2001:2:0:9::9                # no route
sleep 1
for pid in "${background[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
for pid in "${background[@]}"; do wait "$pid" 2>/dev/null || true; done
background=()
for dev in r1 r2; do
    tcpdump -nn -r "$OUT/$dev.pcap" -xx -v >"$OUT/$dev.txt" 2>/dev/null
done
echo "linux_router_capture: wrote $OUT/r1.pcap $OUT/r2.pcap" >&2
