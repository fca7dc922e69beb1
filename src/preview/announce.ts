// What every preview step shares, whatever the platform: the GitHub API with the job's token, the run's
// link, the job summary, and a deploy announced on GitHub (a `pr-<N>` deployment with its statuses and the
// sticky comment) around the driver's rollout and wait.
import * as core from '@actions/core';
import { Input, Output } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { GithubContext } from '../github-context.ts';
import type { Inputs } from '../inputs.ts';
import { systemClock } from '../deploy/clock.ts';
import { runTarget } from '../deploy/driver.ts';
import { actionsLog } from '../deploy/log.ts';
import type { DeployImage, TargetPort } from '../deploy/target.ts';
import { SUCCESSFUL, type DeployResult } from '../deploy/types.ts';
import type { CleanupReport } from './cleanup.ts';
import { finishDeployment, startDeployment, upsertComment, type GithubApi } from './github.ts';
import type { PreviewInputs } from './types.ts';

export function runUrl(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}

/** The REST API with the job's token (GitHub Enterprise: GITHUB_API_URL); none without a token. */
export function githubApi(
  preview: PreviewInputs,
  github: GithubContext,
  env: NodeJS.ProcessEnv,
): GithubApi | undefined {
  if (!preview.githubToken || !github.repository) {
    core.info('No github-token: the preview gets no PR comment and no GitHub deployment.');
    return undefined;
  }
  core.setSecret(preview.githubToken);
  return {
    baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
    token: preview.githubToken,
    repository: github.repository,
  };
}

export async function writeSummary(headline: string, lines: readonly string[]): Promise<void> {
  try {
    await core.summary.addRaw([`### ${headline}`, '', ...lines.map((l) => `- ${l}`), ''].join('\n')).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}

/** The ECR repository the PR's image was tagged in: the one built into, or the given image's. */
export function repositoryOf(inputs: Inputs): string {
  return inputs.source.kind === 'build' ? inputs.source.repository : inputs.source.reference.path;
}

/**
 * The driver's rollout and wait of a preview's port, announced on GitHub: the deployment in progress and
 * the comment `deploying` before, then success/failure (with the URL) and the comment `ready`/`failed`.
 * The URL becomes the `preview-url` output once the rollout succeeded.
 */
export async function deployAnnounced<Unit, Plan, Handle>(options: {
  readonly port: TargetPort<Unit, Plan, Handle>;
  readonly image: DeployImage;
  readonly signal: AbortSignal | undefined;
  readonly inputs: Inputs;
  readonly api: GithubApi | undefined;
  readonly pr: number;
  readonly url: string | undefined;
  readonly commit: string;
  /** The preview's service (ECS) or namespace (EKS), and what it is (`Service`, `Namespace`). */
  readonly service: string;
  readonly label?: string;
  readonly run: string;
}): Promise<DeployResult[]> {
  const { port, image, signal, inputs, api, pr, url, run } = options;
  const facts = {
    pr,
    url,
    commit: options.commit,
    service: options.service,
    ...(options.label ? { label: options.label } : {}),
    runUrl: run,
  };
  const deployment = api
    ? await startDeployment(api, actionsLog, { pr, commit: options.commit, runUrl: run })
    : undefined;
  if (api) await upsertComment(api, actionsLog, { ...facts, state: 'deploying' });
  const results = await runTarget(port, image, {
    deploy: inputs.deploy,
    clock: systemClock,
    log: actionsLog,
    signal,
  });
  const success = results.every((r) => SUCCESSFUL.has(r.status));
  if (url && !inputs.deploy.dryRun && success) {
    core.setOutput(Output.PreviewUrl, url);
    core.info(`Preview: ${url}`);
  }
  if (api) {
    const result = results.map((r) => `${r.status}${r.reason ? `: ${r.reason}` : ''}`).join('; ');
    if (deployment !== undefined) {
      await finishDeployment(api, actionsLog, deployment, {
        success,
        url,
        runUrl: run,
        description: result,
      });
    }
    await upsertComment(api, actionsLog, { ...facts, state: success ? 'ready' : 'failed', result });
  }
  return results;
}

/** `preview: cleanup` reads each PR's state: without a token it cannot run. */
export function cleanupApi(preview: PreviewInputs, github: GithubContext, env: NodeJS.ProcessEnv): GithubApi {
  const api = preview.githubToken && github.repository ? githubApi(preview, github, env) : undefined;
  if (!api) {
    throw new InputError(
      Input.GithubToken,
      "is needed with preview: cleanup, to read each PR's state: keep the default ${{ github.token }} and give the job `permissions: { pull-requests: read }`.",
    );
  }
  return api;
}

/** The cleanup's log lines and job summary; the step fails when a teardown did not complete. */
export async function reportCleanup(report: CleanupReport): Promise<void> {
  for (const line of report.kept) core.info(`Kept: ${line}`);
  const headline = report.failed.length
    ? `Preview cleanup: ${report.failed.length} teardown${report.failed.length === 1 ? '' : 's'} failed.`
    : `Preview cleanup: ${report.tornDown.length} removed, ${report.kept.length} kept.`;
  core.info(headline);
  try {
    await core.summary.addRaw([`### ${headline}`, '', ...report.summary].join('\n')).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
  if (report.failed.length) {
    throw new Error(`Preview cleanup did not complete:\n${report.failed.join('\n')}`);
  }
}
