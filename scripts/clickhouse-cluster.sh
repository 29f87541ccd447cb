#!/usr/bin/env bash
# A ClickHouse cluster of N shards (default 2) on loopback, its data under DIR.
#
#   scripts/clickhouse-cluster.sh start DIR   # ready when it returns; the last line is the entry node's HTTP URL
#   scripts/clickhouse-cluster.sh stop DIR    # ends the servers this script started under DIR (pid files), nothing else
#   scripts/clickhouse-cluster.sh status DIR  # prints the URL and exits 0 when the cluster under DIR runs
#
# Environment (all optional):
#   CLVKIT_CLICKHOUSE_HTTP_PORT  HTTP port of shard 1 (default 18621; shard i uses +i-1)
#   CLVKIT_CLICKHOUSE_TCP_PORT   native port of shard 1 (default 19621; shard i uses +i-1)
#   CLVKIT_CLICKHOUSE_SHARDS     number of shards (default 2)
#   CLVKIT_CLICKHOUSE_CLUSTER    cluster name in remote_servers (default clvkit)
#   CLICKHOUSE_SERVER            the server binary (default: clickhouse-server on PATH, or /usr/sbin/clickhouse-server)
#
# Each shard gets DIR/shard-N/{config.xml,data/,tmp/,log.txt,err.txt,server.pid}, generated from
# scripts/clickhouse/shard-config.template.xml and scripts/clickhouse/users.xml.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
http_base="${CLVKIT_CLICKHOUSE_HTTP_PORT:-18621}"
tcp_base="${CLVKIT_CLICKHOUSE_TCP_PORT:-19621}"
shards="${CLVKIT_CLICKHOUSE_SHARDS:-2}"
cluster="${CLVKIT_CLICKHOUSE_CLUSTER:-clvkit}"
ready_seconds=90

die() { echo "clickhouse-cluster: $1" >&2; [ -n "${2:-}" ] && echo "  hint: $2" >&2; exit 2; }

usage() { die "usage: $0 start|stop|status DIR" "DIR holds the cluster's configs, data and pid files"; }

[ $# -eq 2 ] || usage
command="$1"
dir="$2"
case "$shards" in ''|*[!0-9]*|0) die "CLVKIT_CLICKHOUSE_SHARDS=$shards is not a positive whole number" "unset it for 2 shards";; esac
case "$cluster" in ''|*[!A-Za-z0-9_]*) die "CLVKIT_CLICKHOUSE_CLUSTER=$cluster must be letters, digits and _" "unset it for the name clvkit";; esac

http_port() { echo $((http_base + $1 - 1)); }
tcp_port() { echo $((tcp_base + $1 - 1)); }
url() { echo "http://127.0.0.1:$(http_port 1)"; }

# A pid from DIR's pid file, when that process is still the server started with DIR's config.
our_pid() {
  local shard_dir="$1" pid
  [ -f "$shard_dir/server.pid" ] || return 1
  pid="$(cat "$shard_dir/server.pid")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--config-file=$shard_dir/config.xml" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ping_ok() { [ "$(curl -s --max-time 2 "http://127.0.0.1:$1/ping" 2>/dev/null)" = "Ok." ]; }

sql() { curl -s --max-time 10 --data-binary "$2" "http://127.0.0.1:$1/"; }

find_server() {
  if [ -n "${CLICKHOUSE_SERVER:-}" ]; then echo "$CLICKHOUSE_SERVER"; return; fi
  if command -v clickhouse-server >/dev/null 2>&1; then command -v clickhouse-server; return; fi
  if [ -x /usr/sbin/clickhouse-server ]; then echo /usr/sbin/clickhouse-server; return; fi
  die "clickhouse-server is not installed" "apt-get install clickhouse-server clickhouse-client (Debian), or set CLICKHOUSE_SERVER"
}

start() {
  local server shard shard_dir shard_xml="" running=0 i
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  for ((i = 1; i <= shards; i++)); do
    if our_pid "$dir/shard-$i" >/dev/null; then running=$((running + 1)); fi
  done
  if [ "$running" -eq "$shards" ] && ping_ok "$(http_port 1)"; then
    echo "already running under $dir" >&2
    url
    return 0
  fi
  [ "$running" -eq 0 ] || die "part of a cluster is running under $dir" "run: $0 stop $dir, then start again"
  server="$(find_server)"
  command -v curl >/dev/null 2>&1 || die "curl is needed to check the servers" "apt-get install curl"
  for ((i = 1; i <= shards; i++)); do
    for port in "$(http_port "$i")" "$(tcp_port "$i")"; do
      port_in_use "$port" && die "port $port is in use" "choose other ports with CLVKIT_CLICKHOUSE_HTTP_PORT / CLVKIT_CLICKHOUSE_TCP_PORT"
    done
    shard_xml+="      <shard><replica><host>127.0.0.1</host><port>$(tcp_port "$i")</port></replica></shard>"$'\n'
  done
  for ((i = 1; i <= shards; i++)); do
    shard_dir="$dir/shard-$i"
    mkdir -p "$shard_dir/data" "$shard_dir/tmp" "$shard_dir/format_schemas"
    cp "$here/clickhouse/users.xml" "$shard_dir/users.xml"
    SHARD_DIR="$shard_dir" HTTP_PORT="$(http_port "$i")" TCP_PORT="$(tcp_port "$i")" CLUSTER="$cluster" SHARDS="$shard_xml" \
      USERS_CONFIG="$shard_dir/users.xml" perl -pe 's/\@(SHARD_DIR|HTTP_PORT|TCP_PORT|CLUSTER|SHARDS|USERS_CONFIG)\@/$ENV{$1}/g' \
      "$here/clickhouse/shard-config.template.xml" >"$shard_dir/config.xml"
    nohup "$server" --config-file="$shard_dir/config.xml" >"$shard_dir/stdout.txt" 2>&1 </dev/null &
    echo $! >"$shard_dir/server.pid"
  done
  # Ready = every shard answers /ping and the entry node reaches every shard through the cluster.
  local deadline=$((SECONDS + ready_seconds)) reached
  for ((i = 1; i <= shards; i++)); do
    until ping_ok "$(http_port "$i")"; do
      if ! our_pid "$dir/shard-$i" >/dev/null; then
        tail -n 5 "$dir/shard-$i/err.txt" "$dir/shard-$i/stdout.txt" >&2 2>/dev/null || true
        stop >/dev/null 2>&1 || true
        die "shard $i did not start (its log is in $dir/shard-$i)" "check the ports and that $server runs"
      fi
      [ "$SECONDS" -lt "$deadline" ] || { stop >/dev/null 2>&1 || true; die "shard $i was not ready after ${ready_seconds}s" "see $dir/shard-$i/err.txt"; }
      sleep 0.3
    done
  done
  until reached="$(sql "$(http_port 1)" "SELECT count() FROM cluster('$cluster', system, one)")" && [ "$reached" = "$shards" ]; do
    [ "$SECONDS" -lt "$deadline" ] || { stop >/dev/null 2>&1 || true; die "the entry node does not reach all $shards shards" "see $dir/shard-1/err.txt"; }
    sleep 0.3
  done
  echo "ClickHouse cluster '$cluster': $shards shards under $dir" >&2
  url
}

stop() {
  [ -d "$dir" ] || die "no cluster directory $dir" "pass the DIR given to start"
  dir="$(cd "$dir" && pwd)"
  local shard_dir pid stopped=0 waited
  for shard_dir in "$dir"/shard-*; do
    [ -d "$shard_dir" ] || continue
    if pid="$(our_pid "$shard_dir")"; then
      kill -TERM "$pid" 2>/dev/null || true
      for ((waited = 0; waited < 150; waited++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
      done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
      stopped=$((stopped + 1))
    fi
    rm -f "$shard_dir/server.pid"
  done
  echo "stopped $stopped server(s) under $dir" >&2
}

status() {
  [ -d "$dir" ] || die "no cluster directory $dir" "pass the DIR given to start"
  dir="$(cd "$dir" && pwd)"
  local i
  for ((i = 1; i <= shards; i++)); do
    our_pid "$dir/shard-$i" >/dev/null || die "shard $i under $dir is not running" "run: $0 start $dir"
  done
  url
}

case "$command" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
