"""connect() from a bound port whose 4-tuple is in TIME_WAIT: ISN = old SND.NXT + 65537, TSecr inherited.

Run with run.sh (root): tests/stack/linux/run.sh time_wait_reuse.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
p = Peer()
res = {}
def cli(n):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((p.kaddr, 45000))
    s.connect((p.paddr, 7000)); log('connected', n); time.sleep(0.2); s.close(); time.sleep(0.5)
def serve(iss):
    syn = p.recv(); K = syn.seq
    p.send(7000, 45000, 'S.', iss, K+1, 65160, [('mss',1460),('sackok',),('ts',1000+iss,syn.tsval),('nop',),('ws',7)])
    a = p.recv()
    f = p.recv()
    p.send(7000, 45000, 'F.', iss+1, K+2, 509, [('nop',),('nop',),('ts',1001+iss,f.tsval)])
    p.recv()
background(cli, 1); serve(5000)
time.sleep(1.5)
background(cli, 2); serve(9000)
