// role-to-assume: the job's GitHub OIDC token (audience sts.amazonaws.com) traded for a role session with
// AssumeRoleWithWebIdentity. Every secret is masked the moment it exists; none is logged or passed on argv.
import * as core from '@actions/core';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import { agentOptions } from './clients.ts';
import { errorName } from './errors.ts';
import type { SessionCredentials } from './credentials.ts';
import type { AssumeRoleInputs } from './role-inputs.ts';

export const OIDC_AUDIENCE = 'sts.amazonaws.com';
const ISSUER_HOST = 'token.actions.githubusercontent.com';

export interface AssumeRoleOptions {
  readonly role: AssumeRoleInputs;
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
  /** The job's OIDC token for an audience (default: getIDToken of actions-core.ts, which masks it). */
  readonly idToken?: (audience: string) => Promise<string>;
}

/** Pure: the claims of a JWT's payload, unverified (for messages only: STS verifies the token). */
export function tokenClaims(token: string): { sub?: string; aud?: string } {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    if (typeof payload !== 'object' || payload === null) return {};
    const { sub, aud } = payload as { sub?: unknown; aud?: unknown };
    return {
      ...(typeof sub === 'string' ? { sub } : {}),
      ...(typeof aud === 'string' ? { aud } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * Pure: STS's refusal of the token, said with the trust condition it points at. AWS says no more than
 * "Not authorized" when the trust policy does not match, so the token's own subject and audience are named.
 */
export function describeRefusal(
  role: string,
  error: { readonly name?: string; readonly message?: string },
  claims: { readonly sub?: string; readonly aud?: string },
): string {
  const sts = `${error.name ?? 'Error'}: ${error.message ?? ''}`;
  const sub = claims.sub ?? '(unknown)';
  const aud = claims.aud ?? OIDC_AUDIENCE;
  if (/audience/i.test(error.message ?? '')) {
    return `STS refused this job's OIDC token for ${role} (${sts}). The token's audience is "${aud}": add it to the client IDs (audiences) of the account's IAM OIDC provider for ${ISSUER_HOST}, and to the role's trust condition "${ISSUER_HOST}:aud".`;
  }
  if (error.name === 'AccessDenied' || error.name === 'AccessDeniedException') {
    return `STS refused to let this job assume ${role} (${sts}). The role's trust policy must allow this token: its condition "${ISSUER_HOST}:sub" must match "${sub}" (e.g. StringLike "repo:<owner>/<repo>:*") and "${ISSUER_HOST}:aud" must be "${aud}", with the account's OIDC provider for ${ISSUER_HOST} as the principal.`;
  }
  if (/^(ExpiredToken|ExpiredTokenException)$/.test(error.name ?? '')) {
    return `STS found this job's OIDC token expired (${sts}). Check the runner's clock; the step asks for a new token each time.`;
  }
  if (
    /^(InvalidIdentityToken|InvalidIdentityTokenException|IDPRejectedClaim|IDPRejectedClaimException)$/.test(
      error.name ?? '',
    )
  ) {
    return `STS could not accept this job's OIDC token for ${role} (${sts}). Check that the account has an IAM OIDC provider for https://${ISSUER_HOST} and that the role trusts it.`;
  }
  if (error.name === 'ValidationError') {
    return `STS refused the request for ${role} (${sts}). Check role-duration against the role's maximum session duration, and role-session-name.`;
  }
  return `AssumeRoleWithWebIdentity for ${role} failed (${sts}).`;
}

const REFUSALS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'InvalidIdentityToken',
  'InvalidIdentityTokenException',
  'IDPRejectedClaim',
  'IDPRejectedClaimException',
  'ExpiredToken',
  'ExpiredTokenException',
  'ValidationError',
  'MalformedPolicyDocument',
  'MalformedPolicyDocumentException',
]);

/** One AssumeRoleWithWebIdentity with a fresh OIDC token. A refusal is an InputError naming role-to-assume. */
export async function assumeRoleWithOidc(options: AssumeRoleOptions): Promise<SessionCredentials> {
  const { role, region, env } = options;
  const token = await (options.idToken ?? ((aud: string) => core.getIDToken(aud)))(OIDC_AUDIENCE);
  core.setSecret(token);
  const [{ STSClient, AssumeRoleWithWebIdentityCommand }, { NodeHttpHandler }, https, http] =
    await Promise.all([
      import('@aws-sdk/client-sts'),
      import('@smithy/node-http-handler'),
      import('node:https'),
      import('node:http'),
    ]);
  const agents = agentOptions(env);
  // No credentials: the call is unsigned (the token is the credential), and the step's own provider is
  // what this call feeds.
  const sts = new STSClient({
    region,
    maxAttempts: 5,
    customUserAgent: [['ecr-deploy', '1']],
    requestHandler: new NodeHttpHandler({
      httpsAgent: new https.Agent(agents),
      httpAgent: new http.Agent(agents),
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
    }),
  });
  try {
    const answer = await sts.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: role.roleArn,
        RoleSessionName: role.sessionName,
        WebIdentityToken: token,
        DurationSeconds: role.durationSeconds,
      }),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new Error(`AssumeRoleWithWebIdentity for ${role.roleArn} returned no credentials.`);
    }
    core.setSecret(c.AccessKeyId);
    core.setSecret(c.SecretAccessKey);
    core.setSecret(c.SessionToken);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  } catch (error) {
    const name = errorName(error);
    if (name && REFUSALS.has(name)) {
      throw new InputError(
        Input.RoleToAssume,
        describeRefusal(role.roleArn, { name, message: (error as Error).message }, tokenClaims(token)),
      );
    }
    throw error;
  } finally {
    sts.destroy();
  }
}
