// Real containers for the fakes (ECS tasks, Kubernetes pods) in the sandbox's Docker engine: pulled from the
// sandbox registry over HTTPS with a login the sandbox issues itself, run without network, labelled so that
// `stop` removes them (also from an engine the sandbox reused).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './system.ts';
import type { World } from './world.ts';

/** Same value as `CONTAINER_LABEL` in index.ts (kept here to avoid importing the lifecycle module). */
export const SANDBOX_CONTAINER_LABEL = 'ecr-deploy.sandbox';

export interface ContainerSpec {
  readonly image: string;
  /** Overrides the image's ENTRYPOINT / CMD, as ECS and Kubernetes do. */
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Extra labels (owner, task or pod name) for finding the container again. */
  readonly labels?: Readonly<Record<string, string>>;
}

export type PullResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** The engine side of the fakes. Every call has a bounded time; failures are reported, never thrown away. */
export class ContainerRuntime {
  private readonly world: World;
  private readonly dockerHost: string;
  private readonly dockerConfig: string;

  constructor(world: World, dockerHost: string) {
    this.world = world;
    this.dockerHost = dockerHost;
    // A private Docker config with a registry login the sandbox issues to itself (12 h, like ECR's).
    this.dockerConfig = join(world.config.dir, 'run', 'runtime-docker-config');
    mkdirSync(this.dockerConfig, { recursive: true, mode: 0o700 });
    const password = randomBytes(24).toString('base64url');
    world.passwords.set(password, new Date(Date.now() + 12 * 3600_000));
    const auth = Buffer.from(`AWS:${password}`).toString('base64');
    writeFileSync(
      join(this.dockerConfig, 'config.json'),
      JSON.stringify({ auths: { [`127.0.0.1:${world.config.proxyPort}`]: { auth } } }),
      { mode: 0o600 },
    );
  }

  private docker(args: string[], timeoutMs = 60_000) {
    return run('docker', args, {
      env: { ...process.env, DOCKER_HOST: this.dockerHost, DOCKER_CONFIG: this.dockerConfig },
      timeoutMs,
    });
  }

  /** Pulls the image; a missing image gives the engine's own message ("… not found", "manifest unknown"). */
  async pull(image: string): Promise<PullResult> {
    const r = await this.docker(['pull', '--quiet', image], 120_000);
    return r.code === 0
      ? { ok: true }
      : { ok: false, message: (r.stderr || r.stdout).trim().split('\n').at(-1) ?? '' };
  }

  /** Starts the container detached, with no network; returns its id. */
  async start(spec: ContainerSpec): Promise<string> {
    const args = [
      'run',
      '--detach',
      '--network',
      'none',
      '--label',
      `${SANDBOX_CONTAINER_LABEL}=${this.world.config.dir}`,
    ];
    for (const [k, v] of Object.entries(spec.labels ?? {})) args.push('--label', `${k}=${v}`);
    for (const [k, v] of Object.entries(spec.env ?? {})) args.push('--env', `${k}=${v}`);
    const [entry, ...entryArgs] = spec.entrypoint ?? [];
    if (entry !== undefined) args.push('--entrypoint', entry);
    args.push(spec.image, ...entryArgs, ...(spec.command ?? []));
    const r = await this.docker(args);
    if (r.code !== 0) throw new Error(`docker run ${spec.image}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  }

  /** Running, or exited with a code. */
  async inspect(id: string): Promise<{ running: boolean; exitCode: number | undefined }> {
    const r = await this.docker(
      ['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', id],
      15_000,
    );
    if (r.code !== 0) return { running: false, exitCode: undefined };
    const [running, code] = r.stdout.trim().split(' ');
    return { running: running === 'true', exitCode: running === 'true' ? undefined : Number(code) };
  }

  /** Runs a probe or health-check command inside the container; its exit code. */
  async exec(id: string, command: readonly string[], timeoutMs = 10_000): Promise<number> {
    return (await this.docker(['exec', id, ...command], timeoutMs)).code;
  }

  async logs(id: string, tail = 50): Promise<string> {
    const r = await this.docker(['logs', '--tail', String(tail), id], 15_000);
    return `${r.stdout}${r.stderr}`;
  }

  async stop(id: string, timeoutSeconds = 2): Promise<void> {
    await this.docker(['stop', '--time', String(timeoutSeconds), id], 30_000);
  }

  async remove(id: string): Promise<void> {
    await this.docker(['rm', '--force', id], 30_000);
  }
}

/** The world's runtime once the engine is known; undefined = the fakes simulate. */
export function containerRuntime(world: World): ContainerRuntime | undefined {
  if (!world.dockerHost) return undefined;
  const cached = runtimes.get(world);
  if (cached) return cached;
  const runtime = new ContainerRuntime(world, world.dockerHost);
  runtimes.set(world, runtime);
  return runtime;
}
const runtimes = new WeakMap<World, ContainerRuntime>();
