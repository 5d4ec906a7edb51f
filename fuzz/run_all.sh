#!/usr/bin/env bash
# Runs every fuzz target for SECS seconds each (default 300), seeding each corpus from the
# repository's fixtures, and prints one line per target: runs, coverage, corpus size, crashes.
# Usage: [MAX_LEN=bytes] [SANITIZER=none|address] fuzz/run_all.sh [SECS] [TARGET...]
# (MAX_LEN: largest mutated input)
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-300}; shift || true
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(pdf docx xlsx zip html text recognise)
fx=../tests/fixtures
# Built once, then the binaries run directly (sources edited meanwhile do not trigger rebuilds).
# SANITIZER=address for ASan; the default, none, runs 3-10x faster, and safe Rust's bugs are
# panics, hangs and memory blow-ups, which libFuzzer catches without it.
RUSTC_BOOTSTRAP=1 cargo +nightly fuzz build --release --sanitizer "${SANITIZER:-none}" || exit 1
bin=target/x86_64-unknown-linux-gnu/release
seed() { mkdir -p "corpus/$1"; shift; for f in "$@"; do [ -f "$f" ] && cp -n "$f" "corpus/${t}/" 2>/dev/null; done; }
for t in "${targets[@]}"; do
  case $t in
    pdf) seed pdf $fx/pdf/*.pdf $fx/bad/*.pdf ;;
    docx) seed docx $fx/office/*.docx $fx/bad/*.docx ;;
    xlsx) seed xlsx $fx/office/*.xlsx $fx/office/*.ods $fx/office/*.xls $fx/bad/*.xlsx ;;
    zip) seed zip $fx/web/*.zip $fx/web/hostile/*.zip ;;
    html) seed html $fx/web/*.html $fx/real/*.html $fx/bad/*.html ;;
    text|recognise) seed "$t" $fx/seeds/* ;;
  esac
  log="artifacts/$t-$(date +%Y%m%d-%H%M).log"; mkdir -p artifacts "artifacts/$t"
  # Each log line is prefixed with the seconds since start, so the log shows when coverage
  # last grew: the plateau a long run is meant to reach.
  "$bin/$t" "corpus/$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len="${MAX_LEN:-1048576}" \
    -artifact_prefix="artifacts/$t/" 2>&1 | awk -v t0="$(date +%s)" '{ print systime() - t0 "s " $0; fflush() }' >"$log"
  last=$(grep -E '^[0-9]+s #[0-9]+' "$log" | tail -1)
  grew=$(awk '$2 ~ /^#[0-9]+/ { for (i = 3; i < NF; i++) if ($i == "cov:" && $(i+1) + 0 > c) { c = $(i+1) + 0; at = $1 } }
              END { print (at ? "cov " c " last grew at " at : "no coverage lines") }' "$log")
  crashes=$(ls "artifacts/$t" | grep -c -E '^(crash|timeout|oom|leak|slow-unit)-' || true)
  echo "$t: ${secs}s; ${grew}; last status: ${last:-none}; crashes/timeouts/ooms: $crashes"
done
