// Fake Amazon CloudWatch Logs (awsJson1_1, target prefix Logs_20140328), fed by the fake ECS with the output
// of the real containers of tasks whose container definitions use the `awslogs` driver. Behaviour follows
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/ (see sandbox/README.md "CloudWatch
// Logs" for what is documented and what is assumed).
import { AwsError, type CallContext, type JsonService } from './protocol.ts';
import type { World } from '../world.ts';

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

interface LogStream {
  name: string;
  createdAt: number;
  events: LogEvent[];
}

interface LogGroup {
  name: string;
  region: string;
  createdAt: number;
  streams: Map<string, LogStream>;
}

/** Log groups per world, keyed `region|name` (log groups are regional). */
const stores = new WeakMap<World, Map<string, LogGroup>>();

function groupsOf(world: World): Map<string, LogGroup> {
  let groups = stores.get(world);
  if (!groups) {
    groups = new Map();
    stores.set(world, groups);
  }
  return groups;
}

function notFound(what: 'group' | 'stream'): AwsError {
  return new AwsError('ResourceNotFoundException', `The specified log ${what} does not exist.`);
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

/** `logGroupIdentifier` may be a name or an ARN (`arn:aws:logs:region:account:log-group:name[:*]`). */
function groupName(input: Record<string, unknown>): string {
  const id = input.logGroupName ?? input.logGroupIdentifier;
  if (typeof id !== 'string' || id.length === 0)
    throw invalid('logGroupName or logGroupIdentifier is required');
  const arn = /^arn:aws[\w-]*:logs:[^:]*:\d+:log-group:([^:]+)(?::\*)?$/.exec(id);
  return arn ? arn[1]! : id;
}

function getGroup(world: World, region: string, name: string): LogGroup | undefined {
  return groupsOf(world).get(`${region}|${name}`);
}

function createGroup(world: World, region: string, name: string, now: number): LogGroup {
  const group: LogGroup = { name, region, createdAt: now, streams: new Map() };
  groupsOf(world).set(`${region}|${name}`, group);
  return group;
}

/**
 * What the awslogs driver does with a container's output lines: appends them to `group/stream`, creating the
 * stream (the driver calls CreateLogStream) and, with `awslogs-create-group: true`, the group. Returns false
 * when the group does not exist and may not be created (real ECS then fails the task; see README).
 */
export function appendContainerLog(
  world: World,
  target: { region: string; group: string; stream: string; createGroup: boolean },
  lines: readonly { timestamp: number; message: string }[],
): boolean {
  const now = Date.now();
  let group = getGroup(world, target.region, target.group);
  if (!group) {
    if (!target.createGroup) return false;
    group = createGroup(world, target.region, target.group, now);
  }
  let stream = group.streams.get(target.stream);
  if (!stream) {
    stream = { name: target.stream, createdAt: now, events: [] };
    group.streams.set(target.stream, stream);
  }
  for (const line of lines) stream.events.push({ ...line, ingestionTime: now });
  stream.events.sort((a, b) => a.timestamp - b.timestamp);
  return true;
}

const MAX_EVENTS = 10_000;

/** Tokens are opaque to callers: `f/<index>` (forward) and `b/<index>` (backward), as the real ones look. */
function parseToken(token: unknown): { dir: 'f' | 'b'; index: number } | undefined {
  if (token === undefined || token === null) return undefined;
  const m = /^([fb])\/(\d+)$/.exec(String(token));
  if (!m) throw invalid('The specified nextToken is invalid.');
  return { dir: m[1] as 'f' | 'b', index: Number(m[2]) };
}

function getLogEvents(world: World, input: Record<string, unknown>, ctx: CallContext) {
  const group = getGroup(world, ctx.region, groupName(input));
  if (!group) throw notFound('group');
  const streamName = input.logStreamName;
  if (typeof streamName !== 'string' || !streamName) throw invalid('logStreamName is required');
  const stream = group.streams.get(streamName);
  if (!stream) throw notFound('stream');
  const limit = input.limit === undefined ? MAX_EVENTS : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS)
    throw invalid(`limit must be between 1 and ${MAX_EVENTS}`);
  const start = input.startTime === undefined ? -Infinity : Number(input.startTime);
  const end = input.endTime === undefined ? Infinity : Number(input.endTime);
  // startTime inclusive, endTime exclusive (API reference: "Events with a timestamp ... later than this time are not included").
  const inRange = stream.events
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => e.timestamp >= start && e.timestamp < end);
  const token = parseToken(input.nextToken);
  const fromHead = token ? token.dir === 'f' : input.startFromHead === true;
  let page: typeof inRange;
  if (fromHead) {
    const after = token?.dir === 'f' ? token.index : -1;
    page = inRange.filter(({ index }) => index > after).slice(0, limit);
  } else {
    const before = token?.dir === 'b' ? token.index : Infinity;
    page = inRange.filter(({ index }) => index < before).slice(-limit);
  }
  // At the end of the stream the same token comes back (the documented way to see there is nothing more).
  const forward = page.length ? page.at(-1)!.index : (token?.index ?? inRange.at(-1)?.index ?? -1);
  const backward = page.length ? page[0]!.index : (token?.index ?? inRange[0]?.index ?? 0);
  return {
    events: page.map(({ e }) => e),
    nextForwardToken: `f/${forward}`,
    nextBackwardToken: `b/${backward}`,
  };
}

function describeLogStreams(world: World, input: Record<string, unknown>, ctx: CallContext) {
  const group = getGroup(world, ctx.region, groupName(input));
  if (!group) throw notFound('group');
  const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : '';
  if (prefix && input.orderBy === 'LastEventTime')
    throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
  let streams = [...group.streams.values()].filter((s) => s.name.startsWith(prefix));
  streams.sort((a, b) =>
    input.orderBy === 'LastEventTime'
      ? (a.events.at(-1)?.timestamp ?? 0) - (b.events.at(-1)?.timestamp ?? 0)
      : a.name.localeCompare(b.name),
  );
  if (input.descending === true) streams = streams.reverse();
  const limit = input.limit === undefined ? 50 : Number(input.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw invalid('limit must be between 1 and 50');
  const offset = input.nextToken === undefined ? 0 : Number(input.nextToken);
  const page = streams.slice(offset, offset + limit);
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.name,
      creationTime: s.createdAt,
      arn: `arn:aws:logs:${group.region}:${ctx.accountId}:log-group:${group.name}:log-stream:${s.name}`,
      ...(s.events.length
        ? {
            firstEventTimestamp: s.events[0]!.timestamp,
            lastEventTimestamp: s.events.at(-1)!.timestamp,
            lastIngestionTime: s.events.at(-1)!.ingestionTime,
          }
        : {}),
      storedBytes: 0,
    })),
    ...(offset + limit < streams.length ? { nextToken: String(offset + limit) } : {}),
  };
}

export function createLogsService(world: World): JsonService {
  return {
    protocol: 'json',
    name: 'logs',
    signingName: 'logs',
    targetPrefix: 'Logs_20140328',
    operations: {
      CreateLogGroup(input: Record<string, unknown>, ctx: CallContext) {
        const name = input.logGroupName;
        if (typeof name !== 'string' || !/^[\w\-./#]{1,512}$/.test(name))
          throw invalid('logGroupName must match [\\.\\-_/#A-Za-z0-9]+ (1-512 characters)');
        if (getGroup(world, ctx.region, name))
          throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
        createGroup(world, ctx.region, name, Date.now());
        return {};
      },
      CreateLogStream(input: Record<string, unknown>, ctx: CallContext) {
        const group = getGroup(world, ctx.region, groupName(input));
        if (!group) throw notFound('group');
        const name = input.logStreamName;
        if (typeof name !== 'string' || !name || name.includes(':') || name.includes('*'))
          throw invalid('logStreamName must be 1-512 characters without : or *');
        if (group.streams.has(name))
          throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
        group.streams.set(name, { name, createdAt: Date.now(), events: [] });
        return {};
      },
      PutLogEvents(input: Record<string, unknown>, ctx: CallContext) {
        const group = getGroup(world, ctx.region, groupName(input));
        if (!group) throw notFound('group');
        const stream = group.streams.get(String(input.logStreamName ?? ''));
        if (!stream) throw notFound('stream');
        const events = (input.logEvents ?? []) as { timestamp?: number; message?: string }[];
        if (!Array.isArray(events) || events.length === 0) throw invalid('logEvents must not be empty');
        const now = Date.now();
        for (const e of events) {
          stream.events.push({
            timestamp: Number(e.timestamp),
            message: String(e.message ?? ''),
            ingestionTime: now,
          });
        }
        stream.events.sort((a, b) => a.timestamp - b.timestamp);
        return { nextSequenceToken: String(stream.events.length) };
      },
      DescribeLogStreams: (input: Record<string, unknown>, ctx: CallContext) =>
        describeLogStreams(world, input, ctx),
      GetLogEvents: (input: Record<string, unknown>, ctx: CallContext) => getLogEvents(world, input, ctx),
    },
  };
}
