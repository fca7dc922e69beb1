// Wiring of an EKS preview step: which event does what, the cluster connection, the teardown's report. A
// preview of manifests lives in its own namespace `<namespace>-pr-<N>`; the teardown deletes that namespace.
import * as core from '@actions/core';
import { clientConfig, createEcrClient } from '../aws/clients.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { GithubContext } from '../github-context.ts';
import type { Inputs } from '../inputs.ts';
import { systemClock } from '../deploy/clock.ts';
import { actionsLog } from '../deploy/log.ts';
import { notDeployed } from '../deploy/run.ts';
import type { EksTargetInputs, ManifestsInputs } from '../deploy/types.ts';
import type { ManifestKubeApi } from '../eks/kube-client.ts';
import {
  cleanupApi,
  deployAnnounced,
  githubApi,
  reportCleanup,
  repositoryOf,
  runUrl,
  writeSummary,
} from './announce.ts';
import { runPreviewCleanup, type PreviewTarget } from './cleanup.ts';
import { listEksPreviews } from './cleanup-eks.ts';
import { deletePreviewTag } from './ecr-tag.ts';
import { namespaceOf, prepareEksPreview } from './eks-preview.ts';
import { teardownEksPreview, type EksTeardownReport } from './eks-teardown.ts';
import { previewAction } from './event.ts';
import { deactivateDeployments, pullRequestState, upsertComment, type GithubApi } from './github.ts';
import { renderPreviewUrl } from './names.ts';
import type { PreviewStart } from './run.ts';
import type { PreviewInputs } from './types.ts';

/** The longest a teardown waits for Kubernetes to finish deleting the namespace. */
const DELETE_WAIT_MS = 10 * 60_000;

type ManifestsTarget = EksTargetInputs & { readonly manifests: ManifestsInputs };

function eksTarget(inputs: Inputs): { target: ManifestsTarget; preview: PreviewInputs } {
  const { target, preview } = inputs;
  // readInputs guarantees all three with preview and an EKS target.
  if (target?.kind !== 'eks' || !target.manifests || !preview)
    throw new InputError(Input.Preview, 'needs eks-cluster and manifests.');
  return { target: { ...target, manifests: target.manifests }, preview };
}

/** DescribeCluster and a token: the API server of the target's cluster. */
async function connect(inputs: Inputs, target: EksTargetInputs, env: NodeJS.ProcessEnv) {
  const [{ connectToCluster }, { EKSClient }] = await Promise.all([
    import('../eks/target.ts'),
    import('@aws-sdk/client-eks'),
  ]);
  const eks = new EKSClient(clientConfig({ region: inputs.region, env }));
  const { kube } = await connectToCluster({ eks, target, region: inputs.region, env, clock: systemClock });
  return kube as ManifestKubeApi;
}

export interface EksTearDownResult {
  readonly report: EksTeardownReport;
  readonly headline: string;
}

/**
 * One PR's teardown, the same for a `closed` event and for `preview: cleanup`: the namespace deleted and
 * waited for, then the `pr-<N>` tag in ECR (a tag that cannot be removed only warns), then on GitHub the
 * comment and the deployments once nothing is left.
 */
export async function tearDownEksPr(options: {
  readonly inputs: Inputs;
  readonly target: EksTargetInputs;
  readonly pr: number;
  readonly repository: string;
  readonly kube: ManifestKubeApi;
  readonly api: GithubApi | undefined;
  readonly run: string;
  readonly env: NodeJS.ProcessEnv;
}): Promise<EksTearDownResult> {
  const { inputs, target, pr, kube, api, run, env } = options;
  const namespace = namespaceOf(target.namespace, pr);
  const dryRun = inputs.deploy.dryRun;
  core.startGroup(`Tear down the preview of PR #${pr} in ${target.cluster}`);
  let report: EksTeardownReport;
  try {
    const ns = await teardownEksPreview({
      kube,
      namespace,
      base: target.namespace,
      pr,
      repository: options.repository,
      clock: systemClock,
      log: actionsLog,
      timeoutMs: Math.min(inputs.deploy.timeoutMs, DELETE_WAIT_MS),
      dryRun,
    });
    const tag = await deletePreviewTag({
      ecr: createEcrClient({ region: inputs.region, env }),
      repository: repositoryOf(inputs),
      registryId: inputs.registry,
      pr,
      dryRun,
    });
    if (tag.kind === 'not-removed') core.warning(tag.warning);
    report = {
      lines: [...ns.lines, tag.line],
      left: ns.left,
      nothingFound: ns.nothingFound && tag.kind === 'gone',
    };
    for (const line of report.lines) core.info(line);
  } finally {
    core.endGroup();
  }
  if (api && !dryRun && report.left.length === 0) {
    await upsertComment(api, actionsLog, {
      pr,
      state: 'removed',
      service: namespace,
      label: 'Namespace',
      runUrl: run,
    });
    await deactivateDeployments(api, actionsLog, pr, run);
  }
  const headline = dryRun
    ? `Preview of PR #${pr} (namespace ${namespace}): dry run, nothing was removed.`
    : report.left.length
      ? `Preview of PR #${pr} (namespace ${namespace}) only partly removed.`
      : report.nothingFound
        ? `Preview of PR #${pr} (namespace ${namespace}): nothing to remove, it was already gone.`
        : `Preview of PR #${pr} (namespace ${namespace}) removed.`;
  core.info(headline);
  return { report, headline };
}

/**
 * `preview: cleanup`: this repository's preview namespaces of the base namespace whose PR is closed are torn
 * down (each on its own), the others listed; the step fails at the end when a teardown did not complete.
 */
async function cleanUpEksPreviews(options: {
  readonly inputs: Inputs;
  readonly target: EksTargetInputs;
  readonly preview: PreviewInputs;
  readonly github: GithubContext;
  readonly env: NodeJS.ProcessEnv;
}): Promise<void> {
  const { inputs, target, preview, github, env } = options;
  const api = cleanupApi(preview, github, env);
  const run = runUrl(env);
  const kube = await connect(inputs, target, env);
  const previews: PreviewTarget = {
    name: `EKS cluster ${target.cluster}`,
    list: () => listEksPreviews(kube, target.namespace, github.repository),
    tearDown: async (pr) => {
      const { report, headline } = await tearDownEksPr({
        inputs,
        target,
        pr,
        repository: github.repository,
        kube,
        api: inputs.deploy.dryRun ? undefined : api,
        run,
        env,
      });
      return { headline, left: report.left };
    },
  };
  await reportCleanup(
    await runPreviewCleanup({
      targets: [previews],
      pullState: (pr) => pullRequestState(api, pr),
      log: actionsLog,
    }),
  );
}

/**
 * Decides from the event what the step does (see startPreview): `closed` tears the namespace down now;
 * otherwise returns how to prepare the preview once the repository is known.
 */
export async function startEksPreview(
  inputs: Inputs,
  github: GithubContext,
  payload: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Promise<PreviewStart> {
  const { target, preview } = eksTarget(inputs);
  if (preview.cleanup) {
    await cleanUpEksPreviews({ inputs, target, preview, github, env });
    return { kind: 'torn-down' };
  }
  const action = previewAction({
    eventName: github.eventName,
    payload,
    pullRequestNumber: github.pullRequestNumber,
    repository: github.repository,
    allowForks: preview.allowForks,
  });
  if (action.kind === 'refused') throw new InputError(Input.Preview, action.reason);
  const { pr } = action;
  // Checked before anything is built or changed: the preview namespace is never the base.
  const namespace = namespaceOf(target.namespace, pr);
  const api = inputs.deploy.dryRun ? undefined : githubApi(preview, github, env);
  const run = runUrl(env);
  if (action.kind === 'teardown') {
    const kube = await connect(inputs, target, env);
    const result = await tearDownEksPr({
      inputs,
      target,
      pr,
      repository: github.repository,
      kube,
      api,
      run,
      env,
    });
    await writeSummary(result.headline, result.report.lines);
    if (result.report.left.length)
      throw new Error(`The preview of PR #${pr} is not fully removed:\n${result.report.left.join('\n')}`);
    return { kind: 'torn-down' };
  }
  return {
    kind: 'deploy',
    async prepare(repositoryUri) {
      const kube = await connect(inputs, target, env);
      const { port } = await prepareEksPreview({
        kube,
        target,
        preview,
        pr,
        repository: github.repository,
        clock: systemClock,
        log: actionsLog,
        repositoryUri,
        runUrl: run,
      });
      const url = preview.urlTemplate ? renderPreviewUrl(preview.urlTemplate, pr).url : undefined;
      return {
        title: `Preview of PR #${pr}: namespace ${namespace} in ${target.cluster}`,
        notDeployed: notDeployed(port),
        deploy: (image, signal) =>
          deployAnnounced({
            port,
            image,
            signal,
            inputs,
            api,
            pr,
            url,
            commit: github.sha,
            service: namespace,
            label: 'Namespace',
            run,
          }),
      };
    },
  };
}
