// The StatefulSet, DaemonSet, Job and HorizontalPodAutoscaler controllers of the sandbox cluster. Their pods
// run on the same simulated kubelet as the Deployment's (pods.ts). Each follows its controller in
// kube-controller-manager as far as these status fields and rollouts go:
// - StatefulSet (pkg/controller/statefulset): pods `<name>-<ordinal>`, OrderedReady (one at a time, each
//   Running and Ready before the next) or Parallel; RollingUpdate from the highest ordinal down to
//   `partition`, one pod at a time; ControllerRevisions `<name>-<hash>`, `controller-revision-hash` labels,
//   `currentRevision`/`updateRevision`, current/updated/ready/available replicas, observedGeneration.
// - DaemonSet (pkg/controller/daemon): one pod per sandbox node; RollingUpdate with maxUnavailable;
//   desired/current/updated NumberScheduled, numberReady, numberAvailable/Unavailable.
// - Job (pkg/controller/job): up to `parallelism` pods until `completions` succeeded; failed pods count
//   toward `backoffLimit` (with the 10 s doubling back-off between recreations), conditions
//   SuccessCriteriaMet+Complete or FailureTarget+Failed (BackoffLimitExceeded).
// - HorizontalPodAutoscaler (pkg/controller/podautoscaler): no metrics exist in the sandbox, so the desired
//   count is what a test sets through the control API (else the current count), clamped to
//   [minReplicas, maxReplicas]; the target is scaled through its `/scale` subresource as
//   `kube-controller-manager`, which is how the HPA shows up in managedFields.
import type { EventRecorder } from './events.ts';
import {
  clone,
  deepEqual,
  newUid,
  nowIso,
  podTemplateHash,
  randomSuffix,
  type Json,
  type KObject,
} from './model.ts';
import { NODE_NAMES } from './pods.ts';
import type { Writer } from './server-side-apply.ts';
import { labelsMatch, selectorRequirements, type Store } from './store.ts';

export const REVISION_HASH = 'controller-revision-hash';
const KCM: Writer = { manager: 'kube-controller-manager', subresource: 'status' };

export interface WorkloadsHost {
  store: Store;
  events: EventRecorder;
  ms(seconds: number): number;
  /** A write through the API server's write path (defaults, generation, managedFields). */
  update(storage: string, next: KObject, subresource: string | undefined, writer: Writer): KObject;
}

const ready = (p: KObject) =>
  (p.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
const running = (p: KObject) => p.status?.phase === 'Running';
const terminal = (p: KObject) => ['Succeeded', 'Failed'].includes(p.status?.phase);
const terminating = (p: KObject) => !!p.metadata.deletionTimestamp;

function controllerRef(o: KObject): Json {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    uid: o.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function ownedBy(o: KObject, owner: KObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
}

function podFrom(owner: KObject, template: Json, name: string, labels: Record<string, string>): KObject {
  const t = clone(template ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(t.metadata ?? {}),
      name,
      namespace: owner.metadata.namespace,
      uid: newUid(),
      resourceVersion: '',
      creationTimestamp: nowIso(),
      labels: { ...(t.metadata?.labels ?? {}), ...labels },
      ownerReferences: [controllerRef(owner)],
    },
    spec: t.spec ?? {},
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

function setCondition(list: Json[], type: string, reason: string, message: string): Json[] {
  if (list.some((c) => c.type === type)) return list;
  const now = nowIso();
  return [...list, { type, status: 'True', lastProbeTime: now, lastTransitionTime: now, reason, message }];
}

export class Workloads {
  private readonly host: WorkloadsHost;
  /** Desired replica counts set through the control API, by `namespace/name` of the HPA. */
  readonly hpaDesired = new Map<string, number>();
  /** Real time (ms) before which a Job with failures creates no new pod (its back-off). */
  private readonly jobBackoff = new Map<string, number>();
  /** Real time at which a pod was first seen Ready (minReadySeconds). */
  private readonly readySeen = new Map<string, number>();

  constructor(host: WorkloadsHost) {
    this.host = host;
  }

  tick(): void {
    const each = (storage: string, fn: (o: KObject) => void) => {
      for (const o of this.host.store.list(storage)) {
        try {
          fn(o);
        } catch (e) {
          console.error(`[sandbox eks] ${storage} controller:`, e);
        }
      }
    };
    each('horizontalpodautoscalers', (o) => this.syncHpa(o));
    each('statefulsets', (o) => this.syncStatefulSet(o));
    each('daemonsets', (o) => this.syncDaemonSet(o));
    each('jobs', (o) => this.syncJob(o));
  }

  private available(p: KObject, minReadySeconds: number): boolean {
    if (!ready(p) || terminating(p)) {
      this.readySeen.delete(p.metadata.uid);
      return false;
    }
    let seen = this.readySeen.get(p.metadata.uid);
    if (seen === undefined) this.readySeen.set(p.metadata.uid, (seen = Date.now()));
    return minReadySeconds <= 0 || Date.now() - seen >= this.host.ms(minReadySeconds);
  }

  private pods(owner: KObject): KObject[] {
    const reqs = selectorRequirements(owner.spec?.selector ?? {});
    return this.host.store
      .list('pods', owner.metadata.namespace)
      .filter((p) => ownedBy(p, owner) && labelsMatch(p.metadata.labels, reqs));
  }

  private deletePod(p: KObject): void {
    p.metadata.deletionTimestamp = nowIso();
    (p.metadata as Json).deletionGracePeriodSeconds = p.spec?.terminationGracePeriodSeconds ?? 30;
    this.host.store.put('pods', p);
  }

  private writeStatus(storage: string, o: KObject, status: Json): void {
    const fresh = this.host.store.get(storage, o.metadata.namespace, o.metadata.name);
    if (!fresh || deepEqual(fresh.status ?? {}, status)) return;
    this.host.update(storage, { ...clone(fresh), status }, 'status', KCM);
  }

  /** The ControllerRevision holding `template` for `owner` (created when missing): its name and hash. */
  private revision(owner: KObject, template: Json): { name: string; hash: string; number: number } {
    const store = this.host.store;
    const ns = owner.metadata.namespace;
    const hash = podTemplateHash(template);
    const name = `${owner.metadata.name}-${hash}`;
    const owned = store.list('controllerrevisions', ns).filter((r) => ownedBy(r, owner));
    const existing = owned.find((r) => r.metadata.name === name);
    if (existing) return { name, hash, number: Number((existing as Json).revision ?? 1) };
    const number = Math.max(0, ...owned.map((r) => Number((r as Json).revision ?? 0))) + 1;
    store.put('controllerrevisions', {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ns,
        uid: newUid(),
        resourceVersion: '',
        creationTimestamp: nowIso(),
        labels: { ...(template?.metadata?.labels ?? {}), [REVISION_HASH]: hash },
        ownerReferences: [controllerRef(owner)],
      },
      data: { spec: { template: { ...clone(template), $patch: 'replace' } } },
      revision: number,
    });
    return { name, hash, number };
  }

  private templateOf(ns: string | undefined, revisionName: string): Json | undefined {
    const r = this.host.store.get('controllerrevisions', ns, revisionName);
    if (!r) return undefined;
    const t = clone((r as Json).data?.spec?.template ?? {});
    Reflect.deleteProperty(t, '$patch');
    return t;
  }

  // ---------------------------------------------------------------- StatefulSet
  private syncStatefulSet(sts: KObject): void {
    const store = this.host.store;
    const ns = sts.metadata.namespace!;
    const name = sts.metadata.name;
    const replicas = Number(sts.spec?.replicas ?? 1);
    const update = this.revision(sts, sts.spec.template);
    const current = sts.status?.currentRevision ?? update.name;
    const currentTemplate = this.templateOf(ns, current) ?? sts.spec.template;
    const rolling = sts.spec.updateStrategy?.type !== 'OnDelete';
    const partition = Number(sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0);
    const ordered = sts.spec.podManagementPolicy !== 'Parallel';
    const minReady = Number(sts.spec.minReadySeconds ?? 0);
    const ordinalOf = (p: KObject) => Number(p.metadata.name.slice(name.length + 1));
    const pods = this.pods(sts).filter((p) => /^\d+$/.test(p.metadata.name.slice(name.length + 1)));
    const byOrdinal = new Map(pods.map((p) => [ordinalOf(p), p]));
    const healthy = (p: KObject | undefined) => !!p && running(p) && ready(p) && !terminating(p);
    // Failed or succeeded pods are deleted and recreated.
    for (const p of pods) if (terminal(p) && !terminating(p)) this.deletePod(p);
    let blocked = false;
    for (let i = 0; i < replicas && !blocked; i += 1) {
      const p = byOrdinal.get(i);
      if (!p) {
        const useUpdate = !rolling ? false : i >= partition;
        const revName = useUpdate || current === update.name ? update.name : current;
        const template = revName === update.name ? sts.spec.template : currentTemplate;
        const podName = `${name}-${i}`;
        const pod = podFrom(sts, template, podName, {
          [REVISION_HASH]: revName,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
        });
        pod.spec.hostname = podName;
        if (sts.spec.serviceName) pod.spec.subdomain = sts.spec.serviceName;
        store.put('pods', pod);
        this.host.events.record(
          sts,
          'Normal',
          'SuccessfulCreate',
          `create Pod ${podName} in StatefulSet ${name} successful`,
          { component: 'statefulset-controller' },
        );
        if (ordered) blocked = true;
      } else if (ordered && !healthy(p)) blocked = true;
    }
    // Scale down: the highest ordinal first, once the others are healthy (OrderedReady).
    const extra = pods
      .filter((p) => ordinalOf(p) >= replicas && !terminating(p))
      .sort((a, b) => ordinalOf(b) - ordinalOf(a));
    const below = pods.filter((p) => ordinalOf(p) < replicas);
    if (extra.length && (!ordered || below.every(healthy))) {
      for (const p of ordered ? extra.slice(0, 1) : extra) {
        this.deletePod(p);
        this.host.events.record(
          sts,
          'Normal',
          'SuccessfulDelete',
          `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`,
          { component: 'statefulset-controller' },
        );
      }
    }
    // Rolling update: all pods healthy, then the highest ordinal ≥ partition not at the update revision.
    const live = this.pods(sts).filter((p) => ordinalOf(p) < replicas);
    if (rolling && !blocked && live.length === replicas && live.every(healthy) && !extra.length) {
      const stale = live
        .filter((p) => ordinalOf(p) >= partition && p.metadata.labels?.[REVISION_HASH] !== update.name)
        .sort((a, b) => ordinalOf(b) - ordinalOf(a))[0];
      if (stale) this.deletePod(stale);
    }
    const counted = this.pods(sts).filter((p) => !terminating(p));
    const updated = counted.filter((p) => p.metadata.labels?.[REVISION_HASH] === update.name).length;
    const readyCount = counted.filter((p) => ready(p)).length;
    const status: Json = {
      observedGeneration: sts.metadata.generation,
      replicas: counted.length,
      readyReplicas: readyCount,
      currentReplicas: counted.filter((p) => p.metadata.labels?.[REVISION_HASH] === current).length,
      updatedReplicas: updated,
      currentRevision: current,
      updateRevision: update.name,
      collisionCount: 0,
      availableReplicas: counted.filter((p) => this.available(p, minReady)).length,
    };
    // completeRollingUpdate: every pod at the update revision and ready → it becomes the current one.
    if (rolling && updated === replicas && readyCount === replicas && counted.length === replicas) {
      status.currentRevision = update.name;
      status.currentReplicas = updated;
    }
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'])
      if (status[k] === 0) Reflect.deleteProperty(status, k);
    this.writeStatus('statefulsets', sts, status);
  }

  // ---------------------------------------------------------------- DaemonSet
  private syncDaemonSet(ds: KObject): void {
    const store = this.host.store;
    const name = ds.metadata.name;
    const hash = this.revision(ds, ds.spec.template).hash;
    const minReady = Number(ds.spec.minReadySeconds ?? 0);
    const rolling = ds.spec.updateStrategy?.type !== 'OnDelete';
    const maxUnavailable = resolve(
      ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1,
      NODE_NAMES.length,
    );
    const pods = this.pods(ds);
    for (const p of pods) if (terminal(p) && !terminating(p)) this.deletePod(p);
    const onNode = (node: string) => pods.filter((p) => p.spec?.nodeName === node && !terminating(p));
    for (const node of NODE_NAMES) {
      if (onNode(node).length || pods.some((p) => p.spec?.nodeName === node && terminating(p))) continue;
      const pod = podFrom(ds, ds.spec.template, `${name}-${randomSuffix(5)}`, {
        [REVISION_HASH]: hash,
        'pod-template-generation': String(ds.metadata.generation ?? 1),
      });
      pod.metadata.generateName = `${name}-`;
      pod.spec.nodeName = node;
      pod.spec.affinity = {
        ...(pod.spec.affinity ?? {}),
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
          },
        },
      };
      store.put('pods', pod);
      this.host.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
        component: 'daemonset-controller',
      });
    }
    const isNew = (p: KObject) => p.metadata.labels?.[REVISION_HASH] === hash;
    if (rolling) {
      const current = this.pods(ds).filter((p) => !terminating(p));
      const unavailable = NODE_NAMES.length - current.filter((p) => this.available(p, minReady)).length;
      let budget = Math.max(0, maxUnavailable - unavailable);
      // Old pods that are not available go first (they cost no availability), then available ones.
      const old = current
        .filter((p) => !isNew(p))
        .sort((a, b) => Number(this.available(a, minReady)) - Number(this.available(b, minReady)));
      for (const p of old) {
        if (!this.available(p, minReady)) this.deletePod(p);
        else if (budget > 0) {
          budget -= 1;
          this.deletePod(p);
        }
      }
    }
    const live = this.pods(ds).filter((p) => !terminating(p));
    const scheduled = new Set(live.map((p) => p.spec?.nodeName));
    const available = live.filter((p) => this.available(p, minReady)).length;
    const status: Json = {
      currentNumberScheduled: scheduled.size,
      numberMisscheduled: 0,
      desiredNumberScheduled: NODE_NAMES.length,
      numberReady: live.filter(ready).length,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: new Set(live.filter(isNew).map((p) => p.spec?.nodeName)).size,
      numberAvailable: available,
      numberUnavailable: NODE_NAMES.length - available,
    };
    for (const k of ['numberAvailable', 'numberUnavailable', 'updatedNumberScheduled'])
      if (status[k] === 0) Reflect.deleteProperty(status, k);
    this.writeStatus('daemonsets', ds, status);
  }

  // ---------------------------------------------------------------- Job
  private syncJob(job: KObject): void {
    const store = this.host.store;
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    const conditions: Json[] = clone(job.status?.conditions ?? []);
    const finished = conditions.some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    const pods = this.pods(job);
    const active = pods.filter((p) => !terminal(p) && !terminating(p));
    const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
    const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
    const completions = job.spec.completions ?? null;
    const parallelism = Number(job.spec.parallelism ?? 1);
    const backoffLimit = Number(job.spec.backoffLimit ?? 6);
    const status: Json = {
      ...clone(job.status ?? {}),
      startTime: job.status?.startTime ?? nowIso(),
      uncountedTerminatedPods: {},
    };
    let newConditions = conditions;
    if (!finished && !job.spec.suspend) {
      if (failed > backoffLimit) {
        const message = 'Job has reached the specified backoff limit';
        newConditions = setCondition(newConditions, 'FailureTarget', 'BackoffLimitExceeded', message);
        newConditions = setCondition(newConditions, 'Failed', 'BackoffLimitExceeded', message);
        for (const p of active) this.deletePod(p);
        this.host.events.record(job, 'Warning', 'BackoffLimitExceeded', message, {
          component: 'job-controller',
        });
      } else if (completions !== null && succeeded >= completions) {
        newConditions = setCondition(
          newConditions,
          'SuccessCriteriaMet',
          'CompletionsReached',
          'Reached expected number of succeeded pods',
        );
        newConditions = setCondition(
          newConditions,
          'Complete',
          'CompletionsReached',
          'Reached expected number of succeeded pods',
        );
        status.completionTime = nowIso();
        this.host.events.record(job, 'Normal', 'Completed', 'Job completed', { component: 'job-controller' });
      } else {
        const remaining = completions === null ? parallelism : completions - succeeded;
        const want = Math.min(parallelism, remaining) - active.length;
        const waitUntil = this.jobBackoff.get(key) ?? 0;
        if (want > 0 && Date.now() >= waitUntil) {
          for (let i = 0; i < want; i += 1) {
            const pod = podFrom(job, job.spec.template, `${job.metadata.name}-${randomSuffix(5)}`, {});
            pod.metadata.generateName = `${job.metadata.name}-`;
            store.put('pods', pod);
            this.host.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
              component: 'job-controller',
            });
          }
        }
        // The pod failure back-off: 10 s, doubling per failure, at most 6 min (cluster time).
        if (failed > 0 && (this.jobBackoff.get(`${key}#failed`) ?? 0) !== failed) {
          this.jobBackoff.set(`${key}#failed`, failed);
          this.jobBackoff.set(key, Date.now() + this.host.ms(Math.min(10 * 2 ** (failed - 1), 360)));
        }
      }
    }
    const nowActive = this.pods(job).filter((p) => !terminal(p) && !terminating(p));
    status.active = nowActive.length;
    status.succeeded = succeeded;
    status.failed = failed;
    status.ready = nowActive.filter(ready).length;
    status.terminating = this.pods(job).filter((p) => terminating(p) && !terminal(p)).length;
    for (const k of ['active', 'succeeded', 'failed']) if (status[k] === 0) Reflect.deleteProperty(status, k);
    if (newConditions.length) status.conditions = newConditions;
    this.writeStatus('jobs', job, status);
  }

  // ---------------------------------------------------------------- HorizontalPodAutoscaler
  private syncHpa(hpa: KObject): void {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const storage = { Deployment: 'deployments', StatefulSet: 'statefulsets', ReplicaSet: 'replicasets' }[
      String(ref.kind) as 'Deployment'
    ];
    const ns = hpa.metadata.namespace;
    const target = storage ? this.host.store.get(storage, ns, String(ref.name)) : undefined;
    const status: Json = clone(hpa.status ?? {});
    const now = nowIso();
    const cond = (type: string, ok: boolean, reason: string, message: string) => {
      const prev = (status.conditions ?? []).find((c: Json) => c.type === type);
      const s = ok ? 'True' : 'False';
      return {
        type,
        status: s,
        lastTransitionTime: prev && prev.status === s ? prev.lastTransitionTime : now,
        reason,
        message,
      };
    };
    if (!target) {
      status.currentReplicas = status.currentReplicas ?? 0;
      status.desiredReplicas = 0;
      status.conditions = [
        cond(
          'AbleToScale',
          false,
          'FailedGetScale',
          `the HPA controller was unable to get the target's current scale: ${String(ref.kind).toLowerCase()}s.apps "${String(ref.name)}" not found`,
        ),
      ];
      this.writeStatus('horizontalpodautoscalers', hpa, status);
      return;
    }
    const current = Number(target.spec?.replicas ?? 1);
    const min = Number(hpa.spec.minReplicas ?? 1);
    const max = Number(hpa.spec.maxReplicas);
    const asked = this.hpaDesired.get(`${ns}/${hpa.metadata.name}`);
    let desired = asked ?? current;
    let limited = false;
    if (desired < min) [desired, limited] = [min, true];
    if (desired > max) [desired, limited] = [max, true];
    if (current === 0) desired = 0; // scaling is disabled while the target is at zero
    if (desired !== current) {
      const scaled = clone(target);
      scaled.spec = { ...scaled.spec, replicas: desired };
      this.host.update(storage!, scaled, 'scale', {
        manager: 'kube-controller-manager',
        subresource: 'scale',
      });
      status.lastScaleTime = now;
      const reason =
        asked === undefined
          ? desired < current
            ? 'Current number of replicas above Spec.MaxReplicas'
            : 'Current number of replicas below Spec.MinReplicas'
          : 'the desired replica count set in the sandbox';
      this.host.events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, {
        component: 'horizontal-pod-autoscaler',
      });
    }
    status.currentReplicas = Number(target.status?.replicas ?? current);
    status.desiredReplicas = desired;
    status.observedGeneration = hpa.metadata.generation;
    status.conditions = [
      cond('AbleToScale', true, 'ReadyForNewScale', 'recommended size matches current size'),
      asked === undefined
        ? cond(
            'ScalingActive',
            false,
            'FailedGetResourceMetric',
            'the HPA was unable to compute the replica count: no metrics are served in the sandbox',
          )
        : cond('ScalingActive', true, 'ValidMetricFound', 'the desired replica count is set by the sandbox'),
      cond(
        'ScalingLimited',
        limited,
        limited ? 'TooFewReplicas' : 'DesiredWithinRange',
        limited
          ? 'the desired replica count is outside [minReplicas, maxReplicas]'
          : 'the desired count is within the acceptable range',
      ),
    ];
    this.writeStatus('horizontalpodautoscalers', hpa, status);
  }
}

function resolve(v: unknown, total: number): number {
  if (typeof v === 'string' && v.endsWith('%'))
    return Math.max(1, Math.floor((Number(v.slice(0, -1)) * total) / 100));
  return Math.max(1, Number(v));
}
