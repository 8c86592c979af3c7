#!/usr/bin/env bash
# interop_test.sh SYNACK WORKDIR [PYTHON]: makes fresh captures of real Linux traffic (make_captures.sh, needs
# root) in WORKDIR/captures and requires `SYNACK dump` to print what tcpdump prints for each, with every flag set.
# Exit 77 (CTest: skipped) when make_captures.sh cannot run here; otherwise the runner's exit code.
set -euo pipefail

(($# >= 2)) || { echo "usage: $0 SYNACK WORKDIR [PYTHON]" >&2; exit 2; }
readonly here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly synack=$1 work=$2 python=${3:-python3}
readonly captures="$work/captures"

rm -rf "$captures"
status=0
"$here/make_captures.sh" "$captures" || status=$?
if ((status == 77)); then
    exit 77
elif ((status != 0)); then
    echo "interop_test: make_captures.sh failed (exit $status)" >&2
    exit 1
fi

status=0
"$python" "$here/compare_dump.py" --synack "$synack" --min-captures 10 "$captures" || status=$?
shopt -s nullglob
vlan=("$captures"/vlan*.pcap)
if ((${#vlan[@]})); then
    "$python" "$here/compare_dump.py" --synack "$synack" \
        --extra "vlan-tcp=-nn -- vlan and tcp" --extra "vlan-v-e-names=-v -e -- vlan and tcp port 80" \
        --set vlan-tcp --set vlan-v-e-names "${vlan[@]}" || status=$?
fi
exit "$status"
