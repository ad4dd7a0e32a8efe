#!/usr/bin/env bash
# GET /logs?limit=100 on a 1 MiB main.log vs a 1 GiB one (issue 6): the time
# per request must stay within 2x, because the tail is read from the end.
# Usage: bench/logs-bench.sh [build-dir] [requests]   (default build/release, 40)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
requests="${2:-40}"
server="$build/bin/cpa-server"
modules="$build/lib/cpa/modules"
[[ -x "$server" && -f "$modules/cpa_logs.so" ]] || { echo "build cpa-server and cpa_logs in $build first" >&2; exit 2; }

work="$(mktemp -d /tmp/cpa-logs-bench-XXXXXX)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cat >"$work/config.yaml" <<YAML
host: "127.0.0.1"
port: 0
modules: [logs]
logging-to-file: true
remote-management:
  secret-key: "bench-secret"
YAML
HOME="$work" "$server" --config "$work/config.yaml" --modules-dir "$modules" >"$work/stdout" 2>"$work/stderr" &
pid=$!
port=""
for _ in $(seq 100); do
  port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/stderr")"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/stderr" >&2; exit 1; }

# Appends generated entries to main.log until it holds about $1 bytes
# (the server keeps appending its own lines through the same O_APPEND file).
grow() {
  python3 - "$work/logs/main.log" "$1" <<'PY'
import os, sys
path, target = sys.argv[1], int(sys.argv[2])
lines = []
for i in range(8000):
    lines.append("[2026-05-01 12:%02d:%02d] [%08x] [info ] [bench.go:%d] generated entry %d provider=codex model=gpt-5\n"
                 % (i // 60 % 60, i % 60, i * 2654435761 % 2**32, i % 997, i))
block = "".join(lines).encode()
with open(path, "ab") as f:
    while os.path.getsize(path) < target:
        f.write(block[: max(1, min(len(block), target - os.path.getsize(path)))])
        f.flush()
PY
}

measure() {
  local times=()
  for _ in $(seq "$requests"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H 'Authorization: Bearer bench-secret' \
      "http://127.0.0.1:$port/v0/management/logs?limit=100")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

grow $((1024 * 1024))
curl -sf -o /dev/null -H 'Authorization: Bearer bench-secret' "http://127.0.0.1:$port/v0/management/logs?limit=100"
small="$(measure)"
size_small="$(stat -c %s "$work/logs/main.log")"
grow $((1024 * 1024 * 1024))
size_big="$(stat -c %s "$work/logs/main.log")"
big="$(measure)"
ratio="$(awk -v a="$big" -v b="$small" 'BEGIN {printf "%.2f", a / b}')"
echo "GET /logs?limit=100, median of $requests requests"
echo "  main.log $size_small bytes: ${small}s"
echo "  main.log $size_big bytes: ${big}s"
echo "  ratio: $ratio (limit 2.00)"
awk -v r="$ratio" 'BEGIN {exit !(r <= 2.0)}' || { echo "FAIL: more than 2x slower on the big log" >&2; exit 1; }
