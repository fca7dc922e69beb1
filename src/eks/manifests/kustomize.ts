// A kustomization, built in-process: resources (files and other kustomization folders), patches
// (strategic merge and JSON 6902), images, namespace, namePrefix and commonLabels. Any other field is an
// error that names it: a field silently ignored would deploy something else than `kustomize build` does.
import path from 'node:path';
import { parse } from 'yaml';
import {
  CLUSTER_SCOPED_KINDS,
  ManifestError,
  groupOf,
  isRecord,
  type KubeObject,
  type SourcedObject,
} from './objects.ts';
import { applyJsonPatch, strategicMerge, type JsonPatchOperation } from './patch.ts';
import { containersOf, podSpecOf, templatePath } from './pod-specs.ts';

/** What reading manifests needs of the file system (tests give a map of files). */
export interface ManifestFiles {
  readFile(file: string): string;
  isDirectory(file: string): boolean;
  exists(file: string): boolean;
  /** The `*.yaml`, `*.yml` and `*.json` files directly in a folder, sorted. */
  listManifests(dir: string): string[];
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

const SUPPORTED = [
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'namePrefix',
  'commonLabels',
  'images',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
] as const;

export function kustomizationIn(dir: string, files: ManifestFiles): string | undefined {
  return KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => files.exists(f));
}

interface ImageRule {
  readonly name: string;
  readonly newName?: string;
  readonly newTag?: string;
  readonly digest?: string;
}

interface PatchTarget {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
}

function strings(value: unknown, where: string, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw new ManifestError(`${where}: ${field} must be a list of strings.`);
  return value;
}

/** Pure: the repository part of an image (no tag, no digest). */
export function imageName(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** Pure: `kustomize edit set image`'s rule for one image string. */
export function applyImageRule(image: string, rule: ImageRule): string {
  if (imageName(image) !== rule.name) return image;
  const name = rule.newName ?? rule.name;
  if (rule.digest) return `${name}@${rule.digest}`;
  if (rule.newTag) return `${name}:${rule.newTag}`;
  return `${name}${image.slice(imageName(image).length)}`;
}

function matchesSelector(labels: Record<string, string> | undefined, selector: string): boolean {
  return selector
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .every((term) => {
      const [k, v] = term.split(/!?=/) as [string, string | undefined];
      const value = labels?.[k.trim()];
      if (v === undefined) return value !== undefined;
      return term.includes('!=') ? value !== v.trim() : value === v.trim();
    });
}

function targets(object: KubeObject, target: PatchTarget): boolean {
  if (target.kind && target.kind !== object.kind) return false;
  if (target.name && target.name !== object.metadata.name) return false;
  if (target.namespace && target.namespace !== (object.metadata.namespace ?? '')) return false;
  if (target.group !== undefined && target.group !== groupOf(object.apiVersion)) return false;
  if (target.version && !object.apiVersion.endsWith(target.version)) return false;
  if (target.labelSelector && !matchesSelector(object.metadata.labels, target.labelSelector)) return false;
  return true;
}

/** Names that `namePrefix` changes in the objects that refer to them (kustomize's name references). */
function prefixReferences(object: KubeObject, rename: (kind: string, name: string) => string): void {
  const spec = podSpecOf(object);
  if (spec) {
    if (typeof spec.serviceAccountName === 'string')
      spec.serviceAccountName = rename('ServiceAccount', spec.serviceAccountName);
    for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
      if (!isRecord(v)) continue;
      if (isRecord(v.configMap) && typeof v.configMap.name === 'string')
        v.configMap.name = rename('ConfigMap', v.configMap.name);
      if (isRecord(v.secret) && typeof v.secret.secretName === 'string')
        v.secret.secretName = rename('Secret', v.secret.secretName);
      if (isRecord(v.persistentVolumeClaim) && typeof v.persistentVolumeClaim.claimName === 'string')
        v.persistentVolumeClaim.claimName = rename(
          'PersistentVolumeClaim',
          v.persistentVolumeClaim.claimName,
        );
    }
    for (const c of containersOf(object)) {
      for (const from of Array.isArray(c.envFrom) ? c.envFrom : []) {
        if (!isRecord(from)) continue;
        if (isRecord(from.configMapRef) && typeof from.configMapRef.name === 'string')
          from.configMapRef.name = rename('ConfigMap', from.configMapRef.name);
        if (isRecord(from.secretRef) && typeof from.secretRef.name === 'string')
          from.secretRef.name = rename('Secret', from.secretRef.name);
      }
      for (const e of Array.isArray(c.env) ? c.env : []) {
        const ref = isRecord(e) && isRecord(e.valueFrom) ? e.valueFrom : undefined;
        if (isRecord(ref?.configMapKeyRef) && typeof ref.configMapKeyRef.name === 'string')
          ref.configMapKeyRef.name = rename('ConfigMap', ref.configMapKeyRef.name);
        if (isRecord(ref?.secretKeyRef) && typeof ref.secretKeyRef.name === 'string')
          ref.secretKeyRef.name = rename('Secret', ref.secretKeyRef.name);
      }
    }
  }
  const s = isRecord(object.spec) ? object.spec : undefined;
  if (object.kind === 'HorizontalPodAutoscaler' && isRecord(s?.scaleTargetRef)) {
    const ref = s.scaleTargetRef;
    if (typeof ref.name === 'string' && typeof ref.kind === 'string') ref.name = rename(ref.kind, ref.name);
  }
  if (object.kind === 'StatefulSet' && typeof s?.serviceName === 'string')
    s.serviceName = rename('Service', s.serviceName);
  if (object.kind === 'Ingress') {
    const backends: unknown[] = [s?.defaultBackend];
    for (const rule of Array.isArray(s?.rules) ? s.rules : []) {
      const paths =
        isRecord(rule) && isRecord(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
      for (const p of paths) if (isRecord(p)) backends.push(p.backend);
    }
    for (const b of backends) {
      if (isRecord(b) && isRecord(b.service) && typeof b.service.name === 'string')
        b.service.name = rename('Service', b.service.name);
    }
  }
  if ((object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') && isRecord(object.roleRef)) {
    const ref = object.roleRef;
    if (typeof ref.name === 'string' && typeof ref.kind === 'string') ref.name = rename(ref.kind, ref.name);
  }
}

function addLabels(record: Record<string, unknown>, key: string, labels: Record<string, string>): void {
  record[key] = { ...(isRecord(record[key]) ? record[key] : {}), ...labels };
}

function commonLabels(object: KubeObject, labels: Record<string, string>): void {
  object.metadata.labels = { ...object.metadata.labels, ...labels };
  const spec = isRecord(object.spec) ? object.spec : undefined;
  if (!spec) return;
  const tpl = templatePath(object.kind);
  if (tpl) {
    let template: unknown = object;
    for (const p of tpl) template = isRecord(template) ? template[p] : undefined;
    if (isRecord(template)) {
      template.metadata = isRecord(template.metadata) ? template.metadata : {};
      addLabels(template.metadata as Record<string, unknown>, 'labels', labels);
    }
  }
  // Selectors too, as kustomize does (a Job's selector is generated by the API server).
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(object.kind)) {
    spec.selector = isRecord(spec.selector) ? spec.selector : {};
    addLabels(spec.selector as Record<string, unknown>, 'matchLabels', labels);
  }
  if (object.kind === 'Service' && (spec.selector === undefined || isRecord(spec.selector)))
    addLabels(spec, 'selector', labels);
}

function readYamlFile(file: string, files: ManifestFiles): unknown {
  try {
    return parse(files.readFile(file), { prettyErrors: true });
  } catch (error) {
    const e = error as { linePos?: { line: number }[]; message: string };
    throw new ManifestError(
      `${file}${e.linePos?.[0] ? `:${e.linePos[0].line}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`,
    );
  }
}

/**
 * Builds the kustomization in `dir` (its file is `file`). `load` reads a resource file into objects, so the
 * same YAML reading is used everywhere.
 */
export function buildKustomization(
  file: string,
  files: ManifestFiles,
  load: (file: string) => SourcedObject[],
  depth = 0,
): SourcedObject[] {
  if (depth > 20) throw new ManifestError(`${file}: kustomizations refer to each other in a cycle.`);
  const dir = path.dirname(file);
  const k = readYamlFile(file, files);
  if (!isRecord(k)) throw new ManifestError(`${file}: a kustomization must be a mapping.`);
  const unsupported = Object.keys(k).filter((f) => !(SUPPORTED as readonly string[]).includes(f));
  if (unsupported.length > 0) {
    throw new ManifestError(
      `${file}: ${unsupported.map((f) => `"${f}"`).join(', ')} ${unsupported.length > 1 ? 'are' : 'is'} not supported in a kustomization here (supported: ${SUPPORTED.slice(2).join(', ')}). Run kustomize build yourself and give its output to manifests, or remove the field.`,
    );
  }
  if (k.kind !== undefined && k.kind !== 'Kustomization')
    throw new ManifestError(
      `${file}: kind ${String(k.kind)} is not supported (only Kustomization; Components are not).`,
    );

  let objects: SourcedObject[] = [];
  for (const entry of strings(k.resources, file, 'resources')) {
    if (/^[a-z]+:\/\//i.test(entry) || entry.startsWith('github.com/'))
      throw new ManifestError(
        `${file}: resource "${entry}" is remote; only local files and folders are supported.`,
      );
    const target = path.resolve(dir, entry);
    if (!files.exists(target))
      throw new ManifestError(`${file}: resource "${entry}" does not exist (${target}).`);
    if (files.isDirectory(target)) {
      const inner = kustomizationIn(target, files);
      if (!inner) throw new ManifestError(`${file}: resource folder "${entry}" has no kustomization.yaml.`);
      objects.push(...buildKustomization(inner, files, load, depth + 1));
    } else {
      objects.push(...load(target));
    }
  }

  const patchList: { patch: unknown; target?: PatchTarget; where: string }[] = [];
  const patchFrom = (entry: Record<string, unknown>, where: string) => {
    if (typeof entry.path === 'string') return readYamlFile(path.resolve(dir, entry.path), files);
    if (typeof entry.patch === 'string') {
      try {
        return parse(entry.patch) as unknown;
      } catch (error) {
        throw new ManifestError(
          `${where}: the inline patch is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
        );
      }
    }
    throw new ManifestError(`${where}: a patch needs path or patch.`);
  };
  const patches = k.patches === undefined ? [] : k.patches;
  if (!Array.isArray(patches)) throw new ManifestError(`${file}: patches must be a list.`);
  patches.forEach((entry, i) => {
    const where = `${file} (patches[${i}])`;
    if (!isRecord(entry))
      throw new ManifestError(`${where}: a patch is a mapping with path or patch, and target.`);
    if (entry.options !== undefined) throw new ManifestError(`${where}: patch options are not supported.`);
    patchList.push({
      patch: patchFrom(entry, where),
      ...(isRecord(entry.target) ? { target: entry.target as PatchTarget } : {}),
      where,
    });
  });
  for (const [i, entry] of strings(k.patchesStrategicMerge, file, 'patchesStrategicMerge').entries()) {
    const where = `${file} (patchesStrategicMerge[${i}])`;
    patchList.push({
      patch: entry.includes('\n') ? parse(entry) : readYamlFile(path.resolve(dir, entry), files),
      where,
    });
  }
  const legacyJson = k.patchesJson6902 === undefined ? [] : k.patchesJson6902;
  if (!Array.isArray(legacyJson)) throw new ManifestError(`${file}: patchesJson6902 must be a list.`);
  legacyJson.forEach((entry, i) => {
    const where = `${file} (patchesJson6902[${i}])`;
    if (!isRecord(entry) || !isRecord(entry.target))
      throw new ManifestError(`${where}: needs target and path.`);
    patchList.push({ patch: patchFrom(entry, where), target: entry.target as PatchTarget, where });
  });

  for (const { patch, target, where } of patchList) {
    if (Array.isArray(patch)) {
      if (!target) throw new ManifestError(`${where}: a JSON 6902 patch needs a target.`);
      const hits = objects.filter((o) => targets(o.object, target));
      if (hits.length === 0) throw new ManifestError(`${where}: the target matches no resource.`);
      objects = objects.map((o) => {
        if (!targets(o.object, target)) return o;
        try {
          return { ...o, object: applyJsonPatch(o.object, patch as JsonPatchOperation[]) };
        } catch (error) {
          throw new ManifestError(
            `${where} on ${o.object.kind} ${o.object.metadata.name}: ${(error as Error).message}`,
          );
        }
      });
      continue;
    }
    if (!isRecord(patch)) throw new ManifestError(`${where}: a patch must be a mapping or a JSON 6902 list.`);
    const meta = isRecord(patch.metadata) ? patch.metadata : {};
    const match = (o: KubeObject) =>
      target
        ? targets(o, target)
        : o.kind === patch.kind &&
          o.metadata.name === meta.name &&
          (typeof patch.apiVersion !== 'string' || groupOf(patch.apiVersion) === groupOf(o.apiVersion));
    const hits = objects.filter((o) => match(o.object));
    if (hits.length === 0)
      throw new ManifestError(
        `${where}: the patch (${String(patch.kind ?? '?')} ${String(meta.name ?? '?')}) matches no resource.`,
      );
    objects = objects.map((o) => {
      if (!match(o.object)) return o;
      const patched = strategicMerge(
        o.object,
        target ? { ...patch, metadata: { ...meta, name: o.object.metadata.name } } : patch,
      ) as KubeObject;
      return { ...o, object: patched };
    });
  }

  const images = k.images === undefined ? [] : k.images;
  if (!Array.isArray(images) || !images.every((i) => isRecord(i) && typeof i.name === 'string'))
    throw new ManifestError(`${file}: images must be a list of {name, newName, newTag, digest}.`);
  const rules = images as ImageRule[];
  const prefix = k.namePrefix === undefined ? '' : String(k.namePrefix);
  const labels = k.commonLabels === undefined ? {} : k.commonLabels;
  if (!isRecord(labels)) throw new ManifestError(`${file}: commonLabels must be a mapping.`);
  const namespace = typeof k.namespace === 'string' ? k.namespace : undefined;
  const renamed = new Set(
    objects
      .filter((o) => o.object.kind !== 'Namespace')
      .map((o) => `${o.object.kind}/${o.object.metadata.name}`),
  );
  const rename = (kind: string, name: string) =>
    prefix && renamed.has(`${kind}/${name}`) ? `${prefix}${name}` : name;

  return objects.map(({ object: original, source }) => {
    const object = structuredClone(original);
    for (const c of containersOf(object)) {
      if (typeof c.image === 'string') for (const rule of rules) c.image = applyImageRule(c.image, rule);
    }
    if (prefix) {
      prefixReferences(object, rename);
      if (object.kind !== 'Namespace') object.metadata.name = `${prefix}${object.metadata.name}`;
    }
    if (Object.keys(labels).length > 0)
      commonLabels(object, Object.fromEntries(Object.entries(labels).map(([a, b]) => [a, String(b)])));
    if (namespace && !CLUSTER_SCOPED_KINDS.has(object.kind)) object.metadata.namespace = namespace;
    return { object, source };
  });
}
