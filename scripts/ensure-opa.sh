#!/usr/bin/env bash
# Prints the path of an OPA binary of the pinned version (package.json config.opaVersion),
# building it from its Go module when neither PATH nor the caches have it. Nothing is
# downloaded from release pages: `go install` goes through the Go module proxy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('$root/package.json').config.opaVersion")"
tools="$root/.tools/bin"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gitops-gate/tools/opa-v$version"

has_version() { [ -x "$1" ] && "$1" version 2>/dev/null | grep -q "^Version: v\?$version\$"; }

if has_version "$tools/opa"; then echo "$tools/opa"; exit 0; fi
if command -v opa >/dev/null 2>&1 && has_version "$(command -v opa)"; then command -v opa; exit 0; fi
mkdir -p "$tools"
if ! has_version "$cache/opa"; then
  command -v go >/dev/null 2>&1 || { echo "ensure-opa: need Go to build OPA v$version (or put opa v$version on PATH)" >&2; exit 1; }
  echo "ensure-opa: building OPA v$version from its Go module (once; cached in $cache)" >&2
  mkdir -p "$cache"
  GOBIN="$cache" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/opa@v$version" >&2
fi
cp "$cache/opa" "$tools/opa"
echo "$tools/opa"
