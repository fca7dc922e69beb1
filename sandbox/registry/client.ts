// The sandbox's own client of the real registry (used by ECR control-plane operations): HTTPS with the
// sandbox CA and an internal token with full access.
import { createHash } from 'node:crypto';
import { request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { signRegistryToken, type TokenSigner } from './token.ts';

export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RegistryClientOptions {
  port: number;
  ca: string;
  signer: TokenSigner;
}

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export class RegistryClient {
  private readonly opts: RegistryClientOptions;
  constructor(opts: RegistryClientOptions) {
    this.opts = opts;
  }

  async call(
    method: string,
    path: string,
    options: { repository?: string; headers?: Record<string, string>; body?: Buffer } = {},
  ): Promise<RegistryResponse> {
    const access = options.repository
      ? [{ type: 'repository', name: options.repository, actions: ['pull', 'push', 'delete'] }]
      : [{ type: 'registry', name: 'catalog', actions: ['*'] }];
    const token = signRegistryToken(this.opts.signer, 'sandbox-internal', access, 60);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.opts.port,
          method,
          path,
          ca: this.opts.ca,
          headers: { authorization: `Bearer ${token}`, ...options.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  }

  async listTags(repository: string): Promise<string[]> {
    const res = await this.call('GET', `/v2/${repository}/tags/list?n=10000`, { repository });
    if (res.status === 404) return [];
    if (res.status !== 200) throw new Error(`registry tags/list ${repository}: HTTP ${res.status}`);
    const parsed = JSON.parse(res.body.toString('utf8')) as { tags?: string[] | null };
    return parsed.tags ?? [];
  }

  /** Manifest bytes, media type and digest for a tag or digest; undefined when absent. */
  async getManifest(
    repository: string,
    reference: string,
    accept: string[] = MANIFEST_MEDIA_TYPES,
  ): Promise<{ body: Buffer; mediaType: string; digest: string } | undefined> {
    const res = await this.call('GET', `/v2/${repository}/manifests/${reference}`, {
      repository,
      headers: { accept: accept.join(', ') },
    });
    if (res.status === 404) return undefined;
    if (res.status !== 200)
      throw new Error(`registry GET manifest ${repository}:${reference}: HTTP ${res.status}`);
    return {
      body: res.body,
      mediaType: String(res.headers['content-type'] ?? ''),
      digest: String(res.headers['docker-content-digest'] ?? sha256Digest(res.body)),
    };
  }

  async putManifest(
    repository: string,
    reference: string,
    body: Buffer,
    mediaType: string,
  ): Promise<RegistryResponse> {
    return this.call('PUT', `/v2/${repository}/manifests/${reference}`, {
      repository,
      headers: { 'content-type': mediaType },
      body,
    });
  }
}
