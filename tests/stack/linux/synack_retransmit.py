"""SYN-ACK retransmission timing of a request entry nobody answers. Takes 70 s.

Run with run.sh (root): tests/stack/linux/run.sh synack_retransmit.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
p = Peer()
def srv():
    l = socket.socket(); l.bind((p.kaddr, 7000)); l.listen(5); time.sleep(100)
background(srv)
time.sleep(0.2)
p.send(40001, 7000, 'S', 5000, 0, 64240, [('mss',1460),('sackok',),('ts',100,0),('nop',),('ws',7)])
while True:
    x = p.recv(70)
    if x is None: break
print(nstat('TcpExtTCPSynRetrans','TcpRetransSegs','TcpOutSegs','TcpAttemptFails','TcpExtTCPTimeouts','TcpPassiveOpens','TcpExtEmbryonicRsts','TcpExtListenDrops'))
