import * as core from '@actions/core';
import { readEventPayload, readGithubContext } from './github-context.ts';
import { readInputs, unknownInputs } from './inputs.ts';
import { planTags } from './image/tags.ts';
import { RolloutFailedError, SUCCESSFUL, type DeployResult } from './deploy/types.ts';
import { CancelledError } from './cancel.ts';
import type { PreparedDeploy } from './deploy/run.ts';
import type { ImageReport } from './report/image-report.ts';

/** What the runner gives the step. */
export interface StepContext {
  /** Aborted when the run is cancelled (SIGINT/SIGTERM). */
  readonly signal: AbortSignal;
}

const NOT_CANCELLED: StepContext = { signal: new AbortController().signal };

/**
 * The step, phase by phase. Everything that can be checked is checked before anything changes: the inputs
 * (before the AWS SDK is even loaded), the repository and the deploy target (read only); then the image is
 * published, deployed and waited for, and one report is written — also when the run is cancelled: then
 * builds are stopped, every target says where it stands, and the outputs say `cancelled`.
 */
export async function main(step: StepContext = NOT_CANCELLED): Promise<void> {
  const { signal } = step;
  const env = process.env;
  const startedAt = new Date();
  for (const { given, closest } of unknownInputs(env)) {
    core.warning(
      `"${given}" is not an input of this action and is ignored.${closest ? ` Did you mean "${closest}"?` : ''}`,
    );
  }
  const inputs = readInputs({ env, cwd: process.cwd() });
  /** The CloudTrail pointer of the summary: this step's calls, from its start until now. */
  const audit = () => ({ region: inputs.region, startedAt, endedAt: new Date(), runId: env.GITHUB_RUN_ID });
  const payload = readEventPayload(env);
  const github = readGithubContext(env, payload);
  const plan = planTags(github, inputs.tags, inputs.tagRules);

  const [{ locateImage, publishImage }, { createEcrClient }, { writeReport }, { setUpStepCredentials }] =
    await Promise.all([
      import('./image/pipeline.ts'),
      import('./aws/clients.ts'),
      import('./report/write-report.ts'),
      import('./aws/step-credentials.ts'),
    ]);
  const credentials = await setUpStepCredentials({ inputs, env });
  // Previews: `closed` tears down (no image); other PR events deploy the preview instead of the base.
  const preview = inputs.preview
    ? await (await import('./preview/run.ts')).startPreview(inputs, github, payload, env)
    : undefined;
  if (preview?.kind === 'torn-down') return;
  const context = { inputs, github, plan, env, signal, ecr: createEcrClient({ region: inputs.region, env }) };
  const { dryRun } = inputs.deploy;
  let phase = 'looking up the image and the deploy target';
  let target: PreparedDeploy | undefined;
  let image: ImageReport | undefined;
  let reported = false;
  const cancelled = (what: string) => {
    reported = true;
    const why = signal.reason instanceof Error ? signal.reason.message : 'the step was cancelled';
    return new CancelledError(`${why[0]?.toUpperCase() ?? ''}${why.slice(1)} while ${phase}: ${what}`);
  };
  try {
    const location = await locateImage(context);
    const deployTarget = inputs.target;
    const run = deployTarget ? await import('./deploy/run.ts') : undefined;
    target =
      run && deployTarget
        ? await (preview?.kind === 'deploy'
            ? preview.prepare(location.repositoryUri)
            : run.prepareDeploy({ ...inputs, target: deployTarget }, env, location.repositoryUri))
        : undefined;
    if (signal.aborted) throw signal.reason;

    phase = location.kind === 'build' ? 'building and pushing the image' : 'tagging the image';
    // With a deploy, `latest`, `1`, the branch … move only once it is verified.
    const published = await publishImage(context, location, { holdFloatingTags: Boolean(target) && !dryRun });
    image = dryRun ? undefined : published.report;
    if (signal.aborted) throw signal.reason;
    if (!run || !target) {
      await writeReport({ image, results: undefined });
      return;
    }

    phase = 'deploying';
    const results = credentials.explain(
      await run.deploy(
        target,
        {
          imageRef: `${published.report.repositoryUri}@${published.report.digest}`,
          repositoryUri: published.report.repositoryUri,
        },
        signal,
      ),
    );
    const failed = results.filter((r) => !SUCCESSFUL.has(r.status));
    if (results.some((r) => r.status === 'cancelled')) {
      const error = cancelled('each target above says where it stands and what the platform does next.');
      if (published.held.length > 0) {
        core.warning(
          `Not moved to this image, because the deploy was cancelled: ${published.held.map((t) => t.name).join(', ')}.`,
        );
      }
      await writeReport({ image, results, cancelled: error.message, audit: audit() });
      throw error;
    }
    let report = published.report;
    let tagError: Error | undefined;
    if (published.held.length > 0) {
      if (failed.length === 0) {
        try {
          report = await published.moveHeldTags();
        } catch (error) {
          tagError = error instanceof Error ? error : new Error(String(error));
        }
      } else {
        core.warning(
          `Not moved to this image, because the deploy did not complete: ${published.held.map((t) => t.name).join(', ')}.`,
        );
      }
    }
    await writeReport({
      image: dryRun ? undefined : report,
      results,
      ...(dryRun ? {} : { audit: audit() }),
      stepFails: tagError !== undefined,
    });
    if (failed.length > 0) throw new RolloutFailedError(describeFailures(failed), results);
    if (tagError)
      throw new Error(`The deploy completed, but the tags could not be moved: ${tagError.message}`);
  } catch (error) {
    // Once the deploy has started, its results are the report (the driver never throws).
    if (!signal.aborted || reported || phase === 'deploying') throw error;
    // Cancelled before any target changed: nothing was deployed (a build was stopped, its folder removed).
    const stopped = cancelled(
      `nothing was deployed${phase.startsWith('building') ? '; the build was stopped and its folder removed' : ''}.`,
    );
    await writeReport({
      image,
      results: target?.notDeployed(
        'cancelled',
        'the step was cancelled before the deploy started; nothing was changed',
      ),
      cancelled: stopped.message,
    });
    throw stopped;
  }
}

function describeFailures(results: readonly DeployResult[]): string {
  return results.map((r) => `${r.name}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`).join('\n');
}
