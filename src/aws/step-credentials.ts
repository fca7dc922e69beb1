// The step's AWS credentials, set up once before anything else talks to AWS: with role-to-assume, a role
// session from the job's OIDC token, renewed for as long as the step runs and shared by every client; without
// it, the job's own credentials, with a warning when they end before the wait can.
import * as core from '@actions/core';
import { systemClock, type Clock } from '../deploy/clock.ts';
import type { DeployResult } from '../deploy/types.ts';
import type { Inputs } from '../inputs.ts';
import { assumeRoleWithOidc } from './assume-role.ts';
import { useStepCredentials } from './clients.ts';
import {
  ambientExpiration,
  expiredCredentialsAdvice,
  expiredCredentialsReason,
  refreshingProvider,
  shortCredentialsWarning,
  type RefreshingProvider,
} from './credentials.ts';

export interface StepCredentials {
  /** The results, with the cause and the session length needed added to those unverified by expiry. */
  explain(results: readonly DeployResult[]): DeployResult[];
}

export interface StepCredentialOptions {
  readonly inputs: Pick<Inputs, 'region' | 'target' | 'deploy' | 'assumeRole'>;
  readonly env: NodeJS.ProcessEnv;
  readonly clock?: Pick<Clock, 'now'>;
  readonly idToken?: (audience: string) => Promise<string>;
}

/**
 * With role-to-assume, the first session is obtained here, so that a role that does not trust this job
 * fails the step before anything changes.
 */
export async function setUpStepCredentials(options: StepCredentialOptions): Promise<StepCredentials> {
  const { inputs, env } = options;
  const clock = options.clock ?? systemClock;
  const stepStartedAt = clock.now();
  const role = inputs.assumeRole;
  let session: RefreshingProvider | undefined;
  if (role) {
    session = refreshingProvider({
      obtain: () =>
        assumeRoleWithOidc({
          role,
          region: inputs.region,
          env,
          ...(options.idToken ? { idToken: options.idToken } : {}),
        }),
      clock,
      log: { info: (m) => core.info(m), warning: (m) => core.warning(m) },
      describe: role.roleArn,
    });
    await session.provider();
    useStepCredentials(session.provider);
    const until = session.expiration();
    core.info(
      `Assumed ${role.roleArn} as ${role.sessionName} with the job's OIDC token${until ? `; the session lasts until ${until.toISOString()} and is renewed before it ends` : ''}.`,
    );
  } else if (inputs.target && inputs.deploy.wait && !inputs.deploy.dryRun) {
    const warning = shortCredentialsWarning({
      expiration: ambientExpiration(env),
      now: clock.now(),
      stepStartedAt,
      deadline: clock.now() + inputs.deploy.timeoutMs,
      timeoutMs: inputs.deploy.timeoutMs,
    });
    if (warning) core.warning(warning);
  }
  return {
    explain: (results) =>
      results.map((r) => {
        if (r.status !== 'unverified' || !expiredCredentialsReason(r.reason)) return r;
        const advice = expiredCredentialsAdvice({
          expiration: session ? session.expiration() : ambientExpiration(env),
          stepStartedAt,
          waitStartedAt: clock.now() - r.durationSeconds * 1000,
          timeoutMs: inputs.deploy.timeoutMs,
          assumedRole: role?.roleArn,
        });
        return { ...r, reason: `${r.reason ?? ''}; ${advice}` };
      }),
  };
}
