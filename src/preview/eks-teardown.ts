// The teardown of a PR's EKS preview: its namespace deleted, and waited for until the API server no longer
// has it (bounded). Idempotent: a namespace already gone is a success that says so.
import type { Clock } from '../deploy/clock.ts';
import type { Log } from '../deploy/log.ts';
import { KubeApiError, type ManifestKubeApi } from '../eks/kube-client.ts';
import type { KubeObject } from '../eks/manifests/objects.ts';
import { PREVIEW_PR_LABEL, PREVIEW_REPOSITORY_LABEL, repositoryLabelValue } from './eks-names.ts';

export interface EksTeardownOptions {
  readonly kube: ManifestKubeApi;
  readonly namespace: string;
  /** The base namespace: never deleted, whatever the name says. */
  readonly base: string;
  readonly pr: number;
  /** `owner/name`: a namespace labelled as another repository's preview is not deleted. */
  readonly repository?: string;
  readonly clock: Clock;
  readonly log: Log;
  readonly timeoutMs: number;
  readonly pollIntervalMs?: number;
  readonly dryRun: boolean;
}

export interface EksTeardownReport {
  readonly lines: readonly string[];
  /** What is still there when the wait ran out; empty when all is gone. */
  readonly left: readonly string[];
  readonly nothingFound: boolean;
}

const notFound = (error: unknown) => error instanceof KubeApiError && error.status === 404;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function getNamespace(kube: ManifestKubeApi, name: string): Promise<KubeObject | undefined> {
  try {
    return await kube.get<KubeObject>(`/api/v1/namespaces/${name}`);
  } catch (error) {
    if (notFound(error)) return undefined;
    throw new Error(`Reading namespace ${name}: ${message(error)}`, { cause: error });
  }
}

/** What the namespace still holds, for the timeout's message (best effort). */
async function leftIn(kube: ManifestKubeApi, name: string): Promise<string[]> {
  const left: string[] = [];
  for (const [path, kind] of [
    [`/apis/apps/v1/namespaces/${name}/deployments`, 'Deployment'],
    [`/api/v1/namespaces/${name}/pods`, 'Pod'],
    [`/api/v1/namespaces/${name}/services`, 'Service'],
  ] as const) {
    try {
      const list = await kube.get<{ items?: KubeObject[] }>(path);
      for (const item of list.items ?? []) left.push(`${kind} ${name}/${item.metadata.name}`);
    } catch {
      // The namespace itself is named either way.
    }
  }
  return left;
}

export async function teardownEksPreview(options: EksTeardownOptions): Promise<EksTeardownReport> {
  const { kube, namespace, base, pr, clock, log } = options;
  if (namespace === base)
    throw new Error(`Refusing to delete namespace ${namespace}: it is the base namespace.`);
  const found = await getNamespace(kube, namespace);
  if (!found) {
    return { lines: [`Namespace ${namespace} does not exist: already gone.`], left: [], nothingFound: true };
  }
  const label = found.metadata.labels?.[PREVIEW_PR_LABEL];
  if (label !== String(pr)) {
    throw new Error(
      `Namespace ${namespace} is not the preview of PR #${pr} (label ${PREVIEW_PR_LABEL} is ${label === undefined ? 'missing' : `"${label}"`}); it is not deleted.`,
    );
  }
  const repository = found.metadata.labels?.[PREVIEW_REPOSITORY_LABEL];
  if (options.repository !== undefined && repository !== repositoryLabelValue(options.repository)) {
    throw new Error(
      `Namespace ${namespace} is not a preview of ${options.repository} (label ${PREVIEW_REPOSITORY_LABEL} is ${repository === undefined ? 'missing' : `"${repository}"`}); it is not deleted.`,
    );
  }
  if (options.dryRun) {
    return { lines: [`dry run — would delete namespace ${namespace}`], left: [], nothingFound: false };
  }
  try {
    await kube.delete(`/api/v1/namespaces/${namespace}`, {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
    });
    log.info(`Namespace ${namespace}: deletion requested`);
  } catch (error) {
    if (!notFound(error))
      throw new Error(`Deleting namespace ${namespace}: ${message(error)}`, { cause: error });
  }
  const deadline = clock.now() + options.timeoutMs;
  const interval = options.pollIntervalMs ?? 2000;
  for (;;) {
    let now: KubeObject | undefined;
    try {
      now = await getNamespace(kube, namespace);
    } catch (error) {
      // The deletion is under way: a failed read while waiting is asked again until the deadline.
      if (clock.now() >= deadline) {
        return {
          lines: [
            `Namespace ${namespace}: its deletion was requested, but it could not be read until ${Math.round(options.timeoutMs / 1000)} s had passed (${message(error)}).`,
          ],
          left: [`Namespace ${namespace} (not known whether it is gone: ${message(error)})`],
          nothingFound: false,
        };
      }
      log.info(`${message(error)}; asking again`);
      await clock.sleep(interval);
      continue;
    }
    if (!now) return { lines: [`Namespace ${namespace} deleted.`], left: [], nothingFound: false };
    if (clock.now() >= deadline) {
      const phase = (now.status as { phase?: string } | undefined)?.phase ?? 'unknown';
      const left = [`Namespace ${namespace} (phase ${phase})`, ...(await leftIn(kube, namespace))];
      return {
        lines: [
          `Namespace ${namespace} still exists after ${Math.round(options.timeoutMs / 1000)} s; Kubernetes goes on deleting it on its own.`,
        ],
        left,
        nothingFound: false,
      };
    }
    await clock.sleep(interval);
  }
}
