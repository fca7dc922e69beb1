import https from 'node:https';
import http from 'node:http';
import { agentOptions } from '../aws/clients.ts';

export interface RegistryLogin {
  readonly host: string;
  readonly username: string;
  readonly password: string;
}

interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

const MAX_BODY = 8 * 1024 * 1024;

function get(url: URL, headers: Record<string, string>, env: NodeJS.ProcessEnv): Promise<Response> {
  const mod = url.protocol === 'http:' ? http : https;
  const agent = new mod.Agent({ ...agentOptions(env), keepAlive: false });
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: 'GET', headers, agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(new Error(`${url.pathname}: answer larger than ${MAX_BODY} bytes`));
        else chunks.push(c);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`${url.host}: no answer within 30 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(' ');
  const scheme = (space > 0 ? header.slice(0, space) : header).toLowerCase();
  const params: Record<string, string> = {};
  for (const [, key = '', value = ''] of header.slice(space + 1).matchAll(/(\w+)="([^"]*)"/g)) {
    params[key.toLowerCase()] = value;
  }
  return { scheme, params };
}

/**
 * Reads a blob the way a registry client does: answers a Basic challenge (ECR) or fetches a bearer token
 * from the realm (token-auth registries), and follows redirects to storage without the registry's
 * credentials.
 */
export async function readBlob(
  login: RegistryLogin,
  repository: string,
  digest: string,
  env: NodeJS.ProcessEnv,
): Promise<Buffer> {
  const basic = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
  let url = new URL(`https://${login.host}/v2/${repository}/blobs/${digest}`);
  let authorization: string | undefined;
  for (let hop = 0; hop < 6; hop++) {
    const res = await get(url, authorization && url.host === login.host ? { authorization } : {}, env);
    if (res.status === 200) return res.body;
    if (res.status >= 300 && res.status < 400 && res.headers.location) {
      url = new URL(res.headers.location, url);
      continue;
    }
    if (res.status === 401 && !authorization) {
      const challenge = parseChallenge(String(res.headers['www-authenticate'] ?? ''));
      if (challenge.scheme === 'bearer' && challenge.params.realm) {
        const realm = new URL(challenge.params.realm);
        // The registry password goes to the token service only over HTTPS.
        if (realm.protocol !== 'https:')
          throw new Error(`the registry's token service ${realm.origin} is not HTTPS`);
        if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
        realm.searchParams.set('scope', `repository:${repository}:pull`);
        const token = await get(realm, { authorization: basic }, env);
        if (token.status !== 200) throw new Error(`the registry's token service answered ${token.status}`);
        const parsed = JSON.parse(token.body.toString('utf8')) as { token?: string; access_token?: string };
        authorization = `Bearer ${parsed.token ?? parsed.access_token ?? ''}`;
      } else {
        authorization = basic;
      }
      continue;
    }
    throw new Error(`GET ${url.pathname} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
  }
  throw new Error(`GET /v2/${repository}/blobs/${digest}: too many redirects`);
}
