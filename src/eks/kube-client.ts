import https from 'node:https';
import { agentOptions } from '../aws/clients.ts';

/** A Kubernetes API answer other than 2xx, with its `Status` body's reason and message. */
export class KubeApiError extends Error {
  readonly status: number;
  readonly reason: string | undefined;
  /** The Status body's `details.causes` (a server-side apply conflict lists each field and its manager). */
  readonly causes: readonly { type?: string; message?: string; field?: string }[];
  constructor(
    status: number,
    reason: string | undefined,
    message: string,
    causes: readonly { type?: string; message?: string; field?: string }[] = [],
  ) {
    super(message);
    this.name = 'KubeApiError';
    this.status = status;
    this.reason = reason;
    this.causes = causes;
  }
}

export type PatchType = 'strategic' | 'json' | 'merge' | 'apply';
const PATCH_CONTENT_TYPE: Record<PatchType, string> = {
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  // Server-side apply; JSON is YAML, so the body is sent as JSON.
  apply: 'application/apply-patch+yaml',
};

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

/** The calls the EKS target makes; KubeClient speaks them over HTTPS, tests script them. */
export interface KubeApi {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown, type: PatchType): Promise<T>;
  /**
   * Streams watch events until the server ends the stream, `stop()` is called, or the connection drops
   * (`done` rejects). A `410 Gone` arrives as an ERROR event the caller handles.
   */
  watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
  ): Promise<{ readonly stop: () => void; readonly done: Promise<void> }>;
}

/** What applying manifests needs on top: deleting what a prune removes. */
export interface ManifestKubeApi extends KubeApi {
  delete<T>(path: string, body?: unknown): Promise<T>;
}

export interface KubeClientOptions {
  /** `https://…` from DescribeCluster. */
  readonly server: string;
  /** PEM of the cluster CA: TLS is always verified against it. */
  readonly ca: string;
  /** A valid bearer token (re-minted by the caller before it expires). */
  readonly token: () => Promise<string>;
  readonly env: NodeJS.ProcessEnv;
}

/** A small typed client for the few calls the deploy makes: get, list, patch, create, watch, logs. */
export class KubeClient implements ManifestKubeApi {
  private readonly options: KubeClientOptions;
  private readonly agent: https.Agent;

  constructor(options: KubeClientOptions) {
    this.options = options;
    // Set here, not left to the default: NODE_TLS_REJECT_UNAUTHORIZED=0 in the job must not send the
    // bearer token to a server that is not the cluster.
    this.agent = new https.Agent({ ...agentOptions(options.env), ca: options.ca, rejectUnauthorized: true });
  }

  private async open(method: string, path: string, headers: Record<string, string>, timeoutMs: number) {
    const url = new URL(path, this.options.server);
    const token = await this.options.token();
    return https.request(url, {
      method,
      agent: this.agent,
      ca: this.options.ca,
      rejectUnauthorized: true,
      timeout: timeoutMs,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...headers },
    });
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    // Content-Length always: Node frames no body of a DELETE by itself (no chunked encoding for it).
    const req = await this.open(
      method,
      path,
      payload ? { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) } : {},
      30_000,
    );
    return new Promise<T>((resolve, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('error', reject);
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            try {
              resolve((res.headers['content-type']?.includes('json') ? JSON.parse(text) : text) as T);
            } catch (error) {
              reject(
                new Error(`${method} ${path}: the answer is not valid JSON (${(error as Error).message})`),
              );
            }
            return;
          }
          let reason: string | undefined;
          let message = text.slice(0, 500);
          let causes: { type?: string; message?: string; field?: string }[] = [];
          try {
            const parsed = JSON.parse(text) as {
              reason?: string;
              message?: string;
              details?: { causes?: typeof causes };
            };
            reason = parsed.reason;
            message = parsed.message ?? message;
            causes = Array.isArray(parsed.details?.causes) ? parsed.details.causes : [];
          } catch {
            // not a Status body
          }
          reject(new KubeApiError(status, reason, message || `HTTP ${status}`, causes));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${this.options.server} within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown, type: PatchType): Promise<T> {
    return this.request<T>('PATCH', path, body, PATCH_CONTENT_TYPE[type]);
  }

  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }

  async watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
  ): Promise<{ stop: () => void; done: Promise<void> }> {
    const req = await this.open('GET', path, {}, 0);
    let stopped = false;
    const done = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        if ((res.statusCode ?? 0) >= 300) {
          const chunks: Buffer[] = [];
          res.on('error', reject);
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: { reason?: string; message?: string } = {};
            try {
              parsed = JSON.parse(text) as typeof parsed;
            } catch {
              // not a Status body
            }
            reject(
              new KubeApiError(res.statusCode ?? 0, parsed.reason, parsed.message ?? text.slice(0, 300)),
            );
          });
          return;
        }
        let buffer = '';
        res.on('data', (c: Buffer) => {
          buffer += c.toString('utf8');
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line) continue;
            try {
              onEvent(JSON.parse(line) as WatchEvent);
            } catch (error) {
              // A broken line ends this stream as an error (the caller resumes), never the process.
              req.destroy(new Error(`malformed watch event: ${(error as Error).message}`));
              return;
            }
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => (stopped ? resolve() : reject(e)));
      });
      req.on('error', (e) => (stopped ? resolve() : reject(e)));
    });
    req.end();
    return {
      stop: () => {
        stopped = true;
        req.destroy();
      },
      done,
    };
  }
}
