#!/usr/bin/env bash
# The main demo: installs what is missing, builds synack, and shows what it prints about the founding
# documents' captures — the Redis PING over TCP and a loopback three-way handshake — with tcpdump's flags
# and with synack's own --explain.
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
