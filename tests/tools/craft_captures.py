#!/usr/bin/env python3
"""Writes the crafted captures of tests/tools/captures that cover what real traffic rarely shows: every ICMP and
ICMPv6 type tcpdump names (and messages cut short at each field), UDP headers cut short, RST segments carrying
data, and a nanosecond-resolution capture. Run it, then make_expected.sh to record tcpdump 4.99.3's output:

    python3 tests/tools/craft_captures.py tests/tools/captures && tests/tools/make_expected.sh
"""
import struct
import sys
from pathlib import Path

import pcap_craft as pc

A4, B4 = "198.18.0.1", "198.18.0.2"
A6, B6 = "2001:2::1", "2001:2::2"
MAC_A, MAC_B = "02:00:00:00:00:01", "02:00:00:00:00:02"


def eth4(payload):
    return pc.ether(MAC_B, MAC_A, 0x0800, payload)


def eth6(payload):
    return pc.ether(MAC_B, MAC_A, 0x86DD, payload)


def icmp4(t, code, rest=b"\0\0\0\0", body=b"", cksum=None):
    h = struct.pack("!BBH", t, code, 0) + rest + body
    c = pc.csum(h) if cksum is None else cksum
    return h[:2] + struct.pack("!H", c) + h[4:]


def icmp6(src, dst, t, code, rest=b"\0\0\0\0", body=b""):
    h = struct.pack("!BBH", t, code, 0) + rest + body
    c = pc.csum(pc.pseudo6(src, dst, 58, len(h)) + h)
    return h[:2] + struct.pack("!H", c) + h[4:]


def quoted_udp4(dport=33434):
    """The invoking datagram an ICMP error quotes: its IP header and the first 8 bytes of UDP."""
    return pc.ipv4(B4, A4, 17, struct.pack("!HHHH", 40000, dport, 20, 0), total=40)


def quoted_tcp4(dport=80):
    return pc.ipv4(B4, A4, 6, struct.pack("!HHI", 40000, dport, 1), total=60)


def quoted6(nh, upper, ext=b""):
    return pc.ipv6(B6, A6, nh, ext + upper, plen=len(ext) + 100)


def ip4_icmp(msg, cut=None):
    """An Ethernet frame with an IPv4/ICMP datagram; `cut` bytes of the ICMP message captured (wire length kept)."""
    frame = eth4(pc.ipv4(A4, B4, 1, msg))
    if cut is None:
        return (1, 0, frame)
    return (1, 0, frame[:14 + 20 + cut], len(frame))


def ip6_icmp(msg, dst=B6, cut=None, src=A6):
    frame = eth6(pc.ipv6(src, dst, 58, msg))
    if cut is None:
        return (1, 0, frame)
    return (1, 0, frame[:14 + 40 + cut], len(frame))


def icmp4_records():
    r = []
    q = quoted_udp4()
    echo_data = bytes(range(56))
    r.append(ip4_icmp(icmp4(8, 0, struct.pack("!HH", 7, 1), echo_data)))
    r.append(ip4_icmp(icmp4(0, 0, struct.pack("!HH", 7, 1), echo_data)))
    # Destination unreachable, every code tcpdump names and one it does not.
    for code in range(17):
        rest = struct.pack("!HH", 0, 1400 if code == 4 else 0)
        r.append(ip4_icmp(icmp4(3, code, rest, quoted_udp4() if code != 2 else q)))
    r.append(ip4_icmp(icmp4(3, 4, b"\0\0\0\0", q)))  # need to frag without an MTU
    r.append(ip4_icmp(icmp4(3, 3, b"\0\0\0\0", quoted_tcp4())))
    r.append(ip4_icmp(icmp4(3, 3, b"\0\0\0\0", pc.ipv4(B4, A4, 200, b"\x9c\x40\x00\x50" + bytes(4), total=40))))
    r.append(ip4_icmp(icmp4(4, 0, b"\0\0\0\0", q)))  # source quench
    for code in range(5):  # redirect
        r.append(ip4_icmp(icmp4(5, code, pc.ip4("198.18.0.254"), q)))
    # Router advertisement (RFC 1256): lifetimes of seconds, minutes and hours; an entry size other than 2.
    for count, size, life in ((2, 2, 30), (1, 2, 1800), (1, 2, 9000), (1, 3, 60)):
        entries = b"".join(pc.ip4("198.18.0.%d" % (10 + i)) + struct.pack("!I", 100 * i) for i in range(count))
        r.append(ip4_icmp(icmp4(9, 0, struct.pack("!BBH", count, size, life), entries)))
    r.append(ip4_icmp(icmp4(10, 0)))  # router solicitation
    for code in range(3):
        r.append(ip4_icmp(icmp4(11, code, b"\0\0\0\0", q)))
    r.append(ip4_icmp(icmp4(12, 0, b"\x14\0\0\0", q)))
    r.append(ip4_icmp(icmp4(12, 1, b"\0\0\0\0", q)))
    r.append(ip4_icmp(icmp4(13, 0, struct.pack("!HH", 9, 3), bytes(12))))
    r.append(ip4_icmp(icmp4(14, 0, struct.pack("!HH", 9, 3), struct.pack("!III", 3723004, 3723005, 86399999))))
    r.append(ip4_icmp(icmp4(15, 0, struct.pack("!HH", 1, 2))))
    r.append(ip4_icmp(icmp4(16, 0, struct.pack("!HH", 1, 2))))
    r.append(ip4_icmp(icmp4(17, 0, struct.pack("!HH", 1, 2), bytes(4))))
    r.append(ip4_icmp(icmp4(18, 0, struct.pack("!HH", 1, 2), pc.ip4("255.255.255.0"))))
    for t in (1, 2, 6, 7, 19, 30, 40, 255):
        r.append(ip4_icmp(icmp4(t, 0)))
    # Messages cut short by the capture at each field tcpdump reads.
    echo = icmp4(8, 0, struct.pack("!HH", 7, 1), echo_data)
    for cut in (1, 2, 4, 6, 7, 8):
        r.append(ip4_icmp(echo, cut))
    port = icmp4(3, 3, b"\0\0\0\0", q)
    for cut in (8, 16, 17, 18, 28, 29, 30, 31, 32):
        r.append(ip4_icmp(port, cut))
    for cut in (20, 27, 28):  # time exceeded: the quoted destination
        r.append(ip4_icmp(icmp4(11, 0, b"\0\0\0\0", q), cut))
    ra = icmp4(9, 0, struct.pack("!BBH", 2, 2, 30), bytes(16))
    for cut in (2, 6, 8, 15, 16, 23, 24):
        r.append(ip4_icmp(ra, cut))
    for cut in (4, 5):  # parameter problem: the pointer
        r.append(ip4_icmp(icmp4(12, 0, b"\x14\0\0\0", q), cut))
    for cut in (19, 20):  # timestamp reply: the transmit timestamp
        r.append(ip4_icmp(icmp4(14, 0, struct.pack("!HH", 9, 3), bytes(12)), cut))
    for cut in (8, 11, 12):
        r.append(ip4_icmp(icmp4(18, 0, struct.pack("!HH", 1, 2), bytes(4)), cut))
    for cut in (8, 27, 28):
        r.append(ip4_icmp(icmp4(5, 1, pc.ip4("198.18.0.254"), q), cut))
    # Wrong ICMP checksum (shown by -v; the default line does not change).
    r.append(ip4_icmp(icmp4(8, 0, struct.pack("!HH", 7, 2), echo_data, cksum=0x1234)))
    return r


def icmp6_records():
    r = []
    udp6 = struct.pack("!HHHH", 40000, 33434, 20, 0)
    tcp6 = struct.pack("!HHI", 40000, 80, 1)
    qu = quoted6(17, udp6)

    def m(t, code, rest=b"\0\0\0\0", body=b"", dst=B6):
        return icmp6(A6, dst, t, code, rest, body)

    echo_data = bytes(range(56))
    r.append(ip6_icmp(m(128, 0, struct.pack("!HH", 7, 1), echo_data)))
    r.append(ip6_icmp(m(129, 0, struct.pack("!HH", 7, 1), echo_data)))
    for code in range(8):
        r.append(ip6_icmp(m(1, code, body=qu)))
    r.append(ip6_icmp(m(1, 4, body=quoted6(6, tcp6))))
    r.append(ip6_icmp(m(1, 4, body=quoted6(0, udp6, ext=bytes([17, 0]) + bytes(6)))))  # behind hop-by-hop
    r.append(ip6_icmp(m(1, 4, body=quoted6(44, udp6, ext=bytes([17, 0, 0, 0]) + bytes(4)))))  # first fragment
    r.append(ip6_icmp(m(1, 4, body=quoted6(44, udp6, ext=bytes([17, 0, 0, 8]) + bytes(4)))))  # later fragment
    r.append(ip6_icmp(m(1, 4, body=quoted6(51, udp6, ext=bytes([17, 1]) + bytes(10)))))  # behind AH
    r.append(ip6_icmp(m(1, 4, body=quoted6(132, udp6))))
    r.append(ip6_icmp(m(2, 0, struct.pack("!I", 1280), qu)))
    for code in range(3):
        r.append(ip6_icmp(m(3, code, body=qu)))
    for code in range(5):
        r.append(ip6_icmp(m(4, code, struct.pack("!I", 40), qu)))
    # MLD (RFC 2710, RFC 3810): query v1, v2 (with sources), an odd length; report; done; v2 report.
    group = pc.ip6("ff02::fb")
    r.append(ip6_icmp(m(130, 0, struct.pack("!HH", 1000, 0), bytes(16), dst="ff02::1"), src="fe80::1"))
    v2q = struct.pack("!HH", 10000, 0) + group + struct.pack("!BBH", 0x0a, 125, 2) + pc.ip6(A6) + pc.ip6(B6)
    r.append(ip6_icmp(m(130, 0, v2q[:4], v2q[4:], dst="ff02::1"), src="fe80::1"))
    r.append(ip6_icmp(m(130, 0, struct.pack("!HH", 40000, 0), group + struct.pack("!BBH", 0, 200, 0),
                        dst="ff02::1"), src="fe80::1"))
    r.append(ip6_icmp(m(130, 0, b"\0\0\0\0", bytes(18), dst="ff02::1"), src="fe80::1"))
    r.append(ip6_icmp(m(131, 0, b"\0\0\0\0", group, dst="ff02::fb"), src="fe80::1"))
    r.append(ip6_icmp(m(132, 0, b"\0\0\0\0", group, dst="ff02::2"), src="fe80::1"))
    rec = struct.pack("!BBH", 4, 0, 0) + group
    r.append(ip6_icmp(m(143, 0, struct.pack("!HH", 0, 2), rec + rec, dst="ff02::16"), src="fe80::1"))
    r.append(ip6_icmp(m(143, 0, struct.pack("!HH", 0, 0), dst="ff02::16"), src="fe80::1"))
    # Neighbour discovery.
    lla = bytes([1, 1]) + bytes.fromhex("020000000001")
    r.append(ip6_icmp(m(133, 0, body=lla, dst="ff02::2")))
    r.append(ip6_icmp(m(134, 0, struct.pack("!BBH", 64, 0xc0, 1800), struct.pack("!II", 0, 0) + lla, dst="ff02::1")))
    r.append(ip6_icmp(m(135, 0, body=pc.ip6(B6) + lla, dst="ff02::1:ff00:2")))
    r.append(ip6_icmp(m(136, 0, b"\xe0\0\0\0", pc.ip6(A6), dst=B6)))
    r.append(ip6_icmp(m(137, 0, body=pc.ip6("fe80::1") + pc.ip6("2001:2::99"))))
    for t in (141, 142, 144, 145, 146, 147, 200, 201, 5, 127, 150, 255):
        r.append(ip6_icmp(m(t, 0, struct.pack("!HH", 0x1234, 0x8000), bytes(8))))
    # Cut short at each field tcpdump reads.
    echo = m(128, 0, struct.pack("!HH", 7, 1), echo_data)
    for cut in (1, 2, 4, 6, 7, 8):
        r.append(ip6_icmp(echo, cut=cut))
    for cut in (4, 8, 47, 48):
        r.append(ip6_icmp(m(2, 0, struct.pack("!I", 1280), qu), cut=cut))
    unreach = m(1, 4, body=qu)
    for cut in (2, 8, 14, 15, 47, 48, 49, 50, 51, 52):
        r.append(ip6_icmp(unreach, cut=cut))
    for cut in (2, 8, 47, 48):
        r.append(ip6_icmp(m(3, 0, body=qu), cut=cut))
        r.append(ip6_icmp(m(3, 1, body=qu), cut=cut))
        r.append(ip6_icmp(m(4, 1, struct.pack("!I", 40), qu), cut=cut))
    ns = m(135, 0, body=pc.ip6(B6) + lla, dst="ff02::1:ff00:2")
    for cut in (1, 2, 8, 23, 24):
        r.append(ip6_icmp(ns, dst="ff02::1:ff00:2", cut=cut))
    for cut in (2, 8, 23, 24):
        r.append(ip6_icmp(m(130, 0, struct.pack("!HH", 1000, 0), bytes(16), dst="ff02::1"), dst="ff02::1",
                          src="fe80::1", cut=cut))
        r.append(ip6_icmp(m(130, 0, v2q[:4], v2q[4:], dst="ff02::1"), dst="ff02::1", src="fe80::1", cut=cut))
    for cut in (2, 4, 8):
        r.append(ip6_icmp(m(133, 0, body=lla, dst="ff02::2"), dst="ff02::2", cut=cut))
        r.append(ip6_icmp(m(143, 0, struct.pack("!HH", 0, 2), rec + rec, dst="ff02::16"), dst="ff02::16",
                          src="fe80::1", cut=cut))
    return r


def udp_records():
    r = []
    payload = b"hello"
    whole4 = pc.ipv4(A4, B4, 17, pc.udp(5000, 9003, payload, pc.pseudo4(A4, B4, 17, 13)))
    whole6 = pc.ipv6(A6, B6, 17, pc.udp(5000, 9003, payload, pc.pseudo6(A6, B6, 17, 13)))
    for cut in (0, 2, 4, 5, 6, 7, 8, 10):
        f = eth4(whole4)
        r.append((1, 0, f[:14 + 20 + cut], len(f)))
        f = eth6(whole6)
        r.append((1, 0, f[:14 + 40 + cut], len(f)))
    # A UDP length beyond the IP datagram, and one below it (tcpdump believes the smaller).
    r.append((1, 0, eth4(pc.ipv4(A4, B4, 17, pc.udp(5000, 9003, payload, length=40)))))
    r.append((1, 0, eth4(pc.ipv4(A4, B4, 17, pc.udp(5000, 9003, payload + bytes(10), length=10)))))
    # A later fragment's length is not judged.
    r.append((1, 0, eth4(pc.ipv4(A4, B4, 17, pc.udp(5000, 9003, payload, length=40), flags_off=0x2000))))
    # UDP behind a destination options header: the ports alone.
    dst = bytes([17, 0]) + bytes([1, 4]) + bytes(4)
    r.append((1, 0, eth6(pc.ipv6(A6, B6, 60, dst + pc.udp(5000, 9003, payload, pc.pseudo6(A6, B6, 17, 13))))))
    f = eth6(pc.ipv6(A6, B6, 60, dst + pc.udp(5000, 9003, payload)))
    r.append((1, 0, f[:14 + 48 + 2], len(f)))
    return r


def rst_records():
    """RST segments with data (RFC 9293 §3.5.3 allows it; tcpdump -v shows it as "[RST text]")."""
    r = []
    for data in (b"connection refused", b"x" * 45, bytes([0x01, 0x7f, 0x80, 0xff, 0x41, 0x0d, 0x0a])):
        r.append((1, 0, eth4(pc.tcp4(A4, B4, 9000, 40000, 1000, 2000, "RA", payload=data))))
    r.append((1, 0, eth6(pc.tcp6(A6, B6, 9000, 40000, 1000, 2000, "R", payload=b"reset with data"))))
    f = eth4(pc.tcp4(A4, B4, 9000, 40000, 1000, 2000, "R", payload=b"cut short by the capture"))
    r.append((1, 0, f[:14 + 20 + 20 + 5], len(f)))
    f = eth4(pc.tcp4(A4, B4, 9000, 40000, 1000, 2000, "R", payload=b"y" * 40))
    r.append((1, 0, f[:14 + 20 + 20 + 35], len(f)))
    return r


def nano_records():
    """Nanosecond time stamps: -ttt/-ttttt deltas and --nano printing need all nine digits."""
    r = []
    times = ((1700000000, 123456789), (1700000000, 123456790), (1700000001, 5), (1700000061, 999999999))
    for i, (sec, ns) in enumerate(times):
        r.append((sec, ns, eth4(pc.tcp4(A4, B4, 40000, 9000, 1000 + i, 2000, "A"))))
    return r


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "captures")
    out.mkdir(parents=True, exist_ok=True)
    pc.pcap(out / "crafted-icmp4.pcap", pc.LINKTYPE_ETHERNET, icmp4_records())
    pc.pcap(out / "crafted-icmp6.pcap", pc.LINKTYPE_ETHERNET, icmp6_records())
    pc.pcap(out / "crafted-udp.pcap", pc.LINKTYPE_ETHERNET, udp_records())
    pc.pcap(out / "crafted-rst.pcap", pc.LINKTYPE_ETHERNET, rst_records())
    pc.pcap(out / "crafted-nano.pcap", pc.LINKTYPE_ETHERNET, nano_records(), nano=True)


if __name__ == "__main__":
    main()
