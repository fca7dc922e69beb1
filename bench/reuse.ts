// Reuse vs fresh build of the sample app, in one run against the sandbox (issue: image path, complete).
//   node bench/reuse.ts [runs]
// A fresh build gets a new commit and a new GREETING build-arg (so its RUN step really runs); a reuse run is
// the same commit again with a release tag, as in a release-on-tag pipeline after the main-branch build.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultDir, isHealthy, readState, sandboxEnv, startSandbox, stopSandbox } from '../sandbox/index.ts';
import { runAction } from '../sandbox/run-action.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.argv[2] ?? 3);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const dir = defaultDir();
const existing = readState(dir);
const reuse = existing !== undefined && (await isHealthy(existing));
const state = reuse ? existing : await startSandbox({ dir });
try {
  const ws = mkdtempSync(join(tmpdir(), 'bench-reuse-'));
  cpSync(join(ROOT, 'examples', 'hello-app'), ws, { recursive: true });
  const repository = `bench/reuse-${Date.now().toString(36)}`;
  const fresh: number[] = [];
  const reused: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const commit = `${(0xbe00 + i).toString(16).padStart(7, '0')}${'0'.repeat(33)}`;
    const inputs = {
      repository,
      'create-repository': 'true',
      'build-args': `GREETING=hello ${i} ${Date.now()}`,
    };
    const build = await runAction({
      inputs,
      event: { name: 'push', ref: 'refs/heads/main', sha: commit, payload: {} },
      workspace: ws,
      env: sandboxEnv(state),
    });
    if (build.main.exitCode !== 0 || build.outputs['image-reused'] !== 'false')
      throw new Error(build.main.stdout);
    fresh.push(build.main.durationMs);
    const again = await runAction({
      inputs,
      event: { name: 'push', ref: `refs/tags/v1.${i}.0`, sha: commit, payload: {} },
      workspace: ws,
      env: sandboxEnv(state),
    });
    if (again.main.exitCode !== 0 || again.outputs['image-reused'] !== 'true')
      throw new Error(again.main.stdout);
    reused.push(again.main.durationMs);
  }
  const f = median(fresh);
  const r = median(reused);
  console.log(
    `runs: ${RUNS} each (medians), sample app examples/hello-app, builder docker (legacy), sandbox registry`,
  );
  console.log(
    `fresh build + push + tags:     ${(f / 1000).toFixed(2)} s  (${fresh.map((x) => (x / 1000).toFixed(2)).join(', ')})`,
  );
  console.log(
    `reuse (same commit, new tags): ${(r / 1000).toFixed(2)} s  (${reused.map((x) => (x / 1000).toFixed(2)).join(', ')})`,
  );
  console.log(`reuse / fresh: ${(r / f).toFixed(2)} (${(f / r).toFixed(1)}× faster)`);
} finally {
  if (!reuse) await stopSandbox(dir);
}
