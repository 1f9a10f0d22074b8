#!/usr/bin/env bash
# Builds conftest's own parsers (wasm/conftest-parsers: conftest v0.71.1's parser packages,
# every dependency at the version conftest's go.mod pins) for GOOS=wasip1, and copies the two
# modules into dist/wasm/ (or the folder given as $1), where the runtime loads them:
#   conftest-parsers.wasm      every format but CUE
#   conftest-parsers-cue.wasm  CUE alone (31 MB of a single 43 MB build; loaded only for .cue)
# Built once per source and Go version, cached in ~/.cache/gitops-gate/wasm/. Nothing is
# downloaded but Go modules through the module proxy. Needs Go only (no Node), so the
# Dockerfile's Go stage runs it too. docs/decisions/0007-input-formats.md says why.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/wasm/conftest-parsers"
out="${1:-$root/dist/wasm}"

# The Go module must pin the conftest that package.json names (the parity tests build that one).
if [ -f "$root/package.json" ]; then
  want="$(sed -n 's/.*"conftestVersion": *"\([^"]*\)".*/\1/p' "$root/package.json")"
  grep -q "github.com/open-policy-agent/conftest v$want\$" "$src/go.mod" ||
    { echo "ensure-parsers-wasm: $src/go.mod does not require conftest v$want (package.json config.conftestVersion)" >&2; exit 1; }
fi
command -v go >/dev/null 2>&1 || { echo "ensure-parsers-wasm: need Go to build the parsers (see docs/decisions/0007-input-formats.md)" >&2; exit 1; }

key="$( { go version; cat "$src/go.mod" "$src/go.sum" "$src"/*.go; } | sha256sum | cut -c1-16)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/gitops-gate/wasm/conftest-parsers-$key"
if [ ! -f "$cache/conftest-parsers.wasm" ] || [ ! -f "$cache/conftest-parsers-cue.wasm" ]; then
  echo "ensure-parsers-wasm: building conftest's parsers for wasip1 (once; cached in $cache)" >&2
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/build.XXXXXX")"
  (
    cd "$src"
    export GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0
    go build -buildmode=c-shared -trimpath -ldflags="-s -w" -o "$tmp/conftest-parsers.wasm" .
    go build -buildmode=c-shared -trimpath -ldflags="-s -w" -tags cue -o "$tmp/conftest-parsers-cue.wasm" .
  ) >&2
  mv "$tmp"/*.wasm "$cache/"
  rmdir "$tmp"
fi
mkdir -p "$out"
for f in conftest-parsers.wasm conftest-parsers-cue.wasm; do
  cmp -s "$cache/$f" "$out/$f" 2>/dev/null || cp "$cache/$f" "$out/$f"
done
echo "$out"
