// Credentials that outlive the rollout, end to end through dist/: role-to-assume with the job's OIDC token
// from the sandbox's issuer, sessions the sandbox's STS makes short and enforces on every call.
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { EcsSandboxControl } from '../sandbox/aws/ecs/control-client.ts';
import { IdentityControl } from '../sandbox/oidc/control-client.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';
import { describeService, ecsService } from './ecs.ts';

const control = () => new SandboxControl();
const identity = () => new IdentityControl();
const SUBJECT = 'repo:octo-org/hello-app:ref:refs/heads/main';
let image: string;
let v1: string;

/** The sandbox's variables without its long-term keys: the step has only what it assumes. */
function withoutKeys(): Record<string, string> {
  const env = sandbox();
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.AWS_SESSION_TOKEN;
  return env;
}

function deploy(options: { inputs: Record<string, string>; env?: Record<string, string>; oidc?: boolean }) {
  return runAction({
    inputs: { image, 'ecs-service': 'web', ...options.inputs },
    event: branchPush('main', sha(0x300)),
    workspace: workspace(),
    env: options.env ?? sandbox(),
    ...(options.oidc ? { oidc: true } : {}),
  });
}

let roleCounter = 0;
async function role(subjects: string[]): Promise<string> {
  roleCounter += 1;
  return identity().putRole({ roleName: `deploy-${process.pid}-${roleCounter}`, subjects });
}

beforeAll(async () => {
  const host = process.env.SANDBOX_REGISTRY_HOST!;
  const repository = repoName('cred-app');
  const built = await runAction({
    inputs: { repository, 'create-repository': 'true', tags: 'v1' },
    event: branchPush('main', sha(0x2ff)),
    workspace: workspace(),
    env: sandbox(),
  });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  image = `${host}/${repository}@${built.outputs['image-digest']!}`;
  v1 = `${host}/${repository}:v1`;
});

afterEach(async () => {
  await identity().forceSessionLength(null);
  await identity().setProviderClientIds(['sts.amazonaws.com']);
  await control().clearFaults();
  await new EcsSandboxControl().setTimeScale(0.02);
});

describe('credentials that outlive the rollout, end to end through dist/', { timeout: E2E_TEST_MS }, () => {
  it('completes a 3-minute rollout with 60-second role sessions, renewing them as it waits', async () => {
    const f = await ecsService(`oidc-long-${Date.now().toString(36)}`, v1);
    const roleArn = await role(['repo:octo-org/hello-app:ref:refs/heads/*']);
    const sessionName = `long-${Date.now().toString(36)}`;
    await identity().forceSessionLength(60);
    // About 58 simulated seconds of rollout (provisioning, pull, the 40 s success window of a task without a
    // health check, draining) × 3.2 ≈ 3 minutes.
    await new EcsSandboxControl().setTimeScale(3.2);
    await control().clearCalls();
    const run = await deploy({
      inputs: {
        'ecs-cluster': f.cluster,
        timeout: '8m',
        'role-to-assume': roleArn,
        'role-session-name': sessionName,
      },
      env: withoutKeys(),
      oidc: true,
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.outputs['rollout-status']).toBe('completed');
    const svc = await describeService(f.cluster, 'web');
    expect(svc.taskDefinition).toBe(run.outputs['task-definition-arn']);

    const sessions = (await identity().sessions()).filter((s) => s.roleSessionName === sessionName);
    // One session at the start, then one each ~45 s: at least three for a 3-minute step.
    expect(sessions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(sessions.map((s) => s.subject))).toEqual(new Set([SUBJECT]));
    // The step outlived its first sessions: the last one began after the first two had ended.
    const issued = sessions.map((s) => Date.parse(s.issuedAt)).sort((a, b) => a - b);
    expect(issued.at(-1)! - issued[0]!).toBeGreaterThan(2 * 60_000);
    expect(run.main.stdout).toMatch(/Renewed the AWS session of arn:aws:iam::123456789012:role\//);
    // Every call was made with a live session: none answered ExpiredToken.
    const calls = await control().calls();
    expect(
      calls.filter((c) => c.service === 'ecs' && c.operation === 'DescribeServices').length,
    ).toBeGreaterThan(30);
    expect(calls.filter((c) => /ExpiredToken/.test(c.errorType ?? ''))).toEqual([]);
    // The keys and tokens are masked the moment the step has them, and never printed otherwise.
    for (const s of sessions) {
      expect(run.main.stdout).toContain(`::add-mask::${s.accessKeyId}`);
      expect(
        run.main.stdout.split('\n').filter((l) => l.includes(s.accessKeyId) && !l.startsWith('::add-mask::')),
      ).toEqual([]);
    }
  });

  it('ambient credentials expiring mid-wait end as unverified, with the cause and the session length needed', async () => {
    const f = await ecsService(`oidc-ambient-${Date.now().toString(36)}`, v1);
    const roleArn = await role([SUBJECT]);
    // What a credentials step before this one did: a 25-second session, its expiry in the environment.
    await identity().forceSessionLength(25);
    const { requestToken, requestUrl } = await identity().requestToken({
      repository: 'octo-org/hello-app',
      ref: 'refs/heads/main',
    });
    const res = await fetch(`${requestUrl}&audience=sts.amazonaws.com`, {
      headers: { authorization: `Bearer ${requestToken}` },
    });
    const token = ((await res.json()) as { value: string }).value;
    const assumed = await new STSClient({ region: process.env.AWS_REGION }).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: roleArn,
        RoleSessionName: 'configure-step',
        WebIdentityToken: token,
      }),
    );
    const c = assumed.Credentials!;
    await new EcsSandboxControl().setTimeScale(2);
    await control().clearCalls();
    const run = await deploy({
      inputs: { 'ecs-cluster': f.cluster, timeout: '5m' },
      env: {
        ...withoutKeys(),
        AWS_ACCESS_KEY_ID: c.AccessKeyId!,
        AWS_SECRET_ACCESS_KEY: c.SecretAccessKey!,
        AWS_SESSION_TOKEN: c.SessionToken!,
        AWS_CREDENTIAL_EXPIRATION: c.Expiration!.toISOString(),
      },
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.stdout).toMatch(
      /::warning::The AWS credentials expire at .*, before the wait can end \(timeout 5 min 0 s/,
    );
    expect(run.outputs['rollout-status']).toBe('unverified');
    expect(run.outputs['rolled-back']).toBe('false');
    const errors = errorsOf(run.main.stdout).join('\n');
    expect(errors).toMatch(/The security token included in the request is expired/);
    expect(errors).toMatch(/the AWS credentials expired at .*: this step needed them for \d+ minutes/);
    expect(errors).toMatch(/role-duration-seconds: \d+/);
    const results = JSON.parse(run.outputs.results!) as { status: string; reason: string }[];
    expect(results[0]?.reason).toMatch(/needed them for \d+ minutes/);
    // The deploy went out once and nothing was rolled back with dead credentials.
    expect(await control().calls({ service: 'ecs', operation: 'UpdateService' })).toHaveLength(1);
    expect(
      (await control().calls({ service: 'ecs' })).filter((c) => c.errorType === 'ExpiredTokenException')
        .length,
    ).toBeGreaterThan(0);
  });

  it('a role that does not trust the job’s subject is a clear error before anything changes', async () => {
    const f = await ecsService(`oidc-sub-${Date.now().toString(36)}`, v1);
    const roleArn = await role(['repo:octo-org/hello-app:ref:refs/tags/*']);
    await control().clearCalls();
    const run = await deploy({
      inputs: { 'ecs-cluster': f.cluster, timeout: '1m', 'role-to-assume': roleArn },
      env: withoutKeys(),
      oidc: true,
    });
    expect(run.main.exitCode).toBe(1);
    const errors = errorsOf(run.main.stdout).join('\n');
    expect(errors).toMatch(
      /Input "role-to-assume": STS refused to let this job assume arn:aws:iam::123456789012:role\/deploy-/,
    );
    expect(errors).toMatch(/AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity/);
    expect(errors).toContain(`"token.actions.githubusercontent.com:sub" must match "${SUBJECT}"`);
    const calls = await control().calls();
    expect(calls.map((c) => `${c.service}.${c.operation}`)).toEqual(['sts.AssumeRoleWithWebIdentity']);
    expect((await describeService(f.cluster, 'web')).taskDefinition).toBe(f.taskDefinitionArn);
  });

  it('an audience the account’s OIDC provider does not list is a clear error before anything changes', async () => {
    const f = await ecsService(`oidc-aud-${Date.now().toString(36)}`, v1);
    const roleArn = await role([SUBJECT]);
    await identity().setProviderClientIds(['https://github.com/octo-org']);
    await control().clearCalls();
    const run = await deploy({
      inputs: { 'ecs-cluster': f.cluster, timeout: '1m', 'role-to-assume': roleArn },
      env: withoutKeys(),
      oidc: true,
    });
    expect(run.main.exitCode).toBe(1);
    const errors = errorsOf(run.main.stdout).join('\n');
    expect(errors).toMatch(
      /Input "role-to-assume": STS refused this job's OIDC token .*Incorrect token audience/,
    );
    expect(errors).toContain('"token.actions.githubusercontent.com:aud"');
    expect(errors).toContain('The token\'s audience is "sts.amazonaws.com"');
    const calls = await control().calls();
    expect(calls.map((c) => `${c.service}.${c.operation}`)).toEqual(['sts.AssumeRoleWithWebIdentity']);
    expect((await describeService(f.cluster, 'web')).taskDefinition).toBe(f.taskDefinitionArn);
  });
});
