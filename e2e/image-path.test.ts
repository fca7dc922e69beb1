import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { registryTags } from './registry.ts';
import {
  E2E_TEST_MS,
  branchPush,
  errorsOf,
  repoName,
  sandbox,
  sha,
  tagPush,
  walk,
  workspace,
} from './helpers.ts';

describe('image path, end to end through dist/ against the sandbox', { timeout: E2E_TEST_MS }, () => {
  it('builds a Dockerfile with RUN on docker, pushes once, and every tag has the registry digest', async () => {
    const repository = repoName('docker');
    const commit = sha(1);
    const run = await runAction({
      inputs: { repository, 'create-repository': 'true', context: '.', builder: 'docker' },
      event: tagPush('v1.2.3', commit),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.stdout).toMatch(/RUN mkdir -p \/www/);
    const digest = run.outputs['image-digest']!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const inRegistry = await registryTags(repository);
    expect([...inRegistry.keys()].sort()).toEqual(
      ['1', '1.2', '1.2.3', 'latest', `sha-${commit.slice(0, 7)}`].sort(),
    );
    for (const [tag, d] of inRegistry) expect(d, tag).toBe(digest);
    const host = process.env.SANDBOX_REGISTRY_HOST!;
    expect(run.outputs).toMatchObject({
      registry: host,
      'repository-uri': `${host}/${repository}`,
      'image-uri': `${host}/${repository}:1.2.3`,
      'image-ref': `${host}/${repository}@${digest}`,
      tags: ['1.2.3', '1.2', '1', 'latest', `sha-${commit.slice(0, 7)}`].join('\n'),
    });
    expect(run.summary).toContain(digest);
    expect(run.post?.exitCode).toBe(0);
  });

  it('builds and pushes with buildah, digest from --digestfile equal to the registry', async () => {
    const repository = repoName('buildah');
    const run = await runAction({
      inputs: { repository, 'create-repository': 'true', builder: 'buildah' },
      event: branchPush('main', sha(2)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    const inRegistry = await registryTags(repository);
    expect([...inRegistry.keys()].sort()).toEqual(['main', `sha-${sha(2).slice(0, 7)}`]);
    for (const d of inRegistry.values()) expect(d).toBe(run.outputs['image-digest']);
    expect(run.summary).toContain('buildah');
    expect(run.summary).toMatch(/^\| Build duration \| \d[^|]* \|$/m);
  });

  it('tag-rules and full references in tags: exactly the tags asked for, and outputs in metadata-action shape', async () => {
    const repository = repoName('rules');
    const host = process.env.SANDBOX_REGISTRY_HOST!;
    const commit = sha(6);
    const short = `sha-${commit.slice(0, 7)}`;
    const run = await runAction({
      inputs: {
        repository,
        'create-repository': 'true',
        'tag-rules': 'latest=false\nprefix=v\nminor=false',
        tags: `${host}/${repository}:stable`,
      },
      event: tagPush('v3.1.0', commit),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    const inRegistry = await registryTags(repository);
    expect([...inRegistry.keys()].sort()).toEqual(['stable', 'v3', 'v3.1.0', short].sort());
    const digest = run.outputs['image-digest']!;
    for (const [tag, d] of inRegistry) expect(d, tag).toBe(digest);
    const refs = run.outputs['tag-refs']!.split('\n');
    expect([...refs].sort()).toEqual([...inRegistry.keys()].map((t) => `${host}/${repository}:${t}`).sort());
    const json = JSON.parse(run.outputs.json!) as { tags: string[]; labels: Record<string, string> };
    expect(json.tags).toEqual(refs);
    expect(json.labels['org.opencontainers.image.revision']).toBe(commit);

    // A full reference to another repository is refused before anything is built or pushed.
    const other = repoName('rules-other');
    const refused = await runAction({
      inputs: { repository: other, 'create-repository': 'true', tags: `${host}/${repository}:stable` },
      event: tagPush('v3.1.1', sha(7)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(refused.main.exitCode).toBe(1);
    const errors = errorsOf(refused.main.stdout).join('\n');
    expect(errors).toContain('tags');
    expect(errors).toContain(repository);
    expect(errors).toContain(other);
    expect(refused.main.stdout).not.toMatch(/Pushed /);
    // The repository was not even created: the registry does not know the name.
    const left = await registryTags(other).catch((error: Error) => error);
    expect(left instanceof Error ? left.message : `tags ${[...left.keys()].join(', ')}`).toMatch(
      /answered 404/,
    );
  });

  it('pre-release tag → no latest; pull request → pr-N from the head commit', async () => {
    const repository = repoName('rc');
    const rc = await runAction({
      inputs: { repository, 'create-repository': 'true' },
      event: tagPush('v2.0.0-rc.1', sha(3)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(rc.main.exitCode, rc.main.stdout).toBe(0);
    expect([...(await registryTags(repository)).keys()].sort()).toEqual([
      '2.0.0-rc.1',
      `sha-${sha(3).slice(0, 7)}`,
    ]);

    const head = sha(4);
    const pr = await runAction({
      inputs: { repository, 'create-repository': 'true' },
      event: {
        name: 'pull_request',
        ref: 'refs/pull/42/merge',
        sha: sha(5),
        payload: { number: 42, pull_request: { number: 42, head: { sha: head } } },
      },
      workspace: workspace(),
      env: sandbox(),
    });
    expect(pr.main.exitCode, pr.main.stdout).toBe(0);
    expect(pr.outputs['image-uri']).toMatch(/:pr-42$/);
    const tags = await registryTags(repository);
    expect(tags.get('pr-42')).toBe(pr.outputs['image-digest']);
    expect(tags.get(`sha-${head.slice(0, 7)}`)).toBe(pr.outputs['image-digest']);
    expect(tags.has(`sha-${sha(5).slice(0, 7)}`)).toBe(false);
  });

  it('immutable repository → floating tags skipped with a notice, the rest pushed', async () => {
    const repository = repoName('immutable');
    const run = await runAction({
      inputs: { repository, 'create-repository': 'true', 'tag-mutability': 'IMMUTABLE' },
      event: tagPush('v3.1.4', sha(6)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    const notices = run.main.stdout.split('\n').filter((l) => l.startsWith('::notice::'));
    expect(notices.map((n) => /Tag (\S+) skipped/.exec(n)?.[1])).toEqual(['3.1', '3', 'latest']);
    expect([...(await registryTags(repository)).keys()].sort()).toEqual([
      '3.1.4',
      `sha-${sha(6).slice(0, 7)}`,
    ]);
  });

  it('refuses, before building, an explicit tag an immutable repository already holds', async () => {
    const repository = repoName('taken');
    const first = await runAction({
      inputs: { repository, 'create-repository': 'true', 'tag-mutability': 'IMMUTABLE', tags: 'stable' },
      event: branchPush('main', sha(7)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(first.main.exitCode, first.main.stdout).toBe(0);
    const second = await runAction({
      inputs: { repository, tags: 'stable' },
      event: branchPush('main', sha(8)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(second.main.exitCode).toBe(1);
    expect(errorsOf(second.main.stdout).join('\n')).toMatch(
      new RegExp(
        `Input "tags": tag "stable" already exists in .* on ${first.outputs['image-digest']}.*Use a new tag`,
      ),
    );
    expect(second.main.stdout).not.toMatch(/Step 1\/|RUN mkdir/); // nothing built
    expect((await registryTags(repository)).has(`sha-${sha(8).slice(0, 7)}`)).toBe(false); // nothing pushed
  });

  it('a missing repository fails before any build and names the option', async () => {
    const repository = repoName('missing');
    const run = await runAction({
      inputs: { repository },
      event: branchPush('main', sha(9)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout)).toEqual([
      `::error::Input "repository": ECR repository "${repository}" does not exist. Create it, or set create-repository: true to have this step create it.`,
    ]);
    expect(run.main.stdout).not.toMatch(/RUN mkdir/);
  });

  it('wrong credentials fail with what to check', async () => {
    const run = await runAction({
      inputs: { repository: repoName('creds'), 'create-repository': 'true' },
      event: branchPush('main', sha(10)),
      workspace: workspace(),
      env: { ...sandbox(), AWS_SECRET_ACCESS_KEY: 'not-the-secret' },
    });
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(
      /DescribeRepositories .*credentials were rejected \(InvalidSignatureException.*configure-aws-credentials/,
    );
  });

  it('an unreachable endpoint fails with the endpoint named', async () => {
    const run = await runAction({
      inputs: { repository: repoName('unreachable') },
      event: branchPush('main', sha(11)),
      workspace: workspace(),
      env: { ...sandbox(), AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:9' },
    });
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout).join('\n')).toMatch(/could not reach .*ECONNREFUSED.*HTTPS_PROXY/);
  });

  it('a failing build fails the step and shows the build error', async () => {
    const run = await runAction({
      inputs: { repository: repoName('broken'), 'create-repository': 'true' },
      event: branchPush('main', sha(12)),
      workspace: workspace(
        'FROM busybox:latest\nRUN echo "compiling" && sh -c "echo missing-dependency-xyz >&2; exit 3"\n',
      ),
      env: sandbox(),
    });
    expect(run.main.exitCode).toBe(1);
    const error = errorsOf(run.main.stdout).join('\n');
    expect(error).toMatch(/docker build failed with exit code 3/);
    expect(error).toMatch(/missing-dependency-xyz/);
  });

  it('leaks the registry password nowhere, and keeps the existing Docker config working', async () => {
    const ws = workspace();
    const jobDir = mkdtempSync(join(tmpdir(), 'job-'));
    // The user's own Docker config: another registry's login and a CLI plugin folder.
    const userDocker = join(jobDir, 'home', '.docker');
    mkdirSync(join(userDocker, 'cli-plugins'), { recursive: true });
    writeFileSync(join(userDocker, 'cli-plugins', 'docker-hello'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    const otherAuth = Buffer.from('someone:other-registry-password').toString('base64');
    const userConfig = JSON.stringify({ auths: { 'registry.other.test:5000': { auth: otherAuth } } });
    writeFileSync(join(userDocker, 'config.json'), userConfig);

    const run = await runAction({
      inputs: { repository: repoName('secret'), 'create-repository': 'true' },
      event: branchPush('main', sha(13)),
      workspace: ws,
      env: sandbox(),
      post: false,
      jobDir,
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    // During the job: later steps get a DOCKER_CONFIG holding both logins and the user's plugins.
    const dockerConfig = run.exported.DOCKER_CONFIG!;
    expect(dockerConfig.startsWith(run.runnerTemp)).toBe(true);
    const during = JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8'));
    expect(during.auths['registry.other.test:5000']).toEqual({ auth: otherAuth });
    const ours = during.auths[process.env.SANDBOX_REGISTRY_HOST!].auth as string;
    const password = Buffer.from(ours, 'base64').toString().split(':').slice(1).join(':');
    expect(password.length).toBeGreaterThan(16);
    expect(existsSync(join(dockerConfig, 'cli-plugins', 'docker-hello'))).toBe(true);
    // A later step can pull with that config.
    const pulled = execFileSync('docker', ['pull', run.outputs['image-ref']!], {
      env: { ...process.env, DOCKER_CONFIG: dockerConfig },
      encoding: 'utf8',
    });
    expect(pulled).toMatch(/Digest: sha256:/);

    const post = await run.runPost();
    expect(post.exitCode).toBe(0);
    expect(existsSync(dockerConfig)).toBe(false);
    // After: the user's config is as it was.
    expect(readFileSync(join(userDocker, 'config.json'), 'utf8')).toBe(userConfig);

    // The runner consumes ::add-mask:: commands (they are how masking works) and prints the rest of the log.
    expect(run.main.stdout).toContain(`::add-mask::${password}`);
    const log = (s: string) =>
      s
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
    const texts: Record<string, string> = {
      stdout: log(run.main.stdout),
      stderr: run.main.stderr,
      'post stdout': post.stdout,
      'post stderr': post.stderr,
      outputs: JSON.stringify(run.outputs),
      summary: run.summary,
    };
    const files = walk(jobDir).filter((f) => statSync(f).size < 50 * 1024 * 1024);
    for (const f of files) texts[f] = readFileSync(f, 'latin1');
    const leaks = Object.entries(texts)
      .filter(([, t]) => t.includes(password) || t.includes(ours))
      .map(([where]) => where);
    expect(leaks).toEqual([]);
    expect(files.length).toBeGreaterThan(5);
  });
});
