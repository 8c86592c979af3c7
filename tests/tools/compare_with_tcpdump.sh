#!/usr/bin/env bash
# Compares `synack dump FLAGS -r F` with `tcpdump FLAGS -r F` (TZ=UTC), stdout and stderr, for every capture and
# flag set given: compare_with_tcpdump.sh SYNACK_BINARY 'FLAGS1;FLAGS2;…' CAPTURE…
# Prints one line per difference (and the first differing lines); exits 1 if any.
set -u
synack=$1
IFS=';' read -r -a flagsets <<< "$2"
shift 2
status=0
for f in "$@"; do
    for flags in "${flagsets[@]}"; do
        # shellcheck disable=SC2086
        want=$(TZ=UTC tcpdump $flags -r "$f" 2>/tmp/compare_want_err)
        # shellcheck disable=SC2086
        got=$(TZ=UTC "$synack" dump $flags -r "$f" 2>/tmp/compare_got_err)
        if [ "$want" != "$got" ]; then
            echo "DIFF: $f [$flags]"
            diff <(echo "$want") <(echo "$got") | head -${DIFF_LINES:-6}
            status=1
        fi
        if [ "$(head -1 /tmp/compare_want_err)" != "$(head -1 /tmp/compare_got_err)" ]; then
            echo "STDERR DIFF: $f [$flags]: $(head -1 /tmp/compare_want_err) | $(head -1 /tmp/compare_got_err)"
            status=1
        fi
    done
done
exit $status
