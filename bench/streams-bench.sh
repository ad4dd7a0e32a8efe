#!/usr/bin/env bash
# Many concurrent paced streams through cpa (issue 22: "9 000 concurrent paced
# streams: every one complete, RSS < 1 GiB, a fresh request answered < 50 ms
# meanwhile"). cpa runs on core 0; the fake upstream (cpa_bench_llm_upstream,
# 20 content events + usage + [DONE], PACE_MS apart, so a stream lasts
# 19 x PACE_MS), the stream client (cpa_bench_client streams, epoll) and the
# probes on core 1. Rows (ROWS):
#   cpa-all  cpa-server as operators run it: the default module set (no
#            modules key), usage statistics on, its own auth dir
#   cpa      the same with modules [proxy, provider-keys] only
# For each row and each count N of COUNTS (a curve; the last is STREAMS), on a
# fresh cpa with no http-server block (a stream holds a worker; max-threads
# unset is half the open-file limit, compatibility A61: 10 000 with 20 000 here):
#   - N streams opened at once (one connection each; at most MAX_PENDING
#     still waiting for their first event, so the ramp follows the server
#     instead of overflowing its listen backlog), held open together until
#     the first ends ("all-open" .. "all-open-end" from the client);
#   - every PROBE_MS meanwhile: a fresh non-stream chat request (curl, a new
#     connection) timed, and cpa's VmRSS and thread count from /proc;
#   - at the end: complete/total streams, max open at once, the ramp time,
#     RSS idle / all open (max sampled) / peak (VmHWM) MB and per open stream,
#     threads, probe latency p50/max while all were open (and during the ramp),
#     cpa's CPU (utime+stime) per stream (the probes included), and the
#     system-wide listen overflows / SYN retransmissions during the run (a
#     dropped SYN is retried after 1 s: a stall of the ramp or of a probe).
# Descriptors: each proxied stream holds two in cpa (client, upstream); the
# client and the upstream one each. Every process raises `ulimit -n` to the
# hard limit; a shortfall is printed, not hidden (so is EMFILE, a refused
# connection, an incomplete stream, cpa exiting).
# A benchmark: it prints numbers and the targets next to them, it asserts nothing.
# Usage: bench/streams-bench.sh [build-dir]   (default build/release)
# Env: STREAMS (9000), COUNTS ("1000 3000 $STREAMS"), ROWS ("cpa-all cpa"),
#      PACE_MS (1000), PROBE_MS (200), MAX_PENDING (1024), NO_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
STREAMS=${STREAMS:-9000}
COUNTS=${COUNTS:-"1000 3000 $STREAMS"}
ROWS=${ROWS:-"cpa-all cpa"}
PACE_MS=${PACE_MS:-1000}
PROBE_MS=${PROBE_MS:-200}
MAX_PENDING=${MAX_PENDING:-1024}
[ "${NO_BUILD:-0}" = 1 ] || cmake --build "$BUILD" --target cpa-server cpa_proxy cpa_bench_llm_upstream \
  cpa_bench_client >/dev/null
BIN="$BUILD/bin"
max_count=0; for c in $COUNTS; do [ "$c" -gt "$max_count" ] && max_count=$c; done
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || ulimit -n "$hard"
need=$((2 * max_count + 512))
[ "$(ulimit -n)" -ge "$need" ] ||
  echo "note: open-file limit $(ulimit -n) < $need (2 per stream in cpa + 512): expect EMFILE near $(( ($(ulimit -n) - 512) / 2 )) streams" >&2

work=$(mktemp -d)
# SIGKILL: a graceful drain of thousands of streams would take their length.
trap 'kill -9 $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
started=$(date +%s)

. bench/bench-lib.sh  # wait_port, cpu_ticks
hz=$(getconf CLK_TCK)
# tcp_drops: system-wide "ListenOverflows TCPSynRetrans" (/proc/net/netstat): a
# full accept queue drops SYNs, and each retransmission waits 1 s, 3 s, 7 s.
tcp_drops() {
  awk '$1 == "TcpExt:" { if (!h) { for (i = 2; i <= NF; i++) k[i] = $i; h = 1; next }
                         for (i = 2; i <= NF; i++) v[k[i]] = $i }
       END { print v["ListenOverflows"] + 0, v["TCPSynRetrans"] + 0 }' /proc/net/netstat
}
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# One upstream for every run: a thread per connection, so max_count + 256 threads.
taskset -c 1 "$BIN/cpa_bench_llm_upstream" 0 "$PACE_MS" $((max_count + 256)) > /dev/null 2> "$work/up.log" &
up=$(wait_port "$work/up.log")


path=/v1/chat/completions
body='{"model":"bench-model","messages":[{"role":"user","content":"hi"}]}'
probe() {  # port → "code ms"
  taskset -c 1 curl -s -o /dev/null --max-time 10 -w '%{http_code} %{time_total}\n' \
    -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" -d "$body" \
    "http://127.0.0.1:$1$path" | awk '{printf "%s %.1f\n", $1, $2 * 1000}' || echo "000 10000"
}
pstats() {  # file of "ms" lines → "p50 max n"
  sort -g "$1" | awk '{a[NR]=$1} END { if (NR) printf "%.1f %.1f %d\n", a[int((NR+1)/2)], a[NR], NR; else printf "- - 0\n" }'
}

summary="$work/summary"
: > "$summary"
run() {  # row count
  local row=$1 n=$2 name="$1-$2" pid port c0 c1 rc=0 phase rss thr
  echo "== $row: $n streams (pace $PACE_MS ms, ~$((19 * PACE_MS / 1000)) s each)" >&2
  if [ "$row" = cpa-all ]; then start_cpa "$name" "$up" all; else start_cpa "$name" "$up"; fi
  pid=$(cat "$work/$name.pid"); port=$(wait_port "$work/$name.log")
  read -r code _ < <(probe "$port")
  [ "$code" = 200 ] || { echo "  cpa answered $code to the warm-up request" >&2; }
  local rss_idle thr_idle rss_open=0 thr_max=0 rss_max=0
  rss_idle=$(status_kb "$pid" VmRSS); thr_idle=$(status_kb "$pid" Threads)
  : > "$work/probe-open"; : > "$work/probe-ramp"; : > "$work/probe-after"; local bad_probes=0
  local o0 s0 o1 s1
  read -r o0 s0 < <(tcp_drops)
  c0=$(cpu_ticks "$pid")
  CPA_BENCH_MAX_PENDING=$MAX_PENDING taskset -c 1 "$BIN/cpa_bench_client" streams "$port" "$n" "$n" \
    > "$work/client.out" 2> "$work/client.err" &
  local client=$!
  while kill -0 "$client" 2>/dev/null; do
    if grep -q '^all-open-end' "$work/client.out"; then phase=after
    elif grep -q '^all-open ' "$work/client.out"; then phase=open
    else phase=ramp; fi
    kill -0 "$pid" 2>/dev/null || { echo "  cpa (pid $pid) exited during the run" >&2; break; }
    rss=$(status_kb "$pid" VmRSS); thr=$(status_kb "$pid" Threads)
    [ "${thr:-0}" -gt "$thr_max" ] && thr_max=$thr
    [ "${rss:-0}" -gt "$rss_max" ] && rss_max=$rss
    [ "$phase" = open ] && [ "${rss:-0}" -gt "$rss_open" ] && rss_open=$rss
    read -r code ms < <(probe "$port")
    [ "$code" = 200 ] || { bad_probes=$((bad_probes + 1)); echo "  probe ($phase) answered $code after $ms ms" >&2; }
    echo "$ms" >> "$work/probe-$phase"
    sleep "$(awk -v p="$PROBE_MS" -v m="$ms" 'BEGIN { s = (p - m) / 1000; printf "%.3f", (s > 0.01 ? s : 0.01) }')"
  done
  wait "$client" || rc=$?
  c1=$(cpu_ticks "$pid" 2>/dev/null || echo "$c0")
  read -r o1 s1 < <(tcp_drops)
  local hwm cpa_alive=yes
  hwm=$(status_kb "$pid" VmHWM)
  kill -0 "$pid" 2>/dev/null || cpa_alive=no
  sed 's/^/  client: /' "$work/client.out" >&2
  [ -s "$work/client.err" ] && head -5 "$work/client.err" | sed 's/^/  client stderr: /' >&2
  # What cpa said about trouble (EMFILE, thread creation, backlog, errors), first lines and a count.
  local trouble
  trouble=$(grep -aiE 'too many open|emfile|retrying|cannot|could not|failed|exception|resource|errno' \
            "$work/$name.log" | grep -av '" 200 ' || true)
  if [ -n "$trouble" ]; then
    echo "  cpa log: $(echo "$trouble" | wc -l) trouble line(s), first:" >&2
    echo "$trouble" | head -5 | cut -c1-300 | sed 's/^/    /' >&2
  fi
  [ "$cpa_alive" = yes ] || { echo "  cpa is gone; its log ends:" >&2; tail -5 "$work/$name.log" | sed 's/^/    /' >&2; }
  local out complete max_open ramp_s open_p open_a open_n ramp_p ramp_a ramp_n
  out=$(grep '^streams=' "$work/client.out" || echo "")
  complete=$(echo "$out" | grep -o 'complete=[0-9]*' | cut -d= -f2); complete=${complete:-0}
  max_open=$(echo "$out" | grep -o 'max_open=[0-9]*' | cut -d= -f2); max_open=${max_open:-0}
  ramp_s=$(grep -o '^all-open [0-9]* ramp_s=[0-9.]*' "$work/client.out" | sed 's/.*=//'); ramp_s=${ramp_s:--}
  read -r open_p open_a open_n < <(pstats "$work/probe-open")
  read -r ramp_p ramp_a ramp_n < <(pstats "$work/probe-ramp")
  echo "$row $n $complete $max_open $ramp_s $rss_idle $rss_open $hwm $thr_idle $thr_max $open_p $open_a $open_n" \
       "$ramp_p $ramp_a $ramp_n $(( (c1 - c0) * 1000000 / hz / n )) $rc $bad_probes $cpa_alive" \
       "$((o1 - o0)) $((s1 - s0))" >> "$summary"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  sleep 1  # let the upstream see its connections close
}
for row in $ROWS; do
  for n in $COUNTS; do run "$row" "$n"; done
done

# ---- report -------------------------------------------------------------------
echo
echo "Concurrent paced streams through cpa (pace $PACE_MS ms, 22 data events each, one connection per stream," \
     "max-threads unset (half the open-file limit), open-file limit $(ulimit -n), probe every ${PROBE_MS} ms)"
awk '
  { row = $1; n = $2; complete = $3; maxo = $4; ramp = $5; idle = $6; open = $7; hwm = $8
    printf "  %-7s %5d streams: complete %d/%d, max open %d, all open after %s s;", row, n, complete, n, maxo, ramp
    if (open > 0) printf " RSS idle %d / all open %d / peak %d MB (%.1f KB per stream);", idle / 1024, open / 1024,
                         hwm / 1024, (open - idle) / n
    else printf " RSS idle %d MB, never all open, peak %d MB;", idle / 1024, hwm / 1024
    printf " threads %d -> %d; fresh request while all open: p50 %s max %s ms (%d probes), during the ramp: p50 %s max %s ms (%d);",
           $9, $10, $11, $12, $13, $14, $15, $16
    printf " cpa CPU %d µs per stream", $17
    if ($18 != 0) printf "; client exit %d", $18
    if ($19 != 0) printf "; %d probes failed", $19
    if ($20 != "yes") printf "; CPA EXITED"
    if ($21 + $22 > 0) printf "; %d listen overflows, %d SYN retransmits (system-wide)", $21, $22
    printf "\n" }' "$summary"
awk -v s="$STREAMS" '
  $2 == s { printf "  %-7s %d streams vs issue 22: complete %d/%d (target all)%s, peak RSS %d MB (target < 1024)%s," \
                   " fresh request max %s ms while all open (target < 50)%s\n", $1, s, $3, s, $3 == s ? " ✓" : " ✗",
                   $8 / 1024, $8 < 1048576 ? " ✓" : " ✗", $12, ($13 > 0 && $12 < 50) ? " ✓" : " ✗" }' "$summary"
echo "total time $(( $(date +%s) - started )) s"
