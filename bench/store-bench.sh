#!/usr/bin/env bash
# Added CPU per proxied request with the PostgreSQL store (issue 26: target
# ≤ 1.1× the file store), both rows measured in the same run: two cpa
# instances with the same configuration (every module loaded, usage on, one
# OpenAI-compatible provider answered by cpa_bench_llm_upstream), one with the
# default file store, one with `store: {type: postgres}` on a throwaway
# cluster (Debian's PostgreSQL, started here in a temp directory on a loopback
# port; as root it runs as the cpa-pgtest user scripts/install-deps adds).
# The postgres instance writes its usage records into PostgreSQL (batched, off
# the request path); the CPU that costs is counted (cpa's utime + stime).
#   CPU µs per non-stream chat request: N sequential keep-alive requests,
#   ROUNDS rounds alternating the rows' order → medians and the ratio.
# Server on core 0; the client, the upstream and PostgreSQL on core 1.
# Usage: bench/store-bench.sh [build-dir]   (default build/release)
# Env: N (10000), ROUNDS (3), NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
N=${N:-10000}
ROUNDS=${ROUNDS:-3}
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_proxy cpa_usage cpa_bench_llm_upstream \
  cpa_bench_client >/dev/null
BIN="$BUILD/bin"
MODULES="$BUILD/lib/cpa/modules"
work=$(mktemp -d)
chmod 755 "$work"
pg_pid=""
cleanup() {
  [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null && sleep 1
  { kill -9 $(jobs -p) || true; wait || true; } 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT

. bench/bench-lib.sh
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print ""}'; }
tick_us=$((1000000 / $(getconf CLK_TCK)))

# --- a throwaway PostgreSQL cluster (as tests/support/pg_cluster starts one)
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL server (scripts/install-deps installs it)" >&2; exit 1; }
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u cpa-pgtest --); fi
mkdir -p "$work/pg"
[ "$(id -u)" -eq 0 ] && chown cpa-pgtest "$work/pg"
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --no-sync --no-instructions \
  > "$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
pg_port=$(free_port)
taskset -c 1 "${as_pg[@]}" "$pgbin/postgres" -D "$work/pg/data" -k "$work/pg" -p "$pg_port" \
  -c listen_addresses=127.0.0.1 -c fsync=off > "$work/pg.log" 2>&1 &
pg_pid=$!
for _ in $(seq 1 100); do
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qAtc "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.1
done
psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qc "CREATE DATABASE cpa_bench" >/dev/null
dsn="host=127.0.0.1 port=$pg_port user=postgres dbname=cpa_bench"

taskset -c 1 "$BIN/cpa_bench_llm_upstream" 0 0 > /dev/null 2> "$work/up.log" &
up=$(wait_port "$work/up.log")

start_cpa() {  # name store-line
  local dir="$work/$1"
  mkdir -p "$dir"
  { bench_config_head "$dir" "$2"; cat <<YAML
openai-compatibility:
  - name: bench
    base-url: "http://127.0.0.1:$up/v1"
    api-key-entries:
      - api-key: "upstream-key"
    models:
      - name: bench-model
YAML
  } > "$dir/config.yaml"
  (cd "$dir" && exec taskset -c 0 "$OLDPWD/$BIN/cpa-server" --config "$dir/config.yaml" --modules-dir "$OLDPWD/$MODULES") \
    > "$work/$1.log" 2>&1 &
  echo $! > "$work/$1.pid"
  wait_port "$work/$1.log" > "$work/$1.port"
}
start_cpa file ""
start_cpa postgres "store: {type: postgres, dsn: \"$dsn\"}"
grep -q "config store: .*schema version" "$work/postgres.log" ||
  { echo "the postgres instance does not use PostgreSQL:" >&2; cat "$work/postgres.log" >&2; exit 1; }

declare -A req
measure() {  # row → appends µs per request
  local pid port t0 t1
  pid=$(cat "$work/$1.pid"); port=$(cat "$work/$1.port")
  t0=$(cpu_ticks "$pid")
  taskset -c 1 "$BIN/cpa_bench_client" latency "$port" "$N" > "$work/lat.out" || { cat "$work/lat.out"; exit 1; }
  t1=$(cpu_ticks "$pid")
  # cpa_bench_client latency sends 200 warm-up requests before its N
  req[$1]="${req[$1]:-} $(awk -v t=$(( (t1 - t0) * tick_us )) -v n="$((N + 200))" 'BEGIN{printf "%.1f", t / n}')"
}

for row in file postgres; do  # both answer before anything is measured
  taskset -c 1 "$BIN/cpa_bench_client" latency "$(cat "$work/$row.port")" 500 > "$work/warm.out" ||
    { echo "warm-up of $row failed:" >&2; cat "$work/warm.out" >&2; exit 1; }
done
echo "store bench: N=$N non-stream chat requests per row and round, $ROUNDS rounds; cpa on core 0"
for ((r = 0; r < ROUNDS; r++)); do
  if ((r % 2 == 0)); then measure file; measure postgres; else measure postgres; measure file; fi
done
sleep 2  # the last batch reaches PostgreSQL
stored=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d cpa_bench -qAtc "SELECT count(*) FROM cpa_usage" 2>/dev/null || echo "?")
file_req=$(echo "${req[file]}" | median); pg_req=$(echo "${req[postgres]}" | median)
printf "  %-28s CPU/request %7s µs   (rounds:%s)\n" "file store" "$file_req" "${req[file]}"
printf "  %-28s CPU/request %7s µs   (rounds:%s)\n" "postgres store" "$pg_req" "${req[postgres]}"
echo "  (usage records in PostgreSQL: $stored of $((ROUNDS * (N + 200) + 700)) requests)"
awk -v a="$pg_req" -v b="$file_req" \
  'BEGIN{printf "  postgres / file: %.3f× per request (issue 26 target: ≤ 1.1×)\n", a / b}'
