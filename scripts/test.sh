#!/usr/bin/env bash
# Builds and runs every test: installs what is missing, builds the GCC release preset (warnings are errors),
# then runs each CTest label within its time budget. Interop tests need root and /dev/net/tun; without them
# they report themselves skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
export TZ=UTC

# label:budget in seconds for the whole label (each test also has its own TIMEOUT).
budgets=(unit:300 oracle:600 interop:900 gauntlet:300)
status=0
for entry in "${budgets[@]}"; do
    label=${entry%%:*}
    budget=${entry##*:}
    echo "== ctest -L $label (budget ${budget}s)"
    if ! timeout --kill-after=10 "$budget" ctest --preset release -L "^${label}\$" -j2 --no-tests=ignore; then
        status=1
    fi
done
# The drill scripts on the linux backend: a stage of their own, never beside other tests (the kernel's timers
# tick at 250 Hz, so one jiffy is the whole 4 ms tolerance), two at a time. A script that fails is run once more,
# alone, and the report says so.
echo "== ctest -L drill-linux (budget 600s, two at a time)"
if ! timeout --kill-after=10 600 ctest --preset release -L '^drill-linux$' -j2 --no-tests=ignore; then
    echo "== re-running the failed linux-backend drill scripts once, alone"
    if timeout --kill-after=10 300 ctest --preset release --rerun-failed -j1 --output-on-failure; then
        echo "== the re-run passed: the failures above were timing noise on this machine"
    else
        status=1
    fi
fi
exit $status
