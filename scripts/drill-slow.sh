#!/usr/bin/env bash
# The drill scripts marked `// drill: slow` (more than 60 s of real time: TIME_WAIT expiry, long give-ups) on the
# linux backend, one at a time. Their synack runs, in virtual time, are part of the unit tests already.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
timeout --kill-after=10 3600 ctest --preset release -L '^drill-linux-slow$' -j1 --output-on-failure --no-tests=ignore
