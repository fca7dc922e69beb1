#!/usr/bin/env bash
# The test command: installs what the tests need, runs every test layer and ends with one line
# "N passed, N failed". The sandbox and end-to-end files mostly wait on simulated clocks, so they run in three
# lanes at once, each lane against its own sandbox (own state directory, ports, registry and Docker engine),
# started here and stopped on exit; inside a lane, files run one at a time as before.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# Node 24 (the action's runtime) comes from the node@24 devDependency; npm puts it first on PATH in scripts.
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
export PATH="$root/node_modules/.bin:$PATH"

# Debian packages the sandbox needs (registry, engine, buildah, jq); installs only what is missing.
npm run -s sandbox -- install

work=$(mktemp -d -t ecr-deploy-test.XXXXXX)
lanes="$root/.sandbox-lanes"
stop_lanes() {
  for lane in a b c; do
    [ -f "$lanes/$lane/state.json" ] && SANDBOX_DIR="$lanes/$lane" npm run -s sandbox -- stop >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap 'kill $(jobs -p) 2>/dev/null || true; stop_lanes' EXIT

# Lane a: the unit tests and the conformance judges (real kubectl, the AWS CLI: CPU-bound); lane b:
# the sandbox's own tests, the image pipeline (docker/buildah builds) and short e2e files; lane c: every other
# e2e file (new files land there by default).
B_FILES=(sandbox/__tests__/ e2e/image-path.test.ts e2e/image-reuse.test.ts e2e/cancel.test.ts e2e/ecs-preview.test.ts
  e2e/ecs-scaling.test.ts e2e/local-action.test.ts e2e/hardening-input.test.ts e2e/eks-preview.test.ts)
C_EXCLUDES=(--exclude 'sandbox/__tests__/**')
for f in "${B_FILES[@]:1}"; do C_EXCLUDES+=(--exclude "$f"); done

# One vitest run: its own JSON report and log; the exit status is kept, never fatal here.
vt() {
  local name=$1 lane=$2
  shift 2
  local status=0
  SANDBOX_DIR="$lanes/$lane" npx vitest run --reporter=default --reporter=json \
    --outputFile.json="$work/$name.json" "$@" >"$work/$name.log" 2>&1 || status=$?
  echo "$status" >"$work/$name.status"
}

lane() {
  local lane=$1
  shift
  mkdir -p "$lanes/$lane"
  if ! SANDBOX_DIR="$lanes/$lane" npm run -s sandbox -- start >"$work/start-$lane.log" 2>&1; then
    echo 1 >"$work/start-$lane.status"
    return
  fi
  "$@"
}

lane_a() {
  vt unit a --project unit
  vt conformance a --project conformance
}
lane_b() { vt sandbox-b b --project sandbox "${B_FILES[@]}"; }
lane_c() { vt sandbox-c c --project sandbox "${C_EXCLUDES[@]}"; }

lane a lane_a &
lane b lane_b &
lane c lane_c &
wait

for log in "$work"/start-*.log "$work"/unit.log "$work"/conformance.log "$work"/sandbox-*.log; do
  [ -f "$log" ] || continue
  echo "==== $(basename "$log" .log)"
  cat "$log"
done

# Every run counts; a run that crashed before counting (e.g. its sandbox did not start) counts as one failure.
node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".status"))) {
    const name = f.slice(0, -".status".length);
    const status = Number(fs.readFileSync(path.join(dir, f), "utf8"));
    const report = path.join(dir, `${name}.json`);
    if (!fs.existsSync(report)) { failed += 1; continue; }
    const r = JSON.parse(fs.readFileSync(report, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0);
    skipped += r.numPendingTests + r.numTodoTests;
  }
  if (skipped) console.log(`${skipped} skipped (not counted as passed)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
' "$work" || { status=$?; [ "$status" -eq 1 ] || echo "0 passed, 1 failed"; exit 1; }
