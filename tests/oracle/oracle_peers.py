#!/usr/bin/env python3
"""Small traffic peers for make_captures.sh (Python standard library only; every loop bounded by --seconds).

  udp-echo --port P --seconds S         dual-stack UDP server: echoes each datagram back to its sender
  udp-ask HOST PORT MESSAGE             sends MESSAGE, waits up to 2 s for an answer (a refusal — ICMP port
                                        unreachable — is an expected outcome, not an error)
  half-close --port P --seconds S       dual-stack TCP server: reads until the client's FIN, then answers
                                        "received N bytes" and closes — data flowing after a half-close
Servers print "ready" once listening.
"""
import argparse
import select
import socket
import sys
import time


def dual_stack(kind: int, port: int) -> socket.socket:
    s = socket.socket(socket.AF_INET6, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    return s


def udp_echo(port: int, seconds: float) -> int:
    s = dual_stack(socket.SOCK_DGRAM, port)
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([s], [], [], min(left, 0.5))
        if readable:
            data, peer = s.recvfrom(65535)
            s.sendto(data, peer)
    return 0


def udp_ask(host: str, port: int, message: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(2.0)
        s.connect((host, port))
        s.send(message.encode())
        try:
            print(s.recv(65535).decode(errors="replace").strip())
        except ConnectionRefusedError:
            print("refused")
        except socket.timeout:
            print("no answer")
    return 0


def half_close(port: int, seconds: float) -> int:
    s = dual_stack(socket.SOCK_STREAM, port)
    s.listen(8)
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([s], [], [], min(left, 0.5))
        if not readable:
            continue
        conn, _ = s.accept()
        with conn:
            conn.settimeout(5.0)
            received = 0
            try:
                while chunk := conn.recv(65536):  # until the client's FIN
                    received += len(chunk)
                conn.sendall(f"received {received} bytes\n".encode())
            except OSError:
                pass
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("udp-echo")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--seconds", type=float, default=120.0)
    p = sub.add_parser("udp-ask")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("message")
    p = sub.add_parser("half-close")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    if args.command == "udp-echo":
        return udp_echo(args.port, args.seconds)
    if args.command == "udp-ask":
        return udp_ask(args.host, args.port, args.message)
    return half_close(args.port, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
