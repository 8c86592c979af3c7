"""The kernel closes an orphan after sending data: FIN_WAIT_2 in a time-wait entry, the re-ACK of a retransmitted FIN, a SYN to TIME_WAIT without listener.

Run with run.sh (root): tests/stack/linux/run.sh active_close.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
p = Peer()
PISS=5000
state={}
def cli():
    s = socket.socket(); s.connect((p.paddr, 7000)); log('connected')
    s.send(b'hello'); time.sleep(0.3)
    log('close'); s.close(); time.sleep(3)
background(cli)
syn = p.recv(); K=syn.seq
p.send(7000, syn.sport, 'S.', PISS, K+1, 65160, [('mss',1460),('sackok',),('ts',100,syn.tsval),('nop',),('ws',7)])
a = p.recv()
d = p.recv()
p.send(7000, syn.sport, '.', PISS+1, K+6, 509, [('nop',),('nop',),('ts',101,d.tsval)])
f = p.recv()   # FIN
p.send(7000, syn.sport, '.', PISS+1, K+7, 509, [('nop',),('nop',),('ts',102,f.tsval)])
time.sleep(0.2)
log('peer FIN')
p.send(7000, syn.sport, 'F.', PISS+1, K+7, 509, [('nop',),('nop',),('ts',103,f.tsval)])
a = p.recv()
log('retransmit FIN')
p.send(7000, syn.sport, 'F.', PISS+1, K+7, 509, [('nop',),('nop',),('ts',104,f.tsval)])
a = p.recv()
log('SYN higher seq to TW')
p.send(7000, syn.sport, 'S', PISS+100000, 0, 65535, [('mss',1460),('sackok',),('ts',105,0),('nop',),('ws',7)])
a = p.recv()
