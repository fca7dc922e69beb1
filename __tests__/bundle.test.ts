import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).pathname;
/** A step of the bundle that fails early; the test waits for it, however slow the machine. */
const STEP_MS = 60_000;

/** Runs the bundled action the way the runner does: INPUT_* variables and the file commands. */
function runDist(inputs: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox\n');
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary' };
  const fileEnv = Object.fromEntries(
    Object.entries(files).map(([k, f]) => {
      writeFileSync(path.join(dir, f), '');
      return [k, path.join(dir, f)];
    }),
  );
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GITHUB_SHA: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    // Only 127.0.0.1: a closed port for every AWS endpoint, no instance-metadata lookup for credentials.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    ...fileEnv,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  try {
    const result = spawnSync(process.execPath, [dist], { cwd: dir, env, encoding: 'utf8', timeout: STEP_MS });
    return { ...result, state: readFileSync(fileEnv.GITHUB_STATE!, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the bundled action', () => {
  it(
    'fails once, with the input named, when a required input is missing',
    { timeout: STEP_MS + 5000 },
    () => {
      const r = runDist({ 'aws-region': 'eu-west-1' });
      expect(r.status).toBe(1);
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      expect(errors).toEqual([
        '::error::Input "repository": is required. Set it to the ECR repository name, e.g. my-app (or set image to deploy an existing image).',
      ]);
    },
  );

  it('reports every bad input, one annotation each', { timeout: STEP_MS + 5000 }, () => {
    const r = runDist({
      repository: 'My App',
      'aws-region': 'eu-west-1a',
      timeout: '30x',
      file: 'Dockerfile.prod',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      '::warning::"file" is not an input of this action and is ignored. Did you mean "dockerfile"?',
    );
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors.map((l) => /^::error::Input "([a-z-]+)"/.exec(l)?.[1])).toEqual([
      'aws-region',
      'repository',
      'timeout',
    ]);
  });

  it('records that the post step comes next', { timeout: STEP_MS + 5000 }, () => {
    const r = runDist({ repository: 'my-app', 'aws-region': 'eu-west-1' });
    expect(r.error).toBeUndefined();
    expect(r.state).toMatch(/^isPost<<.*\ntrue\n/);
  });

  it("carries src/actions-core.ts, not the toolkit's HTTP client: no undici in any chunk", () => {
    const dir = path.dirname(dist);
    const chunks = readdirSync(dir).filter((f) => f.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(1);
    for (const f of chunks) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/undici/i);
      expect(text, f).not.toContain('actions/oidc-client');
    }
    // The entry holds the runner and the step loader only; everything else is loaded when used.
    expect(statSync(dist).size).toBeLessThan(64 * 1024);
  });
});
