import * as core from '@actions/core';
import type { Clock } from '../deploy/clock.ts';
import { formatDuration } from '../deploy/duration.ts';
import { KubeApiError, type KubeClient, type WatchEvent } from './kube-client.ts';
import {
  REVISION_ANNOTATION,
  classifyPod,
  evaluateDeployment,
  type K8sDeployment,
  type K8sPod,
} from './rollout.ts';

export type WatchOutcome =
  | { readonly kind: 'completed'; readonly revision: string | undefined }
  | { readonly kind: 'failed'; readonly reason: string; readonly revision: string | undefined }
  | { readonly kind: 'timed-out'; readonly reason: string; readonly revision: string | undefined };

interface ListResult<T> {
  metadata?: { resourceVersion?: string };
  items?: T[];
}

/**
 * Keeps a list of objects current: list, then watch from its resourceVersion; a dropped stream resumes from
 * the last version seen, an expired version (410 Gone) relists. Runs until `stop()`.
 */
function follow<T extends { metadata: { name: string; resourceVersion?: string } }>(
  kube: KubeClient,
  collection: string,
  query: string,
  onChange: (items: ReadonlyMap<string, T>) => void,
  onError: (error: Error) => void,
): { stop: () => void } {
  const items = new Map<string, T>();
  let resourceVersion: string | undefined;
  let current: { stop: () => void } | undefined;
  let stopped = false;
  const relist = async () => {
    const list = await kube.get<ListResult<T>>(`${collection}?${query}`);
    items.clear();
    for (const item of list.items ?? []) items.set(item.metadata.name, item);
    resourceVersion = list.metadata?.resourceVersion;
    onChange(items);
  };
  const loop = async () => {
    let failures = 0;
    let needList = true;
    while (!stopped) {
      try {
        if (needList) await relist();
        needList = false;
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
            if (event.type === 'DELETED') items.delete(object.metadata.name);
            else items.set(object.metadata.name, object);
            onChange(items);
          },
        );
        current = watch;
        if (stopped) watch.stop();
        await watch.done;
        failures = 0;
        if (gone) {
          core.info(`The watch on ${collection} expired (410 Gone); listing again.`);
          needList = true;
        }
      } catch (error) {
        if (stopped) return;
        failures += 1;
        if (error instanceof KubeApiError && error.status === 410) needList = true;
        if (failures >= 6) {
          onError(error as Error);
          return;
        }
        core.info(`The watch on ${collection} dropped (${(error as Error).message}); resuming.`);
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** failures, 3000)));
      }
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      current?.stop();
    },
  };
}

export interface WatchRolloutOptions {
  readonly kube: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly ourGeneration: number;
  readonly timeoutMs: number;
  readonly failFastAfter: number;
  readonly clock: Clock;
  /** Called once with the failing pod's details (events, previous logs) before the failure is reported. */
  readonly explain: (pod: K8sPod, crashed: readonly string[]) => Promise<string[]>;
}

function selectorOf(d: K8sDeployment): string {
  return Object.entries(d.spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Watches the Deployment and its new ReplicaSet's pods until our generation has rolled out (kubectl's rule),
 * failed (progress deadline, ReplicaFailure, someone else's change, or a definitive pod failure), or the
 * budget runs out.
 */
export async function watchRollout(
  options: WatchRolloutOptions,
  initial: K8sDeployment,
): Promise<WatchOutcome> {
  const { kube, namespace, name } = options;
  const deploymentsPath = `/apis/apps/v1/namespaces/${namespace}/deployments`;
  const podsPath = `/api/v1/namespaces/${namespace}/pods`;
  let deployment = initial;
  let pods: ReadonlyMap<string, K8sPod> = new Map();
  let newReplicaSet: string | undefined;
  let lastMessage = '';
  let settled = false;
  const failedPods = new Set<string>();
  const definitive: string[] = [];

  return new Promise<WatchOutcome>((resolve) => {
    const watchers: { stop: () => void }[] = [];
    const finish = (outcome: WatchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const w of watchers) w.stop();
      resolve(outcome);
    };
    const revision = () => deployment.metadata.annotations?.[REVISION_ANNOTATION];
    const findNewReplicaSet = async () => {
      if (newReplicaSet || (deployment.status?.observedGeneration ?? 0) < options.ourGeneration) return;
      const list = await kube.get<
        ListResult<{ metadata: { name: string; annotations?: Record<string, string> } }>
      >(
        `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(selectorOf(deployment))}`,
      );
      newReplicaSet = list.items?.find((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === revision())
        ?.metadata.name;
    };
    const check = async () => {
      if (settled) return;
      const verdict = evaluateDeployment(deployment, options.ourGeneration);
      if (verdict.kind === 'failed')
        return finish({ kind: 'failed', reason: verdict.reason, revision: revision() });
      if (verdict.kind === 'completed') {
        core.info(verdict.message);
        return finish({ kind: 'completed', revision: revision() });
      }
      if (verdict.message !== lastMessage) {
        lastMessage = verdict.message;
        core.info(verdict.message);
      }
      await findNewReplicaSet();
      if (verdict.replicaFailure && newReplicaSet) {
        // Only our ReplicaSet's failure counts: an old one's can linger while it is scaled down.
        const rs = await kube.get<{ status?: { conditions?: { type?: string; status?: string }[] } }>(
          `/apis/apps/v1/namespaces/${namespace}/replicasets/${newReplicaSet}`,
        );
        if (rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure' && c.status === 'True')) {
          return finish({ kind: 'failed', reason: verdict.replicaFailure, revision: revision() });
        }
      }
      for (const pod of pods.values()) {
        if (!newReplicaSet || !pod.metadata.ownerReferences?.some((o) => o.name === newReplicaSet)) continue;
        const podVerdict = classifyPod(pod, options.failFastAfter);
        if (!podVerdict.definitive || failedPods.has(pod.metadata.name)) continue;
        failedPods.add(pod.metadata.name);
        definitive.push(...podVerdict.problems);
        const details = await options.explain(pod, podVerdict.crashed);
        if (settled) return;
        return finish({
          kind: 'failed',
          reason: [...podVerdict.problems, ...details].join('\n'),
          revision: revision(),
        });
      }
    };
    const onError = (error: Error) =>
      finish({ kind: 'failed', reason: `the watch failed: ${error.message}`, revision: revision() });
    const timer = setTimeout(
      () =>
        finish({
          kind: 'timed-out',
          reason: `not done after ${formatDuration(options.timeoutMs)}; last state: ${lastMessage || 'no progress reported'}${definitive.length ? `; ${definitive.join('; ')}` : ''}`,
          revision: revision(),
        }),
      options.timeoutMs,
    );
    watchers.push(
      follow<K8sDeployment>(
        kube,
        deploymentsPath,
        `fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}`,
        (items) => {
          const d = items.get(name);
          if (!d)
            return finish({
              kind: 'failed',
              reason: `Deployment ${name} was deleted during the rollout`,
              revision: revision(),
            });
          deployment = d;
          void check();
        },
        onError,
      ),
      follow<K8sPod>(
        kube,
        podsPath,
        `labelSelector=${encodeURIComponent(selectorOf(initial))}`,
        (items) => {
          pods = items;
          void check();
        },
        onError,
      ),
    );
    void check();
  });
}
