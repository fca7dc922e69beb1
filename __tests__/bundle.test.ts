import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).pathname;

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
    ...fileEnv,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const result = spawnSync(process.execPath, [dist], { cwd: dir, env, encoding: 'utf8' });
  return { ...result, state: readFileSync(fileEnv.GITHUB_STATE!, 'utf8') };
}

describe('the bundled action', () => {
  it('fails once, with the input named, when a required input is missing', () => {
    const r = runDist({ 'aws-region': 'eu-west-1' });
    expect(r.status).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toEqual([
      '::error::Input "repository": is required. Set it to the ECR repository name, e.g. my-app (or set image to deploy an existing image).',
    ]);
  });

  it('records that the post step comes next', () => {
    const r = runDist({ repository: 'my-app', 'aws-region': 'eu-west-1' });
    expect(r.state).toMatch(/^isPost<<.*\ntrue\n/);
  });
});
