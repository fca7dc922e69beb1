import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { GithubContext } from '../github-context.ts';
import { DEFAULT_TAG_RULES, type TagRules } from './tag-rules.ts';

/** Where a tag comes from. Decides its priority for the primary tag and whether it floats. */
export type TagSource =
  'explicit' | 'version' | 'git-tag' | 'version-floating' | 'pull-request' | 'branch' | 'commit' | 'latest';

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

/** A ref name made into a valid tag: other characters become `-`, at most `max` (128), no leading `.`/`-`. */
export function sanitizeTag(name: string, max = 128): string | undefined {
  const tag = name
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, max)
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

/** The rules' prefix and suffix put on generated tags; ref names are shortened so the tag stays ≤ 128. */
class Affixes {
  private readonly rules: TagRules;

  constructor(rules: TagRules) {
    this.rules = rules;
  }

  /** A version, branch or git tag: prefix and suffix. */
  generated(name: string, source: TagSource, floating: boolean): PlannedTag {
    return this.checked(`${this.rules.prefix}${name}${this.rules.suffix}`, source, floating);
  }

  /** `sha-…` and `pr-N` carry their own prefix (as in metadata-action): the suffix only. */
  ownPrefix(name: string, source: TagSource, floating: boolean): PlannedTag {
    return this.checked(`${name}${this.rules.suffix}`, source, floating);
  }

  latest(): PlannedTag {
    const { prefix, suffix, prefixLatest, suffixLatest } = this.rules;
    return this.checked(`${prefixLatest ? prefix : ''}latest${suffixLatest ? suffix : ''}`, 'latest', true);
  }

  /** A ref name, sanitised and shortened to leave room for the prefix and suffix. */
  refName(ref: string, source: TagSource, floating: boolean): PlannedTag | undefined {
    const base = sanitizeTag(ref, 128 - this.rules.prefix.length - this.rules.suffix.length);
    return base ? this.generated(base, source, floating) : undefined;
  }

  private checked(name: string, source: TagSource, floating: boolean): PlannedTag {
    if (!isValidDockerTag(name)) {
      throw new InputError(
        Input.TagRules,
        `the tag "${name}" (${name.length} characters) is not a valid image tag: at most 128 letters, digits, _ . and -, not starting with . or -. Shorten prefix= or suffix=.`,
      );
    }
    return { name, source, floating };
  }
}

/** Tags for a git tag (tag push or release), without `latest`. */
function gitTagTags(name: string, markedPrerelease: boolean, rules: TagRules, affix: Affixes): PlannedTag[] {
  const v = parseSemVer(name);
  if (!v) {
    const tag = rules.gitTag ? affix.refName(name, 'git-tag', false) : undefined;
    return tag ? [tag] : [];
  }
  const tags: PlannedTag[] = [];
  // `+` is not allowed in a tag; build metadata is kept after `_` so it stays distinct from a pre-release.
  const full = `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}${v.build ? `_${v.build}` : ''}`;
  if (rules.patch) tags.push(affix.generated(full, 'version', false));
  if (v.prerelease || markedPrerelease) return tags;
  if (rules.minor) tags.push(affix.generated(`${v.major}.${v.minor}`, 'version-floating', true));
  // 0.x makes no compatibility promise across minors, so there is no `0` tag.
  if (rules.major && v.major !== '0') tags.push(affix.generated(v.major, 'version-floating', true));
  return tags;
}

/** The git tag this run is for, and whether it is a release version (semver, not a pre-release). */
function gitTagOf(ctx: GithubContext): { name: string; release: boolean; prerelease: boolean } | undefined {
  const name = ctx.release
    ? ctx.release.tagName
    : ctx.ref.startsWith('refs/tags/')
      ? ctx.ref.slice('refs/tags/'.length)
      : undefined;
  if (name === undefined) return undefined;
  const prerelease = ctx.release?.prerelease ?? false;
  const v = parseSemVer(name);
  return { name, prerelease, release: v !== undefined && !v.prerelease && !prerelease };
}

function automaticTags(ctx: GithubContext, rules: TagRules): PlannedTag[] {
  const affix = new Affixes(rules);
  const tags: PlannedTag[] = [];
  const gitTag = gitTagOf(ctx);
  if (ctx.pullRequestNumber !== undefined) {
    if (rules.pr) tags.push(affix.ownPrefix(`pr-${ctx.pullRequestNumber}`, 'pull-request', true));
  } else if (gitTag) {
    tags.push(...gitTagTags(gitTag.name, gitTag.prerelease, rules, affix));
  } else if (ctx.ref.startsWith('refs/heads/') && rules.branch) {
    const tag = affix.refName(ctx.ref.slice('refs/heads/'.length), 'branch', true);
    if (tag) tags.push(tag);
  }
  // As metadata-action's latest=auto: on a release version only (a non-semver git tag gets none here).
  const latest =
    rules.latest === 'true' ||
    (rules.latest === 'auto' && ctx.pullRequestNumber === undefined && gitTag?.release === true);
  if (latest) tags.push(affix.latest());
  return tags;
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
  'latest',
];

/**
 * Pure: the tags an image built for this run carries, as the `tag-rules` input shapes them. A generated tag
 * that would not be a valid tag is an input error, raised before anything is built.
 */
export function planTags(
  ctx: GithubContext,
  explicit: readonly string[],
  rules: TagRules = DEFAULT_TAG_RULES,
): TagPlan {
  const commit = new Affixes(rules).ownPrefix(`sha-${ctx.sha.slice(0, 7)}`, 'commit', false);
  const commitTag = commit.name;
  const candidates: PlannedTag[] = [
    ...explicit.map((name): PlannedTag => ({ name, source: 'explicit', floating: false })),
    ...automaticTags(ctx, rules),
    commit,
  ];
  const seen = new Set<string>();
  const unique = candidates.filter((t) => (seen.has(t.name) ? false : (seen.add(t.name), true)));
  const rank = (t: PlannedTag) => PRIORITY.indexOf(t.source);
  const primary = unique.reduce((best, t) => (rank(t) < rank(best) ? t : best));
  const tags = [primary, ...unique.filter((t) => t !== primary)];
  return { tags, primary: primary.name, commitTag };
}
