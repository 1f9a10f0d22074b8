#!/usr/bin/env bash
# Quick start, step 1: install everything (npm packages, the pinned OPA, the rendering
# engine built from its pinned Go modules, redis-server for the tests), build, and
# run gitops-gate on the bundled examples.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The replica tests run two Apps on a real Redis: Debian's redis-server when it is missing.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "== installing redis-server (Debian's package) for the tests of several replicas"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi

echo "== installing npm packages"
npm ci --no-audit --no-fund
echo "== OPA $(node -p "require('./package.json').config.opaVersion")"
bash scripts/ensure-opa.sh
echo "== building TypeScript, the built-in policy bundle and the rendering engine (hydrate.wasm: Helm v$(node -p "require('./package.json').config.helmVersion"), Kustomize API v$(node -p "require('./package.json').config.kustomizeApiVersion"))"
npm run --silent build

echo "== gitops-gate check --data examples/parameters.yaml examples/good examples/bad"
status=0
node bin/gitops-gate.js check --data examples/parameters.yaml examples/good examples/bad || status=$?
# The bad examples are meant to be blocked: exit 1 (a deny) or 2 (a file that cannot be parsed).
if [ "$status" -eq 0 ]; then
  echo "setup: the bad examples passed, which means the policies are not working" >&2
  exit 1
fi
echo "== done: exit code $status from the check above is expected (the bad examples are blocked)"
