import { describe, expect, it } from 'vitest';
import {
  buildCommands,
  digestFromBuildxMetadata,
  digestFromDockerPush,
  mergeLabels,
  ociLabels,
  workflowRunUrl,
  secretArgs,
  cacheArgs,
  type BuildSpec,
} from '../../src/image/build-command.ts';

const spec: BuildSpec = {
  context: '/w/app',
  dockerfile: '/w/app/Dockerfile',
  buildArgs: [{ name: 'VERSION', value: '1.2.3' }],
  target: 'runtime',
  platforms: [],
  labels: [{ name: 'org.opencontainers.image.revision', value: 'abc' }],
  provenance: false,
  secrets: [],
  cache: undefined,
  cacheRef: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:buildcache',
  image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:sha-6113728',
  metadataFile: '/t/metadata.json',
  digestFile: '/t/digest',
  authFile: '/t/docker/config.json',
};
const common = [
  '--file',
  '/w/app/Dockerfile',
  '--tag',
  spec.image,
  '--build-arg',
  'VERSION=1.2.3',
  '--label',
  'org.opencontainers.image.revision=abc',
  '--target',
  'runtime',
];

describe('buildCommands', () => {
  it('docker: build, then push the one commit tag', () => {
    expect(buildCommands('docker', spec)).toEqual([
      { command: 'docker', args: ['build', ...common, '/w/app'], env: { DOCKER_BUILDKIT: '0' } },
      { command: 'docker', args: ['push', spec.image] },
    ]);
  });

  it('buildx: one build that pushes, with metadata file and provenance off by default', () => {
    expect(buildCommands('buildx', { ...spec, platforms: ['linux/amd64', 'linux/arm64'] })).toEqual([
      {
        command: 'docker',
        args: [
          'buildx',
          'build',
          ...common,
          '--platform',
          'linux/amd64,linux/arm64',
          '--provenance=false',
          '--push',
          '--metadata-file',
          '/t/metadata.json',
          '/w/app',
        ],
        env: {},
      },
    ]);
    expect(buildCommands('buildx', { ...spec, provenance: true })[0]!.args).toContain(
      '--provenance=mode=min',
    );
  });

  it('buildah: docker format, push with digest file and auth file', () => {
    expect(buildCommands('buildah', spec)).toEqual([
      { command: 'buildah', args: ['bud', '--format', 'docker', ...common, '/w/app'], env: {} },
      {
        command: 'buildah',
        args: [
          'push',
          '--authfile',
          '/t/docker/config.json',
          '--digestfile',
          '/t/digest',
          spec.image,
          `docker://${spec.image}`,
        ],
      },
    ]);
  });

  it('leaves out --target when no stage is chosen', () => {
    expect(buildCommands('docker', { ...spec, target: undefined })[0]!.args).not.toContain('--target');
  });
});

describe('labels', () => {
  const oci = {
    source: 'https://github.com/o/r',
    revision: 'f'.repeat(40),
    created: '2026-11-27T00:00:00.000Z',
  };
  it('puts the OCI labels before the user ones', () => {
    expect(mergeLabels(ociLabels(oci), [{ name: 'team', value: 'web' }])).toEqual([
      { name: 'org.opencontainers.image.source', value: oci.source },
      { name: 'org.opencontainers.image.revision', value: oci.revision },
      { name: 'org.opencontainers.image.created', value: oci.created },
      { name: 'team', value: 'web' },
    ]);
  });
  it('lets a user label override a standard one', () => {
    const labels = mergeLabels(ociLabels(oci), [
      { name: 'org.opencontainers.image.source', value: 'https://example.test/x' },
    ]);
    expect(labels.filter((l) => l.name === 'org.opencontainers.image.source')).toEqual([
      { name: 'org.opencontainers.image.source', value: 'https://example.test/x' },
    ]);
  });
});

describe('run URL label', () => {
  it.each([
    [
      'a run on github.com',
      { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://github.com' },
      'https://github.com/o/r/actions/runs/7',
    ],
    [
      'GitHub Enterprise Server, trailing slash',
      { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7', GITHUB_SERVER_URL: 'https://ghe.example.test/' },
      'https://ghe.example.test/o/r/actions/runs/7',
    ],
    [
      'no server URL → github.com',
      { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' },
      'https://github.com/o/r/actions/runs/7',
    ],
    ['outside a run: no run id', { GITHUB_REPOSITORY: 'o/r' }, undefined],
    ['outside a run: no repository', { GITHUB_RUN_ID: '7' }, undefined],
  ])('%s', (_name, env, expected) => {
    expect(workflowRunUrl(env)).toBe(expected);
  });
  it('labels the image with the run URL after the OCI labels, and omits it when there is none', () => {
    const base = {
      source: 'https://github.com/o/r',
      revision: 'a'.repeat(40),
      created: '2026-01-01T00:00:00Z',
    };
    expect(ociLabels({ ...base, runUrl: 'https://github.com/o/r/actions/runs/7' }).at(-1)).toEqual({
      name: 'dev.ecr-deploy.run-url',
      value: 'https://github.com/o/r/actions/runs/7',
    });
    expect(ociLabels(base).map((l) => l.name)).not.toContain('dev.ecr-deploy.run-url');
  });
});

describe('build secrets and cache', () => {
  const secrets = [
    { id: 'npm', source: { kind: 'value', value: 'tok-123' } },
    { id: 'gh', source: { kind: 'env', name: 'GH_TOKEN' } },
    { id: 'netrc', source: { kind: 'file', path: '/home/runner/.netrc' } },
  ] as const;

  it('passes values through the environment of the builder, never on argv', () => {
    const { args, env } = secretArgs(secrets);
    expect(args).toEqual([
      '--secret',
      'id=npm,env=ECR_DEPLOY_SECRET_0',
      '--secret',
      'id=gh,env=GH_TOKEN',
      '--secret',
      'id=netrc,src=/home/runner/.netrc',
    ]);
    expect(env).toEqual({ ECR_DEPLOY_SECRET_0: 'tok-123' });
    expect(args.join(' ')).not.toContain('tok-123');
  });

  it('gives buildx and buildah the same secret flags and environment', () => {
    for (const kind of ['buildx', 'buildah'] as const) {
      const build = buildCommands(kind, { ...spec, secrets })[0]!;
      expect(build.args).toContain('id=npm,env=ECR_DEPLOY_SECRET_0');
      expect(build.env).toEqual({ ECR_DEPLOY_SECRET_0: 'tok-123' });
      expect(build.args.join(' ')).not.toContain('tok-123');
    }
  });

  it('uses the only registry cache form ECR accepts', () => {
    expect(cacheArgs({ cache: 'registry', cacheRef: 'r/app:buildcache' })).toEqual([
      '--cache-from',
      'type=registry,ref=r/app:buildcache',
      '--cache-to',
      'type=registry,ref=r/app:buildcache,mode=max,image-manifest=true,oci-mediatypes=true',
    ]);
    expect(cacheArgs({ cache: 'gha', cacheRef: 'x' })).toEqual([
      '--cache-from',
      'type=gha',
      '--cache-to',
      'type=gha,mode=max',
    ]);
    expect(cacheArgs({ cache: undefined, cacheRef: 'x' })).toEqual([]);
    expect(buildCommands('buildx', { ...spec, cache: 'gha' })[0]!.args).toContain('type=gha,mode=max');
  });
});

describe('digests from builder output', () => {
  const d = `sha256:${'a1'.repeat(32)}`;
  it('reads the last digest line of docker push', () => {
    const out = `The push refers to repository [r/my-app]\n5f70bf18a086: Pushed\nsha-6113728: digest: ${d} size: 527\n`;
    expect(digestFromDockerPush(out)).toBe(d);
  });
  it('finds none in a push that did not finish', () => {
    expect(
      digestFromDockerPush('5f70bf18a086: Pushing\nunauthorized: authentication required\n'),
    ).toBeUndefined();
  });
  it('reads containerimage.digest from buildx metadata, not the config digest', () => {
    const meta = JSON.stringify({
      'containerimage.config.digest': `sha256:${'b2'.repeat(32)}`,
      'containerimage.digest': d,
    });
    expect(digestFromBuildxMetadata(meta)).toBe(d);
    expect(digestFromBuildxMetadata('{"containerimage.config.digest":"sha256:x"}')).toBeUndefined();
  });
});
