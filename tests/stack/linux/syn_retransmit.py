"""SYN retransmission timing until ETIMEDOUT (argument: any, for IPv6 flow labels). Takes 135 s.

Run with run.sh (root): tests/stack/linux/run.sh syn_retransmit.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
p = Peer(len(sys.argv) > 1)
def cli():
    s = socket.socket(socket.AF_INET6 if p.v6 else socket.AF_INET)
    t = time.time()
    try: s.connect((p.paddr, 7000))
    except Exception as e: log('connect failed after %.3f' % (time.time()-t), e)
background(cli)
while True:
    x = p.recv(140)
    if x is None: break
print(nstat('TcpExtTCPSynRetrans','TcpRetransSegs','TcpOutSegs','TcpAttemptFails','TcpExtTCPTimeouts','TcpExtTCPAbortOnTimeout','TcpActiveOpens','TcpExtTcpTimeoutRehash'))
