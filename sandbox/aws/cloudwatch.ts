// Fake Amazon CloudWatch alarms (service shape GraniteServiceVersion20100801, query-compatible errors): the
// bundled SDK client speaks awsJson1_0, botocore (the AWS CLI) Smithy RPC v2 CBOR; the server answers both
// from these handlers. A test sets an alarm's state with the real `SetAlarmState` ("temporarily sets the state
// of an alarm for testing purposes"). Behaviour follows
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/ (see sandbox/README.md "CloudWatch").
import { AwsError, type CallContext, type JsonService } from './protocol.ts';
import type { World } from '../world.ts';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
const STATES: readonly string[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export interface MetricAlarm {
  AlarmName: string;
  AlarmArn: string;
  AlarmDescription?: string;
  ActionsEnabled: boolean;
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  Period?: number;
  EvaluationPeriods: number;
  Threshold?: number;
  ComparisonOperator: string;
  StateValue: AlarmState;
  StateReason: string;
  StateUpdatedTimestamp: Date;
  StateTransitionedTimestamp: Date;
  AlarmConfigurationUpdatedTimestamp: Date;
}

const stores = new WeakMap<World, Map<string, MetricAlarm>>();

function alarmsOf(world: World): Map<string, MetricAlarm> {
  let alarms = stores.get(world);
  if (!alarms) {
    alarms = new Map();
    stores.set(world, alarms);
  }
  return alarms;
}

/** The alarm, for the fake ECS's deployment alarms (undefined: no such alarm in that region). */
export function findAlarm(world: World, region: string, name: string): MetricAlarm | undefined {
  return alarmsOf(world).get(`${region}|${name}`);
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

function names(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100) throw invalid('AlarmNames must hold at most 100 names.');
  return value.map(String);
}

export function createCloudWatchService(world: World): JsonService {
  return {
    protocol: 'json',
    name: 'cloudwatch',
    signingName: 'monitoring',
    targetPrefix: 'GraniteServiceVersion20100801',
    jsonVersion: '1.0',
    queryCompatible: true,
    cborServiceName: 'GraniteServiceVersion20100801',
    operations: {
      PutMetricAlarm(input: Record<string, unknown>, ctx: CallContext) {
        const name = input.AlarmName;
        if (typeof name !== 'string' || name.length < 1 || name.length > 255)
          throw new AwsError('MissingParameter', 'The parameter AlarmName is required.');
        const evaluationPeriods = Number(input.EvaluationPeriods);
        if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1)
          throw new AwsError('MissingParameter', 'The parameter EvaluationPeriods is required.');
        if (typeof input.ComparisonOperator !== 'string')
          throw new AwsError('MissingParameter', 'The parameter ComparisonOperator is required.');
        const now = new Date();
        const key = `${ctx.region}|${name}`;
        const existing = alarmsOf(world).get(key);
        // A new alarm starts in INSUFFICIENT_DATA; an update keeps its state (API reference: PutMetricAlarm).
        alarmsOf(world).set(key, {
          AlarmName: name,
          AlarmArn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`,
          ...(typeof input.AlarmDescription === 'string' ? { AlarmDescription: input.AlarmDescription } : {}),
          ActionsEnabled: input.ActionsEnabled !== false,
          ...(typeof input.MetricName === 'string' ? { MetricName: input.MetricName } : {}),
          ...(typeof input.Namespace === 'string' ? { Namespace: input.Namespace } : {}),
          ...(typeof input.Statistic === 'string' ? { Statistic: input.Statistic } : {}),
          ...(input.Period !== undefined ? { Period: Number(input.Period) } : {}),
          EvaluationPeriods: evaluationPeriods,
          ...(input.Threshold !== undefined ? { Threshold: Number(input.Threshold) } : {}),
          ComparisonOperator: input.ComparisonOperator,
          StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
          StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
          StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? now,
          StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? now,
          AlarmConfigurationUpdatedTimestamp: now,
        });
        return {};
      },
      DescribeAlarms(input: Record<string, unknown>, ctx: CallContext) {
        const wanted = names(input.AlarmNames);
        if (input.StateValue !== undefined && !STATES.includes(String(input.StateValue)))
          throw invalid(`Invalid StateValue ${String(input.StateValue)}`);
        const prefix = typeof input.AlarmNamePrefix === 'string' ? input.AlarmNamePrefix : undefined;
        if (prefix !== undefined && wanted.length > 0)
          throw invalid('AlarmNames and AlarmNamePrefix cannot be used together.');
        const types = (input.AlarmTypes as string[] | undefined) ?? ['MetricAlarm'];
        const max = input.MaxRecords === undefined ? 50 : Number(input.MaxRecords);
        if (!Number.isInteger(max) || max < 1 || max > 100)
          throw invalid('MaxRecords must be between 1 and 100.');
        const all = [...alarmsOf(world).values()]
          .filter((a) => a.AlarmArn.split(':')[3] === ctx.region)
          .filter((a) => wanted.length === 0 || wanted.includes(a.AlarmName))
          .filter((a) => prefix === undefined || a.AlarmName.startsWith(prefix))
          .filter((a) => input.StateValue === undefined || a.StateValue === input.StateValue)
          .sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
        const offset = input.NextToken === undefined ? 0 : Number(input.NextToken);
        if (!Number.isInteger(offset) || offset < 0) throw invalid('Invalid NextToken.');
        const page = types.includes('MetricAlarm') ? all.slice(offset, offset + max) : [];
        return {
          MetricAlarms: page,
          CompositeAlarms: [],
          ...(types.includes('MetricAlarm') && offset + max < all.length
            ? { NextToken: String(offset + max) }
            : {}),
        };
      },
      SetAlarmState(input: Record<string, unknown>, ctx: CallContext) {
        const alarm = findAlarm(world, ctx.region, String(input.AlarmName ?? ''));
        if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${String(input.AlarmName)} not found`, 404);
        const state = String(input.StateValue ?? '');
        if (!STATES.includes(state)) throw invalid(`Invalid StateValue ${state}`);
        if (typeof input.StateReason !== 'string')
          throw new AwsError('MissingParameter', 'The parameter StateReason is required.');
        const now = new Date();
        if (alarm.StateValue !== state) alarm.StateTransitionedTimestamp = now;
        alarm.StateValue = state as AlarmState;
        alarm.StateReason = input.StateReason;
        alarm.StateUpdatedTimestamp = now;
        return {};
      },
      DeleteAlarms(input: Record<string, unknown>, ctx: CallContext) {
        const wanted = names(input.AlarmNames);
        const missing = wanted.filter((n) => !findAlarm(world, ctx.region, n));
        if (missing.length > 0)
          throw new AwsError('ResourceNotFound', `Alarms [${missing.join(', ')}] do not exist`, 404);
        for (const n of wanted) alarmsOf(world).delete(`${ctx.region}|${n}`);
        return {};
      },
    },
  };
}
