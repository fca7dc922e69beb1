// Simulated kubelet + container runtime of the sandbox cluster's single node. Images are resolved against the
// sandbox registry (the real registry behind the ECR proxy): a reference that is not there cannot be pulled
// (ErrImagePull → ImagePullBackOff with back-off 10 s doubling to 300 s). A pulled container "runs" the image
// config's entrypoint + cmd (printed to its log) and keeps running unless a per-image script says otherwise:
// exit with a code after a delay (→ restarts with CrashLoopBackOff, back-off 10 s doubling to 300 s, reset
// after 10 min running), never pass its readiness probe, start slowly, or log given lines. Init containers run
// one after another before the app containers and exit 0 (unless scripted). Durations are multiplied by the
// cluster's time scale. Messages follow kubelet's wording (pkg/kubelet/images, kuberuntime).
//
// With the sandbox's Docker engine known (`containerRuntime(world)`) and the cluster's runtime `containers`
// (the default), an image without a script runs for real: `docker pull` (failure → ErrImagePull), one
// container per start (no network, labelled like kubelet's dockershim containers), exit codes from the engine,
// readiness `exec` probes through `docker exec`, `/log` from `docker logs`. Docker calls are asynchronous and
// bounded, never on the tick; pull and start take real time, probe periods and back-offs follow the time scale.
import { containerRuntime, type ContainerRuntime } from '../containers.ts';
import type { World } from '../world.ts';
import { clone, nowIso, type Json, type KObject } from './model.ts';
import type { EventRecorder } from './events.ts';
import type { Store } from './store.ts';

export const NODE_NAME = 'sandbox-node-1';
/** The cluster's nodes: every pod runs on the first unless its spec names another (DaemonSet pods). */
export const NODE_NAMES = [NODE_NAME, 'sandbox-node-2'];
const NODE_IP = '10.0.0.10';
const KUBELET = { component: 'kubelet', host: NODE_NAME };

export interface ImageScript {
  /** The container exits with this code `crashAfterSeconds` after starting (0 = completes). */
  exitCode?: number;
  crashAfterSeconds?: number;
  /** Log lines the container prints after starting. */
  logs?: string[];
  /** The readiness probe never succeeds. */
  neverReady?: boolean;
  /** Extra seconds between the image being pulled and the container running (slow start). */
  startDelaySeconds?: number;
  /** Seconds the pull takes (default 1). */
  pullSeconds?: number;
  /** The pull fails although the image exists (e.g. "unauthorized"). */
  pullError?: string;
}

export interface RuntimeHost {
  store: Store;
  events: EventRecorder;
  world: World;
  /** Real milliseconds per simulated second. */
  ms(seconds: number): number;
  scriptFor(image: string): ImageScript;
  /** The cluster's name (a label of its real containers). */
  name: string;
  /** `containers`: real containers when the engine is known; `simulated`: never. */
  runtimeMode(): RuntimeMode;
}

export type RuntimeMode = 'containers' | 'simulated';

/** Real-time bounds of the real runtime (docker calls are not scaled). */
const POLL_MS = 400;
const PROBE_MIN_MS = 300;
const PROBE_TIMEOUT_MIN_MS = 5_000;

interface ResolvedImage {
  ok: boolean;
  error?: string;
  digest?: string;
  size?: number;
  command?: string[];
}

interface ContainerRun {
  name: string;
  init: boolean;
  spec: Json;
  stage: 'waiting-pull' | 'pulling' | 'pull-backoff' | 'creating' | 'running' | 'crash-backoff' | 'done';
  next: number;
  pullFailures: number;
  restarts: number;
  crashBackoffSeconds: number;
  startedAt?: number;
  readyAt?: number;
  ready: boolean;
  state: Json;
  lastState: Json;
  imageID: string;
  containerID: string;
  logs: string[];
  previousLogs?: string[];
  probeFailures: number;
  resolved?: ResolvedImage;
  /** A docker call for this container is in flight (the tick leaves it alone). */
  busy?: boolean;
  /** The real container of the current instance (undefined = simulated or not running). */
  realId?: string;
  nextProbe?: number;
}

interface PodRun {
  namespace: string;
  name: string;
  uid: string;
  scheduledAt: number;
  scheduled: boolean;
  init: ContainerRun[];
  app: ContainerRun[];
  deletingAt?: number;
  startTime?: string;
  conditionTimes: Record<string, string>;
  busy: boolean;
  /** Deleted / replaced: its real containers are being removed; late docker answers are discarded. */
  gone?: boolean;
}

function hex(n: number): string {
  let s = '';
  while (s.length < n) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

function parseRef(image: string): { host: string; repo: string; reference: string } {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  let path = hasHost ? rest.slice(slash + 1) : rest;
  let tag = 'latest';
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  return { host, repo: path, reference: digest ?? tag };
}

export class PodRuntime {
  private readonly host: RuntimeHost;
  private readonly runs = new Map<string, PodRun>();
  /** Images present on the node (pulled once): ref → resolved. */
  private readonly present = new Map<string, ResolvedImage>();
  /** Images pulled into the real engine. */
  private readonly pulledReal = new Set<string>();
  /** Every real container started and not yet removed (removed on close). */
  private readonly live = new Set<string>();
  private closed = false;

  constructor(host: RuntimeHost) {
    this.host = host;
  }

  private key(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  /** Container logs for /log: current instance, or the previous (terminated) one. */
  async logs(
    ns: string,
    pod: string,
    container: string,
    previous: boolean,
  ): Promise<string[] | { error: string }> {
    const run = this.runs.get(this.key(ns, pod));
    const c = run && [...run.init, ...run.app].find((x) => x.name === container);
    if (!run || !c) return { error: `container ${container} is not valid for pod ${pod}` };
    if (previous) {
      if (!c.previousLogs)
        return { error: `previous terminated container "${container}" in pod "${pod}" not found` };
      return c.previousLogs;
    }
    if (c.startedAt === undefined) {
      const reason = c.state.waiting?.reason ?? 'ContainerCreating';
      const why =
        reason === 'ErrImagePull' || reason === 'ImagePullBackOff'
          ? 'trying and failing to pull image'
          : reason;
      return { error: `container "${container}" in pod "${pod}" is waiting to start: ${why}` };
    }
    const rt = this.engine();
    if (c.realId && rt) return lines(await rt.logs(c.realId, 100_000));
    return c.logs;
  }

  /** The engine for real containers, when the cluster uses it and it is known. */
  private engine(): ContainerRuntime | undefined {
    if (this.closed || this.host.runtimeMode() !== 'containers') return undefined;
    return containerRuntime(this.host.world);
  }

  /** The engine for this image: scripted images stay simulated (scripts take precedence). */
  private engineFor(image: string): ContainerRuntime | undefined {
    return Object.keys(this.host.scriptFor(image)).length > 0 ? undefined : this.engine();
  }

  private alive(run: PodRun): boolean {
    return !run.gone && !this.closed && this.runs.get(this.key(run.namespace, run.name)) === run;
  }

  /** Stops and removes a real container (asynchronously; failures only logged). */
  private discard(id: string): void {
    const rt = containerRuntime(this.host.world);
    if (!rt) return;
    void rt
      .stop(id, 1)
      .catch(() => undefined)
      .then(() => rt.remove(id))
      .then(
        () => this.live.delete(id),
        (e: unknown) => console.error(`[sandbox eks ${this.host.name}] remove ${id}:`, e),
      );
  }

  /** The pod is gone (deleted, replaced or the cluster closed): remove its real containers. */
  private release(run: PodRun): void {
    run.gone = true;
    for (const c of [...run.init, ...run.app]) {
      if (c.realId) this.discard(c.realId);
      c.realId = undefined;
    }
  }

  /** Cluster deleted: every real container it started is removed; nothing new starts. */
  close(): void {
    this.closed = true;
    for (const run of this.runs.values()) this.release(run);
    for (const id of this.live) this.discard(id);
  }

  /** One step of the simulated kubelet: called on every tick. */
  tick(): void {
    const now = Date.now();
    const pods = this.host.store.list('pods');
    const seen = new Set<string>();
    for (const pod of pods) {
      const k = this.key(pod.metadata.namespace!, pod.metadata.name);
      seen.add(k);
      let run = this.runs.get(k);
      if (!run || run.uid !== pod.metadata.uid) {
        if (run) this.release(run);
        run = this.admit(pod, now);
        this.runs.set(k, run);
      }
      if (run.busy) continue;
      this.step(run, pod, now);
    }
    for (const [k, run] of this.runs) {
      if (seen.has(k)) continue;
      this.release(run);
      this.runs.delete(k);
    }
  }

  private admit(pod: KObject, now: number): PodRun {
    const mk = (spec: Json, init: boolean): ContainerRun =>
      ({
        name: spec.name,
        init,
        spec,
        stage: 'waiting-pull',
        next: 0,
        pullFailures: 0,
        restarts: 0,
        crashBackoffSeconds: 0,
        ready: false,
        state: { waiting: { reason: init ? 'PodInitializing' : 'ContainerCreating' } },
        lastState: {},
        imageID: '',
        containerID: '',
        logs: [],
        probeFailures: 0,
        probe: undefined,
      }) as ContainerRun;
    return {
      namespace: pod.metadata.namespace!,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
      scheduledAt: now + this.host.ms(0.1),
      scheduled: false,
      init: (pod.spec?.initContainers ?? []).map((c: Json) => mk(c, true)),
      app: (pod.spec?.containers ?? []).map((c: Json) => mk(c, false)),
      conditionTimes: {},
      busy: false,
    };
  }

  private event(
    pod: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    c?: ContainerRun,
  ): void {
    const fieldPath = c ? `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}` : undefined;
    this.host.events.record(pod, type, reason, message, KUBELET, fieldPath);
  }

  private step(run: PodRun, pod: KObject, now: number): void {
    const ms = (s: number) => this.host.ms(s);
    if (pod.metadata.deletionTimestamp) {
      if (run.deletingAt === undefined) {
        run.deletingAt = now + ms(1);
        for (const c of run.app)
          if (c.startedAt !== undefined && c.stage === 'running')
            this.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, c);
        this.release(run);
      } else if (now >= run.deletingAt) {
        this.host.store.delete('pods', run.namespace, run.name);
        this.runs.delete(this.key(run.namespace, run.name));
      }
      return;
    }
    if (!run.scheduled) {
      if (now < run.scheduledAt) return;
      run.scheduled = true;
      run.startTime = nowIso();
      run.conditionTimes.PodScheduled = run.startTime;
      const node = NODE_NAMES.includes(pod.spec.nodeName) ? (pod.spec.nodeName as string) : NODE_NAME;
      pod.spec.nodeName = node;
      this.host.events.record(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${run.namespace}/${run.name} to ${node}`,
        {
          component: 'default-scheduler',
        },
      );
      this.write(run, pod);
      return;
    }
    // Init containers one after another, then all app containers.
    const pendingInit = run.init.find((c) => c.stage !== 'done');
    const active = pendingInit ? [pendingInit] : run.app;
    let changed = false;
    for (const c of active) {
      if (c.busy || now < c.next) continue;
      changed = this.advance(run, pod, c, now) || changed;
    }
    if (changed) this.write(run, pod);
  }

  /** Advances one container; returns whether the pod status changed. */
  private advance(run: PodRun, pod: KObject, c: ContainerRun, now: number): boolean {
    const ms = (s: number) => this.host.ms(s);
    const image: string = c.spec.image ?? '';
    const script = this.host.scriptFor(image);
    switch (c.stage) {
      case 'waiting-pull':
      case 'pull-backoff': {
        const policy = c.spec.imagePullPolicy ?? 'IfNotPresent';
        const cached = this.present.get(image);
        const rt = this.engineFor(image);
        if (cached && policy !== 'Always' && (!rt || this.pulledReal.has(image))) {
          c.resolved = cached;
          this.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`, c);
          return this.created(pod, c, now, script);
        }
        c.stage = 'pulling';
        this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, c);
        run.busy = true;
        const began = Date.now();
        void this.resolve(image, script)
          .then(async (resolved): Promise<ResolvedImage> => {
            if (!resolved.ok || !rt) return resolved;
            // The real pull (real time): the engine's own message on failure.
            const pulled = await rt
              .pull(image)
              .catch((e: unknown) => ({ ok: false as const, message: String(e) }));
            if (!pulled.ok) return { ok: false, error: `rpc error: code = Unknown desc = ${pulled.message}` };
            this.pulledReal.add(image);
            return resolved;
          })
          .then((resolved) => {
            const delay = rt ? 0 : Math.max(0, ms(script.pullSeconds ?? 1) - (Date.now() - began));
            setTimeout(() => {
              run.busy = false;
              const current = this.host.store.get('pods', run.namespace, run.name);
              if (!current || current.metadata.uid !== run.uid) return;
              this.pulled(run, current, c, resolved, (Date.now() - began) / 1000);
            }, delay);
          });
        return false;
      }
      case 'creating': {
        const rt = this.engineFor(image);
        if (rt) {
          this.startReal(run, c, rt);
          return false;
        }
        c.stage = 'running';
        c.startedAt = now;
        c.containerID = `containerd://${hex(64)}`;
        c.state = { running: { startedAt: nowIso() } };
        c.logs = [
          `[sandbox] exec ${(c.resolved?.command ?? []).join(' ') || '(image has no command)'}`,
          ...(script.logs ?? []),
        ];
        this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, c);
        const exitAfter =
          script.exitCode !== undefined || c.init ? ms(script.crashAfterSeconds ?? 0.5) : undefined;
        if (exitAfter !== undefined) c.next = now + exitAfter;
        else c.next = now + ms(this.readinessDelay(c));
        c.readyAt = undefined;
        return true;
      }
      case 'running': {
        if (c.realId) {
          const rt = this.engine();
          if (rt) this.checkReal(run, c, c.realId, rt);
          return false;
        }
        const exitCode = script.exitCode ?? (c.init ? 0 : undefined);
        if (exitCode !== undefined) return this.exited(run, pod, c, exitCode, now);
        // Readiness probe.
        const probe = c.spec.readinessProbe;
        if (!c.ready) {
          if (probe && script.neverReady) {
            c.probeFailures += 1;
            this.event(pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${this.probeFailure(probe)}`, c);
            c.next = now + ms(probe.periodSeconds ?? 10);
            return false;
          }
          c.ready = true;
          c.state.running.startedAt ??= nowIso();
          return true;
        }
        c.next = now + ms(3600);
        return false;
      }
      case 'crash-backoff': {
        c.stage = 'creating';
        this.event(pod, 'Normal', 'Created', `Created container: ${c.name}`, c);
        return this.advance(run, pod, c, now);
      }
      default:
        return false;
    }
  }

  private current(run: PodRun): KObject | undefined {
    if (!this.alive(run)) return undefined;
    const pod = this.host.store.get('pods', run.namespace, run.name);
    return pod && pod.metadata.uid === run.uid && !pod.metadata.deletionTimestamp ? pod : undefined;
  }

  /** Starts the container for real: Kubernetes `command` replaces ENTRYPOINT (and CMD), `args` replace CMD. */
  private startReal(run: PodRun, c: ContainerRun, rt: ContainerRuntime): void {
    const spec = c.spec;
    const env: Record<string, string> = {};
    for (const e of (spec.env ?? []) as Json[])
      if (typeof e?.name === 'string' && typeof e.value === 'string') env[e.name] = e.value;
    const list = (v: unknown): string[] | undefined =>
      Array.isArray(v) && v.length > 0 ? v.map(String) : undefined;
    c.busy = true;
    rt.start({
      image: spec.image,
      entrypoint: list(spec.command),
      command: list(spec.args),
      env,
      labels: {
        'ecr-deploy.sandbox.eks-cluster': this.host.name,
        'io.kubernetes.pod.namespace': run.namespace,
        'io.kubernetes.pod.name': run.name,
        'io.kubernetes.pod.uid': run.uid,
        'io.kubernetes.container.name': c.name,
      },
    }).then(
      (id) => {
        c.busy = false;
        this.live.add(id);
        const pod = this.current(run);
        if (!pod) return this.discard(id);
        const now = Date.now();
        c.realId = id;
        c.stage = 'running';
        c.startedAt = now;
        c.containerID = `docker://${id}`;
        c.state = { running: { startedAt: nowIso() } };
        c.logs = [];
        c.ready = false;
        c.readyAt = undefined;
        c.probeFailures = 0;
        c.nextProbe = now + this.host.ms(this.readinessDelay(c));
        c.next = now;
        this.event(pod, 'Normal', 'Started', `Started container ${c.name}`, c);
        this.write(run, pod);
      },
      (e: unknown) => {
        c.busy = false;
        const pod = this.current(run);
        if (!pod) return;
        // As kubelet reports a container that could not start (e.g. executable not found): StartError, 128.
        const message = (e instanceof Error ? e.message : String(e)).replace(/^docker run [^:]*: /, '');
        this.event(pod, 'Warning', 'Failed', `Error: ${message}`, c);
        c.containerID = '';
        c.logs = [];
        this.exited(run, pod, c, 128, Date.now(), 'StartError', message);
        this.write(run, pod);
      },
    );
  }

  /** Polls the real container (exit → terminated, restart) and runs its readiness probe when due. */
  private checkReal(run: PodRun, c: ContainerRun, id: string, rt: ContainerRuntime): void {
    c.busy = true;
    const ms = (s: number) => this.host.ms(s);
    const check = async (): Promise<void> => {
      const st = await rt.inspect(id);
      if (!this.alive(run) || c.realId !== id) return;
      if (!st.running) {
        c.logs = lines(await rt.logs(id, 100_000));
        const pod = this.current(run);
        c.realId = undefined;
        this.discard(id);
        if (!pod) return;
        // inspect failed (the container vanished): kubelet's ContainerStatusUnknown, 137.
        if (st.exitCode === undefined) this.exited(run, pod, c, 137, Date.now(), 'ContainerStatusUnknown');
        else this.exited(run, pod, c, st.exitCode, Date.now());
        this.write(run, pod);
        return;
      }
      const probe = c.spec.readinessProbe;
      let changed = false;
      const now = Date.now();
      if (!probe) {
        changed = !c.ready;
        c.ready = true;
      } else if (now >= (c.nextProbe ?? 0)) {
        c.nextProbe = now + Math.max(PROBE_MIN_MS, ms(probe.periodSeconds ?? 10));
        let failure: string | undefined;
        if (Array.isArray(probe.exec?.command)) {
          const timeout = Math.max(PROBE_TIMEOUT_MIN_MS, ms(probe.timeoutSeconds ?? 1));
          const code = await rt.exec(id, probe.exec.command.map(String), timeout);
          if (code !== 0) failure = `command terminated with non-zero exit code: ${code}`;
        } // httpGet / tcpSocket: the container has no network; such probes pass once it runs (documented).
        if (!this.alive(run) || c.realId !== id) return;
        if (failure === undefined) {
          c.probeFailures = 0;
          changed = !c.ready;
          c.ready = true;
        } else {
          c.probeFailures += 1;
          const pod = this.current(run);
          if (pod) this.event(pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${failure}`, c);
          if (c.ready && c.probeFailures >= (probe.failureThreshold ?? 3)) {
            c.ready = false;
            changed = true;
          }
        }
      }
      c.next = Math.min(Date.now() + POLL_MS, Math.max(Date.now(), c.nextProbe ?? 0));
      if (changed) {
        const pod = this.current(run);
        if (pod) this.write(run, pod);
      }
    };
    check()
      .catch((e: unknown) => console.error(`[sandbox eks ${this.host.name}] container ${id}:`, e))
      .finally(() => {
        c.busy = false;
      });
  }

  private probeFailure(probe: Json): string {
    if (probe.httpGet) return `HTTP probe failed with statuscode: 503`;
    if (probe.tcpSocket) return `dial tcp ${NODE_IP}:${probe.tcpSocket.port}: connect: connection refused`;
    return 'command terminated with non-zero exit code: 1';
  }

  private readinessDelay(c: ContainerRun): number {
    const probe = c.spec.readinessProbe;
    if (!probe) return 0;
    return probe.initialDelaySeconds ?? 0;
  }

  private created(pod: KObject, c: ContainerRun, now: number, script: ImageScript): boolean {
    c.stage = 'creating';
    c.imageID = `${c.spec.image.split('@')[0].replace(/:[^/:]*$/, '')}@${c.resolved?.digest ?? ''}`;
    c.state = { waiting: { reason: c.init ? 'PodInitializing' : 'ContainerCreating' } };
    this.event(pod, 'Normal', 'Created', `Created container: ${c.name}`, c);
    c.next = now + this.host.ms(0.2 + (script.startDelaySeconds ?? 0));
    return true;
  }

  private pulled(run: PodRun, pod: KObject, c: ContainerRun, resolved: ResolvedImage, seconds: number): void {
    const image: string = c.spec.image;
    const now = Date.now();
    if (resolved.ok) {
      c.resolved = resolved;
      c.pullFailures = 0;
      this.present.set(image, resolved);
      const s = `${seconds.toFixed(3)}s`;
      this.event(
        pod,
        'Normal',
        'Pulled',
        `Successfully pulled image "${image}" in ${s} (${s} including waiting). Image size: ${resolved.size ?? 0} bytes.`,
        c,
      );
      this.created(pod, c, now, this.host.scriptFor(image));
      this.write(run, pod);
      return;
    }
    c.pullFailures += 1;
    const err = resolved.error ?? 'not found';
    this.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${err}`, c);
    this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', c);
    c.stage = 'pull-backoff';
    c.state = { waiting: { reason: 'ErrImagePull', message: err } };
    this.write(run, pod);
    const backoff = Math.min(300, 10 * 2 ** (c.pullFailures - 1));
    // kubelet reports ErrImagePull, then ImagePullBackOff on the next sync while the back-off lasts.
    setTimeout(
      () => {
        const current = this.host.store.get('pods', run.namespace, run.name);
        if (!current || current.metadata.uid !== run.uid || c.stage !== 'pull-backoff') return;
        c.state = {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${image}": ErrImagePull: ${err}`,
          },
        };
        this.event(current, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, c);
        this.event(current, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
        this.write(run, current);
      },
      // At least 300 ms of real time, so that a client polling the pod can see ErrImagePull (assumed).
      Math.min(this.host.ms(backoff), Math.max(300, this.host.ms(Math.min(1, backoff / 2)))),
    );
    c.next = now + this.host.ms(backoff);
  }

  private exited(
    run: PodRun,
    pod: KObject,
    c: ContainerRun,
    exitCode: number,
    now: number,
    reason?: string,
    message?: string,
  ): boolean {
    const finishedAt = nowIso();
    const terminated = {
      exitCode,
      reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
      ...(message ? { message } : {}),
      startedAt: c.state.running?.startedAt ?? finishedAt,
      finishedAt,
      containerID: c.containerID,
    };
    c.ready = false;
    c.previousLogs = [...c.logs];
    if (c.init && exitCode === 0) {
      c.stage = 'done';
      c.state = { terminated };
      return true;
    }
    const restartPolicy = pod.spec.restartPolicy ?? 'Always';
    if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && exitCode === 0)) {
      c.stage = 'done';
      c.state = { terminated };
      return true;
    }
    c.restarts += 1;
    c.lastState = { terminated };
    // Back-off doubles from 10 s to 300 s (reset after the container ran 10 minutes).
    const ranFor = (now - (c.startedAt ?? now)) / this.host.ms(1);
    c.crashBackoffSeconds =
      ranFor > 600 ? 10 : Math.min(300, c.crashBackoffSeconds ? c.crashBackoffSeconds * 2 : 10);
    c.startedAt = undefined;
    c.stage = 'crash-backoff';
    c.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${c.crashBackoffSeconds}s restarting failed container=${c.name} pod=${run.name}_${run.namespace}(${run.uid})`,
      },
    };
    this.event(
      pod,
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${c.name} in pod ${run.name}_${run.namespace}(${run.uid})`,
      c,
    );
    c.next = now + this.host.ms(c.crashBackoffSeconds);
    return true;
  }

  private async resolve(image: string, script: ImageScript): Promise<ResolvedImage> {
    if (script.pullError) return { ok: false, error: script.pullError };
    const { host, repo, reference } = parseRef(image);
    const registryHost = this.host.world.registryHost;
    const port = registryHost.split(':')[1];
    const notFound = {
      ok: false,
      error: `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
    };
    if (host !== registryHost && host !== `localhost:${port}`) {
      return {
        ok: false,
        error: `rpc error: code = Unknown desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": failed to do request: Head "https://${host}/v2/${repo}/manifests/${reference}": dial tcp: lookup ${host.split(':')[0]}: no such host`,
      };
    }
    try {
      const manifest = await this.host.world.registry.getManifest(repo, reference);
      if (!manifest) return notFound;
      let doc = JSON.parse(manifest.body.toString('utf8')) as Json;
      if (doc.manifests) {
        const child =
          doc.manifests.find(
            (m: Json) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64',
          ) ?? doc.manifests[0];
        const sub = child ? await this.host.world.registry.getManifest(repo, child.digest) : undefined;
        if (!sub)
          return {
            ok: false,
            error: `rpc error: code = NotFound desc = no match for platform in manifest: not found`,
          };
        doc = JSON.parse(sub.body.toString('utf8')) as Json;
      }
      const size = (doc.layers ?? []).reduce((n: number, l: Json) => n + (l.size ?? 0), 0);
      let command: string[] | undefined;
      if (doc.config?.digest) {
        const blob = await this.host.world.registry.call('GET', `/v2/${repo}/blobs/${doc.config.digest}`, {
          repository: repo,
        });
        if (blob.status === 200) {
          const config = JSON.parse(blob.body.toString('utf8')) as Json;
          command = [...(config.config?.Entrypoint ?? []), ...(config.config?.Cmd ?? [])];
        }
      }
      return { ok: true, digest: manifest.digest, size, command };
    } catch {
      return notFound;
    }
  }

  private write(run: PodRun, pod: KObject): void {
    const fresh = this.host.store.get('pods', run.namespace, run.name);
    if (!fresh || fresh.metadata.uid !== run.uid || fresh.metadata.deletionTimestamp) return;
    const before = JSON.stringify(fresh.status ?? {});
    if (pod.spec?.nodeName) fresh.spec.nodeName = pod.spec.nodeName;
    fresh.status = this.status(run, fresh);
    if (JSON.stringify(fresh.status) !== before || pod.spec?.nodeName) this.host.store.put('pods', fresh);
  }

  private containerStatus(c: ContainerRun): Json {
    return {
      name: c.name,
      state: clone(c.state),
      lastState: clone(c.lastState),
      ready: c.ready,
      restartCount: c.restarts,
      image: c.spec.image,
      imageID: c.imageID,
      ...(c.containerID ? { containerID: c.containerID } : {}),
      started: c.stage === 'running',
    };
  }

  private status(run: PodRun, pod: KObject): Json {
    const prev = pod.status ?? {};
    const t = (type: string, value: boolean): Json => {
      const key = `${type}=${value}`;
      const last = (prev.conditions ?? []).find((x: Json) => x.type === type);
      const lastTransitionTime =
        last && last.status === (value ? 'True' : 'False') ? last.lastTransitionTime : nowIso();
      run.conditionTimes[key] = lastTransitionTime;
      return { type, status: value ? 'True' : 'False', lastProbeTime: null, lastTransitionTime };
    };
    const initialized = run.init.every((c) => c.stage === 'done');
    const containersReady = initialized && run.app.every((c) => c.ready);
    const anyRunning = run.app.some((c) => c.stage === 'running') || run.app.some((c) => c.restarts > 0);
    const allDone = run.app.length > 0 && run.app.every((c) => c.stage === 'done');
    const phase = allDone
      ? run.app.every((c) => c.state.terminated?.exitCode === 0)
        ? 'Succeeded'
        : 'Failed'
      : initialized && anyRunning
        ? 'Running'
        : 'Pending';
    const conditions = run.scheduled
      ? [
          t('PodReadyToStartContainers', true),
          t('Initialized', initialized),
          t('Ready', containersReady),
          t('ContainersReady', containersReady),
          t('PodScheduled', true),
        ]
      : [t('PodScheduled', false)];
    const notReady = run.app.filter((c) => !c.ready).map((c) => c.name);
    for (const cond of conditions) {
      if ((cond.type === 'Ready' || cond.type === 'ContainersReady') && cond.status === 'False') {
        cond.reason = 'ContainersNotReady';
        cond.message = `containers with unready status: [${notReady.join(' ')}]`;
      }
      if (cond.type === 'Initialized' && cond.status === 'False') {
        cond.reason = 'ContainersNotInitialized';
        cond.message = `containers with incomplete status: [${run.init
          .filter((c) => c.stage !== 'done')
          .map((c) => c.name)
          .join(' ')}]`;
      }
    }
    return {
      phase,
      conditions,
      ...(run.scheduled
        ? {
            hostIP: NODE_IP,
            hostIPs: [{ ip: NODE_IP }],
            podIP: podIp(run.uid),
            podIPs: [{ ip: podIp(run.uid) }],
            startTime: run.startTime,
          }
        : {}),
      ...(run.init.length ? { initContainerStatuses: run.init.map((c) => this.containerStatus(c)) } : {}),
      ...(run.scheduled ? { containerStatuses: run.app.map((c) => this.containerStatus(c)) } : {}),
      qosClass: 'BestEffort',
    };
  }
}

/** `docker logs` output as log lines (no trailing empty line). */
function lines(out: string): string[] {
  const l = out.split('\n');
  if (l.at(-1) === '') l.pop();
  return l;
}

function podIp(uid: string): string {
  const n = parseInt(uid.replace(/-/g, '').slice(0, 4), 16);
  return `10.0.${(n >> 8) & 255}.${n & 255 || 1}`;
}
