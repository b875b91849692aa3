#!/usr/bin/env bash
# Fuzz every parser of outside input with cargo-fuzz (libFuzzer; needs a nightly toolchain and
# `cargo install cargo-fuzz`). Usage: scripts/fuzz.sh [seconds per target, default 60] [targets…]
# Crashes land in scripts/fuzz/artifacts/<target>/; add each as a regression test (see
# tests/it/garbage.rs and the parser's own tests) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/fuzz"
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(weibo_json feeds_html time config)
fi
# Seed corpora from the test fixtures and the example config.
mkdir -p corpus/weibo_json corpus/feeds_html corpus/time corpus/config
cp ../../tests/fixtures/weibo/*.json corpus/weibo_json/ 2>/dev/null || true
find ../../tests/fixtures -name '*.html' -o -name '*.xml' | head -50 | xargs -r -I{} cp {} corpus/feeds_html/ || true
cp ../../config/example.toml ../../config/windvane.toml corpus/config/
printf 'Tue Apr 22 10:00:00 +0800 2025' > corpus/time/rfc
printf '昨天 12:30' > corpus/time/yesterday
printf '2025年4月3日' > corpus/time/cn
for t in "${targets[@]}"; do
    echo "== $t for ${secs}s"
    cargo +nightly fuzz run --fuzz-dir . "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 2>&1 | tail -n 5
done
