// SigV4 verification (header and presigned query forms), written independently of the SDK's signer so that
// tests signing with the real SDK check the real algorithm:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsError } from './protocol.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials only; long-term keys (the sandbox's) have none and accept no token. */
  sessionToken?: string;
}

/** Credentials STS issued: valid for every service of the account until `expiresAt`. */
export interface TemporaryCredentials extends Credentials {
  sessionToken: string;
  expiresAt: Date;
}

/**
 * The temporary credentials STS issued in this process, by access key id. They are account-wide, like AWS's:
 * every endpoint that verifies signatures (the AWS server, the EKS authenticator) accepts them, and refuses
 * them once expired.
 */
const temporaryCredentials = new Map<string, TemporaryCredentials>();

export function registerTemporaryCredentials(credentials: TemporaryCredentials): void {
  temporaryCredentials.set(credentials.accessKeyId, credentials);
}

export function temporaryCredentialsOf(accessKeyId: string): TemporaryCredentials | undefined {
  return temporaryCredentials.get(accessKeyId);
}

/** Ends a session early (as revoking its sessions would); true when the key was known. */
export function expireTemporaryCredentials(accessKeyId: string, at = new Date()): boolean {
  const c = temporaryCredentials.get(accessKeyId);
  if (!c) return false;
  if (c.expiresAt.getTime() > at.getTime()) c.expiresAt = at;
  return true;
}

/**
 * STS operations that take no signature ("You do not need to use AWS security credentials to call this API"):
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 */
const UNSIGNED_STS_ACTIONS = new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);

export const EXPIRED_TOKEN_MESSAGE = 'The security token included in the request is expired';

/**
 * AWS's answer to a request signed with expired temporary credentials: `ExpiredToken` in the query protocol
 * (STS), `ExpiredTokenException` in the JSON protocols (ECR, ECS, EKS), HTTP 400 both.
 */
export class ExpiredTokenError extends AwsError {
  constructor(signingService: string | undefined) {
    super(signingService === 'sts' ? 'ExpiredToken' : 'ExpiredTokenException', EXPIRED_TOKEN_MESSAGE, 400);
  }
}

export interface SignedRequest {
  method: string;
  /** Raw path and query exactly as received (still percent-encoded). */
  rawUrl: string;
  /** Lower-case header names; Node joins repeated headers with ", ". */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type AuthFailureKind =
  'missing' | 'incomplete' | 'unknown-key' | 'bad-signature' | 'expired' | 'not-yet-valid' | 'wrong-service';

export interface AuthFailure {
  ok: false;
  kind: AuthFailureKind;
  message: string;
}
export interface AuthSuccess {
  ok: true;
  accessKeyId: string;
  region: string;
  service: string;
  /** When the signature was made (X-Amz-Date). */
  signedAt: Date;
  presigned: boolean;
  /** Lower-case names of the signed headers. */
  signedHeaders: string[];
}
export type AuthResult = AuthFailure | AuthSuccess;

export interface VerifyOptions {
  credentials: Credentials[];
  /** Signing name the endpoint expects (ecr, sts, ecs, eks); undefined accepts any. */
  expectedService?: string;
  now?: Date;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const ALLOWED_SKEW_MS = 5 * 60 * 1000;

export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

export function formatAmzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function parseQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const i = pair.indexOf('=');
    const k = i < 0 ? pair : pair.slice(0, i);
    const v = i < 0 ? '' : pair.slice(i + 1);
    return [decodeComponent(k), decodeComponent(v)];
  });
}

function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(pairs: [string, string][]): string {
  return pairs
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [escapeUri(k), escapeUri(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

interface AuthParts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  expiresSeconds?: number;
  presigned: boolean;
}

function parseAuth(req: SignedRequest, query: [string, string][]): AuthParts | AuthFailure {
  const authz = headerValue(req.headers, 'authorization');
  const q = new Map(query);
  if (authz !== undefined) {
    const m =
      /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/.exec(
        authz,
      );
    const amzDate = headerValue(req.headers, 'x-amz-date') ?? '';
    if (!m || amzDate === '') {
      return {
        ok: false,
        kind: 'incomplete',
        message: `Authorization header requires 'Credential', 'SignedHeaders', 'Signature' parameters and an X-Amz-Date header.`,
      };
    }
    const scope = m[1]!.split('/');
    if (scope.length !== 5 || scope[4] !== 'aws4_request') {
      return { ok: false, kind: 'incomplete', message: `Credential should be scoped to a valid region.` };
    }
    return {
      accessKeyId: scope[0]!,
      date: scope[1]!,
      region: scope[2]!,
      service: scope[3]!,
      signedHeaders: m[2]!.split(';'),
      signature: m[3]!,
      amzDate,
      presigned: false,
    };
  }
  if (q.has('X-Amz-Algorithm') || q.has('X-Amz-Signature')) {
    const credential = q.get('X-Amz-Credential') ?? '';
    const scope = credential.split('/');
    const amzDate = q.get('X-Amz-Date') ?? '';
    const signedHeaders = q.get('X-Amz-SignedHeaders') ?? '';
    const signature = q.get('X-Amz-Signature') ?? '';
    if (
      q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' ||
      scope.length !== 5 ||
      amzDate === '' ||
      signedHeaders === '' ||
      signature === ''
    ) {
      return {
        ok: false,
        kind: 'incomplete',
        message:
          'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-SignedHeaders, X-Amz-Date.',
      };
    }
    const expires = Number(q.get('X-Amz-Expires') ?? '900');
    return {
      accessKeyId: scope[0]!,
      date: scope[1]!,
      region: scope[2]!,
      service: scope[3]!,
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate,
      expiresSeconds: Number.isInteger(expires) && expires > 0 ? expires : 900,
      presigned: true,
    };
  }
  return { ok: false, kind: 'missing', message: 'Missing Authentication Token' };
}

/** Builds the canonical request the way the SigV4 specification describes it. */
export function canonicalRequest(req: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const q = req.rawUrl.indexOf('?');
  const rawPath = q < 0 ? req.rawUrl : req.rawUrl.slice(0, q);
  const rawQuery = q < 0 ? '' : req.rawUrl.slice(q + 1);
  const headerLines = signedHeaders
    .map((name) => `${name}:${(headerValue(req.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  return [
    req.method.toUpperCase(),
    canonicalPath(rawPath),
    canonicalQuery(parseQuery(rawQuery)),
    headerLines,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The STS action of an unsigned request (form body or query), when it is one that needs no signature. */
function unsignedStsAction(req: SignedRequest, query: [string, string][]): string | undefined {
  const contentType = headerValue(req.headers, 'content-type') ?? '';
  const form = contentType.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(req.body.toString('utf8')).get('Action')
    : undefined;
  const action = form ?? new Map(query).get('Action');
  return action !== undefined && UNSIGNED_STS_ACTIONS.has(action) ? action : undefined;
}

/**
 * Verifies the request's signature against the long-term `credentials` and the temporary ones STS issued.
 * A header-signed request with expired temporary credentials throws ExpiredTokenError (the protocol's own
 * error, not a signature failure); a presigned one (the EKS token) fails as an invalid token.
 */
export function verifySigV4(req: SignedRequest, opts: VerifyOptions): AuthResult {
  const q = req.rawUrl.indexOf('?');
  const query = parseQuery(q < 0 ? '' : req.rawUrl.slice(q + 1));
  const parts = parseAuth(req, query);
  if ('ok' in parts) {
    if (parts.kind === 'missing' && opts.expectedService === 'sts' && unsignedStsAction(req, query)) {
      return {
        ok: true,
        accessKeyId: '',
        region: '',
        service: 'sts',
        signedAt: opts.now ?? new Date(),
        presigned: false,
        signedHeaders: [],
      };
    }
    return parts;
  }

  const temporary = temporaryCredentials.get(parts.accessKeyId);
  const creds = opts.credentials.find((c) => c.accessKeyId === parts.accessKeyId) ?? temporary;
  if (!creds) return { ok: false, kind: 'unknown-key', message: INVALID_TOKEN };
  // AWS checks the session token with the key: a token sent with long-term keys, or a wrong or missing one
  // with temporary keys, makes the whole credential invalid (same answer as an unknown key).
  const token =
    headerValue(req.headers, 'x-amz-security-token') ?? new Map(query).get('X-Amz-Security-Token');
  if (token !== creds.sessionToken) return { ok: false, kind: 'unknown-key', message: INVALID_TOKEN };
  // Session expiry is checked at the time of the request, whatever time the signature is checked "as of".
  if (temporary && creds === temporary && Date.now() >= temporary.expiresAt.getTime()) {
    if (parts.presigned) return { ok: false, kind: 'unknown-key', message: EXPIRED_TOKEN_MESSAGE };
    throw new ExpiredTokenError(opts.expectedService);
  }

  const signedAt = parseAmzDate(parts.amzDate);
  if (!signedAt || parts.amzDate.slice(0, 8) !== parts.date) {
    return {
      ok: false,
      kind: 'incomplete',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.date}' != '${parts.amzDate.slice(0, 8)}', from '${parts.amzDate}'.`,
    };
  }
  if (opts.expectedService !== undefined && parts.service !== opts.expectedService) {
    return {
      ok: false,
      kind: 'wrong-service',
      message: `Credential should be scoped to correct service: '${opts.expectedService}'. `,
    };
  }
  if (!parts.signedHeaders.includes('host')) {
    return {
      ok: false,
      kind: 'incomplete',
      message: "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    };
  }

  const now = opts.now ?? new Date();
  const nowText = formatAmzDate(now);
  if (parts.presigned) {
    const expiresAt = new Date(signedAt.getTime() + parts.expiresSeconds! * 1000);
    if (now.getTime() > expiresAt.getTime()) {
      return {
        ok: false,
        kind: 'expired',
        message: `Signature expired: ${parts.amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - parts.expiresSeconds! * 1000))} (${nowText} - ${parts.expiresSeconds} sec.)`,
      };
    }
  } else if (now.getTime() - signedAt.getTime() > ALLOWED_SKEW_MS) {
    return {
      ok: false,
      kind: 'expired',
      message: `Signature expired: ${parts.amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - ALLOWED_SKEW_MS))} (${nowText} - 5 min.)`,
    };
  }
  if (signedAt.getTime() - now.getTime() > ALLOWED_SKEW_MS) {
    return {
      ok: false,
      kind: 'not-yet-valid',
      message: `Signature not yet current: ${parts.amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + ALLOWED_SKEW_MS))} (${nowText} + 5 min.)`,
    };
  }

  const key = signingKey(creds.secretAccessKey, parts.date, parts.region, parts.service);
  const scope = `${parts.date}/${parts.region}/${parts.service}/aws4_request`;
  const declared = headerValue(req.headers, 'x-amz-content-sha256');
  const candidates = declared !== undefined ? [declared] : [sha256Hex(req.body)];
  if (parts.presigned && declared === undefined) candidates.push('UNSIGNED-PAYLOAD');
  if (declared !== undefined && declared !== 'UNSIGNED-PAYLOAD' && declared !== sha256Hex(req.body)) {
    return {
      ok: false,
      kind: 'bad-signature',
      message: 'The provided x-amz-content-sha256 header does not match what was computed.',
    };
  }
  const given = Buffer.from(parts.signature, 'hex');
  for (const payloadHash of candidates) {
    const stringToSign = [
      'AWS4-HMAC-SHA256',
      parts.amzDate,
      scope,
      sha256Hex(canonicalRequest(req, parts.signedHeaders, payloadHash)),
    ].join('\n');
    const expected = createHmac('sha256', key).update(stringToSign).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) {
      return {
        ok: true,
        accessKeyId: parts.accessKeyId,
        region: parts.region,
        service: parts.service,
        signedAt,
        presigned: parts.presigned,
        signedHeaders: parts.signedHeaders,
      };
    }
  }
  return { ok: false, kind: 'bad-signature', message: SIGNATURE_MISMATCH };
}
