// Real containers for the fake ECS: when the sandbox's Docker engine is known, the essential container of a task
// runs as a real container of its image (no network) through sandbox/containers.ts. The task lifecycle in
// state.ts reads what is recorded here: started / failed to pull or start, exited with a code, health check
// results, stopped and removed. Every docker call is asynchronous and bounded (the scheduler tick never waits
// for one); exits are found by one batched `docker inspect` per poll for all running containers.
import { containerRuntime, type ContainerRuntime } from '../../containers.ts';
import { run } from '../../system.ts';
import { appendContainerLog } from '../logs.ts';
import type { ContainerDefinition, Task } from './model.ts';
import type { HealthCheckPlan } from './runtime.ts';
import type { EcsState } from './state.ts';

export type RuntimeMode = 'real' | 'simulated';

/** `SANDBOX_ECS_RUNTIME=simulated` in the sandbox server's environment opts out of real containers. */
export function defaultRuntimeMode(env: NodeJS.ProcessEnv = process.env): RuntimeMode {
  return env.SANDBOX_ECS_RUNTIME?.trim().toLowerCase() === 'simulated' ? 'simulated' : 'real';
}

/** Label with the task ARN on each container (besides the sandbox label that `stopSandbox` removes by). */
export const ECS_TASK_LABEL = 'ecr-deploy.sandbox.ecs-task';
export const ECS_CONTAINER_LABEL = 'ecr-deploy.sandbox.ecs-container';

/** What the real essential container of a task did; written asynchronously, read by the tick. */
export interface RealContainer {
  /** Container name in the task definition. */
  name: string;
  phase: 'starting' | 'running' | 'exited' | 'failed';
  id?: string;
  exitCode?: number;
  /** `CannotPullContainerError: …` / `CannotStartContainerError: …` when it never ran. */
  error?: string;
  health?: 'HEALTHY' | 'UNHEALTHY';
  /** Wall time of the last poll that saw it running (a task counts as running successfully only from this). */
  seenRunningAt?: number;
  /** A stop was asked (StopTask, scheduler); the exit that follows is not the container's own. */
  stopping?: boolean;
  /** The asked stop finished (exit code read, container removal started). */
  stopped?: boolean;
  /** Where the awslogs driver sends the container's output (none: the definition does not use awslogs). */
  awslogs?: AwslogsTarget;
}

export interface AwslogsTarget {
  region: string;
  group: string;
  stream: string;
  createGroup: boolean;
}

type LogConfiguration = { logDriver?: string; options?: Record<string, string> };

/**
 * The stream the awslogs driver writes a container's output to: `prefix/container-name/task-id` (ECS
 * Developer Guide, "Using the awslogs log driver"). Without a prefix the stream is named after the Docker
 * container id, which no caller can know in advance; the sandbox uses the same rule.
 */
export function awslogsTarget(
  config: LogConfiguration | undefined,
  container: string,
  taskArn: string,
  containerId: string,
): AwslogsTarget | undefined {
  if (config?.logDriver !== 'awslogs') return undefined;
  const o = config.options ?? {};
  const group = o['awslogs-group'];
  if (!group) return undefined;
  const taskId = taskArn.split('/').at(-1) ?? '';
  const region = o['awslogs-region'] ?? taskArn.split(':')[3] ?? '';
  const prefix = o['awslogs-stream-prefix'];
  return {
    region,
    group,
    stream: prefix ? `${prefix}/${container}/${taskId}` : containerId,
    createGroup: o['awslogs-create-group'] === 'true',
  };
}

const POLL_MS = 200;
/** Health probes never run more often than this, whatever the time scale (a `docker exec` takes ~0.1 s). */
const MIN_PROBE_MS = 250;
/**
 * Once a container has passed, probes run at least this far apart: dozens of service tasks probed every 250 ms
 * would saturate a 2-core machine. A container that turns unhealthy later is seen within retries × this.
 */
const MIN_PROBE_MS_WHEN_HEALTHY = 5_000;
/** At most this many `docker exec` probes at once (the rest wait their turn). */
const MAX_CONCURRENT_PROBES = 2;
const INSPECT_TIMEOUT_MS = 10_000;

export class EcsContainers {
  private readonly state: EcsState;
  private readonly live = new Map<string, { task: Task; real: RealContainer }>();
  private readonly stopsStarted = new WeakSet<RealContainer>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(state: EcsState) {
    this.state = state;
  }

  /** The engine, when known and real containers are wanted for this task definition family. */
  runtimeFor(family: string): ContainerRuntime | undefined {
    const mode = this.state.runtimeByFamily.get(family) ?? this.state.runtimeMode;
    return mode === 'real' ? containerRuntime(this.state.world) : undefined;
  }

  /**
   * Pulls and starts the container in the background; `task.real` records the outcome. When the task was
   * asked to stop meanwhile, the container is stopped and removed as soon as it exists.
   */
  launch(
    rt: ContainerRuntime,
    task: Task,
    def: ContainerDefinition & {
      environment?: { name?: string; value?: string }[];
      logConfiguration?: LogConfiguration;
    },
    command: string[] | undefined,
    health: HealthCheckPlan | undefined,
  ): RealContainer {
    const real: RealContainer = { name: def.name, phase: 'starting' };
    task.real = real;
    void (async () => {
      const pulled = await rt.pull(def.image);
      if (!pulled.ok) {
        real.phase = 'failed';
        real.error = `CannotPullContainerError: ${pulled.message}`;
        return;
      }
      const env: Record<string, string> = {};
      for (const e of def.environment ?? []) if (e.name) env[e.name] = e.value ?? '';
      try {
        real.id = await rt.start({
          image: def.image,
          ...(def.entryPoint ? { entrypoint: def.entryPoint } : {}),
          ...((command ?? def.command) ? { command: command ?? def.command } : {}),
          env,
          labels: { [ECS_TASK_LABEL]: task.arn, [ECS_CONTAINER_LABEL]: def.name },
        });
      } catch (e) {
        real.phase = 'failed';
        real.error = `CannotStartContainerError: ${e instanceof Error ? e.message : String(e)}`;
        // `docker run` may have created the container before failing to start it.
        return;
      }
      real.phase = 'running';
      real.seenRunningAt = Date.now();
      const awslogs = awslogsTarget(def.logConfiguration, def.name, task.arn, real.id);
      if (awslogs) real.awslogs = awslogs;
      this.live.set(real.id, { task, real });
      this.ensurePolling();
      if (task.desiredStatus === 'STOPPED') {
        void this.stop(task);
        return;
      }
      if (health?.command) this.scheduleProbe(rt, real, health, Date.now(), 0);
    })().catch((e: unknown) => {
      real.phase = 'failed';
      real.error = `CannotStartContainerError: ${e instanceof Error ? e.message : String(e)}`;
    });
    return real;
  }

  /** Stops (grace = stopTimeout, scaled) and removes the task's container; records the exit code it reports. */
  async stop(task: Task, graceSeconds = 1): Promise<void> {
    const real = task.real;
    const rt = containerRuntime(this.state.world);
    if (!real || !rt) return;
    real.stopping = true;
    if (!real.id) return; // still starting: launch() calls stop() once it exists
    if (this.stopsStarted.has(real)) return;
    this.stopsStarted.add(real);
    const id = real.id;
    try {
      if (real.phase === 'running') {
        await rt.stop(id, graceSeconds);
        const seen = await rt.inspect(id);
        if (real.phase === 'running') {
          real.phase = 'exited';
          if (seen.exitCode !== undefined) real.exitCode = seen.exitCode;
        }
      }
    } finally {
      real.stopped = true;
      this.live.delete(id);
      await this.shipLogs(real);
      await rt.remove(id);
    }
  }

  /**
   * What the awslogs driver would have shipped: the container's stdout and stderr, line by line with Docker's
   * timestamps, into its stream. Read once the container has stopped, before it is removed (best effort: a
   * failed `docker logs` leaves the stream as it was).
   */
  private async shipLogs(real: RealContainer): Promise<void> {
    const dockerHost = this.state.world.dockerHost;
    if (!real.awslogs || !real.id || !dockerHost) return;
    const r = await run('docker', ['logs', '--timestamps', real.id], {
      env: { ...process.env, DOCKER_HOST: dockerHost },
      timeoutMs: INSPECT_TIMEOUT_MS,
    }).catch(() => undefined);
    if (!r || r.code !== 0) return;
    const lines = `${r.stdout}\n${r.stderr}`
      .split('\n')
      .map((line) => /^(\S+Z) (.*)$/.exec(line))
      .flatMap((m) => (m ? [{ timestamp: Date.parse(m[1]!), message: m[2]! }] : []))
      .filter((l) => Number.isFinite(l.timestamp));
    appendContainerLog(this.state.world, real.awslogs, lines);
  }

  /** Removes the container of a task whose container exited on its own. */
  remove(task: Task): void {
    const id = task.real?.id;
    const rt = containerRuntime(this.state.world);
    if (!id || !rt) return;
    this.live.delete(id);
    const real = task.real!;
    void this.shipLogs(real).then(() => rt.remove(id));
  }

  private probes = 0;
  private readonly probeQueue: (() => void)[] = [];

  /** Runs a probe when fewer than MAX_CONCURRENT_PROBES are running. */
  private async probeSlot(probe: () => Promise<number>): Promise<number> {
    if (this.probes >= MAX_CONCURRENT_PROBES) {
      await new Promise<void>((resolve) => this.probeQueue.push(resolve));
    }
    this.probes += 1;
    try {
      return await probe();
    } finally {
      this.probes -= 1;
      this.probeQueue.shift()?.();
    }
  }

  private ensurePolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  /** One `docker inspect` for every running container: which ones exited, with which code. */
  private async poll(): Promise<void> {
    if (this.polling) return;
    const watched = [...this.live.entries()].filter(
      ([, v]) => v.real.phase === 'running' && !v.real.stopping,
    );
    if (watched.length === 0) {
      if (this.live.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      return;
    }
    const dockerHost = this.state.world.dockerHost;
    if (!dockerHost) return;
    this.polling = true;
    const asked = Date.now();
    try {
      const r = await run(
        'docker',
        [
          'inspect',
          '--format',
          '{{.Id}} {{.State.Running}} {{.State.ExitCode}}',
          ...watched.map(([id]) => id),
        ],
        { env: { ...process.env, DOCKER_HOST: dockerHost }, timeoutMs: INSPECT_TIMEOUT_MS },
      );
      const seen = new Map<string, { running: boolean; exitCode: number }>();
      for (const line of r.stdout.split('\n')) {
        const [id, running, code] = line.trim().split(' ');
        if (id && running) seen.set(id, { running: running === 'true', exitCode: Number(code) });
      }
      const missing = /No such (?:object|container)/i.test(r.stderr);
      for (const [id, { real }] of watched) {
        if (real.phase !== 'running' || real.stopping) continue;
        const state = [...seen.entries()].find(([full]) => full.startsWith(id))?.[1];
        if (state?.running) real.seenRunningAt = asked;
        else if (state) {
          real.exitCode = state.exitCode;
          real.phase = 'exited';
        } else if (!state && missing && r.code !== 0) {
          // Removed behind our back (e.g. `docker rm -f`): the container is gone, as if killed.
          real.exitCode = 137;
          real.phase = 'exited';
        }
      }
    } finally {
      this.polling = false;
    }
  }

  /**
   * Runs the health-check command in the container every interval (scaled by the time scale, at least
   * MIN_PROBE_MS): a pass → HEALTHY; `retries` consecutive failures after the start period → UNHEALTHY.
   */
  private scheduleProbe(
    rt: ContainerRuntime,
    real: RealContainer,
    health: HealthCheckPlan,
    startedAt: number,
    failures: number,
  ): void {
    const floor = real.health === 'HEALTHY' ? MIN_PROBE_MS_WHEN_HEALTHY : MIN_PROBE_MS;
    const interval = Math.max(floor, this.state.ms(health.intervalS));
    const timer = setTimeout(() => {
      if (real.phase !== 'running' || real.stopping || !real.id) return;
      const id = real.id;
      const timeoutMs = Math.min(30_000, Math.max(2_000, this.state.ms(health.timeoutS)));
      void this.probeSlot(() => rt.exec(id, health.command!, timeoutMs)).then((code) => {
        if (real.phase !== 'running' || real.stopping) return;
        let next = failures;
        if (code === 0) {
          next = 0;
          real.health = 'HEALTHY';
        } else if (Date.now() - startedAt >= this.state.ms(health.startPeriodS)) {
          next = failures + 1;
          if (next >= health.retries) real.health = 'UNHEALTHY';
        }
        this.scheduleProbe(rt, real, health, startedAt, next);
      });
    }, interval);
    timer.unref();
  }
}
