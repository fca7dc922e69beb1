import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  type ImageTagMutabilityExclusionFilter,
  type Repository,
} from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { describeAwsError, errorName } from '../aws/errors.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { TagMutability } from '../image/types.ts';

export interface EcrRepository {
  readonly name: string;
  readonly registryId: string;
  /** `<registry host>/<name>`, exactly as ECR reports it. */
  readonly uri: string;
  /** The registry host, taken from the repository URI ECR returned (never derived from a pattern). */
  readonly host: string;
  readonly tagMutability: string;
  readonly exclusionFilters: readonly ImageTagMutabilityExclusionFilter[];
  readonly created: boolean;
}

function toEcrRepository(repo: Repository, created: boolean): EcrRepository {
  const uri = repo.repositoryUri ?? '';
  const slash = uri.indexOf('/');
  if (!repo.repositoryName || !repo.registryId || slash <= 0) {
    throw new Error(`ECR returned a repository without a name, registry id or URI: ${JSON.stringify(repo)}`);
  }
  return {
    name: repo.repositoryName,
    registryId: repo.registryId,
    uri,
    host: uri.slice(0, slash),
    tagMutability: repo.imageTagMutability ?? 'MUTABLE',
    exclusionFilters: repo.imageTagMutabilityExclusionFilters ?? [],
    created,
  };
}

export interface EnsureRepositoryOptions {
  readonly name: string;
  readonly registryId: string | undefined;
  readonly create: boolean;
  readonly tagMutability: TagMutability;
}

/** The repository if it exists (read only). */
export async function findRepository(
  ecr: ECRClient,
  name: string,
  registryId: string | undefined,
): Promise<EcrRepository | undefined> {
  try {
    const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId }));
    const repo = out.repositories?.[0];
    return repo ? toEcrRepository(repo, false) : undefined;
  } catch (error) {
    if (errorName(error) === 'RepositoryNotFoundException') return undefined;
    throw describeAwsError('DescribeRepositories', error, {
      permission: 'ecr:DescribeRepositories',
      subject: `repository ${name}`,
    });
  }
}

export function missingRepositoryError(name: string, registryId: string | undefined): InputError {
  const where = registryId ? ` in account ${registryId}` : '';
  return new InputError(
    Input.Repository,
    `ECR repository "${name}" does not exist${where}. Create it, or set create-repository: true to have this step create it.`,
  );
}

/** Creates the repository (scan on push, the given tag mutability); an existing one is returned as found. */
export async function createRepository(
  ecr: ECRClient,
  options: EnsureRepositoryOptions,
): Promise<EcrRepository> {
  const where = options.registryId ? ` in account ${options.registryId}` : '';
  try {
    const out = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: options.name,
        registryId: options.registryId,
        imageTagMutability: options.tagMutability,
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    if (!out.repository) throw new Error('CreateRepository returned no repository');
    core.info(`Created ECR repository ${options.name}${where} (${options.tagMutability}, scan on push).`);
    return toEcrRepository(out.repository, true);
  } catch (error) {
    // Another job may have created it between our two calls.
    if (errorName(error) === 'RepositoryAlreadyExistsException') {
      const found = await findRepository(ecr, options.name, options.registryId);
      if (found) return found;
    }
    throw describeAwsError('CreateRepository', error, {
      permission: 'ecr:CreateRepository',
      subject: `repository ${options.name}`,
    });
  }
}

/** Finds the repository; creates it when asked to, else fails before anything is built. */
export async function ensureRepository(
  ecr: ECRClient,
  options: EnsureRepositoryOptions,
): Promise<EcrRepository> {
  const found = await findRepository(ecr, options.name, options.registryId);
  if (found) return found;
  if (!options.create) throw missingRepositoryError(options.name, options.registryId);
  return createRepository(ecr, options);
}
