#!/usr/bin/env bash
# The issue-17 floors on the whole scanned sets (too slow for `cargo test`, which reads a subset:
# tests/ocr.rs): clean300 F1 >= 0.99 and office200 F1 >= 0.97 against the gold, strict scorer.
# Needs ../shared (corpus/scanned, gold, tools/score.py), tesseract (chi_sim) and pdftoppm.
# usage: benches/ocr_gold.sh [OUT_DIR]   (builds the release binary first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${GONGKAI_SHARED:-$root/../shared}
out=${1:-$(mktemp -d)}
cargo build --release --manifest-path "$root/Cargo.toml" -q
status=0
for set in clean300:0.99 office200:0.97; do
  name=${set%%:*} floor=${set##*:}
  "$root/target/release/gongkai" extract "$shared/corpus/scanned/$name" -o "$out/$name" --quiet --full --timeout-secs 3600 --fail-on none
  echo "$name (floor $floor):"
  python3 "$shared/tools/score.py" "$out/$name" "$shared/gold" | tail -1 || true  # exits 1 when one document is under its own floor
  python3 - "$out/$name" "$shared/gold" "$floor" <<'PY' || status=1
import subprocess, sys
out, gold, floor = sys.argv[1], sys.argv[2], float(sys.argv[3])
last = subprocess.run(["python3", sys.argv[2] + "/../tools/score.py", out, gold], capture_output=True, text=True).stdout.strip().splitlines()[-1]
f1 = float(last.split("f1=")[1].split()[0])
print(f"  overall F1 {f1:.4f} {'>=' if f1 >= floor else '<'} {floor}")
sys.exit(0 if f1 >= floor else 1)
PY
done
exit $status
