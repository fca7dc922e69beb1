// Typed client of the sandbox control interface (`/_sandbox/...` on the AWS endpoint; see README).
import type { CallRecord, FaultRule } from './aws/faults.ts';

export type { CallRecord, FaultRule };

export class SandboxControl {
  readonly baseUrl: string;
  constructor(baseUrl = process.env.SANDBOX_CONTROL_URL ?? '') {
    if (!baseUrl) throw new Error('SandboxControl needs the control URL (SANDBOX_CONTROL_URL)');
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const send = () =>
      fetch(`${this.baseUrl}${path}`, {
        method,
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
          : {}),
      });
    // A kept-alive socket the server closed as idle just as the request went out (undici's "other side
    // closed"): the server never read it, so it is sent once more on a fresh socket.
    const res = await send().catch((error: unknown) => {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code === 'UND_ERR_SOCKET') return send();
      throw error;
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }

  /** Adds fault rules; returns their ids. */
  async addFaults(...rules: FaultRule[]): Promise<number[]> {
    return (await this.call<{ ids: number[] }>('POST', '/faults', rules)).ids;
  }
  async listFaults(): Promise<FaultRule[]> {
    return (await this.call<{ faults: FaultRule[] }>('GET', '/faults')).faults;
  }
  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  async calls(filter: { service?: string; operation?: string; since?: number } = {}): Promise<CallRecord[]> {
    const q = new URLSearchParams(
      Object.entries(filter)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)]),
    );
    return (await this.call<{ calls: CallRecord[] }>('GET', `/calls?${q}`)).calls;
  }
  async clearCalls(): Promise<void> {
    await this.call('DELETE', '/calls');
  }

  /** Makes every ECR registry password issued so far expired (docker login / push then fail like ECR). */
  async expireAuthorizationTokens(): Promise<number> {
    return (await this.call<{ expired: number }>('POST', '/ecr/expire-authorization-tokens')).expired;
  }

  /**
   * Application Auto Scaling changing an ECS service's desired count (`resourceId` = `service/<cluster>/<name>`):
   * refused (HTTP 409) while that direction is suspended, clamped to the scalable target's min/max.
   */
  async scale(
    resourceId: string,
    direction: 'out' | 'in',
    count: number,
  ): Promise<{ from: number; to: number; requested: number }> {
    return this.call('POST', '/autoscaling/scale', { resourceId, direction, count });
  }

  async health(): Promise<{ ok: boolean; accountId: string; registryHost: string }> {
    return this.call('GET', '/health');
  }
}
