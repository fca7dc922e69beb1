// Cancelling the bundled action as the runner does (SIGINT to the step's process), end to end against the
// sandbox: mid-build, mid-ECS and mid-EKS rollout, with and without rollback-on-cancel. Each ends within 5 s
// with `cancelled` outputs and summary, no process left behind and no build folder; and the children the
// step starts see none of its credentials or inputs.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { deployment, raw, testCluster, type TestCluster } from '../sandbox/__tests__/eks-helpers.ts';
import {
  E2E_TEST_MS,
  branchPush,
  errorsOf,
  eventually,
  processesMentioning,
  repoName,
  sandbox,
  sha,
  startAction,
  workspace,
  type RunningAction,
} from './helpers.ts';
import { describeService, ecsService } from './ecs.ts';

/** The runner sends SIGTERM 7.5 s after SIGINT; the step must have reported well before. */
const CANCEL_BOUND_MS = 5000;

let host: string;
let repository: string;
let digest: string;
const scratch = mkdtempSync(join(tmpdir(), 'cancel-e2e-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('cancel-app');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x500)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
});

afterEach(async () => {
  await new EcsSandboxControl().setTimeScale(0.02);
});

/** Sends SIGINT and waits for the step to end; checks what every cancel must leave. */
async function cancel(run: RunningAction) {
  const sentAt = Date.now();
  run.kill('SIGINT');
  const ended = await run.done;
  const tookMs = ended.endedAt - sentAt;
  // It ended by itself (exit code 1), not by the signal, with its last error line written.
  expect(ended.signal, ended.stdout).toBeNull();
  expect(ended.exitCode, ended.stdout).toBe(1);
  expect(tookMs, ended.stdout).toBeLessThan(CANCEL_BOUND_MS);
  expect(errorsOf(ended.stdout).at(-1)).toMatch(/^::error::The step was cancelled \(SIGINT\) while /);
  expect(ended.outputs['rollout-status']).toBe('cancelled');
  expect(ended.summary).toContain('🛑 cancelled');
  expect(ended.summary).toMatch(/### Cancelled\n\nThe step was cancelled \(SIGINT\) while /);
  // Nothing it started goes on: no process mentions the job (its files, its workspace) any more.
  expect(processesMentioning(run.jobDir)).toEqual([]);
  expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('ecr-deploy-build-'))).toEqual([]);
  return ended;
}

/** A `docker` first on PATH that records the environment it was started with, then runs the real one. */
function recordingDocker(): { dir: string; envs: () => string[] } {
  const dir = mkdtempSync(join(scratch, 'bin-'));
  const dumps = join(dir, 'envs');
  mkdirSync(dumps);
  const real = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'docker'), `#!/bin/sh\nenv > ${dumps}/$$.env\nexec ${real} "$@"\n`);
  chmodSync(join(dir, 'docker'), 0o755);
  return { dir, envs: () => readdirSync(dumps).map((f) => readFileSync(join(dumps, f), 'utf8')) };
}

describe('cancelling the step, end to end through dist/', { timeout: E2E_TEST_MS }, () => {
  for (const builder of ['docker', 'buildah']) {
    it(`SIGINT mid-build (${builder}): the build and its RUN stop, its folder goes, nothing is deployed`, async () => {
      const f = await ecsService(`cancel-build-${Date.now().toString(36)}`, `${host}/${repository}:v1`);
      const marker = `cancel-marker-${process.pid}-${Date.now().toString(36)}`;
      const run = startAction({
        inputs: {
          repository,
          builder,
          'skip-existing': 'false',
          'ecs-cluster': f.cluster,
          'ecs-service': 'web',
          timeout: '2m',
        },
        event: branchPush('main', sha(0x501)),
        workspace: workspace(`FROM busybox:latest\nRUN sleep 300 && echo ${marker}\n`),
        env: sandbox(),
      });
      await eventually('the RUN step to be running', () =>
        processesMentioning(marker).length > 0 ? true : undefined,
      );
      expect(readdirSync(run.runnerTemp).some((f) => f.startsWith('ecr-deploy-build-'))).toBe(true);
      const ended = await cancel(run);
      expect(ended.stdout).toMatch(
        /::error::The step was cancelled \(SIGINT\) while building and pushing the image: nothing was deployed/,
      );
      expect(JSON.parse(ended.outputs.results!)).toMatchObject([
        {
          name: `${f.cluster}/web`,
          status: 'cancelled',
          reason: expect.stringMatching(/nothing was changed/),
        },
      ]);
      expect((await describeService(f.cluster, 'web')).taskDefinition).toBe(f.taskDefinitionArn);
      // The engine stops the build's container once its client is gone (buildah: with buildah).
      await eventually(
        'the RUN step to stop',
        () => (processesMentioning(marker).length === 0 ? true : undefined),
        10_000,
      );
    });
  }

  it('gives children no AWS secret and no input: only what a builder needs', async () => {
    const docker = recordingDocker();
    const env: Record<string, string> = { ...sandbox(), UNRELATED_TOKEN: 'unrelated-token-value' };
    const run = await runAction({
      inputs: { repository, builder: 'docker', 'skip-existing': 'false' },
      event: branchPush('main', sha(0x502)),
      workspace: workspace(),
      env: { ...env, PATH: `${docker.dir}:${process.env.PATH}` },
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    const envs = docker.envs();
    // Probes (docker buildx version, docker info), docker build, docker push.
    expect(envs.length).toBeGreaterThanOrEqual(3);
    for (const e of envs) {
      expect(e).toMatch(/^PATH=/m);
      expect(e).toMatch(/^DOCKER_HOST=/m);
      expect(e).not.toContain(env.AWS_SECRET_ACCESS_KEY!);
      expect(e).not.toMatch(/^(AWS_|INPUT_|GITHUB_|ACTIONS_)/m);
      expect(e).not.toContain('unrelated-token-value');
    }
    expect(envs.some((e) => /^DOCKER_CONFIG=.*runner-temp/m.test(e))).toBe(true);
  });

  for (const rollbackOnCancel of [false, true]) {
    it(`SIGINT mid-ECS rollout${rollbackOnCancel ? ' with rollback-on-cancel: the service goes back' : ': ECS goes on on its own'}`, async () => {
      const f = await ecsService(`cancel-ecs-${Date.now().toString(36)}`, `${host}/${repository}:v1`);
      // Realistic Fargate timings: the rollout takes long enough to be cancelled in the middle.
      await new EcsSandboxControl().setTimeScale(1);
      const run = startAction({
        inputs: {
          image: `${host}/${repository}@${digest}`,
          'ecs-cluster': f.cluster,
          'ecs-service': 'web',
          'force-new-deployment': 'true',
          timeout: '2m',
          'rollback-on-cancel': String(rollbackOnCancel),
        },
        event: branchPush('main', sha(0x503)),
        workspace: workspace(),
        env: sandbox(),
      });
      // Cancelled once the wait has seen our deployment's first state.
      await eventually('our deployment to be waited for', () =>
        /web: \d+\/2 running, .*\(ecs-svc\//.test(run.stdout()) ? true : undefined,
      );
      const ended = await cancel(run);
      const deploymentId = ended.outputs['deployment-id']!;
      expect(deploymentId).toMatch(/^ecs-svc\//);
      const [result] = JSON.parse(ended.outputs.results!) as { status: string; reason: string }[];
      expect(result!.status).toBe('cancelled');
      expect(result!.reason).toContain(`ECS goes on with deployment ${deploymentId} on its own`);
      expect(result!.reason).toMatch(/last seen: \d+\/2 running/);
      const svc = await describeService(f.cluster, 'web');
      if (rollbackOnCancel) {
        expect(result!.reason).toMatch(/rollback to .* started \(not waited for\)$/);
        expect(svc.taskDefinition).toBe(f.taskDefinitionArn);
      } else {
        expect(result!.reason).not.toMatch(/rollback/);
        expect(svc.taskDefinition).toBe(ended.outputs['task-definition-arn']);
        expect(svc.deployments!.find((d) => d.status === 'PRIMARY')!.id).toBe(deploymentId);
      }
    });
  }

  for (const rollbackOnCancel of [false, true]) {
    it(`SIGINT mid-EKS rollout${rollbackOnCancel ? ' with rollback-on-cancel: the template goes back' : ': the controller goes on'}`, async () => {
      const c = await clusterWithWeb();
      const run = startAction({
        inputs: {
          image: `${host}/${repository}@${digest}`,
          'eks-cluster': c.name,
          deployment: 'web',
          timeout: '2m',
          'rollback-on-cancel': String(rollbackOnCancel),
        },
        event: branchPush('main', sha(0x504)),
        workspace: workspace(),
        env: sandbox(),
      });
      // Cancelled once the wait has seen the controller take our change (so revision 2 exists).
      await eventually('our rollout to be waited for', async () =>
        (await getDeployment(c)).metadata.generation > 1 &&
        /Waiting for deployment "web" rollout to finish:/.test(run.stdout())
          ? true
          : undefined,
      );
      const ended = await cancel(run);
      expect(ended.outputs.revision).toBe('2');
      const [result] = JSON.parse(ended.outputs.results!) as { status: string; reason: string }[];
      expect(result!.status).toBe('cancelled');
      expect(result!.reason).toMatch(/the Deployment controller goes on rolling out on its own/);
      const image = (await getDeployment(c)).spec.template.spec.containers[0]!.image;
      if (rollbackOnCancel) {
        expect(result!.reason).toMatch(/rollback to the template of revision 1 started \(not waited for\)$/);
        expect(image).toBe(`${host}/${repository}:v1`);
      } else {
        expect(image).toBe(`${host}/${repository}@${digest}`);
      }
    });
  }
});

interface Dep {
  metadata: { generation: number };
  spec: { template: { spec: { containers: { image: string }[] } } };
  status?: { availableReplicas?: number; updatedReplicas?: number };
}

async function getDeployment(c: TestCluster): Promise<Dep> {
  return (
    await raw(c, 'GET', '/apis/apps/v1/namespaces/default/deployments/web', { token: c.token })
  ).json() as unknown as Dep;
}

/** A cluster on a realistic time scale with `web` running v1, rolled out. */
async function clusterWithWeb(): Promise<TestCluster> {
  const c = await testCluster(1);
  const res = await raw(c, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
    token: c.token,
    body: deployment('web', `${host}/${repository}:v1`),
  });
  if (res.status >= 300) throw new Error(`create web: ${res.status} ${res.body}`);
  await eventually('web to be available', async () => {
    const d = await getDeployment(c);
    return d.status?.availableReplicas === 3 && d.status.updatedReplicas === 3 ? true : undefined;
  });
  return c;
}
