#!/usr/bin/env python3
"""Joins two TUN devices living in two network namespaces into one point-to-point link.

The kernel lacks ipip/sit on some hosts, so raw-IP captures (LINKTYPE_RAW: libpcap maps ARPHRD_NONE, a TUN
device, to DLT_RAW) come from a pair of TUN devices whose packets this process copies unchanged, one to the other.

Usage: tun_pump.py NS_A IFNAME_A NS_B IFNAME_B --seconds N
Creates both devices (non-persistent: they vanish when this process exits), prints "ready" on stdout, then copies
packets until SIGTERM/SIGINT or N seconds have passed. Python standard library only (ctypes for setns(2)).
"""
import argparse
import ctypes
import fcntl
import os
import select
import signal
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

_libc = ctypes.CDLL(None, use_errno=True)


def setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def open_tun_in(namespace: str, ifname: str, home_fd: int) -> int:
    ns_fd = os.open(f"/run/netns/{namespace}", os.O_RDONLY)
    try:
        setns(ns_fd)
        tun = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", ifname.encode(), IFF_TUN | IFF_NO_PI))
        return tun
    finally:
        setns(home_fd)
        os.close(ns_fd)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ns_a")
    parser.add_argument("if_a")
    parser.add_argument("ns_b")
    parser.add_argument("if_b")
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()

    home_fd = os.open("/proc/self/ns/net", os.O_RDONLY)
    tun_a = open_tun_in(args.ns_a, args.if_a, home_fd)
    tun_b = open_tun_in(args.ns_b, args.if_b, home_fd)
    os.close(home_fd)

    stop = False

    def on_signal(_signum, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print("ready", flush=True)

    peer = {tun_a: tun_b, tun_b: tun_a}
    deadline = time.monotonic() + args.seconds
    while not stop and time.monotonic() < deadline:
        try:
            readable, _, _ = select.select([tun_a, tun_b], [], [], 0.2)
        except InterruptedError:
            continue
        for fd in readable:
            packet = os.read(fd, 65536)
            try:
                os.write(peer[fd], packet)
            except OSError:
                pass  # the peer device is down (e.g. during teardown): the packet is lost, as on a cable
    return 0


if __name__ == "__main__":
    sys.exit(main())
