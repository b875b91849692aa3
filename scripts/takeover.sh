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
# shellcheck source=scripts/lib/temp-postgres.sh
source scripts/lib/temp-postgres.sh takeover
url="$pg_url"
cargo build --locked --bin windvane --example takeover >/dev/null 2>&1
target/debug/examples/takeover target/debug/windvane "$url" "$kills" "$ttl" "$accounts"
