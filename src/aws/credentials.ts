// Credentials that outlive the rollout: one provider shared by every AWS client of the step, renewing its
// session before it ends (pure policy + a provider over an injected `obtain` and clock), and the words for
// credentials that do not last as long as the wait.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { formatDuration } from '../deploy/duration.ts';

export interface SessionCredentials extends AwsCredentialIdentity {
  readonly expiration?: Date;
}

export interface ProviderClock {
  now(): number;
}

export interface RefreshLog {
  info(message: string): void;
  warning(message: string): void;
}

/** The SDK itself asks again when less than this is left; a long session is renewed then too. */
const MAX_MARGIN_MS = 5 * 60_000;
/** After a failed renewal, the next try waits this long (or less, as the end of the session nears). */
const RETRY_MS = 5_000;

/**
 * Pure: when a session obtained at `obtainedAt` and ending at `expiresAt` should be renewed: 5 minutes before
 * its end, or a quarter of its length before it for sessions shorter than 20 minutes (a 60 s session: 15 s).
 */
export function renewAt(obtainedAt: number, expiresAt: number): number {
  const lifetime = Math.max(0, expiresAt - obtainedAt);
  return expiresAt - Math.min(MAX_MARGIN_MS, lifetime / 4);
}

export interface RefreshingProviderOptions {
  /** Gets a new session (for role-to-assume: a fresh OIDC token, then AssumeRoleWithWebIdentity). */
  readonly obtain: () => Promise<SessionCredentials>;
  readonly clock: ProviderClock;
  readonly log: RefreshLog;
  /** How the session is named in messages, e.g. the role ARN. */
  readonly describe: string;
}

export interface RefreshingProvider {
  /** The function every SDK client gets as `credentials`. */
  readonly provider: AwsCredentialIdentityProvider;
  /** When the current session ends (undefined before the first one). */
  expiration(): Date | undefined;
  /** How many sessions were obtained so far. */
  sessions(): number;
}

/**
 * A provider that returns the current session until it is due for renewal, then obtains the next one (one
 * renewal at a time, whichever client asks). A renewal that fails while the session still holds is retried
 * a few seconds later, the current session serving meanwhile; once it has ended, the failure is the caller's.
 */
export function refreshingProvider(options: RefreshingProviderOptions): RefreshingProvider {
  const { clock, log } = options;
  let current: { credentials: SessionCredentials; obtainedAt: number } | undefined;
  let inFlight: Promise<SessionCredentials> | undefined;
  let nextTry = 0;
  let count = 0;

  const renew = (): Promise<SessionCredentials> => {
    inFlight ??= (async () => {
      try {
        const obtainedAt = clock.now();
        const credentials = await options.obtain();
        const first = current === undefined;
        current = { credentials, obtainedAt };
        count += 1;
        if (!first) {
          log.info(
            `Renewed the AWS session of ${options.describe}${credentials.expiration ? `; it lasts until ${credentials.expiration.toISOString()}` : ''}.`,
          );
        }
        return credentials;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const provider: AwsCredentialIdentityProvider = async () => {
    const now = clock.now();
    if (!current) return renew();
    const expiresAt = current.credentials.expiration?.getTime();
    if (expiresAt === undefined || now < renewAt(current.obtainedAt, expiresAt)) return current.credentials;
    if (now >= expiresAt) return renew();
    if (now < nextTry && !inFlight) return current.credentials;
    const holding = current.credentials;
    try {
      return await renew();
    } catch (error) {
      const left = expiresAt - clock.now();
      if (left <= 0) throw error;
      nextTry = clock.now() + Math.min(RETRY_MS, left / 2);
      log.warning(
        `Could not renew the AWS session of ${options.describe} (${error instanceof Error ? error.message : String(error)}); the current one holds for ${formatDuration(left)}, trying again.`,
      );
      return holding;
    }
  };
  return {
    provider,
    expiration: () => current?.credentials.expiration,
    sessions: () => count,
  };
}

/** Pure: the expiry the environment states for ambient credentials (aws-actions/configure-aws-credentials sets it). */
export function ambientExpiration(env: NodeJS.ProcessEnv): Date | undefined {
  const text = env.AWS_CREDENTIAL_EXPIRATION ?? env.AWS_SESSION_EXPIRATION;
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const minutesUp = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
/** STS's shortest session is 15 minutes. */
const sessionMinutes = (minutes: number) => Math.max(15, minutes);

/**
 * Pure: the warning for ambient credentials that end before the wait can: undefined when they outlast it or
 * their end is unknown. `deadline` is the earliest the wait may end (now + timeout).
 */
export function shortCredentialsWarning(options: {
  readonly expiration: Date | undefined;
  readonly now: number;
  readonly stepStartedAt: number;
  readonly deadline: number;
  readonly timeoutMs: number;
}): string | undefined {
  const { expiration, now, deadline } = options;
  if (!expiration || expiration.getTime() >= deadline) return undefined;
  const left = expiration.getTime() - now;
  const session = sessionMinutes(minutesUp(deadline - options.stepStartedAt));
  return (
    `The AWS credentials expire at ${expiration.toISOString()} (${left > 0 ? `in ${formatDuration(left)}` : 'already'}), before the wait can end (timeout ${formatDuration(options.timeoutMs)}, until ${new Date(deadline).toISOString()} at the latest). ` +
    `A rollout still running then ends as unverified. Set role-to-assume (this step renews its own sessions), or get a session of at least ${session} minutes (role-duration-seconds: ${session * 60} with aws-actions/configure-aws-credentials).`
  );
}

const EXPIRED = /ExpiredToken(Exception)?\b|security token included in the request is expired/;

/** Pure: whether an unverified result's reason says the credentials expired. */
export function expiredCredentialsReason(reason: string | undefined): boolean {
  return reason !== undefined && EXPIRED.test(reason);
}

/**
 * Pure: what an unverified wait whose credentials expired needed: from the step's start to the end of the
 * wait's budget. `waitStartedAt` = when the deploy began (its result's duration before `now`).
 */
export function expiredCredentialsAdvice(options: {
  readonly expiration: Date | undefined;
  readonly stepStartedAt: number;
  readonly waitStartedAt: number;
  readonly timeoutMs: number;
  readonly assumedRole: string | undefined;
}): string {
  const needed = minutesUp(options.waitStartedAt + options.timeoutMs - options.stepStartedAt);
  const session = sessionMinutes(needed);
  const when = options.expiration ? ` at ${options.expiration.toISOString()}` : '';
  if (options.assumedRole) {
    return `the session of ${options.assumedRole} ended${when} and could not be renewed; check that the role still trusts this job's token`;
  }
  return (
    `the AWS credentials expired${when}, before the wait could end: this step needed them for ${needed} minutes (its start to the end of the ${formatDuration(options.timeoutMs)} wait). ` +
    `Set role-to-assume (this step renews its own sessions), or get a session of at least ${session} minutes (role-duration-seconds: ${session * 60} with aws-actions/configure-aws-credentials)`
  );
}
