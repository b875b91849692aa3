#!/usr/bin/env bash
# Issue 15's coordinator figures: a throwaway PostgreSQL cluster (initdb in a temp folder,
# Unix socket only), then examples/lease_bench with 1, 2 and 4 instances, and the server's CPU
# time for each run. Usage: scripts/bench-cluster.sh [sources] [every_secs] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
sources="${1:-2000}"; every="${2:-5}"; secs="${3:-30}"
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/windvane-pgbench.XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
run_as=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; run_as=(setpriv --reuid=postgres --regid=postgres --init-groups); fi
"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U windvane --auth=trust -E UTF8 --no-locale >/dev/null
"${run_as[@]}" "$bin/postgres" -D "$dir/data" -k "$dir" -c listen_addresses= -c max_connections=50 \
    >"$dir/log" 2>&1 &
pid=$!
until [ -S "$dir/.s.PGSQL.5432" ]; do sleep 0.1; done
cargo build --release --locked --example lease_bench >/dev/null
# The server's CPU in clock ticks: the postmaster's own and its reaped backends' (utime,
# stime, cutime, cstime of /proc/PID/stat), plus the backends still alive.
server_cpu() {
    local t=0 p
    for p in "$pid" $(pgrep -P "$pid"); do
        [ "$p" = "$pid" ] && t=$((t + $(awk '{print $14+$15+$16+$17}' "/proc/$p/stat"))) \
            || t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
for n in 1 2 4; do
    db="bench$n"
    "$bin/psql" -q -h "$dir" -U windvane -d postgres -c "CREATE DATABASE $db" >/dev/null
    cpu0=$(server_cpu)
    target/release/examples/lease_bench "host=$dir port=5432 user=windvane dbname=$db" "$sources" "$every" "$secs" "$n"
    sleep 1  # the bench's backends exit and are reaped into the postmaster's child times
    cpu1=$(server_cpu)
    echo "  database CPU: $(( (cpu1 - cpu0) / $(getconf CLK_TCK) )) s over ${secs} s" 
done
