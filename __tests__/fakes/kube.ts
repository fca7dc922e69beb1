// A scripted Kubernetes API for in-process tests of the EKS target: the calls it makes (get, list, watch,
// patch, reviews), a Deployment controller that rolls a new ReplicaSet out one pod every 2 s on a fake
// clock, watch streams with resourceVersions, and faults: an error at the n-th call, in a time window, or
// dropped/expired watches. What a pod of an image does is scripted: ready, cannot pull, crashes, stuck.
import { KubeApiError, type KubeApi, type PatchType, type WatchEvent } from '../../src/eks/kube-client.ts';
import type { FakeClock } from './clock.ts';

export type PodBehaviour = 'healthy' | 'pull-fails' | 'crashes' | 'stuck';

export const kubeErrors = {
  unavailable: () =>
    new KubeApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
  unauthorized: () => new KubeApiError(401, 'Unauthorized', 'Unauthorized'),
  forbidden: () =>
    new KubeApiError(
      403,
      'Forbidden',
      'replicasets.apps is forbidden: User "deploy" cannot list resource "replicasets"',
    ),
  gone: () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
};

interface Container {
  name: string;
  image: string;
}

interface Template {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[] };
}

interface DeploymentObject {
  metadata: {
    name: string;
    namespace: string;
    generation: number;
    resourceVersion: string;
    annotations: Record<string, string>;
  };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: Template;
    progressDeadlineSeconds: number;
  };
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
    conditions: { type: string; status: string; reason: string; message: string; lastUpdateTime?: string }[];
  };
}

interface ReplicaSetObject {
  metadata: {
    name: string;
    resourceVersion: string;
    annotations: Record<string, string>;
    labels: Record<string, string>;
  };
  spec: { replicas: number; template: Template };
  status: { conditions: { type: string; status: string }[] };
  createdAt: number;
}

interface PodObject {
  metadata: {
    name: string;
    resourceVersion: string;
    labels: Record<string, string>;
    ownerReferences: { kind: string; name: string }[];
  };
  status: {
    phase: string;
    containerStatuses: {
      name: string;
      ready: boolean;
      restartCount: number;
      state: Record<string, unknown>;
      lastState: Record<string, unknown>;
    }[];
  };
}

export interface KubeCall {
  readonly method: string;
  readonly path: string;
  readonly at: number;
  readonly error?: string;
}

type Fault = { readonly error: () => Error } & (
  | { readonly kind: 'call'; readonly index: number }
  | { readonly kind: 'window'; readonly match: RegExp; readonly from: number; readonly until: number }
);

interface Stream {
  readonly kind: 'deployments' | 'pods';
  readonly filter: (o: { metadata: { name: string; labels?: Record<string, string> } }) => boolean;
  readonly onEvent: (event: WatchEvent) => void;
  readonly end: (error?: Error) => void;
}

const NS = 'web';
const TICK_MS = 1000;

export class FakeKube implements KubeApi {
  readonly calls: KubeCall[] = [];
  /** Whether RBAC lets us patch (the access review's answer). */
  allowPatch = true;
  private readonly clock: FakeClock;
  private readonly behaviours = new Map<string, PodBehaviour>();
  private readonly deployments = new Map<string, DeploymentObject>();
  private readonly replicaSets = new Map<string, ReplicaSetObject>();
  private readonly pods = new Map<string, PodObject>();
  private readonly history: { rv: number; kind: Stream['kind']; event: WatchEvent }[] = [];
  private streams: Stream[] = [];
  private faults: Fault[] = [];
  private rv = 100;
  private podSeq = 0;
  /** Watches from a resourceVersion older than this answer 410 Gone. */
  private oldestRv = 0;
  private stopped = false;

  constructor(clock: FakeClock) {
    this.clock = clock;
    void this.run();
  }

  script(image: string, behaviour: PodBehaviour): void {
    this.behaviours.set(image, behaviour);
  }

  failCall(index: number, error: () => Error): void {
    this.faults.push({ kind: 'call', index: this.calls.length + index, error });
  }

  failBetween(match: RegExp, from: number, until: number, error: () => Error): void {
    this.faults.push({ kind: 'window', match, from, until, error });
  }

  /** Ends every open watch: gracefully, or as a dropped connection; `expire` makes resuming answer 410. */
  dropWatches(options: { error?: boolean; expire?: boolean } = {}): number {
    const open = this.streams;
    this.streams = [];
    if (options.expire) this.oldestRv = this.rv;
    for (const s of open)
      s.end(options.error ? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) : undefined);
    return open.length;
  }

  stop(): void {
    this.stopped = true;
    this.dropWatches();
  }

  addDeployment(
    name: string,
    image: string,
    options: { replicas?: number; progressDeadlineSeconds?: number } = {},
  ): void {
    const template: Template = {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'app', image }] },
    };
    const replicas = options.replicas ?? 3;
    const d: DeploymentObject = {
      metadata: {
        name,
        namespace: NS,
        generation: 1,
        resourceVersion: '',
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template,
        progressDeadlineSeconds: options.progressDeadlineSeconds ?? 600,
      },
      status: {
        observedGeneration: 1,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: 'done',
            lastUpdateTime: this.iso(),
          },
        ],
      },
    };
    this.deployments.set(name, d);
    this.changed('deployments', 'ADDED', d);
    const rs = this.newReplicaSet(d, '1');
    for (let i = 0; i < replicas; i++) this.newPod(rs, true);
  }

  /** Somebody else changes the Deployment (not through the code under test, no faults). */
  patchOutOfBand(name: string, image: string): void {
    const d = this.deployment(name);
    d.spec.template = { ...d.spec.template, spec: { containers: [{ name: 'app', image }] } };
    this.templateChanged(d);
  }

  deployment(name: string): DeploymentObject {
    const d = this.deployments.get(name);
    if (!d) throw new KubeApiError(404, 'NotFound', `deployments.apps "${name}" not found`);
    return d;
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  private enter(method: string, path: string): void {
    const index = this.calls.length;
    const now = this.clock.now();
    const fault = this.faults.find((f) =>
      f.kind === 'call'
        ? f.index === index
        : f.match.test(`${method} ${path}`) && now >= f.from && now < f.until,
    );
    if (fault) {
      const error = fault.error();
      this.calls.push({ method, path, at: now, error: error.message });
      throw error;
    }
    this.calls.push({ method, path, at: now });
  }

  async get<T>(path: string): Promise<T> {
    this.enter('GET', path);
    const url = new URL(path, 'https://kube.invalid');
    // /api[s]/<group…>/namespaces/<ns>/<kind>[/<name>[/log]]
    const parts = url.pathname.split('/').filter(Boolean);
    const at = parts.indexOf('namespaces');
    const name = parts[at + 3];
    const kind = parts[at + 4] === 'log' ? 'log' : parts[at + 2];
    const list = <O>(items: O[]) =>
      structuredClone({ metadata: { resourceVersion: String(this.rv) }, items }) as T;
    switch (kind) {
      case 'deployments':
        if (name) return structuredClone(this.deployment(name)) as T;
        return list(
          [...this.deployments.values()].filter((d) =>
            (url.searchParams.get('fieldSelector') ?? '').includes(`metadata.name=${d.metadata.name}`),
          ),
        );
      case 'replicasets': {
        if (name) {
          const rs = this.replicaSets.get(name);
          if (!rs) throw new KubeApiError(404, 'NotFound', `replicasets.apps "${name}" not found`);
          return structuredClone(rs) as T;
        }
        const app = (url.searchParams.get('labelSelector') ?? '').replace(/^app=/, '');
        return list([...this.replicaSets.values()].filter((rs) => rs.metadata.labels.app === app));
      }
      case 'pods': {
        const app = (url.searchParams.get('labelSelector') ?? '').replace(/^app=/, '');
        return list([...this.pods.values()].filter((p) => p.metadata.labels.app === app));
      }
      case 'events':
        return list([{ type: 'Warning', reason: 'Failed', message: 'Failed to pull image' }]);
      case 'log':
        return 'starting\nfatal: cannot connect to the database\n' as T;
      default:
        throw new KubeApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
    }
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    this.enter('POST', path);
    if (path.endsWith('/selfsubjectreviews')) return { status: { userInfo: { username: 'deploy' } } } as T;
    if (path.endsWith('/selfsubjectaccessreviews'))
      return { ...(body as object), status: { allowed: this.allowPatch } } as T;
    throw new KubeApiError(404, 'NotFound', path);
  }

  async patch<T>(path: string, body: unknown, type: PatchType): Promise<T> {
    this.enter('PATCH', path);
    const name = path.split('/').at(-1) ?? '';
    const d = this.deployment(name);
    if (type === 'strategic') {
      const patch = body as {
        metadata?: { annotations?: Record<string, string> };
        spec?: { template?: { spec?: { containers?: Container[] } } };
      };
      Object.assign(d.metadata.annotations, patch.metadata?.annotations ?? {});
      const containers = d.spec.template.spec.containers.map((c) => ({
        ...c,
        image: patch.spec?.template?.spec?.containers?.find((p) => p.name === c.name)?.image ?? c.image,
      }));
      const changed = JSON.stringify(containers) !== JSON.stringify(d.spec.template.spec.containers);
      d.spec.template = { ...d.spec.template, spec: { containers } };
      if (changed) this.templateChanged(d);
      else this.changed('deployments', 'MODIFIED', d);
      return structuredClone(d) as T;
    }
    if (type === 'json') {
      for (const op of body as { op: string; path: string; value: unknown }[]) {
        if (op.op === 'test' && op.path === '/metadata/generation' && op.value !== d.metadata.generation) {
          throw new KubeApiError(
            422,
            'Invalid',
            'the server rejected our request: testing value /metadata/generation failed',
          );
        }
      }
      for (const op of body as { op: string; path: string; value: unknown }[]) {
        if (op.op === 'replace' && op.path === '/spec/template')
          d.spec.template = structuredClone(op.value as Template);
        if (op.op === 'add' && op.path.startsWith('/metadata/annotations/')) {
          d.metadata.annotations['kubernetes.io/change-cause'] = String(op.value);
        }
      }
      this.templateChanged(d);
      return structuredClone(d) as T;
    }
    throw new KubeApiError(415, 'UnsupportedMediaType', type);
  }

  async watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
  ): Promise<{ stop: () => void; done: Promise<void> }> {
    this.enter('WATCH', path);
    const url = new URL(path, 'https://kube.invalid');
    const kind: Stream['kind'] = url.pathname.endsWith('/pods') ? 'pods' : 'deployments';
    const field = url.searchParams.get('fieldSelector') ?? '';
    const app = (url.searchParams.get('labelSelector') ?? '').replace(/^app=/, '');
    const filter: Stream['filter'] = (o) =>
      kind === 'deployments'
        ? field.includes(`metadata.name=${o.metadata.name}`)
        : o.metadata.labels?.app === app;
    const from = Number(url.searchParams.get('resourceVersion') || this.rv);
    let end!: (error?: Error) => void;
    const done = new Promise<void>((resolve, reject) => {
      end = (error) => (error ? reject(error) : resolve());
    });
    const stream: Stream = { kind, filter, onEvent, end };
    if (from < this.oldestRv) {
      // Too old: one ERROR event, then the server ends the stream (as the API server does).
      queueMicrotask(() => {
        onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
        end();
      });
      return { stop: () => end(), done };
    }
    this.streams.push(stream);
    // Replay what happened since `from`.
    for (const h of this.history) {
      if (h.rv > from && h.kind === kind && filter(h.event.object as never))
        onEvent(structuredClone(h.event));
    }
    return {
      stop: () => {
        this.streams = this.streams.filter((s) => s !== stream);
        end();
      },
      done,
    };
  }

  private changed(
    kind: Stream['kind'],
    type: WatchEvent['type'],
    object: { metadata: { name: string; resourceVersion: string } },
  ): void {
    this.rv += 1;
    object.metadata.resourceVersion = String(this.rv);
    const event = { type, object: structuredClone(object) as unknown as Record<string, unknown> };
    this.history.push({ rv: this.rv, kind, event });
    for (const s of this.streams)
      if (s.kind === kind && s.filter(object as never)) s.onEvent(structuredClone(event));
  }

  private newReplicaSet(d: DeploymentObject, revision: string): ReplicaSetObject {
    const rs: ReplicaSetObject = {
      metadata: {
        name: `${d.metadata.name}-${revision}`,
        resourceVersion: '',
        annotations: { 'deployment.kubernetes.io/revision': revision },
        labels: { app: d.metadata.name },
      },
      spec: { replicas: 0, template: structuredClone(d.spec.template) },
      status: { conditions: [] },
      createdAt: this.clock.now(),
    };
    this.replicaSets.set(rs.metadata.name, rs);
    return rs;
  }

  private newPod(rs: ReplicaSetObject, ready: boolean): void {
    this.podSeq += 1;
    const pod: PodObject = {
      metadata: {
        name: `${rs.metadata.name}-p${this.podSeq}`,
        resourceVersion: '',
        labels: { app: rs.metadata.labels.app ?? '' },
        ownerReferences: [{ kind: 'ReplicaSet', name: rs.metadata.name }],
      },
      status: {
        phase: ready ? 'Running' : 'Pending',
        containerStatuses: [
          {
            name: 'app',
            ready,
            restartCount: 0,
            state: ready ? { running: {} } : { waiting: { reason: 'ContainerCreating' } },
            lastState: {},
          },
        ],
      },
    };
    this.pods.set(pod.metadata.name, pod);
    this.changed('pods', 'ADDED', pod);
  }

  /** A new template: the next generation, and the ReplicaSet of that template (an old one, or a new revision). */
  private templateChanged(d: DeploymentObject): void {
    d.metadata.generation += 1;
    const key = JSON.stringify(d.spec.template.spec);
    const sets = [...this.replicaSets.values()].filter((rs) => rs.metadata.labels.app === d.metadata.name);
    const revision = String(
      Math.max(...sets.map((rs) => Number(rs.metadata.annotations['deployment.kubernetes.io/revision']))) + 1,
    );
    const existing = sets.find((rs) => JSON.stringify(rs.spec.template.spec) === key);
    if (existing) existing.metadata.annotations['deployment.kubernetes.io/revision'] = revision;
    d.metadata.annotations['deployment.kubernetes.io/revision'] = revision;
    this.changed('deployments', 'MODIFIED', d);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.clock.sleep(TICK_MS);
      if (this.stopped) return;
      for (const d of this.deployments.values()) this.tick(d);
    }
  }

  /** The controller and the kubelet for one second. */
  private tick(d: DeploymentObject): void {
    const now = this.clock.now();
    const revision = d.metadata.annotations['deployment.kubernetes.io/revision'];
    const current =
      [...this.replicaSets.values()].find(
        (rs) =>
          rs.metadata.labels.app === d.metadata.name &&
          rs.metadata.annotations['deployment.kubernetes.io/revision'] === revision,
      ) ?? this.newReplicaSet(d, revision ?? '1');
    const podsOf = (rs: ReplicaSetObject) =>
      [...this.pods.values()].filter((p) => p.metadata.ownerReferences[0]?.name === rs.metadata.name);
    let changed = false;
    if (d.status.observedGeneration < d.metadata.generation) {
      d.status.observedGeneration = d.metadata.generation;
      changed = true;
    }
    const behaviour = this.behaviours.get(current.spec.template.spec.containers[0]?.image ?? '') ?? 'healthy';
    const mine = podsOf(current);
    // Scale the current ReplicaSet up to the replicas, all at once.
    for (let i = mine.length; i < d.spec.replicas; i++) {
      this.newPod(current, false);
      changed = true;
    }
    for (const pod of podsOf(current)) {
      const status = pod.status.containerStatuses[0]!;
      if (status.ready) continue;
      const waiting = (status.state.waiting as { reason?: string } | undefined)?.reason;
      if (behaviour === 'pull-fails') {
        const reason =
          waiting === 'ErrImagePull' || waiting === 'ImagePullBackOff' ? 'ImagePullBackOff' : 'ErrImagePull';
        if (reason === waiting) continue;
        status.state = {
          waiting: { reason, message: 'rpc error: code = NotFound desc = failed to pull image: not found' },
        };
        this.changed('pods', 'MODIFIED', pod);
      } else if (behaviour === 'crashes') {
        status.restartCount += 1;
        status.state = {
          waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' },
        };
        status.lastState = { terminated: { exitCode: 1, reason: 'Error' } };
        this.changed('pods', 'MODIFIED', pod);
      } else if (behaviour === 'healthy' && (now / TICK_MS) % 2 === 0) {
        // One pod becomes ready every other second, and an old one goes.
        status.ready = true;
        status.state = { running: {} };
        pod.status.phase = 'Running';
        this.changed('pods', 'MODIFIED', pod);
        const old = [...this.pods.values()].find(
          (p) =>
            p.metadata.labels.app === d.metadata.name &&
            p.metadata.ownerReferences[0]?.name !== current.metadata.name,
        );
        if (old) {
          this.pods.delete(old.metadata.name);
          this.changed('pods', 'DELETED', old);
        }
        break;
      }
    }
    // Once the current ReplicaSet is fully ready, the pods of the others go, one a second.
    if (podsOf(current).filter((p) => p.status.containerStatuses[0]?.ready).length >= d.spec.replicas) {
      const stale = [...this.pods.values()].find(
        (p) =>
          p.metadata.labels.app === d.metadata.name &&
          p.metadata.ownerReferences[0]?.name !== current.metadata.name,
      );
      if (stale) {
        this.pods.delete(stale.metadata.name);
        this.changed('pods', 'DELETED', stale);
      }
    }
    const all = [...this.pods.values()].filter((p) => p.metadata.labels.app === d.metadata.name);
    const updated = podsOf(current);
    const ready = all.filter((p) => p.status.containerStatuses[0]?.ready).length;
    const status = {
      replicas: all.length,
      updatedReplicas: updated.length,
      readyReplicas: ready,
      availableReplicas: ready,
    };
    const progressing = d.status.conditions.find((c) => c.type === 'Progressing');
    const moved =
      JSON.stringify(status) !==
      JSON.stringify({
        replicas: d.status.replicas,
        updatedReplicas: d.status.updatedReplicas,
        readyReplicas: d.status.readyReplicas,
        availableReplicas: d.status.availableReplicas,
      });
    Object.assign(d.status, status);
    if (progressing) {
      const done =
        updated.length === d.spec.replicas && all.length === updated.length && ready === updated.length;
      if (moved || changed) {
        progressing.status = 'True';
        progressing.reason = done ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated';
        progressing.lastUpdateTime = new Date(now).toISOString();
      } else if (
        !done &&
        progressing.reason !== 'ProgressDeadlineExceeded' &&
        now - Date.parse(progressing.lastUpdateTime ?? '') >= d.spec.progressDeadlineSeconds * 1000
      ) {
        progressing.status = 'False';
        progressing.reason = 'ProgressDeadlineExceeded';
        progressing.message = `ReplicaSet "${current.metadata.name}" has timed out progressing.`;
        changed = true;
      }
    }
    if (moved || changed) this.changed('deployments', 'MODIFIED', d);
  }
}
