// Which errors are asked again, how long between tries, and when retrying gives up; the system clock's
// sleep (aborts, delays longer than a Node timer holds).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, systemClock } from '../../src/deploy/clock.ts';
import { Backoff, UnreadableError, classifyError, retrying } from '../../src/deploy/retry.ts';
import { AwsCallError } from '../../src/aws/errors.ts';
import { KubeApiError } from '../../src/eks/kube-client.ts';
import { FakeClock } from '../fakes/clock.ts';

const sdkError = (name: string, httpStatusCode: number, fault: 'client' | 'server' = 'client') =>
  Object.assign(new Error(name), { name, $fault: fault, $metadata: { httpStatusCode } });

describe('classifyError', () => {
  const table: [string, unknown, ReturnType<typeof classifyError>][] = [
    ['ECS ThrottlingException', sdkError('ThrottlingException', 400), 'throttled'],
    ['S3-style SlowDown', sdkError('SlowDown', 503), 'throttled'],
    ['any 429', sdkError('Whatever', 429), 'throttled'],
    ['Kubernetes 429', new KubeApiError(429, 'TooManyRequests', 'slow down'), 'throttled'],
    ['ServiceUnavailable', sdkError('ServiceUnavailable', 503), 'transient'],
    ['ServerException', sdkError('ServerException', 500, 'server'), 'transient'],
    ['an unnamed server fault', sdkError('Weird', 502, 'server'), 'transient'],
    ['Kubernetes 503', new KubeApiError(503, 'ServiceUnavailable', 'x'), 'transient'],
    ['Kubernetes 504', new KubeApiError(504, 'Timeout', 'x'), 'transient'],
    ['408', new KubeApiError(408, 'Timeout', 'x'), 'transient'],
    ['ECONNRESET', Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'transient'],
    ['ECONNREFUSED', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'transient'],
    ['undici socket', Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), 'transient'],
    ['socket hang up without a code', new Error('socket hang up'), 'transient'],
    ['SDK TimeoutError', Object.assign(new Error('t'), { name: 'TimeoutError' }), 'transient'],
    ['AccessDeniedException', sdkError('AccessDeniedException', 400), 'permanent'],
    ['ExpiredTokenException', sdkError('ExpiredTokenException', 400), 'permanent'],
    ['UnrecognizedClientException', sdkError('UnrecognizedClientException', 400), 'permanent'],
    ['ClusterNotFoundException', sdkError('ClusterNotFoundException', 400), 'permanent'],
    ['Kubernetes 401', new KubeApiError(401, 'Unauthorized', 'x'), 'permanent'],
    ['Kubernetes 403', new KubeApiError(403, 'Forbidden', 'x'), 'permanent'],
    ['Kubernetes 404', new KubeApiError(404, 'NotFound', 'x'), 'permanent'],
    ['Kubernetes 422', new KubeApiError(422, 'Invalid', 'x'), 'permanent'],
    ['a plain error', new Error('boom'), 'permanent'],
    ['not an error at all', 'boom', 'permanent'],
    ['undefined', undefined, 'permanent'],
  ];
  for (const [name, error, kind] of table) {
    it(`${name} → ${kind}`, () => expect(classifyError(error)).toBe(kind));
  }

  it('judges an AwsCallError by the SDK error it wraps', () => {
    const wrapped = new AwsCallError('DescribeServices', 'DescribeServices failed', 'ThrottlingException', {
      cause: sdkError('ThrottlingException', 400),
    });
    expect(classifyError(wrapped)).toBe('throttled');
    const denied = new AwsCallError('DescribeServices', 'DescribeServices failed', 'AccessDeniedException', {
      cause: sdkError('AccessDeniedException', 400),
    });
    expect(classifyError(denied)).toBe('permanent');
  });
});

describe('Backoff', () => {
  it('doubles up to the cap, and starts over after reset', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 16_000 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      1000, 2000, 4000, 8000, 16_000, 16_000,
    ]);
    b.reset();
    expect(b.next()).toBe(1000);
  });
});

describe('retrying', () => {
  let clock: FakeClock;
  afterEach(() => clock.stop());

  it('asks again after transient errors and returns the answer; waits 1, 2, 4 s', async () => {
    clock = new FakeClock();
    const start = clock.now();
    const tries: number[] = [];
    const value = await retrying(
      'reading',
      async () => {
        tries.push(clock.now() - start);
        if (tries.length < 4) throw sdkError('ServiceUnavailable', 503);
        return 'ok';
      },
      { clock, deadline: start + 60_000 },
    );
    expect(value).toBe('ok');
    expect(tries).toEqual([0, 1000, 3000, 7000]);
  });

  it('stops at once on a permanent error, naming what it was doing', async () => {
    clock = new FakeClock();
    let tries = 0;
    const error = await retrying(
      'describing service web',
      async () => {
        tries += 1;
        throw sdkError('AccessDeniedException', 400);
      },
      { clock, deadline: clock.now() + 60_000 },
    ).catch((e: unknown) => e);
    expect(tries).toBe(1);
    expect(error).toBeInstanceOf(UnreadableError);
    expect((error as UnreadableError).kind).toBe('permanent');
    expect((error as Error).message).toBe('describing service web: AccessDeniedException');
  });

  it('gives up at the deadline: the last wait is cut to what is left', async () => {
    clock = new FakeClock();
    const start = clock.now();
    const tries: number[] = [];
    const error = await retrying(
      'reading',
      async () => {
        tries.push(clock.now() - start);
        throw sdkError('ThrottlingException', 400);
      },
      { clock, deadline: start + 5000 },
    ).catch((e: unknown) => e);
    expect(tries).toEqual([0, 1000, 3000, 5000]);
    expect((error as UnreadableError).kind).toBe('throttled');
  });

  it('reports each retry with its delay', async () => {
    clock = new FakeClock();
    const seen: number[] = [];
    let n = 0;
    await retrying(
      'reading',
      async () => {
        if (n++ < 2) throw new KubeApiError(503, 'ServiceUnavailable', 'x');
        return 1;
      },
      { clock, deadline: clock.now() + 60_000, onRetry: (_e, delay) => seen.push(delay) },
    );
    expect(seen).toEqual([1000, 2000]);
  });

  it('an abort ends the retries', async () => {
    clock = new FakeClock();
    const abort = new AbortController();
    let tries = 0;
    const error = await retrying(
      'reading',
      async () => {
        tries += 1;
        if (tries === 2) abort.abort();
        throw sdkError('ServiceUnavailable', 503);
      },
      { clock, deadline: clock.now() + 60_000, signal: abort.signal },
    ).catch((e: unknown) => e);
    expect(tries).toBe(2);
    expect(error).toBeInstanceOf(UnreadableError);
  });
});

describe('systemClock.sleep', () => {
  afterEach(() => vi.useRealTimers());

  it('resolves at once when the signal is already aborted, and when it aborts', async () => {
    vi.useFakeTimers();
    await systemClock.sleep(60_000, AbortSignal.abort());
    const abort = new AbortController();
    let done = false;
    const sleeping = systemClock.sleep(60_000, abort.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    abort.abort();
    await sleeping;
    expect(done).toBe(true);
  });

  it('a delay longer than a Node timer holds does not fire early', async () => {
    vi.useFakeTimers();
    let done = false;
    void systemClock.sleep(MAX_TIMER_MS * 2 + 10, undefined).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(done).toBe(true);
  });
});
