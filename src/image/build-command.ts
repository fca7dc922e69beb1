import type { BuildInputs, BuildSecret, KeyValue } from './types.ts';

export type BuilderKind = 'buildx' | 'docker' | 'buildah';

export interface Command {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

/** What to build, from the inputs (labels already merged with the OCI ones), and where results go. */
export interface BuildSpec extends Pick<
  BuildInputs,
  | 'context'
  | 'dockerfile'
  | 'buildArgs'
  | 'target'
  | 'platforms'
  | 'labels'
  | 'provenance'
  | 'secrets'
  | 'cache'
> {
  /** `<repository uri>:buildcache`: where `cache: registry` keeps the cache. */
  readonly cacheRef: string;
  /** `<repository uri>:<commit tag>`: the one name the image is pushed under. */
  readonly image: string;
  /** buildx: where `--metadata-file` writes `containerimage.digest`. */
  readonly metadataFile: string;
  /** buildah: where `push --digestfile` writes the manifest digest. */
  readonly digestFile: string;
  /** buildah: the Docker config.json holding the registry login (a path, never the secret itself). */
  readonly authFile: string;
}

function common(spec: BuildSpec): string[] {
  const args = ['--file', spec.dockerfile, '--tag', spec.image];
  for (const a of spec.buildArgs) args.push('--build-arg', `${a.name}=${a.value}`);
  for (const l of spec.labels) args.push('--label', `${l.name}=${l.value}`);
  if (spec.target) args.push('--target', spec.target);
  return args;
}

/**
 * `--secret` arguments (the same syntax for buildx and buildah) and the environment that carries the
 * values: a value given inline travels in a variable of the builder's process only, never on argv or disk.
 */
export function secretArgs(secrets: readonly BuildSecret[]): { args: string[]; env: Record<string, string> } {
  const args: string[] = [];
  const env: Record<string, string> = {};
  secrets.forEach((secret, i) => {
    const { source } = secret;
    let from: string;
    if (source.kind === 'file') from = `src=${source.path}`;
    else if (source.kind === 'env') from = `env=${source.name}`;
    else {
      const name = `ECR_DEPLOY_SECRET_${i}`;
      env[name] = source.value;
      from = `env=${name}`;
    }
    args.push('--secret', `id=${secret.id},${from}`);
  });
  return { args, env };
}

/** buildx cache flags. ECR accepts a registry cache only as an image manifest with OCI media types. */
export function cacheArgs(spec: Pick<BuildSpec, 'cache' | 'cacheRef'>): string[] {
  switch (spec.cache) {
    case 'registry':
      return [
        '--cache-from',
        `type=registry,ref=${spec.cacheRef}`,
        '--cache-to',
        `type=registry,ref=${spec.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`,
      ];
    case 'gha':
      return ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max'];
    default:
      return [];
  }
}

/**
 * Pure: the commands that build `spec.image` and push it. The registry password never appears here: Docker
 * reads it from DOCKER_CONFIG, buildah from the auth file.
 */
export function buildCommands(kind: BuilderKind, spec: BuildSpec): Command[] {
  const secrets = secretArgs(spec.secrets);
  switch (kind) {
    case 'buildx':
      return [
        {
          command: 'docker',
          args: [
            'buildx',
            'build',
            ...common(spec),
            ...secrets.args,
            ...cacheArgs(spec),
            ...(spec.platforms.length > 0 ? ['--platform', spec.platforms.join(',')] : []),
            `--provenance=${spec.provenance ? 'mode=min' : 'false'}`,
            '--push',
            '--metadata-file',
            spec.metadataFile,
            spec.context,
          ],
          env: secrets.env,
        },
      ];
    case 'docker':
      return [
        // Chosen because buildx is missing: say so, or a BuildKit-default CLI refuses or half-works.
        { command: 'docker', args: ['build', ...common(spec), spec.context], env: { DOCKER_BUILDKIT: '0' } },
        { command: 'docker', args: ['push', spec.image] },
      ];
    case 'buildah':
      return [
        // Docker format keeps HEALTHCHECK and SHELL, which the OCI image config has no field for.
        {
          command: 'buildah',
          args: ['bud', '--format', 'docker', ...common(spec), ...secrets.args, spec.context],
          env: secrets.env,
        },
        {
          command: 'buildah',
          args: [
            'push',
            '--authfile',
            spec.authFile,
            '--digestfile',
            spec.digestFile,
            spec.image,
            `docker://${spec.image}`,
          ],
        },
      ];
  }
}

/** The label that links an image to the workflow run that built it. */
export const RUN_URL_LABEL = 'dev.ecr-deploy.run-url';

/**
 * The standard OCI labels every image gets, and the run that built it. The run URL is a label only: it is no
 * part of the build-inputs hash, so a re-run of the same commit still reuses the image (which keeps the URL of
 * the run that built it).
 */
export function ociLabels(oci: {
  source: string;
  revision: string;
  created: string;
  runUrl?: string;
}): KeyValue[] {
  return [
    { name: 'org.opencontainers.image.source', value: oci.source },
    { name: 'org.opencontainers.image.revision', value: oci.revision },
    { name: 'org.opencontainers.image.created', value: oci.created },
    ...(oci.runUrl ? [{ name: RUN_URL_LABEL, value: oci.runUrl }] : []),
  ];
}

/** Pure: `<server>/<owner/name>/actions/runs/<id>` from the runner's variables; undefined outside a run. */
export function workflowRunUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!repository || !runId) return undefined;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repository}/actions/runs/${runId}`;
}

/** The action's labels, then the user's; a user label of the same name wins. */
export function mergeLabels(ours: readonly KeyValue[], user: readonly KeyValue[]): KeyValue[] {
  const userNames = new Set(user.map((l) => l.name));
  return [...ours.filter((l) => !userNames.has(l.name)), ...user];
}

const DIGEST = /\bdigest: (sha256:[0-9a-f]{64})\b/;

/** `docker push` ends with `<tag>: digest: sha256:… size: N`: the manifest digest the registry accepted. */
export function digestFromDockerPush(output: string): string | undefined {
  const lines = output.split('\n').filter((l) => DIGEST.test(l));
  const last = lines.at(-1);
  return last ? DIGEST.exec(last)?.[1] : undefined;
}

/** buildx `--metadata-file`: `containerimage.digest` is the pushed manifest (or index) digest. */
export function digestFromBuildxMetadata(json: string): string | undefined {
  const meta = JSON.parse(json) as Record<string, unknown>;
  const digest = meta['containerimage.digest'];
  return typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}
