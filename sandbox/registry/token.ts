// Token authentication for docker-registry (https://distribution.github.io/distribution/spec/auth/token/):
// Basic `AWS:<password>` from ECR GetAuthorizationToken in, an RS256 JWT scoped to repositories out.
import { createSign, randomUUID, X509Certificate } from 'node:crypto';

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenSigner {
  issuer: string;
  service: string;
  keyPem: string;
  certPem: string;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signRegistryToken(
  signer: TokenSigner,
  subject: string,
  access: Access[],
  ttlSeconds = 300,
): string {
  const der = new X509Certificate(signer.certPem).raw.toString('base64');
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'RS256', x5c: [der] };
  const claims = {
    iss: signer.issuer,
    sub: subject,
    aud: signer.service,
    exp: now + ttlSeconds,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(signer.keyPem);
  return `${input}.${b64url(signature)}`;
}

/** Parses `repository:name:pull,push` scopes (several `scope` parameters, or space-separated). */
export function parseScopes(scopes: string[]): Access[] {
  const out: Access[] = [];
  for (const scope of scopes.flatMap((s) => s.split(' ')).filter(Boolean)) {
    const first = scope.indexOf(':');
    const last = scope.lastIndexOf(':');
    if (first < 0 || last === first) continue;
    out.push({
      type: scope.slice(0, first),
      name: scope.slice(first + 1, last),
      actions: scope
        .slice(last + 1)
        .split(',')
        .filter(Boolean),
    });
  }
  return out;
}

export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
