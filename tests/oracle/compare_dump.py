#!/usr/bin/env python3
"""Oracle comparison: `synack dump FLAGS -r CAP` must print exactly what `tcpdump FLAGS -r CAP` prints.

For every capture and every flag set, both commands run with TZ=UTC and LC_ALL=C; their standard output must be
byte-identical, their exit status the same, and their standard error the same once each program's name is taken
off its messages ("tcpdump: invalid packet count 0" and "synack dump: invalid packet count 0" are equal): the
"reading from file ..., link-type ..., snapshot length ..." line, warnings, and the error line when there is one. Any mismatch prints a unified diff (first 40 lines); the summary
line counts comparisons, and the exit code is 1 if anything mismatched, 2 on a usage or set-up error.

Name resolution. Without -n, tcpdump resolves every IPv4/IPv6 address with gethostbyaddr(3) (nsswitch: files, then
DNS), ports with getservent(3) (/etc/services), MAC addresses with ether_ntohost(3) (/etc/ethers; otherwise it
appends "(oui Vendor)" from its own OUI table) and, for LINUX_SLL2, interface indexes with if_indextoname(3) on the
*reading* host. Reverse DNS with no reachable server can hang for seconds per address, so by default the runner
re-executes itself isolated: in a fresh network namespace (only a down loopback, hence no DNS traffic: the resolver
fails at once and only the hosts file answers; interface index 1 is `lo`, every other index unknown) and a private
mount namespace in which tests/oracle/hosts is bind-mounted over /etc/hosts. Both programs then see the same, fixed
names on any machine, and runs are fast. If unshare(1) is not permitted (no root, no user namespaces), the commands
run unisolated with RES_OPTIONS bounding DNS waits, and a note says so (parity is still required: both programs
see the same resolver).

Flag sets. A capture whose name ends in .tcp.pcap (captured with the filter `tcp`) or that is given with
--profile full gets every set; other captures (ARP, ICMP, UDP, neighbour discovery mixed in) get the "basic" sets,
which leave out -v/-vv/-vvv/-e (their detail for non-TCP protocols belongs to a later issue).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import difflib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIFF_LINES = 40


@dataclasses.dataclass(frozen=True)
class FlagSet:
    name: str
    options: tuple[str, ...]
    filter: tuple[str, ...] = ()
    stdin: bool = False  # read the capture from standard input (`-r -`)
    full_only: bool = False  # only for TCP-only captures (-v/-e detail)

    def describe(self) -> str:
        words = list(self.options) + ["-r", "-" if self.stdin else "CAP"] + list(self.filter)
        return " ".join(shlex.quote(w) for w in words)


def _set(name: str, options: str, filter_: str = "", stdin: bool = False, full_only: bool = False) -> FlagSet:
    return FlagSet(name, tuple(shlex.split(options)), tuple(shlex.split(filter_)), stdin, full_only)


# Every flag of issue 2 point 4, alone (with -nn so that only the flag under test varies) and in combinations.
FLAG_SETS: tuple[FlagSet, ...] = (
    _set("names", ""),  # no -n: host, port and MAC names
    _set("n", "-n"),
    _set("nn", "-nn"),
    _set("S", "-nn -S"),
    _set("t", "-nn -t"),
    _set("tt", "-nn -tt"),
    _set("ttt", "-nn -ttt"),
    _set("tttt", "-nn -tttt"),
    _set("ttttt", "-nn -ttttt"),
    _set("x", "-nn -x"),
    _set("xx", "-nn -xx"),
    _set("X", "-nn -X"),
    _set("XX", "-nn -XX"),
    _set("A", "-nn -A"),
    _set("q", "-nn -q"),
    _set("c5", "-nn -c 5"),
    _set("hash", "-nn -#"),
    _set("stdin", "-nn", stdin=True),
    _set("names-S-tttt", "-S -tttt"),
    _set("names-q-ttt", "-q -ttt"),
    _set("hash-ttttt-A", "-nn -# -ttttt -A"),
    _set("x-S-t", "-nn -x -S -t"),
    _set("filter-tcp", "-nn", "tcp"),
    _set("filter-syn-fin-rst", "-nn", "tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0"),
    _set("filter-ip6", "-nn", "ip6"),
    _set("filter-ports", "-nn", "port 80 or port 9000 or port 6379 or port 7899"),
    _set("filter-not-tcp", "-nn", "not tcp"),
    _set("filter-broadcast", "-nn", "ip broadcast or ether broadcast"),  # compiled with tcpdump's netmask 0
    _set("filter-c3", "-nn -c 3", "tcp"),
    _set("filter-names-X", "-X", "ip and tcp"),
    _set("nano", "-nn --nano"),
    _set("nano-ttt", "-nn --nano -ttt"),
    _set("nano-tttt", "-nn --nano -tttt"),
    _set("error-filter", "-nn", "tcp and"),  # does not compile: both must fail
    _set("error-count", "-nn -c 0"),  # "invalid packet count 0": both must fail
    _set("error-count-negative", "-nn -c -1"),
    _set("error-count-text", "-nn -c abc"),
    _set("error-count-wraps", "-nn -c 4294967296"),  # atoi() into an int: 0
    _set("count-atoi", "-nn -c 2x"),  # atoi(): the leading digits, 2
    _set("error-t6", "-nn -tttttt"),  # "only -t, -tt, -ttt, -tttt and -ttttt are supported"
    _set("v", "-nn -v", full_only=True),
    _set("vv", "-nn -vv", full_only=True),
    _set("vvv", "-nn -vvv", full_only=True),
    _set("names-v", "-v", full_only=True),
    _set("e", "-nn -e", full_only=True),
    _set("names-e", "-e", full_only=True),
    _set("vvv-X", "-nn -vvv -X", full_only=True),
    _set("S-e-tttt", "-nn -S -e -tttt", full_only=True),
    _set("vv-e-x", "-nn -vv -e -x", full_only=True),
    _set("v-A-S", "-nn -v -A -S", full_only=True),
    _set("e-q", "-nn -e -q", full_only=True),
    _set("e-XX-hash", "-nn -e -XX -#", full_only=True),
    _set("v-c10-ttt", "-nn -v -c 10 -ttt", full_only=True),
    _set("names-vvv-e-S", "-vvv -e -S", full_only=True),
    _set("v-filter-syn", "-nn -v", "tcp[tcpflags] & tcp-syn != 0", full_only=True),
    _set("v-stdin", "-nn -vv", stdin=True, full_only=True),
)


@dataclasses.dataclass
class Run:
    stdout: bytes
    stderr: bytes
    status: int | None  # None: timed out
    argv: list[str]


ISOLATED_ENV = "SYNACK_ORACLE_ISOLATED"


def isolate(hosts: Path | None) -> str:
    """Re-executes this runner in fresh network + mount namespaces with our hosts file (see the module doc).

    Returns only when that is impossible (or already done), with a note saying why ("" when isolated)."""
    if os.environ.get(ISOLATED_ENV) == "1":
        return ""
    unshare = shutil.which("unshare")
    if unshare is None:
        return "unshare(1) not found"
    inner = 'mount --bind "$0" /etc/hosts && exec "$@"' if hosts is not None else 'exec "$@"'
    prefix = [unshare, "--net", "--mount"]
    if os.geteuid() != 0:
        prefix.append("--map-root-user")
    prefix += ["sh", "-c", inner, str(hosts.resolve()) if hosts is not None else "sh"]
    probe = subprocess.run(prefix + ["true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        return "unshare failed: " + probe.stderr.decode(errors="replace").strip()
    sys.stdout.flush()
    env = dict(os.environ, **{ISOLATED_ENV: "1"})
    os.execve(prefix[0], prefix + [sys.executable, str(Path(__file__).resolve())] + sys.argv[1:], env)
    return "exec failed"  # not reached: execve raises on failure


def run(argv: list[str], capture: Path, stdin: bool, extra_env: dict[str, str], timeout: float) -> Run:
    env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "TZ": "UTC", "LC_ALL": "C"}
    env.update(extra_env)
    try:
        if stdin:
            with open(capture, "rb") as f:
                done = subprocess.run(argv, stdin=f, capture_output=True, env=env, timeout=timeout)
        else:
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return Run(e.stdout or b"", e.stderr or b"", None, argv)
    except OSError as e:
        return Run(b"", str(e).encode(), 127, argv)
    return Run(done.stdout, done.stderr, done.returncode, argv)


def command_line(program: list[str], flags: FlagSet, capture: Path) -> list[str]:
    return program + list(flags.options) + ["-r", "-" if flags.stdin else str(capture)] + list(flags.filter)


def status_text(r: Run) -> str:
    if r.status is None:
        return "timed out"
    if r.status < 0:
        return f"killed by signal {-r.status}"
    return f"exit {r.status}"


def same_status(a: Run, b: Run) -> bool:
    if a.status is None or b.status is None:
        return False
    return a.status == b.status


PROGRAM_PREFIXES = ("tcpdump: ", "synack dump: ")


def stderr_lines(r: Run) -> list[str]:
    """Standard error with the program's name taken off its messages ("tcpdump: x" and "synack dump: x" both
    become "x"), so that the two programs' messages compare."""
    out = []
    for line in r.stderr.decode(errors="replace").splitlines():
        for prefix in PROGRAM_PREFIXES:
            if line.startswith(prefix):
                line = line[len(prefix):]
                break
        out.append(line)
    return out


def same_stderr(expected: Run, actual: Run) -> bool:
    return stderr_lines(expected) == stderr_lines(actual)


def identical(expected: Run, actual: Run) -> bool:
    return expected.stdout == actual.stdout and same_status(expected, actual) and same_stderr(expected, actual)


def report_mismatch(capture: Path, flags: FlagSet, expected: Run, actual: Run) -> None:
    print(f"MISMATCH {capture.name} [{flags.name}]: synack dump {flags.describe()}")
    print(f"  tcpdump: {status_text(expected)}, {len(expected.stdout)} bytes of output")
    print(f"  synack:  {status_text(actual)}, {len(actual.stdout)} bytes of output")
    if not same_stderr(expected, actual):
        want, got = stderr_lines(expected), stderr_lines(actual)
        for line in difflib.unified_diff(want, got, fromfile="tcpdump stderr", tofile="synack stderr", n=0,
                                         lineterm=""):
            print(f"  {line[:200]}")
    if not same_status(expected, actual):
        for who, r in (("tcpdump", expected), ("synack", actual)):
            err = r.stderr.decode(errors="replace").strip().splitlines()
            # A crash (signal, sanitizer report) shows its first lines; an error message its last.
            crashed = r.status is not None and (r.status < 0 or any("Sanitizer" in e or "runtime error" in e
                                                                    for e in err))
            for line in (err[:15] if crashed else err[-1:]):
                print(f"  {who} stderr: {line[:200]}")
    if expected.stdout != actual.stdout:
        a = expected.stdout.decode("utf-8", errors="surrogateescape").splitlines(keepends=True)
        b = actual.stdout.decode("utf-8", errors="surrogateescape").splitlines(keepends=True)
        diff = list(difflib.unified_diff(a, b, fromfile="tcpdump", tofile="synack dump", n=2))
        if not diff:  # differs only in a missing final newline
            diff = ["(outputs differ only in the final newline)\n"]
        for line in diff[:DIFF_LINES]:
            text = line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            sys.stdout.write(text.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace"))
        if len(diff) > DIFF_LINES:
            print(f"  ... {len(diff) - DIFF_LINES} more diff lines")


def expand_captures(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(q for q in path.iterdir() if q.suffix in (".pcap", ".pcapng") and q.is_file()))
        else:
            out.append(path)
    return out


def parse_extra(spec: str) -> FlagSet:
    """NAME=OPTIONS [-- FILTER]: e.g. 'vlan-tcp=-nn -v -- vlan and tcp'."""
    if "=" not in spec:
        raise ValueError(f"--extra {spec!r}: expected NAME=OPTIONS [-- FILTER]")
    name, rest = spec.split("=", 1)
    words = shlex.split(rest)
    if "--" in words:
        i = words.index("--")
        return FlagSet(name, tuple(words[:i]), tuple(words[i + 1:]))
    return FlagSet(name, tuple(words))


def sets_for(capture: Path, profile: str, chosen: list[FlagSet]) -> list[FlagSet]:
    full = profile == "full" or (profile == "auto" and capture.name.endswith((".tcp.pcap", ".tcp.pcapng")))
    return [s for s in chosen if full or not s.full_only]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("captures", nargs="*", help="capture files, or directories of .pcap/.pcapng files")
    parser.add_argument("--synack", help="the synack binary (runs `SYNACK dump FLAGS -r CAP`)")
    parser.add_argument("--tcpdump", default="tcpdump", help="the judge (default: tcpdump from PATH)")
    parser.add_argument("--profile", choices=("auto", "basic", "full"), default="auto",
                        help="which flag sets: auto (full for *.tcp.pcap), basic (no -v/-e) or full")
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME",
                        help="run only these flag sets (repeatable); see --list-sets")
    parser.add_argument("--extra", action="append", default=[], metavar="NAME=OPTIONS [-- FILTER]",
                        help="add a flag set (applies to every capture)")
    parser.add_argument("--list-sets", action="store_true", help="print the flag sets and exit")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per command (default 60)")
    parser.add_argument("--hosts", default=str(HERE / "hosts"), help="hosts file for the isolated runs")
    parser.add_argument("--no-isolate", action="store_true", help="run in this host's namespaces")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="comparisons run in parallel (default: 2, or 1 on one CPU)")
    parser.add_argument("--min-captures", type=int, default=1,
                        help="fail if fewer captures than this are found (default 1)")
    args = parser.parse_args()

    try:
        extra = [parse_extra(s) for s in args.extra]
    except ValueError as e:
        print(f"compare_dump: {e}", file=sys.stderr)
        return 2
    all_sets = list(FLAG_SETS) + extra
    if args.list_sets:
        for s in all_sets:
            print(f"{s.name:20} {'full ' if s.full_only else 'basic'}  {s.describe()}")
        return 0
    if args.sets:
        known = {s.name for s in all_sets}
        unknown = [n for n in args.sets if n not in known]
        if unknown:
            print(f"compare_dump: unknown flag set(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        all_sets = [s for s in all_sets if s.name in args.sets]

    if not args.synack:
        print("compare_dump: --synack is required", file=sys.stderr)
        return 2
    synack = Path(args.synack)
    if not (synack.is_file() and os.access(synack, os.X_OK)):
        print(f"compare_dump: synack binary {synack} is missing or not executable", file=sys.stderr)
        return 2
    tcpdump = shutil.which(args.tcpdump)
    if tcpdump is None:
        print(f"compare_dump: the judge {args.tcpdump!r} is not installed (apt-get install tcpdump)", file=sys.stderr)
        return 2
    captures = expand_captures(args.captures)
    missing = [c for c in captures if not c.is_file()]
    if missing:
        print(f"compare_dump: no such capture: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if len(captures) < args.min_captures:
        print(f"compare_dump: found {len(captures)} capture(s), expected at least {args.min_captures}",
              file=sys.stderr)
        return 2

    hosts = Path(args.hosts) if args.hosts else None
    if hosts is not None and not hosts.is_file():
        print(f"compare_dump: hosts file {hosts} not found", file=sys.stderr)
        return 2
    extra_env: dict[str, str] = {}
    note = "isolation disabled (--no-isolate)" if args.no_isolate else isolate(hosts)
    if note:  # unisolated: bound the resolver's waits; both programs still see the same resolver
        print(f"note: running without isolation ({note}); names come from this host's resolver")
        extra_env["RES_OPTIONS"] = "timeout:1 attempts:1"

    synack_path = str(synack.resolve())
    jobs = [(capture, flags) for capture in captures for flags in sets_for(capture, args.profile, all_sets)]

    def compare(job: tuple[Path, FlagSet]) -> tuple[Run, Run]:
        capture, flags = job
        expected = run(command_line([tcpdump], flags, capture), capture, flags.stdin, extra_env, args.timeout)
        actual = run(command_line([synack_path, "dump"], flags, capture), capture, flags.stdin, extra_env,
                     args.timeout)
        return expected, actual

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for (capture, flags), (expected, actual) in zip(jobs, pool.map(compare, jobs)):
            if expected.status is None:
                failed += 1
                print(f"ERROR {capture.name} [{flags.name}]: tcpdump itself timed out after {args.timeout:g} s")
                continue
            if identical(expected, actual):
                continue
            failed += 1
            report_mismatch(capture, flags, expected, actual)
    compared = len(jobs)

    names = ", ".join(c.name for c in captures)
    print(f"compare_dump: {compared - failed}/{compared} comparisons identical over {len(captures)} capture(s) "
          f"({names}); {failed} mismatched")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into head
        sys.exit(1)
