// RS256 JSON Web Tokens and their key set, as GitHub's OIDC issuer makes them:
// https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
// (RFC 7519 tokens, RFC 7517 key sets, RS256 = RSASSA-PKCS1-v1_5 with SHA-256 per RFC 7518).
import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** The issuer GitHub Actions tokens carry (`iss`); AWS looks the OIDC provider up by it. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

export interface Jwk {
  kty: string;
  kid: string;
  alg?: string;
  use?: string;
  n: string;
  e: string;
  x5t?: string;
}

export interface Jwks {
  keys: Jwk[];
}

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  nbf?: number;
  jti?: string;
  [claim: string]: unknown;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Jwk;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const exported = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  // A thumbprint of the public key names it (GitHub's kid and x5t are stable per key, too).
  const kid = createHash('sha256').update(exported.n).digest('hex').slice(0, 40).toUpperCase();
  return {
    kid,
    privateKey,
    jwk: { kty: 'RSA', kid, alg: 'RS256', use: 'sig', n: exported.n, e: exported.e, x5t: b64url(kid) },
  };
}

export function signJwt(claims: JwtClaims, key: SigningKey): string {
  const header = { typ: 'JWT', alg: 'RS256', x5t: key.jwk.x5t, kid: key.kid };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${signingInput}.${b64url(sign('RSA-SHA256', Buffer.from(signingInput), key.privateKey))}`;
}

export interface DecodedJwt {
  header: { alg?: string; kid?: string; typ?: string };
  claims: Partial<JwtClaims>;
  signingInput: string;
  signature: Buffer;
}

/** Splits and decodes a compact JWT; undefined when it is not one. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as DecodedJwt['header'];
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as DecodedJwt['claims'];
    if (typeof header !== 'object' || header === null || typeof claims !== 'object' || claims === null) {
      return undefined;
    }
    return {
      header,
      claims,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/** Whether the token's RS256 signature verifies with the key of the set its header names (`kid`). */
export function signatureValid(jwt: DecodedJwt, jwks: Jwks): boolean {
  if (jwt.header.alg !== 'RS256') return false;
  const jwk = jwks.keys.find((k) => k.kid === jwt.header.kid && k.kty === 'RSA');
  if (!jwk) return false;
  const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  return verify('RSA-SHA256', Buffer.from(jwt.signingInput), key, jwt.signature);
}
