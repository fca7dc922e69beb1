import { createPublicKey, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
  type Credentials as StsCredentials,
} from '@aws-sdk/client-sts';
import { IdentityControl } from '../oidc/control-client.ts';
import { stsClient, uniqueName } from './helpers.ts';

const identity = () => new IdentityControl();
const REPOSITORY = 'octo-org/hello-app';

async function fetchIdToken(
  audience: string | undefined,
  job: Parameters<IdentityControl['requestToken']>[0] = { repository: REPOSITORY, ref: 'refs/heads/main' },
): Promise<string> {
  const { requestToken, requestUrl } = await identity().requestToken(job);
  const url = audience ? `${requestUrl}&audience=${encodeURIComponent(audience)}` : requestUrl;
  const res = await fetch(url, { headers: { authorization: `Bearer ${requestToken}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: string }).value;
}

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function failure(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('the call succeeded');
}

/** A client with no credentials at all: AssumeRoleWithWebIdentity needs no signature. */
function anonymousSts(): STSClient {
  return stsClient({
    credentials: () => Promise.reject(new Error('AssumeRoleWithWebIdentity must not need credentials')),
  });
}

async function assume(roleArn: string, token: string, durationSeconds?: number) {
  return anonymousSts().send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn,
      RoleSessionName: 'sandbox-test',
      WebIdentityToken: token,
      ...(durationSeconds ? { DurationSeconds: durationSeconds } : {}),
    }),
  );
}

function withCredentials(c: StsCredentials) {
  return {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
  };
}

afterEach(async () => {
  await identity().forceSessionLength(null);
  await identity().setProviderClientIds(['sts.amazonaws.com']);
});

describe('GitHub OIDC token endpoint', () => {
  it('refuses a request without the job’s request token', async () => {
    const { requestUrl } = await identity().requestToken({ repository: REPOSITORY, ref: 'refs/heads/main' });
    expect((await fetch(`${requestUrl}&audience=sts.amazonaws.com`)).status).toBe(401);
    const wrong = await fetch(`${requestUrl}&audience=sts.amazonaws.com`, {
      headers: { authorization: 'Bearer not-the-token' },
    });
    expect(wrong.status).toBe(401);
  });

  it('issues an RS256 JWT with GitHub’s issuer, the audience asked for and the job’s subject, signed by a key of its JWKS', async () => {
    const token = await fetchIdToken('sts.amazonaws.com');
    const [headerPart, payloadPart, signature] = token.split('.') as [string, string, string];
    const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as Record<
      string,
      string
    >;
    const claims = claimsOf(token);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(claims).toMatchObject({
      iss: 'https://token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: `repo:${REPOSITORY}:ref:refs/heads/main`,
      repository: REPOSITORY,
    });
    expect(Number(claims.exp)).toBeGreaterThan(Date.now() / 1000);

    const oidc = identity().oidcUrl;
    const discovery = (await (await fetch(`${oidc}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    expect(discovery.issuer).toBe('https://token.actions.githubusercontent.com');
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string }[] };
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(
      verify(
        'RSA-SHA256',
        Buffer.from(`${headerPart}.${payloadPart}`),
        key,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('derives the subject as GitHub does: environment, pull request, ref', async () => {
    const env = await fetchIdToken('a', {
      repository: REPOSITORY,
      ref: 'refs/heads/main',
      environment: 'prod',
    });
    expect(claimsOf(env).sub).toBe(`repo:${REPOSITORY}:environment:prod`);
    const pr = await fetchIdToken('a', {
      repository: REPOSITORY,
      ref: 'refs/pull/4/merge',
      eventName: 'pull_request',
    });
    expect(claimsOf(pr).sub).toBe(`repo:${REPOSITORY}:pull_request`);
    const dflt = await fetchIdToken(undefined);
    expect(claimsOf(dflt).aud).toBe('https://github.com/octo-org');
  });
});

describe('STS AssumeRoleWithWebIdentity', () => {
  it('assumes a role whose trust conditions match, and the credentials work on every service', async () => {
    const roleName = uniqueName('deployer');
    const roleArn = await identity().putRole({ roleName, subjects: [`repo:${REPOSITORY}:ref:refs/heads/*`] });
    const answer = await assume(roleArn, await fetchIdToken('sts.amazonaws.com'), 1800);
    expect(answer.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(answer.Credentials?.SessionToken).toBeTruthy();
    const lifetime = (answer.Credentials!.Expiration!.getTime() - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(1700);
    expect(lifetime).toBeLessThanOrEqual(1800);
    expect(answer.SubjectFromWebIdentityToken).toBe(`repo:${REPOSITORY}:ref:refs/heads/main`);
    expect(answer.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::123456789012:assumed-role/${roleName}/sandbox-test`,
    );
    expect(answer.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:sandbox-test$/);
    expect(answer.Audience).toBe('sts.amazonaws.com');

    const credentials = withCredentials(answer.Credentials!);
    const me = await stsClient({ credentials }).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(answer.AssumedRoleUser?.Arn);
    const ecr = new ECRClient({ maxAttempts: 1, credentials });
    await expect(ecr.send(new DescribeRepositoriesCommand({}))).resolves.toHaveProperty('repositories');
    // Without its session token the key is no credential at all.
    const noToken = new ECRClient({
      maxAttempts: 1,
      credentials: { ...credentials, sessionToken: undefined },
    });
    expect((await failure(noToken.send(new DescribeRepositoriesCommand({})))).name).toBe(
      'UnrecognizedClientException',
    );
  });

  it('refuses a token whose subject the role does not trust (AccessDenied)', async () => {
    const roleArn = await identity().putRole({
      roleName: uniqueName('tags-only'),
      subjects: [`repo:${REPOSITORY}:ref:refs/tags/*`],
    });
    const err = await failure(assume(roleArn, await fetchIdToken('sts.amazonaws.com')));
    expect(err).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(err.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });

  it('refuses an audience the OIDC provider does not list (InvalidIdentityToken: Incorrect token audience; the SDK names it InvalidIdentityTokenException)', async () => {
    const roleArn = await identity().putRole({ roleName: uniqueName('aud'), subjects: ['repo:*'] });
    const err = await failure(assume(roleArn, await fetchIdToken('https://github.com/octo-org')));
    expect(err).toMatchObject({
      name: 'InvalidIdentityTokenException',
      status: 400,
      message: 'Incorrect token audience',
    });
    // The provider lists the audience, but the role's aud condition wants another one.
    await identity().setProviderClientIds(['sts.amazonaws.com', 'custom']);
    expect((await failure(assume(roleArn, await fetchIdToken('custom')))).name).toBe('AccessDenied');
  });

  it('refuses a tampered or expired token, and one with no provider in the account', async () => {
    const roleArn = await identity().putRole({ roleName: uniqueName('sig'), subjects: ['repo:*'] });
    const token = await fetchIdToken('sts.amazonaws.com');
    const [h, , s] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...claimsOf(token), sub: 'repo:evil/repo:ref:refs/heads/main' }),
    ).toString('base64url');
    expect((await failure(assume(roleArn, `${h}.${forged}.${s}`))).name).toBe(
      'InvalidIdentityTokenException',
    );
    expect((await failure(assume(roleArn, 'not-a-jwt'))).name).toBe('InvalidIdentityTokenException');

    const short = await fetchIdToken('sts.amazonaws.com', {
      repository: REPOSITORY,
      ref: 'refs/heads/main',
      lifetimeSeconds: 1,
    });
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await failure(assume(roleArn, short));
    expect(expired).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    expect(expired.message).toMatch(
      /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/,
    );

    await identity().setProviderClientIds(null);
    expect((await failure(assume(roleArn, token))).message).toBe(
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
    );
  });

  it('validates DurationSeconds against 900 s and the role’s MaxSessionDuration, and the session name', async () => {
    const roleArn = await identity().putRole({
      roleName: uniqueName('dur'),
      subjects: ['repo:*'],
      maxSessionDuration: 3600,
    });
    const token = await fetchIdToken('sts.amazonaws.com');
    const tooLong = await failure(assume(roleArn, token, 7200));
    expect(tooLong).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(tooLong.message).toBe(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
    expect((await failure(assume(roleArn, token, 60))).message).toMatch(/greater than or equal to 900/);
    const badName = anonymousSts().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'has space',
        WebIdentityToken: token,
      }),
    );
    expect((await failure(badName)).name).toBe('ValidationError');
  });
});

describe('temporary credentials', () => {
  it('a forced session length overrides DurationSeconds', async () => {
    const roleArn = await identity().putRole({ roleName: uniqueName('short'), subjects: ['repo:*'] });
    await identity().forceSessionLength(60);
    const answer = await assume(roleArn, await fetchIdToken('sts.amazonaws.com'), 3600);
    const lifetime = (answer.Credentials!.Expiration!.getTime() - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(50);
    expect(lifetime).toBeLessThanOrEqual(60);
  });

  it('once expired, every service answers in its protocol: ExpiredTokenException (JSON), ExpiredToken (STS)', async () => {
    const roleArn = await identity().putRole({ roleName: uniqueName('exp'), subjects: ['repo:*'] });
    const answer = await assume(roleArn, await fetchIdToken('sts.amazonaws.com'));
    const credentials = withCredentials(answer.Credentials!);
    const ecr = new ECRClient({ maxAttempts: 1, credentials });
    await ecr.send(new DescribeRepositoriesCommand({}));
    const sessions = await identity().sessions();
    expect(sessions.find((s) => s.accessKeyId === credentials.accessKeyId)).toMatchObject({ expired: false });
    expect(await identity().expireSessions({ accessKeyId: credentials.accessKeyId })).toBe(1);

    const json = await failure(ecr.send(new DescribeRepositoriesCommand({})));
    expect(json).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    expect(json.message).toBe('The security token included in the request is expired');
    const query = await failure(stsClient({ credentials }).send(new GetCallerIdentityCommand({})));
    expect(query).toMatchObject({ name: 'ExpiredToken', status: 400 });
    expect(
      (await identity().sessions()).find((s) => s.accessKeyId === credentials.accessKeyId)?.expired,
    ).toBe(true);
  });
});
