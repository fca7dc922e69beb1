// Runs the bundled action exactly as the GitHub Actions runner does: INPUT_* variables, the file commands
// (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_STEP_SUMMARY), an event payload at GITHUB_EVENT_PATH,
// then the post step with the saved state as STATE_* variables. Used by the demo, the e2e tests and benchmarks.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IdentityControl } from './oidc/control-client.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const DIST = join(REPO_ROOT, 'dist', 'index.js');

export interface GithubEvent {
  readonly name: string;
  readonly ref: string;
  readonly sha: string;
  readonly payload: Record<string, unknown>;
}

export interface StepResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface ActionRun {
  readonly main: StepResult;
  /** The post step's result, when it has run (option `post`, or `runPost()`). */
  post: StepResult | undefined;
  /** Runs the post step now (what the runner does at the end of the job). */
  runPost(): Promise<StepResult>;
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  /** Variables the step exported for later steps (GITHUB_ENV). */
  readonly exported: Record<string, string>;
  readonly summary: string;
  /** The job's RUNNER_TEMP, HOME and workspace live under this folder. */
  readonly jobDir: string;
  readonly runnerTemp: string;
}

export interface RunActionOptions {
  readonly inputs: Record<string, string>;
  readonly event: GithubEvent;
  /** The checked-out repository (GITHUB_WORKSPACE and the working directory). */
  readonly workspace: string;
  /** The sandbox's variables (sandboxEnv) and anything else the job sets. */
  readonly env: Record<string, string>;
  /** Run the post step too (default true), as the runner does at the end of the job. */
  readonly post?: boolean;
  /** Echo the step's output while it runs. */
  readonly echo?: boolean;
  readonly jobDir?: string;
  /**
   * The job has `permissions: id-token: write`: ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN point at the sandbox's
   * OIDC issuer (SANDBOX_OIDC_URL in `env`), for a token with this job's repository, ref and event (and the
   * given environment or subject).
   */
  readonly oidc?: boolean | { readonly environment?: string; readonly sub?: string };
}

/** Parses a file written with the runner's `name<<delimiter` file-command format. */
export function parseFileCommand(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      result[name!] = value.join('\n');
    } else if (line.includes('=')) {
      result[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return result;
}

/**
 * What the runner shows of a step's output: `::add-mask::` commands are consumed, and every masked value is
 * printed as `***` from then on.
 */
export function createMaskingEcho(
  write: (text: string) => void,
  masks: string[] = [],
): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('::add-mask::')) {
        const value = line.slice('::add-mask::'.length).trim();
        if (value) masks.push(value);
        continue;
      }
      write(masks.reduce((l, m) => l.split(m).join('***'), line) + '\n');
    }
  };
}

function runStep(env: NodeJS.ProcessEnv, cwd: string, echo: boolean): Promise<StepResult> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [DIST], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const masks: string[] = [];
    const show = createMaskingEcho((t) => process.stdout.write(t), masks);
    const showErr = createMaskingEcho((t) => process.stderr.write(t), masks);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (echo) show(d.toString());
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (echo) showErr(d.toString());
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (echo) {
        show('\n');
        showErr('\n');
      }
      done({ exitCode: code ?? 1, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** What the runner gives a job allowed to ask for OIDC tokens. */
async function idTokenRequest(
  options: RunActionOptions,
  github: Record<string, string>,
): Promise<Record<string, string>> {
  const extra = typeof options.oidc === 'object' ? options.oidc : {};
  const { requestToken, requestUrl } = await new IdentityControl(
    options.env.SANDBOX_OIDC_URL,
    options.env.SANDBOX_CONTROL_URL,
  ).requestToken({
    repository: github.GITHUB_REPOSITORY!,
    ref: github.GITHUB_REF!,
    sha: github.GITHUB_SHA!,
    eventName: github.GITHUB_EVENT_NAME!,
    runId: github.GITHUB_RUN_ID!,
    runAttempt: github.GITHUB_RUN_ATTEMPT!,
    ...extra,
  });
  return { ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken };
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const jobDir = options.jobDir ?? mkdtempSync(join(tmpdir(), 'ecr-deploy-job-'));
  const runnerTemp = join(jobDir, 'runner-temp');
  const home = join(jobDir, 'home');
  const files = join(jobDir, 'files');
  for (const d of [runnerTemp, home, files]) mkdirSync(d, { recursive: true });
  const file = (name: string) => {
    const p = join(files, name);
    writeFileSync(p, '');
    return p;
  };
  const eventPath = join(files, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.event.payload));
  const github = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: eventPath,
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
    HOME: home,
  };
  const inputs = Object.fromEntries(
    Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
  const idToken = options.oidc ? await idTokenRequest(options, github) : {};
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...options.env,
    ...github,
    ...idToken,
    ...inputs,
  };
  const echo = options.echo ?? false;
  const main = await runStep(base, options.workspace, echo);
  const state = parseFileCommand(readFileSync(github.GITHUB_STATE, 'utf8'));
  const exported = parseFileCommand(readFileSync(github.GITHUB_ENV, 'utf8'));
  const run: ActionRun = {
    main,
    post: undefined,
    async runPost() {
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      run.post = await runStep(
        { ...base, ...stateEnv, GITHUB_STATE: file('post-state') },
        options.workspace,
        echo,
      );
      return run.post;
    },
    outputs: parseFileCommand(readFileSync(github.GITHUB_OUTPUT, 'utf8')),
    state,
    exported,
    summary: readFileSync(github.GITHUB_STEP_SUMMARY, 'utf8'),
    jobDir,
    runnerTemp,
  };
  if (options.post ?? true) await run.runPost();
  return run;
}
