#!/usr/bin/env bash
# The usage module at a million records (issue 7). Two stages:
#  1. in-process (cpa_usage_bench, pinned to one core): recording throughput on
#     the publishing thread, store-side GET cost, memory, replay and import;
#  2. end to end through cpa-server: POST /usage/import of the 1M export,
#     GET /usage over HTTP, resident memory of the server, restart time.
# Usage: bench/usage-bench.sh [build-dir] [records]   (default build/release, 1000000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
records="${2:-1000000}"
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$build" --target cpa_usage_bench cpa-server cpa_usage -j2 >/dev/null
server="$build/bin/cpa-server"
modules="$build/lib/cpa/modules"

work="$(mktemp -d /tmp/cpa-usage-bench-XXXXXX)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== in-process =="
taskset -c 0 "$build/bin/cpa_usage_bench" "$records" "$work/export.json"

cat >"$work/config.yaml" <<YAML
host: "127.0.0.1"
port: 0
modules: [usage]
usage-statistics-enabled: true
remote-management:
  secret-key: "bench-secret"
http-server:
  max-request-body-mb: 2048
YAML
start() {
  : >"$work/stderr"
  local t0; t0=$(date +%s.%N)
  HOME="$work" "$server" --config "$work/config.yaml" --modules-dir "$modules" >"$work/stdout" 2>"$work/stderr" &
  pid=$!
  port=""
  for _ in $(seq 1200); do
    port="$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/stderr")"
    [[ -n "$port" ]] && break
    sleep 0.05
  done
  [[ -n "$port" ]] || { cat "$work/stderr" >&2; exit 1; }
  echo "server up in $(echo "$(date +%s.%N) - $t0" | bc) s"
}
rss() { awk '/VmRSS/ {printf "%d MiB\n", $2/1024}' "/proc/$pid/status"; }
peak() { awk '/VmHWM/ {printf "%d MiB\n", $2/1024}' "/proc/$pid/status"; }
auth=(-H "Authorization: Bearer bench-secret")

echo "== end to end =="
start
curl -s -o "$work/import.out" -w "POST /usage/import: %{time_total} s\n" "${auth[@]}" \
  --data-binary "@$work/export.json" "http://127.0.0.1:$port/v0/management/usage/import"
cat "$work/import.out"; echo
echo "server rss after import: $(rss), peak since start (the import): $(peak)"
for i in 1 2 3; do
  curl -s -o /dev/null -w "GET /usage: first byte %{time_starttransfer} s, total %{time_total} s, %{size_download} bytes\n" \
    "${auth[@]}" "http://127.0.0.1:$port/v0/management/usage"
done
echo "server rss after GETs: $(rss)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "== restart (replay of $records records) =="
start
echo "server rss after replay: $(rss)"
