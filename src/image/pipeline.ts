import os from 'node:os';
import * as core from '@actions/core';
import { State } from '../contract.ts';
import type { GithubContext } from '../github-context.ts';
import type { Inputs } from '../inputs.ts';
import type { TagPlan } from './tags.ts';
import { decideTags } from './tag-policy.ts';
import { chooseBuilder, createCommandRunner } from './builder.ts';
import { applyTags, buildAndPush, checkImmutableTags } from './publish.ts';
import { createEcrClient } from '../aws/clients.ts';
import { ensureRepository } from '../registry/repository.ts';
import { getRegistryCredentials } from '../registry/login.ts';
import { userDockerConfigDir, writeTemporaryDockerConfig } from '../registry/docker-config.ts';
import { writeImageOutputs, writeImageSummary, type ImageReport } from '../report/image-report.ts';

async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  core.startGroup(name);
  try {
    return await fn();
  } finally {
    core.endGroup();
  }
}

export interface PublishImageOptions {
  readonly inputs: Inputs;
  readonly github: GithubContext;
  readonly plan: TagPlan;
  readonly env: NodeJS.ProcessEnv;
}

/** ECR login → build → push once → tags → outputs and summary. */
export async function publishImage({ inputs, github, plan, env }: PublishImageOptions): Promise<ImageReport> {
  const runner = createCommandRunner();
  const builder = await chooseBuilder(inputs.builder, inputs, runner);
  const tempParent = env.RUNNER_TEMP || os.tmpdir();
  const ecr = createEcrClient({ region: inputs.region, env });

  const { repo, decision, dockerConfig } = await group('Amazon ECR', async () => {
    const repo = await ensureRepository(ecr, {
      name: inputs.repository,
      registryId: inputs.registry,
      create: inputs.createRepository,
      tagMutability: inputs.tagMutability,
    });
    core.info(`Repository ${repo.uri} (tags ${repo.tagMutability})`);
    const decision = decideTags(plan, repo);
    for (const s of decision.skipped) core.notice(`Tag ${s.tag} skipped: ${s.reason}.`);
    await checkImmutableTags(ecr, repo, decision);

    const credentials = await getRegistryCredentials(ecr, repo.registryId);
    const dockerConfig = writeTemporaryDockerConfig({
      parent: tempParent,
      source: userDockerConfigDir(env),
      hosts: [...new Set([credentials.host, repo.host])],
      auth: credentials.auth,
    });
    // Saved before anything else can fail, so the post step removes the login whatever happens next.
    core.saveState(State.DockerConfig, dockerConfig);
    core.exportVariable('DOCKER_CONFIG', dockerConfig);
    const expiry = credentials.expiresAt ? ` until ${credentials.expiresAt.toISOString()}` : '';
    core.info(`Logged in to ${credentials.host}${expiry}; DOCKER_CONFIG is exported for later steps.`);
    return { repo, decision, dockerConfig };
  });

  const digest = await group(`Build and push (${builder})`, () =>
    buildAndPush({
      inputs,
      repo,

      commitTag: plan.commitTag,
      builder,
      runner,
      dockerConfig,
      tempParent,
      oci: {
        source: github.repository ? `${github.serverUrl}/${github.repository}` : github.serverUrl,
        revision: github.sha,
        created: new Date().toISOString(),
      },
    }),
  );
  core.info(`Pushed ${repo.uri}@${digest}`);

  const tagged = await group('Tags', () =>
    applyTags(ecr, repo, decision, { digest, commitTag: plan.commitTag }),
  );
  const report: ImageReport = {
    repo,
    region: inputs.region,
    digest,
    tags: tagged.tags,
    primary: decision.primary,
    skipped: decision.skipped,
    sizeBytes: tagged.sizeBytes,
    builder,
  };
  writeImageOutputs(report);
  await writeImageSummary(report);
  core.info(`Image ${repo.uri}@${digest} tagged ${tagged.tags.join(', ')}`);
  return report;
}
