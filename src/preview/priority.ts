// Pure: the listener-rule priority of a PR's preview. ELBv2 priorities are 1-50000 and unique per
// listener; a PR keeps the same priority on every run (derived from its number) unless it is taken.

export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 50_000;
/** Previews start above the priorities people usually give their own rules by hand. */
export const PRIORITY_OFFSET = 10_000;

/** Pure: where PR `pr` starts looking (PR 1 → 10001, …, wrapping round within 1-50000). */
export function stablePriority(pr: number): number {
  return MIN_PRIORITY + ((PRIORITY_OFFSET + pr - 1) % MAX_PRIORITY);
}

/** Pure: the first free priority from the PR's stable one upwards (wrapping); undefined when all are taken. */
export function choosePriority(pr: number, used: ReadonlySet<number>): number | undefined {
  const start = stablePriority(pr);
  for (let i = 0; i < MAX_PRIORITY; i++) {
    const p = MIN_PRIORITY + ((start - MIN_PRIORITY + i) % MAX_PRIORITY);
    if (!used.has(p)) return p;
  }
  return undefined;
}
