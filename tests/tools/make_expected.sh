#!/usr/bin/env bash
# Regenerates tests/tools/expected/*.txt: what Debian's tcpdump 4.99.3 prints for each capture in
# tests/tools/captures and data/captures under each flag set the dump tests check (TZ=UTC, stdout only).
# The unit tests compare `synack dump`'s printer with these files; rerun only with tcpdump 4.99.3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$here/expected"
flagsets=("-n" "-nn -vvv -X" "-e -n" "-xx -n" "-X -n" "-XX -n" "-A -n" "-S -n" "-q -n" "-tt -n" "-ttt -n" "-tttt -n"
          "-ttttt -n" "-# -n" "-vv -n" "-x -e -n" "-v -n" "--nano -n" "--nano -ttt -n")
for f in "$here"/captures/*.pcap "$root"/data/captures/*.pcap; do
    base=$(basename "$f" .pcap)
    for flags in "${flagsets[@]}"; do
        name=$(printf '%s' "$flags" | tr -d ' #-')
        [ "$flags" = "-# -n" ] && name=numbern
        [ "$flags" = "--nano -n" ] && name=nanon
        [ "$flags" = "--nano -ttt -n" ] && name=nanotttn
        # -v detail is checked on TCP only (ICMP/ICMPv6/UDP verbose output is a later issue).
        filter=()
        case "$flags" in *v*) filter=(tcp) ;; esac
        # shellcheck disable=SC2086
        TZ=UTC tcpdump $flags -r "$f" "${filter[@]}" > "$here/expected/$base.$name.txt" 2>/dev/null
    done
done
