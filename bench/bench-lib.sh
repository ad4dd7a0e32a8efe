# Shell helpers shared by the bench scripts (sourced, not run).
# wait_port <log>: the port of a server's "listening on host:port" line.
wait_port() {
  for _ in $(seq 1 100); do
    if grep -q "listening on" "$1" 2>/dev/null; then
      grep -o "listening on [^ ]*" "$1" | head -1 | sed 's/.*://'; return 0
    fi
    sleep 0.1
  done
  echo "server did not start:" >&2; cat "$1" >&2; exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# cpu_ticks <pid>: utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# bench_config_head <dir> [extra lines]: the head every bench cpa config shares
# (bench key, usage on, its own auth dir); the caller appends its providers.
bench_config_head() {
  mkdir -p "$1/auths"
  cat <<YAML
host: "127.0.0.1"
port: 0
api-keys: ["bench-key"]
${2:-}
usage-statistics-enabled: true
auth-dir: "$1/auths"
http-server:
  max-threads: 512
YAML
}
