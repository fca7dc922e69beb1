// GitHub's OIDC token endpoint as the runner offers it to a job with `permissions: id-token: write`:
// `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>` with `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`
// answers `{"value": "<JWT>"}` (what @actions/core getIDToken reads). The issuer's discovery document and key
// set are served as token.actions.githubusercontent.com serves them; the sandbox's STS verifies tokens with them.
// Control (unauthenticated, loopback): POST /_sandbox/request-tokens mints a request token bound to a job's
// claims (repository, ref, event, environment …), GET /_sandbox/issued lists what was issued (no token values).
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GITHUB_ISSUER, generateSigningKey, signJwt, type JwtClaims, type SigningKey } from './jwt.ts';

/** What a job's token says about it (GitHub's claims; `sub` is derived from them unless given). */
export interface JobClaims {
  repository: string;
  ref: string;
  sha?: string;
  eventName?: string;
  environment?: string;
  runId?: string;
  runAttempt?: string;
  workflow?: string;
  actor?: string;
  /** Overrides the derived subject. */
  sub?: string;
  /** Token lifetime; GitHub's tokens are valid for 5 minutes. */
  lifetimeSeconds?: number;
}

export interface IssuedToken {
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
}

const DEFAULT_LIFETIME_SECONDS = 300;

/**
 * GitHub's subject formats: `repo:<owner>/<repo>:environment:<name>` for a job with an environment,
 * `repo:<owner>/<repo>:pull_request` for pull_request events, else `repo:<owner>/<repo>:ref:<ref>`.
 */
export function subjectOf(job: JobClaims): string {
  if (job.sub) return job.sub;
  if (job.environment) return `repo:${job.repository}:environment:${job.environment}`;
  if (job.eventName === 'pull_request' || job.eventName === 'pull_request_target') {
    return `repo:${job.repository}:pull_request`;
  }
  return `repo:${job.repository}:ref:${job.ref}`;
}

export function tokenClaims(job: JobClaims, audience: string, nowSeconds: number): JwtClaims {
  const [owner] = job.repository.split('/');
  return {
    jti: randomUUID(),
    sub: subjectOf(job),
    aud: audience,
    ref: job.ref,
    sha: job.sha ?? '0'.repeat(40),
    repository: job.repository,
    repository_owner: owner ?? '',
    run_id: job.runId ?? '1',
    run_attempt: job.runAttempt ?? '1',
    actor: job.actor ?? 'octocat',
    workflow: job.workflow ?? 'deploy',
    event_name: job.eventName ?? 'push',
    ref_type: job.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ...(job.environment ? { environment: job.environment } : {}),
    iss: GITHUB_ISSUER,
    nbf: nowSeconds,
    iat: nowSeconds,
    exp: nowSeconds + (job.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS),
  };
}

export interface OidcServer {
  server: Server;
  key: SigningKey;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createOidcServer(): OidcServer {
  const key = generateSigningKey();
  const jobs = new Map<string, JobClaims>();
  const issued: IssuedToken[] = [];
  const origin = (req: IncomingMessage) => `http://${req.headers.host ?? '127.0.0.1'}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
      return sendJson(res, 200, {
        issuer: GITHUB_ISSUER,
        jwks_uri: `${origin(req)}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'run_id'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
    }
    if (method === 'GET' && url.pathname === '/.well-known/jwks') {
      return sendJson(res, 200, { keys: [key.jwk] });
    }
    if (method === 'GET' && url.pathname === '/token') {
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const job = bearer ? jobs.get(bearer) : undefined;
      if (!job)
        return sendJson(res, 401, { message: 'Unauthorized: the request token is missing or unknown.' });
      const [owner] = job.repository.split('/');
      // Without `audience`, GitHub's default audience is the URL of the repository owner.
      const audience = url.searchParams.get('audience') || `https://github.com/${owner ?? ''}`;
      const claims = tokenClaims(job, audience, Math.floor(Date.now() / 1000));
      issued.push({ sub: claims.sub, aud: claims.aud, iat: claims.iat, exp: claims.exp, jti: claims.jti! });
      return sendJson(res, 200, { count: issued.length, value: signJwt(claims, key) });
    }
    if (method === 'POST' && url.pathname === '/_sandbox/request-tokens') {
      const job = JSON.parse((await readBody(req)) || '{}') as Partial<JobClaims>;
      if (typeof job.repository !== 'string' || !/^[^/\s]+\/[^/\s]+$/.test(job.repository)) {
        return sendJson(res, 400, { error: 'repository (owner/name) is required' });
      }
      if (typeof job.ref !== 'string' || job.ref === '')
        return sendJson(res, 400, { error: 'ref is required' });
      const requestToken = randomBytes(24).toString('base64url');
      jobs.set(requestToken, job as JobClaims);
      return sendJson(res, 200, {
        requestToken,
        requestUrl: `${origin(req)}/token?api-version=2.0`,
        subject: subjectOf(job as JobClaims),
      });
    }
    if (method === 'GET' && url.pathname === '/_sandbox/issued') {
      const sub = url.searchParams.get('sub');
      return sendJson(res, 200, { issued: issued.filter((t) => !sub || t.sub === sub) });
    }
    if (method === 'GET' && url.pathname === '/_sandbox/health') return sendJson(res, 200, { ok: true });
    return sendJson(res, 404, { error: `no route ${method} ${url.pathname}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.end();
    });
  });
  return { server, key };
}
