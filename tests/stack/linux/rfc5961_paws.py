"""RFC 5961 and PAWS: resets to closed ports, challenge ACKs and their rate limit, out-of-window and exact RSTs, SYN in ESTABLISHED, PAWS dup ACKs, PAWSOldAck, the replay window, ACK of unsent data, counters.

Run with run.sh (root): tests/stack/linux/run.sh rfc5961_paws.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
p = Peer()
PISS=5000
def srv():
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); l.bind((p.kaddr, 7000)); l.listen(5)
    c,_ = l.accept(); log('accepted')
    try:
        time.sleep(4); log('recv', c.recv(100))
    except Exception as e: log('recv error', e)
    time.sleep(1)
background(srv)
time.sleep(0.2)
log('SYN to closed port'); p.send(40000, 7001, 'S', 777, 0, 64240, [('mss',1460)]); p.recv()
log('ACK to closed port'); p.send(40000, 7001, '.', 777, 888, 64240); p.recv()
log('FIN no ack to closed port w/ data'); p.send(40000, 7001, 'F', 777, 0, 64240, [], b'xyz'); p.recv()
SP=40001
p.send(SP, 7000, 'S', PISS, 0, 64240, [('mss',1460),('sackok',),('ts',100,0),('nop',),('ws',7)])
sa = p.recv(); K = sa.seq
p.send(SP, 7000, '.', PISS+1, K+1, 502, [('nop',),('nop',),('ts',101,sa.tsval)])
time.sleep(0.1)
log('RST in window inexact'); p.send(SP, 7000, 'R', PISS+10, 0, 0, []); p.recv(1)
log('RST again within 500ms'); p.send(SP, 7000, 'R', PISS+11, 0, 0, []); p.expect_none(0.3)
log('RST out of window'); p.send(SP, 7000, 'R', PISS+10000000, 0, 0, []); p.expect_none(0.3)
time.sleep(0.3)
log('SYN in established'); p.send(SP, 7000, 'S', PISS+50, 0, 64240, [('mss',1460),('sackok',),('ts',110,0),('nop',),('ws',7)]); p.recv(1)
time.sleep(0.6)
log('data with old TS (PAWS)'); p.send(SP, 7000, 'P.', PISS+1, K+1, 502, [('nop',),('nop',),('ts',50,sa.tsval)], b'zz'); p.recv(1)
log('old pure ACK with old TS, seq before rcv_nxt'); p.send(SP, 7000, '.', PISS, K+1, 502, [('nop',),('nop',),('ts',50,sa.tsval)]); p.expect_none(0.3)
log('dup pure ACK old TS at rcv_nxt (replay window)'); p.send(SP, 7000, '.', PISS+1, K+1, 502, [('nop',),('nop',),('ts',99,sa.tsval)]); p.expect_none(0.3)
time.sleep(0.6)
log('data beyond window'); p.send(SP, 7000, 'P.', PISS+1+200000, K+1, 502, [('nop',),('nop',),('ts',120,sa.tsval)], b'qq'); p.recv(1)
time.sleep(0.6)
log('ACK of unsent data'); p.send(SP, 7000, '.', PISS+1, K+1000, 502, [('nop',),('nop',),('ts',121,sa.tsval)]); p.expect_none(0.3)
log('ACK too old (blind injection)'); p.send(SP, 7000, 'P.', PISS+1, K-100000, 502, [('nop',),('nop',),('ts',122,sa.tsval)], b'ww'); p.recv(1)
time.sleep(0.6)
log('RST exact with old TS'); p.send(SP, 7000, 'R', PISS+1, 0, 0, [('nop',),('nop',),('ts',1,0)]); p.expect_none(0.5)
time.sleep(4)
print(nstat('TcpExtTCPChallengeACK','TcpExtTCPSYNChallenge','TcpExtPAWSEstab','TcpExtPAWSOldAck','TcpExtTCPACKSkippedChallenge','TcpExtBeyondWindow','TcpEstabResets','TcpOutRsts','TcpInErrs','TcpExtTCPACKSkippedSeq','TcpAttemptFails','TcpActiveOpens','TcpPassiveOpens','TcpOutSegs','TcpInSegs'))
