#!/bin/bash
# Runs the socket-call probes against the Linux kernel in a throw-away network namespace (needs root):
#   tests/api/linux/run.sh [scenario ...]        (no argument: every scenario)
# The namespace has lo and a TUN device nobody reads holding 198.18.0.1/24 and 2001:2::1/64: segments to
# 198.18.0.2 and 2001:2::2 vanish, and there is no route out. TCP settings as docs/linux-defaults.md says the comparisons use.
# Every expectation in tests/api/*_test.cpp that cites "Linux:" comes from these outputs (captured/probes.txt).
set -eu
ns=synack-api-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" sh -ec '
    ip link set lo up
    ip tuntap add dev tun0 mode tun
    ip link set tun0 up
    ip addr add 198.18.0.1/24 dev tun0
    ip addr add 2001:2::1/64 dev tun0 nodad
    sysctl -qw net.ipv4.tcp_rmem="4096 131072 6291456" net.ipv4.tcp_wmem="4096 16384 4194304"
    sysctl -qw net.ipv4.tcp_congestion_control=reno net.ipv4.tcp_ecn=0'
ip netns exec "$ns" python3 "$(dirname "$0")/probes.py" "$@"
