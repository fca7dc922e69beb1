// Fake AWS CloudTrail event history (awsJson1_1, target prefix
// com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101): `LookupEvents` answered from the sandbox's own call
// log — every signed call the AWS endpoint answered, with the caller's user agent and identity. Behaviour
// follows https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html (see
// sandbox/README.md "CloudTrail" for what is documented and what is assumed).
import { randomUUID } from 'node:crypto';
import { AwsError, type CallContext, type JsonService } from './protocol.ts';
import { sanitize } from './faults.ts';
import { SANDBOX_USER_ID } from './sts.ts';
import type { World } from '../world.ts';

/** One call as CloudTrail records it (the fields of a CloudTrail record the sandbox knows). */
export interface TrailEvent {
  eventId: string;
  eventTime: Date;
  eventName: string;
  /** `<signing name>.amazonaws.com`: ecs.amazonaws.com, ecr.amazonaws.com, monitoring.amazonaws.com … */
  eventSource: string;
  region: string;
  accountId: string;
  accessKeyId: string;
  userAgent: string;
  sourceIp: string;
  requestId: string;
  readOnly: boolean;
  requestParameters: unknown;
  errorCode?: string;
  errorMessage?: string;
}

const MAX_EVENTS = 20_000;
const trails = new WeakMap<World, TrailEvent[]>();

function trailOf(world: World): TrailEvent[] {
  let trail = trails.get(world);
  if (!trail) {
    trail = [];
    trails.set(world, trail);
  }
  return trail;
}

/** Read-only management events: the operations that only read (CloudTrail's `readOnly` field). */
export function isReadOnly(operation: string): boolean {
  return /^(Describe|Get|List|Lookup|BatchGet|BatchCheck|Head)/.test(operation);
}

/** Called by the AWS server for every call whose signature was verified (answered or failed). */
export function recordTrailEvent(
  world: World,
  call: Omit<TrailEvent, 'eventId' | 'readOnly' | 'accountId'> & { signingName: string },
): void {
  const { signingName: _s, ...rest } = call;
  const trail = trailOf(world);
  trail.push({
    ...rest,
    eventId: randomUUID(),
    accountId: world.config.accountId,
    readOnly: isReadOnly(call.eventName),
    requestParameters: sanitize(call.requestParameters),
  });
  if (trail.length > MAX_EVENTS) trail.splice(0, trail.length - MAX_EVENTS);
}

export const LOOKUP_ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

const USER_NAME = 'sandbox';

function userIdentity(e: TrailEvent) {
  return {
    type: 'IAMUser',
    principalId: SANDBOX_USER_ID,
    arn: `arn:aws:iam::${e.accountId}:user/${USER_NAME}`,
    accountId: e.accountId,
    accessKeyId: e.accessKeyId,
    userName: USER_NAME,
  };
}

/** The record as CloudTrail serialises it into `CloudTrailEvent` (a JSON string). */
export function cloudTrailRecord(e: TrailEvent): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: userIdentity(e),
    eventTime: e.eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: e.eventSource,
    eventName: e.eventName,
    awsRegion: e.region,
    sourceIPAddress: e.sourceIp,
    userAgent: e.userAgent,
    ...(e.errorCode ? { errorCode: e.errorCode, errorMessage: e.errorMessage ?? '' } : {}),
    requestParameters: e.requestParameters ?? null,
    responseElements: null,
    requestID: e.requestId,
    eventID: e.eventId,
    readOnly: e.readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: e.accountId,
    eventCategory: 'Management',
  };
}

function attributeMatches(e: TrailEvent, key: string, value: string): boolean {
  switch (key) {
    case 'EventId':
      return e.eventId === value;
    case 'EventName':
      return e.eventName === value;
    case 'ReadOnly':
      return String(e.readOnly) === value;
    case 'Username':
      return value === USER_NAME;
    case 'EventSource':
      return e.eventSource === value;
    case 'AccessKeyId':
      return e.accessKeyId === value;
    default:
      // ResourceType / ResourceName: the sandbox does not record resources (README: assumed).
      return false;
  }
}

/** JSON timestamps arrive as epoch seconds; the CLI may send ISO strings through other protocols. */
function toMs(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value * 1000;
  const parsed = Date.parse(String(value));
  if (Number.isNaN(parsed)) throw new AwsError('InvalidTimeRangeException', `Invalid time ${String(value)}`);
  return parsed;
}

function lookupEvents(world: World, input: Record<string, unknown>, ctx: CallContext) {
  const attributes = (input.LookupAttributes ?? []) as { AttributeKey?: string; AttributeValue?: string }[];
  if (!Array.isArray(attributes) || attributes.length > 1) {
    throw new AwsError(
      'InvalidLookupAttributesException',
      'You cannot specify more than one lookup attribute.',
    );
  }
  const attribute = attributes[0];
  if (
    attribute &&
    (!LOOKUP_ATTRIBUTE_KEYS.includes(attribute.AttributeKey as never) || !attribute.AttributeValue)
  ) {
    throw new AwsError(
      'InvalidLookupAttributesException',
      `Invalid lookup attribute: ${String(attribute.AttributeKey)}`,
    );
  }
  const start = toMs(input.StartTime);
  const end = toMs(input.EndTime);
  if (start !== undefined && end !== undefined && start > end) {
    throw new AwsError('InvalidTimeRangeException', 'Start time must be before the end time.');
  }
  const max = input.MaxResults === undefined ? 50 : Number(input.MaxResults);
  if (!Number.isInteger(max) || max < 1 || max > 50)
    throw new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight')
    throw new AwsError(
      'InvalidEventCategoryException',
      `Invalid EventCategory ${String(input.EventCategory)}`,
    );
  let offset = 0;
  if (input.NextToken !== undefined) {
    const m = /^ct-(\d+)$/.exec(String(input.NextToken));
    if (!m) throw new AwsError('InvalidNextTokenException', 'Invalid NextToken.');
    offset = Number(m[1]);
  }
  // Insight events are never recorded here; management events of this account and region, newest first.
  const matching =
    input.EventCategory === 'insight'
      ? []
      : trailOf(world)
          .filter(
            (e) =>
              e.region === ctx.region &&
              (start === undefined || e.eventTime.getTime() >= start) &&
              (end === undefined || e.eventTime.getTime() <= end) &&
              (!attribute || attributeMatches(e, attribute.AttributeKey!, attribute.AttributeValue!)),
          )
          .reverse();
  const page = matching.slice(offset, offset + max);
  return {
    Events: page.map((e) => ({
      EventId: e.eventId,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      AccessKeyId: e.accessKeyId,
      EventTime: e.eventTime,
      EventSource: e.eventSource,
      Username: USER_NAME,
      Resources: [],
      CloudTrailEvent: JSON.stringify(cloudTrailRecord(e)),
    })),
    ...(offset + max < matching.length ? { NextToken: `ct-${offset + max}` } : {}),
  };
}

export function createCloudTrailService(world: World): JsonService {
  return {
    protocol: 'json',
    name: 'cloudtrail',
    signingName: 'cloudtrail',
    targetPrefix: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101',
    targetAliases: ['CloudTrail_20131101'],
    operations: {
      LookupEvents: (input: Record<string, unknown>, ctx: CallContext) => lookupEvents(world, input, ctx),
    },
  };
}
