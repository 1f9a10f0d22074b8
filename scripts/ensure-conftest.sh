#!/usr/bin/env bash
# Prints the path of a conftest binary of the pinned version (package.json
# config.conftestVersion), for the benchmark. Built from its Go module when PATH does not
# have that version; `go install` stamps no version into conftest ("Conftest: dev"), so
# the cache folder records what it holds in a stamp file.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('$root/package.json').config.conftestVersion")"
tools="$root/.tools/bin"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gitops-gate/tools/conftest-v$version"

if command -v conftest >/dev/null 2>&1 && conftest --version 2>/dev/null | grep -q "^Conftest: v\?$version\$"; then
  command -v conftest; exit 0
fi
if [ ! -x "$cache/conftest" ] || [ "$(cat "$cache/.version" 2>/dev/null)" != "$version" ]; then
  command -v go >/dev/null 2>&1 || { echo "ensure-conftest: need Go to build conftest v$version (or put it on PATH)" >&2; exit 1; }
  echo "ensure-conftest: building conftest v$version from its Go module (once; cached in $cache)" >&2
  mkdir -p "$cache"
  GOBIN="$cache" GOFLAGS=-mod=mod go install "github.com/open-policy-agent/conftest@v$version" >&2
  echo "$version" > "$cache/.version"
fi
mkdir -p "$tools"
# Copy only when it changed: overwriting a binary that is running fails ("text file busy").
cmp -s "$cache/conftest" "$tools/conftest" 2>/dev/null || cp "$cache/conftest" "$tools/conftest"
echo "$tools/conftest"
