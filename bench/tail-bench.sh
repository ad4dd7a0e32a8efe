#!/usr/bin/env bash
# Tail latency at an equal offered rate (issue 22: "p99 at an equal offered
# rate (open loop) <= 2x nginx's, at 50 % and 80 % of nginx's maximum rate"),
# non-stream chat POST /v1/chat/completions. Every compared server runs in the
# same run; the server under test on core 0, the load generator and the fake
# upstream (cpa_bench_llm_upstream) on core 1:
#   nginx    proxy_pass with an upstream keep-alive pool (proxy-bench's conf)
#   cpa-all  cpa-server as operators run it: the default module set (no
#            modules key), usage statistics on, its own auth dir
#   cpa      the same with modules [proxy, provider-keys] only
#  (1) nginx's maximum rate: wrk -t2 -c64, median of MAX_RUNS short runs.
#  (2) for each PCTS share of it (50 % and 80 %): cpa_bench_rate (open loop,
#      latency from each request's due time, so a stall cannot hide behind a
#      slowed-down generator) against each server, ROUNDS rounds in rotating
#      order, CONNS keep-alive connections, DURATION s measured after WARMUP s.
#      Per rate: p50/p99/p99.9 per server and round, the achieved rate and
#      errors, the medians, and the median over rounds of the per-round
#      cpa÷nginx p99 ratio for both cpa rows (target <= 2x). A server that fell
#      behind the schedule (achieved < 97 % of the rate) or had errors is
#      flagged BEHIND/ERRORS, a round whose p50 reached 5 ms QUEUED (the
#      server, or the shared core 1, could not keep up for a while and worked
#      off a backlog): that p99 is a backlog, not a tail.
#      Each round also names the system-wide listen overflows and SYN
#      retransmissions during it (/proc/net/netstat), when there were any: a
#      dropped SYN is retried after 1 s, which is a stall, not the server's tail.
#  (3) per rate, each server's CPU per request during the rate runs
#      (utime+stime from /proc/<pid>/stat over the requests it was sent,
#      warm-up included), median over rounds.
# A benchmark: it prints numbers and ratios, it asserts nothing.
# Usage: bench/tail-bench.sh [build-dir]   (default build/release)
# Env: DURATION (s per rate run, 10), WARMUP (s, 2), ROUNDS (3), CONNS (64),
#      PCTS ("50 80"), MAX_RUNS (3), MAX_DURATION (wrk -d, 5s),
#      NO_BUILD=1 (use the binaries as they are).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
PCTS=${PCTS:-"50 80"}
MAX_RUNS=${MAX_RUNS:-3}
MAX_DURATION=${MAX_DURATION:-5s}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps"; exit 1; }
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "nginx missing: run scripts/install-deps (the baseline of this bench)"; exit 1; }
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_proxy cpa_bench_llm_upstream \
  cpa_bench_rate >/dev/null
BIN="$BUILD/bin"
[ "$(ulimit -n)" -ge 4096 ] || ulimit -n 4096 2>/dev/null || true

work=$(mktemp -d)
# SIGKILL: a graceful drain of every server would add seconds to the run.
trap 'kill -9 $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
started=$(date +%s)

. bench/bench-lib.sh  # wait_port, free_port, cpu_ticks
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print ""}'; }
hz=$(getconf CLK_TCK)
# tcp_drops: system-wide "ListenOverflows TCPSynRetrans" (/proc/net/netstat): a
# full accept queue drops SYNs, and each retransmission waits 1 s, 3 s, 7 s.
tcp_drops() {
  awk '$1 == "TcpExt:" { if (!h) { for (i = 2; i <= NF; i++) k[i] = $i; h = 1; next }
                         for (i = 2; i <= NF; i++) v[k[i]] = $i }
       END { print v["ListenOverflows"] + 0, v["TCPSynRetrans"] + 0 }' /proc/net/netstat
}

# ---- servers ---------------------------------------------------------------
# (Started in this shell, never inside $(...): a background child would hold
# the substitution's pipe open.)
# max_threads given (1024, the default count): listen backlog 4096, not 64, so
# a burst of new upstream connections (nginx replaces its pooled ones after
# keepalive_requests) is not dropped and retried a second later.
taskset -c 1 "$BIN/cpa_bench_llm_upstream" 0 0 1024 > /dev/null 2> "$work/up.log" &
up=$(wait_port "$work/up.log")

nginx_port=$(free_port)
nginx_proxy_llm "$up"
start_nginx "$work/nginx" "$nginx_port" "$NGINX_LLM_LOCATION" "$NGINX_LLM_UPSTREAM"
nginx_pid=$NGINX_PID

start_cpa cpa "$up"; cpa=$(wait_port "$work/cpa.log"); cpa_pid=$(cat "$work/cpa.pid")
start_cpa cpa-all "$up" all; cpa_all=$(wait_port "$work/cpa-all.log"); cpa_all_pid=$(cat "$work/cpa-all.pid")

path=/v1/chat/completions
body='{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}'
printf '%s' "$body" > "$work/body.json"
names=(nginx cpa-all cpa)
declare -A ports=([nginx]=$nginx_port [cpa-all]=$cpa_all [cpa]=$cpa)
declare -A pids=([nginx]=$nginx_pid [cpa-all]=$cpa_all_pid [cpa]=$cpa_pid)
for name in "${names[@]}"; do
  code=$(curl -s -o "$work/check.json" -w '%{http_code}' -H "Authorization: Bearer bench-key" \
    -H "Content-Type: application/json" --data-binary "@$work/body.json" "http://127.0.0.1:${ports[$name]}$path")
  [ "$code" = 200 ] || { echo "$name answered $code: $(head -c 300 "$work/check.json")" >&2; exit 1; }
done

# ---- (1) nginx's maximum rate ----------------------------------------------
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
LUA
echo "== (1) nginx maximum rate: wrk -t2 -c64 -d$MAX_DURATION, $MAX_RUNS runs" >&2
max_runs=""
for ((r = 0; r < MAX_RUNS; r++)); do
  out=$(taskset -c 1 wrk -t2 -c64 -d"$MAX_DURATION" -s "$work/post.lua" "http://127.0.0.1:$nginx_port$path")
  echo "$out" | grep -E "Socket errors|Non-2xx" | sed "s/^/  nginx: /" >&2 || true
  max_runs="$max_runs $(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
done
nginx_max=$(echo "$max_runs" | median)
[ -n "$nginx_max" ] && [ "$nginx_max" -gt 0 ] || { echo "no nginx maximum rate measured" >&2; exit 1; }
echo "   nginx max: $nginx_max req/s [$max_runs ]" >&2

# ---- (2) equal offered rates, (3) CPU per request ---------------------------
# results: one line per run: pct rate round name p50 p99 p999 achieved errors cpu_us_per_req
results="$work/results"
: > "$results"
run_rate() {  # name rate pct round
  local name=$1 rate=$2 pid=${pids[$1]} t0 t1 out o0 s0 o1 s1
  read -r o0 s0 < <(tcp_drops)
  t0=$(cpu_ticks "$pid")
  # Pinned like wrk; exits 1 when requests failed, which the summary reports.
  out=$(taskset -c 1 "$BIN/cpa_bench_rate" --warmup="$WARMUP" --body="$work/body.json" "${ports[$name]}" "$path" \
        "$rate" $((DURATION + WARMUP)) "$CONNS" "Authorization: Bearer bench-key" 2> "$work/rate.err") || true
  t1=$(cpu_ticks "$pid")
  read -r o1 s1 < <(tcp_drops)
  [ -s "$work/rate.err" ] && sed "s/^/  $name: /" "$work/rate.err" >&2
  echo "   $3 % $name round $4: $out" >&2
  echo "$out" | tr ' ' '\n' | awk -F= -v pct="$3" -v rate="$rate" -v round="$4" -v name="$name" \
      -v d=$((t1 - t0)) -v hz="$hz" -v warm="$WARMUP" -v drops="$((o1 - o0)) $((s1 - s0))" '
    { v[$1] = $2 }
    END {
      if (v["errors"] == "") { printf "%s %s %s %s 0 0 0 0 fail 0 %s\n", pct, rate, round, name, drops; exit }
      n = v["sent"] + int(rate * warm + 0.999)  # the requests of the whole run, warm-up included
      printf "%s %s %s %s %s %s %s %s %s %.1f %s\n", pct, rate, round, name, v["p50_us"], v["p99_us"], v["p999_us"],
             v["achieved_rps"], v["errors"], (n > 0 ? d / hz * 1e6 / n : 0), drops }' >> "$results"
}
for pct in $PCTS; do
  rate=$(( (nginx_max * pct + 50) / 100 ))
  echo "== (2) $pct % of nginx's max = $rate req/s, $ROUNDS rounds of ${DURATION}s (+${WARMUP}s warm-up)" >&2
  for ((r = 0; r < ROUNDS; r++)); do
    n=${#names[@]}
    for ((i = 0; i < n; i++)); do name=${names[$(( (i + r) % n ))]}; run_rate "$name" "$rate" "$pct" $((r + 1)); done
  done
done

# ---- report -------------------------------------------------------------------
echo
echo "(1) nginx maximum rate (wrk -t2 -c64 -d$MAX_DURATION, median of $MAX_RUNS): $nginx_max req/s  [$max_runs ]"
echo "(2) open-loop POST $path at equal offered rates, $CONNS connections, ${DURATION}s measured (+${WARMUP}s warm-up)," \
     "$ROUNDS rounds in rotating order; latencies in µs from each request's due time"
for pct in $PCTS; do
  awk -v pct="$pct" -v hz="$hz" '
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
      return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
    }
    $1 != pct { next }
    { rate = $2; r = $3; s = $4; rounds[r] = 1
      p50[s, r] = $5; p99[s, r] = $6; p999[s, r] = $7; ach[s, r] = $8; err[s, r] = $9; cpu[s, r] = $10
      if ($9 == "fail" || $9 > 0 || $8 < 0.97 * $2) bad[s, r] = 1
      if ($5 >= 5000) queued[s, r] = 1
      drops[s, r] = ($11 + $12 > 0) ? sprintf(", %d listen overflows, %d SYN retransmits", $11, $12) : "" }
    END {
      nr = 0; for (r in rounds) nr++
      printf "  %s %% of nginx max = %d req/s offered\n", pct, rate
      split("nginx cpa-all cpa", names, " ")
      for (r = 1; r <= nr; r++) {
        line = sprintf("    round %d:", r)
        for (k = 1; k <= 3; k++) {
          s = names[k]
          line = line sprintf("  %s p50 %.0f p99 %.0f p99.9 %.0f (%.0f/s, %s err%s%s%s)", s, p50[s, r], p99[s, r],
                              p999[s, r], ach[s, r], err[s, r], bad[s, r] ? ", BEHIND/ERRORS" : "",
                              queued[s, r] ? ", QUEUED" : "", drops[s, r])
          if (k < 3) line = line " |"
        }
        print line
      }
      for (k = 1; k <= 3; k++) {
        s = names[k]; nbad = 0
        for (r = 1; r <= nr; r++) { a50[r] = p50[s, r]; a99[r] = p99[s, r]; a999[r] = p999[s, r]; aa[r] = ach[s, r]
                                     ac[r] = cpu[s, r]; nbad += bad[s, r] ? 1 : 0 }
        printf "    %-8s median p50 %7.0f  p99 %7.0f  p99.9 %7.0f µs  achieved %.0f/s  CPU %.1f µs/request%s\n", s,
               median(a50, nr), median(a99, nr), median(a999, nr), median(aa, nr), median(ac, nr),
               nbad ? sprintf("  (%d round(s) behind schedule or with errors)", nbad) : ""
        cpu_med[s] = median(ac, nr)
      }
      for (k = 2; k <= 3; k++) {
        s = names[k]; list = ""
        for (r = 1; r <= nr; r++) { q[r] = p99["nginx", r] > 0 ? p99[s, r] / p99["nginx", r] : 0
                                     list = list sprintf(" %.2f", q[r]) }
        printf "    %-8s ÷ nginx p99: median %.2fx (target <= 2x)  [rounds:%s ]\n", s, median(q, nr), list
      }
      printf "    CPU per request, cpa-all ÷ cpa: %.2fx; cpa-all ÷ nginx: %.2fx; cpa ÷ nginx: %.2fx (%s Hz ticks)\n",
             (cpu_med["cpa"] > 0 ? cpu_med["cpa-all"] / cpu_med["cpa"] : 0),
             (cpu_med["nginx"] > 0 ? cpu_med["cpa-all"] / cpu_med["nginx"] : 0),
             (cpu_med["nginx"] > 0 ? cpu_med["cpa"] / cpu_med["nginx"] : 0), hz
    }' "$results"
done
if [ -s "$work/nginx/error.log" ]; then
  echo "nginx error.log: $(wc -l < "$work/nginx/error.log") line(s), first:"; head -3 "$work/nginx/error.log" | cut -c1-300 | sed 's/^/    /'
fi
echo "total time $(( $(date +%s) - started )) s"
