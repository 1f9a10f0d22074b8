#!/usr/bin/env bash
# Installs the npm parsers that bench/format-parsers.mjs weighs against conftest's own Go
# parsers compiled to WebAssembly (docs/decisions/0007-input-formats.md), in a folder outside
# the repository (default /tmp/format-eval; FORMAT_EVAL overrides): they are candidates under
# measurement, not dependencies. The most used npm parser of each format that has one.
set -euo pipefail
dir="${FORMAT_EVAL:-/tmp/format-eval}"
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact \
  smol-toml@1.9.1 ini@7.0.0 fast-xml-parser@5.12.1 dotenv@18.0.10 properties-file@5.0.7 \
  @pushcorn/hocon-parser@1.3.1 edn-data@1.2.2 jsonc-parser@3.3.1 parse-gitignore@2.0.0
echo "format-parsers setup: $dir ready"
