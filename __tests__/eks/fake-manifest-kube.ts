// A scripted Kubernetes API for in-process tests of applying manifests: discovery, generic storage with a
// simplified server-side apply (dry runs, scripted field conflicts, managedFields for `replicas`), label
// selectors, deletes, JSON patches, watches, and controllers for Deployments (with ReplicaSets),
// StatefulSets, DaemonSets and Jobs whose pods become ready in 2 s — or cannot pull a scripted image. Faults:
// an error on calls matching a pattern.
import {
  KubeApiError,
  type ManifestKubeApi,
  type PatchType,
  type WatchEvent,
} from '../../src/eks/kube-client.ts';
import type { KubeObject } from '../../src/eks/manifests/objects.ts';
import { applyJsonPatch, type JsonPatchOperation } from '../../src/eks/manifests/patch.ts';
import type { FakeClock } from '../fakes/clock.ts';

type Obj = KubeObject & { spec?: any; status?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

interface Parsed {
  readonly base: string;
  readonly namespace: string | undefined;
  readonly resource: string | undefined;
  readonly name: string | undefined;
  readonly query: URLSearchParams;
}

const DISCOVERY: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
  '/apis/example.com/v1': [{ name: 'widgets', kind: 'Widget', namespaced: true }],
};

function parse(path: string): Parsed {
  const url = new URL(path, 'https://kube.invalid');
  const parts = url.pathname.split('/').filter(Boolean);
  const baseLen = parts[0] === 'api' ? 2 : 3;
  const rest = parts.slice(baseLen);
  const base = `/${parts.slice(0, baseLen).join('/')}`;
  if (rest[0] === 'namespaces' && rest.length >= 3)
    return { base, namespace: rest[1], resource: rest[2], name: rest[3], query: url.searchParams };
  return { base, namespace: undefined, resource: rest[0], name: rest[1], query: url.searchParams };
}

const itemKey = (p: Parsed, name = p.name) => `${p.base}|${p.namespace ?? ''}|${p.resource}|${name}`;

function matches(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((t) => {
    const [k, v] = t.split('=');
    return labels?.[k ?? ''] === v;
  });
}

function merge(base: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> =
    typeof base === 'object' && base !== null && !Array.isArray(base)
      ? structuredClone(base as Record<string, unknown>)
      : {};
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out;
}

export class FakeManifestKube implements ManifestKubeApi {
  readonly calls: Call[] = [];
  private readonly clock: FakeClock;
  private readonly store = new Map<string, { parsed: Parsed; object: Obj }>();
  private readonly badImages = new Set<string>();
  private readonly conflicts: { match: RegExp; field: string; manager: string }[] = [];
  private faults: { match: RegExp; error: () => Error; times: number }[] = [];
  private streams: {
    prefix: string;
    query: URLSearchParams;
    onEvent: (e: WatchEvent) => void;
    end: () => void;
  }[] = [];
  private rv = 1;
  private seq = 0;
  private stopped = false;

  constructor(clock: FakeClock) {
    this.clock = clock;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.streams) s.end();
    this.streams = [];
  }

  /** Pods of this image cannot pull it. */
  pullFails(image: string): void {
    this.badImages.add(image);
  }

  /** Applying (without force) to a path matching `match` answers 409: `field` is owned by `manager`. */
  conflictOn(match: RegExp, field: string, manager: string): void {
    this.conflicts.push({ match, field, manager });
  }

  failOn(match: RegExp, error: () => Error, times = 1): void {
    this.faults.push({ match, error, times });
  }

  /** An object put there by someone else. */
  seed(path: string, object: Obj): void {
    this.put(parse(path), structuredClone(object), 'ADDED');
  }

  /** What is stored at a path, or undefined. */
  object(path: string): Obj | undefined {
    const found = this.store.get(itemKey(parse(path)));
    return found ? structuredClone(found.object) : undefined;
  }

  /** The HPA controller changes a workload's replicas through its scale subresource. */
  scale(path: string, replicas: number): void {
    const found = this.store.get(itemKey(parse(path)));
    if (!found) throw new Error(`nothing at ${path}`);
    const o = found.object;
    o.spec.replicas = replicas;
    // A change of spec.replicas is a new generation, as in Kubernetes.
    o.metadata.generation = Number(o.metadata.generation ?? 1) + 1;
    const entries = (o.metadata.managedFields ?? []) as {
      manager: string;
      fieldsV1: { 'f:spec'?: Record<string, unknown> };
    }[];
    for (const e of entries) if (e.fieldsV1['f:spec']) delete e.fieldsV1['f:spec']['f:replicas'];
    entries.push({ manager: 'kube-controller-manager', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    o.metadata.managedFields = entries;
    this.put(found.parsed, o, 'MODIFIED');
  }

  private enter(method: string, path: string, body?: unknown): void {
    this.calls.push({ method, path, ...(body === undefined ? {} : { body: structuredClone(body) }) });
    const fault = this.faults.find((f) => f.times > 0 && f.match.test(`${method} ${path}`));
    if (fault) {
      fault.times -= 1;
      throw fault.error();
    }
  }

  private put(parsed: Parsed, object: Obj, type: WatchEvent['type']): void {
    this.rv += 1;
    object.metadata.resourceVersion = String(this.rv);
    this.store.set(itemKey(parsed), { parsed, object });
    this.notify(parsed, object, type);
  }

  private notify(parsed: Parsed, object: Obj, type: WatchEvent['type']): void {
    const prefix = `${parsed.base}|${parsed.namespace ?? ''}|${parsed.resource}`;
    for (const s of this.streams) {
      if (s.prefix !== prefix) continue;
      const field = s.query.get('fieldSelector');
      if (field && field !== `metadata.name=${object.metadata.name}`) continue;
      if (!matches(object.metadata.labels, s.query.get('labelSelector'))) continue;
      s.onEvent({ type, object: structuredClone(object) as unknown as Record<string, unknown> });
    }
  }

  private list(parsed: Parsed): Obj[] {
    const prefix = `${parsed.base}|${parsed.namespace ?? ''}|${parsed.resource}|`;
    const field = parsed.query.get('fieldSelector');
    return [...this.store.entries()]
      .filter(
        ([k]) =>
          k.startsWith(prefix) ||
          (parsed.namespace === undefined &&
            k.startsWith(`${parsed.base}|`) &&
            k.split('|')[2] === parsed.resource),
      )
      .map(([, v]) => v.object)
      .filter((o) => matches(o.metadata.labels, parsed.query.get('labelSelector')))
      .filter((o) => !field || field === `metadata.name=${o.metadata.name}`);
  }

  async get<T>(path: string): Promise<T> {
    this.enter('GET', path);
    const parsed = parse(path);
    if (!parsed.resource) {
      const resources = DISCOVERY[parsed.base];
      if (!resources)
        throw new KubeApiError(404, 'NotFound', `the server could not find the requested resource`);
      return { resources } as T;
    }
    if (parsed.name === undefined) {
      return structuredClone({
        metadata: { resourceVersion: String(this.rv) },
        items: this.list(parsed),
      }) as T;
    }
    if (parsed.resource === 'pods' && path.includes('/log')) return 'last log line\n' as T;
    const found = this.store.get(itemKey(parsed));
    if (!found) throw new KubeApiError(404, 'NotFound', `${parsed.resource} "${parsed.name}" not found`);
    return structuredClone(found.object) as T;
  }

  async post<T>(path: string): Promise<T> {
    this.enter('POST', path);
    throw new KubeApiError(404, 'NotFound', path);
  }

  async delete<T>(path: string, body?: unknown): Promise<T> {
    this.enter('DELETE', path, body);
    const parsed = parse(path);
    const found = this.store.get(itemKey(parsed));
    if (!found) throw new KubeApiError(404, 'NotFound', `${parsed.resource} "${parsed.name}" not found`);
    this.store.delete(itemKey(parsed));
    this.notify(parsed, found.object, 'DELETED');
    return { kind: 'Status', status: 'Success' } as T;
  }

  async patch<T>(path: string, body: unknown, type: PatchType): Promise<T> {
    this.enter('PATCH', path, body);
    const parsed = parse(path);
    const found = this.store.get(itemKey(parsed));
    if (type === 'json') {
      if (!found) throw new KubeApiError(404, 'NotFound', path);
      let next: Obj;
      try {
        next = applyJsonPatch(found.object, body as JsonPatchOperation[]);
      } catch (error) {
        throw new KubeApiError(422, 'Invalid', (error as Error).message);
      }
      if (JSON.stringify(next.spec) !== JSON.stringify(found.object.spec))
        next.metadata.generation = Number(found.object.metadata.generation ?? 0) + 1;
      this.put(parsed, next, 'MODIFIED');
      return structuredClone(next) as T;
    }
    if (type !== 'apply') throw new KubeApiError(415, 'UnsupportedMediaType', type);
    if (parsed.query.get('fieldManager') !== 'ecr-deploy')
      throw new KubeApiError(400, 'BadRequest', 'fieldManager is required');
    const applied = body as Obj;
    const force = parsed.query.get('force') === 'true';
    const conflict = this.conflicts.find((c) => c.match.test(path));
    if (conflict && !force) {
      throw new KubeApiError(
        409,
        'Conflict',
        `Apply failed with 1 conflict: conflict with "${conflict.manager}": ${conflict.field}`,
        [
          {
            type: 'FieldManagerConflict',
            message: `conflict with "${conflict.manager}" using ${applied.apiVersion}`,
            field: conflict.field,
          },
        ],
      );
    }
    if (
      parsed.namespace &&
      parsed.resource !== 'namespaces' &&
      !this.store.has(
        itemKey(
          { ...parsed, base: '/api/v1', namespace: undefined, resource: 'namespaces' },
          parsed.namespace,
        ),
      )
    ) {
      throw new KubeApiError(404, 'NotFound', `namespaces "${parsed.namespace}" not found`);
    }
    const before = found?.object;
    const next = merge(before ?? {}, applied) as Obj;
    // Lists are atomic in this fake: the applied ones replace the stored ones.
    if (applied.spec?.template) next.spec.template = structuredClone(applied.spec.template);
    const specChanged = JSON.stringify(before?.spec) !== JSON.stringify(next.spec);
    next.metadata.generation = before ? Number(before.metadata.generation ?? 1) + (specChanged ? 1 : 0) : 1;
    const others = ((before?.metadata.managedFields ?? []) as { manager: string }[]).filter(
      (e) => e.manager !== 'ecr-deploy',
    );
    next.metadata.managedFields = [
      ...others,
      {
        manager: 'ecr-deploy',
        operation: 'Apply',
        fieldsV1: { 'f:spec': applied.spec?.replicas !== undefined ? { 'f:replicas': {} } : {} },
      },
    ];
    if (parsed.query.get('dryRun') === 'All') {
      next.metadata.resourceVersion = before?.metadata.resourceVersion ?? '';
      return structuredClone(next) as T;
    }
    if (
      before &&
      JSON.stringify({ ...before, metadata: { ...before.metadata, resourceVersion: '' } }) ===
        JSON.stringify({ ...next, metadata: { ...next.metadata, resourceVersion: '' } })
    ) {
      return structuredClone(before) as T;
    }
    this.put(parsed, next, before ? 'MODIFIED' : 'ADDED');
    return structuredClone(next) as T;
  }

  async watch(
    path: string,
    onEvent: (event: WatchEvent) => void,
  ): Promise<{ stop: () => void; done: Promise<void> }> {
    this.enter('WATCH', path);
    const parsed = parse(path);
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    const stream = {
      prefix: `${parsed.base}|${parsed.namespace ?? ''}|${parsed.resource}`,
      query: parsed.query,
      onEvent,
      end,
    };
    this.streams.push(stream);
    return {
      stop: () => {
        this.streams = this.streams.filter((s) => s !== stream);
        end();
      },
      done,
    };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.clock.sleep(1000);
      if (this.stopped) return;
      for (const { parsed, object } of [...this.store.values()]) this.control(parsed, object);
    }
  }

  private podsOf(ns: string, labels: Record<string, string>): Obj[] {
    return this.list({
      base: '/api/v1',
      namespace: ns,
      resource: 'pods',
      name: undefined,
      query: new URLSearchParams({
        labelSelector: Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      }),
    });
  }

  private newPod(
    ns: string,
    name: string,
    labels: Record<string, string>,
    owner: string,
    template: Obj['spec'],
  ): void {
    const images: string[] = (template.spec.containers as { image: string }[]).map((c) => c.image);
    const bad = images.some((i) => this.badImages.has(i));
    this.seq += 1;
    const pod: Obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-p${this.seq}`,
        namespace: ns,
        labels,
        ownerReferences: [{ kind: 'X', name: owner }],
      },
      spec: { containers: template.spec.containers },
      status: {
        phase: 'Pending',
        bornAt: this.clock.now(),
        containerStatuses: (template.spec.containers as { name: string }[]).map((c) => ({
          name: c.name,
          restartCount: 0,
          state: bad
            ? { waiting: { reason: 'ErrImagePull', message: 'failed to pull image: not found' } }
            : { waiting: { reason: 'ContainerCreating' } },
        })),
      },
    };
    this.put(
      {
        base: '/api/v1',
        namespace: ns,
        resource: 'pods',
        name: pod.metadata.name,
        query: new URLSearchParams(),
      },
      pod,
      'ADDED',
    );
  }

  /** Pods become ready 2 s after they were made, unless their image cannot be pulled. */
  private ready(pods: Obj[]): number {
    let ready = 0;
    for (const pod of pods) {
      const statuses = pod.status.containerStatuses as {
        state: { waiting?: { reason?: string }; running?: object };
      }[];
      if (statuses.some((s) => s.state.waiting?.reason === 'ErrImagePull')) continue;
      if (pod.status.phase !== 'Running' && this.clock.now() - Number(pod.status.bornAt) >= 2000) {
        pod.status.phase = 'Running';
        for (const s of statuses) s.state = { running: {} };
        this.put(
          parse(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`),
          pod,
          'MODIFIED',
        );
      }
      if (pod.status.phase === 'Running') ready += 1;
    }
    return ready;
  }

  private control(parsed: Parsed, o: Obj): void {
    const ns = parsed.namespace ?? '';
    const generation = Number(o.metadata.generation ?? 1);
    const name = o.metadata.name;
    const setStatus = (status: Record<string, unknown>) => {
      const next = { ...o.status, ...status };
      if (JSON.stringify(next) === JSON.stringify(o.status)) return;
      o.status = next;
      this.put(parsed, o, 'MODIFIED');
    };
    if (o.kind === 'Deployment') {
      const annotations = (o.metadata.annotations ??= {});
      const selector = o.spec.selector.matchLabels as Record<string, string>;
      const template = JSON.stringify(o.spec.template);
      if ((o.status?.observedGeneration ?? 0) < generation && o.status?.template === template) {
        o.status = { ...o.status, observedGeneration: generation };
        this.put(parsed, o, 'MODIFIED');
        return;
      }
      if ((o.status?.observedGeneration ?? 0) < generation) {
        const rev = String(Number(annotations['deployment.kubernetes.io/revision'] ?? 0) + 1);
        annotations['deployment.kubernetes.io/revision'] = rev;
        const rs: Obj = {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: `${name}-${rev}`,
            namespace: ns,
            labels: selector,
            annotations: { 'deployment.kubernetes.io/revision': rev },
          },
          spec: { template: o.spec.template },
        };
        this.put(parse(`/apis/apps/v1/namespaces/${ns}/replicasets/${rs.metadata.name}`), rs, 'ADDED');
        for (const p of this.podsOf(ns, selector))
          this.store.delete(itemKey(parse(`/api/v1/namespaces/${ns}/pods/${p.metadata.name}`)));
        for (let i = 0; i < (o.spec.replicas ?? 1); i++)
          this.newPod(ns, rs.metadata.name, selector, rs.metadata.name, o.spec.template);
        o.status = {
          ...o.status,
          template,
          observedGeneration: generation,
          replicas: o.spec.replicas ?? 1,
          updatedReplicas: o.spec.replicas ?? 1,
          availableReplicas: 0,
        };
        this.put(parsed, o, 'MODIFIED');
        return;
      }
      const pods = this.podsOf(ns, selector);
      const want = o.spec.replicas ?? 1;
      for (let i = pods.length; i < want; i++)
        this.newPod(
          ns,
          `${name}-${annotations['deployment.kubernetes.io/revision']}`,
          selector,
          `${name}-${annotations['deployment.kubernetes.io/revision']}`,
          o.spec.template,
        );
      setStatus({
        replicas: want,
        updatedReplicas: want,
        readyReplicas: this.ready(pods),
        availableReplicas: Math.min(want, this.ready(pods)),
      });
    } else if (o.kind === 'StatefulSet') {
      const revision = `${name}-${generation}`;
      const labels = { ...o.spec.selector.matchLabels, 'controller-revision-hash': revision };
      if ((o.status?.observedGeneration ?? 0) < generation) {
        for (let i = 0; i < (o.spec.replicas ?? 1); i++) this.newPod(ns, name, labels, name, o.spec.template);
        setStatus({
          observedGeneration: generation,
          updateRevision: revision,
          readyReplicas: 0,
          updatedReplicas: 0,
        });
        return;
      }
      const ready = this.ready(this.podsOf(ns, labels));
      const done = ready >= (o.spec.replicas ?? 1);
      setStatus({
        readyReplicas: ready,
        updatedReplicas: ready,
        currentReplicas: ready,
        ...(done ? { currentRevision: revision } : {}),
      });
    } else if (o.kind === 'DaemonSet') {
      const labels = { ...o.spec.selector.matchLabels, 'pod-template-generation': String(generation) };
      if ((o.status?.observedGeneration ?? 0) < generation) {
        for (let i = 0; i < 2; i++) this.newPod(ns, name, labels, name, o.spec.template);
        setStatus({
          observedGeneration: generation,
          desiredNumberScheduled: 2,
          updatedNumberScheduled: 2,
          numberAvailable: 0,
        });
        return;
      }
      setStatus({ numberAvailable: this.ready(this.podsOf(ns, labels)) });
    } else if (o.kind === 'Job') {
      const labels = { 'job-name': name };
      if (!o.status?.startTime) {
        this.newPod(ns, name, labels, name, o.spec.template);
        setStatus({ startTime: this.clock.now(), active: 1 });
        return;
      }
      if (this.ready(this.podsOf(ns, labels)) > 0)
        setStatus({ active: 0, succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    }
  }
}
