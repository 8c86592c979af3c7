#!/usr/bin/env bash
# Runs the benchmarks and reports synack against the Linux kernel on the same machine, side by side.
#   scripts/bench.sh [--quick]     --quick: 1 s minimum per benchmark instead of 10 s (SYNACK_BENCH_MIN_TIME=1)
# Builds the release preset's configuration with benchmarks on into build/bench, then runs, each pinned to CPU 1 and
# bounded by a timeout: bench_tcp_transactions and bench_tcp_bulk (synack), bench_linux_transactions (the kernel, inside a fresh network
# namespace with its own addresses and sysctls; the host's sysctls are never changed) and bench_tcp_scale if it
# exists. JSON results go to build/bench-results/; bench_summary.py prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for arg in "$@"; do
    case $arg in
    --quick) quick=1 ;;
    *)
        echo "usage: scripts/bench.sh [--quick]" >&2
        exit 2
        ;;
    esac
done
if [[ $(id -u) -ne 0 ]]; then
    echo "bench.sh: needs root (ip netns, sysctls inside the namespace)" >&2
    exit 1
fi

scripts/install-deps.sh
build=build/bench
cmake --preset release -B "$build" -DSYNACK_BENCH=ON -DSYNACK_TESTS=OFF >/dev/null
cmake --build "$build" --target bench_tcp_transactions bench_linux_transactions bench_tcp_bulk
# bench_tcp_scale is optional: run it when its source is there and builds.
scale=0
if cmake --build "$build" --target help | grep '^bench_tcp_scale:' >/dev/null; then
    if cmake --build "$build" --target bench_tcp_scale; then
        scale=1
    else
        echo "bench.sh: bench_tcp_scale does not build; skipped" >&2
    fi
fi

results=build/bench-results
mkdir -p "$results"
rm -f "$results"/*.json
if ((quick)); then
    export SYNACK_BENCH_MIN_TIME=1
fi
cpu=1

# The kernel's namespace: the client addresses 198.18.1.1..16 and the server 198.19.0.2 on lo; every TIME_WAIT kept
# (tcp_max_tw_buckets), NewReno as synack, the project's socket buffer sizes.
ns=synack-bench-$$
cleanup() { ip netns delete "$ns" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
ip netns add "$ns"
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up
clients=16
for i in $(seq 1 "$clients"); do
    in_ns ip addr add "198.18.1.$i/32" dev lo
done
in_ns ip addr add 198.19.0.2/32 dev lo
in_ns sysctl -q -w net.ipv4.tcp_max_tw_buckets=4194304 \
    net.ipv4.tcp_rmem="4096 131072 6291456" net.ipv4.tcp_wmem="4096 16384 4194304" \
    net.ipv4.tcp_congestion_control=reno

status=0
run() {  # run <name> <timeout> [command prefix...]: runs $build/bench/<name> with JSON output
    local name=$1 budget=$2 rc=0
    shift 2
    echo "== $name (CPU $cpu, timeout ${budget}s)"
    "$@" timeout --kill-after=10 "$budget" taskset -c "$cpu" "$build/bench/$name" \
        --benchmark_out="$results/$name.json" --benchmark_out_format=json || rc=$?
    if ((rc == 124 || rc == 137)); then
        echo "bench.sh: $name timed out after ${budget}s" >&2
        status=1
    elif ((rc != 0)); then
        echo "bench.sh: $name failed (exit status $rc)" >&2
        status=1
    fi
}
run bench_tcp_transactions 300
run bench_tcp_bulk 300
run bench_linux_transactions 300 in_ns env SYNACK_LINUX_BENCH_CLIENTS=$clients SYNACK_LINUX_BENCH_SERVER=198.19.0.2
if ((scale)); then
    run bench_tcp_scale 1800  # builds a network of 1,000,000 connections (about 19 min on the 2-core machine)
fi

echo
python3 scripts/bench_summary.py "$results" || status=1
exit $status
