#!/usr/bin/env python3
"""Opens N connections to a server, then times fresh requests on new
connections while they stay open. Loopback only; prints the numbers.

  idle_probe.py HOST PORT N PATH [HEADERS]     N idle keep-alive connections
                                               (each after one request), one
                                               fresh request timed
  ... --silent                                 the N connections send nothing
  ... --samples K                              K fresh requests, p50/p99/max
  ... --during                                 fresh requests are also timed
                                               while the N connections open
"""
import argparse, socket, statistics, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("host"); ap.add_argument("port", type=int); ap.add_argument("n", type=int); ap.add_argument("path")
ap.add_argument("headers", nargs="?", default="")
ap.add_argument("--silent", action="store_true")
ap.add_argument("--samples", type=int, default=1)
ap.add_argument("--during", action="store_true")
args = ap.parse_args()
req = f"GET {args.path} HTTP/1.1\r\nHost: {args.host}\r\n{args.headers}Connection: keep-alive\r\n\r\n".encode()

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

def fresh():
    """Milliseconds for connect + request + response on a new connection (None: failed)."""
    t0 = time.perf_counter()
    try:
        with socket.create_connection((args.host, args.port), timeout=70) as s:
            one(s)
    except Exception:
        return None
    return (time.perf_counter() - t0) * 1000

def summary(label, times):
    ok = sorted(t for t in times if t is not None)
    failed = len(times) - len(ok)
    if not ok:
        print(f"{label}: all {len(times)} failed")
        return
    p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))]
    print(f"{label}: {len(ok)} answered, {failed} failed, p50 {statistics.median(ok):.1f} ms, "
          f"p99 {p99:.1f} ms, max {ok[-1]:.1f} ms")

during, opening = [], True
def sample_during():
    while opening:
        during.append(fresh())
        time.sleep(0.01)

sampler = threading.Thread(target=sample_during)
if args.during:
    sampler.start()
held, served = [], 0
t0 = time.perf_counter()
try:
    for _ in range(args.n):
        s = socket.create_connection((args.host, args.port), timeout=10)
        held.append(s)
        if not args.silent:
            try:
                one(s)
                served += 1
            except Exception:
                pass
finally:
    opening = False
    if args.during:
        sampler.join()
kind = "silent" if args.silent else "idle keep-alive"
print(f"{kind} connections opened: {len(held)} in {time.perf_counter() - t0:.1f} s" +
      ("" if args.silent else f", served: {served}"))
if args.during:
    summary(f"fresh requests while opening them", during)
time.sleep(0.5)
summary(f"fresh requests with {len(held)} {kind} connections open", [fresh() for _ in range(args.samples)])
for c in held:
    c.close()
