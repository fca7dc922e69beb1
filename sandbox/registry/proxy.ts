// The ECR data plane: the HTTPS registry host users talk to (ECR's proxyEndpoint). It serves the token realm
// and forwards the Docker Registry HTTP API to the real docker-registry, adding what ECR has and the registry
// lacks: repository existence, tag immutability and push times.
import { request } from 'node:https';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBasicAuth, parseScopes, signRegistryToken } from './token.ts';
import { MANIFEST_MEDIA_TYPES, sha256Digest } from './client.ts';
import { isTagImmutable, type World } from '../world.ts';

const REPO_PATH = /^\/v2\/(.+?)\/(manifests|blobs|tags|referrers)\/(.*)$/;

function registryError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  detail?: unknown,
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'docker-distribution-api-version': 'registry/2.0',
  });
  res.end(JSON.stringify({ errors: [{ code, message, ...(detail !== undefined ? { detail } : {}) }] }));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createRegistryProxy(world: World): Server {
  const { config } = world;

  function handleToken(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const basic = parseBasicAuth(req.headers.authorization);
    if (!basic || basic.user !== 'AWS' || !world.passwordValid(basic.password)) {
      // ECR answers an expired or unknown token with 401 and "Your authorization token has expired. Reauthenticate and try again."
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Basic realm="ecr-sandbox"',
      });
      res.end(
        JSON.stringify({
          errors: [
            {
              code: 'DENIED',
              message: 'Your authorization token has expired. Reauthenticate and try again.',
            },
          ],
        }),
      );
      return;
    }
    // Grant what is requested, except push/pull on repositories that were never created (an empty grant makes
    // the next registry request fail, which the proxy turns into ECR's NAME_UNKNOWN).
    const access = parseScopes(url.searchParams.getAll('scope')).map((a) =>
      a.type === 'repository' && !world.repositories.has(a.name) ? { ...a, actions: [] } : a,
    );
    const token = signRegistryToken(config.signer, 'AWS', access, 12 * 60 * 60);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: 12 * 60 * 60,
        issued_at: new Date().toISOString(),
      }),
    );
  }

  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    body?: Buffer,
    onResponse?: (status: number, headers: IncomingMessage['headers']) => void,
  ): void {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: config.registryPort,
        method: req.method,
        path: req.url,
        ca: config.caPem,
        headers: { ...req.headers, ...(body !== undefined ? { 'content-length': String(body.length) } : {}) },
      },
      (up) => {
        onResponse?.(up.statusCode ?? 502, up.headers);
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) registryError(res, 502, 'UNKNOWN', `sandbox proxy: ${e.message}`);
      else res.destroy();
    });
    if (body !== undefined) upstream.end(body);
    else req.pipe(upstream);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `https://${world.registryHost}`);
    if (url.pathname === '/token') return handleToken(req, res, url);
    if (!url.pathname.startsWith('/v2/')) return registryError(res, 404, 'NOT_FOUND', 'Not Found');
    const m = REPO_PATH.exec(url.pathname);
    if (!m || req.headers.authorization === undefined) return forward(req, res);

    const [, repository, kind, reference] = m as unknown as [string, string, string, string];
    const repo = world.repositories.get(repository);
    if (!repo) {
      return registryError(
        res,
        404,
        'NAME_UNKNOWN',
        `The repository with name '${repository}' does not exist in the registry with id '${config.accountId}'`,
      );
    }
    if (kind !== 'manifests' || req.method !== 'PUT') return forward(req, res);

    const body = await readBody(req, 4 * 1024 * 1024);
    if (body === undefined) return registryError(res, 413, 'MANIFEST_INVALID', 'manifest too large');
    const digest = sha256Digest(body);
    if (!reference.startsWith('sha256:') && isTagImmutable(repo, reference)) {
      const existing = await world.registry.getManifest(repository, reference, MANIFEST_MEDIA_TYPES);
      if (existing && existing.digest !== digest) {
        return registryError(
          res,
          400,
          'TAG_INVALID',
          `The image tag '${reference}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
        );
      }
    }
    forward(req, res, body, (status) => {
      if (status === 201) world.recordPush(repository, digest);
    });
  }

  return createServer({ cert: config.serverCertPem, key: config.serverKeyPem }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      console.error('[sandbox] registry proxy:', e);
      if (!res.headersSent) registryError(res, 500, 'UNKNOWN', 'sandbox proxy failure');
      else res.destroy();
    });
  });
}
