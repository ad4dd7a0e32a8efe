#!/usr/bin/env bash
# Format translation cost (issue 19), every row measured in the same run:
# one cpa instance serves an OpenAI-compatible provider (model bench-chat)
# and a Claude provider (model bench-claude), both answered by the same fake
# upstream (cpa_bench_llm_upstream speaks both formats), so each client
# format reaches each provider format: two same-format rows beside the two
# translated ones. Two server configurations side by side: the default
# (every module loaded, usage on) and modules [proxy, provider-keys] (the
# proxy with the module that contributes config credentials).
#  (a) CPU µs per non-stream request: N sequential keep-alive requests,
#      cpa's utime+stime (/proc/<pid>/stat) / N
#  (b) CPU µs per streamed event: STREAMS 20-event streams on keep-alive
#      connections, cpa CPU / (STREAMS × 20)
#  (c) first streamed event through cpa minus straight from the upstream
#      (paced upstream, PACE_MS between events): the added first-event latency
# Server on core 0; the client and the upstream on core 1.
# Usage: bench/translation-bench.sh [build-dir]   (default build/release)
# Env: N (10000), ROUNDS (3; the median is kept), STREAMS (1000), SSE_SAMPLES (200), PACE_MS (10), NO_BUILD=1,
#      SKIP_STREAMS=1 (non-stream rows only).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
N=${N:-10000}
ROUNDS=${ROUNDS:-3}
STREAMS=${STREAMS:-1000}
SSE_SAMPLES=${SSE_SAMPLES:-200}
PACE_MS=${PACE_MS:-10}
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_proxy cpa_bench_llm_upstream \
  cpa_bench_client >/dev/null
BIN="$BUILD/bin"
MODULES="$BUILD/lib/cpa/modules"
work=$(mktemp -d)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

. bench/bench-lib.sh
tick_us=$((1000000 / $(getconf CLK_TCK)))

taskset -c 1 "$BIN/cpa_bench_llm_upstream" 0 0 > /dev/null 2> "$work/up.log" &
up=$(wait_port "$work/up.log")
taskset -c 1 "$BIN/cpa_bench_llm_upstream" 0 "$PACE_MS" > /dev/null 2> "$work/up-paced.log" &
up_paced=$(wait_port "$work/up-paced.log")

start_cpa() {  # name modules-line upstream-port
  local dir="$work/$1"
  mkdir -p "$dir"
  { bench_config_head "$dir" "$2"; cat <<YAML
openai-compatibility:
  - name: bench
    base-url: "http://127.0.0.1:$3/v1"
    api-key-entries:
      - api-key: "upstream-key"
    models:
      - name: bench-model
        alias: bench-chat
claude-api-key:
  - api-key: "upstream-claude-key"
    base-url: "http://127.0.0.1:$3"
    models:
      - name: bench-model
        alias: bench-claude
YAML
  } > "$dir/config.yaml"
  (cd "$dir" && exec taskset -c 0 "$OLDPWD/$BIN/cpa-server" --config "$dir/config.yaml" --modules-dir "$OLDPWD/$MODULES") \
    > "$work/$1.log" 2>&1 &
  echo $! > "$work/$1.pid"
}

# client format × provider: CPA_BENCH_CLIENT, model, stream terminator (~ stands for a space), minimum data events
rows=("openai bench-chat data:~[DONE] 22 chat→chat (same format)"
      "openai bench-claude data:~[DONE] 22 chat→claude (translated)"
      "claude bench-claude message_stop 24 claude→claude (same format)"
      "claude bench-chat message_stop 24 claude→chat (translated)")

declare -A cpu
measure() {  # name port → one line per row; cpu[label] = CPU µs per request
  local pid; pid=$(cat "$work/$1.pid")
  for row in "${rows[@]}"; do
    read -r client model term events label <<<"$row"
    term=${term//\~/ }
    export CPA_BENCH_CLIENT="$client" CPA_BENCH_MODEL="$model" CPA_BENCH_TERMINATOR="$term" CPA_BENCH_MIN_EVENTS="$events"
    taskset -c 1 "$BIN/cpa_bench_client" latency "$2" 500 > /dev/null  # warm-up
    local t0 t1 rounds="" r
    for ((r = 0; r < ROUNDS; r++)); do  # cpa_bench_client sends 200 warm-up requests before its N
      t0=$(cpu_ticks "$pid")
      taskset -c 1 "$BIN/cpa_bench_client" latency "$2" "$N" > "$work/lat.out" || { cat "$work/lat.out"; exit 1; }
      t1=$(cpu_ticks "$pid")
      rounds="$rounds $(awk -v t=$(( (t1 - t0) * tick_us )) -v n=$((N + 200)) 'BEGIN{printf "%.1f", t / n}')"
    done
    cpu[$label]=$(echo "$rounds" | tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    local ev_us="n/a"
    if [ "${SKIP_STREAMS:-0}" != 1 ]; then
      t0=$(cpu_ticks "$pid")
      taskset -c 1 "$BIN/cpa_bench_client" streams "$2" "$STREAMS" 8 keepalive > "$work/st.out" || { cat "$work/st.out"; exit 1; }
      t1=$(cpu_ticks "$pid")
      ev_us=$(awk -v t=$(( (t1 - t0) * tick_us )) -v s="$STREAMS" 'BEGIN{printf "%.2f", t / (s * 20)}')
    fi
    printf "  %-30s CPU/request %6s µs (rounds:%s)   CPU/event %6s µs   p50 %s\n" "$label" "${cpu[$label]}" "$rounds" \
      "$ev_us" "$(grep -o 'p50_us=[0-9]*' "$work/lat.out")"
  done
  awk -v a="${cpu[chat→claude (translated)]}" -v b="${cpu[claude→claude (same format)]}" \
      -v c="${cpu[claude→chat (translated)]}" -v d="${cpu[chat→chat (same format)]}" \
    'BEGIN{printf "  translated / same format to the same provider: chat→claude %.2f×, claude→chat %.2f× (issue 19 target ≤ 1.3×)\n", a / b, c / d}'
}

first_event() {  # port client model term events → first_p50_ms
  CPA_BENCH_CLIENT=$2 CPA_BENCH_MODEL=$3 CPA_BENCH_TERMINATOR=$4 CPA_BENCH_MIN_EVENTS=$5 \
    taskset -c 1 "$BIN/cpa_bench_client" streams "$1" "$SSE_SAMPLES" 1 | grep -o 'first_p50_ms=[0-9.]*' | cut -d= -f2
}

echo "translation bench: N=$N non-stream requests, $STREAMS streams of 20 events per row; cpa on core 0"
for cfg in "all:" "proxy:modules: [proxy, provider-keys]"; do
  name=${cfg%%:*}; line=${cfg#*:}
  start_cpa "cpa-$name" "$line" "$up"; port=$(wait_port "$work/cpa-$name.log")
  if [ "$name" = all ]; then echo "cpa, every module loaded (default), usage on:"; else echo "cpa, modules [proxy, provider-keys]:"; fi
  measure "cpa-$name" "$port"
  kill -9 "$(cat "$work/cpa-$name.pid")"
done

[ "${SKIP_STREAMS:-0}" = 1 ] && exit 0
echo "first streamed event (paced upstream, ${PACE_MS} ms apart; p50 of $SSE_SAMPLES, one at a time):"
start_cpa cpa-paced "" "$up_paced"; paced=$(wait_port "$work/cpa-paced.log")
direct_chat=$(first_event "$up_paced" openai bench-model "data: [DONE]" 22)
direct_claude=$(first_event "$up_paced" claude bench-model message_stop 24)
for row in "${rows[@]}"; do
  read -r client model term events label <<<"$row"
  term=${term//\~/ }
  via=$(first_event "$paced" "$client" "$model" "$term" "$events")
  direct=$direct_chat; [ "$model" = bench-claude ] && direct=$direct_claude
  awk -v v="$via" -v d="$direct" -v l="$label" 'BEGIN{printf "  %-30s through cpa %.3f ms, upstream direct %.3f ms, added %.3f ms\n", l, v, d, v - d}'
done
