#!/usr/bin/env bash
# Installs the HCL parsers that bench/hcl-parsers.mjs compares with gitops-gate's own, in a
# folder outside the repository (default /tmp/hcl-eval; HCL_EVAL overrides): they are
# candidates under measurement, not dependencies (docs/decisions/0003-hcl-parser.md).
#   - @cdktn/hcl2json 0.24.0 (npm): hcl2json compiled to js/wasm by the CDK Terrain project
#   - web-tree-sitter 0.27.2 and @tree-sitter-grammars/tree-sitter-hcl 1.2.0 (npm), and the
#     native binding tree-sitter 0.25.1
#   - hashicorp/hcl/v2 v2.23.0 with tmccombs/hcl2json v0.6.7 (conftest v0.71.1's versions),
#     built with Go for GOOS=wasip1 from hcl2json-wasi.go, through the Go module proxy
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${HCL_EVAL:-/tmp/hcl-eval}"
mkdir -p "$dir/gowasm"
cd "$dir"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact \
  @cdktn/hcl2json@0.24.0 web-tree-sitter@0.27.2 @tree-sitter-grammars/tree-sitter-hcl@1.2.0 tree-sitter@0.25.1
cd gowasm
cp "$here/hcl2json-wasi.go" main.go
[ -f go.mod ] || go mod init hcleval >/dev/null 2>&1
go get github.com/tmccombs/hcl2json@v0.6.7 github.com/hashicorp/hcl/v2@v2.23.0 github.com/zclconf/go-cty@v1.16.2
go mod tidy
GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath -ldflags="-s -w" -o hcl2json.wasm .
echo "hcl-parsers setup: $dir ready"
