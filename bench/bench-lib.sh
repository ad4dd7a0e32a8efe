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
# bench_provider_yaml <upstream-port>: the one OpenAI-compatible provider every
# proxy bench routes `bench-model` to (the fake upstream on that port).
bench_provider_yaml() {
  cat <<YAML
openai-compatibility:
  - name: bench
    base-url: "http://127.0.0.1:$1/v1"
    api-key-entries:
      - api-key: "upstream-key"
    models:
      - name: bench-model
        alias: bench-model
YAML
}
# start_nginx <dir> <port> <server-block-body> [http-block-lines]: nginx as the
# benches run it (one worker, no master, access log off, its temp paths in
# <dir>) on core 0, listening on 127.0.0.1:<port>; waits until it answers and
# leaves its pid in NGINX_PID. Call it in the script's own shell (not in $(...)).
start_nginx() {
  mkdir -p "$1/logs"
  cat > "$1/nginx.conf" <<NGINX
worker_processes 1;
master_process off;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
${4:-}
  server {
    listen 127.0.0.1:$2;
$3
  }
}
NGINX
  taskset -c 0 "${NGINX:-nginx}" -c "$1/nginx.conf" -p "$1" -e "$1/error.log" > /dev/null 2> "$1/stderr.log" &
  NGINX_PID=$!
  for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$2/" && return 0; sleep 0.1; done
  echo "nginx did not start:" >&2; cat "$1/stderr.log" "$1/error.log" >&2; return 1
}
# nginx_proxy_llm <upstream-port>: sets NGINX_LLM_UPSTREAM and
# NGINX_LLM_LOCATION, the http-block upstream and the server-block location
# that proxy everything to the fake upstream (keep-alive pool, unbuffered).
nginx_proxy_llm() {
  NGINX_LLM_UPSTREAM="  upstream llm { server 127.0.0.1:$1; keepalive 64; }"
  NGINX_LLM_LOCATION='    location / {
      proxy_pass http://llm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }'
}
# start_cpa <name> <upstream-port> [all] [http-server lines]: a cpa-server on
# core 0 with the bench key and bench_provider_yaml's provider, its config in
# $work/<name>/, its log (access lines included) in $work/<name>.log and its pid
# in $work/<name>.pid (uses $work and $BIN). Rows: "all" is the default module
# set with usage statistics on and an auth dir of its own, as the bundled
# config runs; otherwise modules [proxy, provider-keys] (provider-keys
# contributes the config's credentials). Without http-server lines max-threads
# keeps its default (half the open-file limit).
start_cpa() {
  local dir="$work/$1" modules="modules: [proxy, provider-keys]" http=""
  [ "${3:-}" = all ] && modules="usage-statistics-enabled: true
auth-dir: \"$dir/auths\""
  [ -n "${4:-}" ] && http="http-server:
$4"
  rm -rf "$dir"; mkdir -p "$dir"
  cat > "$dir/config.yaml" <<YAML
host: "127.0.0.1"
port: 0
api-keys: ["bench-key"]
$modules
$http
$(bench_provider_yaml "$2")
YAML
  taskset -c 0 "$BIN/cpa-server" --config "$dir/config.yaml" > "$work/$1.log" 2>&1 &
  echo $! > "$work/$1.pid"
}
