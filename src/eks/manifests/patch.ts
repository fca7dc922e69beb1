// Pure: the two patch formats a kustomization can hold — a strategic merge patch (maps merged, the known
// lists of named items merged by their key, `null` deletes, `$patch: delete|replace`) and a JSON patch
// (RFC 6902: add, remove, replace, move, copy, test).
import { ManifestError, isRecord } from './objects.ts';

/** Lists Kubernetes merges by a key instead of replacing (the patchMergeKey of the API's Go types). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  hostAliases: 'ip',
  tolerations: 'key',
  topologySpreadConstraints: 'topologyKey',
};

function mergeList(field: string, base: unknown[], patch: unknown[]): unknown[] {
  const key = MERGE_KEYS[field];
  if (!key || !base.every(isRecord) || !patch.every(isRecord)) return structuredClone(patch);
  const result = structuredClone(base) as Record<string, unknown>[];
  for (const item of patch) {
    const at = result.findIndex((b) => b[key] !== undefined && b[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) result[at] = strategicMerge(result[at], item) as Record<string, unknown>;
    else result.push(strategicMerge({}, item) as Record<string, unknown>);
  }
  return result;
}

/** Pure: `base` with a strategic merge patch applied (neither is modified). */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const result: Record<string, unknown> = isRecord(base) ? structuredClone(base) : {};
  for (const [field, value] of Object.entries(patch)) {
    if (field === '$patch') continue;
    if (value === null) {
      Reflect.deleteProperty(result, field);
    } else if (Array.isArray(value) && Array.isArray(result[field])) {
      result[field] = mergeList(field, result[field] as unknown[], value);
    } else if (isRecord(value)) {
      if (value.$patch === 'delete') Reflect.deleteProperty(result, field);
      else result[field] = strategicMerge(result[field], value);
    } else {
      result[field] = structuredClone(value);
    }
  }
  return result;
}

export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new ManifestError(`JSON patch path "${path}" must start with /.`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, path: string): { parent: unknown; key: string } {
  const parts = pointer(path);
  const key = parts.pop();
  if (key === undefined) throw new ManifestError(`JSON patch path "${path}" cannot be the whole object.`);
  let parent: unknown = doc;
  for (const p of parts) {
    parent = Array.isArray(parent) ? parent[Number(p)] : isRecord(parent) ? parent[p] : undefined;
    if (parent === undefined) throw new ManifestError(`JSON patch path "${path}": "${p}" does not exist.`);
  }
  return { parent, key };
}

function read(doc: unknown, path: string): unknown {
  const { parent, key } = parentOf(doc, path);
  const value = Array.isArray(parent) ? parent[Number(key)] : isRecord(parent) ? parent[key] : undefined;
  if (value === undefined) throw new ManifestError(`JSON patch path "${path}" does not exist.`);
  return value;
}

function remove(doc: unknown, path: string): void {
  const { parent, key } = parentOf(doc, path);
  read(doc, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else Reflect.deleteProperty(parent as object, key);
}

function add(doc: unknown, path: string, value: unknown, replace: boolean): void {
  const { parent, key } = parentOf(doc, path);
  if (replace) read(doc, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw new ManifestError(`JSON patch path "${path}": index ${key} is out of range.`);
    parent.splice(index, replace ? 1 : 0, structuredClone(value));
  } else if (isRecord(parent)) {
    parent[key] = structuredClone(value);
  } else {
    throw new ManifestError(`JSON patch path "${path}": its parent is not an object or a list.`);
  }
}

/** Pure: `doc` with a JSON patch applied (not modified). Throws ManifestError on a path that does not exist. */
export function applyJsonPatch<T>(doc: T, operations: readonly JsonPatchOperation[]): T {
  const result = structuredClone(doc);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        add(result, op.path, op.value, false);
        break;
      case 'replace':
        add(result, op.path, op.value, true);
        break;
      case 'remove':
        remove(result, op.path);
        break;
      case 'move': {
        const value = read(result, op.from ?? '');
        remove(result, op.from ?? '');
        add(result, op.path, value, false);
        break;
      }
      case 'copy':
        add(result, op.path, read(result, op.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(read(result, op.path)) !== JSON.stringify(op.value))
          throw new ManifestError(`JSON patch test of "${op.path}" failed.`);
        break;
      default:
        throw new ManifestError(
          `JSON patch operation "${op.op}" is not one of add, remove, replace, move, copy, test.`,
        );
    }
  }
  return result;
}
