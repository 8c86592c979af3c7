"""The kernel as server: argument threeway (three-segment close), unread (close with unread data: RST), linger (SO_LINGER 0), fp (Nagle-held data and FIN: [FP.]).

Run with run.sh (root): tests/stack/linux/run.sh passive.py
"""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer import *
p = Peer()
mode = sys.argv[1]
PISS=5000
def srv():
    l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR,1); l.bind((p.kaddr, 7000)); l.listen(5)
    c,_ = l.accept(); log('accepted')
    if mode == 'threeway':
        d = c.recv(100); log('recv', d); c.send(b'+PONG\r\n'); d = c.recv(100); log('recv eof', d); c.close(); log('closed')
    elif mode == 'unread':
        time.sleep(0.3); log('close with unread'); c.close()
    elif mode == 'linger':
        d = c.recv(100); c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); log('close linger0'); c.close()
    elif mode == 'fp':
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        c.send(b'A'); c.send(b'BB'); log('close'); c.close()
    time.sleep(2)
background(srv)
time.sleep(0.2)
SP=40001
p.send(SP, 7000, 'S', PISS, 0, 64240, [('mss',1460),('sackok',),('ts',100,0),('nop',),('ws',7)])
sa = p.recv(); K = sa.seq
p.send(SP, 7000, '.', PISS+1, K+1, 502, [('nop',),('nop',),('ts',101,sa.tsval)])
if mode == 'threeway':
    p.send(SP, 7000, 'P.', PISS+1, K+1, 502, [('nop',),('nop',),('ts',102,sa.tsval)], b'*1\r\n$4\r\nping\r\n')
    a = p.recv(); b = p.recv()
    p.send(SP, 7000, 'F.', PISS+15, K+8, 502, [('nop',),('nop',),('ts',103,b.tsval)])
    f = p.recv(); 
    p.send(SP, 7000, '.', PISS+16, f.seq+1, 502, [('nop',),('nop',),('ts',104,f.tsval)])
    p.recv(1)
elif mode == 'unread':
    p.send(SP, 7000, 'P.', PISS+1, K+1, 502, [('nop',),('nop',),('ts',102,sa.tsval)], b'abc')
    a = p.recv(); r = p.recv()
elif mode == 'linger':
    p.send(SP, 7000, 'P.', PISS+1, K+1, 502, [('nop',),('nop',),('ts',102,sa.tsval)], b'abc')
    a = p.recv(); r = p.recv(); r = p.recv(1)
elif mode == 'fp':
    a = p.recv(); b = p.recv(1); c = p.recv(1)
    p.send(SP, 7000, '.', PISS+1, a.seq+len(a.payload), 502, [('nop',),('nop',),('ts',103,a.tsval)])
    b = p.recv(1); c = p.recv(1)
