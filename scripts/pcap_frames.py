#!/usr/bin/env python3
"""Writes every frame of every classic pcap file under the given directories as its own file in OUTDIR.

Used to seed the fuzzers' corpora with real packets. Usage: pcap_frames.py OUTDIR DIR_OR_FILE...
Only little- and big-endian classic pcap (micro or nano) is read; other files are skipped.
"""
import os
import struct
import sys


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        return
    offset = 24
    while offset + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        offset += 16
        if offset + caplen > len(data):
            return
        yield data[offset:offset + caplen]
        offset += caplen


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    count = 0
    for root in sys.argv[2:]:
        paths = [root] if os.path.isfile(root) else [
            os.path.join(d, n) for d, _, names in os.walk(root) for n in sorted(names)]
        for path in paths:
            if not path.endswith((".pcap", ".cap")):
                continue
            for i, frame in enumerate(frames(path)):
                name = f"{os.path.basename(path)}-{i:05d}"
                with open(os.path.join(out, name), "wb") as f:
                    f.write(frame)
                count += 1
                if count >= 5000:
                    return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
