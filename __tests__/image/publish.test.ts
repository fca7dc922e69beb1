// The build-and-push step with a recording runner (what each builder command gets: its own variables, the
// registry login), and the process runner handing those variables to a real child process.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  it('gives the child the step environment plus the command variables', async () => {
    process.env.ECR_DEPLOY_TEST_STEP = 'from-the-step';
    try {
      const { exitCode, output } = await createCommandRunner().run(
        { command: 'sh', args: ['-c', 'printf "%s|%s" "$ECR_DEPLOY_TEST_STEP" "$SECRET_VAR"'] },
        { env: { SECRET_VAR: 'given-by-the-command' } },
      );
      expect(exitCode).toBe(0);
      expect(output).toContain('from-the-step|given-by-the-command');
    } finally {
      delete process.env.ECR_DEPLOY_TEST_STEP;
    }
  });
});
