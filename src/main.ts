import { existsSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { EnvironmentError } from './errors.ts';
import { readGithubContext } from './github-context.ts';
import { readInputs, unknownInputs } from './inputs.ts';
import { planTags } from './image/tags.ts';
import { RolloutFailedError, SUCCESSFUL, type DeployResult } from './deploy/types.ts';

function readEventPayload(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new EnvironmentError(`GITHUB_EVENT_PATH ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * The step, phase by phase. Everything that can be checked is checked before anything changes: the inputs
 * (before the AWS SDK is even loaded), the repository and the deploy target (read only); then the image is
 * published, deployed and waited for, and one report is written.
 */
export async function main(): Promise<void> {
  const env = process.env;
  for (const { given, closest } of unknownInputs(env)) {
    core.warning(
      `"${given}" is not an input of this action and is ignored.${closest ? ` Did you mean "${closest}"?` : ''}`,
    );
  }
  const inputs = readInputs({ env, cwd: process.cwd() });
  const payload = readEventPayload(env);
  const github = readGithubContext(env, payload);
  const plan = planTags(github, inputs.tags);
  // Previews: `closed` tears down (no image); other PR events deploy the preview instead of the base.
  const preview = inputs.preview
    ? await (await import('./preview/run.ts')).startPreview(inputs, github, payload, env)
    : undefined;
  if (preview?.kind === 'torn-down') return;

  const [{ locateImage, publishImage }, { createEcrClient }, { writeReport }] = await Promise.all([
    import('./image/pipeline.ts'),
    import('./aws/clients.ts'),
    import('./report/write-report.ts'),
  ]);
  const context = { inputs, github, plan, env, ecr: createEcrClient({ region: inputs.region, env }) };
  const location = await locateImage(context);
  const deployTarget = inputs.target;
  const run = deployTarget ? await import('./deploy/run.ts') : undefined;
  const target =
    run && deployTarget
      ? await (preview?.kind === 'deploy'
          ? preview.prepare(location.repositoryUri)
          : run.prepareDeploy({ ...inputs, target: deployTarget }, env, location.repositoryUri))
      : undefined;

  const { dryRun } = inputs.deploy;
  // With a deploy, `latest`, `1`, the branch … move only once it is verified.
  const published = await publishImage(context, location, { holdFloatingTags: Boolean(target) && !dryRun });
  if (!run || !target) {
    await writeReport({ image: dryRun ? undefined : published.report, results: undefined });
    return;
  }

  const image = published.report;
  const results = await run.deploy(target, {
    imageRef: `${image.repositoryUri}@${image.digest}`,
    repositoryUri: image.repositoryUri,
  });
  const failed = results.filter((r) => !SUCCESSFUL.has(r.status));
  let report = image;
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
  await writeReport({ image: dryRun ? undefined : report, results });
  if (failed.length > 0) throw new RolloutFailedError(describeFailures(failed), results);
  if (tagError) throw new Error(`The deploy completed, but the tags could not be moved: ${tagError.message}`);
}

function describeFailures(results: readonly DeployResult[]): string {
  return results.map((r) => `${r.name}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}`).join('\n');
}
