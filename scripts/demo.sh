#!/usr/bin/env bash
# The main demo: installs what is missing, builds synack, shows what it prints about the founding documents'
# captures — the Redis PING over TCP and a loopback three-way handshake — with tcpdump's flags and with
# synack's own --explain, then runs the same exchange between two synack stacks (`synack demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release synack >/dev/null
synack=build/release/src/synack
export TZ=UTC

show() {
    echo
    echo "\$ synack $*"
    "$synack" "$@"
}

show dump -nn -vvv -X -r data/captures/seed-redis-ping.pcap
show dump -nn -r data/captures/seed-loopback-handshake.pcap --explain
show dump -r data/captures/seed-loopback-handshake.pcap

# Then TCP itself: two synack stacks in the simulator exchange a Redis PING and PONG and close — printed as
# tcpdump prints the link's capture, with each side's state transitions between the segments.
show demo
show demo --close server --explain
show demo --loss 20 --seed 7
