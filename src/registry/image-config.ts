import type { ECRClient } from '@aws-sdk/client-ecr';
import { getManifest } from './images.ts';
import { readBlob, type RegistryLogin } from './registry-api.ts';
import type { EcrRepository } from './repository.ts';

interface ManifestJson {
  config?: { digest?: string };
  manifests?: { digest?: string; platform?: { os?: string } }[];
}

/**
 * The labels in an image's config. For an index, the first entry that is an image for a real platform
 * (attestation entries are `unknown/unknown`); all entries of one build carry the same labels.
 */
export async function readImageLabels(
  ecr: ECRClient,
  repo: EcrRepository,
  login: RegistryLogin,
  digest: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, string> | undefined> {
  let manifest = JSON.parse((await getManifest(ecr, repo, digest)).body) as ManifestJson;
  if (manifest.manifests) {
    const entry = manifest.manifests.find((m) => m.platform?.os !== 'unknown' && m.digest);
    if (!entry?.digest) return undefined;
    manifest = JSON.parse((await getManifest(ecr, repo, entry.digest)).body) as ManifestJson;
  }
  const configDigest = manifest.config?.digest;
  if (!configDigest) return undefined;
  const config = JSON.parse((await readBlob(login, repo.name, configDigest, env)).toString('utf8')) as {
    config?: { Labels?: Record<string, string> | null };
  };
  return config.config?.Labels ?? undefined;
}
