#!/bin/bash
# Runs one scenario script against the Linux kernel in a fresh, throw-away network namespace (needs root):
#   tests/stack/linux/run.sh close.py            tests/stack/linux/run.sh passive.py threeway
# The script drives a kernel socket and a scripted peer (peer.py, a TUN device) and prints every segment.
# The expectations in tests/tcp and tests/stack come from these outputs (captured/ keeps them).
set -eu
ns=synack-core-$$
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" python3 "$(dirname "$0")/$1" "${@:2}"
