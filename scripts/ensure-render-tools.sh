#!/usr/bin/env bash
# Prints the paths of the `helm` and `kustomize` command lines of the pinned versions
# (package.json config.helmVersion and config.kustomizeVersion), one per line, for the
# rendering parity test (test/hydrate/parity.test.ts) only: gitops-gate itself renders
# with hydrate.wasm (scripts/ensure-hydrate.sh), never with these binaries.
#
# Built from their Go modules when neither .tools/bin nor the cache has them; nothing is
# downloaded from release pages (`go install` goes through the Go module proxy). The
# kustomize CLI version is the one whose go.mod requires the same sigs.k8s.io/kustomize/api
# as hydrate/go.mod (v5.8.2 requires api v0.21.2). A binary counts as the pinned version
# when its embedded Go build info names the module at that version.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
helm_version="$(node -p "require('$root/package.json').config.helmVersion")"
kustomize_version="$(node -p "require('$root/package.json').config.kustomizeVersion")"
tools="$root/.tools/bin"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/gitops-gate/tools"

command -v go >/dev/null 2>&1 || { echo "ensure-render-tools: need Go to build helm v$helm_version and kustomize v$kustomize_version" >&2; exit 1; }

has_module() { # binary module version
  [ -x "$1" ] && go version -m "$1" 2>/dev/null | awk -v m="$2" -v v="$3" '$1 == "mod" && $2 == m && $3 == v { found = 1 } END { exit !found }'
}

ensure() { # name module package version
  local name="$1" module="$2" package="$3" version="$4"
  local cache="$cache_root/$name-v$version"
  if ! has_module "$tools/$name" "$module" "v$version"; then
    if ! has_module "$cache/$name" "$module" "v$version"; then
      echo "ensure-render-tools: building $name v$version from its Go module (once; cached in $cache)" >&2
      mkdir -p "$cache"
      GOBIN="$cache" GOFLAGS="-mod=mod -trimpath" GOTOOLCHAIN=local go install "$package@v$version" >&2
    fi
    mkdir -p "$tools"
    # Copy only when it changed: overwriting a binary that is running fails ("text file busy").
    cmp -s "$cache/$name" "$tools/$name" 2>/dev/null || cp "$cache/$name" "$tools/$name"
  fi
  echo "$tools/$name"
}

ensure helm helm.sh/helm/v3 helm.sh/helm/v3/cmd/helm "$helm_version"
ensure kustomize sigs.k8s.io/kustomize/kustomize/v5 sigs.k8s.io/kustomize/kustomize/v5 "$kustomize_version"
