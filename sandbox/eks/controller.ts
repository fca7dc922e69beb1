// The Deployment and ReplicaSet controllers of the sandbox cluster, following pkg/controller/deployment
// (rolling.go, sync.go, progress.go, util/deployment_util.go) and pkg/controller/replicaset:
// https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
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
import type { EventRecorder } from './events.ts';
import { labelsMatch, selectorRequirements, type Store } from './store.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
const HASH = 'pod-template-hash';
const DEPLOYMENT_CONTROLLER = { component: 'deployment-controller' };
const RS_CONTROLLER = { component: 'replicaset-controller' };

export interface RolloutRecord {
  namespace: string;
  deployment: string;
  uid: string;
  generation: number;
  revision: string;
  replicaSet: string;
  startedAt: string;
  completedAt?: string;
  firstFailureAt?: string;
  firstFailureReason?: string;
  firstFailureMessage?: string;
}

/**
 * A scripted refusal of pod creation (stands in for an admission webhook or a ResourceQuota rejecting the
 * ReplicaSet controller's `POST pods`): pods of ReplicaSets whose template uses `image` (matched like image
 * scripts: full ref, ref without host, or repository) and/or that a Deployment named `deployment` controls.
 * `message` is the API error's text (`{pod}` → the pod's generateName); default: a ResourceQuota refusal.
 */
export interface PodCreationRefusal {
  id: number;
  image?: string;
  deployment?: string;
  namespace?: string;
  message?: string;
}

/** The replicaset controller's work-queue back-off after a failed sync (workqueue.DefaultControllerRateLimiter). */
const RETRY_BASE_SECONDS = 0.005;
const RETRY_MAX_SECONDS = 1000;

export interface ControllerHost {
  store: Store;
  events: EventRecorder;
  ms(seconds: number): number;
}

function resolveIntOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const v = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(v) : Math.floor(v);
  }
  return Number(value ?? 0);
}

function ownedBy(o: KObject, owner: KObject): boolean {
  return (o.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
}

function revisionOf(o: KObject): number {
  return Number(o.metadata.annotations?.[REVISION] ?? 0);
}

/**
 * The template as EqualIgnoreHash compares it: without the pod-template-hash label, and with
 * `creationTimestamp: null` (what kubectl rollout undo sends back) the same as no timestamp, as in Go.
 */
function templateWithoutHash(t: Json): Json {
  const c = clone(t ?? {});
  if (c.metadata?.labels) Reflect.deleteProperty(c.metadata.labels, HASH);
  if (c.metadata && c.metadata.creationTimestamp === null)
    Reflect.deleteProperty(c.metadata, 'creationTimestamp');
  return c;
}

/** Annotations the Deployment controller does not copy to its ReplicaSets (annotationsToSkip). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
]);

/** The Deployment's annotations its new ReplicaSet carries (change-cause included, for rollout history). */
function copiedAnnotations(d: KObject): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k)));
}

/** Pod is available: Ready for at least minReadySeconds (podutil.IsPodAvailable). */
function podReadySince(pod: KObject): number | undefined {
  const ready = (pod.status?.conditions ?? []).find((c: Json) => c.type === 'Ready');
  return ready?.status === 'True' ? Date.parse(ready.lastTransitionTime) : undefined;
}

function condition(type: string, status: boolean, reason: string, message: string): Json {
  const now = nowIso();
  return {
    type,
    status: status ? 'True' : 'False',
    lastUpdateTime: now,
    lastTransitionTime: now,
    reason,
    message,
  };
}

function setCondition(status: Json, c: Json): void {
  const list: Json[] = status.conditions ?? [];
  const existing = list.find((x) => x.type === c.type);
  if (existing && existing.status === c.status && existing.reason === c.reason) {
    if (existing.message !== c.message) {
      existing.message = c.message;
      existing.lastUpdateTime = c.lastUpdateTime;
    }
    return;
  }
  if (existing && existing.status === c.status) c.lastTransitionTime = existing.lastTransitionTime;
  status.conditions = [...list.filter((x) => x.type !== c.type), c];
}

function imageMatches(image: string, pattern: string): boolean {
  const noHost = image.replace(/^[^/]*[.:][^/]*\//, '');
  const repo = noHost.replace(/[@:].*$/, '');
  return pattern === image || pattern === noHost || pattern === repo;
}

export class Controllers {
  private readonly host: ControllerHost;
  readonly rollouts: RolloutRecord[] = [];
  readonly refusals: PodCreationRefusal[] = [];
  private nextRefusalId = 1;
  /** ReplicaSet uid → failed syncs in a row and when the work queue hands it out again (real ms). */
  private readonly retry = new Map<string, { failures: number; nextAt: number; generation: number }>();
  /** Real time at which a pod was first seen Ready (pod uid → ms). */
  private readonly readySeen = new Map<string, number>();
  constructor(host: ControllerHost) {
    this.host = host;
  }

  addRefusal(r: Omit<PodCreationRefusal, 'id'>): PodCreationRefusal {
    const refusal: PodCreationRefusal = { ...r, id: this.nextRefusalId++ };
    this.refusals.push(refusal);
    return refusal;
  }

  /** Removes one refusal (by id) or all of them; returns how many were removed. */
  clearRefusals(id?: number): number {
    const before = this.refusals.length;
    const keep = id === undefined ? [] : this.refusals.filter((r) => r.id !== id);
    this.refusals.splice(0, this.refusals.length, ...keep);
    return before - keep.length;
  }

  /** The API server's answer to the controller's pod create, if a scripted refusal applies. */
  private refusalFor(rs: KObject, pod: KObject): string | undefined {
    const owner = (rs.metadata.ownerReferences ?? []).find((o) => o.controller && o.kind === 'Deployment');
    const spec = rs.spec?.template?.spec ?? {};
    const images: string[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])]
      .map((c: Json) => String(c.image ?? ''))
      .filter(Boolean);
    const r = this.refusals.find(
      (x) =>
        (x.image !== undefined || x.deployment !== undefined) &&
        (x.namespace === undefined || x.namespace === rs.metadata.namespace) &&
        (x.deployment === undefined || owner?.name === x.deployment) &&
        (x.image === undefined || images.some((i) => imageMatches(i, x.image!))),
    );
    if (!r) return undefined;
    // admission.NewForbidden names the object by its generateName: name generation has not happened yet.
    const name = pod.metadata.generateName ?? pod.metadata.name;
    if (r.message !== undefined) return r.message.replaceAll('{pod}', name);
    const used = this.host.store
      .list('pods', rs.metadata.namespace)
      .filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase)).length;
    return (
      `pods "${name}" is forbidden: exceeded quota: sandbox-quota, requested: pods=1, ` +
      `used: pods=${used}, limited: pods=${used}`
    );
  }

  tick(): void {
    for (const d of this.host.store.list('deployments')) {
      try {
        this.syncDeployment(d);
      } catch (e) {
        console.error('[sandbox eks] deployment controller:', e);
      }
    }
    const replicaSets = this.host.store.list('replicasets');
    for (const rs of replicaSets) this.syncReplicaSet(rs);
    if (this.retry.size > 0) {
      const live = new Set(replicaSets.map((rs) => rs.metadata.uid));
      for (const uid of this.retry.keys()) if (!live.has(uid)) this.retry.delete(uid);
    }
    for (const d of this.host.store.list('deployments')) this.trackRollout(d);
  }

  // ---------------------------------------------------------------- ReplicaSet controller
  private available(pod: KObject, minReadySeconds: number): boolean {
    const since = podReadySince(pod);
    if (since === undefined || pod.metadata.deletionTimestamp) {
      this.readySeen.delete(pod.metadata.uid);
      return false;
    }
    // Condition times have second precision: measure minReadySeconds from when this controller first saw
    // the pod Ready, on the cluster's time scale.
    let seen = this.readySeen.get(pod.metadata.uid);
    if (seen === undefined) {
      seen = Date.now();
      this.readySeen.set(pod.metadata.uid, seen);
    }
    return minReadySeconds <= 0 || Date.now() - seen >= this.host.ms(minReadySeconds);
  }

  private syncReplicaSet(rs: KObject): void {
    const store = this.host.store;
    const ns = rs.metadata.namespace!;
    const reqs = selectorRequirements(rs.spec.selector ?? {});
    const pods = store.list('pods', ns).filter((p) => ownedBy(p, rs) && labelsMatch(p.metadata.labels, reqs));
    const active = pods.filter(
      (p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase),
    );
    const want = Number(rs.spec.replicas ?? 1);
    // manageReplicas' error of this sync: undefined = it succeeded; null = no sync happened (the work queue
    // still holds the ReplicaSet back after a failure), which leaves the ReplicaFailure condition as it is.
    let manageErr: string | undefined | null;
    const retry = this.retry.get(rs.metadata.uid);
    if (
      retry &&
      Date.now() < retry.nextAt &&
      retry.generation === Number(rs.metadata.generation ?? 0) &&
      active.length < want
    ) {
      manageErr = null;
    } else if (active.length < want) {
      // slowStartBatch: batches of 1, 2, 4, …; the first batch with an error ends the sync.
      let batch = 1;
      for (let i = active.length; i < want && manageErr === undefined; batch *= 2) {
        for (let n = 0; n < batch && i < want; n += 1, i += 1) {
          const pod = this.newPod(rs);
          const refused = this.refusalFor(rs, pod);
          if (refused !== undefined) {
            this.host.events.record(
              rs,
              'Warning',
              'FailedCreate',
              `Error creating: ${refused}`,
              RS_CONTROLLER,
            );
            manageErr = refused;
            continue;
          }
          store.put('pods', pod);
          this.host.events.record(
            rs,
            'Normal',
            'SuccessfulCreate',
            `Created pod: ${pod.metadata.name}`,
            RS_CONTROLLER,
          );
          active.push(pod);
        }
      }
    } else if (active.length > want) {
      // getPodsToDelete: unscheduled < scheduled, pending < running, not ready < ready, newer first.
      const rank = (p: KObject): number[] => [
        p.spec?.nodeName ? 1 : 0,
        p.status?.phase === 'Running' ? 1 : 0,
        podReadySince(p) !== undefined ? 1 : 0,
        -Date.parse(p.metadata.creationTimestamp),
      ];
      const sorted = [...active].sort((a, b) => {
        const ra = rank(a);
        const rb = rank(b);
        for (let i = 0; i < ra.length; i += 1) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
        return 0;
      });
      for (const p of sorted.slice(0, active.length - want)) {
        p.metadata.deletionTimestamp = nowIso();
        (p.metadata as Json).deletionGracePeriodSeconds = p.spec?.terminationGracePeriodSeconds ?? 30;
        store.put('pods', p);
        this.host.events.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${p.metadata.name}`,
          RS_CONTROLLER,
        );
      }
    }
    const live = store
      .list('pods', ns)
      .filter(
        (p) =>
          ownedBy(p, rs) &&
          !p.metadata.deletionTimestamp &&
          !['Succeeded', 'Failed'].includes(p.status?.phase),
      );
    const minReady = Number(rs.spec.minReadySeconds ?? 0);
    const status: Json = {
      replicas: live.length,
      fullyLabeledReplicas: live.filter((p) =>
        labelsMatch(
          p.metadata.labels,
          selectorRequirements({ matchLabels: rs.spec.template?.metadata?.labels }),
        ),
      ).length,
      readyReplicas: live.filter((p) => podReadySince(p) !== undefined).length,
      availableReplicas: live.filter((p) => this.available(p, minReady)).length,
      observedGeneration: rs.metadata.generation,
    };
    if (rs.status?.conditions) status.conditions = clone(rs.status.conditions);
    if (manageErr === undefined) this.retry.delete(rs.metadata.uid);
    else if (manageErr !== null) {
      // AddRateLimited: exponential per-item back-off, 5 ms doubling up to 1000 s (cluster time here).
      const failures = (retry?.failures ?? 0) + 1;
      const delay = Math.min(RETRY_BASE_SECONDS * 2 ** (failures - 1), RETRY_MAX_SECONDS);
      this.retry.set(rs.metadata.uid, {
        failures,
        nextAt: Date.now() + this.host.ms(delay),
        generation: Number(rs.metadata.generation ?? 0),
      });
    }
    // calculateStatus (replica_set_utils.go): the condition is added once (the first error's message stays)
    // and removed by the first sync whose manageReplicas succeeds.
    const failureCond = (status.conditions ?? []).find((c: Json) => c.type === 'ReplicaFailure');
    if (typeof manageErr === 'string' && !failureCond) {
      const reason = active.length < want ? 'FailedCreate' : active.length > want ? 'FailedDelete' : '';
      status.conditions = [
        ...(status.conditions ?? []),
        { type: 'ReplicaFailure', status: 'True', lastTransitionTime: nowIso(), reason, message: manageErr },
      ];
    } else if (manageErr === undefined && failureCond) {
      status.conditions = status.conditions.filter((c: Json) => c.type !== 'ReplicaFailure');
      if (status.conditions.length === 0) Reflect.deleteProperty(status, 'conditions');
    }
    const fresh = store.get('replicasets', ns, rs.metadata.name);
    if (fresh && !deepEqual(fresh.status ?? {}, status)) {
      fresh.status = status;
      store.put('replicasets', fresh);
    }
  }

  private newPod(rs: KObject): KObject {
    const t = clone(rs.spec.template ?? {});
    const prefix = `${rs.metadata.name}-`;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(t.metadata ?? {}),
        name: `${prefix}${randomSuffix(5)}`,
        generateName: prefix,
        namespace: rs.metadata.namespace,
        uid: newUid(),
        resourceVersion: '',
        creationTimestamp: nowIso(),
        labels: { ...(t.metadata?.labels ?? {}) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: rs.metadata.name,
            uid: rs.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: t.spec ?? {},
      status: { phase: 'Pending', qosClass: 'BestEffort' },
    };
  }

  // ---------------------------------------------------------------- Deployment controller
  private syncDeployment(d: KObject): void {
    const store = this.host.store;
    const ns = d.metadata.namespace!;
    const replicas = Number(d.spec.replicas ?? 1);
    const reqs = selectorRequirements(d.spec.selector ?? {});
    let all = store.list('replicasets', ns).filter((rs) => ownedBy(rs, d));
    // Adopt/ignore: only controlled ReplicaSets whose labels match.
    all = all.filter((rs) => labelsMatch(rs.spec?.template?.metadata?.labels, reqs));
    const template = templateWithoutHash(d.spec.template);
    let newRs = all
      .filter((rs) => deepEqual(templateWithoutHash(rs.spec.template), template))
      .sort((a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp))[0];
    const olds = all.filter((rs) => rs !== newRs);
    const maxOldRevision = Math.max(0, ...olds.map(revisionOf));
    const status: Json = clone(d.status ?? {});
    let rsCreated = false;
    if (d.spec.paused) {
      this.writeStatus(d, all, newRs, status, false);
      return;
    }
    if (!newRs) {
      const hash = podTemplateHash(template, Number(d.status?.collisionCount ?? 0));
      const t = clone(d.spec.template);
      t.metadata = t.metadata ?? {};
      t.metadata.labels = { ...(t.metadata.labels ?? {}), [HASH]: hash };
      const now = nowIso();
      newRs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          uid: newUid(),
          resourceVersion: '',
          generation: 1,
          creationTimestamp: now,
          labels: { ...(d.spec.template?.metadata?.labels ?? {}), [HASH]: hash },
          annotations: {
            ...copiedAnnotations(d),
            [DESIRED]: String(replicas),
            [MAX_REPLICAS]: String(replicas + this.maxSurge(d)),
            [REVISION]: String(maxOldRevision + 1),
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: d.metadata.name,
              uid: d.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec.minReadySeconds ?? 0,
          selector: {
            ...clone(d.spec.selector),
            matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), [HASH]: hash },
          },
          template: t,
        },
        status: { replicas: 0 },
      };
      if (store.get('replicasets', ns, newRs.metadata.name)) {
        // Hash collision: bump collisionCount and retry on the next sync.
        status.collisionCount = Number(status.collisionCount ?? 0) + 1;
        this.putDeploymentStatus(d, status);
        return;
      }
      newRs = store.put('replicasets', newRs);
      rsCreated = true;
      setCondition(
        status,
        condition(
          'Progressing',
          true,
          'NewReplicaSetCreated',
          `Created new replica set "${newRs.metadata.name}"`,
        ),
      );
    } else if (
      revisionOf(newRs) <= maxOldRevision ||
      newRs.spec.minReadySeconds !== (d.spec.minReadySeconds ?? 0) ||
      Object.entries(copiedAnnotations(d)).some(([k, v]) => newRs!.metadata.annotations?.[k] !== v)
    ) {
      // Rollback to an older template: the old ReplicaSet becomes new and gets the next revision.
      const prior = newRs.metadata.annotations?.[REVISION];
      const rolledBack = revisionOf(newRs) <= maxOldRevision;
      const minReadyChanged = newRs.spec.minReadySeconds !== (d.spec.minReadySeconds ?? 0);
      const ann = { ...(newRs.metadata.annotations ?? {}), ...copiedAnnotations(d) };
      if (rolledBack) {
        ann[REVISION] = String(maxOldRevision + 1);
        if (prior)
          ann[REVISION_HISTORY] = ann[REVISION_HISTORY] ? `${ann[REVISION_HISTORY]},${prior}` : prior;
      }
      newRs.metadata.annotations = ann;
      if (newRs.spec.minReadySeconds !== (d.spec.minReadySeconds ?? 0)) {
        newRs.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
        newRs.metadata.generation = Number(newRs.metadata.generation ?? 1) + 1;
      }
      newRs = store.put('replicasets', newRs);
      if (rolledBack || minReadyChanged)
        setCondition(
          status,
          condition(
            'Progressing',
            true,
            'FoundNewReplicaSet',
            `Found new replica set "${newRs.metadata.name}"`,
          ),
        );
    }
    // The Deployment carries the new ReplicaSet's revision.
    const rev = newRs.metadata.annotations?.[REVISION];
    if (rev && d.metadata.annotations?.[REVISION] !== rev) {
      const fresh = store.get('deployments', ns, d.metadata.name);
      if (fresh) {
        fresh.metadata.annotations = { ...(fresh.metadata.annotations ?? {}), [REVISION]: rev };
        d = store.put('deployments', fresh);
      }
    }
    all = store.list('replicasets', ns).filter((rs) => ownedBy(rs, d));
    newRs = all.find((rs) => rs.metadata.uid === newRs!.metadata.uid)!;
    const oldRss = all.filter((rs) => rs.metadata.uid !== newRs!.metadata.uid);

    if ((d.spec.strategy?.type ?? 'RollingUpdate') === 'Recreate') this.recreate(d, newRs, oldRss, replicas);
    else this.rolling(d, newRs, oldRss, replicas);

    all = store.list('replicasets', ns).filter((rs) => ownedBy(rs, d));
    newRs = all.find((rs) => rs.metadata.uid === newRs!.metadata.uid)!;
    this.writeStatus(d, all, newRs, status, rsCreated);
    this.cleanup(d, all, newRs);
  }

  private maxSurge(d: KObject): number {
    const replicas = Number(d.spec.replicas ?? 1);
    const ru = d.spec.strategy?.rollingUpdate ?? {};
    const surge = resolveIntOrPercent(ru.maxSurge ?? '25%', replicas, true);
    const unavailable = resolveIntOrPercent(ru.maxUnavailable ?? '25%', replicas, false);
    return surge === 0 && unavailable === 0 ? 0 : surge;
  }

  private maxUnavailable(d: KObject): number {
    const replicas = Number(d.spec.replicas ?? 1);
    if ((d.spec.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate' || replicas === 0) return 0;
    const ru = d.spec.strategy?.rollingUpdate ?? {};
    const surge = resolveIntOrPercent(ru.maxSurge ?? '25%', replicas, true);
    let unavailable = resolveIntOrPercent(ru.maxUnavailable ?? '25%', replicas, false);
    if (surge === 0 && unavailable === 0) unavailable = 1;
    return Math.min(unavailable, replicas);
  }

  private scale(d: KObject, rs: KObject, to: number): void {
    const from = Number(rs.spec.replicas ?? 0);
    if (from === to) return;
    const fresh = this.host.store.get('replicasets', rs.metadata.namespace, rs.metadata.name);
    if (!fresh) return;
    fresh.spec.replicas = to;
    fresh.metadata.generation = Number(fresh.metadata.generation ?? 1) + 1;
    fresh.metadata.annotations = {
      ...(fresh.metadata.annotations ?? {}),
      [DESIRED]: String(d.spec.replicas ?? 1),
      [MAX_REPLICAS]: String(Number(d.spec.replicas ?? 1) + this.maxSurge(d)),
    };
    this.host.store.put('replicasets', fresh);
    rs.spec.replicas = to;
    const dir = to > from ? 'up' : 'down';
    this.host.events.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${dir} replica set ${rs.metadata.name} from ${from} to ${to}`,
      DEPLOYMENT_CONTROLLER,
    );
  }

  private rolling(d: KObject, newRs: KObject, olds: KObject[], replicas: number): void {
    const sum = (rss: KObject[]) => rss.reduce((n, rs) => n + Number(rs.spec.replicas ?? 0), 0);
    // reconcileNewReplicaSet
    const newReplicas = Number(newRs.spec.replicas ?? 0);
    if (newReplicas > replicas) this.scale(d, newRs, replicas);
    else if (newReplicas < replicas) {
      const maxTotal = replicas + this.maxSurge(d);
      const current = sum([newRs, ...olds]);
      if (current < maxTotal)
        this.scale(d, newRs, newReplicas + Math.min(maxTotal - current, replicas - newReplicas));
    }
    // reconcileOldReplicaSets
    const oldPods = sum(olds);
    if (oldPods === 0) return;
    const allPods = sum([newRs, ...olds]);
    const minAvailable = replicas - this.maxUnavailable(d);
    const newUnavailable = Number(newRs.spec.replicas ?? 0) - Number(newRs.status?.availableReplicas ?? 0);
    let maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    const byAge = [...olds].sort(
      (a, b) => Date.parse(a.metadata.creationTimestamp) - Date.parse(b.metadata.creationTimestamp),
    );
    // cleanupUnhealthyReplicas
    for (const rs of byAge) {
      if (maxScaledDown <= 0) break;
      const unhealthy = Number(rs.spec.replicas ?? 0) - Number(rs.status?.availableReplicas ?? 0);
      if (Number(rs.spec.replicas ?? 0) === 0 || unhealthy <= 0) continue;
      const down = Math.min(maxScaledDown, unhealthy);
      this.scale(d, rs, Number(rs.spec.replicas) - down);
      maxScaledDown -= down;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const availableAll = [newRs, ...olds].reduce((n, rs) => n + Number(rs.status?.availableReplicas ?? 0), 0);
    if (availableAll <= minAvailable) return;
    let total = availableAll - minAvailable;
    for (const rs of byAge) {
      if (total <= 0) break;
      const r = Number(rs.spec.replicas ?? 0);
      if (r === 0) continue;
      const down = Math.min(r, total);
      this.scale(d, rs, r - down);
      total -= down;
    }
  }

  private recreate(d: KObject, newRs: KObject, olds: KObject[], replicas: number): void {
    for (const rs of olds) if (Number(rs.spec.replicas ?? 0) > 0) this.scale(d, rs, 0);
    const oldPodsRunning = olds.some((rs) => Number(rs.status?.replicas ?? 0) > 0);
    if (!oldPodsRunning && Number(newRs.spec.replicas ?? 0) !== replicas) this.scale(d, newRs, replicas);
  }

  private writeStatus(
    d: KObject,
    all: KObject[],
    newRs: KObject | undefined,
    status: Json,
    rsCreated: boolean,
  ): void {
    const replicas = Number(d.spec.replicas ?? 1);
    const sum = (f: (rs: KObject) => number) => all.reduce((n, rs) => n + f(rs), 0);
    const prev = d.status ?? {};
    status.observedGeneration = d.metadata.generation;
    status.replicas = sum((rs) => Number(rs.status?.replicas ?? 0));
    status.updatedReplicas = Number(newRs?.status?.replicas ?? 0);
    status.readyReplicas = sum((rs) => Number(rs.status?.readyReplicas ?? 0));
    status.availableReplicas = sum((rs) => Number(rs.status?.availableReplicas ?? 0));
    status.unavailableReplicas = Math.max(
      0,
      status.replicas - status.availableReplicas,
      replicas - status.availableReplicas,
    );
    for (const k of [
      'readyReplicas',
      'availableReplicas',
      'updatedReplicas',
      'replicas',
      'unavailableReplicas',
    ]) {
      if (status[k] === 0) Reflect.deleteProperty(status, k);
    }
    const available = Number(status.availableReplicas ?? 0) >= replicas - this.maxUnavailable(d);
    setCondition(
      status,
      available
        ? condition('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition(
            'Available',
            false,
            'MinimumReplicasUnavailable',
            'Deployment does not have minimum availability.',
          ),
    );
    if (d.spec.paused) {
      setCondition(status, condition('Progressing', false, 'DeploymentPaused', 'Deployment is paused'));
    } else if (newRs && !rsCreated) {
      // syncRolloutStatus
      const complete =
        Number(status.updatedReplicas ?? 0) === replicas &&
        Number(status.replicas ?? 0) === replicas &&
        Number(status.availableReplicas ?? 0) === replicas &&
        Number(status.observedGeneration ?? 0) >= Number(d.metadata.generation ?? 0);
      const oldReplicas = (s: Json) => Number(s.replicas ?? 0) - Number(s.updatedReplicas ?? 0);
      const progressing =
        Number(status.updatedReplicas ?? 0) > Number(prev.updatedReplicas ?? 0) ||
        oldReplicas(status) < oldReplicas(prev) ||
        Number(status.readyReplicas ?? 0) > Number(prev.readyReplicas ?? 0) ||
        Number(status.availableReplicas ?? 0) > Number(prev.availableReplicas ?? 0);
      const cur = (status.conditions ?? []).find((c: Json) => c.type === 'Progressing');
      if (complete) {
        setCondition(
          status,
          condition(
            'Progressing',
            true,
            'NewReplicaSetAvailable',
            `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`,
          ),
        );
      } else if (progressing) {
        const c = condition(
          'Progressing',
          true,
          'ReplicaSetUpdated',
          `ReplicaSet "${newRs.metadata.name}" is progressing.`,
        );
        if (cur && cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
        status.conditions = [...(status.conditions ?? []).filter((x: Json) => x.type !== 'Progressing'), c];
      } else if (
        cur &&
        d.spec.progressDeadlineSeconds !== undefined &&
        d.spec.progressDeadlineSeconds !== 2147483647
      ) {
        const timedOut =
          cur.reason === 'ProgressDeadlineExceeded' ||
          (cur.reason !== 'NewReplicaSetAvailable' &&
            Date.now() >
              Date.parse(cur.lastUpdateTime) + this.host.ms(Number(d.spec.progressDeadlineSeconds)));
        if (timedOut) {
          setCondition(
            status,
            condition(
              'Progressing',
              false,
              'ProgressDeadlineExceeded',
              `ReplicaSet "${newRs.metadata.name}" has timed out progressing.`,
            ),
          );
        }
      } else if (!cur) {
        setCondition(
          status,
          condition(
            'Progressing',
            true,
            'NewReplicaSetCreated',
            `Created new replica set "${newRs.metadata.name}"`,
          ),
        );
      }
    }
    if (!d.spec.paused) {
      // getReplicaFailures (progress.go): the new ReplicaSet's ReplicaFailure, else any ReplicaSet's, copied by
      // ReplicaSetToDeploymentCondition (both times = the ReplicaSet condition's lastTransitionTime) and set
      // with SetDeploymentCondition (same status and reason → unchanged); none → the condition is removed.
      const failureOf = (rs: KObject | undefined) =>
        (rs?.status?.conditions ?? []).find((c: Json) => c.type === 'ReplicaFailure');
      const failure = failureOf(newRs) ?? all.map(failureOf).find(Boolean);
      if (failure) {
        const cur = (status.conditions ?? []).find((c: Json) => c.type === 'ReplicaFailure');
        if (!cur || cur.status !== failure.status || cur.reason !== failure.reason) {
          status.conditions = [
            ...(status.conditions ?? []).filter((c: Json) => c.type !== 'ReplicaFailure'),
            {
              type: 'ReplicaFailure',
              status: failure.status,
              lastUpdateTime: failure.lastTransitionTime,
              lastTransitionTime:
                cur && cur.status === failure.status ? cur.lastTransitionTime : failure.lastTransitionTime,
              reason: failure.reason,
              message: failure.message,
            },
          ];
        }
      } else if (status.conditions) {
        status.conditions = status.conditions.filter((c: Json) => c.type !== 'ReplicaFailure');
      }
    }
    this.putDeploymentStatus(d, status);
  }

  private putDeploymentStatus(d: KObject, status: Json): void {
    const fresh = this.host.store.get('deployments', d.metadata.namespace, d.metadata.name);
    if (!fresh || fresh.metadata.uid !== d.metadata.uid) return;
    // Conditions compare without timestamps that only moved because we recomputed them.
    if (deepEqual(fresh.status ?? {}, status)) return;
    fresh.status = status;
    this.host.store.put('deployments', fresh);
  }

  private cleanup(d: KObject, all: KObject[], newRs: KObject): void {
    const limit = Number(d.spec.revisionHistoryLimit ?? 10);
    const candidates = all
      .filter(
        (rs) =>
          rs.metadata.uid !== newRs.metadata.uid &&
          Number(rs.spec.replicas ?? 0) === 0 &&
          Number(rs.status?.replicas ?? 0) === 0,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const excess = candidates.length - limit;
    for (const rs of candidates.slice(0, Math.max(0, excess))) {
      this.host.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
    }
  }

  // ---------------------------------------------------------------- rollout timeline (control interface)
  private trackRollout(d: KObject): void {
    const rev = d.metadata.annotations?.[REVISION];
    if (!rev) return;
    const ns = d.metadata.namespace!;
    const rsName = this.host.store
      .list('replicasets', ns)
      .find((rs) => ownedBy(rs, d) && rs.metadata.annotations?.[REVISION] === rev)?.metadata.name;
    if (!rsName) return;
    let rec = this.rollouts.find(
      (r) => r.uid === d.metadata.uid && r.revision === rev && r.generation === Number(d.metadata.generation),
    );
    if (!rec) {
      const last = this.rollouts.filter((r) => r.uid === d.metadata.uid).at(-1);
      // A spec change that made no new revision (e.g. scaling) keeps the current record.
      if (last && last.revision === rev && last.completedAt === undefined) rec = last;
      else if (
        last &&
        last.revision === rev &&
        last.completedAt !== undefined &&
        Number(d.metadata.generation) === last.generation
      )
        rec = last;
      else {
        rec = {
          namespace: ns,
          deployment: d.metadata.name,
          uid: d.metadata.uid,
          generation: Number(d.metadata.generation),
          revision: rev,
          replicaSet: rsName,
          startedAt: new Date().toISOString(),
        };
        this.rollouts.push(rec);
        if (this.rollouts.length > 1000) this.rollouts.shift();
      }
    }
    const conds: Json[] = d.status?.conditions ?? [];
    const progressing = conds.find((c) => c.type === 'Progressing');
    if (
      !rec.completedAt &&
      progressing?.reason === 'NewReplicaSetAvailable' &&
      Number(d.status?.observedGeneration) >= Number(d.metadata.generation)
    ) {
      rec.completedAt = new Date().toISOString();
    }
    if (rec.firstFailureAt) return;
    const fail = (reason: string, message: string) => {
      rec!.firstFailureAt = new Date().toISOString();
      rec!.firstFailureReason = reason;
      rec!.firstFailureMessage = message;
    };
    if (progressing?.reason === 'ProgressDeadlineExceeded')
      return fail('ProgressDeadlineExceeded', progressing.message);
    // The rollout's ReplicaSet failing to create pods counts from the sync that failed (the Deployment copies
    // the condition on its next sync); a ReplicaFailure the Deployment took from another ReplicaSet counts too.
    const rsFailure = this.host.store
      .get('replicasets', ns, rsName)
      ?.status?.conditions?.find((c: Json) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (rsFailure) return fail(rsFailure.reason, rsFailure.message);
    const rf = conds.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    if (rf) return fail(rf.reason, rf.message);
    for (const pod of this.host.store.list('pods', ns)) {
      if (pod.metadata.labels?.[HASH] === undefined || !pod.metadata.name.startsWith(`${rsName}-`)) continue;
      for (const cs of [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ]) {
        const w = cs.state?.waiting;
        if (
          w &&
          [
            'ErrImagePull',
            'ImagePullBackOff',
            'CrashLoopBackOff',
            'CreateContainerConfigError',
            'InvalidImageName',
          ].includes(w.reason)
        ) {
          return fail(w.reason, `${pod.metadata.name}/${cs.name}: ${w.message ?? ''}`);
        }
        const t = cs.lastState?.terminated ?? cs.state?.terminated;
        if (t && t.exitCode !== 0)
          return fail('ContainerTerminated', `${pod.metadata.name}/${cs.name}: exit code ${t.exitCode}`);
      }
    }
  }
}
