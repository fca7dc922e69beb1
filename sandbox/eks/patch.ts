// PATCH bodies as the API server applies them:
// - application/json-patch+json: RFC 6902
// - application/merge-patch+json: RFC 7386
// - application/strategic-merge-patch+json: merge patch, except lists with a patch merge key (containers by
//   `name`, ports by `containerPort`, …) are merged by that key, and `$patch: replace|delete` directives.
//   https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
import { badRequest, clone, type Json } from './model.ts';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];

export function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch);
  const out: Record<string, Json> =
    target && typeof target === 'object' && !Array.isArray(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) Reflect.deleteProperty(out, k);
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Patch merge keys of the core/apps types (from the `patchMergeKey` tags of k8s.io/api). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  tolerations: '',
  topologySpreadConstraints: 'topologyKey',
  finalizers: '',
};

export function strategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (patch === null || typeof patch !== 'object') return clone(patch);
  if (Array.isArray(patch)) return strategicList(Array.isArray(target) ? target : [], patch, field);
  const directive = (patch as Record<string, unknown>)['$patch'];
  if (directive === 'replace') {
    const rest = { ...patch };
    delete rest['$patch'];
    return clone(rest);
  }
  if (directive === 'delete') return undefined;
  const out: Record<string, Json> =
    target && typeof target === 'object' && !Array.isArray(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (
      k.startsWith('$setElementOrder/') ||
      k.startsWith('$deleteFromPrimitiveList/') ||
      k === '$retainKeys'
    ) {
      continue;
    }
    if (v === null) Reflect.deleteProperty(out, k);
    else {
      const merged = strategicMergePatch(out[k], v, k);
      if (merged === undefined) Reflect.deleteProperty(out, k);
      else out[k] = merged;
    }
  }
  return out;
}

function strategicList(target: Json[], patch: Json[], field: string): Json[] {
  const mergeKey = MERGE_KEYS[field];
  if (!mergeKey) {
    // Lists without a merge key are replaced, except a `$patch: replace` element list form.
    return clone(patch.filter((e) => !(e && typeof e === 'object' && '$patch' in e)));
  }
  if (patch.some((e) => e && typeof e === 'object' && e.$patch === 'replace')) {
    return clone(patch.filter((e) => !(e && typeof e === 'object' && e.$patch === 'replace')));
  }
  const out = clone(target);
  for (const element of patch) {
    if (!element || typeof element !== 'object') {
      throw badRequest(`unable to find api field in struct for the list element of ${field}`);
    }
    const keyValue = element[mergeKey];
    if (keyValue === undefined) {
      throw badRequest(`map: ${JSON.stringify(element)} does not contain declared merge key: ${mergeKey}`);
    }
    const index = out.findIndex((e: Json) => e && e[mergeKey] === keyValue);
    if (element.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) out[index] = strategicMergePatch(out[index], element, '');
    else out.push(strategicMergePatch({}, element, ''));
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, parts: string[], op: string): { parent: Json; key: string } {
  let cur = doc;
  for (const p of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object' || !(p in cur)) {
      throw new PatchFailure(`${op} operation does not apply: doc is missing path: /${parts.join('/')}`);
    }
    cur = cur[p];
  }
  return { parent: cur, key: parts[parts.length - 1]! };
}

export class PatchFailure extends Error {}

export function jsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = clone(doc);
  for (const op of ops as { op: string; path: string; value?: Json; from?: string }[]) {
    const parts = pointer(op.path);
    const get = (p: string[]): Json => {
      let cur = out;
      for (const k of p) {
        if (cur === null || typeof cur !== 'object' || !(k in cur)) {
          throw new PatchFailure(`${op.op} operation does not apply: doc is missing path: /${p.join('/')}`);
        }
        cur = cur[k];
      }
      return cur;
    };
    const add = (p: string[], value: Json): void => {
      if (!p.length) {
        out = value;
        return;
      }
      const { parent, key } = parentOf(out, p, op.op);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > parent.length)
          throw new PatchFailure(`add operation does not apply: index out of range`);
        parent.splice(i, 0, value);
      } else if (parent && typeof parent === 'object') parent[key] = value;
      else throw new PatchFailure(`add operation does not apply: doc is missing path: ${op.path}`);
    };
    const remove = (p: string[]): Json => {
      const value = get(p);
      const { parent, key } = parentOf(out, p, op.op);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else Reflect.deleteProperty(parent, key);
      return value;
    };
    switch (op.op) {
      case 'add':
        add(parts, clone(op.value));
        break;
      case 'remove':
        remove(parts);
        break;
      case 'replace':
        get(parts);
        if (!parts.length) out = clone(op.value);
        else {
          const { parent, key } = parentOf(out, parts, op.op);
          parent[Array.isArray(parent) ? Number(key) : key] = clone(op.value);
        }
        break;
      case 'move':
        add(parts, remove(pointer(op.from ?? '')));
        break;
      case 'copy':
        add(parts, clone(get(pointer(op.from ?? ''))));
        break;
      case 'test':
        if (JSON.stringify(get(parts)) !== JSON.stringify(op.value)) {
          throw new PatchFailure(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return out;
}
