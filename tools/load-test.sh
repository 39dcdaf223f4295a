#!/usr/bin/env bash
# Load test of `flowcall serve` (not run in CI): tests/it/serve_load.rs, in release mode. Serves a
# copy of the newsletter example with the cooldown off, sends REQUESTS requests (default
# 10,000) from CONCURRENCY keep-alive clients (default 32), a mix of accepted and rejected
# payloads, and checks: no 5xx, no transport error, runs recorded (GET /stats and the shutdown
# summary) equal to the 202 answers. Prints throughput and p50/p99/max latency.
# Usage: [REQUESTS=N] [CONCURRENCY=C] tools/load-test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec cargo test --release --no-default-features --manifest-path "$root/Cargo.toml" \
  --test it serve_load:: -- --ignored --nocapture
