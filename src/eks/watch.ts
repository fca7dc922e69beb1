import type { Clock } from '../deploy/clock.ts';
import { formatDuration } from '../deploy/duration.ts';
import { Heartbeat, type Log } from '../deploy/log.ts';
import { Backoff, classifyError } from '../deploy/retry.ts';
import type { Verdict, WaitBudget } from '../deploy/target.ts';
import { KubeApiError, type KubeApi, type WatchEvent } from './kube-client.ts';
import {
  REVISION_ANNOTATION,
  classifyPod,
  evaluateDeployment,
  selectorOf,
  type K8sDeployment,
  type K8sPod,
} from './rollout.ts';

interface ListResult<T> {
  metadata?: { resourceVersion?: string };
  items?: T[];
}

type Named = { metadata: { name: string; resourceVersion?: string } };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface FollowOptions<T> {
  readonly kube: KubeApi;
  readonly collection: string;
  readonly query: string;
  readonly clock: Clock;
  readonly log: Log;
  readonly signal: AbortSignal;
  readonly onChange: (items: ReadonlyMap<string, T>) => void;
}

/**
 * Keeps a list of objects current: list, then watch from its resourceVersion; a dropped stream resumes from
 * the last version seen, an expired version (410 Gone) lists again. Failures are retried with backoff for as
 * long as it runs; a permanent one (401, 403) stops it and is kept in `fatal`.
 */
class Follower<T extends Named> {
  readonly items = new Map<string, T>();
  /** Since when, and why, the collection cannot be followed; undefined while it can. */
  failing: { since: number; error: string } | undefined;
  fatal: string | undefined;
  private readonly options: FollowOptions<T>;

  constructor(options: FollowOptions<T>) {
    this.options = options;
  }

  async run(): Promise<void> {
    const { kube, collection, query, clock, log, signal } = this.options;
    const backoff = new Backoff({ initialMs: 400, maxMs: 3000 });
    let resourceVersion: string | undefined;
    let needList = true;
    let relisted = false;
    while (!signal.aborted) {
      try {
        if (needList) {
          const list = await kube.get<ListResult<T>>(`${collection}?${query}`);
          this.items.clear();
          for (const item of list.items ?? []) this.items.set(item.metadata.name, item);
          resourceVersion = list.metadata?.resourceVersion;
          needList = false;
          this.options.onChange(this.items);
        }
        let gone = false;
        const watch = await kube.watch(
          `${collection}?${query}&watch=true&allowWatchBookmarks=true&timeoutSeconds=240&resourceVersion=${resourceVersion ?? ''}`,
          (event: WatchEvent) => {
            const object = event.object as unknown as T & { code?: number };
            if (event.type === 'ERROR') {
              if (object.code === 410) gone = true;
              return;
            }
            if (object.metadata?.resourceVersion) resourceVersion = object.metadata.resourceVersion;
            if (event.type === 'BOOKMARK') return;
            if (event.type === 'DELETED') this.items.delete(object.metadata.name);
            else this.items.set(object.metadata.name, object);
            this.options.onChange(this.items);
          },
        );
        const stop = () => watch.stop();
        signal.addEventListener('abort', stop, { once: true });
        if (signal.aborted) watch.stop();
        if (this.failing) {
          log.info(
            `The watch on ${collection} is back (after ${formatDuration(clock.now() - this.failing.since)}).`,
          );
          this.failing = undefined;
        }
        backoff.reset();
        try {
          await watch.done;
        } finally {
          signal.removeEventListener('abort', stop);
        }
        if (gone) throw new KubeApiError(410, 'Expired', 'the watch answered 410 Gone');
        relisted = false;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof KubeApiError && error.status === 410) {
          log.info(`The watch on ${collection} expired (410 Gone); listing again.`);
          // A fresh list too old at once again: do not ask in a tight loop.
          if (relisted) await clock.sleep(backoff.next(), signal);
          relisted = needList = true;
          continue;
        }
        if (classifyError(error) === 'permanent') {
          this.fatal = `${collection}: ${message(error)}`;
          this.options.onChange(this.items);
          return;
        }
        this.failing ??= { since: clock.now(), error: message(error) };
        this.failing.error = message(error);
        log.info(`The watch on ${collection} dropped (${message(error)}); resuming.`);
        await clock.sleep(backoff.next(), signal);
      }
    }
  }
}

export interface WatchRolloutOptions {
  readonly kube: KubeApi;
  readonly namespace: string;
  readonly name: string;
  readonly ourGeneration: number;
  readonly budget: WaitBudget;
  readonly clock: Clock;
  readonly log: Log;
  /** What the Deployment controller does on its own, for an unverified result. */
  readonly onItsOwn: string;
  /** Called once with the failing pod's details (events, previous logs) before the failure is reported. */
  readonly explain: (pod: K8sPod, crashed: readonly string[]) => Promise<string[]>;
  /**
   * Whether a newer generation is still our rollout (an HPA that only changed `replicas`, the pod template
   * being ours); without it every newer generation is someone else's change.
   */
  readonly stillOurs?: (d: K8sDeployment) => boolean;
}

export interface WatchOutcome {
  readonly verdict: Verdict;
  /** The Deployment's revision when the watch ended. */
  readonly revision: string | undefined;
}

/**
 * Watches the Deployment and its pods until our generation has rolled out (kubectl's rule), failed (progress
 * deadline, ReplicaFailure, a definitive pod failure), was replaced by someone else's change, or the budget
 * runs out. Watches that drop are resumed and failed reads retried until the deadline: when the state could
 * not be seen at the end, the verdict is `unverified`.
 */
export async function watchRollout(
  options: WatchRolloutOptions,
  initial: K8sDeployment,
): Promise<WatchOutcome> {
  const { kube, namespace, name, clock, budget } = options;
  const started = clock.now();
  // Everything this watch prints goes through the heartbeat, which speaks up only when it was quiet.
  const log = new Heartbeat({ log: options.log, clock, name });
  const stopAll = new AbortController();
  let deployment = initial;
  let ourGeneration = options.ourGeneration;
  let deleted = false;
  let pods: ReadonlyMap<string, K8sPod> = new Map();
  let newReplicaSet: string | undefined;
  let podChecks = budget.failFastAfter > 0;
  let lastMessage = '';
  const failedPods = new Set<string>();
  const definitive: string[] = [];
  let dirty = true;
  let poke = new AbortController();
  const changed = () => {
    dirty = true;
    poke.abort();
  };
  const revision = () => deployment.metadata.annotations?.[REVISION_ANNOTATION];
  const followers = [
    new Follower<K8sDeployment>({
      kube,
      collection: `/apis/apps/v1/namespaces/${namespace}/deployments`,
      query: `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
      clock,
      log,
      signal: stopAll.signal,
      onChange: (items) => {
        const d = items.get(name);
        deleted = !d;
        if (d) deployment = d;
        changed();
      },
    }),
    new Follower<K8sPod>({
      kube,
      collection: `/api/v1/namespaces/${namespace}/pods`,
      query: `labelSelector=${encodeURIComponent(selectorOf(initial))}`,
      clock,
      log,
      signal: stopAll.signal,
      onChange: (items) => {
        pods = items;
        changed();
      },
    }),
  ];

  const findNewReplicaSet = async () => {
    if (newReplicaSet || (deployment.status?.observedGeneration ?? 0) < ourGeneration) return;
    const list = await kube.get<
      ListResult<{ metadata: { name: string; annotations?: Record<string, string> } }>
    >(
      `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(selectorOf(deployment))}`,
    );
    newReplicaSet = list.items?.find((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === revision())
      ?.metadata.name;
  };

  /** One look at what the watches hold; a verdict when there is one. May throw when a GET fails. */
  const check = async (): Promise<Verdict | undefined> => {
    if (deleted) {
      return {
        kind: 'failed',
        reason: `Deployment ${name} was deleted during the rollout`,
        superseded: true,
      };
    }
    const generation = deployment.metadata.generation ?? 0;
    if (generation > ourGeneration && options.stillOurs?.(deployment)) ourGeneration = generation;
    const verdict = evaluateDeployment(deployment, ourGeneration);
    if (verdict.kind === 'failed') {
      return { kind: 'failed', reason: verdict.reason, ...(verdict.superseded ? { superseded: true } : {}) };
    }
    if (verdict.kind === 'completed') {
      log.info(verdict.message);
      return { kind: 'completed' };
    }
    if (verdict.message !== lastMessage) {
      lastMessage = verdict.message;
      log.info(verdict.message);
    }
    if (!verdict.replicaFailure && !podChecks) return undefined;
    await findNewReplicaSet();
    if (verdict.replicaFailure && newReplicaSet) {
      // Only our ReplicaSet's failure counts: an old one's can linger while it is scaled down.
      const rs = await kube.get<{ status?: { conditions?: { type?: string; status?: string }[] } }>(
        `/apis/apps/v1/namespaces/${namespace}/replicasets/${newReplicaSet}`,
      );
      if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) {
        return { kind: 'failed', reason: verdict.replicaFailure };
      }
    }
    if (!podChecks) return undefined;
    for (const pod of pods.values()) {
      if (!newReplicaSet || !pod.metadata.ownerReferences?.some((o) => o.name === newReplicaSet)) continue;
      const podVerdict = classifyPod(pod, budget.failFastAfter);
      if (!podVerdict.definitive || failedPods.has(pod.metadata.name)) continue;
      failedPods.add(pod.metadata.name);
      definitive.push(...podVerdict.problems);
      const details = await options.explain(pod, podVerdict.crashed);
      return { kind: 'failed', reason: [...podVerdict.problems, ...details].join('\n') };
    }
    return undefined;
  };

  const lastSeen = () =>
    `${lastMessage || 'no progress reported'}${definitive.length ? `; ${definitive.join('; ')}` : ''}`;
  const unseen = () => followers.find((f) => f.failing || f.fatal);

  const { signal } = budget;
  signal?.addEventListener('abort', changed, { once: true });
  for (const f of followers) void f.run();
  try {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 16_000 });
    let retryAt = Number.POSITIVE_INFINITY;
    for (;;) {
      if (signal?.aborted) {
        return {
          verdict: {
            kind: 'unverified',
            reason: `the watch was stopped (the step was cancelled); last seen: ${lastSeen()}; ${options.onItsOwn}`,
          },
          revision: revision(),
        };
      }
      const last = clock.now() >= budget.deadline;
      if (dirty || last) {
        dirty = false;
        retryAt = Number.POSITIVE_INFINITY;
        try {
          const verdict = await check();
          if (verdict) return { verdict, revision: revision() };
          backoff.reset();
        } catch (error) {
          if (classifyError(error) === 'permanent' && podChecks) {
            podChecks = false;
            log.warning(
              `${name}: cannot read its ReplicaSets (${message(error)}); failing pods are not detected early, the Deployment's own conditions decide.`,
            );
            dirty = true;
            continue;
          }
          retryAt = clock.now() + backoff.next();
        }
      }
      const fatal = followers.find((f) => f.fatal)?.fatal;
      if (fatal) {
        return {
          verdict: {
            kind: 'unverified',
            reason: `the rollout cannot be watched (${fatal}); last seen: ${lastSeen()}; ${options.onItsOwn}`,
          },
          revision: revision(),
        };
      }
      if (last) {
        const blind = unseen()?.failing;
        return {
          verdict: blind
            ? {
                kind: 'unverified',
                reason: `the rollout could not be watched for the last ${formatDuration(clock.now() - blind.since)} of the ${formatDuration(budget.deadline - started)} wait (${blind.error}); last seen: ${lastSeen()}; ${options.onItsOwn}`,
              }
            : {
                kind: 'timed-out',
                reason: `not done after ${formatDuration(budget.deadline - started)}; last state: ${lastSeen()}`,
              },
          revision: revision(),
        };
      }
      if (dirty) continue;
      const blind = unseen()?.failing;
      log.beat(
        blind
          ? `not watched for ${formatDuration(clock.now() - blind.since)} (${blind.error}); last seen: ${lastSeen()}`
          : lastSeen(),
      );
      poke = new AbortController();
      const until = Math.min(budget.deadline, retryAt, log.dueAt);
      await clock.sleep(Math.max(0, until - clock.now()), poke.signal);
      if (clock.now() >= retryAt) dirty = true;
    }
  } finally {
    signal?.removeEventListener('abort', changed);
    stopAll.abort();
  }
}
