// I/O helpers of bench/eks-wait.ts: the baseline's Kubernetes client (EKS token minted as
// aws-iam-authenticator / `aws eks get-token` do, as sandbox/__tests__/eks-helpers.ts does; a small HTTPS
// client verifying the cluster's CA) and the API-request counters of a sandbox cluster.
import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:https';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { SignatureV4 } from '@smithy/signature-v4';
import type { CounterReading } from './eks-wait-lib.ts';

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

const enc = (v: string): string =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface AwsAccess {
  readonly region: string;
  /** The sandbox AWS endpoint (STS and EKS). */
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** `k8s-aws-v1.` + base64url of a presigned STS GetCallerIdentity URL with `x-k8s-aws-id` signed. */
export async function eksToken(aws: AwsAccess, cluster: string): Promise<string> {
  const sts = new URL(aws.endpoint);
  const signer = new SignatureV4({
    credentials: aws.credentials,
    region: aws.region,
    service: 'sts',
    sha256: Sha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: sts.protocol,
      hostname: sts.hostname,
      port: Number(sts.port),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: sts.host, 'x-k8s-aws-id': cluster },
    },
    { expiresIn: 60 },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
  return `k8s-aws-v1.${Buffer.from(`${sts.protocol}//${sts.host}/?${query}`).toString('base64url')}`;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

/** A minimal Kubernetes client for one cluster: endpoint and CA from DescribeCluster, bearer EKS token. */
export class KubeClient {
  private token = '';
  private mintedAt = 0;
  private readonly agent: Agent;
  private readonly aws: AwsAccess;
  readonly cluster: string;
  readonly endpoint: string;
  readonly caPem: string;
  private constructor(aws: AwsAccess, cluster: string, endpoint: string, caPem: string) {
    this.caPem = caPem;
    this.aws = aws;
    this.cluster = cluster;
    this.endpoint = endpoint;
    this.agent = new Agent({ ca: caPem, keepAlive: true, maxSockets: 4 });
  }

  static async connect(aws: AwsAccess, cluster: string): Promise<KubeClient> {
    const eks = new EKSClient({ region: aws.region, endpoint: aws.endpoint, credentials: aws.credentials });
    try {
      const c = (await eks.send(new DescribeClusterCommand({ name: cluster }))).cluster;
      if (!c?.endpoint || !c.certificateAuthority?.data)
        throw new Error(`cluster ${cluster}: no endpoint/CA`);
      const ca = Buffer.from(c.certificateAuthority.data, 'base64').toString('utf8');
      return new KubeClient(aws, cluster, c.endpoint, ca);
    } finally {
      eks.destroy();
    }
  }

  /** The token, re-minted after 10 minutes (valid 15 minutes from X-Amz-Date). */
  private async bearer(): Promise<string> {
    if (!this.token || Date.now() - this.mintedAt > 600_000) {
      this.token = await eksToken(this.aws, this.cluster);
      this.mintedAt = Date.now();
    }
    return this.token;
  }

  async call(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse> {
    const url = new URL(path, this.endpoint);
    if (url.hostname !== '127.0.0.1') throw new Error(`refusing a non-local API server: ${url.host}`);
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.bearer()}`,
      accept: 'application/json',
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = contentType ?? 'application/json';
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent: this.agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like call(), but a status ≥ 300 throws, and the body is parsed as JSON. */
  async json<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.call(method, path, body, contentType);
    if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    return JSON.parse(res.body) as T;
  }

  /**
   * A kubeconfig for real kubectl: this cluster's endpoint and CA, a freshly minted token (valid 15 minutes). The
   * caller writes it to a private file and removes it after use (it holds a credential).
   */
  async kubeconfig(): Promise<string> {
    const token = await this.bearer();
    return JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: this.cluster,
          cluster: {
            server: this.endpoint,
            'certificate-authority-data': Buffer.from(this.caPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'bench', user: { token } }],
      contexts: [{ name: 'bench', context: { cluster: this.cluster, user: 'bench' } }],
      'current-context': 'bench',
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Request counters. The Kubernetes fake keeps no request log, but its scripted faults consume a `count` per
// matching request (after authentication) and `GET /faults` shows what is left; a latency rule of 0 ms with a
// huge count is therefore a request counter (cost: one `setTimeout(0)` per request).

const BIG = 1_000_000_000;

/** What each counter rule matches (all rules match every request that fits: they count in parallel). */
const COUNTERS = {
  all: {},
  nonWatch: { watch: false },
  patch: { method: 'PATCH' },
  post: { method: 'POST' },
} as const;

interface FaultView {
  readonly id: number;
  readonly count?: number;
}

export class RequestCounter {
  private readonly ids = new Map<keyof typeof COUNTERS, number>();
  readonly readings: CounterReading[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly controlUrl: string;
  readonly cluster: string;
  private constructor(controlUrl: string, cluster: string) {
    this.controlUrl = controlUrl;
    this.cluster = cluster;
  }

  private url(): string {
    return `${this.controlUrl.replace(/\/$/, '')}/eks/clusters/${encodeURIComponent(this.cluster)}/faults`;
  }

  static async install(controlUrl: string, cluster: string): Promise<RequestCounter> {
    const c = new RequestCounter(controlUrl, cluster);
    for (const [name, match] of Object.entries(COUNTERS) as [keyof typeof COUNTERS, object][]) {
      const res = await fetch(c.url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'latency', latencyMs: 0, count: BIG, ...match }),
      });
      if (!res.ok) throw new Error(`installing a request counter on ${cluster}: HTTP ${res.status}`);
      c.ids.set(name, ((await res.json()) as { id: number }).id);
    }
    return c;
  }

  async read(): Promise<CounterReading> {
    const sentAt = Date.now();
    const res = await fetch(this.url());
    if (!res.ok) throw new Error(`reading the request counters of ${this.cluster}: HTTP ${res.status}`);
    const faults = ((await res.json()) as { faults: FaultView[] }).faults;
    const used = (name: keyof typeof COUNTERS) =>
      BIG - (faults.find((f) => f.id === this.ids.get(name))?.count ?? BIG);
    const reading: CounterReading = {
      sentAt,
      t: Date.now(),
      all: used('all'),
      nonWatch: used('nonWatch'),
      patch: used('patch'),
      post: used('post'),
    };
    this.readings.push(reading);
    return reading;
  }

  /** Reads once now, then samples every `everyMs` until stop() (bounded by `maxSamples`). */
  async start(everyMs = 100, maxSamples = 20_000): Promise<void> {
    await this.read();
    let n = 0;
    const tick = async () => {
      await this.read().catch(() => undefined);
      if (++n < maxSamples && this.timer !== undefined) this.timer = setTimeout(() => void tick(), everyMs);
    };
    this.timer = setTimeout(() => void tick(), everyMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.read();
  }
}
