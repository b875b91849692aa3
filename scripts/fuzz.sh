#!/usr/bin/env bash
# Fuzz every parser of outside input with cargo-fuzz (libFuzzer; needs a nightly toolchain and
# `cargo install cargo-fuzz`). Usage: scripts/fuzz.sh [seconds per target, default 60] [targets…]
# Crashes land in scripts/fuzz/artifacts/<target>/; add each as a regression test (see
# tests/it/garbage.rs and the parser's own tests) before fixing it.
#
# Speed is part of the check: libFuzzer reports every unit that takes 1 s or more
# (`-report_slow_units=1`, saved as artifacts/<target>/slow-unit-*), and after each run every
# corpus input is run once more and the slowest is printed (`Executed … in N ms`), so a
# sub-second figure exists too. A unit over FUZZ_TIMEOUT seconds (default 10) is a crash.
# Targets run one after the other, each on one core.
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
    mkdir -p "artifacts/$t"
    cargo +nightly fuzz run --fuzz-dir . "$t" "corpus/$t" -- \
        -max_total_time="$secs" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" \
        -report_slow_units=1 -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
        >"artifacts/$t.log" 2>&1 || echo "!! $t stopped with a finding: see scripts/fuzz/artifacts/$t.log"
    grep -E '^Done [0-9]+ runs|Slowest unit|stat::number_of_executed_units|stat::slowest_unit_time_sec|ERROR|SUMMARY' \
        "artifacts/$t.log" | tail -n 8 || true
    # Every corpus input once more, timed (libFuzzer prints one line per file given).
    bin=$(find target -path "*/release/$t" -type f | head -n 1)
    if [ -n "$bin" ]; then
        find "corpus/$t" -type f -print0 | xargs -0 -r "$bin" -runs=1 2>&1 |
            sed -n 's/^Executed \(.*\) in \([0-9]*\) ms$/\2 \1/p' | sort -n | tail -n 1 |
            awk '{print "slowest corpus input: " $1 " ms (" $2 ")"}'
    fi
done
