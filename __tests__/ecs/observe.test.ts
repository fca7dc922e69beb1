// The ECS target's logs of failed tasks and its alarms, in-process: a scripted ECS, scripted log and alarm
// readers with fault tables, and a fake clock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AlarmReader, AlarmStatus } from '../../src/deploy/bake.ts';
import { runTarget } from '../../src/deploy/driver.ts';
import type { EcsResult } from '../../src/deploy/types.ts';
import type { LogReader } from '../../src/ecs/logs.ts';
import { prepareEcsTarget } from '../../src/ecs/target.ts';
import { FakeClock } from '../fakes/clock.ts';
import { FakeEcs } from '../fakes/ecs.ts';
import { RecordingLog } from '../fakes/log.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const NEW = `${REPO}@sha256:${'a'.repeat(64)}`;
const CRASH = `${REPO}@sha256:${'c'.repeat(64)}`;
const dir = mkdtempSync(join(tmpdir(), 'observe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let clocks: FakeClock[] = [];
afterEach(() => {
  for (const c of clocks) c.stop();
  clocks = [];
});

const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

async function deploy(options: {
  image: string;
  logReader?: LogReader;
  alarmReader?: AlarmReader;
  alarms?: { names: string[]; bakeTimeMs: number; rollback: boolean };
}) {
  const clock = new FakeClock();
  clocks.push(clock);
  const ecs = new FakeEcs(clock);
  ecs.addService({
    cluster: 'prod',
    image: `${REPO}:v1`,
    name: 'web',
    circuitBreaker: { enable: false, rollback: false },
  });
  const file = join(dir, `td-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      family: 'web',
      containerDefinitions: [
        {
          name: 'app',
          image: `${REPO}:v1`,
          essential: true,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/web',
              'awslogs-stream-prefix': 'ecs',
              'awslogs-region': 'eu-west-1',
            },
          },
        },
      ],
    }),
  );
  ecs.script(CRASH, 'crashes');
  const log = new RecordingLog();
  const port = await prepareEcsTarget({
    ecs: ecs as unknown as ECSClient,
    target: {
      kind: 'ecs',
      cluster: 'prod',
      services: ['web'],
      taskDefinitionFiles: new Map([['web', file]]),
      containers: [],
      environment: [],
      forceNewDeployment: false,
      desiredCount: undefined,
      preDeployCommand: undefined,
      ...(options.alarms ? { alarms: options.alarms } : {}),
    },
    region: 'eu-west-1',
    clock,
    log,
    repositoryUri: REPO,
    preDeployTimeoutMs: 60_000,
    ...(options.logReader ? { logReader: options.logReader } : {}),
    ...(options.alarmReader ? { alarmReader: options.alarmReader } : {}),
  });
  const [result] = (await runTarget(
    port,
    { imageRef: options.image, repositoryUri: REPO },
    {
      deploy: {
        wait: true,
        timeoutMs: 15 * 60_000,
        failFastAfter: 2,
        rollbackOnFailure: true,
        dryRun: false,
      },
      clock,
      log,
    },
  )) as EcsResult[];
  return { result: result!, log, ecs };
}

describe('the last log lines of failed tasks', () => {
  it('prints them and links the stream in the reason', async () => {
    const asked: string[] = [];
    const logReader: LogReader = {
      lastEvents: (_region, group, stream, limit) => {
        asked.push(`${group} ${stream} ${limit}`);
        return Promise.resolve([{ message: 'panic: DATABASE_URL is not set' }]);
      },
    };
    const { result, log } = await deploy({ image: CRASH, logReader });
    expect(result.status).toBe('rolled-back');
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0]).toMatch(/^\/ecs\/web ecs\/app\/\w+ 30$/);
    expect(log.lines).toContain('  panic: DATABASE_URL is not set');
    expect(result.reason).toMatch(
      /; logs: https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/.*log-events\/ecs\$252Fapp\$252F/,
    );
  });

  it.each([
    ['AccessDenied', denied, true],
    ['throttling', throttled, false],
  ])('a reader failing with %s leaves the verdict as it was', async (_name, error, warns) => {
    const logReader: LogReader = { lastEvents: () => Promise.reject(error()) };
    const { result, log } = await deploy({ image: CRASH, logReader });
    expect(result.status).toBe('rolled-back');
    expect(result.reason).toMatch(/EssentialContainerExited|exit/);
    expect(result.reason).not.toMatch(/logs: https/);
    expect(log.lines.some((l) => /^warning: .*logs:GetLogEvents/.test(l))).toBe(warns);
  });
});

const ok = (name: string): AlarmStatus => ({ name, state: 'OK', reason: 'fine' });
const firing = (name: string): AlarmStatus => ({ name, state: 'ALARM', reason: 'Threshold Crossed: 9 > 5' });

function reader(answers: (readonly AlarmStatus[] | (() => Error))[]): AlarmReader {
  let calls = 0;
  return {
    describe() {
      const a = answers[Math.min(calls++, answers.length - 1)]!;
      return typeof a === 'function' ? Promise.reject(a()) : Promise.resolve(a);
    },
  };
}

describe('alarms and the bake', () => {
  const alarms = { names: ['web-5xx'], bakeTimeMs: 5 * 60_000, rollback: true };

  it('sets the deployment alarms on UpdateService and completes after a quiet bake', async () => {
    const { result, log, ecs } = await deploy({ image: NEW, alarms, alarmReader: reader([[ok('web-5xx')]]) });
    expect(result.status).toBe('completed');
    const update = ecs.calls.find((c) => c.op === 'UpdateService' && !c.error)!;
    expect(update.input.deploymentConfiguration).toMatchObject({
      alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true },
    });
    expect(log.text()).toMatch(/bake of 5 min 0 s passed/);
  });

  it.each([
    [
      'an alarm fires during the bake',
      [[ok('web-5xx')], [firing('web-5xx')]],
      'rolled-back',
      /bake, alarm web-5xx is in ALARM \(Threshold Crossed: 9 > 5\); rolled back to/,
    ],
    ['the permission is missing', [denied], 'completed', undefined],
    ['throttled, then quiet', [throttled, [ok('web-5xx')]], 'completed', undefined],
    ['throttled, then firing', [throttled, [firing('web-5xx')]], 'rolled-back', /alarm web-5xx is in ALARM/],
  ])('%s', async (_name, answers, status, reason) => {
    const { result } = await deploy({ image: NEW, alarms, alarmReader: reader(answers) });
    expect(result.status).toBe(status);
    if (reason) expect(result.reason).toMatch(reason);
  });
});
