// The plug-in interface of the sandbox AWS server: a service declares its protocol and a table of operations;
// the server verifies SigV4, applies scripted faults, logs the call and serialises results and errors the way
// the real protocol does. See sandbox/README.md "Adding a service".
import type { World } from '../world.ts';

/** An error the real service would return; `type` is the error code (`__type` / `<Code>`). */
export class AwsError extends Error {
  readonly type: string;
  readonly httpStatus: number;
  /** Query protocol only: Sender (client fault) or Receiver (server fault). */
  readonly fault: 'Sender' | 'Receiver';
  constructor(type: string, message: string, httpStatus = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.httpStatus = httpStatus;
    this.fault = httpStatus >= 500 ? 'Receiver' : 'Sender';
  }
}

export interface CallContext {
  service: string;
  operation: string;
  requestId: string;
  accountId: string;
  region: string;
  accessKeyId: string;
  now: () => Date;
  world: World;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler = (input: any, ctx: CallContext) => Promise<unknown> | unknown;

/** awsJson1_1 / awsJson1_0: `POST /` with `X-Amz-Target: <targetPrefix>.<Operation>`. */
export interface JsonService {
  protocol: 'json';
  /** Short name used in the call log and fault rules: ecr, ecs. */
  name: string;
  /** SigV4 signing name (credential scope service). */
  signingName: string;
  targetPrefix: string;
  /**
   * Other prefixes the service answers to: the AWS SDK for JavaScript sends CloudTrail's Smithy shape name
   * (`CloudTrail_20131101`) where botocore sends the model's `targetPrefix`; AWS accepts both.
   */
  targetAliases?: readonly string[];
  /** awsJson1_0 answers with `application/x-amz-json-1.0` (default 1.1). */
  jsonVersion?: '1.0' | '1.1';
  /** `awsQueryCompatible` services also name the error in `x-amzn-query-error: Code;Sender|Receiver`. */
  queryCompatible?: boolean;
  /**
   * The service's Smithy shape name when it also speaks Smithy RPC v2 CBOR
   * (`POST /service/<name>/operation/<Operation>`, `smithy-protocol: rpc-v2-cbor`) with the same handlers.
   */
  cborServiceName?: string;
  operations: Record<string, Handler>;
}

/** awsQuery (STS): form-encoded `Action=...` in a POST body or a GET query; XML answers. */
export interface QueryService {
  protocol: 'query';
  name: string;
  signingName: string;
  xmlNamespace: string;
  /** Handlers return a pre-rendered XML fragment for `<OperationResult>`. */
  operations: Record<string, Handler>;
}

/** restJson1 (EKS): routes by method and path template (`/clusters/{name}`). */
export interface RestJsonRoute {
  method: string;
  path: string;
  operation: string;
  /** Input: path parameters merged with query parameters and the JSON body. */
  handler: Handler;
  /** HTTP status of a success answer (200 unless the model says otherwise). */
  successStatus?: number;
}
export interface RestJsonService {
  protocol: 'rest-json';
  name: string;
  signingName: string;
  /** Distinguishes this service when several restJson services share the server: first path segment(s). */
  routes: RestJsonRoute[];
}

export type ServiceDefinition = JsonService | QueryService | RestJsonService;

export function xmlEscape(value: string): string {
  return value.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

/** JSON body for awsJson/restJson: Date values become epoch seconds as the protocols specify. */
export function toJsonWire(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : raw;
  });
}
