"""packetdrill-lite: a scripted TCP peer on a TUN device, to see what the Linux kernel answers.

Run inside a network namespace (ip netns exec NS python3 script.py). The kernel owns 198.18.1.1 and
2001:2:1::1 on TUN device 'tunp'; the peer speaks as 198.18.1.2 / 2001:2:1::2.
"""
import fcntl, os, select, socket, struct, subprocess, time, threading

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
K4, P4 = '198.18.1.1', '198.18.1.2'
K6, P6 = '2001:2:1::1', '2001:2:1::2'
T0 = time.time()

def sh(cmd):
    subprocess.run(cmd, shell=True, check=True)

def csum(data):
    if len(data) % 2: data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

FL = {'F': 1, 'S': 2, 'R': 4, 'P': 8, '.': 16, 'U': 32, 'E': 64, 'W': 128}

def flags_str(f):
    s = ''.join(c for c in 'SFRPUEW' if f & FL[c])
    if f & 16: s += '.'
    return s or 'none'

def build_opts(opts):
    out = b''
    for o in opts:
        k = o[0]
        if k == 'nop': out += b'\x01'
        elif k == 'mss': out += struct.pack('!BBH', 2, 4, o[1])
        elif k == 'ws': out += struct.pack('!BBB', 3, 3, o[1])
        elif k == 'sackok': out += b'\x04\x02'
        elif k == 'ts': out += struct.pack('!BBII', 8, 10, o[1], o[2])
        elif k == 'raw': out += o[1]
    while len(out) % 4: out += b'\0'
    return out

def parse_opts(b):
    out, i = [], 0
    while i < len(b):
        k = b[i]
        if k == 0: break
        if k == 1: out.append('nop'); i += 1; continue
        if i + 1 >= len(b): break
        l = b[i + 1]
        d = b[i + 2:i + l]
        if k == 2: out.append('mss %d' % struct.unpack('!H', d)[0])
        elif k == 3: out.append('wscale %d' % d[0])
        elif k == 4: out.append('sackOK')
        elif k == 8: out.append('TS val %d ecr %d' % struct.unpack('!II', d))
        elif k == 5: out.append('sack ' + ' '.join('%d:%d' % struct.unpack('!II', d[j:j + 8]) for j in range(0, len(d), 8)))
        else: out.append('opt%d' % k)
        i += l
    return out

class Pkt:
    pass

class Peer:
    def __init__(self, v6=False):
        self.v6 = v6
        self.fd = os.open('/dev/net/tun', os.O_RDWR)
        fcntl.ioctl(self.fd, TUNSETIFF, struct.pack('16sH', b'tunp', IFF_TUN | IFF_NO_PI))
        sh('ip link set lo up; ip link set tunp up mtu 1500; ip addr add %s/24 dev tunp; ip addr add %s/64 dev tunp nodad' % (K4, K6))
        sh('sysctl -qw net.ipv4.tcp_rmem="4096 131072 6291456" net.ipv4.tcp_wmem="4096 16384 4194304" '
           'net.ipv4.tcp_congestion_control=reno net.ipv4.tcp_ecn=0 net.ipv6.conf.all.disable_ipv6=0')
        self.kaddr, self.paddr = (K6, P6) if v6 else (K4, P4)
        self.ipid = 1000

    def now(self):
        return '%8.3f' % (time.time() - T0)

    def send(self, sport, dport, flags, seq, ack=0, win=65535, opts=(), payload=b'', quiet=False):
        f = 0
        for c in flags: f |= FL[c]
        o = build_opts(opts)
        off = (20 + len(o)) // 4
        tcp = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff, off << 4, f, win, 0, 0) + o + payload
        if self.v6:
            src, dst = socket.inet_pton(socket.AF_INET6, self.paddr), socket.inet_pton(socket.AF_INET6, self.kaddr)
            ph = src + dst + struct.pack('!IxxxB', len(tcp), 6)
        else:
            src, dst = socket.inet_aton(self.paddr), socket.inet_aton(self.kaddr)
            ph = src + dst + struct.pack('!xBH', 6, len(tcp))
        c = csum(ph + tcp)
        tcp = tcp[:16] + struct.pack('!H', c) + tcp[18:]
        if self.v6:
            ip = struct.pack('!IHBB', 6 << 28, len(tcp), 6, 64) + src + dst
        else:
            self.ipid += 1
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), self.ipid, 0x4000, 64, 6, 0, src, dst)
            ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        os.write(self.fd, ip + tcp)
        if not quiet:
            print('%s > %s.%d > %d [%s] seq %d ack %d win %d %s len %d' % (self.now(), 'peer', sport, dport, flags_str(f), seq & 0xffffffff, ack & 0xffffffff, win, build_desc(opts), len(payload)), flush=True)

    def recv(self, timeout=3.0, quiet=False):
        end = time.time() + timeout
        while True:
            left = end - time.time()
            if left <= 0: return None
            r, _, _ = select.select([self.fd], [], [], left)
            if not r: return None
            b = os.read(self.fd, 65536)
            p = Pkt()
            if b[0] >> 4 == 6:
                if b[6] != 6: continue
                p.hlim = b[7]; p.flow = struct.unpack('!I', b[0:4])[0] & 0xfffff; p.ipid = None; p.df = None
                t = b[40:]
            else:
                if b[9] != 6: continue
                ihl = (b[0] & 15) * 4
                p.hlim = b[8]; p.ipid = struct.unpack('!H', b[4:6])[0]; p.df = bool(b[6] & 0x40); p.flow = None
                p.tos = b[1]
                t = b[ihl:]
            p.sport, p.dport, p.seq, p.ack, off, p.flags, p.win = struct.unpack('!HHIIBBH', t[:16])
            hl = (off >> 4) * 4
            p.opts = parse_opts(t[20:hl])
            p.payload = t[hl:]
            p.tsval = p.tsecr = None
            for o in p.opts:
                if o.startswith('TS val'):
                    p.tsval, p.tsecr = int(o.split()[2]), int(o.split()[4])
            if not quiet:
                extra = ('id %d%s ttl %d' % (p.ipid, ' DF' if p.df else '', p.hlim)) if p.ipid is not None else ('flow 0x%05x hlim %d' % (p.flow, p.hlim))
                print('%s < kern.%d > %d [%s] seq %d ack %d win %d [%s] len %d (%s)' % (self.now(), p.sport, p.dport, flags_str(p.flags), p.seq, p.ack, p.win, ','.join(p.opts), len(p.payload), extra), flush=True)
            return p

    def expect_none(self, timeout):
        p = self.recv(timeout)
        if p is None: print('%s   (nothing for %.1fs)' % (self.now(), timeout), flush=True)
        return p

def build_desc(opts):
    return '[' + ','.join(o[0] if len(o) == 1 else '%s %s' % (o[0], ' '.join(str(x) for x in o[1:])) for o in opts if o[0] != 'raw') + ']'

def background(fn, *a):
    t = threading.Thread(target=fn, args=a, daemon=True)
    t.start()
    return t

def log(*a):
    print('%s   %s' % ('%8.3f' % (time.time() - T0), ' '.join(str(x) for x in a)), flush=True)

def nstat(*names):
    out = subprocess.run('nstat -az ' + ' '.join(names), shell=True, capture_output=True, text=True).stdout
    d = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2: d[parts[0]] = int(parts[1])
    return d
