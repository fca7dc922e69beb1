// Object storage and watch for one sandbox cluster: a global resourceVersion counter (as etcd's revision), a
// bounded history of changes so a watch can resume from a resourceVersion (too old → 410 Expired), label and
// field selectors. https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
import { clone, type KObject } from './model.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  rv: number;
  type: WatchEventType;
  storage: string;
  object: KObject;
}

export type Listener = (change: Change) => void;

function key(storage: string, namespace: string | undefined, name: string): string {
  return `${storage}/${namespace ?? ''}/${name}`;
}

export class Store {
  private rv = 0;
  private readonly objects = new Map<string, KObject>();
  private readonly history: Change[] = [];
  private readonly listeners = new Set<Listener>();
  /** How many changes are kept for watch resumption (the watch cache's capacity). */
  historyLimit: number;

  constructor(historyLimit = 1000) {
    this.historyLimit = historyLimit;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch may resume from without 410. */
  get oldestResumable(): number {
    return this.history.length ? this.history[0]!.rv - 1 : this.rv;
  }

  get(storage: string, namespace: string | undefined, name: string): KObject | undefined {
    const o = this.objects.get(key(storage, namespace, name));
    return o ? clone(o) : undefined;
  }

  list(storage: string, namespace?: string): KObject[] {
    const out: KObject[] = [];
    for (const o of this.objects.values()) {
      if (
        o.kind &&
        this.storageOf(o) === storage &&
        (namespace === undefined || o.metadata.namespace === namespace)
      ) {
        out.push(clone(o));
      }
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  private storageOf(o: KObject): string {
    return (o as { __storage?: string }).__storage ?? '';
  }

  /** Write (create or replace) an object; assigns the next resourceVersion and notifies watchers. */
  put(storage: string, object: KObject): KObject {
    const k = key(storage, object.metadata.namespace, object.metadata.name);
    const type: WatchEventType = this.objects.has(k) ? 'MODIFIED' : 'ADDED';
    this.rv += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.rv);
    Object.defineProperty(stored, '__storage', { value: storage, enumerable: false });
    this.objects.set(k, stored);
    this.emit({ rv: this.rv, type, storage, object: clone(stored) });
    return clone(stored);
  }

  delete(storage: string, namespace: string | undefined, name: string): KObject | undefined {
    const k = key(storage, namespace, name);
    const existing = this.objects.get(k);
    if (!existing) return undefined;
    this.objects.delete(k);
    this.rv += 1;
    const last = clone(existing);
    last.metadata.resourceVersion = String(this.rv);
    this.emit({ rv: this.rv, type: 'DELETED', storage, object: last });
    return clone(last);
  }

  private emit(change: Change): void {
    this.history.push(change);
    while (this.history.length > this.historyLimit) this.history.shift();
    for (const l of [...this.listeners]) l(change);
  }

  /**
   * Changes after `sinceRv` (undefined when that version is no longer in the history: 410 Expired), and a
   * subscription to later ones.
   */
  changesSince(sinceRv: number): Change[] | undefined {
    if (sinceRv < this.oldestResumable) return undefined;
    return this.history.filter((c) => c.rv > sinceRv);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

// ---- selectors (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors)

export type LabelRequirement =
  { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!' };

export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (!text) return [];
  const reqs: LabelRequirement[] = [];
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(p);
    if (m) {
      reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) });
      continue;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(p);
    if (m) {
      reqs.push({ key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!] });
      continue;
    }
    m = /^!\s*(\S+)$/.exec(p);
    if (m) {
      reqs.push({ key: m[1]!, op: '!' });
      continue;
    }
    if (/^\S+$/.test(p)) {
      reqs.push({ key: p, op: 'exists' });
      continue;
    }
    throw new Error(`unable to parse requirement: ${p}`);
  }
  return reqs;
}

export function labelsMatch(labels: Record<string, string> | undefined, reqs: LabelRequirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

/** A `spec.selector` (matchLabels + matchExpressions) as requirements. */
export function selectorRequirements(selector: {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}): LabelRequirement[] {
  const reqs: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => ({
    key: k,
    op: 'in' as const,
    values: [v],
  }));
  for (const e of selector.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') reqs.push({ key: e.key, op: '!' });
  }
  return reqs;
}

export interface FieldRequirement {
  field: string;
  value: string;
  negate: boolean;
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  return text
    .split(',')
    .filter((p) => p.trim())
    .map((p) => {
      const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(p.trim());
      if (!m) throw new Error(`invalid selector: '${text}'; can't understand '${p}'`);
      return { field: m[1]!.trim(), value: m[3]!.trim(), negate: m[2] === '!=' };
    });
}

function fieldValue(object: Record<string, unknown>, path: string): string {
  let cur: unknown = object;
  for (const part of path.split('.')) {
    if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return '';
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

export function fieldsMatch(object: Record<string, unknown>, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => (fieldValue(object, r.field) === r.value) !== r.negate);
}

/** Field selectors each resource supports (the rest are refused, as the API server does). */
export const SUPPORTED_FIELDS: Record<string, (field: string) => boolean> = {
  common: (f) => f === 'metadata.name' || f === 'metadata.namespace',
  pods: (f) =>
    ['spec.nodeName', 'status.phase', 'spec.restartPolicy', 'spec.schedulerName', 'status.podIP'].includes(f),
  events: (f) =>
    /^(involvedObject\.(kind|namespace|name|uid|apiVersion|resourceVersion|fieldPath)|reason|source|type|reportingComponent)$/.test(
      f,
    ),
  'events.k8s.io/events': (f) =>
    /^(regarding\.(kind|namespace|name|uid|apiVersion|resourceVersion|fieldPath)|reason|reportingController|type)$/.test(
      f,
    ),
  replicasets: (f) => f === 'status.replicas',
};
