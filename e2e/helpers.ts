// Shared by the end-to-end tests: the sandbox's environment, unique names, workspaces, events.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import type { GithubEvent } from '../sandbox/run-action.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');

/** The sandbox's variables, as the global setup exported them. */
export function sandbox(): Record<string, string> {
  const names = Object.keys(process.env).filter((k) =>
    /^(AWS_|DOCKER_HOST$|CONTAINERS_|BUILDAH_|STORAGE_DRIVER$|NODE_EXTRA_CA_CERTS$|SANDBOX_)/.test(k),
  );
  return Object.fromEntries(names.map((k) => [k, process.env[k]!]));
}

let counter = 0;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
/** A fresh repository name per test, so tests never see each other's images. */
export function repoName(prefix: string): string {
  counter += 1;
  return `e2e/${prefix}-${RUN}-${counter}`;
}

const workspaces: string[] = [];
// Each test file imports this module afresh: its workspaces are removed when the file's tests are done.
afterAll(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A workspace holding the sample app (or the given Dockerfile instead of its own), removed after the file. */
export function workspace(dockerfile?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ws-'));
  workspaces.push(dir);
  cpSync(join(REPO_ROOT, 'examples', 'hello-app'), dir, { recursive: true });
  if (dockerfile) writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

/** A commit id whose first 7 characters (the sha- tag) are `n` in hex. */
export function sha(n: number): string {
  return n.toString(16).padStart(7, '0') + 'f27ae82c7b1a177c8d03f9e96e0adf246'.slice(0, 33);
}

export function tagPush(tag: string, commit: string): GithubEvent {
  return {
    name: 'push',
    ref: `refs/tags/${tag}`,
    sha: commit,
    payload: { ref: `refs/tags/${tag}`, after: commit, created: true, head_commit: { id: commit } },
  };
}

export function branchPush(branch: string, commit: string): GithubEvent {
  return {
    name: 'push',
    ref: `refs/heads/${branch}`,
    sha: commit,
    payload: { ref: `refs/heads/${branch}`, after: commit },
  };
}

export function errorsOf(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('::error::'));
}

export function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? walk(p) : [p];
  });
}

/**
 * A test's limit comes from what it waits for, not from a fixed budget: each run of the action ends by its
 * own deadlines — a wait of at most 2 minutes here (the tests' `timeout` input), as much again for a
 * rollback, and a build. A test may run the action twice.
 */
export const ACTION_RUN_MS = 2 * 2 * 60_000 + 3 * 60_000;
export const E2E_TEST_MS = 2 * ACTION_RUN_MS;
