#!/usr/bin/env bash
# The batch's distance from its floor in a measure that does not move with the machine's load
# (not run in CI): instructions per payload of `flowcall batch` and of the floor (the
# parse_jsonl example: reading the JSONL and parsing each line with serde_json), counted by
# valgrind's callgrind on one thread, with its simulated level-1 instruction-cache misses
# (code that does not fit the cache costs CPU time that instruction counts do not show).
# Start-up is included in both. Installs valgrind with apt-get when it is missing.
# Usage: tools/batch-instructions.sh PAYLOADS.jsonl [DESIGN.flow.ron WORKFLOW/SIGNAL]
# (README, "Batch speed", makes the payload file; the design defaults to file-to-audience.)
set -euo pipefail
cd "$(dirname "$0")/.."
payloads=${1:?usage: tools/batch-instructions.sh PAYLOADS.jsonl [DESIGN.flow.ron WORKFLOW/SIGNAL]}
design=${2:-examples/file-to-audience.flow.ron}
signal=${3:-WKF1/signal1}
[ -r "$payloads" ] || { echo "cannot read the payload file $payloads" >&2; exit 2; }
if ! command -v valgrind >/dev/null; then
  echo "installing valgrind with apt-get" >&2
  { apt-get install -y -qq valgrind || { apt-get update -qq && apt-get install -y -qq valgrind; }; } >/dev/null ||
    { echo "valgrind is needed: install it (apt-get install valgrind) and run this again" >&2; exit 2; }
fi
cargo build --quiet --release --no-default-features --bin flowcall --example parse_jsonl
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
lines=$(grep -c '[^[:space:]]' "$payloads" || true)
[ "$lines" -gt 0 ] || { echo "the payload file $payloads has no payload lines" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Prints "instructions I1-misses" of a command run under callgrind on one thread (a batch with
# rejected payloads exits 1: its counts are as good), or says why there are none.
count() {
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --cache-sim=yes --callgrind-out-file="$tmp/out" \
    "$@" >/dev/null 2>"$tmp/log" || true
  awk '/ I +refs:/ { gsub(",", "", $NF); i = $NF } / I1 +misses:/ { gsub(",", "", $NF); m = $NF }
       END { if (i == "") exit 1; print i, m }' "$tmp/log" ||
    { echo "no counts for $1: $(grep -v '^==' "$tmp/log" | head -3)" >&2; return 1; }
}

floor_counts=$(count "$target/release/examples/parse_jsonl" "$payloads")
batch_counts=$(count "$target/release/flowcall" batch "$design" --signal "$signal" \
  --payloads "$payloads" --out "$tmp/results.jsonl")
read -r floor floor_miss <<<"$floor_counts"
read -r batch batch_miss <<<"$batch_counts"
awk -v n="$lines" -v f="$floor" -v fm="$floor_miss" -v b="$batch" -v bm="$batch_miss" 'BEGIN {
  printf "%d payloads\n", n
  printf "floor: %.0f instructions per payload, %.1f L1i misses per payload\n", f / n, fm / n
  printf "batch: %.0f instructions per payload, %.1f L1i misses per payload\n", b / n, bm / n
  printf "batch / floor, instructions: %.2f\n", b / f
}'
