// Wiring of a preview step: which event does what, the clients, the teardown's report (ECS here; an EKS
// target's preview is wired in eks-run.ts).
import * as core from '@actions/core';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEcrClient, createEcsClient, createElbClient } from '../aws/clients.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { GithubContext } from '../github-context.ts';
import type { Inputs } from '../inputs.ts';
import { systemClock } from '../deploy/clock.ts';
import { actionsLog } from '../deploy/log.ts';
import { notDeployed, type PreparedDeploy } from '../deploy/run.ts';
import type { EcsTargetInputs } from '../deploy/types.ts';
import { runPreviewCleanup, type PreviewTarget } from './cleanup.ts';
import { listEcsPreviews } from './cleanup-ecs.ts';
import { deletePreviewTag } from './ecr-tag.ts';
import { prepareEcsPreview, teardownEcsPreview, type TeardownReport } from './ecs-preview.ts';
import {
  cleanupApi,
  deployAnnounced,
  githubApi,
  reportCleanup,
  repositoryOf,
  runUrl,
  writeSummary,
} from './announce.ts';
import { previewAction } from './event.ts';
import { deactivateDeployments, pullRequestState, upsertComment, type GithubApi } from './github.ts';
import { previewNames, renderPreviewUrl, serviceNameOf } from './names.ts';
import type { PreviewInputs } from './types.ts';

/** The longest a teardown waits for ECS to finish deleting the service. */
const DELETE_WAIT_MS = 10 * 60_000;

export type PreviewStart =
  | { readonly kind: 'torn-down' }
  | { readonly kind: 'deploy'; prepare(repositoryUri: string): Promise<PreparedDeploy> };

function ecsTarget(inputs: Inputs): { target: EcsTargetInputs; preview: PreviewInputs } {
  const { target, preview } = inputs;
  // readInputs guarantees both with preview: true.
  if (target?.kind !== 'ecs' || !preview) throw new InputError(Input.Preview, 'needs an ECS target.');
  return { target, preview };
}

export interface TearDownResult {
  readonly report: TeardownReport;
  readonly headline: string;
}

/**
 * One PR's teardown, the same for a `closed` event and for `preview: cleanup`: the ECS pieces, then the
 * `pr-<N>` tag in ECR (a tag that cannot be removed only warns), then on GitHub the comment and the
 * deployments once nothing is left.
 */
export async function tearDownPr(options: {
  readonly inputs: Inputs;
  readonly target: EcsTargetInputs;
  readonly preview: PreviewInputs;
  readonly pr: number;
  readonly ecs: ECSClient;
  readonly elb: ElasticLoadBalancingV2Client | undefined;
  readonly api: GithubApi | undefined;
  readonly run: string;
  readonly env: NodeJS.ProcessEnv;
}): Promise<TearDownResult> {
  const { inputs, target, preview, pr, ecs, elb, api, run, env } = options;
  const name = previewNames(serviceNameOf(target.services[0] ?? ''), 'family', pr).service;
  const dryRun = inputs.deploy.dryRun;
  core.startGroup(`Tear down the preview of PR #${pr} in ${target.cluster}`);
  let report: TeardownReport;
  try {
    const ecsReport = await teardownEcsPreview({
      ecs,
      elb,
      target,
      preview,
      pr,
      clock: systemClock,
      log: actionsLog,
      deleteTimeoutMs: Math.min(inputs.deploy.timeoutMs, DELETE_WAIT_MS),
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
      lines: [...ecsReport.lines, tag.line],
      left: ecsReport.left,
      nothingFound: ecsReport.nothingFound && tag.kind === 'gone',
    };
    for (const line of report.lines) core.info(line);
  } finally {
    core.endGroup();
  }
  if (api && !dryRun && report.left.length === 0) {
    await upsertComment(api, actionsLog, { pr, state: 'removed', service: name, runUrl: run });
    await deactivateDeployments(api, actionsLog, pr, run);
  }
  const headline = dryRun
    ? `Preview of PR #${pr} (${name}): dry run, nothing was removed.`
    : report.left.length
      ? `Preview of PR #${pr} (${name}) only partly removed.`
      : report.nothingFound
        ? `Preview of PR #${pr} (${name}): nothing to remove, it was already gone.`
        : `Preview of PR #${pr} (${name}) removed.`;
  core.info(headline);
  return { report, headline };
}

/**
 * `preview: cleanup`: the previews of this base service whose PR is closed are torn down (each on its own),
 * the others listed; the step fails at the end when a teardown did not complete.
 */
async function cleanUpPreviews(options: {
  readonly inputs: Inputs;
  readonly target: EcsTargetInputs;
  readonly preview: PreviewInputs;
  readonly github: GithubContext;
  readonly env: NodeJS.ProcessEnv;
}): Promise<void> {
  const { inputs, target, preview, github, env } = options;
  const api = cleanupApi(preview, github, env);
  const run = runUrl(env);
  const ecs = await createEcsClient({ region: inputs.region, env });
  const elb = preview.listenerArn ? await createElbClient({ region: inputs.region, env }) : undefined;
  const base = serviceNameOf(target.services[0] ?? '');
  const ecsPreviews: PreviewTarget = {
    name: `ECS cluster ${target.cluster}`,
    list: () => listEcsPreviews(ecs, target.cluster, base),
    tearDown: async (pr) => {
      const { report, headline } = await tearDownPr({
        inputs,
        target,
        preview,
        pr,
        ecs,
        elb,
        api: inputs.deploy.dryRun ? undefined : api,
        run,
        env,
      });
      return { headline, left: report.left };
    },
  };
  const report = await runPreviewCleanup({
    targets: [ecsPreviews],
    pullState: (pr) => pullRequestState(api, pr),
    log: actionsLog,
  });
  await reportCleanup(report);
}

/**
 * Decides from the event what the step does. `closed`: tears the preview down now (no image is built);
 * otherwise returns how to prepare the preview target once the repository is known. A refused event
 * (not a PR, a fork) fails before anything is built.
 */
export async function startPreview(
  inputs: Inputs,
  github: GithubContext,
  payload: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Promise<PreviewStart> {
  if (inputs.target?.kind === 'eks')
    return (await import('./eks-run.ts')).startEksPreview(inputs, github, payload, env);
  const { target, preview } = ecsTarget(inputs);
  if (preview.cleanup) {
    await cleanUpPreviews({ inputs, target, preview, github, env });
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
  const api = inputs.deploy.dryRun ? undefined : githubApi(preview, github, env);
  const serviceName = previewNames(serviceNameOf(target.services[0] ?? ''), 'family', pr).service;
  const run = runUrl(env);
  const clients = async () => ({
    ecs: await createEcsClient({ region: inputs.region, env }),
    elb: preview.listenerArn ? await createElbClient({ region: inputs.region, env }) : undefined,
  });
  if (action.kind === 'teardown') {
    const { ecs, elb } = await clients();
    const result = await tearDownPr({ inputs, target, preview, pr, ecs, elb, api, run, env });
    await writeSummary(result.headline, result.report.lines);
    if (result.report.left.length)
      throw new Error(`The preview of PR #${pr} is not fully removed:\n${result.report.left.join('\n')}`);
    return { kind: 'torn-down' };
  }
  return {
    kind: 'deploy',
    async prepare(repositoryUri) {
      const { ecs, elb } = await clients();
      const port = await prepareEcsPreview({
        ecs,
        elb,
        target,
        preview,
        pr,
        region: inputs.region,
        clock: systemClock,
        log: actionsLog,
        repositoryUri,
      });
      const url = preview.urlTemplate ? renderPreviewUrl(preview.urlTemplate, pr).url : undefined;
      const unit = port.units[0];
      return {
        title: `Preview of PR #${pr}: ${unit?.names.service ?? ''} in ${target.cluster}`,
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
            service: serviceName,
            run,
          }),
      };
    },
  };
}
