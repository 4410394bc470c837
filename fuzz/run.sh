#!/bin/sh
# Runs every fuzz target for a bounded time (CI): `fuzz/run.sh [SECONDS]`.
# Uses cargo-fuzz when installed; otherwise builds the targets with the same
# nightly flags cargo-fuzz passes (coverage instrumentation, no sanitizer)
# and runs the libFuzzer binaries directly. Seeds: the repo's postmortems.
set -eu
cd "$(dirname "$0")"
secs="${1:-60}"
targets="parse_file front_matter timeline infer render_page"
for t in $targets; do
    mkdir -p "corpus/$t" "artifacts/$t"
    find ../content ../tests/fixtures -name '*.md' -size -64k -exec cp {} "corpus/$t/" \;
done
if cargo +nightly fuzz --version >/dev/null 2>&1; then
    for t in $targets; do
        cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -max_len=8192
    done
    exit 0
fi
triple=x86_64-unknown-linux-gnu
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
-Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing \
-Cdebug-assertions -Coverflow-checks" \
    cargo +nightly build --release --bins --target "$triple"
for t in $targets; do
    "./target/$triple/release/$t" "corpus/$t" -max_total_time="$secs" \
        -max_len=8192 -rss_limit_mb=2048 -artifact_prefix="artifacts/$t/"
done
