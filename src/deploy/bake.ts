// CloudWatch alarms around a rollout: the `alarms` and `bake-time` inputs (pure), which alarms fire (pure),
// and the bake — after the rollout completed, the alarms are watched for `bake-time` and one going to ALARM
// fails the rollout (which the driver then rolls back). Both targets use it.
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import { errorName } from '../aws/errors.ts';
import type { Clock } from './clock.ts';
import { formatDuration, parseDurationMs } from './duration.ts';
import type { Log } from './log.ts';
import type { Verdict } from './target.ts';
import type { AlarmWatch } from './types.ts';

/** The longest bake: a day (a job still has to finish). */
export const MAX_BAKE_MS = 24 * 3_600_000;

/** Pure: the `alarms` lines and the `bake-time` duration; undefined when no alarm is named. */
export function parseAlarmWatch(alarms: string, bakeTime: string, rollback: boolean): AlarmWatch | undefined {
  const names = alarms
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  for (const name of names) {
    if (name.length > 255 || /[\p{Cc}]/u.test(name)) {
      throw new InputError(
        Input.Alarms,
        `"${name}" is not a CloudWatch alarm name (1-255 printable characters).`,
      );
    }
  }
  if (new Set(names).size !== names.length) throw new InputError(Input.Alarms, 'names an alarm twice.');
  let bakeTimeMs = 0;
  if (bakeTime.trim() !== '') {
    const ms = parseDurationMs(bakeTime);
    if (ms === undefined) {
      throw new InputError(Input.BakeTime, `invalid duration "${bakeTime}". Use number + unit: 30s, 5m, 1h.`);
    }
    if (ms > MAX_BAKE_MS)
      throw new InputError(Input.BakeTime, `"${bakeTime}" is longer than 24h. Give a shorter bake.`);
    bakeTimeMs = ms;
  }
  if (names.length === 0) {
    if (bakeTimeMs > 0) {
      throw new InputError(
        Input.BakeTime,
        'needs alarms to watch. Name them in the alarms input (one per line).',
      );
    }
    return undefined;
  }
  return { names, bakeTimeMs, rollback };
}

export interface AlarmStatus {
  readonly name: string;
  readonly state: string;
  readonly reason: string;
}

/** The one call the bake makes (DescribeAlarms), so tests can script it. */
export interface AlarmReader {
  describe(names: readonly string[]): Promise<readonly AlarmStatus[]>;
}

/** Pure: the watched alarms in ALARM, in the order named. */
export function firingAlarms(watched: readonly string[], statuses: readonly AlarmStatus[]): AlarmStatus[] {
  return watched.flatMap((name) => statuses.filter((s) => s.name === name && s.state === 'ALARM'));
}

/** Pure: watched alarm names CloudWatch does not know (a typo would otherwise never fire). */
export function unknownAlarms(watched: readonly string[], statuses: readonly AlarmStatus[]): string[] {
  return watched.filter((name) => !statuses.some((s) => s.name === name));
}

export function describeFiring(firing: readonly AlarmStatus[]): string {
  return firing.map((a) => `alarm ${a.name} is in ALARM (${a.reason})`).join('; ');
}

const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation']);

export interface BakeOptions {
  readonly reader: AlarmReader;
  readonly watch: AlarmWatch;
  readonly clock: Clock;
  readonly log: Log;
  /** `cluster/service` or `namespace/deployment`, for the messages. */
  readonly name: string;
  /** How often the alarms are read (default 10 s: CloudWatch evaluates alarms once a minute at best). */
  readonly intervalMs?: number;
}

/**
 * After the rollout completed: reads the alarms every interval for the bake time. One in ALARM → `failed`
 * naming it and its reason (the driver rolls back). The alarms cannot be read (permission missing) → a
 * warning naming `cloudwatch:DescribeAlarms`, and the rollout stays `completed` (it did complete; nothing
 * says otherwise). Other read errors are retried at the next interval.
 */
export async function bake(options: BakeOptions): Promise<Verdict> {
  const { reader, watch, clock, log, name } = options;
  const interval = options.intervalMs ?? 10_000;
  const end = clock.now() + watch.bakeTimeMs;
  log.info(
    `${name}: baking for ${formatDuration(watch.bakeTimeMs)}, watching alarm(s) ${watch.names.join(', ')}.`,
  );
  let warnedUnknown = false;
  let lastError: string | undefined;
  for (;;) {
    try {
      const statuses = await reader.describe(watch.names);
      lastError = undefined;
      const unknown = unknownAlarms(watch.names, statuses);
      if (unknown.length > 0 && !warnedUnknown) {
        warnedUnknown = true;
        log.warning(
          `${name}: CloudWatch has no alarm named ${unknown.join(', ')}; it cannot fire. Check the alarms input.`,
        );
      }
      const firing = firingAlarms(watch.names, statuses);
      if (firing.length > 0) {
        return {
          kind: 'failed',
          reason: `during the ${formatDuration(watch.bakeTimeMs)} bake, ${describeFiring(firing)}`,
        };
      }
    } catch (error) {
      if (DENIED.has(errorName(error) ?? '')) {
        log.warning(
          `${name}: cannot watch the alarms during the bake: permission cloudwatch:DescribeAlarms is missing; the rollout completed and stays completed.`,
        );
        return { kind: 'completed' };
      }
      const text = error instanceof Error ? error.message : String(error);
      if (lastError === undefined) log.info(`${name}: could not read the alarms (${text}); asking again.`);
      lastError = text;
    }
    const left = end - clock.now();
    if (left <= 0) break;
    await clock.sleep(Math.min(interval, left));
  }
  if (lastError !== undefined) {
    log.warning(
      `${name}: the alarms could not be read at the end of the bake (${lastError}); the rollout stays completed.`,
    );
  } else {
    log.info(`${name}: bake of ${formatDuration(watch.bakeTimeMs)} passed; no alarm fired.`);
  }
  return { kind: 'completed' };
}

/** CloudWatch through the SDK, one client (the deploy's region), loaded on first use. */
export function sdkAlarmReader(region: string, env: NodeJS.ProcessEnv): AlarmReader {
  let client: Promise<import('@aws-sdk/client-cloudwatch').CloudWatchClient> | undefined;
  return {
    async describe(names) {
      const { createCloudWatchClient } = await import('../aws/clients.ts');
      client ??= createCloudWatchClient({ region, env });
      const { DescribeAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
      const out = await (
        await client
      ).send(
        new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
      );
      return [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])].map((a) => ({
        name: a.AlarmName ?? '',
        state: a.StateValue ?? '',
        reason: a.StateReason ?? '',
      }));
    },
  };
}
