"""The IPv6 SYN-ACK and first ACK windows (MSS 1440, 1428 with timestamps).

Run with run.sh (root): tests/stack/linux/run.sh ipv6_windows.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
p = Peer(True)
def srv():
    l = socket.socket(socket.AF_INET6); l.bind((p.kaddr, 7000)); l.listen(5); c,_=l.accept(); time.sleep(1)
background(srv); time.sleep(0.2)
p.send(40001, 7000, 'S', 5000, 0, 64800, [('mss',1440),('sackok',),('ts',100,0),('nop',),('ws',7)])
sa = p.recv()
p.send(40001, 7000, '.', 5001, sa.seq+1, 502, [('nop',),('nop',),('ts',101,sa.tsval)])
p.send(40001, 7000, 'P.', 5001, sa.seq+1, 502, [('nop',),('nop',),('ts',102,sa.tsval)], b'abc')
p.recv()
