#!/usr/bin/env bash
# The full randomized loss gauntlet (docs/gauntlet.md): 10,000 seeds at full size (up to 64 MiB each way), split
# over two processes (the machine's two cores), every seed run twice to prove it reproducible. Prints every
# failing seed with its replay command and one summary line; exits 1 if any seed failed.
#
#   scripts/gauntlet.sh                    # seeds 1-10000, 64 MiB cap
#   scripts/gauntlet.sh 2000 50001         # 2,000 seeds from 50001
#   MAX_BYTES=8M JOBS=1 scripts/gauntlet.sh
#   SYNACK=build/mine/src/synack scripts/gauntlet.sh   # an existing binary: no build
#
# On this machine (2 cores shared with other work) 10,000 seeds, each run twice, took 10 minutes. REPRO=0 runs each
# seed once.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-10000}
first=${2:-1}
max_bytes=${MAX_BYTES:-64M}
jobs=${JOBS:-2}
repro=${REPRO:-1}
if [[ -n ${SYNACK:-} ]]; then
    synack=$SYNACK
else
    scripts/build.sh release synack >/dev/null
    synack=build/release/src/synack
fi
out=$(mktemp -d /tmp/synack-gauntlet-XXXXXX)
trap 'rm -rf "$out"' EXIT

args=(--max-bytes "$max_bytes")
((repro)) && args+=(--check-repro)
per=$(((seeds + jobs - 1) / jobs))
pids=()
for ((j = 0; j < jobs; j++)); do
    start=$((first + j * per))
    count=$((seeds - j * per))
    ((count > per)) && count=$per
    ((count <= 0)) && break
    "$synack" gauntlet --seeds "$count" --first-seed "$start" "${args[@]}" >"$out/part$j.txt" &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do
    wait "$pid" || status=1
done
# Failures first, then the parts' summaries added up.
grep -h '^FAIL' "$out"/part*.txt || true
grep -h '^gauntlet:' "$out"/part*.txt
python3 - "$out" <<'PY'
import glob, re, sys
runs = passed = failed = gave_up = 0
for path in glob.glob(sys.argv[1] + "/part*.txt"):
    for line in open(path):
        m = re.match(r"gauntlet: (\d+) runs .*?, (\d+) passed \((\d+) gave up legitimately\), (\d+) failed", line)
        if m:
            runs += int(m[1]); passed += int(m[2]); gave_up += int(m[3]); failed += int(m[4])
print(f"gauntlet total: {runs} runs, {passed} passed ({gave_up} gave up legitimately), {failed} failed")
PY
exit $status
