"""Simultaneous open: the kernel connects, the peer answers with its own SYN, then a SYN-ACK (argument: any, for IPv6).

Run with run.sh (root): tests/stack/linux/run.sh simultaneous_open.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
v6 = len(sys.argv) > 1
p = Peer(v6)
def conn():
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET)
    s.bind((p.kaddr, 5555))
    try:
        s.connect((p.paddr, 6666)); log('connect ok')
        time.sleep(1.5); s.close(); log('closed')
    except Exception as e: log('connect', e)
    time.sleep(5)
background(conn)
syn = p.recv()
PISS = 1000
p.send(6666, 5555, 'S', PISS, 0, 65535, [('mss', 1460), ('sackok',), ('ts', 100, 0), ('nop',), ('ws', 7)])
sa = p.recv()
p.send(6666, 5555, 'S.', PISS, syn.seq + 1, 65535, [('mss', 1460), ('sackok',), ('ts', 101, syn.tsval), ('nop',), ('ws', 7)])
a = p.recv()
a = p.recv(2)
a = p.recv(2)
