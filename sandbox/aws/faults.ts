// Scriptable faults and the call log (the control interface, sandbox/README.md "Control interface").
import { AwsError } from './protocol.ts';

export type FaultKind = 'throttle' | 'error' | 'latency' | 'expired-credentials';

export interface FaultRule {
  /** Service short name (ecr, sts, ecs, eks) or '*'. */
  service: string;
  /** Operation name or '*'. */
  operation: string;
  kind: FaultKind;
  /** Probability 0..1 that a matching call is affected (default 1). */
  rate?: number;
  /** Affect only this many matching calls, then the rule is spent. */
  count?: number;
  /** Seed for the rate's pseudo-random sequence (deterministic runs). */
  seed?: number;
  /** kind 'latency': milliseconds added before the call is answered. */
  latencyMs?: number;
  /** kind 'error': the error type (InternalFailure, ServiceUnavailable, ...) and status (default 500). */
  errorType?: string;
  httpStatus?: number;
  message?: string;
}

export interface CallRecord {
  seq: number;
  time: string;
  service: string;
  operation: string;
  status: number;
  errorType?: string;
  durationMs: number;
  /** Request parameters with secrets removed. */
  params: unknown;
  fault?: FaultKind;
}

interface ActiveRule extends FaultRule {
  id: number;
  remaining: number;
  random: () => number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECRET_KEYS = /password|secret|token|authorization|credential/i;

export function sanitize(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEYS.test(k) && k !== 'nextToken' ? '[redacted]' : sanitize(v, depth + 1),
      ]),
    );
  }
  if (typeof value === 'string' && value.length > 2000) return `${value.slice(0, 2000)}…`;
  return value;
}

/** Default error for a kind in a protocol family; `query` services (STS) use different codes. */
export function faultError(rule: FaultRule, protocol: 'json' | 'query' | 'rest-json'): AwsError | undefined {
  switch (rule.kind) {
    case 'throttle':
      return protocol === 'query'
        ? new AwsError('Throttling', rule.message ?? 'Rate exceeded', 400)
        : new AwsError('ThrottlingException', rule.message ?? 'Rate exceeded', rule.httpStatus ?? 400);
    case 'error': {
      const status = rule.httpStatus ?? 500;
      const type = rule.errorType ?? (status === 503 ? 'ServiceUnavailable' : 'InternalFailure');
      const message =
        rule.message ??
        (type === 'ServiceUnavailable'
          ? 'Service is unable to handle request.'
          : 'The request processing has failed because of an unknown error, exception or failure.');
      return new AwsError(type, message, status);
    }
    case 'expired-credentials':
      return protocol === 'query'
        ? new AwsError(
            'ExpiredToken',
            rule.message ?? 'The security token included in the request is expired',
            400,
          )
        : new AwsError(
            'ExpiredTokenException',
            rule.message ?? 'The security token included in the request is expired',
            400,
          );
    case 'latency':
      return undefined;
  }
}

export class FaultBook {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private seq = 0;
  readonly calls: CallRecord[] = [];

  add(rule: FaultRule): number {
    if (!['throttle', 'error', 'latency', 'expired-credentials'].includes(rule.kind)) {
      throw new Error(`unknown fault kind '${String(rule.kind)}'`);
    }
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1))
      throw new Error('rate must be between 0 and 1');
    const id = this.nextId++;
    this.rules.push({
      ...rule,
      id,
      remaining: rule.count ?? Number.POSITIVE_INFINITY,
      random: rule.seed !== undefined ? mulberry32(rule.seed) : Math.random,
    });
    return id;
  }

  list(): FaultRule[] {
    return this.rules.map(({ random: _r, remaining: _n, ...rule }) => rule);
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules that fire for this call (spends counts): every latency rule, and at most one error rule. */
  match(service: string, operation: string): FaultRule[] {
    const fired: FaultRule[] = [];
    let errorFired = false;
    for (const rule of this.rules) {
      if (rule.kind !== 'latency' && errorFired) continue;
      if (rule.service !== '*' && rule.service !== service) continue;
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.remaining <= 0) continue;
      if (rule.rate !== undefined && rule.random() >= rule.rate) continue;
      rule.remaining -= 1;
      if (rule.kind !== 'latency') errorFired = true;
      fired.push(rule);
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return fired;
  }

  log(record: Omit<CallRecord, 'seq'>): void {
    this.calls.push({ seq: ++this.seq, ...record });
    if (this.calls.length > 10_000) this.calls.splice(0, this.calls.length - 10_000);
  }

  clearCalls(): void {
    this.calls.length = 0;
  }
}
