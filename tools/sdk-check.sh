#!/usr/bin/env bash
# Drives `flowcall serve` with Adobe's own Campaign Standard client for Node
# (tools/sdk-check/check.mjs, docs/API.md "Adobe's SDK"): installs @adobe/aio-lib-campaign-standard
# from the npm registry (tools/sdk-check/package-lock.json), starts the server on a free loopback
# port, runs the README's SDK snippet unchanged and the integration a content system runs (get
# the workflow, read the trigger href, trigger, the refusals, pause, queued trigger, resume, stop,
# start), each step asserting what the SDK returns, and prints `sdk: N of M steps passed`.
# Usage: tools/sdk-check.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/flowcall}
(cd tools/sdk-check && npm ci --no-audit --no-fund --loglevel=error)
# The SDK honours proxy variables; the server is on loopback.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"
node tools/sdk-check/check.mjs "$bin"
