// The action's main job on the embedded sandbox: start it, run the bundled dist/ as the runner does on the
// sample app (a tag push of v1.0.0), print the outputs and the job summary, and stop what was started.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  startSandbox,
  stopSandbox,
  sandboxEnv,
  readState,
  isHealthy,
  defaultDir,
  REPO_ROOT,
} from '../sandbox/index.ts';
import { runAction } from '../sandbox/run-action.ts';

function headSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
  }
}

const dir = defaultDir();
const existing = readState(dir);
const reuse = existing !== undefined && (await isHealthy(existing));
console.log(reuse ? `Using the running sandbox in ${dir}` : `Starting the sandbox in ${dir} ...`);
const state = reuse ? existing : await startSandbox({ dir, log: (m) => console.log(`  ${m}`) });
let exitCode = 1;
try {
  const sha = headSha();
  const tag = process.env.DEMO_TAG ?? 'v1.0.0';
  console.log(`\n=== ecr-deploy (dist/index.js) — push of tag ${tag} at ${sha.slice(0, 7)} ===\n`);
  const run = await runAction({
    inputs: {
      repository: 'hello-app',
      'create-repository': 'true',
      context: 'examples/hello-app',
    },
    event: {
      name: 'push',
      ref: `refs/tags/${tag}`,
      sha,
      payload: {
        ref: `refs/tags/${tag}`,
        after: sha,
        created: true,
        head_commit: { id: sha, message: `Release ${tag}` },
        repository: { name: 'hello-app', full_name: 'octo-org/hello-app', default_branch: 'main' },
      },
    },
    workspace: REPO_ROOT,
    env: sandboxEnv(state),
    echo: true,
  });
  exitCode = run.main.exitCode || (run.post?.exitCode ?? 0);
  console.log('\n=== outputs ===');
  for (const [name, value] of Object.entries(run.outputs))
    console.log(`${name}: ${value.replace(/\n/g, ', ')}`);
  console.log('\n=== job summary ===');
  console.log(run.summary);
  console.log(
    `main step: exit ${run.main.exitCode} in ${(run.main.durationMs / 1000).toFixed(1)} s; post step: exit ${run.post?.exitCode}`,
  );
  console.log(`(job folder: ${join(run.jobDir)})`);
} finally {
  if (!reuse) {
    console.log('Stopping the sandbox ...');
    await stopSandbox(dir);
  }
}
process.exit(exitCode);
