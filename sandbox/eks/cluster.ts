// One sandbox EKS cluster: its access entries, RBAC, object store, controllers, node runtime, scripted images
// and API-server faults, plus the write path (defaults, generation, status subresource semantics) and garbage
// collection of owned objects. The HTTPS front end is apiserver.ts.
import type { World } from '../world.ts';
import { Rbac, ADMIN_GROUP } from './auth.ts';
import { Controllers } from './controller.ts';
import { applyDefaults, validate } from './defaults.ts';
import { EventRecorder } from './events.ts';
import {
  ApiError,
  alreadyExists,
  clone,
  conflict,
  deepEqual,
  newUid,
  notFound,
  nowIso,
  randomSuffix,
  storageType,
  type KObject,
  type ResourceType,
} from './model.ts';
import { NODE_NAMES, PodRuntime, type ImageScript, type RuntimeMode } from './pods.ts';
import { RESOURCES } from './model.ts';
import { Workloads } from './workloads.ts';
import { Store } from './store.ts';
import { updateManagedFields, type Writer } from './server-side-apply.ts';

export interface AccessEntry {
  clusterName: string;
  principalArn: string;
  kubernetesGroups: string[];
  username: string;
  type: string;
  accessEntryArn: string;
  createdAt: Date;
  modifiedAt: Date;
  tags: Record<string, string>;
}

export interface ApiFault {
  id: number;
  kind: 'error' | 'latency';
  /** HTTP status of an error (default 500). */
  status?: number;
  latencyMs?: number;
  /** How many requests it hits (default: unlimited). */
  count?: number;
  /** Only requests whose method matches / path contains this. */
  method?: string;
  pathContains?: string;
  /** Whether watch requests are hit too (default true). */
  watch?: boolean;
}

export interface ClusterOptions {
  name: string;
  world: World;
  timeScale?: number;
  /** Pods in real containers (default when the engine is known) or simulated only. */
  runtime?: RuntimeMode;
}

/** The server's default pod runtime: `SANDBOX_EKS_RUNTIME=simulated` opts out of real containers. */
export function defaultRuntimeMode(): RuntimeMode {
  return process.env.SANDBOX_EKS_RUNTIME === 'simulated' ? 'simulated' : 'containers';
}

export const STATUS_SUBRESOURCE = new Set([
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'pods',
  'namespaces',
  'services',
  'ingresses',
  'horizontalpodautoscalers',
  'jobs',
  'cronjobs',
  'nodes',
]);

export class Cluster {
  readonly name: string;
  readonly world: World;
  readonly createdAt = new Date();
  readonly store = new Store();
  readonly rbac = new Rbac();
  readonly accessEntries = new Map<string, AccessEntry>();
  readonly scripts = new Map<string, ImageScript>();
  readonly faults: ApiFault[] = [];
  readonly events: EventRecorder;
  readonly runtime: PodRuntime;
  readonly controllers: Controllers;
  /** StatefulSet, DaemonSet, Job and HorizontalPodAutoscaler controllers. */
  readonly workloads: Workloads;
  /** Real seconds per simulated second. */
  timeScale: number;
  /** Whether pods run as real containers (when the engine is known) or simulated. */
  runtimeMode: RuntimeMode;
  endpoint = '';
  /** Set by the API server: closes every open watch. */
  dropWatches: () => number = () => 0;
  private nextFaultId = 1;
  private timer?: NodeJS.Timeout;

  constructor(opts: ClusterOptions) {
    this.name = opts.name;
    this.world = opts.world;
    this.timeScale = opts.timeScale ?? 1;
    this.runtimeMode = opts.runtime ?? defaultRuntimeMode();
    this.events = new EventRecorder(this.store);
    const host = {
      store: this.store,
      events: this.events,
      world: this.world,
      ms: (s: number) => s * 1000 * this.timeScale,
      scriptFor: (image: string) => this.scriptFor(image),
      name: this.name,
      runtimeMode: () => this.runtimeMode,
    };
    this.runtime = new PodRuntime(host);
    this.controllers = new Controllers(host);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.create(storageType('namespaces'), undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns } as KObject['metadata'],
      });
    }
    for (const node of NODE_NAMES) this.store.put('nodes', nodeObject(node));
    this.workloads = new Workloads({
      ...host,
      update: (storage, next, subresource, writer) =>
        this.update(
          storageType(storage),
          next.metadata.namespace,
          next.metadata.name,
          next,
          subresource,
          false,
          writer,
        ),
    });
    const arn = `arn:aws:iam::${this.world.config.accountId}:user/sandbox`;
    this.putAccessEntry(arn, [ADMIN_GROUP]);
  }

  get arn(): string {
    return `arn:aws:eks:${this.world.config.region}:${this.world.config.accountId}:cluster/${this.name}`;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), 20);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.runtime.close();
  }

  tick(): void {
    try {
      this.controllers.tick();
      this.workloads.tick();
      this.runtime.tick();
      this.finalizeNamespaces();
      this.collectGarbage();
    } catch (e) {
      console.error(`[sandbox eks ${this.name}] tick:`, e);
    }
  }

  putAccessEntry(principalArn: string, groups: string[], username?: string): AccessEntry {
    const existing = this.accessEntries.get(principalArn);
    const now = new Date();
    const entry: AccessEntry = {
      clusterName: this.name,
      principalArn,
      kubernetesGroups: groups,
      username: username ?? principalArn,
      type: 'STANDARD',
      accessEntryArn: `arn:aws:eks:${this.world.config.region}:${this.world.config.accountId}:access-entry/${this.name}/${principalArn.split(':').pop()}/${newUid()}`,
      createdAt: existing?.createdAt ?? now,
      modifiedAt: now,
      tags: {},
    };
    this.accessEntries.set(principalArn, entry);
    return entry;
  }

  scriptFor(image: string): ImageScript {
    const noHost = image.replace(/^[^/]*[.:][^/]*\//, '');
    const repo = noHost.replace(/[@:].*$/, '');
    return this.scripts.get(image) ?? this.scripts.get(noHost) ?? this.scripts.get(repo) ?? {};
  }

  addFault(f: Omit<ApiFault, 'id'>): number {
    const id = this.nextFaultId++;
    this.faults.push({ ...f, id });
    return id;
  }

  /** The fault rules that apply to this request (consuming their counts). */
  matchFaults(method: string, path: string, watch: boolean): ApiFault[] {
    const hit: ApiFault[] = [];
    for (const f of this.faults) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.pathContains && !path.includes(f.pathContains)) continue;
      if (watch && f.watch === false) continue;
      if (f.count !== undefined) {
        if (f.count <= 0) continue;
        f.count -= 1;
      }
      hit.push(f);
    }
    return hit;
  }

  // ------------------------------------------------------------------ write path
  requireNamespace(ns: string | undefined): void {
    const found = ns === undefined ? undefined : this.store.get('namespaces', undefined, ns);
    if (ns !== undefined && !found) throw notFound(storageType('namespaces'), ns);
    if (found?.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${ns} is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        {
          name: ns,
          kind: 'namespaces',
          causes: [
            {
              reason: 'NamespaceTerminating',
              message: `namespace ${ns} is being terminated`,
              field: 'metadata.namespace',
            },
          ],
        },
      );
    }
  }

  /** `dryRun` (the API's `dryRun=All`): everything a write does, validation included, except storing it. */
  create(r: ResourceType, ns: string | undefined, body: KObject, dryRun = false, writer?: Writer): KObject {
    const o = clone(body);
    o.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    o.kind = r.kind;
    o.metadata = { ...(o.metadata ?? {}) } as KObject['metadata'];
    if (!o.metadata.name && o.metadata.generateName)
      o.metadata.name = `${o.metadata.generateName}${randomSuffix(5)}`;
    if (r.namespaced) {
      o.metadata.namespace = ns ?? o.metadata.namespace ?? 'default';
      this.requireNamespace(o.metadata.namespace);
    } else delete o.metadata.namespace;
    if (this.store.get(r.storage, o.metadata.namespace, o.metadata.name ?? ''))
      throw alreadyExists(r, o.metadata.name);
    o.metadata.uid = newUid();
    applyDefaults(r, o);
    validate(r, o);
    o.metadata.creationTimestamp = nowIso();
    delete o.metadata.deletionTimestamp;
    if (r.hasGeneration) o.metadata.generation = 1;
    if (STATUS_SUBRESOURCE.has(r.storage) && r.kind !== 'Namespace') o.status = {};
    if (r.kind === 'Pod') o.status = { phase: 'Pending', qosClass: 'BestEffort' };
    if (r.kind === 'Service') o.status = { loadBalancer: {} };
    if (writer) {
      o.metadata.managedFields =
        writer.managedFields ?? updateManagedFields(undefined, o, writer, STATUS_SUBRESOURCE.has(r.storage));
    } else delete o.metadata.managedFields;
    if (dryRun) return o;
    return this.store.put(r.storage, o);
  }

  /** PUT / PATCH result: `subresource` 'status' writes only status; the main resource ignores status. */
  update(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    next: KObject,
    subresource?: string,
    dryRun = false,
    writer?: Writer,
  ): KObject {
    const old = this.store.get(r.storage, ns, name);
    if (!old) throw notFound(r, name);
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(r, name);
    }
    const o = clone(next);
    o.apiVersion = old.apiVersion;
    o.kind = old.kind;
    o.metadata = {
      ...o.metadata,
      name: old.metadata.name,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      resourceVersion: old.metadata.resourceVersion,
    };
    if (old.metadata.namespace) o.metadata.namespace = old.metadata.namespace;
    if (old.metadata.deletionTimestamp) o.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.generation !== undefined) o.metadata.generation = old.metadata.generation;
    if (subresource === 'status') {
      o.spec = old.spec;
      o.metadata = { ...old.metadata, resourceVersion: old.metadata.resourceVersion };
    } else if (STATUS_SUBRESOURCE.has(r.storage)) o.status = old.status;
    applyDefaults(r, o);
    validate(r, o, old);
    if (r.hasGeneration && !deepEqual(old.spec, o.spec))
      o.metadata.generation = Number(old.metadata.generation ?? 0) + 1;
    if (writer?.managedFields) o.metadata.managedFields = writer.managedFields;
    else if (writer)
      o.metadata.managedFields = updateManagedFields(old, o, writer, STATUS_SUBRESOURCE.has(r.storage));
    else if (old.metadata.managedFields) o.metadata.managedFields = old.metadata.managedFields;
    if (Array.isArray(o.metadata.managedFields) && o.metadata.managedFields.length === 0)
      delete o.metadata.managedFields;
    if (deepEqual(old, o)) return old; // a no-op write does not bump resourceVersion
    if (dryRun) return o;
    return this.store.put(r.storage, o);
  }

  delete(r: ResourceType, ns: string | undefined, name: string, dryRun = false): KObject {
    const old = this.store.get(r.storage, ns, name);
    if (!old) throw notFound(r, name);
    if (dryRun) return old;
    if (r.kind === 'Pod') {
      if (!old.metadata.deletionTimestamp) {
        old.metadata.deletionTimestamp = nowIso();
        (old.metadata as Record<string, unknown>).deletionGracePeriodSeconds =
          old.spec?.terminationGracePeriodSeconds ?? 30;
        return this.store.put('pods', old);
      }
      return old;
    }
    if (r.kind === 'Namespace') {
      // Phase Terminating (a MODIFIED event) until the namespace controller has deleted what it holds
      // (finalizeNamespaces, on the next tick): then DELETED. An empty namespace too, as the API server does.
      if (!old.metadata.deletionTimestamp) {
        old.metadata.deletionTimestamp = nowIso();
        (old.metadata as Record<string, unknown>).deletionGracePeriodSeconds = 0;
        old.status = { ...(old.status ?? {}), phase: 'Terminating' };
        return this.store.put('namespaces', old);
      }
      return old;
    }
    return this.store.delete(r.storage, ns, name)!;
  }

  /**
   * The namespace controller: a Terminating namespace's objects are deleted (pods gracefully), then the
   * `kubernetes` finalizer is removed and the namespace is gone.
   */
  private finalizeNamespaces(): void {
    for (const n of this.store.list('namespaces')) {
      if (!n.metadata.deletionTimestamp) continue;
      const ns = n.metadata.name;
      let left = 0;
      for (const t of RESOURCES) {
        if (!t.namespaced || t.group === 'events.k8s.io') continue;
        for (const o of this.store.list(t.storage, ns)) {
          left += 1;
          if (t.kind === 'Pod') {
            if (!o.metadata.deletionTimestamp) this.delete(t, ns, o.metadata.name);
          } else this.store.delete(t.storage, ns, o.metadata.name);
        }
      }
      if (left === 0) this.store.delete('namespaces', undefined, ns);
    }
  }

  /** Background cascading deletion: dependents whose controller owner is gone are deleted. */
  private collectGarbage(): void {
    for (const storage of ['replicasets', 'jobs', 'controllerrevisions', 'pods']) {
      for (const o of this.store.list(storage)) {
        const owner = (o.metadata.ownerReferences ?? []).find((x) => x.controller);
        if (!owner) continue;
        const ownerStorage = RESOURCES.find(
          (t) =>
            t.kind === owner.kind && owner.apiVersion === (t.group ? `${t.group}/${t.version}` : t.version),
        )?.storage;
        if (!ownerStorage) continue;
        const ownerObj = this.store.get(ownerStorage, o.metadata.namespace, owner.name);
        if (ownerObj && ownerObj.metadata.uid === owner.uid) continue;
        if (storage === 'pods') {
          if (!o.metadata.deletionTimestamp)
            this.delete(storageType('pods'), o.metadata.namespace, o.metadata.name);
        } else this.store.delete(storage, o.metadata.namespace, o.metadata.name);
      }
    }
  }
}

function nodeObject(name: string): KObject {
  const now = nowIso();
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: newUid(),
      resourceVersion: '',
      creationTimestamp: now,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
      },
    },
    spec: {},
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
      nodeInfo: { kubeletVersion: 'v1.31.0-eks-sandbox', containerRuntimeVersion: 'docker://20.10' },
    },
  };
}
