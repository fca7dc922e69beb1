import * as core from '@actions/core';
import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { clientConfig } from '../aws/clients.ts';
import { describeAwsError, errorName } from '../aws/errors.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { Clock } from '../deploy/clock.ts';
import type { DeployOptions, DeployResult, RolloutStatus } from '../deploy/types.ts';
import type { EksTargetInputs } from '../inputs.ts';
import { KubeApiError, KubeClient } from './kube-client.ts';
import { TOKEN_REFRESH_MS, mintEksToken } from './token.ts';
import {
  PatchPlanError,
  REVISION_ANNOTATION,
  planImagePatch,
  rollbackPatch,
  type ImagePatchPlan,
  type K8sDeployment,
  type K8sPod,
  type PodTemplate,
} from './rollout.ts';
import { watchRollout, type WatchOutcome } from './watch.ts';

/** The cluster refused us, or would refuse the patch: says who we are and what to grant. */
export class EksAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EksAccessError';
  }
}

export interface EksDeployOptions {
  readonly eks: EKSClient;
  readonly target: EksTargetInputs;
  readonly deploy: DeployOptions;
  readonly imageRef: string;
  readonly repositoryUri: string;
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /** Recorded in the change-cause annotation. */
  readonly runUrl: string;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

async function callerArn(options: Pick<EksDeployOptions, 'region' | 'env'>): Promise<string> {
  try {
    const sts = new STSClient(clientConfig(options));
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? 'this principal';
  } catch {
    return 'this principal';
  }
}

/** DescribeCluster → endpoint and CA; a token minted from the SDK's credentials, re-minted before it expires. */
async function connect(
  options: Omit<EksDeployOptions, 'imageRef' | 'repositoryUri'>,
): Promise<{ kube: KubeClient; server: string }> {
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
  const credentials = defaultProvider();
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
async function explainAccess(error: unknown, options: PrepareOptions, server: string): Promise<Error> {
  const code = (error as { code?: string }).code;
  if (code && NETWORK.has(code)) {
    return new EksAccessError(
      `Could not reach the API server of ${options.target.cluster} at ${server} (${code}). The endpoint may be private (endpointPrivateAccess only, or publicAccessCidrs not including this runner): run the job on a runner inside the VPC, or allow the runner's addresses.`,
    );
  }
  if (error instanceof KubeApiError && error.status === 401) {
    const arn = await callerArn(options);
    return new EksAccessError(
      `Cluster ${options.target.cluster} does not accept the credentials of ${arn} (401 Unauthorized). Give that principal access: aws eks create-access-entry --cluster-name ${options.target.cluster} --principal-arn ${arn} (then an access policy or a Kubernetes RoleBinding for its username/groups), or map it in the aws-auth ConfigMap.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

interface Prepared {
  readonly name: string;
  readonly deployment: K8sDeployment;
  readonly plan: ImagePatchPlan;
  readonly revisionBefore: string | undefined;
}

async function describeNonDeployment(
  kube: KubeClient,
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

type PrepareOptions = Omit<EksDeployOptions, 'imageRef' | 'repositoryUri'> & {
  readonly image: { readonly imageRef: string; readonly repositoryUri: string };
};

async function prepare(kube: KubeClient, options: PrepareOptions): Promise<Prepared[]> {
  const { namespace } = options.target;
  const review = await kube
    .post<{ status?: { userInfo?: { username?: string } } }>(
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    )
    .catch(() => undefined);
  const user = review?.status?.userInfo?.username ?? (await callerArn(options));
  const prepared: Prepared[] = [];
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
    const { image } = options;
    let plan: ImagePatchPlan;
    try {
      plan = planImagePatch(deployment, {
        imageRef: image.imageRef,
        repositoryUri: image.repositoryUri,
        containers: options.target.containers,
        changeCause: `ecr-deploy: ${image.imageRef} (${options.runUrl})`,
      });
    } catch (error) {
      if (error instanceof PatchPlanError) throw new InputError(Input.Containers, error.message);
      throw error;
    }
    prepared.push({
      name,
      deployment,
      plan,
      revisionBefore: deployment.metadata.annotations?.[REVISION_ANNOTATION],
    });
  }
  return prepared;
}

async function explainPod(
  kube: KubeClient,
  namespace: string,
  pod: K8sPod,
  crashed: readonly string[],
): Promise<string[]> {
  const lines: string[] = [];
  try {
    const events = await kube.get<{
      items?: { reason?: string; message?: string; type?: string; count?: number }[];
    }>(
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

interface Rollout {
  readonly p: Prepared;
  readonly generation: number;
  outcome?: WatchOutcome;
  status: RolloutStatus;
  reason?: string;
  revision?: string;
}

/**
 * Patches each Deployment's containers to the image by digest and watches the rollout; failed ones go back to
 * the recorded revision's template. Access, kind and container checks run before anything is patched.
 */
async function connectAndPrepare(
  options: PrepareOptions,
): Promise<{ kube: KubeClient; prepared: Prepared[] }> {
  const { kube, server } = await connect(options);
  try {
    return { kube, prepared: await prepare(kube, options) };
  } catch (error) {
    if (error instanceof InputError || error instanceof EksAccessError) throw error;
    throw await explainAccess(error, options, server);
  }
}

/**
 * Before the image is built: the cluster answers, accepts us, lets us patch each Deployment, each name is a
 * Deployment, and named containers exist. Nothing is changed.
 */
export async function preflightEks(options: Omit<EksDeployOptions, 'imageRef'>): Promise<void> {
  await connectAndPrepare({
    ...options,
    // The digest is not known yet: a stand-in checks the container selection against the repository.
    image: {
      imageRef: `${options.repositoryUri}@sha256:${'0'.repeat(64)}`,
      repositoryUri: options.repositoryUri,
    },
  });
}

export async function deployToEks(options: EksDeployOptions): Promise<DeployResult[]> {
  const { target, deploy } = options;
  const { kube, prepared } = await connectAndPrepare({
    ...options,
    image: { imageRef: options.imageRef, repositoryUri: options.repositoryUri },
  });
  const label = (name: string) => `${target.namespace}/${name}`;
  if (deploy.dryRun) {
    return prepared.map((p) => {
      core.info(
        `${p.name}: dry run — ${p.plan.unchanged ? 'unchanged, nothing would be patched' : 'would patch:'}`,
      );
      if (!p.plan.unchanged) core.info(JSON.stringify(p.plan.patch, null, 2));
      for (const c of p.plan.changes) core.info(`  ${c.container}: ${c.from} → ${c.to}`);
      return {
        target: 'eks',
        name: label(p.name),
        status: 'dry-run',
        rolledBack: false,
        durationSeconds: 0,
        previousRevision: p.revisionBefore,
      };
    });
  }
  const started = options.clock.now();
  const rollouts = await Promise.all(
    prepared.map(async (p): Promise<Rollout> => {
      if (p.plan.unchanged) {
        core.info(`${p.name}: already runs ${options.imageRef}; nothing to roll out.`);
        return {
          p,
          generation: p.deployment.metadata.generation ?? 0,
          status: 'unchanged',
          revision: p.revisionBefore,
        };
      }
      const patched = await kube.patch<K8sDeployment>(
        `/apis/apps/v1/namespaces/${target.namespace}/deployments/${p.name}`,
        p.plan.patch,
        'strategic',
      );
      core.info(
        `${p.name}: patched ${p.plan.changes.map((c) => `${c.container} → ${c.to}`).join(', ')} (generation ${patched.metadata.generation})`,
      );
      return { p, generation: patched.metadata.generation ?? 0, status: 'started' };
    }),
  );
  if (deploy.wait) {
    await Promise.all(
      rollouts
        .filter((r) => r.status === 'started')
        .map(async (r) => {
          r.outcome = await watchRollout(
            {
              kube,
              namespace: target.namespace,
              name: r.p.name,
              ourGeneration: r.generation,
              timeoutMs: deploy.timeoutMs,
              failFastAfter: deploy.failFastAfter,
              clock: options.clock,
              explain: (pod, crashed) => explainPod(kube, target.namespace, pod, crashed),
            },
            r.p.deployment,
          );
          r.revision = r.outcome.revision;
          r.status = r.outcome.kind === 'completed' ? 'completed' : r.outcome.kind;
          if (r.outcome.kind !== 'completed') {
            r.reason = r.outcome.reason;
            core.error(`${r.p.name}: ${r.status}: ${r.reason}`);
            await rollBack(kube, options, r);
          }
        }),
    );
  }
  return rollouts.map((r) => ({
    target: 'eks',
    name: label(r.p.name),
    status: r.status,
    rolledBack: r.status === 'rolled-back',
    durationSeconds: Math.round((options.clock.now() - started) / 100) / 10,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.revision ? { revision: r.revision } : {}),
    ...(r.p.revisionBefore ? { previousRevision: r.p.revisionBefore } : {}),
  }));
}

/** Restores the template of the revision that ran before (`kubectl rollout undo --to-revision`) and waits for it. */
async function rollBack(kube: KubeClient, options: EksDeployOptions, r: Rollout): Promise<void> {
  const { target, deploy } = options;
  if (!deploy.rollbackOnFailure || !r.p.revisionBefore) return;
  const selector = Object.entries(r.p.deployment.spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const sets = await kube.get<{
    items?: { metadata: { annotations?: Record<string, string> }; spec?: { template?: PodTemplate } }[];
  }>(
    `/apis/apps/v1/namespaces/${target.namespace}/replicasets?labelSelector=${encodeURIComponent(selector)}`,
  );
  const previous = sets.items?.find(
    (rs) => rs.metadata.annotations?.[REVISION_ANNOTATION] === r.p.revisionBefore,
  );
  if (!previous?.spec?.template) {
    r.reason = `${r.reason ?? ''}; revision ${r.p.revisionBefore} has no ReplicaSet left to roll back to`;
    return;
  }
  const current = await kube.get<K8sDeployment>(
    `/apis/apps/v1/namespaces/${target.namespace}/deployments/${r.p.name}`,
  );
  core.info(`${r.p.name}: rolling back to revision ${r.p.revisionBefore}`);
  const patched = await kube.patch<K8sDeployment>(
    `/apis/apps/v1/namespaces/${target.namespace}/deployments/${r.p.name}`,
    rollbackPatch(
      previous.spec.template,
      `ecr-deploy: rollback to revision ${r.p.revisionBefore} (${options.runUrl})`,
      current.metadata.annotations !== undefined,
    ),
    'json',
  );
  const outcome = await watchRollout(
    {
      kube,
      namespace: target.namespace,
      name: r.p.name,
      ourGeneration: patched.metadata.generation ?? 0,
      timeoutMs: deploy.timeoutMs,
      failFastAfter: 0,
      clock: options.clock,
      explain: async () => [],
    },
    patched,
  );
  if (outcome.kind === 'completed') {
    core.info(
      `${r.p.name}: rolled back (now revision ${outcome.revision ?? '?'}, the template of revision ${r.p.revisionBefore}).`,
    );
    r.reason = `${r.status === 'timed-out' ? 'timed out' : 'failed'}: ${r.reason ?? ''}\nrolled back to the template of revision ${r.p.revisionBefore}`;
    r.status = 'rolled-back';
  } else {
    r.reason = `${r.reason ?? ''}\nthe rollback to revision ${r.p.revisionBefore} did not complete either: ${outcome.reason}`;
  }
}
