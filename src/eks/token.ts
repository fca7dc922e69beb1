import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  Checksum,
  SourceData,
} from '@smithy/types';

/** How long EKS accepts a token after its X-Amz-Date; re-minted well before. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
export const TOKEN_REFRESH_MS = 10 * 60_000;

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 / HMAC-SHA-256 over node:crypto, in the shape the SigV4 signer takes. */
class Sha256 implements Checksum {
  private readonly secret: Buffer | undefined;
  private hash;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
}

/** The regional STS endpoint, honouring the SDK's endpoint variables (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL). */
export function stsEndpoint(region: string, env: NodeJS.ProcessEnv): URL {
  const configured = env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(configured || `https://sts.${region}.${suffix}`);
}

export interface EksToken {
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * The token `aws eks get-token` prints: a presigned STS GetCallerIdentity URL with the cluster name signed in
 * the `x-k8s-aws-id` header, as `k8s-aws-v1.` + base64url without padding.
 */
export async function mintEksToken(options: {
  cluster: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  env: NodeJS.ProcessEnv;
  now?: Date;
}): Promise<EksToken> {
  const endpoint = stsEndpoint(options.region, options.env);
  const signer = new SignatureV4({
    service: 'sts',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const now = options.now ?? new Date();
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname === '' ? '/' : endpoint.pathname,
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, 'x-k8s-aws-id': options.cluster },
    },
    { expiresIn: 60, signingDate: now },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const url = `${endpoint.protocol}//${endpoint.host}${presigned.path}?${query}`;
  const token = `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
  return { token, expiresAt: now.getTime() + TOKEN_LIFETIME_MS };
}
