#!/usr/bin/env python3
"""Proves that compare_dump.py can fail: it runs the runner with tcpdump itself standing in for `synack` (through a
wrapper that must pass) and with deliberately wrong stand-ins, each of which must be caught.

Usage: runner_selftest.py CAPTURE   (a small TCP capture, e.g. data/captures/seed-redis-ping.pcap)
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Each stand-in is called as `WRAPPER dump FLAGS -r CAP [FILTER]`, exactly as the synack binary would be.
PROLOGUE = '#!/bin/sh\n[ "$1" = dump ] || { echo "expected the dump subcommand" >&2; exit 99; }\nshift\n'
WRAPPERS = {
    # tcpdump itself: every comparison must be identical.
    "good": 'exec tcpdump "$@"\n',
    # One word changed on the second line of output.
    "text": 'out=$(mktemp)\ntcpdump "$@" >"$out"\nstatus=$?\nsed "2s/win/wnd/" "$out"\nrm -f "$out"\n'
            'exit $status\n',
    # The last line missing.
    "short": 'out=$(mktemp)\ntcpdump "$@" >"$out"\nstatus=$?\nsed "\\$d" "$out"\nrm -f "$out"\nexit $status\n',
    # The right output, but a failing exit status.
    "status": 'tcpdump "$@"\nexit 3\n',
    # A successful exit where tcpdump fails (bad filter, -c 0): prints nothing, exits 0.
    "succeeds": 'tcpdump "$@" || true\n',
    # Never resolves names (as if -n were always given): caught only if the runner's name resolution is live.
    "numeric": 'exec tcpdump -n "$@"\n',
    # The right output and status, but nothing on standard error (no "reading from file ..." line).
    "silent": 'exec tcpdump "$@" 2>/dev/null\n',
    # Hangs: caught by the per-command timeout.
    "hang": 'exec sleep 30\n',
    # Passes only when the runner's isolated /etc/hosts (tests/oracle/hosts) is in place.
    "hosts": 'grep -q "oracle.test" /etc/hosts || { echo "not our hosts file" >&2; exit 1; }\nexec tcpdump "$@"\n',
}

SETS = ["names", "nn", "X", "stdin", "filter-syn-fin-rst", "error-filter", "error-count"]

# wrapper → (expected exit code of the runner, substrings its output must contain)
EXPECT = {
    "good": (0, ["7/7 comparisons identical", "0 mismatched"]),
    "text": (1, ["MISMATCH", "\n-", "\n+", "wnd"]),
    "short": (1, ["MISMATCH", "--- tcpdump", "+++ synack dump"]),
    "status": (1, ["MISMATCH", "synack:  exit 3"]),
    "succeeds": (1, ["MISMATCH", "[error-filter]", "[error-count]", "synack:  exit 0"]),
    "numeric": (1, ["MISMATCH", "[names]", "redis.oracle.test"]),
    "hang": (1, ["MISMATCH", "timed out"]),
    "silent": (1, ["MISMATCH", "tcpdump stderr", "-reading from file", "-invalid packet count 0"]),
    "hosts": (0, ["0 mismatched"]),
}


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    capture = Path(sys.argv[1]).resolve()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="synack-oracle-selftest.") as tmp:
        for name, body in WRAPPERS.items():
            wrapper = Path(tmp) / name
            wrapper.write_text(PROLOGUE + body)
            wrapper.chmod(0o755)
        for name, (want_code, want_text) in EXPECT.items():
            argv = [sys.executable, str(HERE / "compare_dump.py"), "--synack", str(Path(tmp) / name),
                    "--timeout", "3", str(capture)]
            for s in (["nn"] if name == "hang" else SETS):  # one set suffices to see the timeout
                argv += ["--set", s]
            done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
            output = done.stdout + done.stderr
            unisolated = "running without isolation" in output
            expected_code = want_code
            expected_text = list(want_text)
            if unisolated and name in ("numeric", "hosts"):
                # Without namespaces the host's resolver decides; these two cases prove nothing there.
                print(f"skip  {name}: the runner could not isolate itself")
                continue
            missing = [t for t in expected_text if t not in output]
            if done.returncode != expected_code or missing:
                failures += 1
                print(f"FAIL  {name}: runner exited {done.returncode} (expected {expected_code})"
                      + (f", output lacks {missing}" if missing else ""))
                print("      " + output.strip().replace("\n", "\n      ")[:3000])
            else:
                print(f"ok    {name}: runner exited {done.returncode}")
    print(f"runner_selftest: {len(EXPECT) - failures}/{len(EXPECT)} cases behaved")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
