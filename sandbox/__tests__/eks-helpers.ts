// Helpers of the EKS sandbox tests: EKS tokens minted as aws-iam-authenticator / `aws eks get-token` do
// (presigned STS GetCallerIdentity with the signed `x-k8s-aws-id` header), a per-test cluster, and a
// @kubernetes/client-node KubeConfig built from DescribeCluster.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:https';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { KubeConfig } from '@kubernetes/client-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { EksControl } from '../eks/control-client.ts';
import type { RuntimeMode } from '../eks/pods.ts';
import { uniqueName } from './helpers.ts';

class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret
      ? createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer))
      : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {}
}

function enc(v: string): string {
  return encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface TokenOptions {
  signedClusterHeader?: string | null;
  signingDate?: Date;
  secretAccessKey?: string;
}

export async function presignedStsUrl(cluster: string, opts: TokenOptions = {}): Promise<string> {
  const endpoint = new URL(process.env.AWS_ENDPOINT_URL_STS!);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: opts.secretAccessKey ?? process.env.AWS_SECRET_ACCESS_KEY!,
    },
    region: process.env.AWS_REGION ?? 'us-east-1',
    service: 'sts',
    sha256: Sha256,
  });
  const header = opts.signedClusterHeader === undefined ? cluster : opts.signedClusterHeader;
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: Number(endpoint.port),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, ...(header === null ? {} : { 'x-k8s-aws-id': header }) },
    },
    { expiresIn: 60, signingDate: opts.signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
  return `${endpoint.protocol}//${endpoint.host}/?${query}`;
}

export function tokenFromUrl(url: string): string {
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}

export async function eksToken(cluster: string, opts: TokenOptions = {}): Promise<string> {
  return tokenFromUrl(await presignedStsUrl(cluster, opts));
}

export const control = (): EksControl => new EksControl();

export interface TestCluster {
  name: string;
  endpoint: string;
  caPem: string;
  kc: KubeConfig;
  token: string;
}

/**
 * A fresh cluster (own API server and state) on a fast time scale. Pods are simulated unless `runtime` says
 * `containers`: the protocol and controller tests need no real processes, and stay fast on 2 cores; the
 * real-container runtime has tests of its own (eks-containers.test.ts, and one end-to-end deploy).
 */
export async function testCluster(
  timeScale = 0.05,
  runtime: RuntimeMode = 'simulated',
): Promise<TestCluster> {
  const name = uniqueName('c').slice(0, 60);
  await control().createCluster(name, timeScale, runtime);
  const eks = new EKSClient({ maxAttempts: 1 });
  const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
  const caPem = Buffer.from(cluster!.certificateAuthority!.data!, 'base64').toString('utf8');
  const token = await eksToken(name);
  return {
    name,
    endpoint: cluster!.endpoint!,
    caPem,
    kc: kubeConfig(cluster!.endpoint!, cluster!.certificateAuthority!.data!, token),
    token,
  };
}

export function kubeConfig(server: string, caData: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, caData, skipTLSVerify: false }],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

export interface RawResponse {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** Raw HTTPS call to the API server (verifying its certificate against the cluster's CA). */
export function raw(
  c: { endpoint: string; caPem: string },
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; contentType?: string } = {},
): Promise<RawResponse> {
  const url = new URL(path, c.endpoint);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  if (payload) headers['content-type'] = opts.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca: c.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          body,
          json: () => JSON.parse(body) as Record<string, unknown>,
        });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function deployment(
  name: string,
  image: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image, readinessProbe: { exec: { command: ['true'] }, periodSeconds: 2 } },
          ],
        },
      },
      ...extra,
    },
  };
}
