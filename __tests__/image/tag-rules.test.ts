import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { readGithubContext } from '../../src/github-context.ts';
import { isValidDockerTag, planTags } from '../../src/image/tags.ts';
import {
  DEFAULT_TAG_RULES,
  parseTagReference,
  parseTagRules,
  tagReferenceMismatch,
} from '../../src/image/tag-rules.ts';

const HEAD = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

// Each event kind as the runner gives it (GITHUB_REF/GITHUB_SHA and the webhook payload).
const EVENTS = {
  tag: { event: 'push', payload: 'push-tag.json', ref: 'refs/tags/v1.2.3', sha: HEAD },
  zero: { event: 'push', payload: 'push-tag.json', ref: 'refs/tags/v0.4.1', sha: HEAD },
  rc: { event: 'push', payload: 'push-prerelease-tag.json', ref: 'refs/tags/v2.0.0-rc.1', sha: HEAD },
  release: { event: 'release', payload: 'release-published.json', ref: 'refs/tags/v3.4.5', sha: HEAD },
  markedPre: { event: 'release', payload: 'release-prerelease.json', ref: 'refs/tags/v3.5.0', sha: HEAD },
  other: { event: 'push', payload: 'push-tag.json', ref: 'refs/tags/deploy/2026-11-20', sha: HEAD },
  pr: {
    event: 'pull_request',
    payload: 'pull_request-fork.json',
    ref: 'refs/pull/42/merge',
    sha: 'c3f5e0a0d1b2c3d4e5f60718293a4b5c6d7e8f90',
  },
  branch: { event: 'push', payload: 'push-branch.json', ref: 'refs/heads/main', sha: HEAD },
  dispatch: {
    event: 'workflow_dispatch',
    payload: 'workflow_dispatch.json',
    ref: 'refs/heads/main',
    sha: HEAD,
  },
} as const;

interface Case {
  on: keyof typeof EVENTS;
  rules: string;
  tags: string[];
  primary: string;
  commitTag?: string;
}

const S = 'sha-6113728';
const PR_S = 'sha-e0f1a2b';

const cases: Case[] = [
  // latest
  { on: 'tag', rules: '', tags: ['1.2.3', '1.2', '1', 'latest', S], primary: '1.2.3' },
  { on: 'tag', rules: 'latest=auto', tags: ['1.2.3', '1.2', '1', 'latest', S], primary: '1.2.3' },
  { on: 'tag', rules: 'latest=false', tags: ['1.2.3', '1.2', '1', S], primary: '1.2.3' },
  { on: 'tag', rules: 'latest=true', tags: ['1.2.3', '1.2', '1', 'latest', S], primary: '1.2.3' },
  { on: 'rc', rules: 'latest=auto', tags: ['2.0.0-rc.1', S], primary: '2.0.0-rc.1' },
  { on: 'rc', rules: 'latest=true', tags: ['2.0.0-rc.1', 'latest', S], primary: '2.0.0-rc.1' },
  { on: 'markedPre', rules: 'latest=auto', tags: ['3.5.0', S], primary: '3.5.0' },
  { on: 'markedPre', rules: 'latest=true', tags: ['3.5.0', 'latest', S], primary: '3.5.0' },
  { on: 'release', rules: 'latest=false', tags: ['3.4.5', '3.4', '3', S], primary: '3.4.5' },
  { on: 'other', rules: 'latest=auto', tags: ['deploy-2026-11-20', S], primary: 'deploy-2026-11-20' },
  {
    on: 'other',
    rules: 'latest=true',
    tags: ['deploy-2026-11-20', 'latest', S],
    primary: 'deploy-2026-11-20',
  },
  { on: 'branch', rules: 'latest=auto', tags: ['main', S], primary: 'main' },
  { on: 'branch', rules: 'latest=true', tags: ['main', 'latest', S], primary: 'main' },
  { on: 'dispatch', rules: 'latest=true', tags: ['main', 'latest', S], primary: 'main' },
  { on: 'pr', rules: 'latest=auto', tags: ['pr-42', PR_S], primary: 'pr-42' },
  { on: 'pr', rules: 'latest=true', tags: ['pr-42', 'latest', PR_S], primary: 'pr-42' },
  // families off
  { on: 'tag', rules: 'patch=false', tags: [S, '1.2', '1', 'latest'], primary: S },
  { on: 'tag', rules: 'minor=false', tags: ['1.2.3', '1', 'latest', S], primary: '1.2.3' },
  { on: 'tag', rules: 'major=false', tags: ['1.2.3', '1.2', 'latest', S], primary: '1.2.3' },
  { on: 'tag', rules: 'major=false\nminor=false\nlatest=false', tags: ['1.2.3', S], primary: '1.2.3' },
  { on: 'zero', rules: 'minor=false', tags: ['0.4.1', 'latest', S], primary: '0.4.1' },
  { on: 'rc', rules: 'patch=false', tags: [S], primary: S },
  { on: 'other', rules: 'git-tag=false', tags: [S], primary: S },
  { on: 'branch', rules: 'branch=false', tags: [S], primary: S },
  { on: 'pr', rules: 'pr=false', tags: [PR_S], primary: PR_S },
  { on: 'tag', rules: 'branch=false\npr=false', tags: ['1.2.3', '1.2', '1', 'latest', S], primary: '1.2.3' },
  { on: 'tag', rules: 'sha=true', tags: ['1.2.3', '1.2', '1', 'latest', S], primary: '1.2.3' },
  // prefix / suffix
  {
    on: 'tag',
    rules: 'prefix=web-',
    tags: ['web-1.2.3', 'web-1.2', 'web-1', 'latest', S],
    primary: 'web-1.2.3',
  },
  {
    on: 'tag',
    rules: 'prefix=web-,onlatest=true',
    tags: ['web-1.2.3', 'web-1.2', 'web-1', 'web-latest', S],
    primary: 'web-1.2.3',
  },
  {
    on: 'tag',
    rules: 'suffix=-alpine',
    tags: ['1.2.3-alpine', '1.2-alpine', '1-alpine', 'latest', `${S}-alpine`],
    primary: '1.2.3-alpine',
    commitTag: `${S}-alpine`,
  },
  {
    on: 'tag',
    rules: 'prefix=web-\nsuffix=-alpine,onlatest=true',
    tags: ['web-1.2.3-alpine', 'web-1.2-alpine', 'web-1-alpine', 'latest-alpine', `${S}-alpine`],
    primary: 'web-1.2.3-alpine',
    commitTag: `${S}-alpine`,
  },
  { on: 'branch', rules: 'prefix=web-', tags: ['web-main', S], primary: 'web-main' },
  {
    on: 'branch',
    rules: 'suffix=.slim',
    tags: ['main.slim', `${S}.slim`],
    primary: 'main.slim',
    commitTag: `${S}.slim`,
  },
  { on: 'pr', rules: 'prefix=web-', tags: ['pr-42', PR_S], primary: 'pr-42' },
  {
    on: 'pr',
    rules: 'suffix=-alpine',
    tags: ['pr-42-alpine', `${PR_S}-alpine`],
    primary: 'pr-42-alpine',
    commitTag: `${PR_S}-alpine`,
  },
  { on: 'other', rules: 'prefix=v', tags: ['vdeploy-2026-11-20', S], primary: 'vdeploy-2026-11-20' },
  {
    on: 'rc',
    rules: 'prefix=web-\nlatest=true',
    tags: ['web-2.0.0-rc.1', 'latest', S],
    primary: 'web-2.0.0-rc.1',
  },
  { on: 'tag', rules: 'prefix=\nsuffix=', tags: ['1.2.3', '1.2', '1', 'latest', S], primary: '1.2.3' },
  { on: 'tag', rules: '# no latest here\nlatest=false', tags: ['1.2.3', '1.2', '1', S], primary: '1.2.3' },
  { on: 'tag', rules: 'LATEST=false', tags: ['1.2.3', '1.2', '1', S], primary: '1.2.3' },
];

function plan(on: keyof typeof EVENTS, rules: string, explicit: string[] = []) {
  const e = EVENTS[on];
  const ctx = readGithubContext(
    { GITHUB_EVENT_NAME: e.event, GITHUB_REF: e.ref, GITHUB_SHA: e.sha },
    fixture(e.payload),
  );
  const parsed = parseTagRules(rules);
  expect(parsed.errors).toEqual([]);
  return planTags(ctx, explicit, parsed.rules);
}

describe('tag-rules shape the automatic tags, each event kind × each rule', () => {
  it.each(cases)('$on with "$rules" → $tags', (c) => {
    const p = plan(c.on, c.rules);
    expect(p.tags.map((t) => t.name)).toEqual(c.tags);
    expect(p.primary).toBe(c.primary);
    expect(p.commitTag).toBe(c.commitTag ?? (c.on === 'pr' ? PR_S : S));
    for (const t of p.tags) expect(isValidDockerTag(t.name), t.name).toBe(true);
  });

  it('keeps latest and the version tags floating, the full version and sha- fixed', () => {
    const p = plan('tag', 'prefix=web-\nsuffix=-x,onlatest=true');
    expect(p.tags.filter((t) => t.floating).map((t) => t.name)).toEqual(['web-1.2-x', 'web-1-x', 'latest-x']);
  });

  it('puts explicit tags first, untouched by prefix and suffix', () => {
    const p = plan('tag', 'prefix=web-\nlatest=false', ['stable']);
    expect(p.tags.map((t) => t.name)).toEqual(['stable', 'web-1.2.3', 'web-1.2', 'web-1', S]);
    expect(p.primary).toBe('stable');
  });

  it('shortens a long branch so prefix, branch and suffix stay within 128 characters', () => {
    const ctx = readGithubContext(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: `refs/heads/${'b'.repeat(200)}`, GITHUB_SHA: HEAD },
      {},
    );
    const { rules } = parseTagRules('prefix=web-\nsuffix=-alpine');
    const branch = planTags(ctx, [], rules).tags.find((t) => t.source === 'branch');
    expect(branch?.name).toBe(`web-${'b'.repeat(128 - 4 - 7)}-alpine`);
    expect(branch?.name.length).toBe(128);
  });

  it('refuses, before anything is built, a version tag the prefix and suffix make too long', () => {
    const ctx = readGithubContext(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REF: `refs/tags/v1.2.3-${'r'.repeat(60)}`, GITHUB_SHA: HEAD },
      {},
    );
    const { rules, errors } = parseTagRules(`prefix=${'p'.repeat(40)}\nsuffix=-${'s'.repeat(40)}`);
    expect(errors).toEqual([]);
    expect(() => planTags(ctx, [], rules)).toThrow(
      /Input "tag-rules": the tag "p+1\.2\.3-r+-s+" \(147 characters\)/,
    );
  });

  it('gives the defaults for an empty input', () => {
    expect(parseTagRules('')).toEqual({ rules: DEFAULT_TAG_RULES, errors: [] });
    expect(parseTagRules('\n  \n# nothing\n')).toEqual({ rules: DEFAULT_TAG_RULES, errors: [] });
  });
});

describe('parseTagRules errors: every bad line, each naming the input and the fix', () => {
  it.each([
    ['latest=maybe', /"latest=maybe": latest is auto, true or false, not "maybe"/],
    ['latest', /"latest": latest has no value/],
    ['flavour=x', /"flavour=x": unknown key "flavour".*latest=auto\|true\|false/],
    ['patch=yes', /"patch=yes": patch is true or false, not "yes"/],
    ['branch=1', /"branch=1": branch is true or false/],
    ['pr=off', /"pr=off": pr is true or false/],
    ['sha=false', /sha-<7> tag cannot be turned off: the image is pushed under it/],
    ['sha=nope', /"sha=nope": sha is true or false/],
    ['prefix=-web', /a prefix is at most 64 letters, digits, _ \. and -, and does not start with \. or -/],
    ['prefix=a/b', /a prefix is at most 64/],
    ['suffix=+x', /a suffix is at most 64 letters/],
    [`prefix=${'p'.repeat(65)}`, /a prefix is at most 64/],
    ['onlatest=true', /onlatest belongs on the line of a prefix= or suffix=/],
    ['prefix=a,onlatest=sometimes', /onlatest is true or false, not "sometimes"/],
    ['latest=true\nlatest=false', /"latest=false": latest is given twice/],
  ])('%s', (value, message) => {
    const { errors } = parseTagRules(value);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(InputError);
    expect(errors[0]?.input).toBe('tag-rules');
    expect(errors[0]?.message).toMatch(/^Input "tag-rules": /);
    expect(errors[0]?.message).toMatch(message);
  });

  it('reports every bad line at once, in order', () => {
    const { errors } = parseTagRules('latest=maybe\nprefix=ok-\nmajor=nope\nbogus=1');
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('"latest=maybe"'),
      expect.stringContaining('"major=nope"'),
      expect.stringContaining('"bogus=1"'),
    ]);
  });
});

describe('tags given as full references', () => {
  const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

  it.each([
    [`${HOST}/my-app:1.2.3`, { host: HOST, repository: 'my-app', tag: '1.2.3' }],
    [`${HOST}/team/my-app:stable`, { host: HOST, repository: 'team/my-app', tag: 'stable' }],
    ['my-app:1.2.3', { host: undefined, repository: 'my-app', tag: '1.2.3' }],
    ['team/my-app:edge', { host: undefined, repository: 'team/my-app', tag: 'edge' }],
    ['localhost:5000/my-app:1', { host: 'localhost:5000', repository: 'my-app', tag: '1' }],
  ])('%s → its parts', (entry, parts) => {
    expect(parseTagReference(entry)).toEqual({ given: entry, ...parts });
  });

  it.each([
    [`${HOST}/my-app@sha256:${'a'.repeat(64)}`, /has a digest: a digest names an image, it is not a tag/],
    [`${HOST}/my-app:1@sha256:${'a'.repeat(64)}`, /has a digest/],
    [`${HOST}/my-app`, /names a repository but no tag/],
    ['localhost:5000/my-app', /names a repository but no tag/],
  ])('refuses %s', (entry, message) => {
    expect(() => parseTagReference(entry)).toThrow(message);
  });

  it.each([
    { entry: `${HOST}/my-app:1.2.3`, host: HOST, repository: 'my-app', ok: true },
    { entry: 'my-app:1.2.3', host: HOST, repository: 'my-app', ok: true },
    { entry: `${HOST}/my-app:1.2.3`, host: undefined, repository: 'my-app', ok: true },
    { entry: `${HOST}/other:1.2.3`, host: HOST, repository: 'my-app', ok: false },
    { entry: `${HOST}/other:1.2.3`, host: undefined, repository: 'my-app', ok: false },
    {
      entry: `210987654321.dkr.ecr.eu-west-1.amazonaws.com/my-app:1`,
      host: HOST,
      repository: 'my-app',
      ok: false,
    },
    { entry: `ghcr.io/org/my-app:1`, host: HOST, repository: 'my-app', ok: false },
    { entry: 'team/my-app:1', host: HOST, repository: 'my-app', ok: false },
  ])('$entry against $host/$repository → matches: $ok', ({ entry, host, repository, ok }) => {
    const error = tagReferenceMismatch([parseTagReference(entry)], { host, repository });
    if (ok) {
      expect(error).toBeUndefined();
      return;
    }
    expect(error?.input).toBe('tags');
    expect(error?.message).toContain(`"${entry}"`);
    expect(error?.message).toContain(host ? `${host}/${repository}` : `repository ${repository}`);
  });
});
