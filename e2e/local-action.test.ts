// GitHub's local action runner (@github/local-action) as a judge, against the sandbox. It loads an entry
// module in its own process, replaces @actions/core with its own implementation (inputs, outputs, state in
// memory, exported variables, summary), awaits the module's exported run(), then the post entry's run().
//
// It documents that it "supports non-transpiled action code only": an ncc bundle carries its own copy of
// @actions/core, which its stubs cannot reach. So the source entry is what it can judge (main and post in one
// process, through its @actions/core), and the bundle is run to record exactly where it stops.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFileCommand, runAction } from '../sandbox/run-action.ts';
import { E2E_TEST_MS, branchPush, repoName, sandbox, sha } from './helpers.ts';
import { describeService, ecsService } from './ecs.ts';
import { registryTags } from './registry.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const LOCAL_ACTION = join(REPO_ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');

interface Job {
  readonly dir: string;
  readonly workspace: string;
  readonly runnerTemp: string;
  readonly files: Record<'output' | 'state' | 'env' | 'summary' | 'event', string>;
}

const jobs: string[] = [];
afterEach(() => {
  // The job folders hold the workspace and, when a post step did not run, a registry login.
  for (const dir of jobs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newJob(): Job {
  const dir = mkdtempSync(join(tmpdir(), 'ecr-deploy-job-'));
  jobs.push(dir);
  const workspace = join(dir, 'workspace');
  const runnerTemp = join(dir, 'runner-temp');
  for (const d of [runnerTemp, join(dir, 'home'), join(dir, 'files')]) mkdirSync(d, { recursive: true });
  cpSync(join(REPO_ROOT, 'examples', 'hello-app'), workspace, { recursive: true });
  const files = {
    output: join(dir, 'files', 'output'),
    state: join(dir, 'files', 'state'),
    env: join(dir, 'files', 'env'),
    summary: join(dir, 'files', 'summary'),
    event: join(dir, 'files', 'event.json'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return { dir, workspace, runnerTemp, files };
}

/** local-action reads the job's variables from a dotenv file; only one-line values fit that format here. */
function dotenv(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([k, v]) => {
      if (/["'\n\\]/.test(v)) throw new Error(`${k}: a dotenv value here must be one line without quotes`);
      return `${k}=${v}\n`;
    })
    .join('');
}

interface LocalActionRun {
  readonly exitCode: number;
  readonly stdout: string;
  /** The outputs local-action's @actions/core received (its `::set-output` lines). */
  readonly outputs: Record<string, string>;
}

/** `::set-output name=x::value` lines; a multi-line value continues until the next `::` line or a blank. */
function setOutputLines(stdout: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  let current: string | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^::set-output name=([^:]+)::(.*)$/.exec(line);
    if (m) {
      current = m[1]!;
      outputs[current] = m[2]!;
    } else if (current && line !== '' && !line.startsWith('::')) outputs[current] += `\n${line}`;
    else current = undefined;
  }
  return outputs;
}

/**
 * `local-action <repo> <entry> <dotenv> --post <post>`, from the repository root as a developer runs it. The
 * sandbox's credentials reach it through the process environment, never through the dotenv file.
 */
async function localAction(options: {
  job: Job;
  entry: string;
  post: string;
  inputs: Record<string, string>;
  event: ReturnType<typeof branchPush>;
}): Promise<LocalActionRun> {
  const { job, event } = options;
  writeFileSync(job.files.event, JSON.stringify(event.payload));
  const envFile = join(job.dir, 'local-action.env');
  writeFileSync(
    envFile,
    dotenv({
      ...Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: job.files.event,
      GITHUB_REF: event.ref,
      GITHUB_SHA: event.sha,
      GITHUB_REPOSITORY: 'octo-org/hello-app',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_WORKSPACE: job.workspace,
      GITHUB_OUTPUT: job.files.output,
      GITHUB_STATE: job.files.state,
      GITHUB_ENV: job.files.env,
      GITHUB_STEP_SUMMARY: job.files.summary,
      RUNNER_TEMP: job.runnerTemp,
      RUNNER_OS: 'Linux',
      HOME: join(job.dir, 'home'),
    }),
  );
  // local-action runs `npm exec tsx …` with the first `node` on PATH: the Node 24 that runs this test.
  const PATH = [dirname(process.execPath), join(REPO_ROOT, 'node_modules', '.bin'), process.env.PATH].join(
    ':',
  );
  const env = { PATH, HOME: process.env.HOME ?? job.dir, FORCE_COLOR: '0', ...sandbox() };
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [LOCAL_ACTION, REPO_ROOT, options.entry, envFile, '--post', options.post],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ exitCode: code ?? 1, stdout, outputs: setOutputLines(stdout) }));
  });
}

/**
 * src/index.ts as local-action needs an entry: its one statement, `await runAction({ main, post })`, exported
 * as `run()` instead of executed on import (runAction tells main from post by saved state). Written beside
 * a package.json of type module, so local-action loads it as ESM and stubs the repository's @actions/core.
 */
function sourceEntry(job: Job): string {
  const source = readFileSync(join(REPO_ROOT, 'src', 'index.ts'), 'utf8');
  const call = /^await runAction\(/m;
  if (!call.test(source)) throw new Error('src/index.ts no longer has its `await runAction(` call');
  const dir = join(job.dir, 'entry');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const entry = join(dir, 'index.ts');
  writeFileSync(
    entry,
    source
      .replace(
        /(['"])\.\/([\w/.-]+\.ts)\1/g,
        (_m, q: string, p: string) => `${q}${join(REPO_ROOT, 'src', p)}${q}`,
      )
      .replace(call, 'export const run = (): Promise<void> => runAction('),
  );
  return entry;
}

function dockerConfigs(job: Job): string[] {
  return readdirSync(job.runnerTemp).filter((n) => n.startsWith('ecr-deploy-docker-'));
}

describe("GitHub's local-action runs the action against the sandbox", { timeout: E2E_TEST_MS }, () => {
  it('source entry: main builds and pushes, outputs go through local-action, post removes the login', async () => {
    const job = newJob();
    const repository = repoName('local-action');
    const commit = sha(0x1a1);
    const entry = sourceEntry(job);
    const run = await localAction({
      job,
      entry,
      post: entry,
      inputs: { repository, 'create-repository': 'true', builder: 'docker', context: job.workspace },
      event: branchPush('main', commit),
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).not.toMatch(/^::error/m);
    // Both steps ran, in one process, in order.
    const main = run.stdout.indexOf('Running Action');
    const post = run.stdout.indexOf('Running Post Step');
    expect(main).toBeGreaterThan(-1);
    expect(post).toBeGreaterThan(main);

    const host = process.env.SANDBOX_REGISTRY_HOST!;
    const digest = run.outputs['image-digest']!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs).toEqual({
      registry: host,
      'repository-uri': `${host}/${repository}`,
      'image-uri': `${host}/${repository}:main`,
      'image-digest': digest,
      'image-ref': `${host}/${repository}@${digest}`,
      tags: ['main', `sha-${commit.slice(0, 7)}`].join('\n'),
      'tag-refs': ['main', `sha-${commit.slice(0, 7)}`]
        .map((tag) => `${host}/${repository}:${tag}`)
        .join('\n'),
      json: expect.any(String),
      'image-reused': 'false',
    });
    const json = JSON.parse(run.outputs.json!) as { tags: string[]; labels: Record<string, string> };
    expect(json.tags).toEqual(run.outputs['tag-refs']!.split('\n'));
    expect(json.labels['org.opencontainers.image.revision']).toBe(commit);
    // What the registry really holds, not what the step said.
    const inRegistry = await registryTags(repository);
    expect([...inRegistry.keys()].sort()).toEqual(['main', `sha-${commit.slice(0, 7)}`]);
    for (const d of inRegistry.values()) expect(d).toBe(digest);
    // local-action's @actions/core took the outputs and the state: nothing went to the runner's files.
    expect(readFileSync(job.files.output, 'utf8')).toBe('');
    expect(readFileSync(job.files.state, 'utf8')).toBe('');

    // The post step found the login main saved (local-action keeps state in memory) and removed it.
    const removed = /Removed the temporary Docker config (\S+) \(registry login\)/.exec(
      run.stdout.slice(post),
    );
    expect(removed, run.stdout.slice(post)).not.toBeNull();
    expect(removed![1]!.startsWith(job.runnerTemp)).toBe(true);
    expect(existsSync(removed![1]!)).toBe(false);
    expect(dockerConfigs(job)).toEqual([]);
  });

  it('source entry: deploys to an ECS service and waits; the rollout outputs reach local-action', async () => {
    // An image in the repository for the service to run first, pushed by the bundle as the runner runs it.
    const repository = repoName('local-action-ecs');
    const host = process.env.SANDBOX_REGISTRY_HOST!;
    const built = await runAction({
      inputs: { repository, 'create-repository': 'true', tags: 'v1' },
      event: branchPush('main', sha(0x1a2)),
      workspace: newJob().workspace,
      env: sandbox(),
    });
    expect(built.main.exitCode, built.main.stdout).toBe(0);
    rmSync(built.jobDir, { recursive: true, force: true });
    const digest = built.outputs['image-digest']!;
    const f = await ecsService(`la-${Date.now().toString(36)}`, `${host}/${repository}:v1`);

    const job = newJob();
    const entry = sourceEntry(job);
    const run = await localAction({
      job,
      entry,
      post: entry,
      inputs: {
        image: `${host}/${repository}@${digest}`,
        'ecs-cluster': f.cluster,
        'ecs-service': f.service,
        timeout: '2m',
      },
      event: branchPush('main', sha(0x1a2)),
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).not.toMatch(/^::error/m);
    expect(run.outputs['rollout-status'], run.stdout).toBe('completed');
    expect(run.outputs['rolled-back']).toBe('false');
    expect(run.outputs['image-ref']).toBe(`${host}/${repository}@${digest}`);
    expect(run.outputs['previous-task-definition-arn']).toBe(f.taskDefinitionArn);
    const svc = await describeService(f.cluster, f.service);
    expect(svc.taskDefinition).toBe(run.outputs['task-definition-arn']);
    expect(svc.deployments!.find((d) => d.status === 'PRIMARY')!.id).toBe(run.outputs['deployment-id']);
    const results = JSON.parse(run.outputs.results!) as { name: string; status: string }[];
    expect(results.map((r) => [r.name, r.status])).toEqual([[`${f.cluster}/${f.service}`, 'completed']]);
    expect(run.stdout.indexOf('Running Post Step')).toBeGreaterThan(run.stdout.indexOf('Running Action'));
    expect(dockerConfigs(job)).toEqual([]);
  });

  it('bundle (dist/index.js): main runs on import, then local-action refuses it and never runs the post step', async () => {
    const job = newJob();
    const repository = repoName('local-action-dist');
    const commit = sha(0x1a3);
    const run = await localAction({
      job,
      entry: 'dist/index.js',
      post: 'dist/index.js',
      inputs: { repository, 'create-repository': 'true', builder: 'docker', context: job.workspace },
      event: branchPush('main', commit),
    });
    // What works: the bundle ran to its end when imported, with its own @actions/core (the runner's file
    // commands, not local-action's stubs), and its outputs match the registry.
    const outputs = parseFileCommand(readFileSync(job.files.output, 'utf8'));
    const inRegistry = await registryTags(repository);
    expect([...inRegistry.keys()].sort()).toEqual(['main', `sha-${commit.slice(0, 7)}`]);
    for (const d of inRegistry.values()) expect(d).toBe(outputs['image-digest']);
    expect(outputs['image-ref']).toBe(
      `${process.env.SANDBOX_REGISTRY_HOST}/${repository}@${outputs['image-digest']}`,
    );
    expect(run.outputs).toEqual({});
    // Where it stops: local-action then calls the module's run(), which the bundle does not export.
    expect(run.stdout).toContain(
      `Entrypoint ${join(REPO_ROOT, 'dist', 'index.js')} does not export a run() function`,
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.stdout).not.toContain('Running Post Step');
    // So the registry login main wrote stays behind (removed with the job folder after the test).
    expect(dockerConfigs(job)).toHaveLength(1);
  });
});
