import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runAction } from '../sandbox/run-action.ts';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { ecrClient, registryBlob, registryManifest, registryTags } from './registry.ts';
import { E2E_TEST_MS, branchPush, errorsOf, repoName, sandbox, sha, tagPush, workspace } from './helpers.ts';

/** Image ids in the sandbox's Docker engine. */
function engineImages(): string[] {
  return execFileSync('docker', ['images', '--all', '--quiet', '--no-trunc'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort();
}

describe('image path, complete: reuse, existing images, build secrets', { timeout: E2E_TEST_MS }, () => {
  it('a second run for the same commit builds nothing and only adds tags; new build inputs rebuild', async () => {
    const repository = repoName('reuse');
    const commit = sha(0x100);
    const ws = workspace();
    const first = await runAction({
      inputs: { repository, 'create-repository': 'true', builder: 'docker' },
      event: branchPush('main', commit),
      workspace: ws,
      env: sandbox(),
    });
    expect(first.main.exitCode, first.main.stdout).toBe(0);
    expect(first.outputs['image-reused']).toBe('false');
    expect(first.main.stdout).toMatch(/Building: no image for this commit yet/);
    const manifest = await registryManifest(repository, first.outputs['image-digest']!);
    const configDigest = (manifest.config as { digest: string }).digest;
    const config = JSON.parse((await registryBlob(repository, configDigest)).toString()) as {
      config: { Labels: Record<string, string> };
    };
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/octo-org/hello-app',
      'org.opencontainers.image.revision': commit,
      'dev.ecr-deploy.run-url': 'https://github.com/octo-org/hello-app/actions/runs/4242',
    });

    const before = engineImages();
    const release = await runAction({
      inputs: { repository, builder: 'docker' },
      event: tagPush('v1.4.0', commit),
      workspace: ws,
      env: sandbox(),
    });
    expect(release.main.exitCode, release.main.stdout).toBe(0);
    expect(release.outputs['image-reused']).toBe('true');
    expect(release.outputs['image-digest']).toBe(first.outputs['image-digest']);
    expect(release.main.stdout).toMatch(/Reusing .*built for this commit from the same inputs/);
    expect(release.main.stdout).not.toMatch(/\[command\]\S*docker (build|push)|Step 1\//);
    expect(engineImages()).toEqual(before); // nothing built, nothing pulled
    const tags = await registryTags(repository);
    expect([...tags.keys()].sort()).toEqual(
      ['1', '1.4', '1.4.0', 'latest', 'main', `sha-${commit.slice(0, 7)}`].sort(),
    );
    for (const d of tags.values()) expect(d).toBe(first.outputs['image-digest']);
    expect(release.summary).toContain('reused: already built for this commit');
    expect(release.summary).not.toContain('Build duration');

    const changed = await runAction({
      inputs: { repository, builder: 'docker', 'build-args': 'GREETING=hello again' },
      event: branchPush('main', commit),
      workspace: ws,
      env: sandbox(),
    });
    expect(changed.main.exitCode, changed.main.stdout).toBe(0);
    expect(changed.main.stdout).toMatch(/Building: the build inputs changed since it was built/);
    expect(changed.outputs['image-reused']).toBe('false');
    expect(changed.outputs['image-digest']).not.toBe(first.outputs['image-digest']);
  });

  it('skip-existing: false always builds', async () => {
    const repository = repoName('noreuse');
    const commit = sha(0x101);
    const ws = workspace();
    const run = () =>
      runAction({
        inputs: { repository, 'create-repository': 'true', 'skip-existing': 'false' },
        event: branchPush('main', commit),
        workspace: ws,
        env: sandbox(),
      });
    expect((await run()).main.exitCode).toBe(0);
    const again = await run();
    expect(again.main.exitCode).toBe(0);
    expect(again.outputs['image-reused']).toBe('false');
    expect(again.main.stdout).toMatch(/\[command\]\S*docker build/);
  });

  it('deploys a given ECR image without building: digest resolved, outputs filled, tags added', async () => {
    const repository = repoName('given');
    const built = await runAction({
      inputs: { repository, 'create-repository': 'true' },
      event: tagPush('v2.1.0', sha(0x102)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(built.main.exitCode, built.main.stdout).toBe(0);
    const host = process.env.SANDBOX_REGISTRY_HOST!;
    const run = await runAction({
      inputs: { image: `${host}/${repository}:2.1.0`, tags: 'prod' },
      event: branchPush('main', sha(0x103)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.stdout).not.toMatch(/docker build|buildah bud/);
    const digest = built.outputs['image-digest']!;
    expect(run.outputs).toMatchObject({
      registry: host,
      'repository-uri': `${host}/${repository}`,
      // The first explicit tag is the primary one (README, "Tags"), listed first in `tags`.
      'image-uri': `${host}/${repository}:prod`,
      'image-digest': digest,
      'image-ref': `${host}/${repository}@${digest}`,
      'image-reused': 'true',
    });
    expect(run.outputs.tags!.split('\n')[0]).toBe('prod');
    expect(run.outputs.tags!.split('\n')).toContain('2.1.0');
    expect((await registryTags(repository)).get('prod')).toBe(digest);
  });

  it('fails clearly when the given image is not in ECR, and when build inputs come with it', async () => {
    const repository = repoName('absent');
    await runAction({
      inputs: { repository, 'create-repository': 'true' },
      event: branchPush('main', sha(0x104)),
      workspace: workspace(),
      env: sandbox(),
    });
    const host = process.env.SANDBOX_REGISTRY_HOST!;
    const missing = await runAction({
      inputs: { image: `${host}/${repository}:9.9.9` },
      event: branchPush('main', sha(0x104)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(missing.main.exitCode).toBe(1);
    expect(errorsOf(missing.main.stdout)).toEqual([
      `::error::Input "image": "${host}/${repository}:9.9.9" is not in ECR: ${host}/${repository} has no image 9.9.9. Check the tag or digest, or build and push it first.`,
    ]);

    const both = await runAction({
      inputs: { image: `${host}/${repository}:main`, repository },
      event: branchPush('main', sha(0x104)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(both.main.exitCode).toBe(1);
    expect(errorsOf(both.main.stdout).join()).toMatch(
      /Input "image": deploys an existing image.*remove repository/,
    );

    const notEcr = await runAction({
      inputs: { image: 'registry.example.test/team/app:1.0' },
      event: branchPush('main', sha(0x104)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(notEcr.main.exitCode).toBe(1);
    expect(errorsOf(notEcr.main.stdout).join()).toMatch(
      /not the ECR registry of this account.*Pin the image by digest/,
    );
  });

  it('passes build secrets to buildah, and they end up in no image layer, config, history, log or output', async () => {
    const repository = repoName('secret');
    const secret = `s3cr3t-${Date.now()}-value`;
    // An inline value (`id=VALUE`) reaches the builder through its environment.
    const inline = `inl1ne-${Date.now()}-value`;
    const dockerfile = [
      'FROM busybox:latest',
      // Proves the secrets were usable: their lengths land in the image, never the secrets.
      'RUN --mount=type=secret,id=token --mount=type=secret,id=inline ' +
        '{ wc -c < /run/secrets/token; wc -c < /run/secrets/inline; } | tr "\\n" " " > /token-length',
      'CMD ["cat", "/token-length"]',
      '',
    ].join('\n');
    const run = await runAction({
      inputs: {
        repository,
        'create-repository': 'true',
        builder: 'buildah',
        'build-secrets': `token=env:DEPLOY_TOKEN\ninline=${inline}`,
      },
      event: branchPush('main', sha(0x105)),
      workspace: workspace(dockerfile),
      env: { ...sandbox(), DEPLOY_TOKEN: secret },
    });
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    expect(run.main.stdout).toContain(`::add-mask::${secret}`);
    expect(run.main.stdout).toContain(`::add-mask::${inline}`);

    const manifest = (await registryManifest(repository, run.outputs['image-digest']!)) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    const config = (await registryBlob(repository, manifest.config.digest)).toString('utf8');
    expect(config).not.toContain(secret);
    expect(config).not.toContain(inline);
    expect(config).toContain('--mount=type=secret'); // the history records the step, not the value
    let found = false;
    for (const layer of manifest.layers) {
      const tar = gunzipSync(await registryBlob(repository, layer.digest));
      expect(tar.includes(Buffer.from(secret))).toBe(false);
      expect(tar.includes(Buffer.from(inline))).toBe(false);
      const at = tar.indexOf('token-length');
      if (at >= 0) {
        found = true;
        // The file's content block follows its 512-byte tar header.
        const header = Math.floor(at / 512) * 512;
        const content = tar
          .subarray(header + 512, header + 520)
          .toString()
          .replaceAll('\0', '');
        expect(content.trim()).toBe(`${secret.length} ${inline.length}`);
      }
    }
    expect(found).toBe(true);
    const log = run.main.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    for (const text of [log, run.main.stderr, JSON.stringify(run.outputs), run.summary]) {
      expect(text.includes(secret)).toBe(false);
      expect(text.includes(inline)).toBe(false);
    }
  });

  it('dry-run creates, builds, pushes and tags nothing', async () => {
    const repository = repoName('dryrun');
    const run = await runAction({
      inputs: { repository, 'create-repository': 'true', 'dry-run': 'true' },
      event: tagPush('v9.0.0', sha(0x107)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.stdout).toMatch(
      /Dry run: would create .* build with \w+, push .*:sha-0000107 and tag 9\.0\.0, 9\.0, 9, latest/,
    );
    expect(run.main.stdout).not.toMatch(/\[command\]\S*(docker|buildah)/);
    expect(run.outputs).toEqual({});
    await expect(
      ecrClient().send(new DescribeRepositoriesCommand({ repositoryNames: [repository] })),
    ).rejects.toThrow(/does not exist/); // the repository was never created
  });

  it('refuses build secrets on the legacy Docker builder, before anything happens', async () => {
    const run = await runAction({
      inputs: {
        repository: repoName('legacy'),
        'create-repository': 'true',
        builder: 'docker',
        'build-secrets': 'a=b',
      },
      event: branchPush('main', sha(0x106)),
      workspace: workspace(),
      env: sandbox(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(errorsOf(run.main.stdout).join()).toMatch(/Input "build-secrets": the legacy Docker builder/);
    expect(run.main.stdout).not.toMatch(/Created ECR repository/);
  });
});
