#!/usr/bin/env bash
# Issue 15's takeover figure: seconds from SIGKILL of an instance to every source it held
# claimed by another, over KILLS kills (mean and max), with three `windvane run` processes on a
# throwaway PostgreSQL (initdb in a temp folder, Unix socket only) and a loopback Weibo-format
# server (examples/takeover.rs). Debug builds: the figure is set by the lease TTL and the
# claim loop's poll, not by code speed.
# Usage: scripts/takeover.sh [kills] [lease_ttl_secs] [accounts]
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-10}"; ttl="${2:-60}"; accounts="${3:-60}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/windvane-takeover.XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
run_as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; run_as=(setpriv --reuid=postgres --regid=postgres --init-groups); fi
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U windvane --auth=trust -E UTF8 --no-locale >/dev/null
"${run_as[@]}" "$bin/postgres" -D "$dir/data" -k "$dir" -c listen_addresses= -c max_connections=50 \
    >"$dir/log" 2>&1 &
pid=$!
until [ -S "$dir/.s.PGSQL.5432" ]; do sleep 0.1; done
cargo build --locked --bin windvane --example takeover >/dev/null 2>&1
url="postgres://windvane@${dir//\//%2F}:5432/postgres"
target/debug/examples/takeover target/debug/windvane "$url" "$kills" "$ttl" "$accounts"
