// Fake AWS STS (awsQuery protocol, XML):
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
// AssumeRoleWithWebIdentity verifies a GitHub OIDC token (signature with the issuer's key set, issuer, expiry,
// audience against the account's OIDC provider, the role's trust conditions on `aud` and `sub`) and issues
// temporary credentials that every sandbox endpoint accepts until they expire (see sigv4.ts). Roles, the OIDC
// provider, a forced session length and early expiry are scripted through `/_sandbox/sts/...`.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsError, xmlEscape, type CallContext, type QueryService } from './protocol.ts';
import { expireTemporaryCredentials, registerTemporaryCredentials, temporaryCredentialsOf } from './sigv4.ts';
import { GITHUB_ISSUER, decodeJwt, signatureValid, type Jwks } from '../oidc/jwt.ts';
import type { World } from '../world.ts';

export const SANDBOX_USER_ID = 'AIDASANDBOXEXAMPLE0001';

/** A role that trusts GitHub's OIDC provider, with the conditions of its trust policy. */
export interface WebIdentityRole {
  roleName: string;
  /** `StringEquals token.actions.githubusercontent.com:aud` (default sts.amazonaws.com). */
  audience: string;
  /** `StringLike token.actions.githubusercontent.com:sub`: any of these patterns (`*`, `?` wildcards). */
  subjects: string[];
  /** The role's MaxSessionDuration in seconds (IAM's default: 3600). */
  maxSessionDuration: number;
}

interface Session {
  accessKeyId: string;
  arn: string;
  assumedRoleId: string;
  roleName: string;
  roleSessionName: string;
  subject: string;
  issuedAt: Date;
}

interface StsState {
  roles: Map<string, WebIdentityRole>;
  /** Client ids (audiences) of the account's OIDC provider for GitHub's issuer; undefined = no provider. */
  providerClientIds: string[] | undefined;
  /** Forces every new session to this length (seconds), whatever DurationSeconds asks. */
  forcedSessionSeconds: number | undefined;
  sessions: Map<string, Session>;
  jwks: { url: string; keys: Jwks } | undefined;
}

const states = new WeakMap<World, StsState>();

function stateOf(world: World): StsState {
  let s = states.get(world);
  if (!s) {
    s = {
      roles: new Map(),
      providerClientIds: ['sts.amazonaws.com'],
      forcedSessionSeconds: undefined,
      sessions: new Map(),
      jwks: undefined,
    };
    states.set(world, s);
  }
  return s;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomId(prefix: string, length: number): string {
  return prefix + [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

function stableId(prefix: string, seed: string): string {
  let h = 2166136261;
  const out: string[] = [];
  for (let i = 0; out.length < 17; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i % Math.max(1, seed.length)) ^ i, 16777619) >>> 0;
    out.push(ALPHABET[h % ALPHABET.length]!);
  }
  return prefix + out.join('');
}

function wildcard(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const validation = (message: string) => new AwsError('ValidationError', message, 400);
const invalidToken = (message: string) => new AwsError('InvalidIdentityToken', message, 400);

/** The sandbox's GitHub issuer, as its process wrote it: `<state dir>/run/oidc.json`. */
function issuerUrl(world: World): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(world.config.dir, 'run', 'oidc.json'), 'utf8')) as { url?: string })
      .url;
  } catch {
    return undefined;
  }
}

/** The issuer's key set from its discovery document (cached; fetched again for a key id it lacks). */
async function keySet(world: World, kid: string | undefined): Promise<Jwks> {
  const state = stateOf(world);
  const url = issuerUrl(world);
  const failed = () =>
    invalidToken(
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
    );
  if (!url) throw failed();
  if (state.jwks?.url === url && state.jwks.keys.keys.some((k) => k.kid === kid)) return state.jwks.keys;
  try {
    const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as {
      jwks_uri?: string;
    };
    if (!discovery.jwks_uri) throw failed();
    const keys = (await (await fetch(discovery.jwks_uri)).json()) as Jwks;
    state.jwks = { url, keys };
    return keys;
  } catch {
    throw failed();
  }
}

function parseDuration(value: string | undefined): number {
  if (value === undefined || value === '') return 3600;
  const n = Number(value);
  if (!Number.isInteger(n))
    throw validation(
      `Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must be an integer`,
    );
  if (n < 900) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`,
    );
  }
  if (n > 43200) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`,
    );
  }
  return n;
}

interface AssumeInput {
  RoleArn?: string;
  RoleSessionName?: string;
  WebIdentityToken?: string;
  DurationSeconds?: string;
}

async function assumeRoleWithWebIdentity(input: AssumeInput, ctx: CallContext): Promise<string> {
  const { world } = ctx;
  const state = stateOf(world);
  const missing = (['RoleArn', 'RoleSessionName', 'WebIdentityToken'] as const).filter((k) => !input[k]);
  if (missing.length > 0) {
    throw validation(
      `${missing.length} validation error${missing.length > 1 ? 's' : ''} detected: ${missing
        .map(
          (k) =>
            `Value null at '${k[0]!.toLowerCase()}${k.slice(1)}' failed to satisfy constraint: Member must not be null`,
        )
        .join('; ')}`,
    );
  }
  const sessionName = input.RoleSessionName!;
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw validation(
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  const duration = parseDuration(input.DurationSeconds);
  const token = input.WebIdentityToken!;
  if (token.length < 4 || token.length > 20000) {
    throw validation(
      `1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000`,
    );
  }

  const jwt = decodeJwt(token);
  if (!jwt)
    throw invalidToken(
      'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)',
    );
  const { claims } = jwt;
  if (claims.iss !== GITHUB_ISSUER || state.providerClientIds === undefined) {
    throw invalidToken(`No OpenIDConnect provider found in your account for ${String(claims.iss ?? '')}`);
  }
  if (!signatureValid(jwt, await keySet(world, jwt.header.kid))) {
    throw invalidToken(
      'The web identity token that was passed could not be validated by Amazon Web Services. Get a new identity token from the identity provider and then retry the request.',
    );
  }
  const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
  if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp) {
    throw new AwsError(
      'ExpiredTokenException',
      `Token expired: current date/time ${nowSeconds} must be before the expiration date/time ${String(claims.exp)}`,
      400,
    );
  }
  if (typeof claims.aud !== 'string' || !state.providerClientIds.includes(claims.aud)) {
    throw invalidToken('Incorrect token audience');
  }

  const arn = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(input.RoleArn!);
  const role = arn && arn[1] === ctx.accountId ? state.roles.get(arn[2]!) : undefined;
  const subject = String(claims.sub ?? '');
  // AWS says no more than this when the role is missing or its trust policy does not match the token.
  if (!role || claims.aud !== role.audience || !role.subjects.some((p) => wildcard(p, subject))) {
    throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
  }
  if (duration > role.maxSessionDuration) {
    throw validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }

  const seconds = state.forcedSessionSeconds ?? duration;
  const issuedAt = ctx.now();
  const expiresAt = new Date(issuedAt.getTime() + seconds * 1000);
  const credentials = {
    accessKeyId: randomId('ASIA', 16),
    secretAccessKey: randomBytes(30).toString('base64').replace(/[+/]/g, 'x'),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(180).toString('base64')}`,
    expiresAt,
  };
  registerTemporaryCredentials(credentials);
  const assumedRoleId = `${stableId('AROA', role.roleName)}:${sessionName}`;
  const session: Session = {
    accessKeyId: credentials.accessKeyId,
    arn: `arn:aws:sts::${ctx.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    assumedRoleId,
    roleName: role.roleName,
    roleSessionName: sessionName,
    subject,
    issuedAt,
  };
  state.sessions.set(credentials.accessKeyId, session);
  return [
    '<Credentials>',
    `<AccessKeyId>${credentials.accessKeyId}</AccessKeyId>`,
    `<SecretAccessKey>${xmlEscape(credentials.secretAccessKey)}</SecretAccessKey>`,
    `<SessionToken>${xmlEscape(credentials.sessionToken)}</SessionToken>`,
    `<Expiration>${isoSeconds(expiresAt)}</Expiration>`,
    '</Credentials>',
    `<SubjectFromWebIdentityToken>${xmlEscape(subject)}</SubjectFromWebIdentityToken>`,
    '<AssumedRoleUser>',
    `<Arn>${xmlEscape(session.arn)}</Arn>`,
    `<AssumedRoleId>${xmlEscape(assumedRoleId)}</AssumedRoleId>`,
    '</AssumedRoleUser>',
    `<Provider>${xmlEscape(GITHUB_ISSUER)}</Provider>`,
    `<Audience>${xmlEscape(claims.aud)}</Audience>`,
  ].join('');
}

type ControlAnswer = { status: number; body: unknown };

function sessionView(s: Session): Record<string, unknown> {
  const expiresAt = temporaryCredentialsOf(s.accessKeyId)?.expiresAt;
  return {
    accessKeyId: s.accessKeyId,
    arn: s.arn,
    roleSessionName: s.roleSessionName,
    subject: s.subject,
    issuedAt: s.issuedAt.toISOString(),
    expiresAt: expiresAt?.toISOString(),
    expired: expiresAt ? expiresAt.getTime() <= Date.now() : true,
  };
}

/** `/_sandbox/sts/...`: roles, the OIDC provider, the forced session length, sessions. */
export function stsControl(world: World) {
  return async (method: string, path: string, _url: URL, body: Buffer): Promise<ControlAnswer> => {
    const state = stateOf(world);
    const json = () => JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    const route = path.replace(/^\/sts/, '');
    if (route === '/roles' && method === 'GET')
      return { status: 200, body: { roles: [...state.roles.values()] } };
    if (route === '/roles' && method === 'POST') {
      const r = json();
      if (typeof r.roleName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(r.roleName)) {
        return { status: 400, body: { error: 'roleName ([\\w+=,.@-]{1,64}) is required' } };
      }
      const subjects = Array.isArray(r.subjects) ? r.subjects.map(String) : [];
      if (subjects.length === 0)
        return { status: 400, body: { error: 'subjects (sub patterns) are required' } };
      const role: WebIdentityRole = {
        roleName: r.roleName,
        audience: typeof r.audience === 'string' ? r.audience : 'sts.amazonaws.com',
        subjects,
        maxSessionDuration: typeof r.maxSessionDuration === 'number' ? r.maxSessionDuration : 3600,
      };
      state.roles.set(role.roleName, role);
      return {
        status: 200,
        body: { role, arn: `arn:aws:iam::${world.config.accountId}:role/${role.roleName}` },
      };
    }
    const roleMatch = /^\/roles\/([^/]+)$/.exec(route);
    if (roleMatch && method === 'DELETE') {
      return { status: 200, body: { deleted: state.roles.delete(decodeURIComponent(roleMatch[1]!)) } };
    }
    if (route === '/oidc-provider' && method === 'POST') {
      const r = json();
      state.providerClientIds =
        r.clientIds === null
          ? undefined
          : ((r.clientIds as unknown[] | undefined)?.map(String) ?? ['sts.amazonaws.com']);
      return { status: 200, body: { clientIds: state.providerClientIds ?? null } };
    }
    if (route === '/session-length' && method === 'POST') {
      const seconds = json().seconds;
      if (seconds !== null && (typeof seconds !== 'number' || !(seconds > 0))) {
        return {
          status: 400,
          body: { error: 'seconds: a positive number, or null to follow DurationSeconds' },
        };
      }
      state.forcedSessionSeconds = seconds ?? undefined;
      return { status: 200, body: { seconds: state.forcedSessionSeconds ?? null } };
    }
    if (route === '/sessions' && method === 'GET') {
      return { status: 200, body: { sessions: [...state.sessions.values()].map(sessionView) } };
    }
    if (route === '/sessions/expire' && method === 'POST') {
      const r = json();
      const chosen = [...state.sessions.values()].filter(
        (s) =>
          (r.accessKeyId === undefined || s.accessKeyId === r.accessKeyId) &&
          (r.roleSessionName === undefined || s.roleSessionName === r.roleSessionName),
      );
      for (const s of chosen) expireTemporaryCredentials(s.accessKeyId);
      return { status: 200, body: { expired: chosen.length } };
    }
    if (route === '/reset' && method === 'POST') {
      states.delete(world);
      return { status: 200, body: { ok: true } };
    }
    return { status: 404, body: { error: `unknown control route ${method} /_sandbox${path}` } };
  };
}

/** Attaches the `/_sandbox/sts` control routes to the world (once). */
export function attachStsControl(world: World): void {
  if (!world.controlRoutes.has('sts')) world.controlRoutes.set('sts', stsControl(world));
}

export function createStsService(world: World): QueryService {
  attachStsControl(world);
  return {
    protocol: 'query',
    name: 'sts',
    signingName: 'sts',
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    operations: {
      GetCallerIdentity(_input: Record<string, string>, ctx: CallContext) {
        const session = stateOf(ctx.world).sessions.get(ctx.accessKeyId);
        return [
          `<Arn>${xmlEscape(session?.arn ?? `arn:aws:iam::${ctx.accountId}:user/sandbox`)}</Arn>`,
          `<UserId>${xmlEscape(session?.assumedRoleId ?? SANDBOX_USER_ID)}</UserId>`,
          `<Account>${ctx.accountId}</Account>`,
        ].join('');
      },
      AssumeRoleWithWebIdentity(input: AssumeInput, ctx: CallContext) {
        return assumeRoleWithWebIdentity(input, ctx);
      },
    },
  };
}
