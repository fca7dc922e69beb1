// The simulated container runtime of the fake ECS: resolves each container's image against the sandbox
// registry (like the Fargate agent pulling it) and derives from the image config and the container definition
// what the essential container will do: keep running, exit with a code, pass or fail its health check.
// Assumptions are listed in sandbox/README.md ("Amazon ECS" → "Simulated runtime").
import type { World } from '../../world.ts';
import type { ContainerDefinition } from './model.ts';

export interface HealthCheckPlan {
  passes: boolean;
  /** The argv a real runtime executes in the container (`CMD-SHELL s` → `/bin/sh -c s`, `CMD a b` → `a b`). */
  command?: string[];
  intervalS: number;
  timeoutS: number;
  retries: number;
  startPeriodS: number;
}

export interface ContainerPlan {
  name: string;
  essential: boolean;
  imageDigest?: string;
  /** Seconds (unscaled) after start at which the process exits, and its exit code; undefined = runs on. */
  exitAfterS?: number;
  exitCode?: number;
  health?: HealthCheckPlan;
}

export interface RuntimePlan {
  /** Set when an image cannot be pulled: the ECS `CannotPullContainerError: ...` text. */
  pullError?: string;
  containers: ContainerPlan[];
}

/** A scripted failure (control interface) that overrides what the image would do. */
export type ScriptedFailure =
  { mode: 'cannot-pull' } | { mode: 'exit'; exitCode: number } | { mode: 'unhealthy' };

interface ImageConfig {
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Healthcheck?: {
    Test?: string[];
    Interval?: number;
    Timeout?: number;
    Retries?: number;
    StartPeriod?: number;
  } | null;
}

export interface ImageRef {
  host: string;
  repository: string;
  reference: string;
}

/** `host/repo:tag`, `host/repo@sha256:...`, `repo` (Docker Hub, tag latest). */
export function parseImage(image: string): ImageRef {
  let rest = image;
  let host = 'docker.io';
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      host = first;
      rest = rest.slice(slash + 1);
    }
  }
  const at = rest.indexOf('@');
  if (at >= 0) return { host, repository: rest.slice(0, at), reference: rest.slice(at + 1) };
  const colon = rest.lastIndexOf(':');
  if (colon > 0) return { host, repository: rest.slice(0, colon), reference: rest.slice(colon + 1) };
  return { host, repository: rest, reference: 'latest' };
}

function pullError(image: string, detail: string): string {
  return `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${image}: ${detail}`;
}

async function fetchConfig(
  world: World,
  repository: string,
  reference: string,
): Promise<{ digest: string; config: ImageConfig } | undefined> {
  const manifest = await world.registry.getManifest(repository, reference);
  if (!manifest) return undefined;
  let parsed = JSON.parse(manifest.body.toString('utf8')) as {
    manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
    config?: { digest: string };
  };
  if (parsed.manifests) {
    const entry =
      parsed.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ??
      parsed.manifests[0];
    if (!entry) return undefined;
    const child = await world.registry.getManifest(repository, entry.digest);
    if (!child) return undefined;
    parsed = JSON.parse(child.body.toString('utf8')) as typeof parsed;
  }
  let config: ImageConfig = {};
  if (parsed.config?.digest) {
    const blob = await world.registry.call('GET', `/v2/${repository}/blobs/${parsed.config.digest}`, {
      repository,
    });
    if (blob.status === 200) {
      try {
        config = (JSON.parse(blob.body.toString('utf8')) as { config?: ImageConfig }).config ?? {};
      } catch {
        config = {};
      }
    }
  }
  return { digest: manifest.digest, config };
}

/**
 * What a shell script does in the simulated runtime: steps `echo`/`printf`/`true`/`:` do nothing, `sleep N` takes
 * N seconds, `exit N`/`false` end it with that code, running off the end exits 0; any other step runs on.
 */
export function interpretScript(script: string): { exitAfterS?: number; exitCode?: number } {
  const steps = script
    .split(/;|&&|\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  let slept = 0;
  for (const step of steps) {
    const sleep = /^sleep\s+(\d+(?:\.\d+)?)$/.exec(step);
    if (sleep) {
      slept += Number(sleep[1]);
      continue;
    }
    const exit = /^exit(?:\s+(\d+))?$/.exec(step);
    if (exit) return { exitAfterS: slept, exitCode: Number(exit[1] ?? 0) };
    if (step === 'true' || step === '/bin/true' || step === ':' || /^(?:echo|printf)(?:\s|$)/.test(step))
      continue;
    if (step === 'false' || step === '/bin/false') return { exitAfterS: slept, exitCode: 1 };
    return {};
  }
  return { exitAfterS: slept, exitCode: 0 };
}

/** The effective argv (entryPoint/command override the image's ENTRYPOINT/CMD, as Docker does). */
export function effectiveArgv(
  def: ContainerDefinition,
  config: ImageConfig,
  commandOverride?: string[],
): string[] {
  const entry = def.entryPoint ?? config.Entrypoint ?? [];
  const cmd = commandOverride ?? def.command ?? (def.entryPoint ? [] : (config.Cmd ?? []));
  return [...entry, ...cmd];
}

export function processPlan(argv: string[]): { exitAfterS?: number; exitCode?: number } {
  if (argv.length === 0) return {};
  const [exe, ...args] = argv;
  const base = exe!.split('/').pop();
  if ((base === 'sh' || base === 'bash' || base === 'ash') && args[0] === '-c' && args[1] !== undefined) {
    return interpretScript(args[1]);
  }
  if (
    base === 'busybox' &&
    (args[0] === 'sh' || args[0] === 'ash') &&
    args[1] === '-c' &&
    args[2] !== undefined
  ) {
    return interpretScript(args[2]);
  }
  return interpretScript(argv.join(' '));
}

function healthPlan(def: ContainerDefinition, config: ImageConfig): HealthCheckPlan | undefined {
  const fromDef = def.healthCheck;
  const test = fromDef?.command ?? config.Healthcheck?.Test;
  if (!test || test.length === 0 || test[0] === 'NONE') return undefined;
  const script =
    test[0] === 'CMD-SHELL' ? (test[1] ?? '') : test[0] === 'CMD' ? test.slice(1).join(' ') : test.join(' ');
  const outcome = test[0] === 'CMD' ? processPlan(test.slice(1)) : interpretScript(script);
  const ns = 1e9;
  const command =
    test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test[1] ?? ''] : test[0] === 'CMD' ? test.slice(1) : test;
  return {
    passes: outcome.exitCode === undefined || outcome.exitCode === 0,
    command,
    timeoutS: fromDef
      ? (fromDef.timeout ?? 5)
      : config.Healthcheck?.Timeout
        ? config.Healthcheck.Timeout / ns
        : 30,
    intervalS: fromDef
      ? (fromDef.interval ?? 30)
      : config.Healthcheck?.Interval
        ? config.Healthcheck.Interval / ns
        : 30,
    retries: fromDef ? (fromDef.retries ?? 3) : (config.Healthcheck?.Retries ?? 3),
    startPeriodS: fromDef
      ? (fromDef.startPeriod ?? 0)
      : config.Healthcheck?.StartPeriod
        ? config.Healthcheck.StartPeriod / ns
        : 0,
  };
}

export async function planTask(
  world: World,
  containers: ContainerDefinition[],
  commandOverrides: Map<string, string[]>,
  scripted?: ScriptedFailure,
): Promise<RuntimePlan> {
  const plans: ContainerPlan[] = [];
  for (const def of containers) {
    const ref = parseImage(def.image);
    const essential = def.essential !== false;
    if (scripted?.mode === 'cannot-pull' && essential) {
      return { pullError: pullError(def.image, `${def.image}: not found`), containers: [] };
    }
    if (ref.host !== world.registryHost) {
      // Only the sandbox registry exists; any other registry is unreachable (no internet in the sandbox).
      return {
        pullError: pullError(
          def.image,
          `failed to do request: Head "https://${ref.host}/v2/${ref.repository}/manifests/${ref.reference}": dial tcp: lookup ${ref.host}: no such host`,
        ),
        containers: [],
      };
    }
    let found: { digest: string; config: ImageConfig } | undefined;
    try {
      found = world.repositories.has(ref.repository)
        ? await fetchConfig(world, ref.repository, ref.reference)
        : undefined;
    } catch {
      found = undefined;
    }
    if (!found) return { pullError: pullError(def.image, `${def.image}: not found`), containers: [] };
    const proc = processPlan(effectiveArgv(def, found.config, commandOverrides.get(def.name)));
    let health = healthPlan(def, found.config);
    let exit = proc;
    if (scripted && essential) {
      if (scripted.mode === 'exit') exit = { exitAfterS: 0, exitCode: scripted.exitCode };
      if (scripted.mode === 'unhealthy') {
        health = health
          ? { ...health, passes: false }
          : { passes: false, intervalS: 30, timeoutS: 5, retries: 3, startPeriodS: 0 };
      }
    }
    plans.push({
      name: def.name,
      essential,
      imageDigest: found.digest,
      ...(exit.exitCode !== undefined ? { exitAfterS: exit.exitAfterS ?? 0, exitCode: exit.exitCode } : {}),
      ...(health ? { health } : {}),
    });
  }
  return { containers: plans };
}
