#!/usr/bin/env bash
# History at scale: the speed figures of issue 8, on a generated corpus.
#
#   scripts/bench-history.sh [POSTS] [WORKDIR]      (defaults: 1000000, $TMPDIR/windvane-bench)
#
# 1. generates POSTS posts in weibo-crawler CSV form (scripts/gen-corpus.py: real sentences
#    recombined with a fixed seed, ~6% trade signals; the same bytes every time);
# (a) `windvane import` of that CSV on one core (taskset -c 0): parse, classify, segment,
#     store with the search index;
# (b) `windvane reclassify` of every stored post under a new classifier version, both cores;
# (c) full-text search over the stored posts (examples/search_latency.rs: median and p95);
# (d) the daemon with 20 sources on a local server: start to first request, idle RSS
#     (scripts/bench-daemon.py), with an empty database and with the big one;
# (e) peak RSS of `windvane import` (GNU time's "Maximum resident set size") for the same posts
#     as CSV and as weibo-crawler JSON (one line, as the crawler writes it), each into a fresh
#     database: both are read a batch at a time, so both stay flat (< 200 MB) at any size.
# Nothing leaves 127.0.0.1. Uses $CARGO_TARGET_DIR when set.
set -euo pipefail

POSTS=${1:-1000000}
WORK=${2:-${TMPDIR:-/tmp}/windvane-bench}
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-target}

cargo build --release --quiet --bin windvane --example search_latency
BIN="$TARGET/release/windvane"
SEARCH="$TARGET/release/examples/search_latency"

mkdir -p "$WORK"
CORPUS="$WORK/corpus-$POSTS"
# weibo-crawler names its files <screen name>_<uid>.csv; import reads the uid from the name.
CSV="$CORPUS/bench_1000000001.csv"
if [ ! -s "$CSV" ]; then
    mkdir -p "$CORPUS"
    python3 scripts/gen-corpus.py --posts "$POSTS" --out "$CSV"
fi
echo "corpus: $CSV ($(du -h "$CSV" | cut -f1), md5 $(md5sum "$CSV" | cut -c1-12))"

rm -f "$WORK"/windvane.db "$WORK"/windvane.db-wal "$WORK"/windvane.db-shm
cat > "$WORK/windvane.toml" <<EOF
[store]
path = "windvane.db"
[daemon]
metrics_listen = "off"
EOF

now() { date +%s.%N; }
rate() { python3 -c "import sys; n,a,b=map(float,sys.argv[1:]); print(f'{n/(b-a):,.0f} posts/s over {b-a:.1f} s')" "$@"; }

echo
echo "(a) import on one core"
t0=$(now)
taskset -c 0 "$BIN" --config "$WORK/windvane.toml" import "$CSV" | tail -1
t1=$(now)
echo "    $(rate "$POSTS" "$t0" "$t1")"
echo "    database: $(du -h "$WORK/windvane.db" | cut -f1)"

echo
echo "(b) reclassify under a new classifier version, $(nproc) cores"
rm -rf "$WORK/signals"
cp -r config/signals "$WORK/signals"
# Same rules and weights under a version string no earlier run used: every post is due again.
sed -i "s/\"version\": \"model-/\"version\": \"bench$(date +%s)-model-/" "$WORK/signals/model.json"
cat > "$WORK/reclassify.toml" <<EOF
[store]
path = "windvane.db"
[daemon]
metrics_listen = "off"
[classifier]
signals_dir = "signals"
EOF
t0=$(now)
"$BIN" --config "$WORK/reclassify.toml" reclassify | tail -1
t1=$(now)
echo "    $(rate "$POSTS" "$t0" "$t1")"

echo
echo "(c) full-text search"
"$SEARCH" "$WORK/windvane.db" 20 | sed 's/^/    /'

echo
echo "(d) daemon idle with 20 sources"
python3 scripts/bench-daemon.py "$BIN" "$WORK/daemon-empty" | sed 's/^/    /'
python3 scripts/bench-daemon.py "$BIN" "$WORK/daemon-big" "$WORK/windvane.db" | sed 's/^/    /'

echo
echo "(e) import peak memory, CSV and weibo-crawler JSON of the same posts"
JSON="$CORPUS/bench_1000000001.json"
if [ ! -s "$JSON" ]; then
    python3 scripts/gen-corpus.py --posts "$POSTS" --format json --out "$JSON"
fi
for f in "$CSV" "$JSON"; do
    rm -f "$WORK"/windvane.db "$WORK"/windvane.db-wal "$WORK"/windvane.db-shm
    /usr/bin/time -v "$BIN" --config "$WORK/windvane.toml" import "$f" >/dev/null 2>"$WORK/time.txt"
    echo "    $(basename "$f"): $(grep -E 'Maximum resident' "$WORK/time.txt" | awk '{print int($NF/1024)}') MB peak, $(grep -E 'Elapsed' "$WORK/time.txt" | awk '{print $NF}')"
done
