#!/usr/bin/env bash
# The demo: runs the action's main job against the embedded sandbox (no AWS account needed).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec node_modules/.bin/node scripts/demo.ts "$@"
