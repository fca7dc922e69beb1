import { describe, expect, it } from 'vitest';
import { splitHeldTags } from '../../src/image/pipeline.ts';
import { decideTags } from '../../src/image/tag-policy.ts';
import { isTagImmutable } from '../../src/registry/tag-mutability.ts';
import type { TagPlan } from '../../src/image/tags.ts';

const release: TagPlan = {
  tags: [
    { name: '1.2.3', source: 'version', floating: false },
    { name: '1.2', source: 'version-floating', floating: true },
    { name: '1', source: 'version-floating', floating: true },
    { name: 'latest', source: 'version-floating', floating: true },
    { name: 'sha-6113728', source: 'commit', floating: false },
  ],
  primary: '1.2.3',
  commitTag: 'sha-6113728',
};
const pr: TagPlan = {
  tags: [
    { name: 'pr-42', source: 'pull-request', floating: true },
    { name: 'sha-e0f1a2b', source: 'commit', floating: false },
  ],
  primary: 'pr-42',
  commitTag: 'sha-e0f1a2b',
};

describe('decideTags', () => {
  it('applies every tag in a mutable repository', () => {
    const d = decideTags(release, { tagMutability: 'MUTABLE', exclusionFilters: [] });
    expect(d.apply.map((t) => t.name)).toEqual(['1.2.3', '1.2', '1', 'latest', 'sha-6113728']);
    expect(d.skipped).toEqual([]);
    expect(d.immutable).toEqual([]);
  });

  it('skips automatic floating tags in an immutable repository, with a reason', () => {
    const d = decideTags(release, { tagMutability: 'IMMUTABLE', exclusionFilters: [] });
    expect(d.apply.map((t) => t.name)).toEqual(['1.2.3', 'sha-6113728']);
    expect(d.skipped.map((s) => s.tag)).toEqual(['1.2', '1', 'latest']);
    expect(d.skipped[0]!.reason).toMatch(/immutable.*exclusion filter/);
    expect(d.immutable).toEqual(['1.2.3', 'sha-6113728']);
    expect(d.primary).toBe('1.2.3');
  });

  it('keeps floating tags an exclusion filter makes mutable', () => {
    const d = decideTags(release, {
      tagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      exclusionFilters: [
        { filterType: 'WILDCARD', filter: 'latest' },
        { filterType: 'WILDCARD', filter: '1*' },
      ],
    });
    expect(d.apply.map((t) => t.name)).toEqual(['1.2.3', '1.2', '1', 'latest', 'sha-6113728']);
    expect(d.immutable).toEqual(['sha-6113728']);
  });

  it('moves the primary to the commit tag when pr-N is skipped', () => {
    const d = decideTags(pr, { tagMutability: 'IMMUTABLE', exclusionFilters: [] });
    expect(d.primary).toBe('sha-e0f1a2b');
    expect(d.apply.map((t) => t.name)).toEqual(['sha-e0f1a2b']);
  });

  it('never skips an explicit tag, even a floating-looking one', () => {
    const plan: TagPlan = {
      ...release,
      tags: [{ name: 'latest', source: 'explicit', floating: false }, ...release.tags.slice(0, 1)],
    };
    const d = decideTags(plan, { tagMutability: 'IMMUTABLE', exclusionFilters: [] });
    expect(d.apply.map((t) => t.name)).toEqual(['latest', '1.2.3']);
    expect(d.immutable).toEqual(['latest', '1.2.3']);
  });
});

describe('isTagImmutable', () => {
  it.each([
    ['x', 'MUTABLE', [], false],
    ['x', 'IMMUTABLE', [], true],
    ['pr-42', 'IMMUTABLE_WITH_EXCLUSION', ['pr-*'], false],
    ['v1.2', 'IMMUTABLE_WITH_EXCLUSION', ['pr-*'], true],
    ['release-1', 'MUTABLE_WITH_EXCLUSION', ['release-*'], true],
    ['main', 'MUTABLE_WITH_EXCLUSION', ['release-*'], false],
    ['a.b', 'IMMUTABLE_WITH_EXCLUSION', ['a?b'], true],
  ] as const)('%s in %s with %j → %s', (tag, mutability, filters, expected) => {
    expect(
      isTagImmutable(
        tag,
        mutability,
        filters.map((filter) => ({ filterType: 'WILDCARD', filter })),
      ),
    ).toBe(expected);
  });
});

describe('splitHeldTags', () => {
  const decision = decideTags(
    {
      ...release,
      tags: [...release.tags, { name: 'stable', source: 'explicit', floating: false }],
    },
    { tagMutability: 'MUTABLE', exclusionFilters: [] },
  );

  it('holds the automatic floating tags until the deploy is verified; fixed and explicit tags go on now', () => {
    const { now, held } = splitHeldTags(decision, true);
    expect(held.map((t) => t.name)).toEqual(['1.2', '1', 'latest']);
    expect(now.apply.map((t) => t.name)).toEqual(['1.2.3', 'sha-6113728', 'stable']);
    expect(now.primary).toBe('1.2.3');
  });

  it('holds nothing when there is no deploy to verify', () => {
    const { now, held } = splitHeldTags(decision, false);
    expect(held).toEqual([]);
    expect(now).toBe(decision);
  });

  it('a floating primary (pr-N) is held as well: the commit tag is applied now', () => {
    const { now, held } = splitHeldTags(
      decideTags(pr, { tagMutability: 'MUTABLE', exclusionFilters: [] }),
      true,
    );
    expect(held.map((t) => t.name)).toEqual(['pr-42']);
    expect(now.apply.map((t) => t.name)).toEqual(['sha-e0f1a2b']);
  });
});
