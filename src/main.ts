import { readFileSync, existsSync } from 'node:fs';
import * as core from '@actions/core';
import { readInputs } from './inputs.ts';
import { readGithubContext } from './github-context.ts';
import { planTags } from './image/tags.ts';
import { EnvironmentError } from './errors.ts';

function readEventPayload(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new EnvironmentError(`GITHUB_EVENT_PATH ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export async function main(): Promise<void> {
  const inputs = readInputs({ env: process.env, cwd: process.cwd() });
  const github = readGithubContext(process.env, readEventPayload(process.env));
  const plan = planTags(github, inputs.tags);
  core.startGroup('Plan');
  core.info(
    `Repository: ${inputs.repository} (${inputs.region}${inputs.registry ? `, account ${inputs.registry}` : ''})`,
  );
  core.info(`Commit: ${github.sha} (${github.eventName} ${github.ref})`);
  for (const tag of plan.tags) {
    core.info(`Tag ${tag.name}${tag.name === plan.primary ? ' (primary)' : ''} [${tag.source}]`);
  }
  core.endGroup();
}
