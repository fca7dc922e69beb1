import { describe, expect, it } from 'vitest';
import {
  bake,
  firingAlarms,
  parseAlarmWatch,
  unknownAlarms,
  type AlarmReader,
  type AlarmStatus,
} from '../../src/deploy/bake.ts';
import { deploymentAlarmsFor } from '../../src/ecs/alarms.ts';
import { FakeClock } from '../fakes/clock.ts';
import { RecordingLog } from '../fakes/log.ts';

describe('parseAlarmWatch: the alarms and bake-time inputs', () => {
  it.each([
    ['', '', undefined],
    ['shop-5xx', '', { names: ['shop-5xx'], bakeTimeMs: 0, rollback: true }],
    [
      'shop-5xx\n  shop-latency  \n',
      '5m',
      { names: ['shop-5xx', 'shop-latency'], bakeTimeMs: 300_000, rollback: true },
    ],
    ['a', '1h30m', { names: ['a'], bakeTimeMs: 5_400_000, rollback: true }],
  ])('%j with bake %j', (alarms, bakeTime, expected) => {
    expect(parseAlarmWatch(alarms, bakeTime, true)).toEqual(expected);
  });

  it.each([
    ['', '5m', /bake-time.*needs alarms/],
    ['a', '5 minutes', /bake-time.*invalid duration "5 minutes"/],
    ['a', '25h', /bake-time.*longer than 24h/],
    ['a\na', '', /alarms.*twice/],
    ['x'.repeat(256), '', /alarms.*not a CloudWatch alarm name/],
  ])('rejects %j with bake %j', (alarms, bakeTime, message) => {
    expect(() => parseAlarmWatch(alarms, bakeTime, true)).toThrow(message);
  });
});

const status = (name: string, state: string, reason = `${name} is ${state}`): AlarmStatus => ({
  name,
  state,
  reason,
});

describe('firing and unknown alarms', () => {
  it.each([
    [['a', 'b'], [status('a', 'OK'), status('b', 'ALARM')], ['b'], []],
    [['a', 'b'], [status('a', 'INSUFFICIENT_DATA')], [], ['b']],
    [['a'], [status('a', 'ALARM'), status('other', 'ALARM')], ['a'], []],
  ])('watching %j', (watched, statuses, firing, unknown) => {
    expect(firingAlarms(watched, statuses).map((s) => s.name)).toEqual(firing);
    expect(unknownAlarms(watched, statuses)).toEqual(unknown);
  });
});

describe('deploymentAlarmsFor: ECS deployment alarms', () => {
  const watch = { names: ['a', 'b'], bakeTimeMs: 0, rollback: true };
  it.each([
    ['nothing watched', { maximumPercent: 200 }, undefined, undefined],
    [
      'adds the alarms, keeps the rest',
      { maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      watch,
      {
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        alarms: { alarmNames: ['a', 'b'], enable: true, rollback: true },
      },
    ],
    [
      'already set (any order)',
      { alarms: { alarmNames: ['b', 'a'], enable: true, rollback: true } },
      watch,
      undefined,
    ],
    [
      'rollback changed',
      { alarms: { alarmNames: ['a', 'b'], enable: true, rollback: true } },
      { ...watch, rollback: false },
      { alarms: { alarmNames: ['a', 'b'], enable: true, rollback: false } },
    ],
  ])('%s', (_name, current, w, expected) => {
    expect(deploymentAlarmsFor(current, w)).toEqual(expected);
  });
});

/** A reader answering from a script: one entry per call (the last repeats); an Error is thrown. */
function scripted(answers: (readonly AlarmStatus[] | Error)[]): AlarmReader & { calls: number } {
  const reader = {
    calls: 0,
    describe() {
      const answer = answers[Math.min(reader.calls, answers.length - 1)]!;
      reader.calls += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return reader;
}

const denied = () => Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
const watch = { names: ['shop-5xx'], bakeTimeMs: 60_000, rollback: true };

describe('bake: the rollout is completed only once the alarms stayed quiet', () => {
  it.each([
    [
      'quiet for the whole bake',
      [[status('shop-5xx', 'OK')]],
      'completed',
      7,
      60_000,
      /bake of 1 min 0 s passed/,
    ],
    [
      'an alarm goes to ALARM after 20 s',
      [
        [status('shop-5xx', 'OK')],
        [status('shop-5xx', 'OK')],
        [status('shop-5xx', 'ALARM', 'Threshold Crossed: 5 datapoints')],
      ],
      'failed',
      3,
      20_000,
      /baking for 1 min 0 s/,
    ],
    [
      'a read error is asked again',
      [new Error('socket hang up'), [status('shop-5xx', 'OK')]],
      'completed',
      7,
      60_000,
      /could not read the alarms \(socket hang up\); asking again/,
    ],
    ['the permission is missing', [denied()], 'completed', 1, 0, /warning: .*cloudwatch:DescribeAlarms/],
    ['an alarm that does not exist', [[]], 'completed', 7, 60_000, /warning: .*no alarm named shop-5xx/],
  ])('%s', async (_name, answers, kind, calls, elapsed, line) => {
    const clock = new FakeClock();
    const start = clock.now();
    const log = new RecordingLog();
    const reader = scripted(answers);
    const verdict = await bake({ reader, watch, clock, log, name: 'prod/web', intervalMs: 10_000 });
    expect(verdict.kind).toBe(kind);
    if (verdict.kind === 'failed')
      expect(verdict.reason).toBe(
        'during the 1 min 0 s bake, alarm shop-5xx is in ALARM (Threshold Crossed: 5 datapoints)',
      );
    expect(reader.calls).toBe(calls);
    expect(clock.now() - start).toBe(elapsed);
    expect(log.text()).toMatch(line);
  });
});
