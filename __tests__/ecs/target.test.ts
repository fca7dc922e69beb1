// The ECS target driven by the one driver, in-process: a scripted ECS and a fake clock, no sleeping.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { runTarget } from '../../src/deploy/driver.ts';
import type { DeployOptions, EcsResult, EcsTargetInputs } from '../../src/deploy/types.ts';
import { prepareEcsTarget } from '../../src/ecs/target.ts';
import { failureAnnotations } from '../../src/report/annotation.ts';
import { FakeClock } from '../fakes/clock.ts';
import { awsErrors, FakeEcs, type Call } from '../fakes/ecs.ts';
import { RecordingLog } from '../fakes/log.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const V1 = `${REPO}:v1`;
const NEW = `${REPO}@sha256:${'a'.repeat(64)}`;
const BROKEN = `${REPO}@sha256:${'b'.repeat(64)}`;

let clocks: FakeClock[] = [];
afterEach(() => {
  for (const c of clocks) c.stop();
  clocks = [];
});

function world(
  ...services: { name: string; circuitBreaker?: { enable: boolean; rollback: boolean }; family?: string }[]
) {
  const clock = new FakeClock();
  clocks.push(clock);
  const ecs = new FakeEcs(clock);
  const arns = Object.fromEntries(
    (services.length ? services : [{ name: 'web' }]).map((s) => [
      s.name,
      ecs.addService({ cluster: 'prod', image: V1, ...s }).arn,
    ]),
  );
  return { clock, ecs, arns, log: new RecordingLog() };
}

const DEPLOY: DeployOptions = {
  wait: true,
  timeoutMs: 15 * 60_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  dryRun: false,
};

function target(services: string[], over: Partial<EcsTargetInputs> = {}): EcsTargetInputs {
  return {
    kind: 'ecs',
    cluster: 'prod',
    services,
    taskDefinitionFiles: new Map(),
    containers: [],
    environment: [],
    forceNewDeployment: false,
    desiredCount: undefined,
    preDeployCommand: undefined,
    ...over,
  };
}

async function deploy(
  w: ReturnType<typeof world>,
  options: {
    services?: string[];
    image?: string;
    deploy?: Partial<DeployOptions>;
    target?: Partial<EcsTargetInputs>;
  } = {},
): Promise<EcsResult[]> {
  const deployOptions = { ...DEPLOY, ...options.deploy };
  const port = await prepareEcsTarget({
    ecs: w.ecs as unknown as ECSClient,
    target: target(options.services ?? ['web'], options.target),
    region: 'eu-west-1',
    clock: w.clock,
    log: w.log,
    repositoryUri: REPO,
    preDeployTimeoutMs: deployOptions.timeoutMs,
  });
  const results = await runTarget(
    port,
    { imageRef: options.image ?? NEW, repositoryUri: REPO },
    { deploy: deployOptions, clock: w.clock, log: w.log },
  );
  return results as EcsResult[];
}

const ops = (calls: readonly Call[], op: string) => calls.filter((c) => c.op === op && !c.error);
const updatesTo = (calls: readonly Call[]) => ops(calls, 'UpdateService').map((c) => c.input.taskDefinition);

describe('ECS rollouts through the driver', () => {
  it('completes our deployment and reports it; the same image again is unchanged', async () => {
    const w = world();
    const [result] = await deploy(w);
    expect(result).toMatchObject({
      target: 'ecs',
      name: 'prod/web',
      status: 'completed',
      rolledBack: false,
      taskDefinitionArn: w.arns.web!.replace(/:1$/, ':2'),
      previousTaskDefinitionArn: w.arns.web,
    });
    expect(result!.deploymentId).toBe(w.ecs.service('prod', 'web').deployments[0]!.id);
    expect(updatesTo(w.ecs.calls)).toEqual([result!.taskDefinitionArn]);

    const [again] = await deploy(w);
    expect(again).toMatchObject({ status: 'unchanged', taskDefinitionArn: result!.taskDefinitionArn });
    expect(ops(w.ecs.calls, 'RegisterTaskDefinition')).toHaveLength(1);
  });

  it('fails fast when the new tasks cannot pull the image, and rolls back to the previous revision', async () => {
    const w = world({ name: 'web', circuitBreaker: { enable: false, rollback: false } });
    w.ecs.script(BROKEN, 'pull-fails');
    const [result] = await deploy(w, { image: BROKEN });
    expect(result!.status).toBe('rolled-back');
    expect(result!.reason).toMatch(
      /^failed: 2 task\(s\) of the new revision failed for good .*CannotPullContainerError/,
    );
    expect(result!.reason).toMatch(new RegExp(`rolled back to ${w.arns.web}$`));
    expect(updatesTo(w.ecs.calls)).toEqual([result!.taskDefinitionArn, w.arns.web]);
    expect(w.ecs.service('prod', 'web').taskDefinition).toBe(w.arns.web);
  });

  it('waits for ECS’s own circuit-breaker rollback instead of starting one', async () => {
    const w = world();
    w.ecs.script(BROKEN, 'pull-fails');
    const [result] = await deploy(w, { image: BROKEN, deploy: { failFastAfter: 0 } });
    expect(result!.status).toBe('rolled-back');
    expect(result!.reason).toMatch(/circuit breaker/);
    expect(updatesTo(w.ecs.calls)).toHaveLength(1);
    expect(w.log.text()).toMatch(/ECS is rolling back to .*:1 \(deployment ecs-svc\/\d+\); waiting for it/);
  });

  it('reports a crash with the exit code and leaves it when rollback-on-failure is off', async () => {
    const w = world({ name: 'web', circuitBreaker: { enable: false, rollback: false } });
    w.ecs.script(BROKEN, 'crashes');
    const [result] = await deploy(w, { image: BROKEN, deploy: { rollbackOnFailure: false } });
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(/EssentialContainerExited.*app: exit 1/);
    expect(updatesTo(w.ecs.calls)).toHaveLength(1);
  });

  it('never rolls back over someone else’s deployment', async () => {
    const w = world();
    w.ecs.script(NEW, 'stuck');
    w.clock.at(w.clock.now() + 5000, () => w.ecs.updateServiceOutOfBand('prod', 'web', w.arns.web!));
    const [result] = await deploy(w);
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(/another deployment .* replaced ours/);
    expect(updatesTo(w.ecs.calls)).toHaveLength(1);
  });

  it('times out with the last state, then rolls back with a budget of its own', async () => {
    const w = world({ name: 'web', circuitBreaker: { enable: false, rollback: false } });
    w.ecs.script(NEW, 'stuck');
    const started = w.clock.now();
    const [result] = await deploy(w, { deploy: { timeoutMs: 60_000 } });
    expect(result!.status).toBe('rolled-back');
    expect(result!.reason).toMatch(
      /^timed out: not done after 1 min 0 s; last state: 0\/2 running, 2 pending/,
    );
    expect(w.clock.now() - started).toBeGreaterThanOrEqual(60_000);
  });

  it('a quiet 2-minute wait says every 30 s that it is still waiting, with the elapsed time and the state', async () => {
    const w = world({ name: 'web', circuitBreaker: { enable: false, rollback: false } });
    w.ecs.script(NEW, 'stuck');
    const [result] = await deploy(w, { deploy: { timeoutMs: 130_000, rollbackOnFailure: false } });
    expect(result!.status).toBe('timed-out');
    const beats = w.log.lines.filter((l) => l.includes('still waiting'));
    expect(beats.map((l) => l.replace(/\(ecs-svc\/\d+/, '(ID'))).toEqual(
      // The state is printed at the first answer (2 s in), then nothing for 30 s at a time.
      ['32.0 s', '1 min 2 s', '1 min 32 s', '2 min 2 s'].map(
        (elapsed) =>
          `web: still waiting, ${elapsed} elapsed: 0/2 running, 2 pending, 0 failed (ID PRIMARY IN_PROGRESS)`,
      ),
    );
  });

  it('a wait that prints something every 10 s prints no heartbeat', async () => {
    const w = world({ name: 'web', circuitBreaker: { enable: false, rollback: false } });
    w.ecs.script(NEW, 'stuck');
    const start = w.clock.now();
    for (let t = 10_000; t <= 120_000; t += 10_000) {
      w.clock.at(start + t, () =>
        w.ecs.service('prod', 'web').events.unshift({
          id: `progress-${t}`,
          createdAt: start + t,
          message: `(service web) progress at ${t / 1000} s`,
        }),
      );
    }
    const [result] = await deploy(w, { deploy: { timeoutMs: 130_000, rollbackOnFailure: false } });
    expect(result!.status).toBe('timed-out');
    expect(w.log.text()).toMatch(/progress at 120 s/);
    expect(w.log.lines.filter((l) => l.includes('still waiting'))).toEqual([]);
  });

  it('a rollback that does not complete within its own budget says so, and the status stays failed', async () => {
    const w = world({ name: 'web', circuitBreaker: { enable: false, rollback: false } });
    w.ecs.script(BROKEN, 'pull-fails');
    w.ecs.script(V1, 'stuck'); // the revision we go back to no longer starts either
    const [result] = await deploy(w, { image: BROKEN, deploy: { timeoutMs: 30_000 } });
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(
      new RegExp(`; the rollback to ${w.arns.web} did not complete either: not done after 30\\.0 s`),
    );
  });

  it('a pre-deploy task that never stops is stopped at the deadline, and no service is updated', async () => {
    const w = world();
    w.ecs.preDeployExitCode = 0;
    const port = await prepareEcsTarget({
      ecs: w.ecs as unknown as ECSClient,
      target: target(['web'], { preDeployCommand: ['sleep', 'forever'] }),
      region: 'eu-west-1',
      clock: w.clock,
      log: w.log,
      repositoryUri: REPO,
      preDeployTimeoutMs: 2500,
    });
    const [result] = await runTarget(
      port,
      { imageRef: NEW, repositoryUri: REPO },
      { deploy: DEPLOY, clock: w.clock, log: w.log },
    );
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(/did not stop within 2\.5 s .* it was stopped\. No service was updated/);
    expect(ops(w.ecs.calls, 'StopTask')).toHaveLength(1);
    expect(ops(w.ecs.calls, 'UpdateService')).toEqual([]);
  });

  it('recognises ECS’s rollback even when it finished while the service could not be read', async () => {
    const w = world();
    w.ecs.script(BROKEN, 'pull-fails');
    const t = w.clock.now();
    // Unreadable from before the first poll until long after the breaker rolled back and settled.
    w.ecs.failBetween('DescribeServices', t + 1000, t + 60_000, awsErrors.unavailable);
    const [result] = await deploy(w, { image: BROKEN, deploy: { failFastAfter: 0 } });
    expect(result!.status).toBe('rolled-back');
    expect(result!.reason).toMatch(/ECS rolled the service back to .*ROLLBACK_SUCCESSFUL/);
    expect(ops(w.ecs.calls, 'ListServiceDeployments')).toHaveLength(1);
    expect(updatesTo(w.ecs.calls)).toHaveLength(1);
  });

  it('keeps asking through 25 s of 503s and reports the healthy rollout as completed, not rolled back', async () => {
    const w = world();
    const t = w.clock.now();
    w.ecs.failBetween('DescribeServices', t + 1500, t + 26_500, awsErrors.unavailable);
    const [result] = await deploy(w);
    expect(result!.status).toBe('completed');
    expect(updatesTo(w.ecs.calls)).toHaveLength(1);
    const failed = w.ecs.calls.filter((c) => c.op === 'DescribeServices' && c.error);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(w.log.text()).toMatch(/could not read the service .*asking again/);
  });

  it('credentials that expire mid-wait end as unverified, never as a failure with a rollback', async () => {
    const w = world();
    w.ecs.script(NEW, 'stuck');
    const t = w.clock.now();
    w.ecs.failBetween('*', t + 3000, Number.POSITIVE_INFINITY, awsErrors.expired);
    const [result] = await deploy(w);
    expect(result!.status).toBe('unverified');
    expect(result!.reason).toMatch(/cannot be read .*ExpiredToken|security token .* expired/);
    expect(result!.reason).toMatch(/last seen: 0\/2 running/);
    expect(result!.reason).toMatch(/ECS goes on with deployment .* on its own/);
    expect(updatesTo(w.ecs.calls)).toHaveLength(1);
  });

  it('a state unreadable until the deadline is unverified, with how long it was unreadable', async () => {
    const w = world();
    w.ecs.script(NEW, 'stuck');
    const t = w.clock.now();
    w.ecs.failBetween('DescribeServices', t + 3000, Number.POSITIVE_INFINITY, awsErrors.network);
    const [result] = await deploy(w, { deploy: { timeoutMs: 120_000 } });
    expect(result!.status).toBe('unverified');
    expect(result!.reason).toMatch(
      /could not be read for the last \d+ min \d+ s of the 2 min 0 s wait \(connect ECONNREFUSED/,
    );
    expect(updatesTo(w.ecs.calls)).toHaveLength(1);
  });

  it('one service of three failing is rolled back; the other two complete, in one batched poll', async () => {
    const w = world(
      { name: 'a' },
      { name: 'b', circuitBreaker: { enable: false, rollback: false } },
      { name: 'c' },
    );
    // b's revision gets a missing image through the containers input.
    w.ecs.script(`${REPO}:missing`, 'pull-fails');
    const port = await prepareEcsTarget({
      ecs: w.ecs as unknown as ECSClient,
      target: target(['a', 'b', 'c']),
      region: 'eu-west-1',
      clock: w.clock,
      log: w.log,
      repositoryUri: REPO,
      preDeployTimeoutMs: DEPLOY.timeoutMs,
    });
    // The port renders per unit: b's plan gets the broken image, the others ours.
    const render = port.render.bind(port);
    port.render = (unit, image) =>
      render(unit, unit.name === 'b' ? { ...image, imageRef: `${REPO}:missing` } : image);
    const results = (await runTarget(
      port,
      { imageRef: NEW, repositoryUri: REPO },
      { deploy: DEPLOY, clock: w.clock, log: w.log },
    )) as EcsResult[];
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['prod/a', 'completed'],
      ['prod/b', 'rolled-back'],
      ['prod/c', 'completed'],
    ]);
    const polls = w.ecs.calls.filter((c) => c.op === 'DescribeServices');
    expect(Math.max(...polls.map((c) => (c.input.services as string[]).length))).toBe(3);
    polls.slice(1).forEach((c, i) => expect(c.at - polls[i]!.at).toBeGreaterThanOrEqual(2000));
  });

  it('asks for at most 10 services per DescribeServices, and at most once per 2 s', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const w = world(...names.map((name) => ({ name })));
    const results = await deploy(w, { services: names });
    expect(results.every((r) => r.status === 'completed')).toBe(true);
    const polls = w.ecs.calls.filter((c) => c.op === 'DescribeServices');
    expect(Math.max(...polls.map((c) => (c.input.services as string[]).length))).toBe(10);
    // Two requests per poll (10 + 2): their starts within a poll are together, polls ≥ 2 s apart.
    const pollTimes = [...new Set(polls.map((c) => c.at))];
    pollTimes.slice(1).forEach((at, i) => expect(at - pollTimes[i]!).toBeGreaterThanOrEqual(2000));
  });

  it('services rendered to the same task definition share one new revision', async () => {
    const w = world({ name: 'web', family: 'shared' }, { name: 'api', family: 'shared' });
    const results = await deploy(w, { services: ['web', 'api'] });
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(ops(w.ecs.calls, 'RegisterTaskDefinition')).toHaveLength(1);
    expect(results[0]!.taskDefinitionArn).toBe(results[1]!.taskDefinitionArn);
  });

  it('services on different revisions of one family with the same content share one; each keeps its own previous', async () => {
    // web runs shared:1, api shared:2 (same content): both go to shared:3.
    const w = world({ name: 'web', family: 'shared' }, { name: 'api', family: 'shared' });
    const results = await deploy(w, { services: ['web', 'api'] });
    expect(results.map((r) => [r.taskDefinitionArn?.split('/').at(-1), r.previousTaskDefinitionArn])).toEqual(
      [
        ['shared:3', w.arns.web],
        ['shared:3', w.arns.api],
      ],
    );
    expect(w.log.text()).toMatch(/web: shared:1 → shared:3/);
    expect(w.log.text()).toMatch(/api: shared:2 → shared:3/);
  });

  it('services with different families get one revision each', async () => {
    const w = world({ name: 'web', family: 'front' }, { name: 'api', family: 'back' });
    const results = await deploy(w, { services: ['web', 'api'] });
    expect(results.map((r) => r.taskDefinitionArn?.split('/').at(-1))).toEqual(['front:2', 'back:2']);
    expect(ops(w.ecs.calls, 'RegisterTaskDefinition').map((c) => c.input.family)).toEqual(['front', 'back']);
  });

  it('a shared revision that cannot be registered fails every service sharing it, and updates none', async () => {
    const w = world({ name: 'web', family: 'shared' }, { name: 'api', family: 'shared' });
    w.ecs.failBetween('RegisterTaskDefinition', 0, Number.POSITIVE_INFINITY, awsErrors.denied);
    const results = await deploy(w, { services: ['web', 'api'] });
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    for (const r of results) expect(r.reason).toMatch(/RegisterTaskDefinition/);
    expect(w.ecs.calls.filter((c) => c.op === 'RegisterTaskDefinition')).toHaveLength(1);
    expect(w.ecs.calls.filter((c) => c.op === 'UpdateService')).toEqual([]);
    expect(w.ecs.service('prod', 'web').taskDefinition).toBe(w.arns.web);
    expect(w.ecs.service('prod', 'api').taskDefinition).toBe(w.arns.api);
  });

  it('a failed shared revision rolls each service back to its own previous revision', async () => {
    const off = { enable: false, rollback: false };
    const w = world(
      { name: 'web', family: 'shared', circuitBreaker: off },
      { name: 'api', family: 'shared', circuitBreaker: off },
    );
    w.ecs.script(BROKEN, 'pull-fails');
    const results = await deploy(w, { services: ['web', 'api'], image: BROKEN });
    expect(results.map((r) => r.status)).toEqual(['rolled-back', 'rolled-back']);
    expect(ops(w.ecs.calls, 'RegisterTaskDefinition')).toHaveLength(1);
    expect(w.ecs.service('prod', 'web').taskDefinition).toBe(w.arns.web);
    expect(w.ecs.service('prod', 'api').taskDefinition).toBe(w.arns.api);
    expect(w.arns.web).not.toBe(w.arns.api);
  });

  it('one family rendered to different content: a revision each, and a warning saying what differs', async () => {
    const w = world({ name: 'web', family: 'shared' }, { name: 'api', family: 'shared' });
    const dir = mkdtempSync(join(tmpdir(), 'shared-family-'));
    const file = join(dir, 'api.json');
    writeFileSync(
      file,
      JSON.stringify({
        family: 'shared',
        containerDefinitions: [
          { name: 'app', image: V1, essential: true, environment: [{ name: 'ROLE', value: 'api' }] },
        ],
      }),
    );
    try {
      const results = await deploy(w, {
        services: ['web', 'api'],
        target: { taskDefinitionFiles: new Map([['api', file]]) },
      });
      expect(results.map((r) => r.taskDefinitionArn?.split('/').at(-1))).toEqual(['shared:3', 'shared:4']);
      expect(w.log.text()).toMatch(
        /web, api share the task definition family shared but render to different task definitions, so they get a revision each: api differs from web in \+ containerDefinitions\[app\]\.environment/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a task-definition file with an error fails the preparation with an annotation on its file and line', async () => {
    const w = world();
    const dir = mkdtempSync(join(tmpdir(), 'td-annotation-'));
    const file = join(dir, 'deploy', 'web.json');
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(
      file,
      ['{', '  "family": "web-app",', '  "containerDefinitions": [', '    { "image": "x" }', '  ]', '}'].join(
        '\n',
      ),
    );
    try {
      const error = await deploy(w, { target: { taskDefinitionFiles: new Map([['web', file]]) } }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toBe(`Task definition ${file}: containerDefinitions[0] has no name.`);
      expect(failureAnnotations(error!, { workspace: dir, cwd: '/' })).toEqual([
        {
          message: error!.message,
          properties: {
            title: 'Task definition file',
            file: 'deploy/web.json',
            startLine: 4,
            startColumn: 5,
          },
        },
      ]);
      expect(ops(w.ecs.calls, 'RegisterTaskDefinition')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns about a key ECS does not know in a task-definition file, annotated on its line', async () => {
    const w = world();
    const dir = mkdtempSync(join(tmpdir(), 'td-unknown-'));
    const file = join(dir, 'web.json');
    const lines = [
      '{',
      '  "family": "web-app",',
      '  "containerDefinitions": [',
      `    { "name": "app", "image": ${JSON.stringify(V1)},`,
    ];
    writeFileSync(file, [...lines, '      "esential": true }', '  ]', '}'].join('\n'));
    try {
      const [result] = await deploy(w, {
        target: { taskDefinitionFiles: new Map([['web', file]]) },
        deploy: { dryRun: true },
      });
      expect(result!.status).toBe('dry-run');
      expect(w.log.annotated).toEqual([
        {
          message: expect.stringMatching(
            /does not know containerDefinitions\[app\]\.esential; they would be dropped/,
          ),
          properties: { title: 'Task definition file', file, startLine: 5, startColumn: 19 },
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('services rendered with the render inputs still share one revision', async () => {
    const w = world({ name: 'web', family: 'shared' }, { name: 'api', family: 'shared' });
    const results = await deploy(w, {
      services: ['web', 'api'],
      target: {
        render: {
          secrets: [{ name: 'DB', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/db' }],
          dockerLabels: [{ name: 'team', value: 'web' }],
          logConfiguration: undefined,
          command: ['node', 'server.js'],
        },
      },
    });
    expect(results[0]!.taskDefinitionArn).toBe(results[1]!.taskDefinitionArn);
    const [registered] = ops(w.ecs.calls, 'RegisterTaskDefinition');
    expect(registered!.input.containerDefinitions).toMatchObject([
      {
        name: 'app',
        secrets: [{ name: 'DB' }],
        dockerLabels: { team: 'web' },
        command: ['node', 'server.js'],
      },
    ]);
    expect(w.log.text()).not.toMatch(/render to different task definitions/);
  });

  it('a failing pre-deploy task fails every service it would have updated, and updates none', async () => {
    const w = world({ name: 'web' }, { name: 'api' });
    w.ecs.preDeployExitCode = 1;
    const results = await deploy(w, {
      services: ['web', 'api'],
      target: { preDeployCommand: ['bin/migrate'] },
    });
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(results[0]!.reason).toMatch(/pre-deploy task did not succeed .*exit 1.*No service was updated/);
    expect(ops(w.ecs.calls, 'UpdateService')).toEqual([]);

    w.ecs.preDeployExitCode = 0;
    const ok = await deploy(w, { services: ['web', 'api'], target: { preDeployCommand: ['bin/migrate'] } });
    expect(ok.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(w.log.text()).toMatch(/Pre-deploy task finished with exit code 0/);
  });

  it('dry run: the diff, nothing registered or updated', async () => {
    const w = world();
    const [result] = await deploy(w, { deploy: { dryRun: true } });
    expect(result).toMatchObject({ status: 'dry-run', previousTaskDefinitionArn: w.arns.web });
    expect(w.log.text()).toContain(`~ containerDefinitions[app].image: "${V1}" → "${NEW}"`);
    expect(w.ecs.calls.map((c) => c.op).filter((op) => !op.startsWith('Describe'))).toEqual([]);
  });
});

/**
 * The fault table: the scenario runs once clean to learn its calls; then, for every call it made, once more
 * with that call failing (a 503, then a throttle). Every row must end with the right result.
 */
describe('ECS fault table: an error at every call', () => {
  type Scenario = {
    readonly name: string;
    readonly setup: (w: ReturnType<typeof world>) => void;
    readonly image: string;
    readonly deploy?: Partial<DeployOptions>;
    /** The result when nothing fails. */
    readonly clean: EcsResult['status'];
  };
  const scenarios: Scenario[] = [
    { name: 'a healthy rollout', setup: () => {}, image: NEW, clean: 'completed' },
    {
      name: 'a failing rollout rolled back by us',
      setup: (w) => {
        w.ecs.script(BROKEN, 'pull-fails');
        w.ecs.service('prod', 'web').circuitBreaker = { enable: false, rollback: false };
      },
      image: BROKEN,
      clean: 'rolled-back',
    },
    {
      name: 'a failing rollout rolled back by the circuit breaker',
      setup: (w) => w.ecs.script(BROKEN, 'pull-fails'),
      image: BROKEN,
      deploy: { failFastAfter: 0 },
      clean: 'rolled-back',
    },
  ];

  /** What a fault at this call must lead to. */
  type Expectation = { readonly throws: RegExp } | { readonly status: string; readonly reason?: RegExp };
  function expected(
    call: Call,
    index: number,
    prepareCalls: number,
    clean: string,
    updates: number,
  ): Expectation {
    if (index < prepareCalls) return { throws: new RegExp(call.op) };
    if (call.op === 'RegisterTaskDefinition') return { status: 'failed', reason: /RegisterTaskDefinition/ };
    if (call.op === 'UpdateService' && updates === 0) return { status: 'failed', reason: /UpdateService/ };
    if (call.op === 'UpdateService') return { status: 'failed', reason: /the rollback could not start/ };
    return { status: clean };
  }

  for (const scenario of scenarios) {
    for (const [fault, error] of [
      ['503', awsErrors.unavailable],
      ['throttle', awsErrors.throttled],
    ] as const) {
      it(`${scenario.name}: ${fault} at each call`, async () => {
        const clean = world();
        scenario.setup(clean);
        const [cleanResult] = await deploy(clean, { image: scenario.image, deploy: scenario.deploy ?? {} });
        expect(cleanResult!.status).toBe(scenario.clean);
        const calls = clean.ecs.calls;
        const prepareCalls = calls.findIndex((c) => c.op === 'RegisterTaskDefinition');
        let updates = 0;
        const rows: string[] = [];
        for (const [index, call] of calls.entries()) {
          const w = world();
          scenario.setup(w);
          w.ecs.failCall(index, error);
          const want = expected(call, index, prepareCalls, scenario.clean, updates);
          if (call.op === 'UpdateService') updates += 1;
          try {
            const [result] = await deploy(w, { image: scenario.image, deploy: scenario.deploy ?? {} });
            if ('throws' in want)
              rows.push(`#${index} ${call.op}: expected a thrown error, got ${result!.status}`);
            else if (
              result!.status !== want.status ||
              (want.reason && !want.reason.test(result!.reason ?? ''))
            ) {
              rows.push(
                `#${index} ${call.op}: ${result!.status} (${result!.reason ?? ''}), expected ${want.status}`,
              );
            }
          } catch (e) {
            if (!('throws' in want) || !want.throws.test((e as Error).message)) {
              rows.push(`#${index} ${call.op}: threw ${(e as Error).message}`);
            }
          }
        }
        expect(rows).toEqual([]);
        expect(calls.length).toBeGreaterThan(4);
      });
    }
  }
});
