import type { GithubContext } from '../github-context.ts';

/** Where a tag comes from. Decides its priority for the primary tag and whether it floats. */
export type TagSource =
  'explicit' | 'version' | 'git-tag' | 'version-floating' | 'pull-request' | 'branch' | 'commit';

export interface PlannedTag {
  readonly name: string;
  readonly source: TagSource;
  /**
   * A floating tag moves from image to image (`latest`, `1`, `1.2`, a branch, `pr-N`). In an IMMUTABLE
   * repository automatic floating tags are skipped (README, "Tags"); with a deploy they move only once it is verified.
   */
  readonly floating: boolean;
}

export interface TagPlan {
  /** All tags, primary first, no duplicates. */
  readonly tags: readonly PlannedTag[];
  readonly primary: string;
  /** `sha-<7>`: the tag the image is pushed under; the others are added to that manifest. */
  readonly commitTag: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isValidDockerTag(tag: string): boolean {
  return TAG.test(tag);
}

/** A ref name made into a valid tag: other characters become `-`, at most 128, no leading `.`/`-`. */
export function sanitizeTag(name: string): string | undefined {
  const tag = name
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
    .replace(/-+$/, '');
  return tag && isValidDockerTag(tag) ? tag : undefined;
}

interface SemVer {
  major: string;
  minor: string;
  patch: string;
  prerelease: string | undefined;
  build: string | undefined;
}

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export function parseSemVer(name: string): SemVer | undefined {
  const m = SEMVER.exec(name);
  if (!m) return undefined;
  const [, major = '', minor = '', patch = '', prerelease, build] = m;
  return { major, minor, patch, prerelease, build };
}

/** Tags for a git tag (tag push or release). */
function gitTagTags(name: string, markedPrerelease: boolean): PlannedTag[] {
  const v = parseSemVer(name);
  if (!v) {
    const tag = sanitizeTag(name);
    return tag ? [{ name: tag, source: 'git-tag', floating: false }] : [];
  }
  // `+` is not allowed in a tag; build metadata is kept after `_` so it stays distinct from a pre-release.
  const full = `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.build ? `_${v.build}` : ''}`;
  const tags: PlannedTag[] = [{ name: full, source: 'version', floating: false }];
  if (v.prerelease || markedPrerelease) return tags;
  const floating = (name: string): PlannedTag => ({ name, source: 'version-floating', floating: true });
  tags.push(floating(`${v.major}.${v.minor}`));
  // 0.x makes no compatibility promise across minors, so there is no `0` tag.
  if (v.major !== '0') tags.push(floating(v.major));
  tags.push(floating('latest'));
  return tags;
}

function automaticTags(ctx: GithubContext): PlannedTag[] {
  if (ctx.pullRequestNumber !== undefined) {
    return [{ name: `pr-${ctx.pullRequestNumber}`, source: 'pull-request', floating: true }];
  }
  if (ctx.release) return gitTagTags(ctx.release.tagName, ctx.release.prerelease);
  if (ctx.ref.startsWith('refs/tags/')) return gitTagTags(ctx.ref.slice('refs/tags/'.length), false);
  if (ctx.ref.startsWith('refs/heads/')) {
    const tag = sanitizeTag(ctx.ref.slice('refs/heads/'.length));
    return tag ? [{ name: tag, source: 'branch', floating: true }] : [];
  }
  return [];
}

// Most specific first: the primary tag is the first explicit tag, else the highest-ranked automatic one.
const PRIORITY: readonly TagSource[] = [
  'explicit',
  'version',
  'git-tag',
  'pull-request',
  'branch',
  'commit',
  'version-floating',
];

/** Pure: the tags an image built for this run carries. */
export function planTags(ctx: GithubContext, explicit: readonly string[]): TagPlan {
  const commitTag = `sha-${ctx.sha.slice(0, 7)}`;
  const candidates: PlannedTag[] = [
    ...explicit.map((name): PlannedTag => ({ name, source: 'explicit', floating: false })),
    ...automaticTags(ctx),
    { name: commitTag, source: 'commit', floating: false },
  ];
  const seen = new Set<string>();
  const unique = candidates.filter((t) => (seen.has(t.name) ? false : (seen.add(t.name), true)));
  const rank = (t: PlannedTag) => PRIORITY.indexOf(t.source);
  const primary = unique.reduce((best, t) => (rank(t) < rank(best) ? t : best));
  const tags = [primary, ...unique.filter((t) => t !== primary)];
  return { tags, primary: primary.name, commitTag };
}
