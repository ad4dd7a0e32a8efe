#!/usr/bin/env python3
"""Opens N idle keep-alive connections (each after one request), then times a
fresh request on a new connection. Prints the numbers; loopback only."""
import socket, sys, time

host, port, n, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
headers = sys.argv[5] if len(sys.argv) > 5 else ""
req = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n{headers}Connection: keep-alive\r\n\r\n".encode()

def one(sock):
    sock.sendall(req)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("closed")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        rest += sock.recv(65536)
    return head.split(b"\r\n")[0].decode()

idle, served = [], 0
for _ in range(n):
    s = socket.create_connection((host, port), timeout=10)
    try:
        one(s)
        served += 1
    except Exception:
        pass
    idle.append(s)
time.sleep(0.5)
t0 = time.perf_counter()
s = socket.create_connection((host, port), timeout=10)
status = one(s)
elapsed_ms = (time.perf_counter() - t0) * 1000
print(f"idle connections opened: {n}, served: {served}")
print(f"fresh request with {n} idle keep-alive connections: {status} in {elapsed_ms:.1f} ms")
for c in idle:
    c.close()
s.close()
