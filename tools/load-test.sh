#!/usr/bin/env bash
# Load test of `flowcall serve` (not run in CI). Serves a copy of the newsletter example with
# the cooldown off, sends REQUESTS requests (default 10,000) at CONCURRENCY connections
# (default 32) with wrk (tools/load-test.lua: a mix of accepted and rejected payloads), then
# checks: no 5xx, and the runs recorded (GET /stats, then the shutdown summary) equal the 202s.
# Usage: tools/load-test.sh   (needs wrk and curl; builds the release binary)
set -euo pipefail
REQUESTS=${REQUESTS:-10000}
CONCURRENCY=${CONCURRENCY:-32}
THREADS=${THREADS:-4}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
cargo build --release --no-default-features --manifest-path "$root/Cargo.toml" --bin flowcall >&2
bin=$target/release/flowcall
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
sed 's/trigger_cooldown: Seconds(600)/trigger_cooldown: Off/' \
  "$root/examples/cms-newsletter.flow.ron" >"$tmp/design.flow.ron"
"$bin" serve "$tmp/design.flow.ron" --addr 127.0.0.1:0 --token load >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$tmp/out" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$tmp/out" | head -1)
echo "server at $base; $REQUESTS requests, $CONCURRENCY connections, $THREADS threads"
wrk -t"$THREADS" -c"$CONCURRENCY" -d300s --timeout 10s -s "$root/tools/load-test.lua" "$base" \
  -- $((REQUESTS / THREADS)) | tee "$tmp/wrk"
stats=$(curl -sS -H 'Authorization: Bearer load' "$base/stats")
echo "stats: $stats"
kill -INT "$pid"
wait "$pid"
pid=
summary=$(tail -1 "$tmp/out")
echo "shutdown: $summary"
accepted=$(awk '/^status 202:/ {print $3}' "$tmp/wrk")
fivexx=$(awk '/^status 5[0-9][0-9]:/ {n += $3} END {print n + 0}' "$tmp/wrk")
runs=$(echo "$stats" | grep -o '"runs":[0-9]*' | cut -d: -f2)
echo "202 answers: ${accepted:-0}; runs recorded: $runs; 5xx: $fivexx"
if [ "$fivexx" -ne 0 ] || [ "${accepted:-0}" -ne "$runs" ] || ! grep -q "$runs runs recorded" <<<"$summary"; then
  echo "FAILED" >&2
  exit 1
fi
echo "OK"
