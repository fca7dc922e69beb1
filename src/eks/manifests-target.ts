// Kubernetes manifests on EKS as a deploy target: the objects are read and checked (a server-side dry run
// of every one) before anything is built; then applied server-side in dependency order, pruned when asked,
// and every workload among them is waited for as one unit of the driver.
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { Clock } from '../deploy/clock.ts';
import type { Log } from '../deploy/log.ts';
import { standInImage, type DeployImage, type TargetPort } from '../deploy/target.ts';
import type { EksTargetInputs, ManifestsInputs } from '../deploy/types.ts';
import { KubeApiError, type ManifestKubeApi } from './kube-client.ts';
import { diffObject } from './manifests/diff.ts';
import {
  ManifestError,
  describeObject,
  groupKind,
  objectKey,
  type KubeObject,
  type SourcedObject,
} from './manifests/objects.ts';
import {
  CONTAINS_GROUP_KINDS_ANNOTATION,
  ADDITIONAL_NAMESPACES_ANNOTATION,
  FIELD_MANAGER,
  PART_OF_LABEL,
  applySetId,
  applySetParent,
  applySetParentName,
  describeConflicts,
  hpaSafe,
  inApplyOrder,
  otherApplySet,
  parseList,
  pruneCandidates,
  scaledByHpa,
  withPartOfLabel,
} from './manifests/plan.ts';
import { WORKLOAD_KINDS } from './manifests/pod-specs.ts';
import { fillNamespaces, readManifests, substituteImages, usesRepository } from './manifests/read.ts';
import { ResourceResolver, resourcePath, type ResourceInfo } from './manifests/resources.ts';
import { waitForWorkload } from './manifests/wait-workload.ts';
import { REVISION_ANNOTATION, rollbackPatch, type K8sDeployment, type PodTemplate } from './rollout.ts';
import { explainPod } from './target.ts';
import { watchRollout } from './watch.ts';

/** One workload of the manifests (or, when there is none, the objects as a whole). */
export interface ManifestUnit {
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** The object as it was in the cluster before this deploy; undefined when it did not exist. */
  readonly live: KubeObject | undefined;
  readonly info: ResourceInfo | undefined;
}

export interface ManifestPlan {
  readonly image: DeployImage;
}

export interface ManifestHandle {
  readonly unit: ManifestUnit;
  readonly generation: number;
  readonly object: KubeObject | undefined;
  readonly restores?: string;
  revision?: string;
}

export interface ManifestTargetOptions {
  readonly target: EksTargetInputs & { readonly manifests: ManifestsInputs };
  readonly kube: ManifestKubeApi;
  readonly clock: Clock;
  readonly log: Log;
  readonly repositoryUri: string;
  readonly runUrl: string;
  /**
   * Rewrites the objects once read (namespaces filled in), before the dry run and everything after it; it
   * may refuse them (throw). A PR's preview moves them into its own namespace this way.
   */
  readonly transform?: (
    objects: readonly SourcedObject[],
    isNamespaced: (object: KubeObject) => boolean,
  ) => SourcedObject[];
}

interface Entry {
  readonly sourced: SourcedObject;
  readonly info: ResourceInfo;
  readonly live: KubeObject | undefined;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs `fn`; its error says what was being done. */
async function withinStep<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new Error(`${what}: ${message(error)}`, { cause: error });
  }
}
const within = <T>(what: string, fn: () => Promise<T>) => withinStep(`Pruning: ${what}`, fn);

async function getOrUndefined<T>(kube: ManifestKubeApi, path: string): Promise<T | undefined> {
  try {
    return await kube.get<T>(path);
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}

function applyQuery(options: { force: boolean; dryRun: boolean }): string {
  return `?fieldManager=${FIELD_MANAGER}${options.force ? '&force=true' : ''}${options.dryRun ? '&dryRun=All' : ''}`;
}

/**
 * Reads the manifests and the cluster's side of them (kinds, live objects, HPAs, the ApplySet parent) and
 * checks every object with a server-side dry run. Nothing is changed; errors name the input or the object.
 */
export async function prepareManifestsTarget(
  options: ManifestTargetOptions,
): Promise<TargetPort<ManifestUnit, ManifestPlan, ManifestHandle>> {
  const { target, kube, log, clock } = options;
  const { manifests } = target;
  const resolver = new ResourceResolver(kube);
  let entries: Entry[];
  try {
    const read = readManifests(manifests.entries, manifests.cwd);
    const infos = new Map<string, ResourceInfo>();
    for (const { object } of read) {
      const key = `${object.apiVersion}/${object.kind}`;
      if (!infos.has(key)) infos.set(key, await resolver.resolve(object));
    }
    const info = (o: KubeObject) => infos.get(`${o.apiVersion}/${o.kind}`) as ResourceInfo;
    const namespaced = (o: KubeObject) => info(o).namespaced;
    const filled = fillNamespaces(read, target.namespace, namespaced);
    const objects = options.transform ? options.transform(filled, namespaced) : filled;
    // A transform may add objects (a preview its namespace) of kinds the manifests do not have.
    for (const { object } of objects) {
      const key = `${object.apiVersion}/${object.kind}`;
      if (!infos.has(key)) infos.set(key, await resolver.resolve(object));
    }
    entries = [];
    for (const sourced of inApplyOrder(objects)) {
      const i = info(sourced.object);
      const live = await getOrUndefined<KubeObject>(
        kube,
        resourcePath(i, sourced.object.metadata.namespace, sourced.object.metadata.name),
      );
      if (live) {
        live.apiVersion ||= sourced.object.apiVersion;
        live.kind ||= sourced.object.kind;
      }
      entries.push({ sourced, info: i, live });
    }
  } catch (error) {
    if (error instanceof ManifestError) throw new InputError(Input.Manifests, error.message);
    throw error;
  }
  if (
    !usesRepository(
      entries.map((e) => e.sourced),
      options.repositoryUri,
    )
  ) {
    log.warning(
      `No container in the manifests uses ${options.repositoryUri}: they are applied as they are, without the new image.`,
    );
  }

  const parentName = applySetParentName(options.repositoryUri);
  const id = applySetId({ name: parentName, namespace: target.namespace, kind: 'Secret', group: '' });
  const parentPath = `/api/v1/namespaces/${target.namespace}/secrets/${parentName}`;
  const parentBefore = manifests.prune ? await getOrUndefined<KubeObject>(kube, parentPath) : undefined;
  for (const e of entries) {
    const other = otherApplySet(e.live, id);
    if (manifests.prune && other) {
      throw new InputError(
        Input.Manifests,
        `${describeObject(e.sourced.object)} belongs to another ApplySet (${PART_OF_LABEL}=${other}); it is not taken over. Remove it from the manifests or from that set.`,
      );
    }
  }

  // HPAs of the manifests and of the cluster, in every namespace the manifests use.
  const namespaces = [
    ...new Set(entries.map((e) => e.sourced.object.metadata.namespace).filter((n): n is string => !!n)),
  ];
  const hpas = entries
    .filter((e) => e.sourced.object.kind === 'HorizontalPodAutoscaler')
    .map((e) => e.sourced.object);
  for (const ns of namespaces) {
    try {
      const list = await kube.get<{ items?: KubeObject[] }>(
        `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
      );
      for (const hpa of list.items ?? [])
        hpas.push({ ...hpa, metadata: { ...hpa.metadata, namespace: hpa.metadata.namespace ?? ns } });
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 404)) {
        log.warning(
          `Could not list the HPAs of namespace ${ns} (${message(error)}); only those in the manifests are considered.`,
        );
      }
    }
  }
  const scaled = scaledByHpa(hpas);
  // Namespaces the manifests create: objects in them cannot be dry-run before they exist.
  const created = new Set(
    entries
      .filter((e) => e.sourced.object.kind === 'Namespace' && !e.live)
      .map((e) => e.sourced.object.metadata.name),
  );

  /** The objects as they are applied for an image: digest, HPA-safe replicas, ApplySet label. */
  const render = (image: DeployImage, notes?: string[]): { entry: Entry; object: KubeObject }[] => {
    const { objects } = substituteImages(
      entries.map((e) => e.sourced),
      image,
    );
    return objects.map((o, i) => {
      const entry = entries[i] as Entry;
      const safe = hpaSafe(o.object, scaled, entry.live);
      if (safe.note) notes?.push(safe.note);
      return { entry, object: manifests.prune ? withPartOfLabel(safe.object, id) : safe.object };
    });
  };

  const apply = async (object: KubeObject, info: ResourceInfo, dryRun: boolean): Promise<KubeObject> => {
    try {
      return await kube.patch<KubeObject>(
        `${resourcePath(info, object.metadata.namespace, object.metadata.name)}${applyQuery({ force: manifests.forceConflicts, dryRun })}`,
        object,
        'apply',
      );
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 409) {
        throw new InputError(Input.Manifests, describeConflicts(object, error.message, error.causes));
      }
      if (error instanceof KubeApiError && (error.status === 422 || error.status === 400)) {
        throw new InputError(
          Input.Manifests,
          `${describeObject(object)} is refused by the API server: ${error.message}`,
        );
      }
      throw new Error(`${dryRun ? 'Dry run of ' : 'Applying '}${describeObject(object)}: ${message(error)}`, {
        cause: error,
      });
    }
  };

  /** Every object checked by the API server (dryRun=All): a conflict or an invalid object stops here. */
  const dryRunAll = async (image: DeployImage) => {
    const answers = new Map<string, KubeObject>();
    for (const { entry, object } of render(image)) {
      if (object.metadata.namespace && created.has(object.metadata.namespace)) continue;
      answers.set(objectKey(object), await apply(object, entry.info, true));
    }
    return answers;
  };

  const stand = standInImage(options.repositoryUri);
  const checked = await dryRunAll(stand);
  /** Per object: the diff of the live object and the dry run's answer, with the image the plan deploys. */
  const diffFor = (imageRef: string): Map<string, string[]> => {
    const diffs = new Map<string, string[]>();
    for (const { entry, object } of render(stand)) {
      const key = objectKey(object);
      const checkedAnswer = checked.get(key);
      const answer = checkedAnswer
        ? (JSON.parse(JSON.stringify(checkedAnswer).split(stand.imageRef).join(imageRef)) as KubeObject)
        : undefined;
      const d = answer
        ? diffObject(entry.live, answer)
        : {
            summary: `would be created (in namespace ${object.metadata.namespace ?? ''}, which these manifests create)`,
            lines: [],
          };
      diffs.set(key, [`${describeObject(object)}: ${d.summary}`, ...d.lines.map((l) => `  ${l}`)]);
    }
    return diffs;
  };
  log.info(`${entries.length} object(s) from the manifests checked by a server-side dry run.`);

  const workloads = entries.filter((e) => WORKLOAD_KINDS.has(groupKind(e.sourced.object)));
  const units: ManifestUnit[] = (workloads.length ? workloads : []).map((e) => ({
    key: objectKey(e.sourced.object),
    kind: e.sourced.object.kind,
    name: e.sourced.object.metadata.name,
    namespace: e.sourced.object.metadata.namespace ?? target.namespace,
    live: e.live,
    info: e.info,
  }));
  if (units.length === 0) {
    units.push({
      key: '',
      kind: 'objects',
      name: `${entries.length}-objects`,
      namespace: target.namespace,
      live: undefined,
      info: undefined,
    });
  }
  const firstKey = units[0]?.key;
  const workloadKeys = new Set(units.map((u) => u.key));

  const appliedObjects = new Map<string, KubeObject>();
  /** The dry run's diff as printed, per unit, for its result. */
  const previews = new Map<string, string>();

  const prune = async (current: readonly KubeObject[]) => {
    const before = parseList(parentBefore?.metadata.annotations?.[CONTAINS_GROUP_KINDS_ANNOTATION]);
    const kinds = new Set([...before, ...current.map(groupKind)]);
    const spaces = new Set([
      target.namespace,
      ...parseList(parentBefore?.metadata.annotations?.[ADDITIONAL_NAMESPACES_ANNOTATION]),
      ...current.map((o) => o.metadata.namespace ?? ''),
    ]);
    const live: KubeObject[] = [];
    for (const gk of kinds) {
      const info = await resolver.resolveGroupKind(gk);
      const paths = info.namespaced
        ? [...spaces].filter(Boolean).map((ns) => resourcePath(info, ns))
        : [resourcePath(info, undefined)];
      for (const p of paths) {
        const list = await within(`listing ${p}`, () =>
          kube.get<{ items?: KubeObject[] }>(
            `${p}?labelSelector=${encodeURIComponent(`${PART_OF_LABEL}=${id}`)}`,
          ),
        );
        for (const item of list.items ?? [])
          live.push({ ...item, apiVersion: info.apiVersion, kind: info.kind });
      }
    }
    for (const o of pruneCandidates(live, current, id)) {
      const info = await resolver.resolve(o);
      try {
        await kube.delete(resourcePath(info, o.metadata.namespace, o.metadata.name), {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: 'Background',
        });
        log.info(`${describeObject(o)}: pruned (applied by an earlier run, no longer in the manifests)`);
      } catch (error) {
        if (!(error instanceof KubeApiError && error.status === 404))
          throw new Error(`Pruning ${describeObject(o)}: ${message(error)}`, { cause: error });
      }
    }
  };

  const writeParent = (groupKinds: Iterable<string>, spaces: Iterable<string>) =>
    withinStep(`writing the ApplySet parent Secret ${target.namespace}/${parentName}`, () =>
      kube.patch(
        `${parentPath}${applyQuery({ force: true, dryRun: false })}`,
        applySetParent({ name: parentName, namespace: target.namespace, id, groupKinds, namespaces: spaces }),
        'apply',
      ),
    );

  const nameOf = (unit: ManifestUnit) =>
    unit.kind === 'objects'
      ? `${unit.namespace}/${unit.name}`
      : `${unit.namespace}/${unit.kind.toLowerCase()}/${unit.name}`;

  return {
    units,
    nameOf,
    render: (_unit, image) => ({ image }),
    // Whether anything changes is the API server's answer to the apply; a workload it leaves as it was is
    // done at once.
    unchanged: () => false,
    preview(unit, plan) {
      const diffs = diffFor(plan.image.imageRef);
      const lines = [...(diffs.get(unit.key) ?? [])];
      if (unit.key === firstKey) {
        for (const [key, d] of diffs) if (!workloadKeys.has(key)) lines.push(...d);
      }
      previews.set(unit.key, lines.join('\n'));
      return ['dry run (server-side, dryRun=All):', ...lines];
    },
    async beforeApply(items) {
      const image = items[0]?.plan.image ?? stand;
      const notes: string[] = [];
      const objects = render(image, notes);
      for (const note of notes) log.info(note);
      // Checked again with the real image: a conflict that appeared since is still found before any change.
      await dryRunAll(image);
      if (manifests.prune) {
        // The parent lists the kinds before they are applied, so an interrupted run can still prune them.
        const before = parseList(parentBefore?.metadata.annotations?.[CONTAINS_GROUP_KINDS_ANNOTATION]);
        const spaces = parseList(parentBefore?.metadata.annotations?.[ADDITIONAL_NAMESPACES_ANNOTATION]);
        await writeParent(
          [...before, ...objects.map((o) => groupKind(o.object))],
          [...spaces, ...objects.map((o) => o.object.metadata.namespace ?? '')],
        );
      }
      const done: string[] = [];
      for (const { entry, object } of objects) {
        let answer: KubeObject;
        try {
          answer = await apply(object, entry.info, false);
        } catch (error) {
          throw new Error(
            `${message(error)}${done.length ? ` (already applied: ${done.join(', ')})` : ' (nothing was applied)'}`,
            { cause: error },
          );
        }
        answer.kind ||= object.kind;
        answer.apiVersion ||= object.apiVersion;
        appliedObjects.set(objectKey(object), answer);
        const how = !entry.live
          ? 'created'
          : entry.live.metadata.resourceVersion === answer.metadata.resourceVersion
            ? 'unchanged'
            : 'configured';
        log.info(`${describeObject(object)}: ${how}`);
        done.push(describeObject(object));
      }
      if (manifests.prune) {
        await prune(objects.map((o) => o.object));
        await writeParent(
          objects.map((o) => groupKind(o.object)),
          objects.map((o) => o.object.metadata.namespace ?? ''),
        );
      }
    },
    async apply(unit) {
      const object = appliedObjects.get(unit.key);
      return { unit, generation: Number(object?.metadata.generation ?? 0), object };
    },
    async wait(handle, budget) {
      const { unit } = handle;
      const object = handle.object;
      if (!object || !unit.info) return { kind: 'completed' };
      const explain = handle.restores
        ? async () => []
        : (pod: Parameters<typeof explainPod>[2], crashed: readonly string[]) =>
            explainPod(kube, unit.namespace, pod, crashed);
      if (unit.kind === 'Deployment') {
        const deployment = object as unknown as K8sDeployment;
        const outcome = await watchRollout(
          {
            kube,
            namespace: unit.namespace,
            name: unit.name,
            ourGeneration: handle.generation,
            budget,
            clock,
            log,
            onItsOwn: `the Deployment controller goes on rolling out on its own and marks it failed (ProgressDeadlineExceeded) after ${deployment.spec.progressDeadlineSeconds ?? 600} s without progress`,
            explain,
            stillOurs: (d) => JSON.stringify(d.spec.template) === JSON.stringify(deployment.spec.template),
          },
          deployment,
        );
        handle.revision = outcome.revision;
        return outcome.verdict;
      }
      const outcome = await waitForWorkload(
        {
          kube,
          path: resourcePath(unit.info, unit.namespace, unit.name),
          podsPath: `/api/v1/namespaces/${unit.namespace}/pods`,
          ourGeneration: handle.generation,
          budget,
          clock,
          log,
          explain,
        },
        object,
      );
      if (outcome.revision) handle.revision = outcome.revision;
      return outcome.verdict;
    },
    platformRollback: () => undefined,
    async rollBack(handle) {
      const { unit } = handle;
      if (unit.kind === 'Job')
        return { skipped: "a Job's pod template cannot be changed; it is left as applied" };
      if (!unit.live || !unit.info)
        return { skipped: `${unit.kind} ${unit.name} did not exist before this deploy` };
      const template = (unit.live.spec as { template?: PodTemplate } | undefined)?.template;
      if (!template) return { skipped: `${unit.kind} ${unit.name} had no pod template before` };
      log.info(`${nameOf(unit)}: restoring the pod template it had before this deploy`);
      let patched: KubeObject;
      try {
        patched = await kube.patch<KubeObject>(
          `${resourcePath(unit.info, unit.namespace, unit.name)}?fieldManager=${FIELD_MANAGER}`,
          rollbackPatch(template, {
            changeCause: `ecr-deploy: rollback to the template before ${handle.unit.name} was applied (${options.runUrl})`,
            hasAnnotations: handle.object?.metadata.annotations !== undefined,
            generation: handle.generation,
          }),
          'json',
        );
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 422) {
          return {
            skipped: `${unit.kind} ${unit.name} changed since our apply (no longer generation ${handle.generation}): someone else's change is not rolled back over`,
          };
        }
        throw error;
      }
      patched.kind ||= unit.kind;
      return {
        handle: {
          unit,
          generation: Number(patched.metadata.generation ?? 0),
          object: patched,
          restores: unit.live.metadata.annotations?.[REVISION_ANNOTATION] ?? 'the previous template',
        },
      };
    },
    rollbackTarget: (handle) =>
      handle.unit.kind === 'Deployment' && handle.restores && /^\d+$/.test(handle.restores)
        ? `the template of revision ${handle.restores}`
        : 'the pod template it had before this deploy',
    details(unit, handle, status) {
      const previous = unit.live?.metadata.annotations?.[REVISION_ANNOTATION];
      const diff = status === 'dry-run' ? previews.get(unit.key) : undefined;
      return {
        target: 'eks',
        ...(unit.kind !== 'objects' ? { kind: unit.kind } : {}),
        ...(handle?.revision ? { revision: handle.revision } : {}),
        ...(unit.kind === 'Deployment' && previous ? { previousRevision: previous } : {}),
        ...(diff ? { diff } : {}),
      };
    },
  };
}
