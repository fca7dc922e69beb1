#!/usr/bin/env bash
# The test command: installs what the tests need, runs every test layer (the sandbox is started and stopped
# by the test run itself), and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

# Node 24 (the action's runtime) comes from the node@24 devDependency; npm puts it first on PATH in scripts.
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Debian packages the sandbox needs (registry, engine, buildah); installs only what is missing.
npm run -s sandbox -- install

report=$(mktemp -t vitest-report.XXXXXX.json)
trap 'rm -f "$report"' EXIT
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?

# A run that crashed before counting (e.g. the sandbox did not start) counts as one failure, never as green.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failed = r.numFailedTests + (Number(process.argv[2]) !== 0 && r.numFailedTests === 0 ? 1 : 0);
  const skipped = r.numPendingTests + r.numTodoTests;
  if (skipped) console.log(`${skipped} skipped (not counted as passed)`);
  console.log(`${r.numPassedTests} passed, ${failed} failed`);
' "$report" "$status" || { echo "0 passed, 1 failed"; exit 1; }
exit "$status"
