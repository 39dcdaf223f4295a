#!/usr/bin/env bash
# Checks flowcall's FEEL translations against a real FEEL interpreter: installs feelin from the
# npm registry (tools/feel-check/package-lock.json), then runs the ignored test that evaluates
# every function example, every documented choice and the cases of
# src/export/feel/interpreter_tests.rs with flowcall and, translated, with feelin, and fails on
# any disagreement. Usage: tools/feel-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
(cd tools/feel-check && npm ci --no-audit --no-fund --loglevel=error)
cargo test --no-default-features --lib export::feel::interpreter_tests -- --ignored --nocapture 2>&1 \
  | grep -v '^  untranslatable: '
