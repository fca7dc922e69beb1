import { describe, expect, it } from 'vitest';
import { describeRefusal, tokenClaims } from '../../src/aws/assume-role.ts';
import {
  ambientExpiration,
  expiredCredentialsAdvice,
  expiredCredentialsReason,
  refreshingProvider,
  renewAt,
  shortCredentialsWarning,
  type SessionCredentials,
} from '../../src/aws/credentials.ts';
import { defaultSessionName, parseAssumeRole } from '../../src/aws/role-inputs.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A clock the test moves, and an STS that hands out `sessionMs` sessions numbered from 1. */
function world(sessionMs: number) {
  const clock = { t: T0, now: () => clock.t };
  const log = { infos: [] as string[], warnings: [] as string[] };
  let issued = 0;
  let fail: Error | undefined;
  let pending: (() => void) | undefined;
  let hold = false;
  const obtain = async (): Promise<SessionCredentials> => {
    if (hold) await new Promise<void>((r) => (pending = r));
    if (fail) throw fail;
    issued += 1;
    return {
      accessKeyId: `ASIA${issued}`,
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(clock.t + sessionMs),
    };
  };
  const session = refreshingProvider({
    obtain,
    clock,
    log: { info: (m) => log.infos.push(m), warning: (m) => log.warnings.push(m) },
    describe: 'arn:aws:iam::123456789012:role/deploy',
  });
  return {
    clock,
    log,
    session,
    issued: () => issued,
    failWith: (e: Error | undefined) => (fail = e),
    holdNext: () => (hold = true),
    release: () => {
      hold = false;
      pending?.();
    },
  };
}

describe('renewAt', () => {
  it.each([
    ['a 60 s session: 15 s before its end', 60_000, 45_000],
    ['a 20 min session: 5 min before', 1_200_000, 900_000],
    ['a 1 h session: 5 min before', 3_600_000, 3_300_000],
    ['a 12 h session: 5 min before', 43_200_000, 42_900_000],
  ])('%s', (_, lifetime, expected) => {
    expect(renewAt(T0, T0 + lifetime) - T0).toBe(expected);
  });
});

describe('refreshingProvider', () => {
  it('keeps one session until it is due, and never hands out an expired one over a 3-minute wait of 60 s sessions', async () => {
    const w = world(60_000);
    for (let t = 0; t <= 180_000; t += 2_000) {
      w.clock.t = T0 + t;
      const c = await w.session.provider();
      expect(c.expiration!.getTime()).toBeGreaterThan(w.clock.t);
    }
    // Asked every 2 s: renewed at the first ask from 45 s before each end (46 s, 92 s, 138 s).
    expect(w.issued()).toBe(4);
    expect(w.session.sessions()).toBe(4);
    expect(w.log.infos.filter((m) => m.startsWith('Renewed the AWS session'))).toHaveLength(3);
  });

  it('renews once when every client asks at the same time', async () => {
    const w = world(60_000);
    await w.session.provider();
    w.clock.t = T0 + 50_000;
    w.holdNext();
    const asks = [w.session.provider(), w.session.provider(), w.session.provider()];
    w.release();
    const got = await Promise.all(asks);
    expect(new Set(got.map((c) => c.accessKeyId))).toEqual(new Set(['ASIA2']));
    expect(w.issued()).toBe(2);
  });

  it('serves the current session while a renewal fails, tries again a few seconds later, and fails once it ended', async () => {
    const w = world(60_000);
    await w.session.provider();
    w.failWith(new Error('STS is unavailable'));
    w.clock.t = T0 + 46_000;
    expect((await w.session.provider()).accessKeyId).toBe('ASIA1');
    expect(w.log.warnings[0]).toMatch(
      /Could not renew .* \(STS is unavailable\); the current one holds for 14\.0 s/,
    );
    w.clock.t = T0 + 47_000;
    expect((await w.session.provider()).accessKeyId).toBe('ASIA1');
    expect(w.log.warnings).toHaveLength(1);
    w.clock.t = T0 + 60_000;
    await expect(w.session.provider()).rejects.toThrow('STS is unavailable');
    w.failWith(undefined);
    expect((await w.session.provider()).accessKeyId).toBe('ASIA2');
  });

  it('reports the current session’s end', async () => {
    const w = world(900_000);
    expect(w.session.expiration()).toBeUndefined();
    await w.session.provider();
    expect(w.session.expiration()?.getTime()).toBe(T0 + 900_000);
  });
});

describe('ambient credentials', () => {
  it('reads AWS_CREDENTIAL_EXPIRATION as configure-aws-credentials writes it', () => {
    expect(ambientExpiration({ AWS_CREDENTIAL_EXPIRATION: '2026-01-01T01:00:00.000Z' })?.getTime()).toBe(
      T0 + 3_600_000,
    );
    expect(ambientExpiration({ AWS_CREDENTIAL_EXPIRATION: 'soon' })).toBeUndefined();
    expect(ambientExpiration({})).toBeUndefined();
  });

  it('warns when they end before the wait can, with the session length needed', () => {
    const base = { now: T0, stepStartedAt: T0, deadline: T0 + 30 * 60_000, timeoutMs: 30 * 60_000 };
    expect(shortCredentialsWarning({ ...base, expiration: new Date(T0 + 3_600_000) })).toBeUndefined();
    expect(shortCredentialsWarning({ ...base, expiration: undefined })).toBeUndefined();
    const text = shortCredentialsWarning({ ...base, expiration: new Date(T0 + 10 * 60_000) });
    expect(text).toMatch(/expire at 2026-01-01T00:10:00\.000Z \(in 10 min 0 s\), before the wait can end/);
    expect(text).toMatch(/at least 30 minutes \(role-duration-seconds: 1800/);
    expect(text).toMatch(/role-to-assume/);
  });

  it('says what an unverified wait whose credentials expired needed', () => {
    expect(
      expiredCredentialsReason(
        'cannot be read (DescribeServices …: ExpiredTokenException: The security token included in the request is expired)',
      ),
    ).toBe(true);
    expect(expiredCredentialsReason('cannot be read (ThrottlingException)')).toBe(false);
    const advice = expiredCredentialsAdvice({
      expiration: new Date(T0 + 120_000),
      stepStartedAt: T0,
      waitStartedAt: T0 + 60_000,
      timeoutMs: 20 * 60_000,
      assumedRole: undefined,
    });
    expect(advice).toMatch(
      /expired at 2026-01-01T00:02:00\.000Z, before the wait could end: this step needed them for 21 minutes/,
    );
    expect(advice).toMatch(/role-duration-seconds: 1260/);
    expect(
      expiredCredentialsAdvice({
        expiration: undefined,
        stepStartedAt: T0,
        waitStartedAt: T0,
        timeoutMs: 60_000,
        assumedRole: 'arn:aws:iam::1:role/r',
      }),
    ).toMatch(/session of arn:aws:iam::1:role\/r ended and could not be renewed/);
    // A short wait still needs STS's shortest session, 15 minutes.
    const short = expiredCredentialsAdvice({
      expiration: undefined,
      stepStartedAt: T0,
      waitStartedAt: T0 + 30_000,
      timeoutMs: 5 * 60_000,
      assumedRole: undefined,
    });
    expect(short).toMatch(/needed them for 6 minutes .* at least 15 minutes \(role-duration-seconds: 900/);
  });
});

describe('role-to-assume inputs', () => {
  const oidc = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/token?api-version=2.0',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x',
    GITHUB_REPOSITORY: 'octo-org/hello.app',
    GITHUB_RUN_ID: '99',
    GITHUB_RUN_ATTEMPT: '2',
  };
  const role = 'arn:aws:iam::123456789012:role/deploy';
  const read = (
    roleToAssume: string,
    roleSessionName = '',
    roleDuration = '1h',
    env: NodeJS.ProcessEnv = oidc,
  ) => parseAssumeRole({ roleToAssume, roleSessionName, roleDuration }, env);

  it('reads the role, a session name from the repository and run, and the duration in seconds', () => {
    expect(read(role)).toEqual({
      roleArn: role,
      sessionName: 'ecr-deploy-hello.app-99-2',
      durationSeconds: 3600,
    });
    expect(read(role, 'my-session', '15m')).toEqual({
      roleArn: role,
      sessionName: 'my-session',
      durationSeconds: 900,
    });
    expect(read('')).toBeUndefined();
  });

  it.each([
    ['not an ARN', () => read('deploy'), /Input "role-to-assume": "deploy" is not an IAM role ARN/],
    [
      'a session name with a space',
      () => read(role, 'my session'),
      /Input "role-session-name": "my session" is not a valid session name.*\(no spaces\)/,
    ],
    [
      'a session name without a role',
      () => read('', 'x1'),
      /Input "role-session-name": only applies with role-to-assume/,
    ],
    [
      'a duration that is not one',
      () => read(role, '', 'an hour'),
      /Input "role-duration": "an hour" is not a duration/,
    ],
    [
      'a duration STS refuses',
      () => read(role, '', '5m'),
      /Input "role-duration": "5m" is outside what STS allows \(15m to 12h/,
    ],
    [
      'no OIDC token in the job',
      () => read(role, '', '1h', {}),
      /Input "role-to-assume": needs the job's GitHub OIDC token.*permissions: id-token: write/,
    ],
  ])('refuses %s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('makes a default session name STS accepts from any repository name and run id', () => {
    const name = defaultSessionName({
      GITHUB_REPOSITORY: `o/${'ü x'.repeat(40)}`,
      GITHUB_RUN_ID: '12345678901',
    });
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
    expect(name.startsWith('ecr-deploy-')).toBe(true);
  });
});

describe('STS refusals', () => {
  const claims = { sub: 'repo:octo-org/hello-app:ref:refs/heads/main', aud: 'sts.amazonaws.com' };
  it('names the subject condition when the trust policy does not match', () => {
    const text = describeRefusal(
      'arn:aws:iam::1:role/r',
      { name: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' },
      claims,
    );
    expect(text).toMatch(/assume arn:aws:iam::1:role\/r \(AccessDenied: Not authorized/);
    expect(text).toMatch(
      /"token\.actions\.githubusercontent\.com:sub" must match "repo:octo-org\/hello-app:ref:refs\/heads\/main"/,
    );
  });
  it('names the audience when STS says it is incorrect', () => {
    const text = describeRefusal(
      'arn:aws:iam::1:role/r',
      { name: 'InvalidIdentityTokenException', message: 'Incorrect token audience' },
      claims,
    );
    expect(text).toMatch(
      /audience is "sts\.amazonaws\.com": add it to the client IDs .* "token\.actions\.githubusercontent\.com:aud"/,
    );
  });
  it('reads a token’s subject and audience for those messages, and nothing from garbage', () => {
    const token = `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    expect(tokenClaims(token)).toEqual(claims);
    expect(tokenClaims('garbage')).toEqual({});
  });
});
