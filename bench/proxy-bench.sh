#!/usr/bin/env bash
# Data-plane throughput: POST /v1/chat/completions (non-stream JSON) under wrk
# (-t2 -c64) against
#   direct     the fake LLM upstream itself (cpa_bench_llm_upstream)
#   forwarder  a minimal Poco reverse proxy with keep-alive upstream sessions
#   nginx      proxy_pass with an upstream keep-alive pool (if nginx is installed)
#   cpa        cpa-server with one openai-compatibility provider
# each pinned to core 0 (wrk and the upstream behind the proxies on core 1),
# printed as requests/s and as ratios to the forwarder; then the first-event
# latency of a paced SSE stream (20 events PACE_MS apart, default 50 ms)
# through each path (median of SAMPLES requests).
# Usage: bench/proxy-bench.sh [build-dir]   (default build/release)
# Env: DURATION (wrk -d, default 10s), PACE_MS, SAMPLES (default 20),
# NO_BUILD=1 (use the binaries as they are).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${DURATION:-10s}
PACE_MS=${PACE_MS:-50}
SAMPLES=${SAMPLES:-20}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps"; exit 1; }
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_proxy cpa_bench_llm_upstream \
  cpa_bench_forwarder >/dev/null

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

wait_port() {  # file → port from the "listening on host:port" line
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$1" 2>/dev/null; then
      grep -o "listening on [^ ]*" "$1" | head -1 | sed 's/.*://'; return 0
    fi
    sleep 0.1
  done
  echo "server did not start:" >&2; cat "$1" >&2; exit 1
}

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
LUA

run_wrk() {  # url → rps
  local out
  out=$(taskset -c 1 wrk -t2 -c64 -d"$DURATION" --latency -s "$work/post.lua" "$1")
  echo "$out" | grep -E "Requests/sec|99%|Socket errors|Non-2xx" >&2
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}

# Upstreams: one on core 0 measured directly, one on core 1 behind the
# proxies, and a paced one for the latency part.
taskset -c 0 "$BUILD/bin/cpa_bench_llm_upstream" 0 2> "$work/up-direct.log" &
direct_port=$(wait_port "$work/up-direct.log")
taskset -c 1 "$BUILD/bin/cpa_bench_llm_upstream" 0 2> "$work/up.log" &
up_port=$(wait_port "$work/up.log")
taskset -c 1 "$BUILD/bin/cpa_bench_llm_upstream" 0 "$PACE_MS" 2> "$work/up-paced.log" &
paced_port=$(wait_port "$work/up-paced.log")

taskset -c 0 "$BUILD/bin/cpa_bench_forwarder" 0 "$up_port" 2> "$work/fwd.log" &
fwd_port=$(wait_port "$work/fwd.log")
taskset -c 0 "$BUILD/bin/cpa_bench_forwarder" 0 "$paced_port" 2> "$work/fwd-paced.log" &
fwd_paced_port=$(wait_port "$work/fwd-paced.log")

nginx_port=""
if command -v nginx >/dev/null; then
  nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$work/nginx"
  cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  upstream llm { server 127.0.0.1:$up_port; keepalive 64; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://llm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGINX
  taskset -c 0 nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2> "$work/nginx.log" &
  sleep 0.5
else
  echo "nginx not installed: skipping the nginx baseline (add it to scripts/install-deps)" >&2
fi

cpa_config() {  # upstream-port → config directory
  local dir="$work/cfg-$1"
  mkdir -p "$dir"
  cat > "$dir/config.yaml" <<YAML
host: "127.0.0.1"
port: 0
api-keys: ["bench-key"]
modules: [proxy]
openai-compatibility:
  - name: bench
    base-url: "http://127.0.0.1:$1/v1"
    api-key-entries:
      - api-key: "upstream-key"
    models:
      - name: bench-model
        alias: bench-model
YAML
  echo "$dir/config.yaml"
}
taskset -c 0 "$BUILD/bin/cpa-server" --config "$(cpa_config "$up_port")" 2> "$work/cpa.log" &
cpa_port=$(wait_port "$work/cpa.log")
taskset -c 0 "$BUILD/bin/cpa-server" --config "$(cpa_config "$paced_port")" 2> "$work/cpa-paced.log" &
cpa_paced_port=$(wait_port "$work/cpa-paced.log")

path=/v1/chat/completions
code=$(curl -s -o "$work/warm.json" -w '%{http_code}' -H "Authorization: Bearer bench-key" \
  -H "Content-Type: application/json" -d '{"model":"bench-model","messages":[]}' "http://127.0.0.1:$cpa_port$path")
cpa_ok=1
if [ "$code" != 200 ]; then
  echo "cpa warm-up answered $code (proxy routes not available?): $(head -c 300 "$work/warm.json")" >&2
  cpa_ok=0
fi

echo "== direct" >&2;    direct_rps=$(run_wrk "http://127.0.0.1:$direct_port$path")
echo "== forwarder" >&2; fwd_rps=$(run_wrk "http://127.0.0.1:$fwd_port$path")
nginx_rps=""
if [ -n "$nginx_port" ]; then echo "== nginx" >&2; nginx_rps=$(run_wrk "http://127.0.0.1:$nginx_port$path"); fi
cpa_rps=""
if [ "$cpa_ok" = 1 ]; then echo "== cpa" >&2; cpa_rps=$(run_wrk "http://127.0.0.1:$cpa_port$path"); fi

echo
echo "non-stream requests/s (ratio to the Poco forwarder)"
for row in "direct:$direct_rps" "forwarder:$fwd_rps" "nginx:$nginx_rps" "cpa:$cpa_rps"; do
  name=${row%%:*}; rps=${row#*:}
  [ -n "$rps" ] || { printf '  %-10s (not run)\n' "$name"; continue; }
  awk -v n="$name" -v r="$rps" -v b="$fwd_rps" 'BEGIN { printf "  %-10s %9.0f req/s  %.2fx\n", n, r, r/b }'
done

echo
echo "paced SSE (20 events, ${PACE_MS} ms apart): first-event latency, median of $SAMPLES"
first_event() {  # port → median ms to the first "data:" line
  python3 - "$1" "$SAMPLES" <<'PY'
import socket, statistics, sys, time
port, samples = int(sys.argv[1]), int(sys.argv[2])
body = b'{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"hi"}]}'
req = (b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer bench-key\r\n"
       b"Content-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body)) + body
lat = []
for _ in range(samples):
    s = socket.create_connection(("127.0.0.1", port))
    t0 = time.perf_counter(); s.sendall(req); seen = b""
    while b"data:" not in seen:
        chunk = s.recv(65536)
        if not chunk: break
        seen += chunk
    if b"data:" in seen: lat.append((time.perf_counter() - t0) * 1000)
    s.close()
print("%.2f" % statistics.median(lat) if lat else "n/a")
PY
}
printf '  %-10s %s ms\n' direct "$(first_event "$paced_port")"
printf '  %-10s %s ms\n' forwarder "$(first_event "$fwd_paced_port")"
if [ "$cpa_ok" = 1 ]; then printf '  %-10s %s ms\n' cpa "$(first_event "$cpa_paced_port")"; fi
