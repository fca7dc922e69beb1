// The `manifests` input → objects: files, folders (their YAML files, or their kustomization), globs. Reading
// is I/O; everything after it (kustomize, namespaces, images) is pure and checked before anything changes.
import { globSync, readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { imageRepository } from '../../image/reference.ts';
import { atLocation, locationOf } from '../../report/annotation.ts';
import { buildKustomization, kustomizationIn, KUSTOMIZATION_FILES, type ManifestFiles } from './kustomize.ts';
import { ManifestError, describeObject, objectKey, type KubeObject, type SourcedObject } from './objects.ts';
import { parseManifests } from './parse.ts';
import { containersOf } from './pod-specs.ts';

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** The real file system. */
export const diskFiles: ManifestFiles = {
  readFile: (file) => readFileSync(file, 'utf8'),
  isDirectory: (file) => statSync(file).isDirectory(),
  exists: (file) => existsSync(file),
  listManifests: (dir) =>
    readdirSync(dir)
      .filter((f) => MANIFEST_FILE.test(f))
      .sort()
      .map((f) => path.join(dir, f)),
};

const GLOB = /[*?[{]/;

/** Expands one entry of the input: a glob's matches (sorted), or the path itself. */
function expand(entry: string, cwd: string): string[] {
  if (!GLOB.test(entry)) return [path.resolve(cwd, entry)];
  return globSync(entry, { cwd })
    .map((f) => path.resolve(cwd, f))
    .sort();
}

/**
 * Reads every entry of `manifests` (relative to `cwd`). A folder with a kustomization is built as one; any
 * other folder gives its YAML/JSON files (not its subfolders: use a glob such as `k8s/**\/*.yaml`).
 */
export function readManifests(
  entries: readonly string[],
  cwd: string,
  files: ManifestFiles = diskFiles,
): SourcedObject[] {
  const load = (file: string) => {
    let text: string;
    try {
      text = files.readFile(file);
    } catch (error) {
      throw new ManifestError(
        `${path.relative(cwd, file) || file}: cannot be read (${(error as Error).message}).`,
      );
    }
    try {
      return parseManifests(text, path.relative(cwd, file) || file);
    } catch (error) {
      // The annotation's path is the file's own, whatever the working directory was.
      const location = locationOf(error);
      throw location ? atLocation(error as Error, { ...location, file: path.resolve(cwd, file) }) : error;
    }
  };
  const objects: SourcedObject[] = [];
  for (const entry of entries) {
    const matches = expand(entry, cwd);
    if (matches.length === 0 || !files.exists(matches[0] ?? '')) {
      throw new ManifestError(
        `"${entry}" ${GLOB.test(entry) ? 'matches no file' : 'does not exist'} (relative to ${cwd}).`,
      );
    }
    for (const match of matches) {
      if (files.isDirectory(match)) {
        const kustomization = kustomizationIn(match, files);
        if (kustomization) {
          objects.push(...buildKustomization(kustomization, files, load));
          continue;
        }
        const inside = files.listManifests(match);
        if (inside.length === 0)
          throw new ManifestError(`folder "${entry}" has no .yaml, .yml or .json file.`);
        for (const file of inside) objects.push(...load(file));
      } else if ((KUSTOMIZATION_FILES as readonly string[]).includes(path.basename(match))) {
        objects.push(...buildKustomization(match, files, load));
      } else {
        objects.push(...load(match));
      }
    }
  }
  if (objects.length === 0) throw new ManifestError('the files hold no Kubernetes object.');
  return objects;
}

/**
 * Pure: every namespaced object without a namespace gets `namespace`; then no two objects may be the same
 * one (the error names both places).
 */
export function fillNamespaces(
  objects: readonly SourcedObject[],
  namespace: string,
  isNamespaced: (object: KubeObject) => boolean,
): SourcedObject[] {
  const seen = new Map<string, string>();
  return objects.map(({ object, source }) => {
    const filled = structuredClone(object);
    if (isNamespaced(filled)) filled.metadata.namespace ??= namespace;
    else delete filled.metadata.namespace;
    const key = objectKey(filled);
    const before = seen.get(key);
    if (before)
      throw new ManifestError(`${describeObject(filled)} is defined twice: ${before} and ${source}.`);
    seen.set(key, source);
    return { object: filled, source };
  });
}

export interface ImageChange {
  readonly object: string;
  readonly container: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Pure: copies of the objects where every container (init containers included) of a Deployment,
 * StatefulSet, DaemonSet, Job, CronJob or Pod whose image is in `repositoryUri` runs `imageRef`.
 */
export function substituteImages(
  objects: readonly SourcedObject[],
  image: { readonly imageRef: string; readonly repositoryUri: string },
): { objects: SourcedObject[]; changes: ImageChange[] } {
  const changes: ImageChange[] = [];
  const result = objects.map(({ object, source }) => {
    const copy = structuredClone(object);
    for (const c of containersOf(copy)) {
      if (
        typeof c.image === 'string' &&
        imageRepository(c.image) === image.repositoryUri &&
        c.image !== image.imageRef
      ) {
        changes.push({ object: describeObject(copy), container: c.name, from: c.image, to: image.imageRef });
        c.image = image.imageRef;
      }
    }
    return { object: copy, source };
  });
  return { objects: result, changes };
}

/** Pure: whether any container of the objects uses the repository. */
export function usesRepository(objects: readonly SourcedObject[], repositoryUri: string): boolean {
  return objects.some(({ object }) =>
    containersOf(object).some(
      (c) => typeof c.image === 'string' && imageRepository(c.image) === repositoryUri,
    ),
  );
}
