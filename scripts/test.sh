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
budgets=(unit:300 oracle:600 interop:900)
status=0
for entry in "${budgets[@]}"; do
    label=${entry%%:*}
    budget=${entry##*:}
    echo "== ctest -L $label (budget ${budget}s)"
    if ! timeout --kill-after=10 "$budget" ctest --preset release -L "^${label}\$" -j2 --no-tests=ignore; then
        status=1
    fi
done
exit $status
