// One policy for every poll and watch of both targets: which API errors are worth asking again (throttling,
// 5xx, a dropped connection), how long to wait before the next try, and when to give up.
import type { Clock } from './clock.ts';

export type ErrorKind =
  /** The API asks us to slow down. */
  | 'throttled'
  /** The answer did not come through (5xx, network, timeout): asking again may well work. */
  | 'transient'
  /** Asking again will not help (denied, credentials rejected or expired, not found, bad request). */
  | 'permanent';

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

const SERVER_FAULTS = new Set([
  'ServerException',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  /** KubeApiError */
  status?: number;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

/** Pure: whether the request never got an answer from the server (refused, reset, no route, no DNS). */
export function isNetworkError(error: unknown): boolean {
  const code = shape(error).code;
  return code !== undefined && NETWORK.has(code);
}

/** Pure: whether an error of any client (AWS SDK, our Kubernetes client, the network) is worth a retry. */
export function classifyError(error: unknown): ErrorKind {
  const e = shape(error);
  // AwsCallError keeps the SDK's error as its cause: judge that one.
  if (e.name === 'AwsCallError' && e.cause !== undefined) return classifyError(e.cause);
  const names = [e.name, e.code].filter((n): n is string => typeof n === 'string');
  const status = typeof e.status === 'number' ? e.status : e.$metadata?.httpStatusCode;
  if (names.some((n) => THROTTLING.has(n)) || status === 429) return 'throttled';
  if (names.some((n) => NETWORK.has(n) || SERVER_FAULTS.has(n))) return 'transient';
  if (e.$fault === 'server' || (status !== undefined && (status >= 500 || status === 408)))
    return 'transient';
  if (/socket hang up|premature close|other side closed/i.test(e.message ?? '')) return 'transient';
  return 'permanent';
}

/** Doubling delays between tries, from `initialMs` up to `maxMs`; `reset()` after a success. */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private current: number;

  constructor(options: { readonly initialMs: number; readonly maxMs: number }) {
    this.initialMs = options.initialMs;
    this.maxMs = options.maxMs;
    this.current = options.initialMs;
  }

  /** The delay to wait now; the next one is twice as long. */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return delay;
  }

  reset(): void {
    this.current = this.initialMs;
  }
}

/** The state could not be read: a permanent error, or transient ones until the deadline. */
export class UnreadableError extends Error {
  readonly kind: ErrorKind;
  constructor(what: string, error: unknown, kind: ErrorKind) {
    super(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    this.name = 'UnreadableError';
    this.kind = kind;
  }
}

export interface RetryOptions {
  readonly clock: Clock;
  /** Epoch ms after which no new try starts. */
  readonly deadline: number;
  readonly signal?: AbortSignal;
  /** Called before each wait, to say what failed and when the next try is. */
  readonly onRetry?: (error: unknown, delayMs: number) => void;
  readonly backoff?: Backoff;
}

/**
 * Calls `fn` until it answers, waiting between tries on throttling and transient errors (1 s doubling to
 * 16 s); a permanent error, the deadline or an abort end it with an UnreadableError naming `what`.
 */
export async function retrying<T>(what: string, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = options.backoff ?? new Backoff({ initialMs: 1000, maxMs: 16_000 });
  for (;;) {
    try {
      const value = await fn();
      backoff.reset();
      return value;
    } catch (error) {
      const kind = classifyError(error);
      const delay = backoff.next();
      const left = options.deadline - options.clock.now();
      if (kind === 'permanent' || left <= 0 || options.signal?.aborted) {
        throw new UnreadableError(what, error, kind);
      }
      options.onRetry?.(error, Math.min(delay, left));
      await options.clock.sleep(Math.min(delay, left), options.signal);
    }
  }
}
