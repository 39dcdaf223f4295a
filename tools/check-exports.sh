#!/usr/bin/env bash
# Exports every example and test design as BPMN and OpenAPI, then runs the external validators:
# bpmn-moddle + zeebe-bpmn-moddle + bpmnlint with bpmnlint-plugin-camunda-compat (Camunda 8.6 and 8.8)
# on the BPMN, and openapi-spec-validator (OpenAPI 3.1) on the OpenAPI documents.
# Installs the validators from the npm registry and PyPI. Usage: tools/check-exports.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/flowcall}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd tools/bpmn-check && npm ci --no-audit --no-fund --loglevel=error)
python3 -m pip install --quiet --disable-pip-version-check openapi-spec-validator 2>&1 | grep -v "Running pip as the 'root' user" || true

for f in examples/*.flow.ron tests/exports/*.flow.ron tests/life/*.flow.ron; do
  name=$(basename "$(dirname "$f")")-$(basename "$f" .flow.ron)
  "$bin" export "$f" --format bpmn --out "$tmp/$name.bpmn" 2>/dev/null
  "$bin" export "$f" --format openapi --out "$tmp/$name.openapi.json"
done
node tools/bpmn-check/check.mjs "$tmp"/*.bpmn
python3 -m openapi_spec_validator "$tmp"/*.openapi.json
echo "exports: every BPMN and OpenAPI document passed the external validators"
