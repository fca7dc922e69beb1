// Auto scaling through the ECS target and the driver, in-process: a scripted ECS, a scripted Application Auto
// Scaling and a fake clock. Whatever fails, scale-in ends as it was before the deploy.
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { runTarget } from '../../src/deploy/driver.ts';
import type { DeployOptions, EcsResult, EcsTargetInputs } from '../../src/deploy/types.ts';
import { prepareEcsTarget } from '../../src/ecs/target.ts';
import { parseAutoScaling } from '../../src/ecs/scaling-settings.ts';
import { FakeClock } from '../fakes/clock.ts';
import { awsErrors, FakeEcs } from '../fakes/ecs.ts';
import { FakeScaling } from '../fakes/scaling.ts';
import { RecordingLog } from '../fakes/log.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const V1 = `${REPO}:v1`;
const NEW = `${REPO}@sha256:${'a'.repeat(64)}`;
const BROKEN = `${REPO}@sha256:${'b'.repeat(64)}`;
const ID = 'service/prod/web';
const SETTINGS = 'min=2\nmax=6\ncpu=60';

let clocks: FakeClock[] = [];
afterEach(() => {
  for (const c of clocks) c.stop();
  clocks = [];
});

function world() {
  const clock = new FakeClock();
  clocks.push(clock);
  const ecs = new FakeEcs(clock);
  ecs.addService({ cluster: 'prod', name: 'web', image: V1 });
  const scaling = new FakeScaling();
  /** Scale-in suspension as seen at each DescribeServices after our UpdateService: the rollout's view. */
  const duringRollout: (boolean | undefined)[] = [];
  let updated = false;
  const ecsClient = {
    send(command: { constructor: { name: string } }) {
      const op = command.constructor.name;
      if (op === 'UpdateServiceCommand') updated = true;
      if (op === 'DescribeServicesCommand' && updated) duringRollout.push(scaling.scaleInSuspended(ID));
      return ecs.send(command as never);
    },
  };
  return { clock, ecs, ecsClient, scaling, duringRollout, log: new RecordingLog() };
}

const DEPLOY: DeployOptions = {
  wait: true,
  timeoutMs: 15 * 60_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  dryRun: false,
};

function target(over: Partial<EcsTargetInputs> = {}): EcsTargetInputs {
  return {
    kind: 'ecs',
    cluster: 'prod',
    services: ['web'],
    taskDefinitionFiles: new Map(),
    containers: [],
    environment: [],
    forceNewDeployment: false,
    desiredCount: undefined,
    preDeployCommand: undefined,
    autoScaling: parseAutoScaling(SETTINGS),
    ...over,
  };
}

async function deploy(
  w: ReturnType<typeof world>,
  options: { image?: string; deploy?: Partial<DeployOptions>; target?: Partial<EcsTargetInputs> } = {},
): Promise<EcsResult> {
  const deployOptions = { ...DEPLOY, ...options.deploy };
  const port = await prepareEcsTarget({
    ecs: w.ecsClient as unknown as ECSClient,
    scaling: w.scaling,
    target: target(options.target),
    region: 'eu-west-1',
    clock: w.clock,
    log: w.log,
    repositoryUri: REPO,
    preDeployTimeoutMs: deployOptions.timeoutMs,
  });
  const [result] = await runTarget(
    port,
    { imageRef: options.image ?? NEW, repositoryUri: REPO },
    { deploy: deployOptions, clock: w.clock, log: w.log },
  );
  return result as EcsResult;
}

const ops = (w: ReturnType<typeof world>) => w.scaling.writes().map((c) => c.op);
const updates = (w: ReturnType<typeof world>) =>
  w.ecs.calls.filter((c) => c.op === 'UpdateService' && !c.error);

describe('auto scaling through an ECS deploy', () => {
  it('registers the target and policy, suspends scale-in during the rollout and restores it', async () => {
    const w = world();
    const result = await deploy(w);
    expect(result.status).toBe('completed');
    expect(result.autoScaling).toBe('2–6 tasks, cpu 60 %');
    expect(ops(w)).toEqual(['RegisterScalableTarget', 'PutScalingPolicy', 'RegisterScalableTarget']);
    const [first, , last] = w.scaling.writes();
    expect(first!.input).toMatchObject({
      MinCapacity: 2,
      MaxCapacity: 6,
      SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: false },
    });
    expect(last!.input).toEqual(
      expect.objectContaining({
        SuspendedState: expect.objectContaining({ DynamicScalingInSuspended: false }),
      }),
    );
    expect(last!.input.MinCapacity).toBeUndefined();
    expect(w.duringRollout.length).toBeGreaterThan(0);
    expect(w.duringRollout.every((s) => s === true)).toBe(true);
    expect(w.scaling.scaleInSuspended(ID)).toBe(false);
    expect(w.log.text()).toMatch(/dynamic scale-in suspended for the rollout/);
    expect(w.log.text()).toMatch(/dynamic scale-in restored/);
  });

  it('the same deploy again writes nothing: unchanged, no policy rewritten, no suspension', async () => {
    const w = world();
    await deploy(w);
    const before = w.scaling.writes().length;
    const again = await deploy(w);
    expect(again.status).toBe('unchanged');
    expect(w.scaling.writes().length).toBe(before);
  });

  it('a new image with the same scaling writes only the suspension and its restore', async () => {
    const w = world();
    await deploy(w);
    const before = w.scaling.writes().length;
    const next = await deploy(w, { image: `${REPO}@sha256:${'c'.repeat(64)}` });
    expect(next.status).toBe('completed');
    expect(
      w.scaling
        .writes()
        .slice(before)
        .map((c) => [c.op, c.input.SuspendedState]),
    ).toEqual([
      ['RegisterScalableTarget', expect.objectContaining({ DynamicScalingInSuspended: true })],
      ['RegisterScalableTarget', expect.objectContaining({ DynamicScalingInSuspended: false })],
    ]);
  });

  it('new scaling settings on an unchanged image: written, nothing rolled out, no suspension', async () => {
    const w = world();
    await deploy(w);
    const before = updates(w).length;
    const writesBefore = w.scaling.writes().length;
    const result = await deploy(w, { target: { autoScaling: parseAutoScaling('min=3\nmax=6\ncpu=50') } });
    expect(result.status).toBe('completed');
    expect(result.deploymentId).toBeUndefined();
    expect(updates(w).length).toBe(before);
    expect(
      w.scaling
        .writes()
        .slice(writesBefore)
        .map((c) => [c.op, c.input.SuspendedState]),
    ).toEqual([
      ['RegisterScalableTarget', undefined],
      ['PutScalingPolicy', undefined],
    ]);
  });

  it('a failing rollout rolled back by us: scale-in suspended again for the rollback, restored at the end', async () => {
    const w = world();
    w.ecs.script(BROKEN, 'pull-fails');
    w.ecs.service('prod', 'web').circuitBreaker = { enable: false, rollback: false };
    const result = await deploy(w, { image: BROKEN });
    expect(result.status).toBe('rolled-back');
    const suspensions = w.scaling
      .writes()
      .filter((c) => c.op === 'RegisterScalableTarget')
      .map(
        (c) => (c.input.SuspendedState as { DynamicScalingInSuspended: boolean }).DynamicScalingInSuspended,
      );
    expect(suspensions).toEqual([true, false, true, false]);
    expect(w.scaling.scaleInSuspended(ID)).toBe(false);
    expect(w.log.text()).toMatch(/suspended for the rollback/);
  });

  it('ECS’s own circuit-breaker rollback keeps scale-in suspended through it, then restores it', async () => {
    const w = world();
    w.ecs.script(BROKEN, 'pull-fails');
    const result = await deploy(w, { image: BROKEN, deploy: { failFastAfter: 0 } });
    expect(result.status).toBe('rolled-back');
    const suspensions = w.scaling
      .writes()
      .filter((c) => c.op === 'RegisterScalableTarget')
      .map(
        (c) => (c.input.SuspendedState as { DynamicScalingInSuspended: boolean }).DynamicScalingInSuspended,
      );
    expect(suspensions).toEqual([true, false]);
    expect(w.duringRollout.every((s) => s === true)).toBe(true);
  });

  it('a failure left as it is (rollback-on-failure off) restores scale-in too', async () => {
    const w = world();
    w.ecs.script(BROKEN, 'crashes');
    w.ecs.service('prod', 'web').circuitBreaker = { enable: false, rollback: false };
    const result = await deploy(w, { image: BROKEN, deploy: { rollbackOnFailure: false } });
    expect(result.status).toBe('failed');
    expect(w.scaling.scaleInSuspended(ID)).toBe(false);
  });

  it('scale-in already suspended before the deploy stays suspended, untouched', async () => {
    const w = world();
    w.scaling.addTarget(ID, 2, 6, { DynamicScalingInSuspended: true });
    const result = await deploy(w);
    expect(result.status).toBe('completed');
    expect(w.scaling.writes().filter((c) => c.input.SuspendedState !== undefined)).toEqual([]);
    expect(w.scaling.scaleInSuspended(ID)).toBe(true);
  });

  it('wait: false registers the scaling but never suspends (nothing would restore it)', async () => {
    const w = world();
    const result = await deploy(w, {
      deploy: { wait: false },
      target: { autoScaling: { ...parseAutoScaling(SETTINGS)!, suspendScaleIn: false } },
    });
    expect(result.status).toBe('started');
    expect(w.scaling.writes().filter((c) => c.input.SuspendedState !== undefined)).toEqual([]);
  });

  it('desired-count with a registered target: a warning, and the count clamped to max', async () => {
    const w = world();
    w.scaling.addTarget(ID, 1, 3);
    const result = await deploy(w, { target: { autoScaling: undefined, desiredCount: 8 } });
    expect(result.status).toBe('completed');
    expect(updates(w).at(-1)!.input.desiredCount).toBe(3);
    expect(w.log.text()).toMatch(
      /warning: web: desired-count 8 is set while Application Auto Scaling owns the count \(1–3 tasks\), clamped to 3/,
    );
    expect(w.scaling.writes()).toEqual([]);
  });

  it('desired-count without scaling permissions: a warning naming them, the count as given', async () => {
    const w = world();
    w.scaling.failAll('DescribeScalableTargets', awsErrors.denied);
    const result = await deploy(w, { target: { autoScaling: undefined, desiredCount: 4 } });
    expect(result.status).toBe('completed');
    expect(updates(w).at(-1)!.input.desiredCount).toBe(4);
    expect(w.log.text()).toMatch(
      /warning: desired-count: could not read Application Auto Scaling.*application-autoscaling:DescribeScalableTargets/,
    );
  });

  it('AccessDenied reading the scaling fails before anything changes, naming the permission', async () => {
    const w = world();
    w.scaling.failAll('DescribeScalableTargets', awsErrors.denied);
    await expect(deploy(w)).rejects.toThrow(/denied.*Allow application-autoscaling:DescribeScalableTargets/);
    expect(w.ecs.calls.some((c) => c.op === 'RegisterTaskDefinition' || c.op === 'UpdateService')).toBe(
      false,
    );
  });

  it('AccessDenied registering fails the service before it is changed, naming the permission', async () => {
    const w = world();
    w.scaling.failAll('RegisterScalableTarget', awsErrors.denied);
    const result = await deploy(w);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(
      /RegisterScalableTarget .*was denied.*Allow application-autoscaling:RegisterScalableTarget/,
    );
    expect(updates(w)).toEqual([]);
  });

  it('AccessDenied on a policy: the suspension is put back and the service is not changed', async () => {
    const w = world();
    w.scaling.failAll('PutScalingPolicy', awsErrors.denied);
    const result = await deploy(w);
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/Allow application-autoscaling:PutScalingPolicy/);
    expect(updates(w)).toEqual([]);
    expect(w.scaling.scaleInSuspended(ID)).toBe(false);
  });

  it('dry run: the scaling plan printed, nothing written', async () => {
    const w = world();
    const result = await deploy(w, { deploy: { dryRun: true } });
    expect(result.status).toBe('dry-run');
    expect(w.scaling.writes()).toEqual([]);
    expect(w.log.text()).toMatch(/auto scaling: would register service\/prod\/web with min 2, max 6/);
    expect(w.log.text()).toMatch(/auto scaling: would suspend dynamic scale-in during the rollout/);
  });
});

/**
 * The fault table: each scenario runs clean to learn its calls; then once for every call (of ECS and of
 * Application Auto Scaling) with that call failing. Whatever fails, scale-in must end as it was (not suspended).
 */
describe('auto scaling fault table: an error at every call, scale-in always restored', () => {
  const scenarios = [
    { name: 'a healthy rollout', setup: (_w: ReturnType<typeof world>) => {}, image: NEW, deploy: {} },
    {
      name: 'a rollout rolled back by us',
      setup: (w: ReturnType<typeof world>) => {
        w.ecs.script(BROKEN, 'pull-fails');
        w.ecs.service('prod', 'web').circuitBreaker = { enable: false, rollback: false };
      },
      image: BROKEN,
      deploy: {},
    },
    {
      name: 'a rollout rolled back by the circuit breaker',
      setup: (w: ReturnType<typeof world>) => w.ecs.script(BROKEN, 'pull-fails'),
      image: BROKEN,
      deploy: { failFastAfter: 0 },
    },
  ];
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const clean = world();
      scenario.setup(clean);
      await deploy(clean, { image: scenario.image, deploy: scenario.deploy });
      const rows: string[] = [];
      const faults: { where: 'ecs' | 'scaling'; index: number; op: string }[] = [
        ...clean.ecs.calls.map((c, index) => ({ where: 'ecs' as const, index, op: c.op })),
        ...clean.scaling.calls.map((c, index) => ({ where: 'scaling' as const, index, op: c.op })),
      ];
      for (const fault of faults) {
        const w = world();
        scenario.setup(w);
        if (fault.where === 'ecs') w.ecs.failCall(fault.index, awsErrors.unavailable);
        else w.scaling.failCall(fault.index, awsErrors.unavailable);
        const label = `${fault.where} #${fault.index} ${fault.op}`;
        try {
          const result = await deploy(w, { image: scenario.image, deploy: scenario.deploy });
          if (fault.where === 'scaling' && fault.index < 2 && fault.op.startsWith('Describe'))
            rows.push(`${label}: expected the preparation to throw, got ${result.status}`);
          if (fault.where === 'scaling' && fault.op === 'PutScalingPolicy' && result.status !== 'failed')
            rows.push(`${label}: expected failed, got ${result.status}`);
        } catch (e) {
          const prepare = fault.op.startsWith('Describe') && (fault.where === 'scaling' || fault.index < 2);
          if (!prepare) rows.push(`${label}: threw ${(e as Error).message}`);
        }
        if (w.scaling.scaleInSuspended(ID) === true) rows.push(`${label}: scale-in left suspended`);
      }
      expect(rows).toEqual([]);
      expect(faults.filter((f) => f.where === 'scaling').length).toBeGreaterThanOrEqual(4);
    });
  }
});
