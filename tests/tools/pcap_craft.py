#!/usr/bin/env python3
"""Crafts capture files byte by byte, for comparing `synack dump` with tcpdump on odd packets.

Used by hand and by the oracle scripts: `python3 pcap_craft.py` writes nothing by itself; import it.
Every builder returns bytes; checksums are computed unless a value is given.
"""
import struct

LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113
LINKTYPE_LINUX_SLL2 = 276


def pcap(path, linktype, records, snaplen=262144, nano=False):
    """records: iterable of (seconds, fraction, data) or (seconds, fraction, data, wire_length)."""
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype))
        for r in records:
            sec, frac, data = r[0], r[1], r[2]
            wire = r[3] if len(r) > 3 else len(data)
            f.write(struct.pack("<IIII", sec, frac, len(data), wire))
            f.write(data)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    import socket
    return socket.inet_pton(socket.AF_INET6, a)


def ether(dst, src, etype, payload):
    return bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", "")) + struct.pack("!H", etype) + payload


def vlan(tci, etype, payload):
    return struct.pack("!HH", tci, etype) + payload


def sll(pkttype, hatype, addr, proto, payload):
    a = bytes.fromhex(addr.replace(":", ""))
    return struct.pack("!HHH", pkttype, hatype, len(a)) + a.ljust(8, b"\0") + struct.pack("!H", proto) + payload


def sll2(proto, ifindex, hatype, pkttype, addr, payload):
    a = bytes.fromhex(addr.replace(":", ""))
    return struct.pack("!HHIHBB", proto, 0, ifindex, hatype, pkttype, len(a)) + a.ljust(8, b"\0") + payload


def ipv4(src, dst, proto, payload, tos=0, ttl=64, ident=1, flags_off=0x4000, options=b"", total=None, cksum=None,
         ihl=None):
    hl = ihl if ihl is not None else (20 + len(options)) // 4
    tl = total if total is not None else 20 + len(options) + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | hl, tos, tl, ident, flags_off, ttl, proto, 0, ip4(src), ip4(dst)) + options
    c = csum(h) if cksum is None else cksum
    h = h[:10] + struct.pack("!H", c) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, tc=0, flow=0, hlim=64, plen=None):
    pl = len(payload) if plen is None else plen
    return struct.pack("!IHBB16s16s", (6 << 28) | (tc << 20) | flow, pl, nh, hlim, ip6(src), ip6(dst)) + payload


def pseudo4(src, dst, proto, length):
    return ip4(src) + ip4(dst) + struct.pack("!BBH", 0, proto, length)


def pseudo6(src, dst, nh, length):
    return ip6(src) + ip6(dst) + struct.pack("!IxxxB", length, nh)


def tcp(sport, dport, seq, ack, flags, win=65535, options=b"", payload=b"", urg=0, off=None, cksum=None,
        pseudo=None):
    """flags: string of letters FSRPAUEW or an int. pseudo: pseudo-header bytes for the checksum."""
    if isinstance(flags, str):
        bits = {"F": 1, "S": 2, "R": 4, "P": 8, "A": 16, "U": 32, "E": 64, "W": 128}
        flags = sum(bits[c] for c in flags)
    doff = off if off is not None else (20 + len(options)) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, (doff << 4) | (flags >> 8 & 1), flags & 0xFF, win, 0,
                    urg) + options
    if cksum is None:
        cksum = csum((pseudo or b"") + h + payload) if pseudo is not None else 0
    return h[:16] + struct.pack("!H", cksum) + h[18:] + payload


def udp(sport, dport, payload, pseudo=None, length=None, cksum=None):
    ln = 8 + len(payload) if length is None else length
    h = struct.pack("!HHHH", sport, dport, ln, 0)
    if cksum is None:
        cksum = csum(pseudo + h + payload) if pseudo is not None else 0
    return h[:6] + struct.pack("!H", cksum) + payload


def tcp4(src, dst, sport, dport, seq, ack, flags, **kw):
    """A whole IPv4/TCP datagram with correct checksums; ip_* keywords go to ipv4()."""
    ipkw = {k[3:]: v for k, v in kw.items() if k.startswith("ip_")}
    tkw = {k: v for k, v in kw.items() if not k.startswith("ip_")}
    seg_len = 20 + len(tkw.get("options", b"")) + len(tkw.get("payload", b""))
    seg = tcp(sport, dport, seq, ack, flags, pseudo=pseudo4(src, dst, 6, seg_len), **tkw)
    return ipv4(src, dst, 6, seg, **ipkw)


def tcp6(src, dst, sport, dport, seq, ack, flags, **kw):
    ipkw = {k[3:]: v for k, v in kw.items() if k.startswith("ip_")}
    tkw = {k: v for k, v in kw.items() if not k.startswith("ip_")}
    seg_len = 20 + len(tkw.get("options", b"")) + len(tkw.get("payload", b""))
    seg = tcp(sport, dport, seq, ack, flags, pseudo=pseudo6(src, dst, 6, seg_len), **tkw)
    return ipv6(src, dst, 6, seg, **ipkw)
