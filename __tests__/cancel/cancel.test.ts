// Cancellation, in-process: the signal handling, the driver's cancel paths over a scripted port (with and
// without rollback-on-cancel, the rollback's budget), the ECS and EKS waits stopping at the cancel, and a
// build stopped mid-way. Fake clocks and scripted clients: nothing sleeps.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { CANCEL_ROLLBACK_MS, CancelledError, cancelOnSignals, unlessAborted } from '../../src/cancel.ts';
import { runTarget } from '../../src/deploy/driver.ts';
import type { RollbackStart, TargetPort, Verdict } from '../../src/deploy/target.ts';
import type { DeployOptions, DeployResult, EcsResult, EksResult } from '../../src/deploy/types.ts';
import { prepareEcsTarget } from '../../src/ecs/target.ts';
import { prepareEksTarget } from '../../src/eks/target.ts';
import type { CommandRunner } from '../../src/image/builder.ts';
import { buildAndPush } from '../../src/image/publish.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeEcs } from '../fakes/ecs.ts';
import { FakeKube } from '../fakes/kube.ts';
import { RecordingLog } from '../fakes/log.ts';

const DEPLOY: DeployOptions = {
  wait: true,
  timeoutMs: 15 * 60_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  rollbackOnCancel: false,
  dryRun: false,
};

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

function fakeClock(): FakeClock {
  const clock = new FakeClock();
  stops.push(() => clock.stop());
  return clock;
}

describe('cancelOnSignals', () => {
  it('aborts once at the first SIGINT or SIGTERM, and says so', () => {
    const source = new EventEmitter();
    const said: string[] = [];
    const c = cancelOnSignals(source, (m) => said.push(m));
    expect(c.signal.aborted).toBe(false);
    source.emit('SIGINT', 'SIGINT');
    expect(c.signal.aborted).toBe(true);
    expect(c.received).toBe('SIGINT');
    expect(c.signal.reason).toBeInstanceOf(CancelledError);
    source.emit('SIGTERM', 'SIGTERM');
    expect(c.received).toBe('SIGINT');
    expect(said).toEqual([
      expect.stringMatching(/^SIGINT received: the step is cancelled/),
      'SIGTERM received; still stopping after SIGINT.',
    ]);
    c.dispose();
    expect(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM')).toBe(0);
  });
});

describe('unlessAborted', () => {
  it('gives the value, or the abort answer as soon as the signal aborts', async () => {
    expect(await unlessAborted(Promise.resolve(1), new AbortController().signal, () => 'stopped')).toBe(1);
    const controller = new AbortController();
    const pending = unlessAborted(new Promise<number>(() => undefined), controller.signal, () => 'stopped');
    controller.abort();
    expect(await pending).toBe('stopped');
  });
});

interface Unit {
  readonly name: string;
  /** The wait's verdict without a cancel (default: it never ends by itself). */
  readonly verdict?: Verdict;
  /** The wait does not look at the signal. */
  readonly deaf?: boolean;
  /** How long starting the rollback takes (fake clock ms). */
  readonly rollbackTakesMs?: number;
  readonly rollBack?: RollbackStart<string> | Error;
}

/** A port whose wait runs until the budget's signal aborts (then says what it saw), recording the calls. */
function scriptedPort(units: Unit[], clock: FakeClock) {
  const calls: string[] = [];
  const port: TargetPort<Unit, string, string> = {
    units,
    nameOf: (u) => `c/${u.name}`,
    render: (u) => `${u.name}:plan`,
    unchanged: () => false,
    preview: () => [],
    async apply(u) {
      calls.push(`apply ${u.name}`);
      return `${u.name}#ours`;
    },
    async wait(handle, budget) {
      calls.push(`wait ${handle}`);
      const u = units.find((x) => handle.startsWith(`${x.name}#`))!;
      if (u.verdict) {
        await clock.sleep(1000);
        return u.verdict;
      }
      await clock.sleep(budget.deadline - clock.now(), u.deaf ? undefined : budget.signal);
      if (budget.signal?.aborted) {
        return { kind: 'unverified', reason: `last seen: 1/2 running (${handle}); it goes on on its own` };
      }
      return { kind: 'timed-out', reason: 'not done' };
    },
    platformRollback: () => undefined,
    async rollBack(handle) {
      calls.push(`rollBack ${handle}`);
      const u = units.find((x) => handle === `${x.name}#ours`)!;
      if (u.rollbackTakesMs) await clock.sleep(u.rollbackTakesMs);
      const r = u.rollBack ?? { handle: `${u.name}#rollback` };
      if (r instanceof Error) throw r;
      return r;
    },
    rollbackTarget: (handle) => `what ran before ${handle.split('#')[0]}`,
    details: () => ({ target: 'eks' }),
  };
  return { port, calls };
}

async function driveAndCancel(
  units: Unit[],
  options: { cancelAfterMs: number; deploy?: Partial<DeployOptions> },
): Promise<{ results: DeployResult[]; calls: string[]; log: RecordingLog; tookMs: number }> {
  const clock = fakeClock();
  const log = new RecordingLog();
  const { port, calls } = scriptedPort(units, clock);
  const controller = new AbortController();
  const start = clock.now();
  let cancelledAt = 0;
  clock.at(start + options.cancelAfterMs, () => {
    cancelledAt = clock.now();
    controller.abort();
  });
  const results = await runTarget(
    port,
    { imageRef: 'repo@sha256:1', repositoryUri: 'repo' },
    { deploy: { ...DEPLOY, ...options.deploy }, clock, log, signal: controller.signal },
  );
  return { results, calls, log, tookMs: clock.now() - cancelledAt };
}

describe('runTarget when the step is cancelled', () => {
  it('mid-wait: reports cancelled with where the unit stands, and starts no rollback', async () => {
    const { results, calls, log, tookMs } = await driveAndCancel([{ name: 'web' }], {
      cancelAfterMs: 30_000,
    });
    expect(results).toMatchObject([{ name: 'c/web', status: 'cancelled', rolledBack: false }]);
    expect(results[0]!.reason).toBe(
      'the step was cancelled; our change is in flight: last seen: 1/2 running (web#ours); it goes on on its own',
    );
    expect(calls).not.toContainEqual(expect.stringMatching(/rollBack/));
    expect(log.text()).toMatch(/c\/web: the step was cancelled; our change is in flight/);
    expect(tookMs).toBe(0);
  });

  it('mid-wait with rollback-on-cancel: starts the rollback and does not wait for it', async () => {
    const { results, calls } = await driveAndCancel([{ name: 'web' }, { name: 'api' }], {
      cancelAfterMs: 30_000,
      deploy: { rollbackOnCancel: true },
    });
    expect(results.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
    expect(results[0]!.reason).toMatch(/; rollback to what ran before web started \(not waited for\)$/);
    expect(calls).toEqual(expect.arrayContaining(['rollBack web#ours', 'rollBack api#ours']));
    expect(calls).not.toContainEqual(expect.stringMatching(/wait .*#rollback/));
  });

  it('a rollback that does not start within the budget is left, and the step ends on time', async () => {
    const { results, tookMs } = await driveAndCancel([{ name: 'web', rollbackTakesMs: 60_000 }], {
      cancelAfterMs: 30_000,
      deploy: { rollbackOnCancel: true },
    });
    expect(results[0]!.status).toBe('cancelled');
    expect(results[0]!.reason).toMatch(/; the rollback did not start within 5\.0 s of the cancel$/);
    expect(tookMs).toBe(CANCEL_ROLLBACK_MS);
  });

  it('a rollback that cannot start, or is skipped, says so', async () => {
    const { results } = await driveAndCancel(
      [
        { name: 'web', rollBack: new Error('503 Service Unavailable') },
        { name: 'api', rollBack: { skipped: 'no revision before ours' } },
      ],
      { cancelAfterMs: 1000, deploy: { rollbackOnCancel: true } },
    );
    expect(results[0]!.reason).toMatch(/; the rollback could not start: 503 Service Unavailable$/);
    expect(results[1]!.reason).toMatch(/; not rolled back: no revision before ours$/);
  });

  it('a wait that ignores the signal is given up after a second', async () => {
    const { results, tookMs } = await driveAndCancel([{ name: 'web', deaf: true }], {
      cancelAfterMs: 10_000,
    });
    expect(results[0]!.status).toBe('cancelled');
    expect(results[0]!.reason).toMatch(/the platform goes on with the rollout on its own/);
    expect(tookMs).toBe(1000);
  });

  it('before anything changed: nothing is applied', async () => {
    const clock = fakeClock();
    const { port, calls } = scriptedPort([{ name: 'web' }], clock);
    const controller = new AbortController();
    controller.abort();
    const results = await runTarget(
      port,
      { imageRef: 'repo@sha256:1', repositoryUri: 'repo' },
      { deploy: DEPLOY, clock, log: new RecordingLog(), signal: controller.signal },
    );
    expect(results).toMatchObject([
      { status: 'cancelled', reason: expect.stringMatching(/nothing was deployed/) },
    ]);
    expect(calls).toEqual([]);
  });

  it('an outcome reached before the cancel stands', async () => {
    const { results } = await driveAndCancel([{ name: 'web', verdict: { kind: 'completed' } }], {
      cancelAfterMs: 5000,
    });
    expect(results[0]!.status).toBe('completed');
  });
});

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const V1 = `${REPO}:v1`;
const NEW = `${REPO}@sha256:${'a'.repeat(64)}`;

describe('ECS: cancelled mid-wait', () => {
  async function cancelEcs(deploy: Partial<DeployOptions>) {
    const clock = fakeClock();
    const ecs = new FakeEcs(clock);
    const { arn } = ecs.addService({ cluster: 'prod', name: 'web', image: V1 });
    ecs.script(NEW, 'stuck');
    const log = new RecordingLog();
    const port = await prepareEcsTarget({
      ecs: ecs as unknown as ECSClient,
      target: {
        kind: 'ecs',
        cluster: 'prod',
        services: ['web'],
        taskDefinitionFiles: new Map(),
        containers: [],
        environment: [],
        forceNewDeployment: false,
        desiredCount: undefined,
        preDeployCommand: undefined,
      },
      region: 'eu-west-1',
      clock,
      log,
      repositoryUri: REPO,
      preDeployTimeoutMs: DEPLOY.timeoutMs,
    });
    const controller = new AbortController();
    let cancelledAt = 0;
    clock.at(clock.now() + 20_000, () => {
      cancelledAt = clock.now();
      controller.abort();
    });
    const [result] = (await runTarget(
      port,
      { imageRef: NEW, repositoryUri: REPO },
      { deploy: { ...DEPLOY, ...deploy }, clock, log, signal: controller.signal },
    )) as EcsResult[];
    const updates = ecs.calls.filter((c) => c.op === 'UpdateService' && !c.error);
    return { result: result!, arn, ecs, updates, tookMs: clock.now() - cancelledAt };
  }

  it('stops at once and says what ECS does on its own', async () => {
    const { result, updates, tookMs } = await cancelEcs({});
    expect(result.status).toBe('cancelled');
    expect(result.deploymentId).toMatch(/^ecs-svc\//);
    expect(result.reason).toMatch(/the wait was stopped \(the step was cancelled\); last seen: 0\/2 running/);
    expect(result.reason).toContain(`ECS goes on with deployment ${result.deploymentId} on its own`);
    expect(updates).toHaveLength(1);
    expect(tookMs).toBeLessThan(1000);
  });

  it('with rollback-on-cancel, puts the service back on its previous task definition', async () => {
    const { result, arn, updates, ecs } = await cancelEcs({ rollbackOnCancel: true });
    expect(result.status).toBe('cancelled');
    expect(result.reason).toMatch(new RegExp(`rollback to ${arn} started \\(not waited for\\)$`));
    expect(updates.map((c) => c.input.taskDefinition)).toEqual([result.taskDefinitionArn, arn]);
    expect(ecs.service('prod', 'web').taskDefinition).toBe(arn);
  });
});

describe('EKS: cancelled mid-watch', () => {
  async function cancelEks(deploy: Partial<DeployOptions>) {
    const clock = fakeClock();
    const kube = new FakeKube(clock);
    stops.push(() => kube.stop());
    kube.addDeployment('web', V1);
    kube.script(NEW, 'stuck');
    const log = new RecordingLog();
    const port = await prepareEksTarget({
      target: { kind: 'eks', cluster: 'prod', namespace: 'web', deployments: ['web'], containers: [] },
      region: 'eu-west-1',
      env: {},
      clock,
      log,
      repositoryUri: REPO,
      runUrl: 'https://github.com/octo/app/actions/runs/1',
      callerArn: async () => 'arn:aws:iam::123456789012:role/deploy',
      kube,
      server: 'https://kube.invalid',
    });
    const controller = new AbortController();
    let cancelledAt = 0;
    clock.at(clock.now() + 20_000, () => {
      cancelledAt = clock.now();
      controller.abort();
    });
    const [result] = (await runTarget(
      port,
      { imageRef: NEW, repositoryUri: REPO },
      { deploy: { ...DEPLOY, ...deploy }, clock, log, signal: controller.signal },
    )) as EksResult[];
    const image = kube.deployment('web').spec.template.spec.containers[0]!.image;
    return { result: result!, image, tookMs: clock.now() - cancelledAt };
  }

  it('stops at once and says what the Deployment controller does on its own', async () => {
    const { result, image, tookMs } = await cancelEks({});
    expect(result.status).toBe('cancelled');
    expect(result.revision).toBe('2');
    expect(result.reason).toMatch(/the watch was stopped \(the step was cancelled\); last seen: /);
    expect(result.reason).toMatch(/the Deployment controller goes on rolling out on its own/);
    expect(image).toBe(NEW);
    expect(tookMs).toBeLessThan(1000);
  });

  it('with rollback-on-cancel, puts the previous template back', async () => {
    const { result, image } = await cancelEks({ rollbackOnCancel: true });
    expect(result.status).toBe('cancelled');
    expect(result.reason).toMatch(/rollback to the template of revision 1 started \(not waited for\)$/);
    expect(image).toBe(V1);
  });
});

describe('buildAndPush when the step is cancelled mid-build', () => {
  it('ends as cancelled, pushes nothing and removes its build folder', async () => {
    const temp = mkdtempSync(path.join(tmpdir(), 'cancel-build-'));
    stops.push(() => rmSync(temp, { recursive: true, force: true }));
    const controller = new AbortController();
    const ran: string[] = [];
    const runner: CommandRunner = {
      async run(command) {
        ran.push(`${command.command} ${command.args[0]}`);
        // The build is under way when the cancel comes; the real runner then stops the child.
        expect(readdirSync(temp)).toEqual([expect.stringMatching(/^ecr-deploy-build-/)]);
        controller.abort();
        return { exitCode: 143, output: 'Terminated' };
      },
      probe: async () => true,
    };
    const build = buildAndPush({
      build: {
        kind: 'build',
        repository: 'web',
        context: temp,
        dockerfile: path.join(temp, 'Dockerfile'),
        buildArgs: [],
        target: undefined,
        platforms: [],
        labels: [],
        provenance: false,
        builder: 'docker',
        secrets: [],
        cache: undefined,
        skipExisting: false,
      },
      extraLabels: [],
      repo: {
        name: 'web',
        registryId: '123456789012',
        uri: REPO,
        host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        tagMutability: 'MUTABLE',
        exclusionFilters: [],
        created: false,
      },
      commitTag: 'sha-6113728',
      builder: 'docker',
      runner,
      dockerConfig: '/runner/temp/docker-config',
      tempParent: temp,
      signal: controller.signal,
    });
    await expect(build).rejects.toThrow(CancelledError);
    await expect(build).rejects.toThrow(/docker build was stopped: the step was cancelled/);
    expect(ran).toEqual(['docker build']);
    expect(readdirSync(temp)).toEqual([]);
  });
});
