#!/usr/bin/env bash
# Silent and idle connections against cpa-server (default http-server
# settings: 1024 workers, 10 s header timeout): N connections that send
# nothing (1 000, then 10 000), then N idle keep-alive connections, each
# while fresh requests to /healthz are timed on new connections, during the
# opening and after (bench/idle_probe.py). Before connections were parked,
# max-threads + 8 silent connections left fresh requests unanswered for 60 s.
# Usage: bench/silent-connections.sh [build-dir]   (default build/release)
# Env: COUNTS (default "1000 10000"), SAMPLES (timed fresh requests after the
# opening, default 50), IDLE (keep-alive connections, default 1000; 0 skips),
# NO_BUILD=1 (use the binaries as they are).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
COUNTS=${COUNTS:-1000 10000}
SAMPLES=${SAMPLES:-50}
IDLE=${IDLE:-1000}
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server >/dev/null
# Each connection is a descriptor in the server and one in the probe.
max=$(echo "$COUNTS" | tr ' ' '\n' | sort -n | tail -1)
ulimit -n "$(( $(ulimit -Hn) < max + 1024 ? $(ulimit -Hn) : max + 1024 ))"

# The config alone in its directory: cpa watches it, and must not wake on its own log.
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir "$work/cfg"
printf 'host: "127.0.0.1"\nport: 0\nmodules: []\n' > "$work/cfg/config.yaml"
"$BUILD/bin/cpa-server" --config "$work/cfg/config.yaml" > "$work/cpa.log" 2>&1 &
for _ in $(seq 1 100); do grep -q "listening on" "$work/cpa.log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o "listening on [^ ]*" "$work/cpa.log" | head -1 | sed 's/.*://' || true)
[ -n "$port" ] || { echo "server did not start:"; cat "$work/cpa.log"; exit 1; }

for n in $COUNTS; do
  echo "== $n silent connections"
  python3 -u bench/idle_probe.py 127.0.0.1 "$port" "$n" /healthz --silent --during --samples "$SAMPLES"
  sleep 1  # the server sees the closes
done
[ "$IDLE" -gt 0 ] || exit 0
echo "== $IDLE idle keep-alive connections"
python3 -u bench/idle_probe.py 127.0.0.1 "$port" "$IDLE" /healthz --during --samples "$SAMPLES"
