import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readGithubContext } from '../../src/github-context.ts';
import { planTags, sanitizeTag, isValidDockerTag } from '../../src/image/tags.ts';

const HEAD = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

interface Case {
  name: string;
  event: string;
  payload: string;
  ref: string;
  sha?: string;
  explicit?: string[];
  tags: string[];
  primary: string;
  floating: string[];
}

// GITHUB_REF/GITHUB_SHA as the runner sets them for each event; payloads are the webhook shapes.
const cases: Case[] = [
  {
    name: 'tag push v1.2.3 → version, minor, major, latest, sha',
    event: 'push',
    payload: 'push-tag.json',
    ref: 'refs/tags/v1.2.3',
    tags: ['1.2.3', '1.2', '1', 'latest', 'sha-6113728'],
    primary: '1.2.3',
    floating: ['1.2', '1', 'latest'],
  },
  {
    name: 'pre-release tag → only the full version (no latest)',
    event: 'push',
    payload: 'push-prerelease-tag.json',
    ref: 'refs/tags/v2.0.0-rc.1',
    tags: ['2.0.0-rc.1', 'sha-6113728'],
    primary: '2.0.0-rc.1',
    floating: [],
  },
  {
    name: 'pull request from a fork → pr-N, sha- from the PR head, not the merge commit',
    event: 'pull_request',
    payload: 'pull_request-fork.json',
    ref: 'refs/pull/42/merge',
    sha: 'c3f5e0a0d1b2c3d4e5f60718293a4b5c6d7e8f90',
    tags: ['pr-42', 'sha-e0f1a2b'],
    primary: 'pr-42',
    floating: ['pr-42'],
  },
  {
    name: 'pull_request_target → the PR head too, not the base branch tip',
    event: 'pull_request_target',
    payload: 'pull_request-fork.json',
    ref: 'refs/heads/main',
    sha: HEAD,
    tags: ['pr-42', 'sha-e0f1a2b'],
    primary: 'pr-42',
    floating: ['pr-42'],
  },
  {
    name: 'branch with / and uppercase → sanitised branch tag',
    event: 'push',
    payload: 'push-branch.json',
    ref: 'refs/heads/Feature/JIRA-42_new_Login',
    sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
    tags: ['Feature-JIRA-42_new_Login', 'sha-0d1a26e'],
    primary: 'Feature-JIRA-42_new_Login',
    floating: ['Feature-JIRA-42_new_Login'],
  },
  {
    name: 'release event → like a tag push of its tag',
    event: 'release',
    payload: 'release-published.json',
    ref: 'refs/tags/v3.4.5',
    tags: ['3.4.5', '3.4', '3', 'latest', 'sha-6113728'],
    primary: '3.4.5',
    floating: ['3.4', '3', 'latest'],
  },
  {
    name: 'release marked pre-release on GitHub → no floating tags even for a plain version',
    event: 'release',
    payload: 'release-prerelease.json',
    ref: 'refs/tags/v3.5.0',
    tags: ['3.5.0', 'sha-6113728'],
    primary: '3.5.0',
    floating: [],
  },
  {
    name: 'workflow_dispatch on a branch → branch rules',
    event: 'workflow_dispatch',
    payload: 'workflow_dispatch.json',
    ref: 'refs/heads/release/2026.11',
    tags: ['release-2026.11', 'sha-6113728'],
    primary: 'release-2026.11',
    floating: ['release-2026.11'],
  },
  {
    name: 'schedule on the default branch → branch rules',
    event: 'schedule',
    payload: 'schedule.json',
    ref: 'refs/heads/main',
    tags: ['main', 'sha-6113728'],
    primary: 'main',
    floating: ['main'],
  },
  {
    name: 'explicit tags are added and the first is primary',
    event: 'push',
    payload: 'push-tag.json',
    ref: 'refs/tags/v1.2.3',
    explicit: ['stable', 'prod-eu'],
    tags: ['stable', 'prod-eu', '1.2.3', '1.2', '1', 'latest', 'sha-6113728'],
    primary: 'stable',
    floating: ['1.2', '1', 'latest'],
  },
  {
    name: 'an explicit tag equal to an automatic one appears once',
    event: 'push',
    payload: 'push-tag.json',
    ref: 'refs/tags/v1.2.3',
    explicit: ['latest'],
    tags: ['latest', '1.2.3', '1.2', '1', 'sha-6113728'],
    primary: 'latest',
    floating: ['1.2', '1'],
  },
  {
    name: 'a git tag that is not semver → one sanitised tag, no latest',
    event: 'push',
    payload: 'push-tag.json',
    ref: 'refs/tags/deploy/2026-11-20',
    tags: ['deploy-2026-11-20', 'sha-6113728'],
    primary: 'deploy-2026-11-20',
    floating: [],
  },
  {
    name: '0.x releases get no major tag',
    event: 'push',
    payload: 'push-tag.json',
    ref: 'refs/tags/v0.4.1',
    tags: ['0.4.1', '0.4', 'latest', 'sha-6113728'],
    primary: '0.4.1',
    floating: ['0.4', 'latest'],
  },
  {
    name: 'build metadata is kept after _ (+ is not a tag character)',
    event: 'push',
    payload: 'push-tag.json',
    ref: 'refs/tags/v1.0.0+build.7',
    tags: ['1.0.0_build.7', '1.0', '1', 'latest', 'sha-6113728'],
    primary: '1.0.0_build.7',
    floating: ['1.0', '1', 'latest'],
  },
];

describe('planTags over real event payloads', () => {
  it.each(cases)('$name', (c) => {
    const ctx = readGithubContext(
      { GITHUB_EVENT_NAME: c.event, GITHUB_REF: c.ref, GITHUB_SHA: c.sha ?? HEAD },
      fixture(c.payload),
    );
    const plan = planTags(ctx, c.explicit ?? []);
    expect(plan.tags.map((t) => t.name)).toEqual(c.tags);
    expect(plan.primary).toBe(c.primary);
    expect(plan.tags.filter((t) => t.floating).map((t) => t.name)).toEqual(c.floating);
    expect(plan.commitTag).toMatch(/^sha-[0-9a-f]{7}$/);
    for (const t of plan.tags) expect(isValidDockerTag(t.name)).toBe(true);
  });
});

describe('sanitizeTag', () => {
  it.each([
    ['feature/login', 'feature-login'],
    ['dependabot/npm_and_yarn/@types/node-24', 'dependabot-npm_and_yarn-types-node-24'],
    ['.hidden', 'hidden'],
    ['-x', 'x'],
    ['a//b', 'a-b'],
    ['x'.repeat(200), 'x'.repeat(128)],
    ['ünïcode', 'n-code'],
    ['///', undefined],
  ])('%s → %s', (input, expected) => {
    expect(sanitizeTag(input)).toBe(expected);
  });
});

describe('readGithubContext', () => {
  it('fails with the fix when GITHUB_SHA is missing', () => {
    expect(() => readGithubContext({ GITHUB_EVENT_NAME: 'push' }, {})).toThrow(/GITHUB_SHA is not set/);
  });
  it('rejects an abbreviated sha', () => {
    expect(() => readGithubContext({ GITHUB_SHA: 'abc1234' }, {})).toThrow(/not a full commit id/);
  });
  it('takes the PR number from the ref when the payload lacks it', () => {
    const ctx = readGithubContext(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge', GITHUB_SHA: HEAD },
      {},
    );
    expect(ctx.pullRequestNumber).toBe(7);
    expect(ctx.sha).toBe(HEAD);
  });
});
