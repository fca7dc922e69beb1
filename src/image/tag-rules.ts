// The `tag-rules` input: which automatic tags a run gets, in docker/metadata-action's `flavor` manner.
// One `key=value` per line (`latest=auto|true|false`, `prefix=…`, `suffix=…`, `onlatest=true|false`, and
// each tag family on or off); on one line, `onlatest` belongs to that line's prefix/suffix, as in
// metadata-action. Pure, and free of SDK imports: the inputs are read before anything else is loaded.
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';

export type LatestRule = 'auto' | 'true' | 'false';

export interface TagRules {
  /** `auto`: on a release version (semver, not a pre-release); `true`: on every run; `false`: never. */
  readonly latest: LatestRule;
  /** `1.2.3` (with its pre-release), `1.2`, `1` of a semver git tag. */
  readonly patch: boolean;
  readonly minor: boolean;
  readonly major: boolean;
  /** The sanitised git tag when it is not semver. */
  readonly gitTag: boolean;
  readonly branch: boolean;
  /** `pr-N`. */
  readonly pr: boolean;
  /** Put before every generated tag except `sha-…` and `pr-N` (they have their own prefix). */
  readonly prefix: string;
  /** Put after every generated tag, `sha-…` and `pr-N` included. */
  readonly suffix: string;
  /** The prefix / suffix also go on `latest`. */
  readonly prefixLatest: boolean;
  readonly suffixLatest: boolean;
}

export const DEFAULT_TAG_RULES: TagRules = {
  latest: 'auto',
  patch: true,
  minor: true,
  major: true,
  gitTag: true,
  branch: true,
  pr: true,
  prefix: '',
  suffix: '',
  prefixLatest: false,
  suffixLatest: false,
};

const FAMILIES = {
  patch: 'patch',
  minor: 'minor',
  major: 'major',
  'git-tag': 'gitTag',
  branch: 'branch',
  pr: 'pr',
} as const satisfies Record<string, keyof TagRules>;

const KEYS = ['latest', 'prefix', 'suffix', 'onlatest', 'sha', ...Object.keys(FAMILIES)];

const HELP =
  'Use one key=value per line: latest=auto|true|false; prefix=<text> and suffix=<text> (optionally ,onlatest=true); patch, minor, major, git-tag, branch, pr = true|false.';

// A prefix starts a tag; a suffix may start with `.` or `-`. Both are tag characters only.
const PREFIX = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
const SUFFIX = /^[A-Za-z0-9_.-]{1,64}$/;

function bool(line: string, key: string, value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(Input.TagRules, `"${line}": ${key} is true or false, not "${value}".`);
}

/**
 * Pure: the rules, and every bad line as its own error (the inputs reader reports them all at once).
 * An empty input gives the defaults.
 */
export function parseTagRules(value: string): { rules: TagRules; errors: InputError[] } {
  const rules: { -readonly [K in keyof TagRules]: TagRules[K] } = { ...DEFAULT_TAG_RULES };
  const errors: InputError[] = [];
  const seen = new Set<string>();
  const lines = value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const line of lines) {
    let affix: 'prefix' | 'suffix' | undefined;
    for (const field of line.split(',').map((f) => f.trim())) {
      try {
        const eq = field.indexOf('=');
        const key = (eq >= 0 ? field.slice(0, eq) : field).trim().toLowerCase();
        const v = eq >= 0 ? field.slice(eq + 1).trim() : '';
        if (!KEYS.includes(key))
          throw new InputError(Input.TagRules, `"${line}": unknown key "${key}". ${HELP}`);
        if (eq < 0) throw new InputError(Input.TagRules, `"${line}": ${key} has no value. ${HELP}`);
        if (key !== 'onlatest') {
          if (seen.has(key)) throw new InputError(Input.TagRules, `"${line}": ${key} is given twice.`);
          seen.add(key);
        }
        if (key === 'latest') {
          if (v !== 'auto' && v !== 'true' && v !== 'false') {
            throw new InputError(Input.TagRules, `"${line}": latest is auto, true or false, not "${v}".`);
          }
          rules.latest = v;
        } else if (key === 'prefix' || key === 'suffix') {
          affix = key;
          if (v !== '' && !(key === 'prefix' ? PREFIX : SUFFIX).test(v)) {
            throw new InputError(
              Input.TagRules,
              `"${line}": a ${key} is at most 64 letters, digits, _ . and -${key === 'prefix' ? ', and does not start with . or -' : ''} (it becomes part of each tag).`,
            );
          }
          rules[key] = v;
        } else if (key === 'onlatest') {
          if (!affix) {
            throw new InputError(
              Input.TagRules,
              `"${line}": onlatest belongs on the line of a prefix= or suffix= (e.g. prefix=web-,onlatest=true).`,
            );
          }
          rules[affix === 'prefix' ? 'prefixLatest' : 'suffixLatest'] = bool(line, key, v);
        } else if (key === 'sha') {
          if (!bool(line, key, v)) {
            throw new InputError(
              Input.TagRules,
              `"${line}": the sha-<7> tag cannot be turned off: the image is pushed under it, the other tags are added to that manifest, and skip-existing finds the commit's image by it. Remove this line.`,
            );
          }
        } else {
          rules[FAMILIES[key as keyof typeof FAMILIES]] = bool(line, key, v);
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(error);
      }
    }
  }
  return { rules, errors };
}

/** A `tags` entry given as a full reference (`<registry>/<repository>:<tag>`), as metadata-action outputs it. */
export interface TagReference {
  /** As given. */
  readonly given: string;
  /** Undefined when the entry has no registry (`my-app:1.2.3`). */
  readonly host: string | undefined;
  readonly repository: string;
  readonly tag: string;
}

/** Pure: whether a `tags` entry is a reference (it names a repository) rather than a bare tag. */
export function isTagReference(entry: string): boolean {
  return /[/:@]/.test(entry);
}

/** Pure: the parts of a reference entry of `tags`; refused when it has no tag or has a digest. */
export function parseTagReference(entry: string): TagReference {
  if (entry.includes('@')) {
    throw new InputError(
      Input.Tags,
      `"${entry}" has a digest: a digest names an image, it is not a tag to set. Give <repository>:<tag>, or deploy an existing image with image: ${entry}.`,
    );
  }
  const slash = entry.lastIndexOf('/');
  const colon = entry.lastIndexOf(':');
  if (colon <= slash) {
    throw new InputError(
      Input.Tags,
      `"${entry}" names a repository but no tag. Give a tag (e.g. 1.2.3) or a full reference <registry>/<repository>:<tag>.`,
    );
  }
  const name = entry.slice(0, colon);
  const tag = entry.slice(colon + 1);
  const parts = name.split('/');
  const first = parts[0] ?? '';
  // As docker decides: the first component is a registry host when it has a dot, a port or is localhost.
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    given: entry,
    host: hasHost ? first : undefined,
    repository: (hasHost ? parts.slice(1) : parts).join('/'),
    tag,
  };
}

/**
 * Pure: the `tags` entries given as references that are not this step's repository — an input error naming
 * both, or undefined when all match. `host` (from ECR's answer) is undefined while it is not yet known: then
 * only the repository is compared.
 */
export function tagReferenceMismatch(
  references: readonly TagReference[],
  step: { readonly host: string | undefined; readonly repository: string },
): InputError | undefined {
  const wrong = references.filter(
    (r) =>
      r.repository !== step.repository ||
      (step.host !== undefined && r.host !== undefined && r.host !== step.host),
  );
  if (wrong.length === 0) return undefined;
  const ours = step.host ? `${step.host}/${step.repository}` : `repository ${step.repository}`;
  return new InputError(
    Input.Tags,
    `${wrong.map((r) => `"${r.given}"`).join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not name this step's image (${ours}). Give the tag alone, or a full reference to ${ours}; tags are only set on the image this step builds or deploys.`,
  );
}
