#!/usr/bin/env python3
"""Summarises the Google Benchmark JSON files scripts/bench.sh writes: synack's short transactions per second against
the Linux kernel's (ratio synack / Linux, and the goal), the bulk transfer rates against their goals, then every
user counter of every benchmark.

Usage: bench_summary.py RESULTS_DIR
Rates are wall-clock: a benchmark timed with UseRealTime already reports items_per_second against real time;
for the others it is converted from CPU time (items_per_second * cpu_time / real_time).
Exit status 1 when a benchmark reported an error or the transactions pair is missing.
"""
import json
import pathlib
import sys

GOAL = 600_000
BULK_GOALS = {1500: 20, 65535: 40}  # payload Gbit/s (issue 5, point 9)
STANDARD_KEYS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions",
    "repetition_index", "threads", "iterations", "real_time", "cpu_time", "time_unit", "items_per_second",
    "bytes_per_second", "label", "error_occurred", "error_message", "aggregate_name", "aggregate_unit", "big_o",
    "rms", "skipped", "skip_message",
}


def wall_rate(run):
    rate = run.get("items_per_second")
    if rate is None or run.get("real_time", 0) <= 0:
        return None
    if "/real_time" in run.get("run_name", run["name"]):
        return rate
    return rate * run["cpu_time"] / run["real_time"]


def number(value):
    if isinstance(value, float) and not value.is_integer():
        if abs(value) < 1:
            return f"{value:.4g}"
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.1f}"
    return f"{int(value):,}"


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    results = pathlib.Path(sys.argv[1])
    files = sorted(results.glob("*.json"))
    status = 0
    runs = {}
    contexts = {}
    for path in files:
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as error:
            print(f"{path.name}: unreadable ({error})")
            status = 1
            continue
        contexts[path.stem] = data.get("context", {})
        runs[path.stem] = [r for r in data.get("benchmarks", []) if r.get("run_type", "iteration") == "iteration"]

    def first(binary):
        for run in runs.get(binary, []):
            if not run.get("error_occurred") and wall_rate(run) is not None:
                return run
        return None

    synack = first("bench_tcp_transactions")
    linux = first("bench_linux_transactions")
    print("Short transactions (64 B each way, client closes first, every TIME_WAIT kept, 16 in flight)")
    kernel = contexts.get("bench_linux_transactions", {}).get("conditions", "Linux").split(",")[0]
    print(f"  {'':<36}{'transactions/s':>16}")
    s_rate = wall_rate(synack) if synack else None
    l_rate = wall_rate(linux) if linux else None
    print(f"  {'synack':<36}{number(s_rate) if s_rate else 'missing':>16}")
    print(f"  {kernel:<36}{number(l_rate) if l_rate else 'missing':>16}")
    if s_rate and l_rate:
        print(f"  {'ratio synack / Linux':<36}{s_rate / l_rate:>16.3f}")
    else:
        status = 1
    print(f"  {'goal':<36}{number(GOAL):>16}" + (f"   ({s_rate / GOAL:.1%} of it)" if s_rate else ""))

    bulk = [r for r in runs.get("bench_tcp_bulk", []) if not r.get("error_occurred")]
    if bulk:
        print()
        print("Bulk transfer, one connection (payload Gbit/s, wall clock and per CPU second; goals 20 at MTU 1500, "
              "40 at MTU 65535)")
        for run in bulk:
            mtu = int(run.get("mtu", 0))
            goal = BULK_GOALS.get(mtu)
            buf = int(run.get("buf_KiB", 0))
            buffers = f"{buf} KiB buffers" if buf else "default buffers"
            print(f"  MTU {mtu:<6} MSS {int(run.get('mss', 0)):<6} {buffers:<16} "
                  f"{run.get('payload_Gbit_s', 0):6.2f} Gbit/s wall "
                  f"{run.get('payload_Gbit_per_cpu_s', 0):6.2f} Gbit/s per CPU s   "
                  f"allocations/packet {number(run.get('allocations_per_packet', -1))}   "
                  f"copies/byte {run.get('copies_per_byte', 0):.2f}" + (f"   goal {goal}" if goal else ""))

    for binary, binary_runs in runs.items():
        print()
        print(f"{binary}")
        conditions = contexts[binary].get("conditions")
        if conditions:
            print(f"  conditions: {conditions}")
        for run in binary_runs:
            if run.get("error_occurred"):
                print(f"  {run['name']}: ERROR {run.get('error_message', '')}")
                status = 1
                continue
            rate = wall_rate(run)
            line = f"  {run['name']}: {number(run['real_time'])} {run['time_unit']}/iteration (wall clock)"
            if rate is not None:
                line += f", {number(rate)} items/s"
            print(line)
            for key, value in run.items():
                if key not in STANDARD_KEYS and isinstance(value, (int, float)):
                    print(f"    {key:<34}{number(value):>20}")
    return status


if __name__ == "__main__":
    sys.exit(main())
