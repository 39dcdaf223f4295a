#!/usr/bin/env bash
# Runs the BPMN export of every example and test design on a BPMN engine and compares it with the
# simulator (tools/exec-check/check.mjs, docs/CAMUNDA.md "Execution check"): installs
# bpmn-engine, zeebe-bpmn-moddle and feelin from the npm registry
# (tools/exec-check/package-lock.json), then replays every accepted saved scenario and, with
# each FEEL condition negated in turn, checks that some scenario tells the broken export apart.
# Usage: tools/exec-check.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/flowcall}
(cd tools/exec-check && npm ci --no-audit --no-fund --loglevel=error)
node tools/exec-check/check.mjs --mutate "$bin" examples/*.flow.ron tests/exports/*.flow.ron tests/life/*.flow.ron
