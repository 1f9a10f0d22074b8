#!/usr/bin/env bash
# Runs the pinned OPA with the given arguments.
set -euo pipefail
opa="$("$(dirname "${BASH_SOURCE[0]}")/ensure-opa.sh")"
exec "$opa" "$@"
