// Field paths and field sets of server-side apply, as structured-merge-diff defines them: a path is a list of
// elements (`f:<field>`, `k:<json of the key fields>` for an item of a list-map, `v:<json>` for an item of a
// set, `i:<index>`), a set is a set of paths, and `metadata.managedFields[].fieldsV1` is a set written as a
// tree (`.` marks a path that is itself a member and has children). Which lists are list-maps (and their
// keys), sets or atomic, and which maps are atomic, follows the `x-kubernetes-list-type`/`-list-map-keys`/
// `-map-type` (or `patchStrategy: merge` + `patchMergeKey`) markers of the built-in types; kinds the sandbox
// has no schema for are "deduced": maps are granular and lists atomic.
// https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy
import { deepEqual, type Json } from './model.ts';

export type Path = string[];
/** A set of paths, each joined with NUL (element strings never contain NUL). */
export type FieldSet = Set<string>;

const SEP = '\u0000';
export const pathKey = (p: Path): string => p.join(SEP);
export const pathOf = (k: string): Path => (k === '' ? [] : k.split(SEP));

export type ListType = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

/** What the schema says about the node at `names` (the field names from the object root, keys skipped). */
export interface Schema {
  list(names: string[]): ListType;
  /** An atomic map or struct: owned and replaced as one value. */
  atomicMap(names: string[]): boolean;
  /** A struct field that is always present in the Go type (not a pointer or a map): never a `.` member. */
  structField(names: string[]): boolean;
  /** Key fields that the API server defaults, used when an item omits them (`protocol: TCP` of ports). */
  keyDefault(names: string[], key: string): unknown;
}

const KEYED: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'],
  readinessGates: ['conditionType'],
};
const SETS = new Set(['finalizers']);
/** LabelSelector and the other `structType=atomic` / `mapType=atomic` fields of the built-in types. */
const ATOMIC_MAPS = new Set([
  'selector',
  'labelSelector',
  'namespaceSelector',
  'nodeSelector',
  'configMapKeyRef',
  'secretKeyRef',
  'fieldRef',
  'resourceFieldRef',
  'configMapRef',
  'secretRef',
]);
/** Non-pointer struct fields of the built-in types (metadata, spec, template, strategy, …). */
const STRUCTS = new Set([
  'metadata',
  'spec',
  'status',
  'template',
  'strategy',
  'updateStrategy',
  'resources',
  'jobTemplate',
  'scaleTargetRef',
]);

class BuiltinSchema implements Schema {
  list(names: string[]): ListType {
    const last = names[names.length - 1] ?? '';
    const parent = names[names.length - 2] ?? '';
    if (last === 'ports') {
      if (['containers', 'initContainers', 'ephemeralContainers'].includes(parent))
        return { type: 'map', keys: ['containerPort', 'protocol'] };
      if (parent === 'spec') return { type: 'map', keys: ['port', 'protocol'] };
      return { type: 'atomic' };
    }
    if (last === 'volumeMounts' || last === 'env' || last === 'volumes' || last === 'containers')
      return { type: 'map', keys: KEYED[last]! };
    if (KEYED[last]) return { type: 'map', keys: KEYED[last]! };
    if (SETS.has(last) && parent === 'metadata') return { type: 'set' };
    return { type: 'atomic' };
  }
  atomicMap(names: string[]): boolean {
    const last = names[names.length - 1] ?? '';
    if (last === 'selector') return names.length === 2 && names[0] === 'spec';
    return ATOMIC_MAPS.has(last);
  }
  structField(names: string[]): boolean {
    return STRUCTS.has(names[names.length - 1] ?? '');
  }
  keyDefault(names: string[], key: string): unknown {
    return names[names.length - 1] === 'ports' && key === 'protocol' ? 'TCP' : undefined;
  }
}

/** The schema of deduced types: granular maps, atomic lists. */
class DeducedSchema implements Schema {
  list(): ListType {
    return { type: 'atomic' };
  }
  atomicMap(): boolean {
    return false;
  }
  structField(names: string[]): boolean {
    return names.length === 1 && (names[0] === 'metadata' || names[0] === 'spec');
  }
  keyDefault(): unknown {
    return undefined;
  }
}

export const BUILTIN_SCHEMA: Schema = new BuiltinSchema();
export const DEDUCED_SCHEMA: Schema = new DeducedSchema();

const isMap = (v: unknown): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Key fields sorted by name, as structured-merge-diff orders them. */
export function itemKey(schema: Schema, names: string[], keys: string[], item: Json): string {
  const fields = [...keys].sort().map((k) => [k, item?.[k] ?? schema.keyDefault(names, k)] as const);
  const present = fields.filter(([, v]) => v !== undefined);
  return `k:${JSON.stringify(Object.fromEntries(present))}`;
}

export function itemElement(
  schema: Schema,
  names: string[],
  lt: ListType,
  item: Json,
  index: number,
): string {
  if (lt.type === 'map') return itemKey(schema, names, lt.keys, item);
  if (lt.type === 'set') return `v:${JSON.stringify(item)}`;
  return `i:${index}`;
}

/**
 * The fields a value sets (typed.ToFieldSet): leaves are scalars, atomic lists and maps, empty maps and
 * nulls; every list item is itself a member (its `.`), as are entries of maps that are not structs.
 */
export function toFieldSet(schema: Schema, value: Json, at: Path = [], atNames: string[] = []): FieldSet {
  const out: FieldSet = new Set();
  const walk = (v: Json, path: Path, names: string[]): void => {
    if (Array.isArray(v)) {
      const lt = schema.list(names);
      if (lt.type === 'atomic') {
        out.add(pathKey(path));
        return;
      }
      v.forEach((item, i) => {
        const p = [...path, itemElement(schema, names, lt, item, i)];
        out.add(pathKey(p));
        if (lt.type === 'map') walk(item, p, names);
      });
      return;
    }
    if (isMap(v)) {
      if (path.length && schema.atomicMap(names)) {
        out.add(pathKey(path));
        return;
      }
      for (const [k, child] of Object.entries(v)) {
        const p = [...path, `f:${k}`];
        const n = [...names, k];
        if (child === null || (isMap(child) && Object.keys(child).length === 0)) out.add(pathKey(p));
        else if (!isMap(child) && !Array.isArray(child)) out.add(pathKey(p));
        walk(child, p, n);
      }
      return;
    }
    if (path.length) out.add(pathKey(path));
  };
  walk(value, at, atNames);
  return out;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * typed.Compare: paths only in `rhs` are added (non-leaf nodes too, unless a struct field that is always
 * there), only in `lhs` removed, leaves whose value changed modified.
 */
export function compare(schema: Schema, lhs: Json, rhs: Json): Comparison {
  const c: Comparison = { added: new Set(), modified: new Set(), removed: new Set() };
  // Every node of a subtree only one side has: leaves and (struct fields aside) the maps and items above.
  const all = (v: Json, path: Path, names: string[], into: FieldSet): void => {
    if (path.length && !schema.structField(names)) into.add(pathKey(path));
    if (isMap(v) && !(path.length && schema.atomicMap(names))) {
      const entries = Object.entries(v);
      if (!entries.length) into.add(pathKey(path));
      for (const [k, child] of entries) all(child, [...path, `f:${k}`], [...names, k], into);
      return;
    }
    if (Array.isArray(v)) {
      const lt = schema.list(names);
      if (lt.type === 'atomic') into.add(pathKey(path));
      else
        v.forEach((item, i) => {
          const p = [...path, itemElement(schema, names, lt, item, i)];
          into.add(pathKey(p));
          if (lt.type === 'map' && isMap(item))
            for (const [k, child] of Object.entries(item)) all(child, [...p, `f:${k}`], [...names, k], into);
        });
      return;
    }
    into.add(pathKey(path));
  };
  const walk = (l: Json, r: Json, path: Path, names: string[]): void => {
    if (l === undefined && r === undefined) return;
    if (l === null && r === null) return;
    if (l === undefined) return all(r, path, names, c.added);
    if (r === undefined) return all(l, path, names, c.removed);
    const granularMaps = isMap(l) && isMap(r) && !(path.length > 0 && schema.atomicMap(names));
    const granularLists = Array.isArray(l) && Array.isArray(r) && schema.list(names).type !== 'atomic';
    if (!granularMaps && !granularLists) {
      if (!deepEqual(l, r)) c.modified.add(pathKey(path));
      return;
    }
    if (granularMaps) {
      const lm = l as Record<string, Json>;
      const rm = r as Record<string, Json>;
      for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)]))
        walk(lm[k], rm[k], [...path, `f:${k}`], [...names, k]);
      return;
    }
    const lt = schema.list(names);
    const index = (list: Json[]) =>
      new Map(list.map((item, i) => [itemElement(schema, names, lt, item, i), item]));
    const li = index(l as Json[]);
    const ri = index(r as Json[]);
    for (const k of new Set([...li.keys(), ...ri.keys()])) {
      const p = [...path, k];
      if (lt.type === 'set') {
        if (!li.has(k)) c.added.add(pathKey(p));
        else if (!ri.has(k)) c.removed.add(pathKey(p));
      } else walk(li.get(k), ri.get(k), p, names);
    }
  };
  walk(lhs, rhs, [], []);
  return c;
}

/** fieldsV1 (the tree form of a set). */
export function encodeFieldsV1(set: FieldSet): Json {
  const root: Json = {};
  for (const k of [...set].sort()) {
    let node = root;
    for (const e of pathOf(k)) node = node[e] ??= {};
    node['.'] = {};
  }
  const finish = (node: Json): Json => {
    const keys = Object.keys(node).filter((k) => k !== '.');
    if (keys.length === 0) return {};
    const out: Json = {};
    if (node['.']) out['.'] = {};
    for (const k of keys.sort()) out[k] = finish(node[k]);
    return out;
  };
  return finish(root);
}

export function decodeFieldsV1(tree: Json): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: Json, path: Path): void => {
    const keys = Object.keys(node ?? {});
    if (path.length && (keys.length === 0 || keys.includes('.'))) out.add(pathKey(path));
    for (const k of keys) if (k !== '.') walk(node[k], [...path, k]);
  };
  walk(tree, []);
  return out;
}

/** `.spec.template.spec.containers[name="app"].image`: how conflicts name a path (PathElement.String). */
export function pathString(p: Path): string {
  return p
    .map((e) => {
      if (e.startsWith('f:')) return `.${e.slice(2)}`;
      if (e.startsWith('k:')) {
        const key = JSON.parse(e.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      if (e.startsWith('v:')) return `[=${e.slice(2)}]`;
      return `[${e.slice(2)}]`;
    })
    .join('');
}

export function union(...sets: FieldSet[]): FieldSet {
  const out: FieldSet = new Set();
  for (const s of sets) for (const k of s) out.add(k);
  return out;
}

export function difference(a: FieldSet, b: FieldSet): FieldSet {
  return new Set([...a].filter((k) => !b.has(k)));
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  return new Set([...a].filter((k) => b.has(k)));
}

/** Paths removed from a set: a prefix (the top-level metadata server-owned fields, status, …). */
export function withoutPrefixes(set: FieldSet, prefixes: Path[], exact: Path[] = []): FieldSet {
  const pre = prefixes.map(pathKey);
  const ex = new Set(exact.map(pathKey));
  return new Set([...set].filter((k) => !ex.has(k) && !pre.some((p) => k === p || k.startsWith(p + SEP))));
}

// ---- merging and removing values by path ----------------------------------------------------------------

/** typed.Merge: `config` over `live`; list-maps merged by key, sets unioned, atomic values replaced. */
export function mergeValues(schema: Schema, live: Json, config: Json, names: string[] = []): Json {
  if (config === undefined) return live;
  if (Array.isArray(config)) {
    const lt = schema.list(names);
    if (lt.type === 'atomic' || !Array.isArray(live)) return structuredClone(config);
    const out: Json[] = structuredClone(live);
    const keyOf = (item: Json, i: number) => itemElement(schema, names, lt, item, i);
    const at = new Map(out.map((item, i) => [keyOf(item, i), i]));
    config.forEach((item, i) => {
      const k = keyOf(item, i);
      const found = at.get(k);
      if (found === undefined) {
        at.set(k, out.length);
        out.push(structuredClone(item));
      } else if (lt.type === 'map') out[found] = mergeValues(schema, out[found], item, names);
    });
    return out;
  }
  if (isMap(config)) {
    if (!isMap(live) || (names.length && schema.atomicMap(names))) return structuredClone(config);
    const out: Json = structuredClone(live);
    for (const [k, v] of Object.entries(config)) out[k] = mergeValues(schema, out[k], v, [...names, k]);
    return out;
  }
  return config;
}

/** Removes the value at `path` from `obj` (in place); true if something was removed. */
export function removePath(schema: Schema, obj: Json, path: Path): boolean {
  let node: Json = obj;
  const names: string[] = [];
  for (let i = 0; i < path.length; i += 1) {
    const e = path[i]!;
    const last = i === path.length - 1;
    if (e.startsWith('f:')) {
      const f = e.slice(2);
      if (!isMap(node) || !(f in node)) return false;
      names.push(f);
      if (last) {
        Reflect.deleteProperty(node, f);
        return true;
      }
      node = node[f];
      continue;
    }
    if (!Array.isArray(node)) return false;
    const lt = schema.list(names);
    const idx = node.findIndex((item, j) => itemElement(schema, names, lt, item, j) === e);
    if (idx < 0) return false;
    if (last) {
      node.splice(idx, 1);
      return true;
    }
    node = node[idx];
  }
  return false;
}
