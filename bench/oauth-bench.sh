#!/usr/bin/env bash
# OAuth file credential cost (issue 20), both rows measured in the same run:
# one cpa instance (every module loaded, usage on) serves the same Claude
# model through a claude-api-key entry (prefix "key") and through a Claude
# auth file (prefix "oauth", token valid for 30 days, so no refresh happens),
# both answered by the same fake upstream (cpa_bench_llm_upstream). The file
# row adds what issue 20 added per request: the cpa.TokenSource/1 lookup, the
# OAuth executor's credential copy and the OAuth headers.
#  (a) CPU µs per non-stream Claude request: N sequential keep-alive requests,
#      cpa's utime+stime (/proc/<pid>/stat) / N, ROUNDS rounds alternating the
#      rows' order → medians and the file / API-key ratio (issue target ≤ 1.1)
#  (b) CPU µs per streamed event: STREAMS 20-event streams on keep-alive
#      connections, cpa CPU / (STREAMS × 20)
# Server on core 0; the client and the upstream on core 1.
# Usage: bench/oauth-bench.sh [build-dir]   (default build/release)
# Env: N (10000), STREAMS (1000), ROUNDS (3), NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
N=${N:-10000}
STREAMS=${STREAMS:-1000}
ROUNDS=${ROUNDS:-3}
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_proxy cpa_oauth cpa_bench_llm_upstream \
  cpa_bench_client >/dev/null
BIN="$BUILD/bin"
MODULES="$BUILD/lib/cpa/modules"
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

. bench/bench-lib.sh
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print ""}'; }
tick_us=$((1000000 / $(getconf CLK_TCK)))

taskset -c 1 "$BIN/cpa_bench_llm_upstream" 0 0 > /dev/null 2> "$work/up.log" &
up=$(wait_port "$work/up.log")

dir="$work/cpa"
mkdir -p "$dir/auths"
expires=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
# A refresh would be a bug here: the token endpoint is a closed local port.
cat > "$dir/auths/claude-bench.json" <<JSON
{"access_token":"sk-ant-oat-bench","email":"bench@example.com","expired":"$expires","prefix":"oauth","refresh_token":"rt-bench","type":"claude"}
JSON
chmod 600 "$dir/auths/claude-bench.json"
{ bench_config_head "$dir"; cat <<YAML
claude-api-key:
  - api-key: "upstream-claude-key"
    base-url: "http://127.0.0.1:$up"
    prefix: key
oauth-upstreams:
  claude: "http://127.0.0.1:$up"
oauth-login:
  anthropic:
    token-url: "http://127.0.0.1:$(free_port)/v1/oauth/token"
YAML
} > "$dir/config.yaml"
(cd "$dir" && exec taskset -c 0 "$OLDPWD/$BIN/cpa-server" --config "$dir/config.yaml" --modules-dir "$OLDPWD/$MODULES") \
  > "$work/cpa.log" 2>&1 &
pid=$!
port=$(wait_port "$work/cpa.log")

model=claude-sonnet-4-5-20250929
export CPA_BENCH_CLIENT=claude CPA_BENCH_TERMINATOR=message_stop CPA_BENCH_MIN_EVENTS=24
for row in key oauth; do  # both routes answer before anything is measured
  CPA_BENCH_MODEL="$row/$model" taskset -c 1 "$BIN/cpa_bench_client" latency "$port" 200 > "$work/warm.out" ||
    { echo "warm-up of $row/$model failed:" >&2; cat "$work/warm.out" >&2; exit 1; }
done

declare -A req ev
measure() {  # row → appends µs per request and per event
  export CPA_BENCH_MODEL="$1/$model"
  local t0 t1
  t0=$(cpu_ticks "$pid")
  taskset -c 1 "$BIN/cpa_bench_client" latency "$port" "$N" > "$work/lat.out" || { cat "$work/lat.out"; exit 1; }
  t1=$(cpu_ticks "$pid")
  req[$1]="${req[$1]:-} $(awk -v t=$(( (t1 - t0) * tick_us )) -v n="$N" 'BEGIN{printf "%.1f", t / n}')"
  t0=$(cpu_ticks "$pid")
  taskset -c 1 "$BIN/cpa_bench_client" streams "$port" "$STREAMS" 8 keepalive > "$work/st.out" || { cat "$work/st.out"; exit 1; }
  t1=$(cpu_ticks "$pid")
  ev[$1]="${ev[$1]:-} $(awk -v t=$(( (t1 - t0) * tick_us )) -v s="$STREAMS" 'BEGIN{printf "%.2f", t / (s * 20)}')"
}

echo "oauth bench: N=$N non-stream requests, $STREAMS streams of 20 events per row and round, $ROUNDS rounds; cpa on core 0"
for ((r = 0; r < ROUNDS; r++)); do
  if ((r % 2 == 0)); then measure key; measure oauth; else measure oauth; measure key; fi
done
grep -q "token refresh" "$work/cpa.log" && { echo "unexpected token refresh:" >&2; grep "token refresh" "$work/cpa.log" >&2; }

key_req=$(echo "${req[key]}" | median); oauth_req=$(echo "${req[oauth]}" | median)
key_ev=$(echo "${ev[key]}" | median); oauth_ev=$(echo "${ev[oauth]}" | median)
printf "  %-34s CPU/request %7s µs   CPU/event %6s µs   (rounds:%s |%s)\n" "claude-api-key (prefix key)" \
  "$key_req" "$key_ev" "${req[key]}" "${ev[key]}"
printf "  %-34s CPU/request %7s µs   CPU/event %6s µs   (rounds:%s |%s)\n" "Claude auth file (prefix oauth)" \
  "$oauth_req" "$oauth_ev" "${req[oauth]}" "${ev[oauth]}"
awk -v a="$oauth_req" -v b="$key_req" -v c="$oauth_ev" -v d="$key_ev" \
  'BEGIN{printf "  file / API key: %.3f× per request, %.3f× per event (issue 20 target: ≤ 1.1× per request)\n", a / b, c / d}'
