// Kubernetes Deployments on EKS as a deploy target: what differs from ECS — the API server and its token,
// RBAC checks, the strategic-merge patch, the watch, restoring a revision's template.
import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import * as core from '@actions/core';
import { clientConfig, stepCredentialsProvider } from '../aws/clients.ts';
import { describeAwsError, errorName } from '../aws/errors.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { Clock } from '../deploy/clock.ts';
import { ContainerSelectionError } from '../deploy/containers.ts';
import type { Log } from '../deploy/log.ts';
import { standInImage, type TargetPort } from '../deploy/target.ts';
import { isNetworkError, retrying } from '../deploy/retry.ts';
import type { EksTargetInputs } from '../deploy/types.ts';
import { KubeApiError, KubeClient, type KubeApi, type ManifestKubeApi } from './kube-client.ts';
import { TOKEN_REFRESH_MS, mintEksToken } from './token.ts';
import {
  REVISION_ANNOTATION,
  planImagePatch,
  rollbackPatch,
  selectorOf,
  type ImagePatchPlan,
  type K8sDeployment,
  type K8sPod,
  type PodTemplate,
} from './rollout.ts';
import { watchRollout } from './watch.ts';
import { bake, sdkAlarmReader, type AlarmReader } from '../deploy/bake.ts';
import { planDeploymentHpa, writeDeploymentHpa, type PlannedHpa } from './hpa-apply.ts';

/** The cluster refused us, or would refuse the patch: says who we are and what to grant. */
export class EksAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EksAccessError';
  }
}

export interface EksTargetOptions {
  readonly target: EksTargetInputs;
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly log: Log;
  /** The image's repository; the preparation checks the container selection against it. */
  readonly repositoryUri: string;
  /** Recorded in the change-cause annotation. */
  readonly runUrl: string;
  /** Who the cluster sees us as, for messages (GetCallerIdentity). */
  readonly callerArn: () => Promise<string>;
  /** Reads the alarms of the bake (default: CloudWatch through the SDK). */
  readonly alarmReader?: AlarmReader;
}

/** A Deployment as it was found before anything was built. */
export interface EksUnit {
  readonly name: string;
  readonly deployment: K8sDeployment;
  readonly revisionBefore: string | undefined;
  /** The auto-scaling input's HPA for this Deployment, as planned against the live one. */
  readonly hpa?: PlannedHpa;
}

export interface EksPlan {
  readonly imageRef: string;
  readonly patch: ImagePatchPlan;
  /** The HPA is written even when the image is the same. */
  readonly hpaChanges: boolean;
}

export interface EksHandle {
  readonly unit: EksUnit;
  /** The generation our patch (or our rollback) made. */
  readonly generation: number;
  readonly deployment: K8sDeployment;
  /** For a rollback: the revision whose template it restores. */
  readonly restores?: string;
  /** The Deployment's revision once the wait ended. */
  revision?: string;
  /** Only the HPA changed: nothing rolls out. */
  readonly hpaOnly?: boolean;
}

/** How long the rollback keeps asking for the ReplicaSet to restore. */
const ROLLBACK_READ_MS = 60_000;

/** Who the credentials belong to (GetCallerIdentity), for messages; `this principal` when unknown. */
export const stsCaller = (options: Pick<EksTargetOptions, 'region' | 'env'>) => async (): Promise<string> => {
  try {
    const sts = new STSClient(clientConfig(options));
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? 'this principal';
  } catch {
    return 'this principal';
  }
};

/** DescribeCluster → endpoint and CA; a token minted from the SDK's credentials, re-minted before it expires. */
export async function connectToCluster(options: {
  readonly eks: EKSClient;
  readonly target: EksTargetInputs;
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
}): Promise<{ kube: KubeClient; server: string }> {
  const { target } = options;
  let cluster;
  try {
    cluster = (await options.eks.send(new DescribeClusterCommand({ name: target.cluster }))).cluster;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      throw new InputError(
        Input.EksCluster,
        `cluster "${target.cluster}" does not exist in ${options.region}. Check the name and the region.`,
      );
    }
    throw describeAwsError('DescribeCluster', error, {
      permission: 'eks:DescribeCluster',
      subject: `cluster ${target.cluster}`,
    });
  }
  const server = cluster?.endpoint;
  const caData = cluster?.certificateAuthority?.data;
  if (!server || !caData) {
    throw new Error(
      `Cluster ${target.cluster} has no endpoint or CA yet (status ${cluster?.status ?? 'unknown'}).`,
    );
  }
  const credentials = stepCredentialsProvider() ?? defaultProvider();
  let cached: { token: string; mintedAt: number } | undefined;
  const token = async () => {
    const now = options.clock.now();
    if (!cached || now - cached.mintedAt > TOKEN_REFRESH_MS) {
      const minted = await mintEksToken({
        cluster: target.cluster,
        region: options.region,
        credentials,
        env: options.env,
      });
      core.setSecret(minted.token);
      cached = { token: minted.token, mintedAt: now };
    }
    return cached.token;
  };
  return {
    kube: new KubeClient({
      server,
      ca: Buffer.from(caData, 'base64').toString('utf8'),
      token,
      env: options.env,
    }),
    server,
  };
}

/** Turns the API server's refusals and network failures into what to do about them. */
async function explainAccess(error: unknown, options: EksTargetOptions, server: string): Promise<Error> {
  const code = (error as { code?: string }).code;
  if (isNetworkError(error)) {
    return new EksAccessError(
      `Could not reach the API server of ${options.target.cluster} at ${server} (${code}). The endpoint may be private (endpointPrivateAccess only, or publicAccessCidrs not including this runner): run the job on a runner inside the VPC, or allow the runner's addresses.`,
    );
  }
  if (error instanceof KubeApiError && error.status === 401) {
    const arn = await options.callerArn();
    return new EksAccessError(
      `Cluster ${options.target.cluster} does not accept the credentials of ${arn} (401 Unauthorized). Give that principal access: aws eks create-access-entry --cluster-name ${options.target.cluster} --principal-arn ${arn} (then an access policy or a Kubernetes RoleBinding for its username/groups), or map it in the aws-auth ConfigMap.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

async function describeNonDeployment(
  kube: KubeApi,
  namespace: string,
  name: string,
): Promise<string | undefined> {
  const kinds: [string, string][] = [
    ['StatefulSet', `/apis/apps/v1/namespaces/${namespace}/statefulsets/${name}`],
    ['DaemonSet', `/apis/apps/v1/namespaces/${namespace}/daemonsets/${name}`],
    ['Argo Rollout', `/apis/argoproj.io/v1alpha1/namespaces/${namespace}/rollouts/${name}`],
  ];
  for (const [kind, path] of kinds) {
    try {
      await kube.get(path);
      return kind;
    } catch {
      // not that kind (or the API group does not exist)
    }
  }
  return undefined;
}

function render(
  unit: EksUnit,
  image: { imageRef: string; repositoryUri: string },
  options: EksTargetOptions,
): EksPlan {
  try {
    return {
      imageRef: image.imageRef,
      patch: planImagePatch(unit.deployment, {
        ...image,
        containers: options.target.containers,
        changeCause: `ecr-deploy: ${image.imageRef} (${options.env.GITHUB_SHA ? `commit ${options.env.GITHUB_SHA}, ` : ''}${options.runUrl})`,
      }),
      hpaChanges: unit.hpa !== undefined && unit.hpa.change.kind !== 'none',
    };
  } catch (error) {
    if (error instanceof ContainerSelectionError) throw new InputError(Input.Containers, error.message);
    throw error;
  }
}

async function readUnits(kube: KubeApi, options: EksTargetOptions): Promise<EksUnit[]> {
  const { namespace } = options.target;
  const review = await kube
    .post<{ status?: { userInfo?: { username?: string } } }>(
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    )
    .catch(() => undefined);
  const user = review?.status?.userInfo?.username ?? (await options.callerArn());
  const units: EksUnit[] = [];
  for (const name of options.target.deployments) {
    const access = await kube.post<{ status?: { allowed?: boolean; reason?: string } }>(
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: { namespace, verb: 'patch', group: 'apps', resource: 'deployments', name },
        },
      },
    );
    if (!access.status?.allowed) {
      throw new EksAccessError(
        `User "${user}" cannot patch deployments in namespace "${namespace}" (RBAC forbids it${access.status?.reason ? `: ${access.status.reason}` : ''}). Bind a Role there that allows get, list, watch and patch on deployments, get/list/watch on replicasets, pods, pods/log and events (see the README's RBAC example).`,
      );
    }
    let deployment: K8sDeployment;
    try {
      deployment = await kube.get<K8sDeployment>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
    } catch (error) {
      if (!(error instanceof KubeApiError) || error.status !== 404) throw error;
      const other = await describeNonDeployment(kube, namespace, name);
      throw new InputError(
        Input.Deployment,
        other
          ? `"${name}" in namespace ${namespace} is a ${other}; only Deployments are supported.`
          : `no Deployment "${name}" in namespace ${namespace} of cluster ${options.target.cluster}. Check the name and the namespace input.`,
      );
    }
    const settings = options.target.autoScaling;
    const hpa = settings
      ? await planDeploymentHpa({
          kube,
          namespace,
          name,
          template: deployment.spec.template,
          settings,
          user,
          log: options.log,
        })
      : undefined;
    const unit = {
      name,
      deployment,
      revisionBefore: deployment.metadata.annotations?.[REVISION_ANNOTATION],
      ...(hpa ? { hpa } : {}),
    };
    render(unit, standInImage(options.repositoryUri), options);
    units.push(unit);
  }
  return units;
}

export async function explainPod(
  kube: KubeApi,
  namespace: string,
  pod: K8sPod,
  crashed: readonly string[],
): Promise<string[]> {
  const lines: string[] = [];
  try {
    const events = await kube.get<{ items?: { reason?: string; message?: string; type?: string }[] }>(
      `/api/v1/namespaces/${namespace}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${pod.metadata.name}`)}`,
    );
    for (const e of (events.items ?? []).slice(-5))
      lines.push(`  event ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`);
  } catch (error) {
    lines.push(`  (events unavailable: ${(error as Error).message})`);
  }
  for (const container of crashed) {
    try {
      const log = await kube.get<string>(
        `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log?container=${container}&previous=true&tailLines=20`,
      );
      lines.push(
        `  last log lines of ${container} (previous run):`,
        ...String(log)
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
    } catch (error) {
      lines.push(`  (previous log of ${container} unavailable: ${(error as Error).message})`);
    }
  }
  return lines;
}

/**
 * Reads what is there — access to the cluster, the right to patch each Deployment, that each name is a
 * Deployment — and checks the container selection against the repository. Nothing is changed.
 */
export async function prepareEksTarget(
  options: EksTargetOptions & { readonly kube: KubeApi; readonly server: string },
): Promise<TargetPort<EksUnit, EksPlan, EksHandle>> {
  const { manifests } = options.target;
  if (manifests) {
    const { prepareManifestsTarget } = await import('./manifests-target.ts');
    try {
      // The driver is generic over a port's own unit, plan and handle types and never mixes two ports; the
      // caller hands this one straight to it, so its types are erased here.
      return (await prepareManifestsTarget({
        ...options,
        target: { ...options.target, manifests },
        kube: options.kube as ManifestKubeApi,
      })) as unknown as TargetPort<EksUnit, EksPlan, EksHandle>;
    } catch (error) {
      if (error instanceof InputError || error instanceof EksAccessError) throw error;
      throw await explainAccess(error, options, options.server);
    }
  }
  let units: EksUnit[];
  try {
    units = await readUnits(options.kube, options);
  } catch (error) {
    if (error instanceof InputError || error instanceof EksAccessError) throw error;
    throw await explainAccess(error, options, options.server);
  }
  return createEksPort(options, options.kube, units);
}

function createEksPort(
  options: EksTargetOptions,
  kube: KubeApi,
  units: readonly EksUnit[],
): TargetPort<EksUnit, EksPlan, EksHandle> {
  const { target, clock, log } = options;
  let reader: AlarmReader | undefined;
  const alarmReader = () => (reader ??= options.alarmReader ?? sdkAlarmReader(options.region, options.env));
  const { namespace } = target;
  const path = (name: string) => `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
  const onItsOwn = (d: K8sDeployment) =>
    `the Deployment controller goes on rolling out on its own and marks it failed (ProgressDeadlineExceeded) if it makes no progress for ${d.spec.progressDeadlineSeconds ?? 600} s; nothing rolls it back`;

  return {
    units,
    nameOf: (unit) => `${namespace}/${unit.name}`,
    render: (unit, image) => render(unit, image, options),
    unchanged: (plan) => plan.patch.unchanged && !plan.hpaChanges,
    preview(unit, plan) {
      const hpa =
        unit.hpa && plan.hpaChanges
          ? [`dry run — would ${unit.hpa.change.kind} the HorizontalPodAutoscaler: ${unit.hpa.summary}`]
          : [];
      if (plan.patch.unchanged) return [...hpa, 'dry run — unchanged, nothing would be patched'];
      return [
        ...hpa,
        'dry run — would patch:',
        ...JSON.stringify(plan.patch.patch, null, 2).split('\n'),
        ...plan.patch.changes.map((c) => `  ${c.container}: ${c.from} → ${c.to}`),
      ];
    },
    async apply(unit, plan) {
      if (unit.hpa) await writeDeploymentHpa(kube, namespace, unit.hpa, log);
      // Only the HPA changed: nothing rolls out (the image patch never sets replicas, which the HPA owns).
      if (plan.patch.unchanged) {
        return {
          unit,
          generation: unit.deployment.metadata.generation ?? 0,
          deployment: unit.deployment,
          hpaOnly: true,
        };
      }
      const patched = await kube.patch<K8sDeployment>(path(unit.name), plan.patch.patch, 'strategic');
      log.info(
        `${unit.name}: patched ${plan.patch.changes.map((c) => `${c.container} → ${c.to}`).join(', ')} (generation ${patched.metadata.generation})`,
      );
      return { unit, generation: patched.metadata.generation ?? 0, deployment: patched };
    },
    async wait(handle, budget) {
      if (handle.hpaOnly) return { kind: 'completed' };
      const outcome = await watchRollout(
        {
          kube,
          namespace,
          name: handle.unit.name,
          ourGeneration: handle.generation,
          budget,
          clock,
          log,
          onItsOwn: onItsOwn(handle.deployment),
          explain: handle.restores
            ? async () => []
            : (pod, crashed) => explainPod(kube, namespace, pod, crashed),
        },
        handle.deployment,
      );
      handle.revision = outcome.revision;
      // Completed only once the alarms stayed quiet for the bake (not for a rollback: it is the known-good one).
      const watch = target.alarms;
      if (outcome.verdict.kind !== 'completed' || handle.restores || !watch?.bakeTimeMs)
        return outcome.verdict;
      return bake({
        reader: alarmReader(),
        watch,
        clock,
        log,
        name: `${namespace}/${handle.unit.name}`,
      });
    },
    platformRollback: () => undefined,
    async rollBack(handle) {
      const { unit } = handle;
      if (!unit.revisionBefore) return { skipped: 'the Deployment had no revision before ours' };
      const selector = selectorOf(unit.deployment);
      // A read: asked again on 5xx and dropped connections, for up to a minute.
      const sets = await retrying(
        `listing the ReplicaSets of ${unit.name}`,
        () =>
          kube.get<{
            items?: {
              metadata: { annotations?: Record<string, string> };
              spec?: { template?: PodTemplate };
            }[];
          }>(
            `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(selector)}`,
          ),
        { clock, deadline: clock.now() + ROLLBACK_READ_MS },
      );
      const previous = sets.items?.find(
        (rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === unit.revisionBefore,
      );
      if (!previous?.spec?.template) {
        return { skipped: `revision ${unit.revisionBefore} has no ReplicaSet left to roll back to` };
      }
      log.info(`${unit.name}: rolling back to revision ${unit.revisionBefore}`);
      let patched: K8sDeployment;
      try {
        patched = await kube.patch<K8sDeployment>(
          path(unit.name),
          rollbackPatch(previous.spec.template, {
            changeCause: `ecr-deploy: rollback to revision ${unit.revisionBefore} (${options.runUrl})`,
            hasAnnotations: handle.deployment.metadata.annotations !== undefined,
            generation: handle.generation,
          }),
          'json',
        );
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 422) {
          return {
            skipped: `the Deployment changed since our patch (no longer generation ${handle.generation}): someone else's change is not rolled back over`,
          };
        }
        throw error;
      }
      return {
        handle: {
          unit,
          generation: patched.metadata.generation ?? 0,
          deployment: patched,
          restores: unit.revisionBefore,
        },
      };
    },
    rollbackTarget: (handle) => `the template of revision ${handle.restores ?? '?'}`,
    details: (unit, handle, status) => ({
      target: 'eks',
      ...(handle?.revision ? { revision: handle.revision } : {}),
      ...(status === 'unchanged' && unit.revisionBefore ? { revision: unit.revisionBefore } : {}),
      ...(unit.revisionBefore ? { previousRevision: unit.revisionBefore } : {}),
      ...(unit.hpa ? { autoScaling: unit.hpa.summary } : {}),
    }),
  };
}
