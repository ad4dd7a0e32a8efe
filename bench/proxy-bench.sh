#!/usr/bin/env bash
# Data-plane benchmark of issue 10 (POST /v1/chat/completions through cpa's
# proxy module), every compared server measured in the same run:
#   direct     the fake LLM upstream itself (cpa_bench_llm_upstream): the limit
#   forwarder  a minimal Poco reverse proxy (HTTPServer + HTTPClientSession)
#   nginx      proxy_pass with an upstream keep-alive pool (own temp prefix)
#   cpa-all    cpa-server as operators run it: the default module set (every
#              module), usage statistics on, one openai-compatibility provider
#   cpa        the same with modules [proxy, provider-keys] only (the second row;
#              provider-keys contributes the config.yaml credentials)
# The server under test runs on core 0; wrk, the clients and the upstreams
# behind the proxies on core 1.
#  (a) non-stream req/s, wrk -t2 -c64, REPEATS rounds in rotating order → medians, ratios
#  (b) upstream requests vs client requests through cpa (the upstream counts)
#  (c) unloaded latency: LAT_N sequential requests on one keep-alive connection,
#      direct (upstream on the server's core) / forwarder / cpa → p50 added by each;
#      (c') the same with the proxies moved onto core 1 (no cross-core wake-ups)
#  (d) paced SSE (20 events + usage + [DONE], PACE_MS apart): every event
#      arrives, first-event latency direct / forwarder / cpa
#  (e) cpa CPU per paced 20-event stream (utime+stime from /proc/<pid>/stat),
#      a new connection per stream; (e') the same on keep-alive connections
#  (f) OPEN_STREAMS concurrent open paced streams → cpa VmRSS / VmHWM
# Usage: bench/proxy-bench.sh [build-dir]   (default build/release)
# Env: DURATION (wrk -d, 5s), REPEATS (3), LAT_N (2000), PACE_MS (10),
#      SSE_SAMPLES (20), CPU_STREAMS (600), OPEN_STREAMS (1000),
#      OPEN_PACE_MS (250), NO_BUILD=1 (use the binaries as they are).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
DURATION=${DURATION:-5s}
REPEATS=${REPEATS:-3}
LAT_N=${LAT_N:-2000}
PACE_MS=${PACE_MS:-10}
SSE_SAMPLES=${SSE_SAMPLES:-20}
CPU_STREAMS=${CPU_STREAMS:-600}
OPEN_STREAMS=${OPEN_STREAMS:-1000}
OPEN_PACE_MS=${OPEN_PACE_MS:-250}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps"; exit 1; }
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_proxy cpa_bench_llm_upstream \
  cpa_bench_forwarder cpa_bench_client >/dev/null
BIN="$BUILD/bin"
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
need_fds=$((OPEN_STREAMS * 2 + 512))
[ "$(ulimit -n)" -ge "$need_fds" ] || ulimit -n "$need_fds" 2>/dev/null || {
  echo "ulimit -n $(ulimit -n) < $need_fds: lowering OPEN_STREAMS" >&2; OPEN_STREAMS=$(( $(ulimit -n) / 2 - 256 )); }

work=$(mktemp -d)
# SIGKILL: a graceful drain of every server would add many seconds to the run.
trap 'kill -9 $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
started=$(date +%s)

. bench/bench-lib.sh  # wait_port, free_port, cpu_ticks
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print ""}'; }
up_count() { curl -s "http://127.0.0.1:$1/count"; }

# ---- servers ---------------------------------------------------------------
# (Started in this shell, never inside $(...): a background child would hold
# the substitution's pipe open.)
start_upstream() {  # name core pace
  taskset -c "$2" "$BIN/cpa_bench_llm_upstream" 0 "$3" > /dev/null 2> "$work/$1.log" &
}
start_upstream up-direct 0 0; up_direct_pid=$!; up_direct=$(wait_port "$work/up-direct.log")  # measured directly
start_upstream up 1 0; up=$(wait_port "$work/up.log")                       # behind the proxies
start_upstream up-paced 1 "$PACE_MS"; up_paced=$(wait_port "$work/up-paced.log")
start_upstream up-slow 1 "$OPEN_PACE_MS"; up_slow=$(wait_port "$work/up-slow.log")

taskset -c 0 "$BIN/cpa_bench_forwarder" 0 "$up" > /dev/null 2> "$work/fwd.log" &
fwd_pid=$!; fwd=$(wait_port "$work/fwd.log")
taskset -c 0 "$BIN/cpa_bench_forwarder" 0 "$up_paced" > /dev/null 2> "$work/fwd-paced.log" &
fwd_paced_pid=$!; fwd_paced=$(wait_port "$work/fwd-paced.log")

nginx_port=""
if [ -x "$NGINX" ]; then
  nginx_port=$(free_port)
  nginx_proxy_llm "$up"
  start_nginx "$work/nginx" "$nginx_port" "$NGINX_LLM_LOCATION" "$NGINX_LLM_UPSTREAM"
  nginx_pid=$NGINX_PID
else
  echo "nginx not found: skipping the nginx baseline" >&2
fi

http="  max-threads: $((OPEN_STREAMS + 256))"  # also when the open-file limit is low
start_cpa cpa "$up" "" "$http"; cpa=$(wait_port "$work/cpa.log"); cpa_pid=$(cat "$work/cpa.pid")
start_cpa cpa-all "$up" all "$http"; cpa_all=$(wait_port "$work/cpa-all.log"); cpa_all_pid=$(cat "$work/cpa-all.pid")
start_cpa cpa-all-paced "$up_paced" all "$http"; cpa_all_paced=$(wait_port "$work/cpa-all-paced.log")
cpa_all_paced_pid=$(cat "$work/cpa-all-paced.pid")
start_cpa cpa-paced "$up_paced" "" "$http"; cpa_paced=$(wait_port "$work/cpa-paced.log"); cpa_paced_pid=$(cat "$work/cpa-paced.pid")
start_cpa cpa-slow "$up_slow" "" "$http"; cpa_slow=$(wait_port "$work/cpa-slow.log"); cpa_slow_pid=$(cat "$work/cpa-slow.pid")

path=/v1/chat/completions
code=$(curl -s -o "$work/warm.json" -w '%{http_code}' -H "Authorization: Bearer bench-key" \
  -H "Content-Type: application/json" -d '{"model":"bench-model","messages":[]}' "http://127.0.0.1:$cpa$path")
[ "$code" = 200 ] || { echo "cpa warm-up answered $code: $(head -c 300 "$work/warm.json")" >&2; exit 1; }

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
LUA

# ---- (a) throughput and (b) upstream request count -------------------------
declare -A rps cpu
wrk_sent=0; wrk_up=0
hz=$(getconf CLK_TCK)
run_wrk() {  # name port → appends rps to rps[name], server CPU µs per request to cpu[name]
  local out before after t0 t1 pid=${pids[$1]}
  before=$(up_count "$up")
  t0=$(cpu_ticks "$pid")
  out=$(taskset -c 1 wrk -t2 -c64 -d"$DURATION" -s "$work/post.lua" "http://127.0.0.1:$2$path")
  t1=$(cpu_ticks "$pid")
  after=$(up_count "$up")
  echo "$out" | grep -E "Socket errors|Non-2xx" | sed "s/^/  $1: /" >&2 || true
  rps[$1]="${rps[$1]:-} $(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  cpu[$1]="${cpu[$1]:-} $(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$(echo "$out" | awk '/requests in/ {print $1}')" \
    'BEGIN { printf "%.1f", d / hz * 1e6 / n }')"
  if [ "$1" = cpa ]; then
    wrk_sent=$((wrk_sent + $(echo "$out" | awk '/requests in/ {print $1}')))
    wrk_up=$((wrk_up + after - before))
  fi
}
names=(direct forwarder cpa-all cpa)
declare -A ports=([direct]=$up_direct [forwarder]=$fwd [cpa-all]=$cpa_all [cpa]=$cpa)
declare -A pids=([direct]=$up_direct_pid [forwarder]=$fwd_pid [cpa-all]=$cpa_all_pid [cpa]=$cpa_pid)
[ -n "$nginx_port" ] && { names+=(nginx); ports[nginx]=$nginx_port; pids[nginx]=$nginx_pid; }
echo "== (a) wrk -t2 -c64 -d$DURATION, $REPEATS rounds" >&2
for ((r = 0; r < REPEATS; r++)); do
  n=${#names[@]}
  for ((i = 0; i < n; i++)); do name=${names[$(( (i + r) % n ))]}; run_wrk "$name" "${ports[$name]}"; done
done

# ---- (c) unloaded latency, (b) exact count ---------------------------------
echo "== (c) latency, $LAT_N sequential requests on one connection" >&2
# "direct" is the upstream in the server's place (up-direct, core 0): the
# client's requests cross the same core boundary as they do to a proxy, as
# they would cross a network in a deployment. The upstream behind the proxies
# shares the client's core (1); calling it is printed too, as "same-core", but
# a proxy cannot be compared with it: any server on core 0 adds two
# cross-core hops to it before doing any work (see docs/benchmarks.md).
lat_direct=""; lat_local=""; lat_fwd=""; lat_cpa=""; lat_all=""; exact_ok=1
p50_of() { taskset -c 1 "$BIN/cpa_bench_client" latency "$1" "$LAT_N" | sed 's/.*p50_us=\([0-9]*\).*/\1/'; }
for ((r = 0; r < REPEATS; r++)); do
  lat_direct="$lat_direct $(p50_of "$up_direct")"
  lat_local="$lat_local $(p50_of "$up")"
  lat_fwd="$lat_fwd $(p50_of "$fwd")"
  before=$(up_count "$up")
  lat_cpa="$lat_cpa $(p50_of "$cpa")"
  after=$(up_count "$up")
  [ $((after - before)) = $((LAT_N + 200)) ] || { exact_ok=0; echo "  upstream saw $((after - before)) for $((LAT_N + 200))" >&2; }
  lat_all="$lat_all $(p50_of "$cpa_all")"
done
# (c') The same with the proxies moved onto the client's and upstream's core:
# no cross-core wake-ups (on a VM an idle core's wake-up costs tens of µs per
# hop), so what remains is the proxies' own processing time.
pin() { for t in /proc/"$1"/task/*; do taskset -p -c "$2" "${t##*/}" > /dev/null 2>&1 || true; done; }
same_direct=""; same_fwd=""; same_cpa=""
pin "$fwd_pid" 1; pin "$cpa_pid" 1
for ((r = 0; r < REPEATS; r++)); do
  same_direct="$same_direct $(p50_of "$up")"; same_fwd="$same_fwd $(p50_of "$fwd")"; same_cpa="$same_cpa $(p50_of "$cpa")"
done
pin "$fwd_pid" 0; pin "$cpa_pid" 0

# ---- (d) paced SSE first event ----------------------------------------------
echo "== (d) paced SSE, $SSE_SAMPLES sequential streams each" >&2
sse() { taskset -c 1 "$BIN/cpa_bench_client" streams "$1" "$SSE_SAMPLES" 1; }
sse_direct=$(sse "$up_paced"); sse_fwd=$(sse "$fwd_paced"); sse_cpa=$(sse "$cpa_paced")
sse_all=$(sse "$cpa_all_paced")

# ---- (e) CPU per stream -----------------------------------------------------
echo "== (e) CPU per stream, $CPU_STREAMS paced streams, 50 at a time" >&2
cpu_per_stream() {  # pid port [keepalive] → µs of server CPU per stream
  local t0 t1 out
  # Warm-up, not measured: the first 50 parallel streams make each server start
  # its worker threads (and their allocator arenas and buffers); steady state is
  # what a stream costs.
  taskset -c 1 "$BIN/cpa_bench_client" streams "$2" 100 50 ${3:-} > /dev/null
  t0=$(cpu_ticks "$1")
  out=$(taskset -c 1 "$BIN/cpa_bench_client" streams "$2" "$CPU_STREAMS" 50 ${3:-})
  t1=$(cpu_ticks "$1")
  echo "$out" | grep -q "failed=0" || echo "  incomplete: $out" >&2
  awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$CPU_STREAMS" 'BEGIN { printf "%.0f", d / hz * 1e6 / n }'
}
cpu_cpa=$(cpu_per_stream "$cpa_paced_pid" "$cpa_paced")
cpu_all=$(cpu_per_stream "$cpa_all_paced_pid" "$cpa_all_paced")
cpu_fwd=$(cpu_per_stream "$fwd_paced_pid" "$fwd_paced")
# (e') The same with each client connection carrying streams one after another
# (as SDK clients reuse their connections): no TCP set-up and teardown per stream.
cpu_cpa_ka=$(cpu_per_stream "$cpa_paced_pid" "$cpa_paced" keepalive)
cpu_all_ka=$(cpu_per_stream "$cpa_all_paced_pid" "$cpa_all_paced" keepalive)
cpu_fwd_ka=$(cpu_per_stream "$fwd_paced_pid" "$fwd_paced" keepalive)

# ---- (f) concurrent open streams --------------------------------------------
echo "== (f) $OPEN_STREAMS concurrent streams (${OPEN_PACE_MS} ms pace)" >&2
rss() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
rss_idle=$(rss "$cpa_slow_pid" VmRSS)
taskset -c 1 "$BIN/cpa_bench_client" streams "$cpa_slow" "$OPEN_STREAMS" "$OPEN_STREAMS" > "$work/open.out" 2>&1 &
open_client=$!
rss_open=""
for _ in $(seq 1 300); do
  if grep -q all-open "$work/open.out" 2>/dev/null; then rss_open=$(rss "$cpa_slow_pid" VmRSS); break; fi
  sleep 0.05
done
wait "$open_client" || true
rss_peak=$(rss "$cpa_slow_pid" VmHWM)
threads_after=$(awk '$1 == "Threads:" {print $2}' "/proc/$cpa_slow_pid/status")

# ---- report -------------------------------------------------------------------
echo
echo "(a) non-stream POST $path, wrk -t2 -c64 -d$DURATION, median of $REPEATS (all runs in brackets);"
echo "    server CPU per request (utime+stime / requests) is the steadier figure on a shared machine"
fwd_med=$(echo "${rps[forwarder]}" | median); fwd_cpu=$(echo "${cpu[forwarder]}" | median)
nginx_med=""; [ -n "$nginx_port" ] && nginx_med=$(echo "${rps[nginx]}" | median)
for name in direct forwarder nginx cpa-all cpa; do
  [ -n "${rps[$name]:-}" ] || { printf '  %-10s (not run)\n' "$name"; continue; }
  med=$(echo "${rps[$name]}" | median); c=$(echo "${cpu[$name]}" | median)
  awk -v n="$name" -v r="$med" -v b="$fwd_med" -v g="${nginx_med:-0}" -v all="${rps[$name]}" -v c="$c" \
      -v fc="$fwd_cpu" -v callv="${cpu[$name]}" \
    'BEGIN { printf "  %-10s %8.0f req/s  %.2fx forwarder", n, r, r/b; if (g > 0) printf "  %.2fx nginx", r/g;
             printf "  | %6.1f µs CPU/req (forwarder/this %.2f)   [%s ] [%s ]\n", c, fc/c, all, callv }'
done
all_c=$(echo "${cpu[cpa-all]}" | median); proxy_c=$(echo "${cpu[cpa]}" | median)
awk -v a="$all_c" -v p="$proxy_c" 'BEGIN { printf "  every module / proxy alone: %.2fx CPU per request (issue 22 target <= 1.15x)\n", a / p }'
echo "(b) upstream requests per client request through cpa: wrk completed $wrk_sent, upstream saw $wrk_up" \
     "(difference = requests in flight when wrk stopped, ≤ 64 per run);" \
     "sequential: $([ $exact_ok = 1 ] && echo "exactly one each ($(( (LAT_N + 200) * REPEATS )) requests)" || echo MISMATCH)"
ld=$(echo "$lat_direct" | median); lf=$(echo "$lat_fwd" | median); lc=$(echo "$lat_cpa" | median)
ll=$(echo "$lat_local" | median)
echo "(c) unloaded p50: direct ${ld} µs, forwarder ${lf} µs (+$((lf - ld))), cpa ${lc} µs → added $((lc - ld)) µs" \
     "  [direct:$lat_direct ] [forwarder:$lat_fwd ] [cpa:$lat_cpa ]"
la=$(echo "$lat_all" | median)
echo "    every module: cpa-all ${la} µs → added $((la - ld)) µs  [cpa-all:$lat_all ]"
echo "    (direct = upstream on the server's core; the same upstream on the client's own core: ${ll} µs [$lat_local ])"
sd=$(echo "$same_direct" | median); sf=$(echo "$same_fwd" | median); sc=$(echo "$same_cpa" | median)
echo "(c') same, all on one core: direct ${sd} µs, forwarder ${sf} µs (+$((sf - sd))), cpa ${sc} µs → added $((sc - sd)) µs" \
     "  [direct:$same_direct ] [forwarder:$same_fwd ] [cpa:$same_cpa ]"
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }
echo "(d) paced SSE ($PACE_MS ms): first event p50 direct $(field "$sse_direct" first_p50_ms) ms," \
     "forwarder $(field "$sse_fwd" first_p50_ms) ms, cpa $(field "$sse_cpa" first_p50_ms) ms;" \
     "complete streams (22 data events incl. [DONE]): direct $(field "$sse_direct" complete)/$SSE_SAMPLES," \
     "forwarder $(field "$sse_fwd" complete)/$SSE_SAMPLES, cpa $(field "$sse_cpa" complete)/$SSE_SAMPLES;" \
     "every module: first event $(field "$sse_all" first_p50_ms) ms, complete $(field "$sse_all" complete)/$SSE_SAMPLES"
echo "(e) server CPU per 20-event stream ($CPU_STREAMS streams, 50 parallel, ${hz} Hz ticks): cpa-all $cpu_all µs," \
     "cpa $cpu_cpa µs, forwarder $cpu_fwd µs (a new connection per stream)"
echo "(e') same on 50 keep-alive connections (streams one after another on each): cpa-all $cpu_all_ka µs," \
     "cpa $cpu_cpa_ka µs, forwarder $cpu_fwd_ka µs"
echo "(f) $OPEN_STREAMS open streams: $(grep -o 'complete=[0-9]*' "$work/open.out") $(grep -o 'max_open=[0-9]*' "$work/open.out");" \
     "cpa VmRSS idle $((rss_idle / 1024)) MB, all open $([ -n "$rss_open" ] && echo "$((rss_open / 1024)) MB" || echo n/a)," \
     "VmHWM $((rss_peak / 1024)) MB, threads $threads_after"
echo "total time $(( $(date +%s) - started )) s"
