#!/usr/bin/env bash
# Load test of `flowcall serve` (not run in CI): tests/it/serve_load.rs, in release mode. Serves a
# copy of the newsletter example with the cooldown off, sends batches of REQUESTS requests
# (default 10,000) from CONCURRENCY keep-alive clients (default 32), a mix of accepted and
# rejected payloads, alternately on flowcall's trigger path and on the reference's
# (/{organization}/campaign/...), ROUNDS batches each (default 5), and checks: no 5xx, no
# transport error, runs recorded (GET /stats and the shutdown summary) equal to the 202 answers,
# the reference path's median throughput within 10% of the native path's. Prints throughput and
# p50/p99/max latency per batch and the medians per path.
# Usage: [REQUESTS=N] [CONCURRENCY=C] [ROUNDS=R] tools/load-test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec cargo test --release --no-default-features --manifest-path "$root/Cargo.toml" \
  --test it serve_load:: -- --ignored --nocapture
