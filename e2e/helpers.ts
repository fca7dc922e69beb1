// Shared by the end-to-end tests: the sandbox's environment, unique names, workspaces, events.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { DIST, parseFileCommand, type GithubEvent } from '../sandbox/run-action.ts';

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
  // With or without annotation properties (`::error file=…,line=…::message`).
  return stdout.split('\n').filter((l) => /^::error( [^:]*)?::/.test(l));
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

/** A run of the bundled action started in the background, as the runner starts it, to be signalled. */
export interface RunningAction {
  readonly pid: number;
  readonly jobDir: string;
  readonly runnerTemp: string;
  /** The step's output so far. */
  stdout(): string;
  /** Sends `signal` to the step's process (what the runner does when a run is cancelled). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the process has ended, with its outputs and job summary. */
  readonly done: Promise<{
    readonly exitCode: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly outputs: Record<string, string>;
    readonly summary: string;
    readonly endedAt: number;
  }>;
}

/**
 * Starts dist/ as sandbox/run-action.ts runs it (INPUT_*, the file commands, an event payload), but without
 * waiting, so that a test can send it SIGINT. The job folder is removed after the test file.
 */
export function startAction(options: {
  readonly inputs: Record<string, string>;
  readonly event: GithubEvent;
  readonly workspace: string;
  readonly env: Record<string, string>;
}): RunningAction {
  const jobDir = mkdtempSync(join(tmpdir(), 'ecr-deploy-job-'));
  workspaces.push(jobDir);
  const runnerTemp = join(jobDir, 'runner-temp');
  const files = join(jobDir, 'files');
  for (const d of [runnerTemp, join(jobDir, 'home'), files]) mkdirSync(d, { recursive: true });
  const file = (name: string, text = '') => {
    const p = join(files, name);
    writeFileSync(p, text);
    return p;
  };
  const github = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: file('event.json', JSON.stringify(options.event.payload)),
    GITHUB_REF: options.event.ref,
    GITHUB_SHA: options.event.sha,
    GITHUB_REPOSITORY: 'octo-org/hello-app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: file('output'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_STEP_SUMMARY: file('summary'),
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    HOME: join(jobDir, 'home'),
  };
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
  const child = spawn(process.execPath, [DIST], {
    cwd: options.workspace,
    env: { PATH: process.env.PATH, ...options.env, ...github, ...inputs },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', () => undefined);
  const done = new Promise<Awaited<RunningAction['done']>>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const endedAt = Date.now();
      resolve({
        exitCode,
        signal,
        stdout,
        outputs: parseFileCommand(readFileSync(github.GITHUB_OUTPUT, 'utf8')),
        summary: readFileSync(github.GITHUB_STEP_SUMMARY, 'utf8'),
        endedAt,
      });
    });
  });
  return {
    pid: child.pid ?? 0,
    jobDir,
    runnerTemp,
    stdout: () => stdout,
    kill: (signal) => child.kill(signal),
    done,
  };
}

/** Processes (other than this one) whose command line or environment mentions `text`. */
export function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      let environ = '';
      try {
        environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      } catch {
        // another user's process
      }
      if (cmdline.includes(text) || environ.includes(text)) found.push(`${pid} ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Resolves once `probe` gives a value, polling every 100 ms; fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
