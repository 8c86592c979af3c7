"""What the Linux kernel answers to socket calls: the reference for synack's socket facade (src/api/).

Run through run.sh, inside a throw-away namespace (198.18.0.1 and 2001:2::1 are local; 198.18.0.2 and 2001:2::2
never answer). Each line is `scenario: call = result`, the result as an strace-like return value: a number, a
value, or `-1 ENAME`. Poll masks list every bit tcp_poll() set (all events were asked for).
"""
import ctypes, errno, fcntl, os, select, socket, struct, sys, time

A4, DEAD4 = '198.18.0.1', '198.18.0.2'
A6, DEAD6 = '2001:2::1', '2001:2::2'
SIOCINQ, SIOCOUTQ = 0x541B, 0x5411
POLLRDHUP = 0x2000
POLL_NAMES = [(0x1, 'POLLIN'), (0x2, 'POLLPRI'), (0x4, 'POLLOUT'), (0x8, 'POLLERR'), (0x10, 'POLLHUP'),
              (0x20, 'POLLNVAL'), (0x40, 'POLLRDNORM'), (0x80, 'POLLRDBAND'), (0x100, 'POLLWRNORM'),
              (0x200, 'POLLWRBAND'), (0x2000, 'POLLRDHUP')]
SCENARIO = ''


def out(text):
    print(f'{SCENARIO}: {text}', flush=True)


def show(label, fn):
    try:
        r = fn()
    except OSError as e:
        out(f'{label} = -1 {errno.errorcode.get(e.errno, e.errno)}')
        return None
    out(f'{label} = {r!r}' if not isinstance(r, int) or isinstance(r, bool) else f'{label} = {r}')
    return r


def mask_text(m):
    names = [n for bit, n in POLL_NAMES if m & bit]
    return '|'.join(names) if names else '0'


def poll(s):
    p = select.poll()
    p.register(s, 0x3ff | POLLRDHUP)
    r = p.poll(0)
    out(f'poll = {mask_text(r[0][1]) if r else "0"}')


def opt(s, level, name, label, size=None):
    if size is None:
        return show(f'getsockopt({label})', lambda: s.getsockopt(level, name))
    return show(f'getsockopt({label}, {size})', lambda: s.getsockopt(level, name, size))


def setopt(s, level, name, label, value):
    return show(f'setsockopt({label}, {value!r})', lambda: s.setsockopt(level, name, value))


def ioctl_int(s, cmd, label):
    return show(f'ioctl({label})', lambda: struct.unpack('i', fcntl.ioctl(s.fileno(), cmd, b'\0' * 4))[0])


def tcp(family=socket.AF_INET):
    return socket.socket(family, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0)


def settle():
    time.sleep(0.05)


# struct tcp_info as the running kernel fills it (include/uapi/linux/tcp.h).
TCP_INFO_FIELDS = [
    ('B', 'state'), ('B', 'ca_state'), ('B', 'retransmits'), ('B', 'probes'), ('B', 'backoff'), ('B', 'options'),
    ('B', 'wscale'), ('B', 'rate_app_limited'), ('I', 'rto'), ('I', 'ato'), ('I', 'snd_mss'), ('I', 'rcv_mss'),
    ('I', 'unacked'), ('I', 'sacked'), ('I', 'lost'), ('I', 'retrans'), ('I', 'fackets'), ('I', 'last_data_sent'),
    ('I', 'last_ack_sent'), ('I', 'last_data_recv'), ('I', 'last_ack_recv'), ('I', 'pmtu'), ('I', 'rcv_ssthresh'),
    ('I', 'rtt'), ('I', 'rttvar'), ('I', 'snd_ssthresh'), ('I', 'snd_cwnd'), ('I', 'advmss'), ('I', 'reordering'),
    ('I', 'rcv_rtt'), ('I', 'rcv_space'), ('I', 'total_retrans'), ('Q', 'pacing_rate'), ('Q', 'max_pacing_rate'),
    ('Q', 'bytes_acked'), ('Q', 'bytes_received'), ('I', 'segs_out'), ('I', 'segs_in'), ('I', 'notsent_bytes'),
    ('I', 'min_rtt'), ('I', 'data_segs_in'), ('I', 'data_segs_out'), ('Q', 'delivery_rate'), ('Q', 'busy_time'),
    ('Q', 'rwnd_limited'), ('Q', 'sndbuf_limited'), ('I', 'delivered'), ('I', 'delivered_ce'), ('Q', 'bytes_sent'),
    ('Q', 'bytes_retrans'), ('I', 'dsack_dups'), ('I', 'reord_seen'), ('I', 'rcv_ooopack'), ('I', 'snd_wnd'),
    ('I', 'rcv_wnd'), ('I', 'rehash'), ('H', 'total_rto'), ('H', 'total_rto_recoveries'), ('I', 'total_rto_time'),
    ('I', 'received_ce'), ('I', 'delivered_e1_bytes'), ('I', 'delivered_e0_bytes'), ('I', 'delivered_ce_bytes'),
    ('I', 'received_e1_bytes'), ('I', 'received_e0_bytes'), ('I', 'received_ce_bytes'), ('H', 'accecn_fail_mode'),
    ('H', 'accecn_opt_seen')]
TIME_FIELDS = {'last_data_sent', 'last_ack_sent', 'last_data_recv', 'last_ack_recv', 'rtt', 'rttvar', 'min_rtt',
               'rcv_rtt', 'pacing_rate', 'max_pacing_rate', 'delivery_rate', 'busy_time', 'total_rto_time'}


def tcp_info(s, fields=None):
    raw = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 512)
    out(f'getsockopt(TCP_INFO, 512) = {len(raw)} bytes')
    fmt = '=' + ''.join(f for f, _ in TCP_INFO_FIELDS)
    values = struct.unpack(fmt, raw[:struct.calcsize(fmt)])
    shown = []
    for (_, name), v in zip(TCP_INFO_FIELDS, values):
        if fields is not None and name not in fields:
            continue
        shown.append(f'{name}={v}')
    out('tcp_info ' + ' '.join(shown))


LIBC = ctypes.CDLL(None, use_errno=True)


def raw_socket(family, type_, proto):
    """socket(2) itself: Python's socket.socket() reads -1 as "the default" and adds SOCK_CLOEXEC."""
    fd = LIBC.socket(family, type_, proto)
    if fd < 0:
        raise OSError(ctypes.get_errno(), 'socket')
    return fd


def raw_listen(s, backlog):
    """listen(2) itself: Python's listen() turns a negative backlog into 0."""
    if LIBC.listen(s.fileno(), backlog) < 0:
        raise OSError(ctypes.get_errno(), 'listen')


def raw_recv0(s):
    """recv(fd, buf, 0, 0) itself: Python's recv(0) returns b'' without calling recv(2)."""
    n = LIBC.recv(s.fileno(), None, 0, 0)
    if n < 0:
        raise OSError(ctypes.get_errno(), 'recv')
    return n


def scenario_socket():
    for label, args in [('AF_INET, SOCK_STREAM, 0', (2, 1, 0)), ('AF_INET, SOCK_STREAM, IPPROTO_TCP', (2, 1, 6)),
                        ('AF_INET6, SOCK_STREAM, 0', (10, 1, 0)),
                        ('AF_INET, SOCK_STREAM, IPPROTO_UDP', (2, 1, 17)), ('AF_INET, SOCK_STREAM, 200', (2, 1, 200)),
                        ('AF_INET, SOCK_STREAM, -1', (2, 1, -1)), ('AF_INET6, SOCK_STREAM, IPPROTO_UDP', (10, 1, 17)),
                        ('AF_INET, SOCK_SEQPACKET, 0', (2, 5, 0)), ('AF_INET, 0, 0', (2, 0, 0)),
                        ('AF_INET, 11, 0', (2, 11, 0)), ('AF_INET, -1, 0', (2, -1, 0)),
                        ('AF_INET, SOCK_STREAM|0x40000, 0', (2, 1 | 0x40000, 0)),
                        ('AF_UNSPEC, SOCK_STREAM, 0', (0, 1, 0)), ('46, SOCK_STREAM, 0', (46, 1, 0)),
                        ('1000, SOCK_STREAM, 0', (1000, 1, 0)), ('-1, SOCK_STREAM, 0', (-1, 1, 0))]:
        show(f'socket({label})', lambda: raw_socket(*args))
    fd = raw_socket(2, 1, 0)
    show('fcntl(F_GETFD) of a plain socket', lambda: fcntl.fcntl(fd, fcntl.F_GETFD))
    fd = raw_socket(2, 1 | socket.SOCK_CLOEXEC, 0)
    show('fcntl(SOCK_CLOEXEC socket, F_GETFD)', lambda: fcntl.fcntl(fd, fcntl.F_GETFD))
    show('fcntl(F_SETFD, 0)', lambda: fcntl.fcntl(fd, fcntl.F_SETFD, 0))
    show('fcntl(F_GETFD)', lambda: fcntl.fcntl(fd, fcntl.F_GETFD))
    show('fcntl(F_GETFL) with O_RDWR', lambda: fcntl.fcntl(fd, fcntl.F_GETFL))
    show('fcntl(F_SETFL, O_NONBLOCK|O_APPEND)', lambda: fcntl.fcntl(fd, fcntl.F_SETFL, os.O_NONBLOCK | os.O_APPEND))
    show('fcntl(F_GETFL)', lambda: fcntl.fcntl(fd, fcntl.F_GETFL))
    s = socket.socket(2, socket.SOCK_STREAM | socket.SOCK_NONBLOCK, 0)
    show('fcntl(SOCK_NONBLOCK socket, F_GETFL)', lambda: fcntl.fcntl(s, fcntl.F_GETFL))
    s2 = socket.socket(2, 1, 0)
    show('fcntl(blocking socket, F_GETFL)', lambda: fcntl.fcntl(s2, fcntl.F_GETFL))
    show('fcntl(F_SETFL, O_NONBLOCK)', lambda: fcntl.fcntl(s2, fcntl.F_SETFL, os.O_NONBLOCK))
    show('fcntl(F_GETFL) after', lambda: fcntl.fcntl(s2, fcntl.F_GETFL))
    show('fcntl(F_SETFL, 0)', lambda: fcntl.fcntl(s2, fcntl.F_SETFL, 0))
    show('fcntl(F_GETFL) after clearing', lambda: fcntl.fcntl(s2, fcntl.F_GETFL))
    show('ioctl(0x1234)', lambda: fcntl.ioctl(s.fileno(), 0x1234, b'\0' * 4))


def fresh(family):
    s = tcp(family)
    fam = 'AF_INET' if family == socket.AF_INET else 'AF_INET6'
    out(f'family {fam}')
    show('getsockname', s.getsockname)
    show('getpeername', s.getpeername)
    poll(s)
    for name, o in [('SO_ERROR', socket.SO_ERROR), ('SO_TYPE', socket.SO_TYPE), ('SO_ACCEPTCONN', socket.SO_ACCEPTCONN),
                    ('SO_RCVBUF', socket.SO_RCVBUF), ('SO_SNDBUF', socket.SO_SNDBUF),
                    ('SO_KEEPALIVE', socket.SO_KEEPALIVE), ('SO_REUSEADDR', socket.SO_REUSEADDR),
                    ('SO_DOMAIN', socket.SO_DOMAIN), ('SO_PROTOCOL', socket.SO_PROTOCOL)]:
        opt(s, socket.SOL_SOCKET, o, name)
    opt(s, socket.SOL_SOCKET, socket.SO_LINGER, 'SO_LINGER', 8)
    for name, o in [('TCP_NODELAY', socket.TCP_NODELAY), ('TCP_MAXSEG', socket.TCP_MAXSEG),
                    ('TCP_KEEPIDLE', socket.TCP_KEEPIDLE), ('TCP_KEEPINTVL', socket.TCP_KEEPINTVL),
                    ('TCP_KEEPCNT', socket.TCP_KEEPCNT), ('TCP_SYNCNT', socket.TCP_SYNCNT),
                    ('TCP_USER_TIMEOUT', socket.TCP_USER_TIMEOUT), ('TCP_QUICKACK', socket.TCP_QUICKACK)]:
        opt(s, socket.IPPROTO_TCP, o, name)
    opt(s, socket.IPPROTO_TCP, socket.TCP_CONGESTION, 'TCP_CONGESTION', 16)
    opt(s, socket.IPPROTO_TCP, socket.TCP_CONGESTION, 'TCP_CONGESTION', 2)
    opt(s, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY')
    ioctl_int(s, SIOCINQ, 'SIOCINQ')
    ioctl_int(s, SIOCOUTQ, 'SIOCOUTQ')
    show('recv(10)', lambda: s.recv(10))
    show('recv(0)', lambda: raw_recv0(s))
    show('send(1 byte)', lambda: s.send(b'x'))
    show('send(0 bytes)', lambda: s.send(b''))
    show('accept', s.accept)
    tcp_info(s)
    show('shutdown(SHUT_RD)', lambda: s.shutdown(socket.SHUT_RD))
    poll(s)
    show('shutdown(SHUT_WR)', lambda: s.shutdown(socket.SHUT_WR))
    poll(s)
    show('recv(10) after shutdown', lambda: s.recv(10))
    show('shutdown(3)', lambda: s.shutdown(3))
    show('shutdown(-1)', lambda: s.shutdown(-1))


def scenario_fresh():
    fresh(socket.AF_INET)
    fresh(socket.AF_INET6)


def scenario_options():
    s = tcp()
    for v in [1000, 100000, 1 << 30, 0, -1, 2147483647]:
        setopt(s, socket.SOL_SOCKET, socket.SO_RCVBUF, 'SO_RCVBUF', v)
        opt(s, socket.SOL_SOCKET, socket.SO_RCVBUF, 'SO_RCVBUF')
    for v in [1000, 100000, 1 << 30, 0, -1]:
        setopt(s, socket.SOL_SOCKET, socket.SO_SNDBUF, 'SO_SNDBUF', v)
        opt(s, socket.SOL_SOCKET, socket.SO_SNDBUF, 'SO_SNDBUF')
    setopt(s, socket.SOL_SOCKET, socket.SO_KEEPALIVE, 'SO_KEEPALIVE', 5)
    opt(s, socket.SOL_SOCKET, socket.SO_KEEPALIVE, 'SO_KEEPALIVE')
    setopt(s, socket.SOL_SOCKET, socket.SO_REUSEADDR, 'SO_REUSEADDR', -3)
    opt(s, socket.SOL_SOCKET, socket.SO_REUSEADDR, 'SO_REUSEADDR')
    for onoff, linger in [(1, 5), (7, 0), (0, 9), (1, -1), (1, 2147483647)]:
        setopt(s, socket.SOL_SOCKET, socket.SO_LINGER, 'SO_LINGER', struct.pack('ii', onoff, linger))
        v = opt(s, socket.SOL_SOCKET, socket.SO_LINGER, 'SO_LINGER', 8)
        if v is not None:
            out(f'  = {struct.unpack("ii", v)}')
    setopt(s, socket.SOL_SOCKET, socket.SO_LINGER, 'SO_LINGER', struct.pack('i', 1))
    setopt(s, socket.SOL_SOCKET, socket.SO_KEEPALIVE, 'SO_KEEPALIVE', b'\1\0')
    setopt(s, socket.SOL_SOCKET, socket.SO_KEEPALIVE, 'SO_KEEPALIVE', b'\0\0\0\0\1\0\0\0')
    setopt(s, socket.SOL_SOCKET, socket.SO_TYPE, 'SO_TYPE', 1)
    setopt(s, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR', 1)
    setopt(s, socket.SOL_SOCKET, socket.SO_ACCEPTCONN, 'SO_ACCEPTCONN', 1)
    setopt(s, socket.SOL_SOCKET, 999, 'SOL_SOCKET 999', 1)
    opt(s, socket.SOL_SOCKET, 999, 'SOL_SOCKET 999')
    opt(s, socket.SOL_SOCKET, socket.SO_RCVBUF, 'SO_RCVBUF', 2)
    opt(s, socket.SOL_SOCKET, socket.SO_RCVBUF, 'SO_RCVBUF', 0)
    opt(s, socket.SOL_SOCKET, socket.SO_RCVBUF, 'SO_RCVBUF', 8)
    opt(s, socket.SOL_SOCKET, socket.SO_LINGER, 'SO_LINGER', 4)
    opt(s, socket.SOL_SOCKET, socket.SO_LINGER, 'SO_LINGER', 16)
    setopt(s, socket.IPPROTO_TCP, socket.TCP_NODELAY, 'TCP_NODELAY', 5)
    opt(s, socket.IPPROTO_TCP, socket.TCP_NODELAY, 'TCP_NODELAY')
    setopt(s, socket.IPPROTO_TCP, socket.TCP_NODELAY, 'TCP_NODELAY', b'\1\0')
    opt(s, socket.IPPROTO_TCP, socket.TCP_NODELAY, 'TCP_NODELAY', 2)
    opt(s, socket.IPPROTO_TCP, socket.TCP_NODELAY, 'TCP_NODELAY', 8)
    for v in [87, 88, 1000, 32767, 32768, 0, -1]:
        setopt(s, socket.IPPROTO_TCP, socket.TCP_MAXSEG, 'TCP_MAXSEG', v)
        opt(s, socket.IPPROTO_TCP, socket.TCP_MAXSEG, 'TCP_MAXSEG')
    for name, o in [('TCP_KEEPIDLE', socket.TCP_KEEPIDLE), ('TCP_KEEPINTVL', socket.TCP_KEEPINTVL),
                    ('TCP_KEEPCNT', socket.TCP_KEEPCNT), ('TCP_SYNCNT', socket.TCP_SYNCNT)]:
        for v in [0, 1, 127, 128, 32767, 32768, -1]:
            setopt(s, socket.IPPROTO_TCP, o, name, v)
        opt(s, socket.IPPROTO_TCP, o, name)
    for v in [-1, 0, 5000]:
        setopt(s, socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 'TCP_USER_TIMEOUT', v)
        opt(s, socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 'TCP_USER_TIMEOUT')
    for v in [0, 1, 2, 3, -1]:
        setopt(s, socket.IPPROTO_TCP, socket.TCP_QUICKACK, 'TCP_QUICKACK', v)
        opt(s, socket.IPPROTO_TCP, socket.TCP_QUICKACK, 'TCP_QUICKACK')
    for v in [b'reno', b'cubic', b'reno', b'nosuch', b're', b'', b'reno\0junk', b'RENO', b'reno' + b'x' * 20]:
        setopt(s, socket.IPPROTO_TCP, socket.TCP_CONGESTION, 'TCP_CONGESTION', v)
        opt(s, socket.IPPROTO_TCP, socket.TCP_CONGESTION, 'TCP_CONGESTION', 16)
    opt(s, socket.IPPROTO_TCP, socket.TCP_CONGESTION, 'TCP_CONGESTION', 20)
    setopt(s, socket.IPPROTO_TCP, socket.TCP_INFO, 'TCP_INFO', 1)
    setopt(s, socket.IPPROTO_TCP, 999, 'IPPROTO_TCP 999', 1)
    opt(s, socket.IPPROTO_TCP, 999, 'IPPROTO_TCP 999')
    setopt(s, socket.IPPROTO_TCP, socket.TCP_NODELAY, 'TCP_NODELAY', b'\1\0')
    setopt(s, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY on AF_INET', 1)
    setopt(s, 999, 1, 'level 999', 1)
    opt(s, 999, 1, 'level 999')
    opt(s, socket.IPPROTO_TCP, socket.TCP_MAXSEG, 'TCP_MAXSEG', 2)
    s6 = tcp(socket.AF_INET6)
    setopt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY', 5)
    opt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY')
    setopt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY', b'\1')
    setopt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY', 0)
    s6.bind(('::', 0))
    setopt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY after bind', 1)
    opt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY')


def bind_fresh(label, family, address, reuse=0, v6only=None):
    s = tcp(family)
    if reuse:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, v6only)
    show(label, lambda: s.bind(address))
    return s


def scenario_bind():
    keep = []
    a = tcp()
    show('bind(198.18.0.1:0)', lambda: a.bind((A4, 0)))
    port = show('getsockname', a.getsockname)[1]
    out(f'port parity {port % 2}')
    show('bind again', lambda: a.bind((A4, 0)))
    show('bind again, other port', lambda: a.bind((A4, 5999)))
    keep.append(bind_fresh('bind(198.18.0.99:5000)', socket.AF_INET, ('198.18.0.99', 5000)))
    keep.append(bind_fresh('bind(198.18.0.1:5000)', socket.AF_INET, (A4, 5000)))
    keep.append(bind_fresh('other socket bind(198.18.0.1:5000)', socket.AF_INET, (A4, 5000)))
    keep.append(bind_fresh('other socket bind(0.0.0.0:5000)', socket.AF_INET, ('0.0.0.0', 5000)))
    keep.append(bind_fresh('reuse socket bind(198.18.0.1:5000), first without reuse', socket.AF_INET, (A4, 5000), 1))
    e = bind_fresh('reuse socket bind(198.18.0.1:5001)', socket.AF_INET, (A4, 5001), 1)
    f = bind_fresh('second reuse socket bind(0.0.0.0:5001)', socket.AF_INET, ('0.0.0.0', 5001), 1)
    show('first listen', lambda: e.listen(5))
    show('second listen', lambda: f.listen(5))
    keep += [e, f]
    keep.append(bind_fresh('third reuse socket bind(198.18.0.1:5001) while one listens', socket.AF_INET, (A4, 5001), 1))
    keep.append(bind_fresh('reuse socket bind(127.0.0.1:5001) (other address)', socket.AF_INET, ('127.0.0.1', 5001), 1))
    keep.append(bind_fresh('non-reuse socket bind(127.0.0.1:5001) (other address)', socket.AF_INET,
                           ('127.0.0.1', 5001)))
    keep.append(bind_fresh('bind(198.18.0.1:5002)', socket.AF_INET, (A4, 5002)))
    keep.append(bind_fresh('AF_INET6 bind([::]:5002) (v6only 0)', socket.AF_INET6, ('::', 5002)))
    keep.append(bind_fresh('AF_INET6 v6only bind([::]:5002)', socket.AF_INET6, ('::', 5002), v6only=1))
    l6 = bind_fresh('AF_INET6 bind([::ffff:198.18.0.1]:5003)', socket.AF_INET6, ('::ffff:198.18.0.1', 5003))
    show('getsockname', l6.getsockname)
    keep.append(l6)
    keep.append(bind_fresh('AF_INET6 v6only bind([::ffff:198.18.0.1]:5004)', socket.AF_INET6,
                           ('::ffff:198.18.0.1', 5004), v6only=1))
    keep.append(bind_fresh('AF_INET6 bind([2001:2::99]:5005)', socket.AF_INET6, ('2001:2::99', 5005)))
    keep.append(bind_fresh('AF_INET6 bind([::ffff:198.18.0.99]:5005)', socket.AF_INET6, ('::ffff:198.18.0.99', 5005)))
    keep.append(bind_fresh('AF_INET6 bind([::ffff:0.0.0.0]:5005)', socket.AF_INET6, ('::ffff:0.0.0.0', 5005)))
    keep.append(bind_fresh('AF_INET6 bind([2001:2::1]:5005)', socket.AF_INET6, (A6, 5005)))
    keep.append(bind_fresh('AF_INET bind(198.18.0.1:5005) beside [2001:2::1]:5005', socket.AF_INET, (A4, 5005)))
    keep.append(bind_fresh('AF_INET6 bind([::]:5005) beside [2001:2::1]:5005', socket.AF_INET6, ('::', 5005)))
    keep.append(bind_fresh('AF_INET bind(0.0.0.0:5006)', socket.AF_INET, ('0.0.0.0', 5006)))
    keep.append(bind_fresh('AF_INET6 bind([2001:2::1]:5006) beside 0.0.0.0:5006', socket.AF_INET6, (A6, 5006)))
    keep.append(bind_fresh('AF_INET6 bind([::ffff:198.18.0.1]:5006) beside 0.0.0.0:5006', socket.AF_INET6,
                           ('::ffff:198.18.0.1', 5006)))
    keep.append(bind_fresh('AF_INET6 v6only bind([::]:5006) beside 0.0.0.0:5006', socket.AF_INET6, ('::', 5006),
                           v6only=1))
    keep.append(bind_fresh('AF_INET6 bind([::]:5007)', socket.AF_INET6, ('::', 5007)))
    keep.append(bind_fresh('AF_INET bind(198.18.0.1:5007) beside [::]:5007', socket.AF_INET, (A4, 5007)))
    keep.append(bind_fresh('AF_INET6 bind([2001:2::1]:5007) beside [::]:5007', socket.AF_INET6, (A6, 5007)))
    # Binding after listen and after connect.
    t = tcp()
    t.listen(1)
    show('bind after listen', lambda: t.bind((A4, 0)))
    u = tcp()
    try:
        u.connect((DEAD4, 80))
    except BlockingIOError:
        pass
    show('bind after connect', lambda: u.bind((A4, 0)))
    u.close()
    # Ports held by a time-wait entry.
    for reuse_old, reuse_new in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        srv = tcp()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind((A4, 0))
        srv.listen(1)
        cl = tcp()
        cl.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, reuse_old)
        cl.bind((A4, 0))
        cport = cl.getsockname()[1]
        try:
            cl.connect(srv.getsockname())
        except BlockingIOError:
            pass
        settle()
        child, _ = srv.accept()
        cl.close()  # the client closes first: its port ends in TIME_WAIT
        settle()
        child.close()
        settle()
        nb = tcp()
        nb.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, reuse_new)
        show(f'bind to a TIME_WAIT port (old SO_REUSEADDR {reuse_old}, new {reuse_new})',
             lambda: nb.bind((A4, cport)))
        srv.close()
    # A listener's port after the listener closed, a connection still open on it.
    srv = tcp()
    srv.bind((A4, 0))
    srv.listen(1)
    sport = srv.getsockname()[1]
    cl = tcp()
    try:
        cl.connect((A4, sport))
    except BlockingIOError:
        pass
    settle()
    child, _ = srv.accept()
    srv.close()
    nb = tcp()
    show('bind to a port an accepted connection holds', lambda: nb.bind((A4, sport)))
    nb2 = tcp()
    nb2.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    show('same with SO_REUSEADDR', lambda: nb2.bind((A4, sport)))
    cl.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    cl.close()
    settle()
    nb3 = tcp()
    show('bind to it after the peer reset the accepted connection', lambda: nb3.bind((A4, sport)))


BIND_CASES = [('0.0.0.0', socket.AF_INET, '0.0.0.0', None), ('198.18.0.1', socket.AF_INET, A4, None),
              ('[::]', socket.AF_INET6, '::', 0), ('[::] v6only', socket.AF_INET6, '::', 1),
              ('[2001:2::1]', socket.AF_INET6, A6, 0), ('[2001:2::1] v6only', socket.AF_INET6, A6, 1),
              ('[::ffff:198.18.0.1]', socket.AF_INET6, '::ffff:198.18.0.1', 0),
              ('[::ffff:0.0.0.0]', socket.AF_INET6, '::ffff:0.0.0.0', 0)]


def scenario_bind_matrix():
    """Two sockets bind one port, the first without listening; then the same with SO_REUSEADDR on both, the
    first listening."""
    port = 6000
    for reuse, first_listens in [(0, False), (1, False), (1, True)]:
        for n1, f1, a1, o1 in BIND_CASES:
            for n2, f2, a2, o2 in BIND_CASES:
                port += 1
                x = tcp(f1)
                y = tcp(f2)
                for sk, only in ((x, o1), (y, o2)):
                    sk.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, reuse)
                    if only is not None:
                        sk.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, only)
                x.bind((a1, port))
                if first_listens:
                    x.listen(1)
                label = f'reuse {reuse}{" listening" if first_listens else ""}: {n1} then {n2}'
                bound = show(label, lambda: y.bind((a2, port))) is None and y.getsockname()[1] == port
                if bound and not first_listens:
                    show(label + ', both listen', lambda: (x.listen(1), y.listen(1))[1])
                x.close()
                y.close()


def scenario_listen():
    a = tcp()
    show('listen(5) unbound', lambda: a.listen(5))
    name = show('getsockname', a.getsockname)
    out(f'port parity {name[1] % 2}')
    opt(a, socket.SOL_SOCKET, socket.SO_ACCEPTCONN, 'SO_ACCEPTCONN')
    tcp_info(a)
    show('listen(10) again', lambda: a.listen(10))
    tcp_info(a, {'state', 'unacked', 'sacked'})
    show('listen(-1)', lambda: raw_listen(a, -1))
    tcp_info(a, {'sacked'})
    show('listen(-5)', lambda: raw_listen(a, -5))
    tcp_info(a, {'sacked'})
    show('listen(100000)', lambda: a.listen(100000))
    tcp_info(a, {'sacked'})
    show('listen(0)', lambda: a.listen(0))
    tcp_info(a, {'sacked'})
    poll(a)
    show('accept', a.accept)
    show('getpeername', a.getpeername)
    show('recv', lambda: a.recv(10))
    show('recv(0)', lambda: raw_recv0(a))
    show('send', lambda: a.send(b'x'))
    ioctl_int(a, SIOCINQ, 'SIOCINQ')
    ioctl_int(a, SIOCOUTQ, 'SIOCOUTQ')
    show('connect on listener', lambda: a.connect((A4, 9)))
    show('shutdown(SHUT_WR) on listener', lambda: a.shutdown(socket.SHUT_WR))
    poll(a)
    opt(a, socket.SOL_SOCKET, socket.SO_ACCEPTCONN, 'SO_ACCEPTCONN')
    a.listen(8)
    port = a.getsockname()[1]
    c = tcp()
    try:
        c.connect((A4, port))
    except BlockingIOError:
        pass
    settle()
    poll(a)
    tcp_info(a, {'state', 'unacked', 'sacked'})
    child = show('accept', a.accept)
    poll(a)
    child[0].setblocking(False)
    show('child getsockname', child[0].getsockname)
    show('child getpeername', child[0].getpeername)
    show('fcntl(child, F_GETFL)', lambda: fcntl.fcntl(child[0], fcntl.F_GETFL))
    show('accept4(SOCK_NONBLOCK) empty', lambda: a.accept())
    # accept(2) itself: Python's accept() makes the new socket non-blocking like its listener.
    for flags, label in [(0, 'accept4(0)'), (socket.SOCK_NONBLOCK, 'accept4(SOCK_NONBLOCK)')]:
        k = tcp()
        k.connect_ex((A4, a.getsockname()[1]))
        settle()
        newfd = LIBC.accept4(a.fileno(), None, None, flags)
        show(f'fcntl({label} child, F_GETFL)', lambda: fcntl.fcntl(newfd, fcntl.F_GETFL))
        show(f'fcntl({label} child, F_GETFD)', lambda: fcntl.fcntl(newfd, fcntl.F_GETFD))
    show('shutdown(SHUT_RD) on listener', lambda: a.shutdown(socket.SHUT_RD))
    poll(a)
    opt(a, socket.SOL_SOCKET, socket.SO_ACCEPTCONN, 'SO_ACCEPTCONN')
    tcp_info(a, {'state'})
    show('accept after', a.accept)
    c2 = tcp()
    show('connect to the port', lambda: c2.connect((A4, port)))
    settle()
    opt(c2, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    show('listen again after SHUT_RD', lambda: a.listen(3))
    # Listening on a connected socket, a connecting one, a failed one.
    show('listen on accepted socket', lambda: child[0].listen(1))
    show('listen on connected socket', lambda: c.listen(1))
    d = tcp()
    try:
        d.connect((DEAD4, 80))
    except BlockingIOError:
        pass
    show('listen on SYN_SENT socket', lambda: d.listen(1))
    e = tcp()
    try:
        e.connect((A4, 1))
    except BlockingIOError:
        pass
    settle()
    show('listen on refused socket (SO_ERROR unread)', lambda: e.listen(1))
    opt(e, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    show('connect again', lambda: e.connect((A4, 1)))
    show('listen after that', lambda: e.listen(1))
    # Inheritance of options by accepted connections.
    f = tcp()
    f.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    f.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 10000)
    f.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 10000)
    f.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 77)
    f.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, 1234)
    f.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 3)
    f.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    f.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1000)
    f.bind((A4, 0))
    f.listen(1)
    g = tcp()
    try:
        g.connect(f.getsockname())
    except BlockingIOError:
        pass
    settle()
    ch, _ = f.accept()
    for name, lv, o in [('TCP_NODELAY', socket.IPPROTO_TCP, socket.TCP_NODELAY),
                        ('SO_KEEPALIVE', socket.SOL_SOCKET, socket.SO_KEEPALIVE),
                        ('SO_RCVBUF', socket.SOL_SOCKET, socket.SO_RCVBUF),
                        ('SO_SNDBUF', socket.SOL_SOCKET, socket.SO_SNDBUF),
                        ('TCP_KEEPIDLE', socket.IPPROTO_TCP, socket.TCP_KEEPIDLE),
                        ('TCP_USER_TIMEOUT', socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT),
                        ('TCP_SYNCNT', socket.IPPROTO_TCP, socket.TCP_SYNCNT),
                        ('TCP_MAXSEG', socket.IPPROTO_TCP, socket.TCP_MAXSEG),
                        ('SO_ACCEPTCONN', socket.SOL_SOCKET, socket.SO_ACCEPTCONN)]:
        opt(ch, lv, o, 'child ' + name)
    opt(ch, socket.SOL_SOCKET, socket.SO_LINGER, 'child SO_LINGER', 8)
    # IPv6 listener, IPv4 client.
    h6 = tcp(socket.AF_INET6)
    h6.bind(('::', 0))
    h6.listen(1)
    i4 = tcp()
    try:
        i4.connect((A4, h6.getsockname()[1]))
    except BlockingIOError:
        pass
    settle()
    ch6 = show('AF_INET6 listener accepts an IPv4 client', h6.accept)
    show('child getsockname', ch6[0].getsockname)
    opt(ch6[0], socket.SOL_SOCKET, socket.SO_DOMAIN, 'child SO_DOMAIN')
    # Backlog: the accept queue holds backlog + 1.
    j = tcp()
    j.bind((A4, 0))
    j.listen(1)
    clients = []
    for _ in range(4):
        k = tcp()
        try:
            k.connect(j.getsockname())
        except BlockingIOError:
            pass
        clients.append(k)
    settle()
    tcp_info(j, {'unacked', 'sacked'})


def scenario_connect():
    srv = tcp()
    srv.bind((A4, 0))
    srv.listen(5)
    port = srv.getsockname()[1]
    # Into the void: SYN_SENT stays.
    a = tcp()
    show('connect(198.18.0.2:80)', lambda: a.connect((DEAD4, 80)))
    poll(a)
    show('connect again', lambda: a.connect((DEAD4, 80)))
    show('connect elsewhere', lambda: a.connect((A4, port)))
    name = show('getsockname', a.getsockname)
    out(f'port parity {name[1] % 2}')
    show('getpeername', a.getpeername)
    show('send', lambda: a.send(b'x'))
    show('recv', lambda: a.recv(10))
    ioctl_int(a, SIOCINQ, 'SIOCINQ')
    ioctl_int(a, SIOCOUTQ, 'SIOCOUTQ')
    opt(a, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    tcp_info(a)
    show('shutdown(SHUT_WR) in SYN_SENT', lambda: a.shutdown(socket.SHUT_WR))
    poll(a)
    tcp_info(a, {'state'})
    opt(a, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    show('getsockname', a.getsockname)
    show('send', lambda: a.send(b'x'))
    show('recv', lambda: a.recv(10))
    show('connect after shutdown', lambda: a.connect((DEAD4, 80)))
    tcp_info(a, {'state'})
    # Established over loopback.
    b = tcp()
    show('connect(198.18.0.1:port)', lambda: b.connect((A4, port)))
    settle()
    poll(b)
    opt(b, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    show('connect again', lambda: b.connect((A4, port)))
    show('connect once more', lambda: b.connect((A4, port)))
    show('connect elsewhere', lambda: b.connect((A4, port + 1)))
    show('getpeername', b.getpeername)
    tcp_info(b, {'state', 'snd_mss', 'rcv_mss', 'advmss', 'options', 'wscale', 'snd_cwnd', 'pmtu'})
    show('bind after connect', lambda: b.bind((A4, 0)))
    # Refused.
    c = tcp()
    show('connect(198.18.0.1:1)', lambda: c.connect((A4, 1)))
    settle()
    poll(c)
    tcp_info(c, {'state'})
    show('getsockname', c.getsockname)
    show('getpeername', c.getpeername)
    opt(c, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    opt(c, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    poll(c)
    show('connect again', lambda: c.connect((A4, 1)))
    poll(c)
    show('getsockname', c.getsockname)
    show('connect once more', lambda: c.connect((A4, 1)))
    settle()
    show('connect a fourth time', lambda: c.connect((A4, 1)))
    show('connect a fifth time', lambda: c.connect((A4, port)))
    settle()
    show('connect a sixth time', lambda: c.connect((A4, port)))
    d = tcp()
    show('connect(198.18.0.1:1)', lambda: d.connect((A4, 1)))
    settle()
    show('send before SO_ERROR', lambda: d.send(b'x'))
    show('send again', lambda: d.send(b'x'))
    e = tcp()
    e.connect_ex((A4, 1))
    settle()
    show('recv before SO_ERROR', lambda: e.recv(10))
    show('recv again', lambda: e.recv(10))
    f = tcp()
    f.connect_ex((A4, 1))
    settle()
    show('connect before SO_ERROR', lambda: f.connect((A4, 1)))
    show('connect after that', lambda: f.connect((A4, 1)))
    # No route, wrong family, v4-mapped from AF_INET6.
    g = tcp()
    show('connect(203.0.113.1:80) no route', lambda: g.connect(('203.0.113.1', 80)))
    opt(g, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    show('connect(0.0.0.0:port)', lambda: tcp().connect(('0.0.0.0', port)))
    show('connect(198.18.0.1:0)', lambda: tcp().connect((A4, 0)))
    h6 = tcp(socket.AF_INET6)
    show('AF_INET6 connect([::ffff:198.18.0.1]:port)', lambda: h6.connect(('::ffff:198.18.0.1', port)))
    settle()
    show('getsockname', h6.getsockname)
    show('getpeername', h6.getpeername)
    i6 = tcp(socket.AF_INET6)
    i6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    show('v6only connect([::ffff:198.18.0.1]:port)', lambda: i6.connect(('::ffff:198.18.0.1', port)))
    j6 = tcp(socket.AF_INET6)
    j6.bind((A6, 0))
    show('[2001:2::1]-bound connect([::ffff:198.18.0.1]:port)', lambda: j6.connect(('::ffff:198.18.0.1', port)))
    k6 = tcp(socket.AF_INET6)
    k6.bind(('::ffff:198.18.0.1', 0))
    show('[::ffff:198.18.0.1]-bound connect([2001:2::1]:port)', lambda: k6.connect((A6, port)))
    l4 = tcp()
    l4.bind((A4, 0))
    show('bound connect(198.18.0.1:port)', lambda: l4.connect((A4, port)))
    settle()
    # Bound to a port: connect keeps it; after a refusal the port stays.
    m = tcp()
    m.bind((A4, 0))
    mport = m.getsockname()[1]
    m.connect_ex((A4, 1))
    settle()
    opt(m, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    out(f'bound port kept after refusal: {m.getsockname()[1] == mport}')
    # Timing out: TCP_SYNCNT 1 gives up after 1 + 2 s.
    n = tcp()
    n.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, 1)
    n.connect_ex((DEAD4, 80))
    time.sleep(3.5)
    poll(n)
    tcp_info(n, {'state'})
    opt(n, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    show('connect again', lambda: n.connect((DEAD4, 80)))
    # A connection reset while connecting: the peer answers the SYN with RST (a listener shut down).
    show('close of a connecting socket', a.close)


def scenario_data():
    srv = tcp()
    srv.bind((A4, 0))
    srv.listen(5)
    port = srv.getsockname()[1]

    def pair():
        c = tcp()
        c.connect_ex((A4, port))
        settle()
        s, _ = srv.accept()
        s.setblocking(False)
        return c, s

    c, s = pair()
    show('send(hello)', lambda: c.send(b'hello'))
    settle()
    ioctl_int(s, SIOCINQ, 'SIOCINQ')
    poll(s)
    show('recv(2, MSG_PEEK)', lambda: s.recv(2, socket.MSG_PEEK))
    show('recv(10, MSG_PEEK)', lambda: s.recv(10, socket.MSG_PEEK))
    ioctl_int(s, SIOCINQ, 'SIOCINQ')
    show('recv(0)', lambda: raw_recv0(s))
    show('recv(3)', lambda: s.recv(3))
    show('recv(10)', lambda: s.recv(10))
    show('recv(10)', lambda: s.recv(10))
    show('recv(0) with nothing', lambda: raw_recv0(s))
    show('send(0 bytes)', lambda: c.send(b''))
    show('shutdown(SHUT_WR)', lambda: c.shutdown(socket.SHUT_WR))
    show('shutdown(SHUT_WR) again', lambda: c.shutdown(socket.SHUT_WR))
    show('send after SHUT_WR', lambda: c.send(b'x'))
    show('send(MSG_NOSIGNAL) after SHUT_WR', lambda: c.send(b'x', socket.MSG_NOSIGNAL))
    show('send(0 bytes) after SHUT_WR', lambda: c.send(b''))
    ioctl_int(c, SIOCOUTQ, 'SIOCOUTQ')
    settle()
    poll(c)
    tcp_info(c, {'state'})
    poll(s)
    tcp_info(s, {'state'})
    show('peer recv', lambda: s.recv(10))
    show('peer recv again', lambda: s.recv(10))
    ioctl_int(s, SIOCINQ, 'SIOCINQ')
    show('peer send in CLOSE_WAIT', lambda: s.send(b'back'))
    settle()
    show('recv in FIN_WAIT_2', lambda: c.recv(10))
    show('peer shutdown(SHUT_RDWR)', lambda: s.shutdown(socket.SHUT_RDWR))
    settle()
    poll(s)
    tcp_info(s, {'state'})
    poll(c)
    tcp_info(c, {'state'})
    show('recv in TIME_WAIT', lambda: c.recv(10))
    show('send in TIME_WAIT', lambda: c.send(b'x'))
    show('getpeername in TIME_WAIT', c.getpeername)
    show('shutdown in TIME_WAIT', lambda: c.shutdown(socket.SHUT_RDWR))
    show('peer recv in LAST_ACK→CLOSED', lambda: s.recv(10))
    show('peer send', lambda: s.send(b'x'))
    show('peer getpeername', s.getpeername)
    show('peer shutdown', lambda: s.shutdown(socket.SHUT_RD))
    ioctl_int(s, SIOCOUTQ, 'SIOCOUTQ')

    # Reset by the peer (SO_LINGER {1, 0}).
    c, s = pair()
    s.send(b'data')
    settle()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close()
    settle()
    poll(s)
    tcp_info(s, {'state'})
    ioctl_int(s, SIOCOUTQ, 'SIOCOUTQ')
    show('recv after RST', lambda: s.recv(10))
    show('recv again', lambda: s.recv(10))
    show('send after RST', lambda: s.send(b'x'))
    show('getpeername after RST', s.getpeername)
    show('getsockname after RST', s.getsockname)
    show('shutdown after RST', lambda: s.shutdown(socket.SHUT_RDWR))
    show('connect after RST', lambda: s.connect((A4, port)))
    c, s = pair()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close()
    settle()
    show('send after RST, error unread', lambda: s.send(b'x'))
    show('send again', lambda: s.send(b'x'))
    opt(s, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    c, s = pair()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    c.close()
    settle()
    opt(s, socket.SOL_SOCKET, socket.SO_ERROR, 'SO_ERROR')
    poll(s)
    show('recv after SO_ERROR', lambda: s.recv(10))
    # Close with unread data resets the peer; the peer had sent nothing.
    c, s = pair()
    c.send(b'unread')
    settle()
    s.close()
    settle()
    poll(c)
    show('recv after the peer closed with unread data', lambda: c.recv(10))
    # Data after SHUT_RD is still delivered.
    c, s = pair()
    show('shutdown(SHUT_RD)', lambda: s.shutdown(socket.SHUT_RD))
    poll(s)
    show('recv after SHUT_RD', lambda: s.recv(10))
    c.send(b'late')
    settle()
    ioctl_int(s, SIOCINQ, 'SIOCINQ')
    poll(s)
    show('recv data that came after SHUT_RD', lambda: s.recv(10))
    show('recv again', lambda: s.recv(10))
    show('send after SHUT_RD', lambda: s.send(b'ok'))
    # Peer FIN after data: SIOCINQ does not count the FIN; recv returns the data then 0.
    c, s = pair()
    c.send(b'abc')
    c.shutdown(socket.SHUT_WR)
    settle()
    ioctl_int(s, SIOCINQ, 'SIOCINQ')
    poll(s)
    show('recv(10)', lambda: s.recv(10))
    show('recv(10)', lambda: s.recv(10))
    # Send queue accounting: the peer does not read; fill the buffers.
    c, s = pair()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    opt(c, socket.SOL_SOCKET, socket.SO_SNDBUF, 'SO_SNDBUF')
    total = 0
    while True:
        try:
            total += c.send(b'x' * 1000)
        except BlockingIOError:
            break
    out(f'sent until EAGAIN: {total > 0}')
    poll(c)
    ioctl_int(c, SIOCOUTQ, 'SIOCOUTQ > 0')


def scenario_info():
    srv = tcp()
    srv.bind((A4, 0))
    srv.listen(5)
    c = tcp()
    c.connect_ex(srv.getsockname())
    settle()
    s, _ = srv.accept()
    tcp_info(c)
    tcp_info(s)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1000)
    opt(c, socket.IPPROTO_TCP, socket.TCP_MAXSEG, 'TCP_MAXSEG on an established connection')
    opt(c, socket.IPPROTO_TCP, socket.TCP_QUICKACK, 'TCP_QUICKACK')
    raw = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)
    out(f'getsockopt(TCP_INFO, 8) = {raw.hex()}')
    opt(c, socket.SOL_SOCKET, socket.SO_SNDBUF, 'SO_SNDBUF established')
    opt(c, socket.SOL_SOCKET, socket.SO_RCVBUF, 'SO_RCVBUF established')
    tcp_info(srv)
    s6 = tcp(socket.AF_INET6)
    opt(s6, 999, 1, 'AF_INET6 level 999')
    setopt(s6, 999, 1, 'AF_INET6 level 999', 1)
    opt(s6, socket.IPPROTO_IPV6, 9999, 'IPPROTO_IPV6 9999')
    opt(s6, socket.IPPROTO_TCP, socket.TCP_MAXSEG, 'TCP_MAXSEG', 2)
    opt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY', 2)
    opt(s6, socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 'IPV6_V6ONLY', 8)
    m = tcp(socket.AF_INET6)
    m.bind(('::', 0))
    m.listen(1)
    n = tcp(socket.AF_INET6)
    n.connect_ex((A6, m.getsockname()[1]))
    settle()
    tcp_info(n, {'state', 'snd_mss', 'rcv_mss', 'advmss', 'pmtu', 'options', 'wscale'})
    opt(n, socket.IPPROTO_TCP, socket.TCP_MAXSEG, 'TCP_MAXSEG')


def scenario_fds():
    fds = [socket.socket(2, 1, 0) for _ in range(3)]
    out(f'fds {[f.fileno() for f in fds]}')
    fds[1].close()
    n = socket.socket(2, 1, 0)
    out(f'after closing the middle one, next fd {n.fileno()}')


def main():
    global SCENARIO
    names = sys.argv[1:] or [n[len('scenario_'):] for n in globals() if n.startswith('scenario_')]
    for name in names:
        SCENARIO = name
        globals()['scenario_' + name]()


main()
