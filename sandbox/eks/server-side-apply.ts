// `metadata.managedFields` and server-side apply, following the API server's field manager
// (k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager) over structured-merge-diff's merge.Updater:
// - every write records which manager set which fields: an Update (create, update, patch, `/scale`,
//   `/status`) takes the fields it added or changed from every other manager; an Apply owns exactly the
//   fields of its configuration;
// - an Apply merges its configuration into the live object (list-maps by key), removes the fields it owned
//   last time and no longer sends unless another manager owns them, and fails with 409 Conflict when it
//   would change a field another manager owns, unless `force=true` (then it takes them);
// - the server-owned fields (apiVersion, kind, name, namespace, uid, resourceVersion, generation,
//   creationTimestamp, managedFields) and, for kinds with a status subresource, status are never owned
//   through the main resource; `/status` writes own only status.
// https://kubernetes.io/docs/reference/using-api/server-side-apply/
import {
  BUILTIN_SCHEMA,
  compare,
  decodeFieldsV1,
  difference,
  encodeFieldsV1,
  intersection,
  mergeValues,
  pathOf,
  pathString,
  removePath,
  toFieldSet,
  union,
  withoutPrefixes,
  type FieldSet,
  type Schema,
} from './field-set.ts';
import { ApiError, clone, deepEqual, nowIso, type Json, type KObject } from './model.ts';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

/** Who writes: the `fieldManager` of the request (or the User-Agent's program name) and the subresource. */
export interface Writer {
  manager: string;
  subresource?: string;
  /** Set by an Apply: the managedFields it computed (the write path then keeps them as they are). */
  managedFields?: Json[];
}

const SERVER_OWNED = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata', 'f:name'],
  ['f:metadata', 'f:namespace'],
  ['f:metadata', 'f:uid'],
  ['f:metadata', 'f:resourceVersion'],
  ['f:metadata', 'f:generation'],
  ['f:metadata', 'f:creationTimestamp'],
  ['f:metadata', 'f:selfLink'],
  ['f:metadata', 'f:managedFields'],
  ['f:metadata', 'f:deletionTimestamp'],
  ['f:metadata', 'f:deletionGracePeriodSeconds'],
];

/** The fields a write through `subresource` can own. */
export function ownable(
  set: FieldSet,
  subresource: string | undefined,
  statusSubresource: boolean,
): FieldSet {
  if (subresource === 'status') return new Set([...set].filter((k) => pathOf(k)[0] === 'f:status'));
  return withoutPrefixes(
    set,
    [...SERVER_OWNED, ...(statusSubresource ? [['f:status']] : [])],
    [['f:metadata']],
  );
}

export function decodeManagedFields(list: Json): ManagerEntry[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e: Json) => e && typeof e.manager === 'string')
    .map((e: Json) => ({
      manager: e.manager,
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: e.apiVersion ?? '',
      ...(e.time ? { time: e.time } : {}),
      ...(e.subresource ? { subresource: e.subresource } : {}),
      set: decodeFieldsV1(e.fieldsV1 ?? {}),
    }));
}

/** Sorted as the API server stores them: Apply before Update, then by time, manager, apiVersion. */
export function encodeManagedFields(entries: ManagerEntry[]): Json[] {
  const seconds = (t?: string) => (t ? Date.parse(t) / 1000 : 0);
  return [...entries]
    .filter((e) => e.set.size > 0)
    .sort(
      (p, q) =>
        (p.operation < q.operation ? -1 : p.operation > q.operation ? 1 : 0) ||
        seconds(p.time) - seconds(q.time) ||
        (p.manager < q.manager ? -1 : p.manager > q.manager ? 1 : 0) ||
        (p.apiVersion < q.apiVersion ? -1 : p.apiVersion > q.apiVersion ? 1 : 0) ||
        ((p.subresource ?? '') < (q.subresource ?? '') ? -1 : 0),
    )
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      ...(e.time ? { time: e.time } : {}),
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFieldsV1(e.set),
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
}

const sameEntry = (e: ManagerEntry, manager: string, op: string, sub?: string) =>
  e.manager === manager && e.operation === op && (e.subresource ?? '') === (sub ?? '');

function body(o: Json): Json {
  const c = clone(o ?? {});
  if (c.metadata) Reflect.deleteProperty(c.metadata, 'managedFields');
  return c;
}

const setsEqual = (a: FieldSet, b: FieldSet) => a.size === b.size && [...a].every((k) => b.has(k));

/**
 * The entries a client sends replace the stored ones (`[{}]` clears them); none sent keeps the stored ones.
 */
function baseEntries(live: KObject | undefined, incoming: Json): ManagerEntry[] {
  if (Array.isArray(incoming) && incoming.length > 0) {
    if (incoming.length === 1 && Object.keys(incoming[0] ?? {}).length === 0) return [];
    return decodeManagedFields(incoming);
  }
  return decodeManagedFields(live?.metadata?.managedFields);
}

/** managedFields after an Update by `writer` that turns `live` (undefined: a create) into `next`. */
export function updateManagedFields(
  live: KObject | undefined,
  next: KObject,
  writer: Writer,
  statusSubresource: boolean,
  schema: Schema = BUILTIN_SCHEMA,
): Json[] {
  const entries = baseEntries(live, next.metadata?.managedFields);
  const cmp = compare(schema, body(live ?? {}), body(next));
  const changed = ownable(union(cmp.added, cmp.modified), writer.subresource, statusSubresource);
  const removed = ownable(cmp.removed, writer.subresource, statusSubresource);
  const now = nowIso();
  for (const e of entries) {
    if (sameEntry(e, writer.manager, 'Update', writer.subresource)) continue;
    e.set = difference(difference(e.set, changed), removed);
  }
  let own = entries.find((e) => sameEntry(e, writer.manager, 'Update', writer.subresource));
  if (!own && changed.size > 0) {
    own = {
      manager: writer.manager,
      operation: 'Update',
      apiVersion: next.apiVersion,
      subresource: writer.subresource,
      set: new Set(),
    };
    entries.push(own);
  }
  if (own) {
    const set = union(difference(own.set, removed), changed);
    if (!setsEqual(set, own.set) || changed.size > 0) own.time = now;
    own.set = set;
    own.apiVersion = next.apiVersion;
  }
  return encodeManagedFields(entries);
}

export interface Conflict {
  manager: string;
  path: string;
}

/** How conflicts name a manager (fieldmanager's printManager). */
export function describeManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/** 409 Conflict as the API server answers an Apply that would change fields other managers own. */
export function conflictError(conflicts: Conflict[]): ApiError {
  const sorted = [...conflicts].sort((a, b) =>
    a.manager === b.manager ? (a.path < b.path ? -1 : 1) : a.manager < b.manager ? -1 : 1,
  );
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${sorted[0]!.manager}: ${sorted[0]!.path}`;
  } else {
    const lines: string[] = [];
    let last: string | undefined;
    for (const c of sorted) {
      if (c.manager !== last) lines.push(`conflicts with ${c.manager}:`);
      last = c.manager;
      lines.push(`- ${c.path}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: sorted.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${c.manager}`,
      field: c.path,
    })),
  });
}

export interface ApplyResult {
  object: KObject;
  managedFields: Json[];
}

/**
 * An Apply of `config` by `manager` over `live` (undefined: the object does not exist yet): the merged
 * object (defaulting still to come) and its managedFields, or a conflict error.
 */
export function serverSideApply(opts: {
  live: KObject | undefined;
  config: Json;
  manager: string;
  force: boolean;
  apiVersion: string;
  statusSubresource: boolean;
  schema?: Schema;
}): ApplyResult {
  const schema = opts.schema ?? BUILTIN_SCHEMA;
  const config = clone(opts.config);
  if (opts.statusSubresource) Reflect.deleteProperty(config, 'status');
  if (config.metadata) Reflect.deleteProperty(config.metadata, 'managedFields');
  const live = opts.live ? body(opts.live) : undefined;
  const entries = decodeManagedFields(opts.live?.metadata?.managedFields);
  if (live && entries.length === 0) {
    // An object nobody applied before: what it holds belongs to "before-first-apply".
    entries.push({
      manager: 'before-first-apply',
      operation: 'Update',
      apiVersion: opts.live!.apiVersion,
      set: ownable(toFieldSet(schema, live), undefined, opts.statusSubresource),
    });
  }
  const newSet = ownable(toFieldSet(schema, config), undefined, opts.statusSubresource);
  const mine = entries.find((e) => sameEntry(e, opts.manager, 'Apply'));
  const lastSet = mine?.set ?? new Set<string>();
  let merged: Json = live ? mergeValues(schema, live, config) : clone(config);
  // Prune what this manager applied before and no longer applies, unless another manager owns it.
  const owned = union(newSet, ...entries.filter((e) => e !== mine).map((e) => e.set));
  const ownedList = [...owned];
  const gone = [...difference(lastSet, newSet)]
    .filter((k) => !owned.has(k) && !ownedList.some((o) => o.startsWith(`${k}\u0000`)))
    .sort((a, b) => pathOf(a).length - pathOf(b).length);
  for (const k of gone) removePath(schema, merged, pathOf(k));
  merged = merged ?? {};
  const cmp = compare(schema, live ?? {}, merged);
  const changed = ownable(union(cmp.added, cmp.modified), undefined, opts.statusSubresource);
  const removed = ownable(cmp.removed, undefined, opts.statusSubresource);
  const conflicts: Conflict[] = [];
  for (const e of entries) {
    if (e === mine) continue;
    for (const k of intersection(e.set, changed))
      conflicts.push({ manager: describeManager(e), path: pathString(pathOf(k)) });
  }
  if (conflicts.length && !opts.force) throw conflictError(conflicts);
  for (const e of entries) {
    if (e === mine) continue;
    e.set = difference(difference(e.set, changed), removed);
  }
  const objectChanged = !live || !deepEqual(live, merged);
  if (mine) {
    if (objectChanged || !setsEqual(mine.set, newSet) || mine.apiVersion !== opts.apiVersion)
      mine.time = nowIso();
    mine.set = newSet;
    mine.apiVersion = opts.apiVersion;
  } else {
    entries.push({
      manager: opts.manager,
      operation: 'Apply',
      apiVersion: opts.apiVersion,
      time: nowIso(),
      set: newSet,
    });
  }
  return { object: merged as KObject, managedFields: encodeManagedFields(entries) };
}
