// Cold start and bundle size of dist/ (issue: image path benchmark). Numbers, with a baseline measured in the
// same run: bare `node -e 0` on the same Node binary.
//   node bench/cold-start.ts [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const RUNS = Number(process.argv[2] ?? 15);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const start = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, cwd, stdio: 'ignore' });
    child.on('error', fail);
    child.on('close', () => done(performance.now() - start));
  });
}

/** Spawns dist/ and returns the time until the first HTTP request reaches the fake endpoint. */
async function timeToFirstRequest(env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  let start = 0;
  let resolveFirst: (ms: number) => void = () => undefined;
  const first = new Promise<number>((r) => (resolveFirst = r));
  const server = createServer((req, res) => {
    resolveFirst(performance.now() - start);
    res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' }).end('{"__type":"InternalFailure"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  start = performance.now();
  const child = spawn(process.execPath, [join(DIST, 'index.js')], {
    env: {
      ...env,
      AWS_ENDPOINT_URL_ECR: `http://127.0.0.1:${port}`,
      AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}`,
    },
    cwd,
    stdio: 'ignore',
  });
  const ms = await first;
  child.kill('SIGKILL');
  server.close();
  return ms;
}

const work = mkdtempSync(join(tmpdir(), 'bench-cold-'));
writeFileSync(join(work, 'Dockerfile'), 'FROM busybox\n');
const baseEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: work,
  GITHUB_SHA: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_STATE: join(work, 'state'),
  GITHUB_OUTPUT: join(work, 'output'),
  RUNNER_TEMP: work,
};
for (const f of ['state', 'output']) writeFileSync(join(work, f), '');

const files = readdirSync(DIST).filter((f) => f.endsWith('.js'));
const total = files.reduce((n, f) => n + statSync(join(DIST, f)).size, 0);

const baseline: number[] = [];
const missingInput: number[] = [];
const firstRequest: number[] = [];
for (let i = 0; i < RUNS; i++) {
  baseline.push(await timeProcess(['-e', '0'], baseEnv, work));
  missingInput.push(await timeProcess([join(DIST, 'index.js')], baseEnv, work));
  firstRequest.push(
    await timeToFirstRequest(
      {
        ...baseEnv,
        INPUT_REPOSITORY: 'bench-app',
        'INPUT_AWS-REGION': 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        // No Docker engine or buildah answers here: the probes fail fast, as on a runner without them.
        DOCKER_HOST: `unix://${join(work, 'no-docker.sock')}`,
        INPUT_BUILDER: 'auto',
      },
      work,
    ),
  );
}

const b = median(baseline);
const m = median(missingInput);
const f = median(firstRequest);
console.log(`runs: ${RUNS} (medians), node ${process.version}`);
console.log(
  `bundle: ${(total / 1024 / 1024).toFixed(2)} MiB in ${files.length} files (${files.map((x) => `${x} ${(statSync(join(DIST, x)).size / 1024).toFixed(0)} KiB`).join(', ')})`,
);
console.log(`baseline node -e 0:                  ${b.toFixed(0)} ms`);
console.log(`start → failure on missing input:    ${m.toFixed(0)} ms  (${(m / b).toFixed(2)}× baseline)`);
console.log(`start → first AWS request:           ${f.toFixed(0)} ms  (${(f / b).toFixed(2)}× baseline)`);
