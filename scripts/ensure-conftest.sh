#!/usr/bin/env bash
# Prints the path of a conftest binary of the pinned version (package.json
# config.conftestVersion), for the benchmark (bench/check-vs-conftest.mjs). Built from its
# Go module when neither .tools/bin, PATH nor the cache has it. Nothing is downloaded from
# release pages: `go install` goes through the Go module proxy.
#
# `go install` leaves conftest's version variable at "dev" ("Conftest: dev"), so the build
# stamps it the way conftest's own release build does (-X .../internal/version.Version), and
# a binary counts as the pinned version when either its --version says so or its embedded
# Go build info names module github.com/open-policy-agent/conftest at that version.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('$root/package.json').config.conftestVersion")"
tools="$root/.tools/bin"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gitops-gate/tools/conftest-v$version"
module="github.com/open-policy-agent/conftest"

has_version() {
  [ -x "$1" ] || return 1
  "$1" --version 2>/dev/null | grep -q "^Conftest: v\?$version\$" && return 0
  command -v go >/dev/null 2>&1 &&
    go version -m "$1" 2>/dev/null | awk -v m="$module" -v v="v$version" '$1 == "mod" && $2 == m && $3 == v { found = 1 } END { exit !found }'
}

if has_version "$tools/conftest"; then echo "$tools/conftest"; exit 0; fi
if command -v conftest >/dev/null 2>&1 && has_version "$(command -v conftest)"; then command -v conftest; exit 0; fi
mkdir -p "$tools"
if ! has_version "$cache/conftest"; then
  command -v go >/dev/null 2>&1 || { echo "ensure-conftest: need Go to build conftest v$version (or put conftest v$version on PATH)" >&2; exit 1; }
  echo "ensure-conftest: building conftest v$version from its Go module (once; cached in $cache)" >&2
  mkdir -p "$cache"
  GOBIN="$cache" GOFLAGS=-mod=mod go install -ldflags "-X $module/internal/version.Version=$version" "$module@v$version" >&2
fi
# Copy only when it changed: overwriting a binary that is running fails ("text file busy").
cmp -s "$cache/conftest" "$tools/conftest" 2>/dev/null || cp "$cache/conftest" "$tools/conftest"
echo "$tools/conftest"
