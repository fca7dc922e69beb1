import { describe, expect, it } from 'vitest';
import { MAX_PRIORITY, choosePriority, stablePriority } from '../../src/preview/priority.ts';

describe('stablePriority', () => {
  it.each([
    [1, 10_001],
    [42, 10_042],
    [40_000, 50_000],
    [40_001, 1],
    [90_001, 1],
  ])('PR %i starts at %i', (pr, priority) => expect(stablePriority(pr)).toBe(priority));
});

describe('choosePriority', () => {
  it.each([
    ['a free listener', 42, [], 10_042],
    ['the hand-made rules below', 42, [1, 2, 100], 10_042],
    ['its own priority taken', 42, [10_042], 10_043],
    ['a run of taken ones', 42, [10_042, 10_043, 10_044], 10_045],
    ['the top taken: wraps to 1', 40_000, [50_000], 1],
  ])('with %s: PR %i gets %i', (_what, pr, used, expected) => {
    expect(choosePriority(pr, new Set(used))).toBe(expected);
  });

  it('answers the same on every run for the same listener', () => {
    const used = new Set([10_007, 10_008]);
    expect(choosePriority(7, used)).toBe(choosePriority(7, used));
  });

  it('gives up when every priority is taken', () => {
    const all = new Set(Array.from({ length: MAX_PRIORITY }, (_, i) => i + 1));
    expect(choosePriority(1, all)).toBeUndefined();
  });
});
