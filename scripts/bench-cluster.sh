#!/usr/bin/env bash
# Issue 15's figures on a throwaway PostgreSQL cluster (initdb in a temp folder, Unix socket
# only), with the server's CPU time for each run:
#  1. the coordinator alone: examples/lease_bench with 1, 2 and 4 instances (claims and fenced
#     commits, no fetching);
#  2. real instances: examples/cluster_bench, `windvane run` ×1, 2, 4 fetching a loopback
#     Weibo-format server (one new trade post per answer: classified, indexed, stored, an alert
#     queued), and the same load on one process with SQLite beside it.
# Usage: scripts/bench-cluster.sh [sources] [every_secs] [seconds]
#        (part 2: REAL_ACCOUNTS, REAL_EVERY, REAL_SECS; default 2000 accounts every 60 s for 150 s;
#         REAL=0 skips it)
set -euo pipefail
cd "$(dirname "$0")/.."
sources="${1:-2000}"; every="${2:-5}"; secs="${3:-30}"
# shellcheck source=scripts/lib/temp-postgres.sh
source scripts/lib/temp-postgres.sh pgbench
bin="$pg_bin"; dir="$pg_dir"; pid="$pg_pid"
cargo build --release --locked --bin windvane --example lease_bench --example cluster_bench >/dev/null
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

[ "${REAL:-1}" = 0 ] && exit 0
accounts="${REAL_ACCOUNTS:-2000}"; revery="${REAL_EVERY:-60}"; rsecs="${REAL_SECS:-150}"
for n in 1 2 4; do
    db="real$n"
    "$bin/psql" -q -h "$dir" -U windvane -d postgres -c "CREATE DATABASE $db" >/dev/null
    cpu0=$(server_cpu)
    target/release/examples/cluster_bench target/release/windvane \
        "postgres://windvane@${dir//\//%2F}:5432/$db" "$accounts" "$revery" "$rsecs" "$n"
    sleep 1
    cpu1=$(server_cpu)
    echo "  database CPU: $(( (cpu1 - cpu0) / $(getconf CLK_TCK) )) s over ${rsecs} s"
done
target/release/examples/cluster_bench target/release/windvane sqlite "$accounts" "$revery" "$rsecs" 1
