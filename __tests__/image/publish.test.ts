// The build-and-push step with a recording runner (what each builder command gets: its own variables, the
// registry login), and the process runner handing those variables to a real child process.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandRunner, type CommandRunner } from '../../src/image/builder.ts';
import type { Command } from '../../src/image/build-command.ts';
import { buildAndPush, type BuildAndPushOptions } from '../../src/image/publish.ts';
import type { BuildInputs } from '../../src/image/types.ts';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'publish-test-'));
  dirs.push(d);
  return d;
};

/** Records every command and the variables it was given; `buildah push` writes its digest file. */
function recordingRunner() {
  const runs: { command: Command; env: Readonly<Record<string, string>> }[] = [];
  const runner: CommandRunner = {
    async run(command, options = {}) {
      runs.push({ command, env: options.env ?? {} });
      const digestFile = command.args[command.args.indexOf('--digestfile') + 1];
      if (command.command === 'buildah' && command.args[0] === 'push' && digestFile) {
        writeFileSync(digestFile, `${DIGEST}\n`);
      }
      const output =
        command.command === 'docker' && command.args[0] === 'push'
          ? `sha-1: digest: ${DIGEST} size: 528\n`
          : '';
      return { exitCode: 0, output };
    },
    probe: async () => true,
  };
  return { runner, runs };
}

function options(
  builder: BuildAndPushOptions['builder'],
  runner: CommandRunner,
  secrets: BuildInputs['secrets'],
): BuildAndPushOptions {
  const context = tempDir();
  return {
    build: {
      kind: 'build',
      repository: 'web',
      context,
      dockerfile: path.join(context, 'Dockerfile'),
      buildArgs: [],
      target: undefined,
      platforms: [],
      labels: [],
      provenance: false,
      builder: builder === 'buildx' ? 'auto' : builder,
      secrets,
      cache: undefined,
      skipExisting: false,
    },
    extraLabels: [],
    repo: {
      name: 'web',
      registryId: '123456789012',
      uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web',
      host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      tagMutability: 'MUTABLE',
      exclusionFilters: [],
      created: false,
    },
    commitTag: 'sha-6113728',
    builder,
    runner,
    dockerConfig: '/runner/temp/docker-config',
    tempParent: tempDir(),
  };
}

describe('buildAndPush', () => {
  it('buildah: an inline secret reaches the build command through its environment, with the login', async () => {
    const { runner, runs } = recordingRunner();
    const digest = await buildAndPush(
      options('buildah', runner, [
        { id: 'token', source: { kind: 'value', value: 'inline-s3cret' } },
        { id: 'npm', source: { kind: 'env', name: 'NPM_TOKEN' } },
      ]),
    );
    expect(digest).toBe(DIGEST);
    const bud = runs.find((r) => r.command.args[0] === 'bud')!;
    // The variable the --secret flag names holds the value; the value itself is on no argument.
    const flag = bud.command.args.find((a) => a.startsWith('id=token,'))!;
    const variable = /env=([A-Z0-9_]+)/.exec(flag)![1]!;
    expect(bud.env[variable]).toBe('inline-s3cret');
    expect(bud.command.args.join(' ')).not.toContain('inline-s3cret');
    // An env: secret is read by the builder from the step's own environment: nothing to add.
    expect(bud.command.args).toContain('id=npm,env=NPM_TOKEN');
    expect(bud.env.NPM_TOKEN).toBeUndefined();
    for (const r of runs) expect(r.env.DOCKER_CONFIG).toBe('/runner/temp/docker-config');
  });

  it('docker (legacy builder): DOCKER_BUILDKIT=0 reaches the build, the login both commands', async () => {
    const { runner, runs } = recordingRunner();
    const digest = await buildAndPush(options('docker', runner, []));
    expect(digest).toBe(DIGEST);
    expect(runs.map((r) => `${r.command.command} ${r.command.args[0]}`)).toEqual([
      'docker build',
      'docker push',
    ]);
    expect(runs[0]!.env).toEqual({ DOCKER_BUILDKIT: '0', DOCKER_CONFIG: '/runner/temp/docker-config' });
    expect(runs[1]!.env).toEqual({ DOCKER_CONFIG: '/runner/temp/docker-config' });
  });

  it('a push that reports no digest fails, naming the image', async () => {
    const runner: CommandRunner = { run: async () => ({ exitCode: 0, output: '' }), probe: async () => true };
    await expect(buildAndPush(options('docker', runner, []))).rejects.toThrow(
      /The push of 123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/web:sha-6113728 did not report a manifest digest/,
    );
  });
});

describe('createCommandRunner', () => {
  it('gives the child only what it needs of the step environment, plus the command variables', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: '/home/runner',
      ECR_DEPLOY_TEST_STEP: 'from-the-step',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'INPUT_BUILD-SECRETS': 'token=hunter2',
      NAMED_BY_A_SECRET: 'passed-on',
    };
    const { exitCode, output } = await createCommandRunner({ env, stdout: sink(), stderr: sink() }).run(
      { command: 'sh', args: ['-c', 'env; printf "%s|%s" "$HOME" "$SECRET_VAR"'] },
      { env: { SECRET_VAR: 'given-by-the-command' }, pass: ['NAMED_BY_A_SECRET'] },
    );
    expect(exitCode).toBe(0);
    expect(output).toContain('/home/runner|given-by-the-command');
    expect(output).toContain('NAMED_BY_A_SECRET=passed-on');
    expect(output).not.toContain('from-the-step');
    expect(output).not.toContain('wJalrXUtnFEMI');
    expect(output).not.toContain('hunter2');
  });

  it('stops a running child and everything it started when the step is cancelled', async () => {
    const controller = new AbortController();
    const runner = createCommandRunner({
      env: { PATH: process.env.PATH },
      signal: controller.signal,
      stdout: sink(),
      stderr: sink(),
    });
    const pidFile = path.join(tempDir(), 'pid');
    // A shell whose own child (the sleep) would outlive it if only the shell were killed.
    const running = runner.run({ command: 'sh', args: ['-c', `sleep 30 & echo $! > ${pidFile}; wait`] });
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const sleeper = readFileSync(pidFile, 'utf8').trim();
    expect(alive(sleeper)).toBe(true);
    controller.abort();
    const { exitCode } = await running;
    expect(exitCode).not.toBe(0);
    await until(() => !alive(sleeper));
  });

  it('starts nothing once the step is cancelled, and a probe then fails', async () => {
    const controller = new AbortController();
    controller.abort();
    const runner = createCommandRunner({ env: { PATH: process.env.PATH }, signal: controller.signal });
    expect(await runner.probe('true', [])).toBe(false);
  });
});

function sink(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/** A process that exists and is not a zombie. */
function alive(pid: string): boolean {
  try {
    return !/^\S+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(condition()).toBe(true);
}
