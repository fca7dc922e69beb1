// Untrusted or invalid input, end to end through dist/: each is refused with an error naming the input and
// the fix, and nothing changes in the sandbox (no repository, no task definition, service and Deployment as
// they were). The sandbox's call log and the SDK show what happened.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCerts } from '../sandbox/certs.ts';
import { SandboxControl } from '../sandbox/control-client.ts';
import { runAction, type GithubEvent } from '../sandbox/run-action.ts';
import { deployment, raw, testCluster, type TestCluster } from '../sandbox/__tests__/eks-helpers.ts';
import { describeService, ecs, ecsService, revisions, type EcsFixture } from './ecs.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, workspace } from './helpers.ts';
import { ecrClient } from './registry.ts';

const control = () => new SandboxControl();
let host: string;
let repository: string;
let digest: string;
let image: string;
let fixture: EcsFixture;

/** The last call the sandbox logged: what a run did is every call after it. */
async function mark(): Promise<number> {
  return (await control().calls()).at(-1)?.seq ?? 0;
}

async function callsSince(seq: number): Promise<string[]> {
  return (await control().calls({ since: seq })).map((c) => `${c.service}:${c.operation}`);
}

async function repositoryExists(name: string): Promise<boolean> {
  try {
    await ecrClient().send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'RepositoryNotFoundException') return false;
    throw error;
  }
}

function run(
  inputs: Record<string, string>,
  options: { event?: GithubEvent; ws?: string; env?: Record<string, string> } = {},
) {
  return runAction({
    inputs: { timeout: '2m', ...inputs },
    event: options.event ?? branchPush('main', sha(0x500)),
    workspace: options.ws ?? workspace(),
    env: { ...sandbox(), ...options.env },
  });
}

/** Everything the step printed, for "never shows X" checks. */
function printed(r: Awaited<ReturnType<typeof run>>): string {
  return [r.main.stdout, r.main.stderr, r.summary, JSON.stringify(r.outputs)].join('\n');
}

beforeAll(async () => {
  host = process.env.SANDBOX_REGISTRY_HOST!;
  repository = repoName('hardening');
  const built = await run({ repository, 'create-repository': 'true', tags: 'v1' });
  if (built.main.exitCode !== 0) throw new Error(built.main.stdout);
  digest = built.outputs['image-digest']!;
  image = `${host}/${repository}@${digest}`;
  fixture = await ecsService(`hard-${Date.now().toString(36)}`, `${host}/${repository}:v1`);
});

describe('untrusted input is refused before anything changes', { timeout: E2E_TEST_MS }, () => {
  it.each([
    ['the dockerfile input', { dockerfile: '/proc/self/environ' }, 'dockerfile', false],
    ['a committed Dockerfile symlink', {}, 'dockerfile', true],
    ['the context input', { context: '/etc' }, 'context', false],
  ])(
    'refuses %s leading out of the workspace, never showing what it points at',
    async (_, extra, input, symlink) => {
      const name = repoName('outside');
      const ws = workspace();
      if (symlink) {
        rmSync(join(ws, 'Dockerfile'));
        symlinkSync('/proc/self/environ', join(ws, 'Dockerfile'));
      }
      const before = await mark();
      const r = await run(
        { repository: name, 'create-repository': 'true', ...extra },
        { ws, env: { EXTRA_SECRET: 'do-not-print-me-0123' } },
      );
      expect(r.main.exitCode).toBe(1);
      const [error] = errorsOf(r.main.stdout);
      expect(error).toMatch(new RegExp(`Input "${input}": .* outside the workspace ${ws}`));
      expect(error).toMatch(/inside/);
      // Neither the job's environment (what /proc/self/environ holds) nor its secret key shows anywhere.
      const secretKey = process.env.AWS_SECRET_ACCESS_KEY!;
      for (const hidden of [secretKey, secretKey.toUpperCase(), 'do-not-print-me-0123', 'DO-NOT-PRINT-ME']) {
        expect(printed(r)).not.toContain(hidden);
      }
      expect(await callsSince(before)).toEqual([]);
      expect(await repositoryExists(name)).toBe(false);
    },
  );

  const forkPullRequest: GithubEvent = {
    name: 'pull_request_target',
    ref: 'refs/heads/main',
    sha: sha(0x501),
    payload: {
      number: 5,
      pull_request: {
        number: 5,
        head: { sha: sha(0x502), repo: { full_name: 'fork-owner/hello-app' } },
        base: { repo: { full_name: 'octo-org/hello-app' } },
      },
    },
  };

  it('refuses to build a fork’s pull request under pull_request_target; an existing image is deployed', async () => {
    const name = repoName('fork');
    const before = await mark();
    const refused = await run({ repository: name, 'create-repository': 'true' }, { event: forkPullRequest });
    expect(refused.main.exitCode).toBe(1);
    expect(errorsOf(refused.main.stdout)).toEqual([
      expect.stringMatching(
        /^::error::Input "allow-untrusted-build": .* from fork-owner\/hello-app into octo-org\/hello-app\. .*build secrets, registry login and AWS credentials.* set allow-untrusted-build: true/,
      ),
    ]);
    expect(await callsSince(before)).toEqual([]);
    expect(await repositoryExists(name)).toBe(false);

    const reused = await run({ image }, { event: forkPullRequest });
    expect(reused.main.exitCode, reused.main.stdout).toBe(0);
    expect(reused.outputs['image-digest']).toBe(digest);
  });

  it('masks a build secret of 2 characters before anything else is printed', async () => {
    const r = await run({ repository: repoName('mask'), 'build-secrets': 'token=q7', target: 'two words' });
    expect(r.main.exitCode).toBe(1);
    const lines = r.main.stdout.split('\n');
    const maskAt = lines.indexOf('::add-mask::q7');
    expect(maskAt).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((l) => l.startsWith('::error::'))).toBeGreaterThan(maskAt);
    expect(r.main.stdout).toMatch(
      /::warning::Build secret token: a value \(or line\) shorter than 4 characters/,
    );
  });

  it('the Kubernetes client verifies the cluster CA itself: NODE_TLS_REJECT_UNAUTHORIZED=0 sends no token to an impostor', async () => {
    const cluster = await testCluster();
    // An impostor API server: a certificate from a CA that is not the cluster's.
    const dir = mkdtempSync(join(tmpdir(), 'impostor-'));
    const certs = await generateCerts(dir);
    const seen: { handshakes: number; authorization: string[] } = { handshakes: 0, authorization: [] };
    const impostor = https.createServer(
      { key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert) },
      (req, res) => {
        seen.authorization.push(req.headers.authorization ?? '(none)');
        res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      },
    );
    impostor.on('secureConnection', () => (seen.handshakes += 1));
    impostor.on('tlsClientError', () => (seen.handshakes += 1));
    // EKS as the action sees it: the cluster's real CA, but the impostor's endpoint.
    const eks = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          cluster: {
            name: cluster.name,
            status: 'ACTIVE',
            endpoint: `https://127.0.0.1:${(impostor.address() as AddressInfo).port}`,
            certificateAuthority: { data: Buffer.from(cluster.caPem).toString('base64') },
          },
        }),
      );
    });
    await Promise.all(
      [impostor, eks].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))),
    );
    try {
      const r = await run(
        { image, 'eks-cluster': cluster.name, deployment: 'web' },
        {
          env: {
            NODE_TLS_REJECT_UNAUTHORIZED: '0',
            AWS_ENDPOINT_URL_EKS: `http://127.0.0.1:${(eks.address() as AddressInfo).port}`,
          },
        },
      );
      expect(r.main.exitCode).toBe(1);
      expect(seen.handshakes).toBeGreaterThan(0);
      expect(seen.authorization).toEqual([]);
      expect(errorsOf(r.main.stdout).join('\n')).toMatch(/certificate|self.signed|issuer/i);
    } finally {
      impostor.close();
      eks.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('everything is validated before anything changes', { timeout: E2E_TEST_MS }, () => {
  it.each([
    [
      'a container image that is no reference',
      { containers: 'app=bad image!!' },
      /^::error::Input "containers": the image of container "app" contains white space\. Write name=image/,
    ],
    [
      'a desired count beyond ECS’s integer',
      { 'desired-count': '99999999999999999999' },
      /^::error::Input "desired-count": "99999999999999999999" is not a whole number this action can hold\. Give the number of tasks/,
    ],
    [
      'a desired count beyond 2^31-1',
      { 'desired-count': '3000000000' },
      /^::error::Input "desired-count": "3000000000" is more than 2147483647/,
    ],
  ])('ECS: refuses %s; no task definition registered, the service unchanged', async (_, extra, message) => {
    const service = await describeService(fixture.cluster, fixture.service);
    const registered = await revisions(fixture.family);
    const before = await mark();
    const r = await run({ image, 'ecs-cluster': fixture.cluster, 'ecs-service': fixture.service, ...extra });
    expect(r.main.exitCode).toBe(1);
    expect(errorsOf(r.main.stdout)).toEqual([expect.stringMatching(message)]);
    expect(await callsSince(before)).toEqual([]);
    expect(await revisions(fixture.family)).toEqual(registered);
    const after = await describeService(fixture.cluster, fixture.service);
    expect(after.taskDefinition).toBe(service.taskDefinition);
    expect(after.desiredCount).toBe(service.desiredCount);
    expect(after.deployments?.map((d) => d.id)).toEqual(service.deployments?.map((d) => d.id));
  });

  it('ECS: a 50 MB task definition file is refused unread, a 70 KB one before RegisterTaskDefinition', async () => {
    const registered = await revisions(fixture.family);
    const service = await describeService(fixture.cluster, fixture.service);
    const ws = workspace();
    writeFileSync(join(ws, 'huge.json'), ' '.repeat(50 * 1024 * 1024));
    const target = { image, 'ecs-cluster': fixture.cluster, 'ecs-service': fixture.service };
    let before = await mark();
    const huge = await run({ ...target, 'task-definition': 'huge.json' }, { ws });
    expect(huge.main.exitCode).toBe(1);
    expect(errorsOf(huge.main.stdout)).toEqual([
      expect.stringMatching(
        /^::error::Input "task-definition": huge\.json is 52,428,800 bytes; ECS registers a task definition of at most 65,536 bytes/,
      ),
    ]);
    expect(await callsSince(before)).toEqual([]);

    // Valid, but too large once rendered: only read calls happen.
    const big = JSON.parse(readFileSync(join(ws, 'task-definition.json'), 'utf8')) as {
      family: string;
      containerDefinitions: { image: string; environment?: { name: string; value: string }[] }[];
    };
    big.family = fixture.family;
    big.containerDefinitions[0]!.image = `${host}/${repository}:v1`;
    big.containerDefinitions[0]!.environment = [{ name: 'BLOB', value: 'x'.repeat(70_000) }];
    writeFileSync(join(ws, 'big.json'), JSON.stringify(big));
    before = await mark();
    const tooBig = await run({ ...target, 'task-definition': 'big.json' }, { ws });
    expect(tooBig.main.exitCode).toBe(1);
    expect(errorsOf(tooBig.main.stdout).join('\n')).toMatch(
      /Input "task-definition": the task definition .* would be 7\d,\d{3} bytes, and ECS registers at most 65,536 \(64 KiB\)/,
    );
    const calls = await callsSince(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => !/:(Describe|List|Get)/.test(c))).toEqual([]);
    expect(await revisions(fixture.family)).toEqual(registered);
    expect((await describeService(fixture.cluster, fixture.service)).taskDefinition).toBe(
      service.taskDefinition,
    );
  });

  it('the sandbox refuses a task definition over 64 KiB with ECS’s ClientException', async () => {
    const registered = await revisions(fixture.family);
    const error = await ecs()
      .send(
        new RegisterTaskDefinitionCommand({
          family: fixture.family,
          containerDefinitions: [
            {
              name: 'app',
              image: `${host}/${repository}:v1`,
              memory: 128,
              environment: [{ name: 'BLOB', value: 'x'.repeat(66_000) }],
            },
          ],
        }),
      )
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(error?.name).toBe('ClientException');
    expect(error?.message).toMatch(/^Actual length: '66\d{3}'\. Max allowed length is '65536' bytes\.$/);
    expect(await revisions(fixture.family)).toEqual(registered);
  });

  it('EKS: refuses a container image that is no reference; the Deployment is not patched', async () => {
    const cluster: TestCluster = await testCluster();
    const create = await raw(cluster, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      token: cluster.token,
      body: deployment('web', `${host}/${repository}:v1`),
    });
    expect(create.status).toBeLessThan(300);
    const get = async () =>
      (
        await raw(cluster, 'GET', '/apis/apps/v1/namespaces/default/deployments/web', {
          token: cluster.token,
        })
      ).json() as unknown as {
        metadata: { generation: number };
        spec: { template: { spec: { containers: { image: string }[] } } };
      };
    const before = await get();
    const r = await run({
      image,
      'eks-cluster': cluster.name,
      deployment: 'web',
      containers: 'app=bad image!!',
    });
    expect(r.main.exitCode).toBe(1);
    expect(errorsOf(r.main.stdout)).toEqual([
      expect.stringMatching(
        /^::error::Input "containers": the image of container "app" contains white space/,
      ),
    ]);
    const after = await get();
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec.template.spec.containers[0]!.image).toBe(`${host}/${repository}:v1`);
  });

  it('reports every bad input together, each naming its input, before the repository is created', async () => {
    const name = repoName('together');
    const before = await mark();
    const r = await run({
      repository: name,
      'create-repository': 'true',
      target: 'two words',
      labels: 'team name=payments',
      dockerfile: '/proc/self/environ',
      'ecs-cluster': fixture.cluster,
      'ecs-service': fixture.service,
      containers: 'app=bad image!!',
      'desired-count': '99999999999999999999',
    });
    expect(r.main.exitCode).toBe(1);
    const named = errorsOf(r.main.stdout).map((l) => /^::error::Input "([a-z-]+)"/.exec(l)?.[1]);
    expect(named.sort()).toEqual(['containers', 'desired-count', 'dockerfile', 'labels', 'target']);
    expect(r.main.stdout).toMatch(
      /Input "target": "two words" is not a build stage name\. Give the name after AS/,
    );
    expect(r.main.stdout).toMatch(/Input "labels": the name "team name" contains white space/);
    expect(await callsSince(before)).toEqual([]);
    expect(await repositoryExists(name)).toBe(false);
  });
});

afterAll(async () => {
  await control().clearFaults();
});
