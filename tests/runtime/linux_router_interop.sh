#!/usr/bin/env bash
# interop: a Linux router in fresh network namespaces (linux_router_capture.sh) against device::SimRouter, replaying
# what Linux received and expecting exactly what Linux sent. Exits 77 (skipped) without root or tools.
# Usage: linux_router_interop.sh RUNTIME_TESTS_BINARY
set -euo pipefail
binary=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/synack-linux-router.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0
"$here/linux_router_capture.sh" "$work" >"$work/capture.log" 2>&1 || status=$?
if ((status == 77)); then
    cat "$work/capture.log" >&2
    exit 77
elif ((status != 0)); then
    echo "linux_router_interop: the capture failed:" >&2
    tail -n 30 "$work/capture.log" >&2
    exit 1
fi
SYNACK_LINUX_ROUTER_CAPTURES=$work "$binary" --gtest_filter='LinuxRouter.*'
