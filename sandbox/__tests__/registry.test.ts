import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { ecrClient, sandboxState, sh, uniqueName, withDockerConfig } from './helpers.ts';

const ecr = ecrClient();
let docker: ReturnType<typeof withDockerConfig>;
let context: string;
let password = '';

function dockerfile(marker: string): void {
  writeFileSync(
    join(context, 'Dockerfile'),
    `FROM busybox\nRUN echo ${marker} > /marker && cat /marker\nCMD ["cat", "/marker"]\n`,
  );
}

/** GET/HEAD a manifest from the registry host over HTTPS with the sandbox CA, with a token from the realm. */
async function registryManifestDigest(repository: string, tag: string): Promise<string | undefined> {
  const state = sandboxState();
  const ca = readFileSync(state.caPath);
  const basic = Buffer.from(`AWS:${password}`).toString('base64');
  const get = (
    path: string,
    auth: string,
    method = 'GET',
  ): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
    new Promise((resolve, reject) => {
      const [host, port] = state.registryHost.split(':');
      const req = request(
        {
          host,
          port: Number(port),
          path,
          method,
          ca,
          headers: {
            authorization: auth,
            accept:
              'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const token = JSON.parse(
    (await get(`/token?service=x&scope=repository:${repository}:pull`, `Basic ${basic}`)).body,
  ) as { token: string };
  const res = await get(`/v2/${repository}/manifests/${tag}`, `Bearer ${token.token}`, 'HEAD');
  return res.status === 200 ? String(res.headers['docker-content-digest']) : undefined;
}

beforeAll(async () => {
  docker = withDockerConfig();
  context = mkdtempSync(join(tmpdir(), 'sandbox-build-'));
  const auth = await ecr.send(new GetAuthorizationTokenCommand({}));
  password = Buffer.from(auth.authorizationData![0]!.authorizationToken!, 'base64').toString().slice(4);
  const host = new URL(auth.authorizationData![0]!.proxyEndpoint!).host;
  const login = await sh(
    'docker',
    ['login', '--username', 'AWS', '--password-stdin', host],
    docker.env,
    password,
  );
  expect(login.code, login.stderr).toBe(0);
  const blogin = await sh(
    'buildah',
    ['login', '--username', 'AWS', '--password-stdin', host],
    docker.env,
    password,
  );
  expect(blogin.code, blogin.stderr).toBe(0);
});

afterAll(() => {
  docker.cleanup();
  rmSync(context, { recursive: true, force: true });
});

describe('docker against the sandbox registry (HTTPS, token auth, no insecure flag)', () => {
  it('builds with RUN on the offline busybox base, pushes, and reports the registry digest that ECR describes', async () => {
    const state = sandboxState();
    const repo = uniqueName('docker-app');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repo }));
    const image = `${state.registryHost}/${repo}:v1`;
    dockerfile(repo);
    const build = await sh('docker', ['build', '-t', image, context], docker.env);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toContain(repo);
    const push = await sh('docker', ['push', image], docker.env);
    expect(push.code, push.stderr).toBe(0);
    const pushed = /digest: (sha256:[0-9a-f]{64})/.exec(push.stdout)?.[1];
    expect(pushed).toBeDefined();
    expect(await registryManifestDigest(repo, 'v1')).toBe(pushed);
    const described = await ecr.send(
      new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(described.imageDetails![0]!.imageDigest).toBe(pushed);
    expect(Date.now() - described.imageDetails![0]!.imagePushedAt!.getTime()).toBeLessThan(60_000);
    const runOut = await sh('docker', ['run', '--rm', '--network', 'none', image], docker.env);
    expect(runOut.stdout.trim()).toBe(repo);
  });

  it('refuses a push to a repository that was never created with NAME_UNKNOWN', async () => {
    const state = sandboxState();
    const image = `${state.registryHost}/${uniqueName('never-created')}:v1`;
    const tag = await sh('docker', ['tag', 'busybox:latest', image], docker.env);
    expect(tag.code).toBe(0);
    const push = await sh('docker', ['push', image], docker.env);
    expect(push.code).not.toBe(0);
    expect(push.stderr + push.stdout).toMatch(/does not exist in the registry with id '123456789012'/);
  });

  it('refuses a second push of an immutable tag with other content, as ECR does', async () => {
    const state = sandboxState();
    const repo = uniqueName('immutable');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repo, imageTagMutability: 'IMMUTABLE' }));
    const image = `${state.registryHost}/${repo}:release`;
    dockerfile('first');
    expect((await sh('docker', ['build', '-q', '-t', image, context], docker.env)).code).toBe(0);
    expect((await sh('docker', ['push', image], docker.env)).code).toBe(0);
    const firstDigest = await registryManifestDigest(repo, 'release');
    dockerfile('second');
    expect((await sh('docker', ['build', '-q', '-t', image, context], docker.env)).code).toBe(0);
    const second = await sh('docker', ['push', image], docker.env);
    expect(second.code).not.toBe(0);
    expect(second.stderr + second.stdout).toContain(
      `The image tag 'release' already exists in the '${repo}' repository and cannot be overwritten because the repository is immutable.`,
    );
    expect(await registryManifestDigest(repo, 'release')).toBe(firstDigest);
  });

  it('rejects docker login with a password the sandbox did not issue', async () => {
    const other = withDockerConfig();
    try {
      const login = await sh(
        'docker',
        ['login', '--username', 'AWS', '--password-stdin', sandboxState().registryHost],
        other.env,
        'not-a-real-password',
      );
      expect(login.code).not.toBe(0);
    } finally {
      other.cleanup();
    }
  });
});

describe('buildah against the sandbox registry', () => {
  it('builds FROM busybox offline with RUN and pushes; --digestfile equals the registry and DescribeImages digest', async () => {
    const state = sandboxState();
    const repo = uniqueName('buildah-app');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: repo }));
    const image = `${state.registryHost}/${repo}:v1`;
    dockerfile(`buildah-${repo}`);
    const bud = await sh('buildah', ['bud', '--pull=false', '-t', image, context], docker.env);
    expect(bud.code, bud.stderr).toBe(0);
    const digestFile = join(context, 'digest');
    const push = await sh('buildah', ['push', '--digestfile', digestFile, image], docker.env);
    expect(push.code, push.stderr).toBe(0);
    const digest = readFileSync(digestFile, 'utf8').trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registryManifestDigest(repo, 'v1')).toBe(digest);
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: repo }));
    expect(described.imageDetails!.map((d) => d.imageDigest)).toEqual([digest]);
  });
});
