#!/usr/bin/env bash
# Management GET against nginx (issue 22): CPU per request of an authenticated
# GET /v0/management/config (a ~2 KB JSON answer) on cpa with every module
# loaded (the default set, usage on) beside nginx doing the same work as a
# baseline: a Bearer check (`if ($http_authorization != ...)`) and a 2 KB JSON
# body — the very bytes cpa answered, given to nginx's `return`. Both pinned to
# core 0, wrk -t2 -c64 on core 1, measured alternately ROUNDS times (default 3);
# prints each round's µs of server CPU (utime+stime) per request, the medians
# and their ratio (target <= 1.3x). cpa writes its access lines to a file, as
# the default config logs them; nginx's access log is off.
# Usage: bench/management-nginx-bench.sh [build-dir]   (default build/release)
# Env: DURATION (wrk -d, default 5s), ROUNDS (3), NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps --bench"; exit 1; }
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "nginx missing: run scripts/install-deps --bench"; exit 1; }
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_modules >/dev/null 2>&1 ||
  cmake --build "$BUILD" >/dev/null
BIN="$BUILD/bin"
. bench/bench-lib.sh  # wait_port, free_port, cpu_ticks, start_nginx
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# cpa: every module; a config whose JSON view is about 2 KB (keys and one provider).
mkdir -p "$work/cfg" "$work/auths"
{
  cat <<YAML
host: "127.0.0.1"
port: 0
remote-management:
  secret-key: "bench-secret"
usage-statistics-enabled: true
auth-dir: "$work/auths"
api-keys:
YAML
  for i in $(seq 1 12); do echo "  - \"client-key-$i-abcdefghijklmnopqrstuvwxyz\""; done
  cat <<YAML
openai-compatibility:
  - name: bench
    base-url: "http://127.0.0.1:9/v1"
    api-key-entries:
      - api-key: "upstream-key-0123456789"
    models:
      - name: bench-model
        alias: bench-model
YAML
} > "$work/cfg/config.yaml"
taskset -c 0 "$BIN/cpa-server" --config "$work/cfg/config.yaml" > "$work/cpa.log" 2>&1 &
cpa_pid=$!
cpa=$(wait_port "$work/cpa.log")
url_path=/v0/management/config
curl -sf -H "Authorization: Bearer bench-secret" "http://127.0.0.1:$cpa$url_path" > "$work/body.json" ||
  { echo "cpa did not answer $url_path" >&2; exit 1; }
size=$(wc -c < "$work/body.json")
grep -q "[\$'\\\\]" "$work/body.json" && { echo "the body holds a character nginx's return string would change" >&2; exit 1; }

nginx_port=$(free_port)
start_nginx "$work/nginx" "$nginx_port" "    location = $url_path {
      if (\$http_authorization != \"Bearer bench-secret\") { return 401; }
      default_type \"application/json; charset=utf-8\";
      return 200 '$(cat "$work/body.json")';
    }"
nginx_pid=$NGINX_PID
[ "$(curl -s -H "Authorization: Bearer bench-secret" "http://127.0.0.1:$nginx_port$url_path" | wc -c)" = "$size" ] ||
  { echo "nginx does not answer the same $size bytes" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nginx_port$url_path")" = 401 ] ||
  { echo "nginx answers without the key" >&2; exit 1; }

hz=$(getconf CLK_TCK)
run() {  # pid port → "µs-per-request req/s"
  local t0 t1 out n
  t0=$(cpu_ticks "$1")
  out=$(taskset -c 1 wrk -t2 -c64 -d"$DURATION" -H "Authorization: Bearer bench-secret" "http://127.0.0.1:$2$url_path")
  t1=$(cpu_ticks "$1")
  echo "$out" | grep -E "Socket errors|Non-2xx" >&2 || true
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$n" -v r="$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    'BEGIN { printf "%.1f %.0f\n", d / hz * 1e6 / n, r }'
}
run "$cpa_pid" "$cpa" > /dev/null; run "$nginx_pid" "$nginx_port" > /dev/null  # warm-up
cpa_cpu=""; nginx_cpu=""
echo "GET $url_path ($size bytes), wrk -t2 -c64 -d$DURATION, $ROUNDS rounds, servers on core 0"
for ((r = 1; r <= ROUNDS; r++)); do
  read -r c cr < <(run "$cpa_pid" "$cpa")
  read -r g gr < <(run "$nginx_pid" "$nginx_port")
  cpa_cpu="$cpa_cpu $c"; nginx_cpu="$nginx_cpu $g"
  printf "round %d: cpa %6.1f µs CPU/req (%6.0f req/s) | nginx %6.1f µs CPU/req (%6.0f req/s) | %.2fx\n" \
    "$r" "$c" "$cr" "$g" "$gr" "$(awk -v a="$c" -v b="$g" 'BEGIN { print a / b }')"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mc=$(echo "$cpa_cpu" | median); mg=$(echo "$nginx_cpu" | median)
awk -v a="$mc" -v b="$mg" 'BEGIN { printf "median: cpa %.1f µs, nginx %.1f µs CPU per request → %.2fx (target <= 1.30x)\n", a, b, a / b }'
