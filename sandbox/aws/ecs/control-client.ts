// Client of the ECS control operations (sandbox/aws/ecs/control.ts): SigV4-signed awsJson1_1 calls to the
// sandbox AWS endpoint with the sandbox credentials, read from the standard environment variables.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { ECS_CONTROL_TARGET_PREFIX, type DeploymentTimelineEntry } from './control.ts';

export type { DeploymentTimelineEntry };

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The smithy Checksum interface over node:crypto (SHA-256, or HMAC-SHA-256 with a secret). */
class Sha256 {
  private readonly secret: Buffer | undefined;
  private hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret !== undefined ? createHmac('sha256', this.secret) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}
export type FailureMode = 'cannot-pull' | 'exit' | 'unhealthy';

export class EcsSandboxControl {
  private readonly endpoint: string;
  private readonly signer: SignatureV4;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const endpoint = env.AWS_ENDPOINT_URL_ECS;
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!endpoint || !accessKeyId || !secretAccessKey) {
      throw new Error(
        'EcsSandboxControl needs AWS_ENDPOINT_URL_ECS and the sandbox credentials in the environment',
      );
    }
    this.endpoint = endpoint.replace(/\/$/, '');
    this.signer = new SignatureV4({
      service: 'ecs',
      region: env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
      sha256: Sha256,
    });
  }

  private async call<T>(operation: string, input: unknown = {}): Promise<T> {
    const url = new URL(this.endpoint);
    const body = JSON.stringify(input);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `${ECS_CONTROL_TARGET_PREFIX}.${operation}`,
      },
      body,
    });
    const res = await fetch(`${this.endpoint}/`, { method: 'POST', headers: signed.headers, body });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox ECS control ${operation}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async timeScale(): Promise<number> {
    return (await this.call<{ timeScale: number }>('GetSettings')).timeScale;
  }
  /** Simulated seconds × scale = wall seconds (default 0.02; 1 = realistic Fargate timings). */
  async setTimeScale(timeScale: number): Promise<void> {
    await this.call('SetTimeScale', { timeScale });
  }
  /** Runtime settings: `real` (containers in the sandbox's engine) or `simulated`, and whether an engine is known. */
  async runtime(): Promise<{
    runtime: 'real' | 'simulated';
    runtimeByFamily: Record<string, 'real' | 'simulated'>;
    engine: boolean;
  }> {
    return this.call('GetSettings');
  }
  /**
   * Chooses the runtime of tasks started from now on: for one task definition family, or (without `family`) for
   * all; `default` = back to the server's default (`SANDBOX_ECS_RUNTIME`, else real).
   */
  async setRuntime(runtime: 'real' | 'simulated' | 'default', family?: string): Promise<void> {
    await this.call('SetRuntime', { runtime, ...(family ? { family } : {}) });
  }
  /** The next `count` tasks started from this task definition (ARN, family:revision or family) fail so. */
  async failNextTasks(
    taskDefinition: string,
    mode: FailureMode,
    opts: { count?: number; exitCode?: number } = {},
  ): Promise<void> {
    await this.call('FailNextTasks', { taskDefinition, mode, ...opts });
  }
  async clearScriptedFailures(): Promise<void> {
    await this.call('ClearScriptedFailures');
  }
  async deploymentTimeline(
    filter: { cluster?: string; service?: string } = {},
  ): Promise<DeploymentTimelineEntry[]> {
    return (await this.call<{ deployments: DeploymentTimelineEntry[] }>('GetDeploymentTimeline', filter))
      .deployments;
  }
}
