import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The parts of Docker's config.json this action touches; everything else is carried over untouched. */
export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; [key: string]: unknown }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [key: string]: unknown;
}

export const TEMP_PREFIX = 'ecr-deploy-docker-';

/**
 * Pure: the user's config with our registry login added. An empty credential helper for our host makes
 * Docker read the inline `auths` entry even when a global `credsStore` or an ECR credential helper is set
 * (Docker picks `credHelpers[host]` when the key exists, and an empty name means the file store).
 */
export function mergeDockerConfig(
  existing: DockerConfigFile,
  hosts: readonly string[],
  auth: string,
): DockerConfigFile {
  const auths = { ...existing.auths };
  const credHelpers = { ...existing.credHelpers };
  for (const host of hosts) {
    auths[host] = { auth };
    if (existing.credsStore || host in credHelpers) credHelpers[host] = '';
  }
  const merged: DockerConfigFile = { ...existing, auths };
  if (Object.keys(credHelpers).length > 0) merged.credHelpers = credHelpers;
  return merged;
}

export function userDockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

export interface TemporaryDockerConfigOptions {
  /** Where the folder goes: RUNNER_TEMP on a runner, so the runner removes it with the job at the latest. */
  readonly parent: string;
  /** The user's current Docker config folder (may not exist). */
  readonly source: string;
  readonly hosts: readonly string[];
  readonly auth: string;
}

/**
 * Writes a private DOCKER_CONFIG folder holding the user's config plus our login. Folders other tools keep
 * there (buildx builders, CLI plugins, contexts) are linked, so a builder set up earlier still works.
 */
export function writeTemporaryDockerConfig(options: TemporaryDockerConfigOptions): string {
  const dir = mkdtempSync(path.join(options.parent, TEMP_PREFIX));
  const sourceConfig = path.join(options.source, 'config.json');
  let existing: DockerConfigFile = {};
  if (existsSync(sourceConfig)) {
    try {
      existing = JSON.parse(readFileSync(sourceConfig, 'utf8')) as DockerConfigFile;
    } catch (error) {
      throw new Error(
        `The Docker config ${sourceConfig} is not valid JSON (${(error as Error).message}). Fix or remove it.`,
      );
    }
  }
  if (existsSync(options.source)) {
    for (const entry of readdirSync(options.source)) {
      if (entry === 'config.json') continue;
      symlinkSync(path.join(options.source, entry), path.join(dir, entry));
    }
  }
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify(mergeDockerConfig(existing, options.hosts, options.auth), null, 2),
    {
      mode: 0o600,
    },
  );
  return dir;
}

/** Removes a folder written by writeTemporaryDockerConfig (links are removed, never followed). */
export function removeTemporaryDockerConfig(dir: string): void {
  if (!path.basename(dir).startsWith(TEMP_PREFIX)) {
    throw new Error(`Refusing to remove ${dir}: not a Docker config folder this action created.`);
  }
  rmSync(dir, { recursive: true, force: true });
}
