#!/usr/bin/env bash
# Builds flowcall (no designer) with profile-guided optimisation, for machines that run batches
# (not run in CI). The compiler first builds a binary that counts which code runs, that binary
# runs a training set (both examples' generated payloads, valid and invalid, as JSONL and CSV,
# through `batch`, and their saved scenarios through `test`), and the compiler builds again from
# those counts, with whole-program optimisation (`lto = "fat"`, one codegen unit): hot code
# together and cold code out of its way, which the batch needs (its code does not fit the
# instruction cache; README, "Batch speed"). About 7 minutes on 2 cores. Last, the optimised
# binary and the standard release binary run payloads the training did not see (another seed),
# and their results must be byte-identical.
# Needs an llvm-profdata of the compiler's LLVM version: `rustup component add llvm-tools`, or
# the distribution's `llvm-N` package where N is the major version `rustc -vV` prints.
# Usage: tools/pgo-build.sh [OUT]   (default: target/pgo/flowcall)
set -euo pipefail
cd "$(dirname "$0")/.."

host=$(rustc -vV | awk '/^host:/ { print $2 }')
llvm=$(rustc -vV | awk '/^LLVM version:/ { split($3, v, "."); print v[1] }')
[ -n "$host" ] && [ -n "$llvm" ] || { echo "rustc -vV names no host or LLVM version" >&2; exit 2; }

# The llvm-profdata that reads this compiler's profiles: the toolchain's own, or one of the
# same major version on the PATH.
profdata=""
for candidate in "$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata" \
  "llvm-profdata-$llvm" llvm-profdata; do
  if command -v "$candidate" >/dev/null 2>&1 &&
    "$candidate" --version 2>/dev/null | grep -q "LLVM version $llvm\."; then
    profdata=$candidate
    break
  fi
done
[ -n "$profdata" ] || {
  echo "no llvm-profdata of LLVM $llvm (rustc's): run \`rustup component add llvm-tools\`" \
    "or install the llvm-$llvm package, then run this again" >&2
  exit 2
}

target=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work="$target/pgo"
out=${1:-"$work/flowcall"}
profiles="$work/profiles"
count=20000
rm -rf "$profiles" "$work/data"
mkdir -p "$profiles" "$work/data"

# `--target` keeps the flags off build scripts and procedural macros: only flowcall is counted.
build() {
  CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 RUSTFLAGS="$1" \
    cargo build --quiet --release --no-default-features --bin flowcall \
    --target "$host" --target-dir "$2"
}

echo "building the standard release binary" >&2
cargo build --quiet --release --no-default-features --bin flowcall
standard="$target/release/flowcall"
echo "building the counting binary" >&2
build "-Cprofile-generate=$profiles" "$work/gen"
counting="$work/gen/$host/release/flowcall"

# Runs every example's payloads (seed $2, $1 each, 30% invalid, JSONL and CSV) through batch
# with binary $3, results and summaries under $4. A batch whose payloads do not all get the
# outcome they expect exits 1: its results are as good for training and comparing. Any other
# failure stops the build with the batch's own message.
payloads_through() {
  local count=$1 seed=$2 bin=$3 dir=$4
  mkdir -p "$dir"
  for pair in file-to-audience:WKF1/signal1 cms-newsletter:NEWSLETTER/signal1; do
    local name=${pair%%:*} signal=${pair#*:}
    for format in jsonl csv; do
      local input="$work/data/$name-$seed.$format"
      [ -f "$input" ] || "$standard" payloads "examples/$name.flow.ron" --signal "$signal" \
        --count "$count" --seed "$seed" --invalid 0.3 --format "$format" --out "$input" >/dev/null
      local code=0
      "$bin" batch "examples/$name.flow.ron" --signal "$signal" --payloads "$input" \
        --out "$dir/$name.$format.jsonl" >"$dir/$name.$format.txt" 2>&1 || code=$?
      if [ "$code" -gt 1 ]; then
        echo "$bin batch on $input failed (exit $code):" >&2
        cat "$dir/$name.$format.txt" >&2
        exit 1
      fi
    done
  done
}

echo "training" >&2
LLVM_PROFILE_FILE="$profiles/%m-%p.profraw" payloads_through "$count" 1 "$counting" "$work/train"
LLVM_PROFILE_FILE="$profiles/%m-%p.profraw" "$counting" test examples/*.flow.ron >/dev/null
"$profdata" merge -o "$work/merged.profdata" "$profiles"

echo "building the optimised binary" >&2
build "-Cprofile-use=$work/merged.profdata" "$work/use"

echo "comparing their results on payloads the training did not see" >&2
payloads_through "$count" 2 "$work/use/$host/release/flowcall" "$work/check-pgo"
payloads_through "$count" 2 "$standard" "$work/check-std"
diff -r "$work/check-std" "$work/check-pgo" >/dev/null || {
  echo "the optimised binary's results differ from the standard build's:" \
    "diff -r $work/check-std $work/check-pgo" >&2
  exit 1
}
mkdir -p "$(dirname "$out")"
cp "$work/use/$host/release/flowcall" "$out"
echo "$out: the same results and summaries as the standard build on $((4 * count)) payloads" \
  "(both examples, JSONL and CSV, seed 2)"
