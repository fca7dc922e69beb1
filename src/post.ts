import * as core from '@actions/core';
import { State } from './contract.ts';
import { removeTemporaryDockerConfig } from './registry/docker-config.ts';

/** Post step: runs even when the job failed. Removes the registry login; failures here only warn. */
export async function post(): Promise<void> {
  const dir = core.getState(State.DockerConfig);
  if (!dir) return;
  try {
    removeTemporaryDockerConfig(dir);
    core.info(`Removed the temporary Docker config ${dir} (registry login).`);
  } catch (error) {
    core.warning(`Could not remove the temporary Docker config ${dir}: ${(error as Error).message}`);
  }
}
