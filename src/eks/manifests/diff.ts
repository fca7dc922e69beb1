// Pure: what applying would change — the live object and the server's dry-run answer, both without the
// fields the server keeps for itself, as a unified line diff of their YAML.
import { stringify } from 'yaml';
import { isRecord, type KubeObject } from './objects.ts';

const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
];

/** Pure: the object without status and the metadata only the server writes. */
export function comparable(object: KubeObject | undefined): Record<string, unknown> | undefined {
  if (!object) return undefined;
  const { status: _status, ...rest } = structuredClone(object) as KubeObject & { status?: unknown };
  const metadata: Record<string, unknown> = isRecord(rest.metadata) ? rest.metadata : {};
  for (const key of SERVER_METADATA) Reflect.deleteProperty(metadata, key);
  return { ...rest, metadata };
}

/** Pure: a unified diff (`-`, `+`, and up to `context` unchanged lines around each change). */
export function diffLines(before: readonly string[], after: readonly string[], context = 3): string[] {
  const n = before.length;
  const m = after.length;
  // Longest common subsequence, from the end (objects are small: a few hundred lines).
  const lcs = new Int32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => lcs[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        before[i] === after[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const ops: { kind: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      ops.push({ kind: ' ', line: before[i] ?? '' });
      i++;
      j++;
    } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
      ops.push({ kind: '-', line: before[i] ?? '' });
      i++;
    } else {
      ops.push({ kind: '+', line: after[j] ?? '' });
      j++;
    }
  }
  const changed = ops.map((o) => o.kind !== ' ');
  const near = (k: number) => changed.slice(Math.max(0, k - context), k + context + 1).some(Boolean);
  const out: string[] = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (op.kind !== ' ' || near(k)) {
      if (skipped && out.length > 0) out.push('  …');
      skipped = false;
      out.push(`${op.kind} ${op.line}`);
    } else {
      skipped = true;
    }
  });
  if (!changed.some(Boolean)) return [];
  return out;
}

/**
 * Pure: a Secret's values never reach a log or the summary: each becomes `***`, or `*** (before)` and
 * `*** (after)` when it changes (as `kubectl diff` masks them).
 */
export function maskSecrets(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): [Record<string, unknown> | undefined, Record<string, unknown>] {
  if (after.kind !== 'Secret') return [before, after];
  const b = before ? structuredClone(before) : undefined;
  const a = structuredClone(after);
  for (const field of ['data', 'stringData']) {
    const bv = isRecord(b?.[field]) ? (b[field] as Record<string, unknown>) : undefined;
    const av = isRecord(a[field]) ? (a[field] as Record<string, unknown>) : undefined;
    for (const key of new Set([...Object.keys(bv ?? {}), ...Object.keys(av ?? {})])) {
      const same = bv?.[key] === av?.[key];
      if (bv && key in bv) bv[key] = same ? '***' : '*** (before)';
      if (av && key in av) av[key] = same ? '***' : '*** (after)';
    }
  }
  return [b, a];
}

/** Pure: the diff of one object: `created`, `unchanged`, or its changed lines. */
export function diffObject(
  live: KubeObject | undefined,
  dryRun: KubeObject,
): { readonly summary: string; readonly lines: string[] } {
  const [liveMasked, dryRunMasked] = maskSecrets(comparable(live), comparable(dryRun) ?? {});
  const after = stringify(dryRunMasked).trimEnd().split('\n');
  if (!liveMasked) return { summary: 'would be created', lines: after.map((l) => `+ ${l}`) };
  const before = stringify(liveMasked).trimEnd().split('\n');
  const lines = diffLines(before, after);
  return lines.length === 0 ? { summary: 'unchanged', lines } : { summary: 'would change', lines };
}
