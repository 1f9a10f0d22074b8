#!/usr/bin/env bash
# Builds the rendering engine, hydrate/ (Helm and Kustomize compiled to WebAssembly for
# WASI), into dist/hydrate/hydrate.wasm and prints that path. src/hydrate/engine.ts loads
# it at run time (the App, the CLI and the tests).
#
# Go builds it from the pinned modules in hydrate/go.mod (helm.sh/helm/v3 and
# sigs.k8s.io/kustomize/api, the versions package.json config.helmVersion and
# config.kustomizeApiVersion name; checked here) through the Go module proxy; nothing
# else is downloaded. The result is cached by a hash of hydrate/'s sources and the Go
# version under ~/.cache/gitops-gate/hydrate/, so a rebuild of an unchanged engine is a copy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/hydrate"
out="$root/dist/hydrate/hydrate.wasm"
helm_version="$(node -p "require('$root/package.json').config.helmVersion")"
kustomize_api_version="$(node -p "require('$root/package.json').config.kustomizeApiVersion")"

grep -q "^[[:space:]]*helm.sh/helm/v3 v$helm_version\$" "$src/go.mod" ||
  { echo "ensure-hydrate: hydrate/go.mod does not require helm.sh/helm/v3 v$helm_version (package.json config.helmVersion)" >&2; exit 1; }
grep -q "^[[:space:]]*sigs.k8s.io/kustomize/api v$kustomize_api_version\$" "$src/go.mod" ||
  { echo "ensure-hydrate: hydrate/go.mod does not require sigs.k8s.io/kustomize/api v$kustomize_api_version (package.json config.kustomizeApiVersion)" >&2; exit 1; }

command -v go >/dev/null 2>&1 || { echo "ensure-hydrate: need Go (1.26 or later) to build hydrate.wasm" >&2; exit 1; }
go_version="$(GOTOOLCHAIN=local go env GOVERSION)"
key="$( { echo "$go_version"; cd "$src" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort | xargs sha256sum; } | sha256sum | cut -c1-16)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gitops-gate/hydrate/$key"

if [ ! -s "$cache/hydrate.wasm" ]; then
  echo "ensure-hydrate: building hydrate.wasm (helm v$helm_version, kustomize api v$kustomize_api_version, $go_version; once per source change, cached in $cache)" >&2
  mkdir -p "$cache"
  tmp="$cache/hydrate.wasm.tmp.$$"
  (cd "$src" && GOOS=wasip1 GOARCH=wasm GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
    go build -buildmode=c-shared -trimpath -ldflags="-s -w" -o "$tmp" .) >&2
  mv "$tmp" "$cache/hydrate.wasm"
fi
mkdir -p "$(dirname "$out")"
if ! cmp -s "$cache/hydrate.wasm" "$out" 2>/dev/null; then
  # Replace, never overwrite in place: a running process may be reading the old file.
  cp "$cache/hydrate.wasm" "$out.tmp.$$"
  mv -f "$out.tmp.$$" "$out"
fi
echo "$out"
