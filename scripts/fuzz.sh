#!/usr/bin/env bash
# Runs every libFuzzer target of a Clang build (preset asan-ubsan) for a while each.
#   scripts/fuzz.sh [seconds-per-target]   default 600 (the long run); CI runs a short smoke run.
# Corpora live in build/asan-ubsan/fuzz-corpus/<target>, seeded from data/captures (every frame of every
# capture as its own input) — fuzz_drill_* from tests/drill, fuzz_tcp_connection from fuzz/corpus/tcp_connection;
# crashes are written to build/asan-ubsan/fuzz-crashes/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
build=build/asan-ubsan
if [[ ! -d $build ]]; then
    scripts/install-deps.sh
    scripts/build.sh asan-ubsan
fi
mapfile -t targets < <(find "$build/fuzz" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x | sort)
if ((${#targets[@]} == 0)); then
    echo "fuzz.sh: no fuzz targets in $build/fuzz" >&2
    exit 1
fi
seeds=$build/fuzz-seeds
if [[ ! -d $seeds ]]; then
    mkdir -p "$seeds"
    python3 scripts/pcap_frames.py "$seeds" data/captures
fi
mkdir -p "$build/fuzz-crashes"
status=0
for target in "${targets[@]}"; do
    name=$(basename "$target")
    corpus=$build/fuzz-corpus/$name
    mkdir -p "$corpus"
    # The drill targets read scripts, not frames: their seeds are the behaviour scripts.
    target_seeds=$seeds
    [[ $name == fuzz_drill_* ]] && target_seeds=tests/drill
    # The stateful TCP target decodes settings and events, not frames: its seeds reach each state (fuzz/corpus/).
    [[ $name == fuzz_tcp_connection ]] && target_seeds=fuzz/corpus/tcp_connection
    echo "== $name for ${seconds}s"
    if ! "$target" "$corpus" "$target_seeds" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$build/fuzz-crashes/$name-" -close_fd_mask=3 >"$build/fuzz-crashes/$name.log" 2>&1; then
        echo "fuzz.sh: $name found a problem:" >&2
        tail -n 40 "$build/fuzz-crashes/$name.log" >&2
        status=1
    else
        grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$build/fuzz-crashes/$name.log" || true
    fi
done
exit $status
