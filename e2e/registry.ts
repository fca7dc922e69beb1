// Reads the real registry the way a Docker client does (ECR token → registry bearer token → HTTPS), so the
// e2e tests check what is in the registry, not what the action says it did.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

const ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, headers: Record<string, string>, method = 'GET'): Promise<Response> {
  return getRaw(url, headers, method).then((r) => ({ ...r, body: r.raw.toString('utf8') }));
}

function getRaw(
  url: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; raw: Buffer }> {
  const ca = readFileSync(process.env.NODE_EXTRA_CA_CERTS!, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

export function ecrClient(): ECRClient {
  return new ECRClient({ region: process.env.AWS_REGION });
}

async function bearer(host: string, repository: string): Promise<string> {
  const auth = await ecrClient().send(new GetAuthorizationTokenCommand({}));
  const basic = auth.authorizationData![0]!.authorizationToken!;
  const challenge = await get(`https://${host}/v2/`, {});
  const header = String(challenge.headers['www-authenticate'] ?? '');
  const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const url = new URL(params.realm!);
  url.searchParams.set('service', params.service!);
  url.searchParams.set('scope', `repository:${repository}:pull`);
  const token = await get(url.toString(), { authorization: `Basic ${basic}` });
  if (token.status !== 200) throw new Error(`token server answered ${token.status}: ${token.body}`);
  return (JSON.parse(token.body) as { token: string }).token;
}

/** Every tag of the repository and the manifest digest the registry serves for it. */
export async function registryTags(repository: string): Promise<Map<string, string>> {
  const host = process.env.SANDBOX_REGISTRY_HOST!;
  const token = await bearer(host, repository);
  const list = await get(`https://${host}/v2/${repository}/tags/list`, { authorization: `Bearer ${token}` });
  if (list.status !== 200) throw new Error(`tags/list answered ${list.status}: ${list.body}`);
  const tags = (JSON.parse(list.body) as { tags: string[] | null }).tags ?? [];
  const result = new Map<string, string>();
  for (const tag of tags) {
    const head = await get(
      `https://${host}/v2/${repository}/manifests/${tag}`,
      { authorization: `Bearer ${token}`, accept: ACCEPT },
      'HEAD',
    );
    result.set(tag, String(head.headers['docker-content-digest']));
  }
  return result;
}

/** A manifest (by tag or digest) as the registry serves it. */
export async function registryManifest(
  repository: string,
  reference: string,
): Promise<Record<string, unknown>> {
  const host = process.env.SANDBOX_REGISTRY_HOST!;
  const token = await bearer(host, repository);
  const res = await get(`https://${host}/v2/${repository}/manifests/${reference}`, {
    authorization: `Bearer ${token}`,
    accept: ACCEPT,
  });
  if (res.status !== 200) throw new Error(`manifest ${reference}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Record<string, unknown>;
}

/** A blob (config or layer) as stored in the registry. */
export async function registryBlob(repository: string, digest: string): Promise<Buffer> {
  const host = process.env.SANDBOX_REGISTRY_HOST!;
  const token = await bearer(host, repository);
  let url = `https://${host}/v2/${repository}/blobs/${digest}`;
  for (let i = 0; i < 3; i++) {
    const res = await getRaw(url, { authorization: `Bearer ${token}` });
    if (res.status === 200) return res.raw;
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      url = new URL(String(res.headers.location), url).toString();
      continue;
    }
    throw new Error(`blob ${digest}: ${res.status}`);
  }
  throw new Error(`blob ${digest}: too many redirects`);
}
