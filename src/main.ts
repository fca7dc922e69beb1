import { existsSync, readFileSync } from 'node:fs';
import { EnvironmentError } from './errors.ts';
import { readGithubContext } from './github-context.ts';
import { readInputs } from './inputs.ts';
import { planTags } from './image/tags.ts';

function readEventPayload(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new EnvironmentError(`GITHUB_EVENT_PATH ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Validates everything it can before loading the AWS SDK, so bad input fails fast and changes nothing. */
export async function main(): Promise<void> {
  const env = process.env;
  const inputs = readInputs({ env, cwd: process.cwd() });
  const github = readGithubContext(env, readEventPayload(env));
  const plan = planTags(github, inputs.tags);
  const deploy = inputs.target ? await import('./deploy/run.ts') : undefined;
  const { publishImage } = await import('./image/pipeline.ts');
  const image = await publishImage({
    inputs,
    github,
    plan,
    env,
    beforeChanges: async (repositoryUri) => deploy?.preflightDeploy(inputs, env, repositoryUri),
  });
  await deploy?.runDeploy(inputs, image, env);
}
