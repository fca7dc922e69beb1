// Typed client of the sandbox's identity controls: GitHub's OIDC issuer (its own port, SANDBOX_OIDC_URL) and
// STS's roles and sessions (`/_sandbox/sts/...` on the AWS port, SANDBOX_CONTROL_URL).
import type { JobClaims, IssuedToken } from './server.ts';
import type { WebIdentityRole } from '../aws/sts.ts';

export interface SessionView {
  accessKeyId: string;
  arn: string;
  roleSessionName: string;
  subject: string;
  issuedAt: string;
  expiresAt: string;
  expired: boolean;
}

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox control ${method} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export class IdentityControl {
  readonly oidcUrl: string;
  readonly controlUrl: string;
  constructor(
    oidcUrl = process.env.SANDBOX_OIDC_URL ?? '',
    controlUrl = process.env.SANDBOX_CONTROL_URL ?? '',
  ) {
    if (!oidcUrl || !controlUrl) {
      throw new Error('IdentityControl needs SANDBOX_OIDC_URL and SANDBOX_CONTROL_URL (sandboxEnv)');
    }
    this.oidcUrl = oidcUrl.replace(/\/$/, '');
    this.controlUrl = controlUrl.replace(/\/$/, '');
  }

  /** A request token for a job with these claims: the runner's ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN pair. */
  async requestToken(job: JobClaims): Promise<{ requestToken: string; requestUrl: string; subject: string }> {
    return call(this.oidcUrl, 'POST', '/_sandbox/request-tokens', job);
  }
  async issued(sub?: string): Promise<IssuedToken[]> {
    const q = sub ? `?sub=${encodeURIComponent(sub)}` : '';
    return (await call<{ issued: IssuedToken[] }>(this.oidcUrl, 'GET', `/_sandbox/issued${q}`)).issued;
  }

  /** Creates or replaces a role trusting GitHub's provider; returns its ARN. */
  async putRole(role: Partial<WebIdentityRole> & { roleName: string; subjects: string[] }): Promise<string> {
    return (await call<{ arn: string }>(this.controlUrl, 'POST', '/sts/roles', role)).arn;
  }
  async deleteRole(roleName: string): Promise<void> {
    await call(this.controlUrl, 'DELETE', `/sts/roles/${encodeURIComponent(roleName)}`);
  }
  /** The audiences (client ids) the account's OIDC provider accepts; null removes the provider. */
  async setProviderClientIds(clientIds: string[] | null): Promise<void> {
    await call(this.controlUrl, 'POST', '/sts/oidc-provider', { clientIds });
  }
  /** Every session issued from now on lasts `seconds`, whatever DurationSeconds asks; null undoes it. */
  async forceSessionLength(seconds: number | null): Promise<void> {
    await call(this.controlUrl, 'POST', '/sts/session-length', { seconds });
  }
  async sessions(): Promise<SessionView[]> {
    return (await call<{ sessions: SessionView[] }>(this.controlUrl, 'GET', '/sts/sessions')).sessions;
  }
  /** Expires the matching sessions now (all of them with no filter); returns how many. */
  async expireSessions(filter: { accessKeyId?: string; roleSessionName?: string } = {}): Promise<number> {
    return (await call<{ expired: number }>(this.controlUrl, 'POST', '/sts/sessions/expire', filter)).expired;
  }
}
