// What a child process (a builder, a push, a probe) sees of the step's environment: only what it needs to
// find its tools, its engine, its registry login and the network. The step's own environment holds the AWS
// credentials, every input (INPUT_*, build secrets among them) and the runner's tokens; none of it is a
// child's business unless a build secret names a variable explicitly.

/** Variables a builder or its helpers may need, by exact name. */
const NAMES: ReadonlySet<string> = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'TMPDIR',
  'TZ',
  'LANG',
  'LANGUAGE',
  // Where the registry login lives (Docker's config, buildah/podman's auth file).
  'DOCKER_CONFIG',
  'REGISTRY_AUTH_FILE',
  // Which engine, and how to reach it.
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_API_VERSION',
  'DOCKER_BUILDKIT',
  'DOCKER_DEFAULT_PLATFORM',
  'BUILDKIT_PROGRESS',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  // Trust and the network.
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
]);

/** Families of variables the builders define for themselves (buildx, buildah, containers/*, storage, locale). */
const PREFIXES: readonly string[] = ['LC_', 'BUILDX_', 'BUILDAH_', 'CONTAINERS_', 'STORAGE_'];

export function isChildVariable(name: string): boolean {
  return NAMES.has(name) || PREFIXES.some((p) => name.startsWith(p));
}

export interface ChildEnvOptions {
  /** Variables the command sets itself (inline build secrets, DOCKER_BUILDKIT=0, DOCKER_CONFIG): win over the step's. */
  readonly set?: Readonly<Record<string, string>>;
  /** Variables of the step a build secret's `env=` source names: passed on as they are. */
  readonly pass?: readonly string[];
}

/** Pure: the environment of a child process, from the step's. */
export function childEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  options: ChildEnvOptions = {},
): Record<string, string> {
  const pass = new Set(options.pass ?? []);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (isChildVariable(name) || pass.has(name))) out[name] = value;
  }
  return { ...out, ...options.set };
}
