import { existsSync, readFileSync } from 'node:fs';
import { EnvironmentError } from './errors.ts';

/**
 * The webhook payload at GITHUB_EVENT_PATH (`{}` when there is none, as for a run by hand). A file that is not
 * a JSON object is the runner's fault, not an input's: an EnvironmentError naming the file.
 */
export function readEventPayload(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new EnvironmentError(`GITHUB_EVENT_PATH ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EnvironmentError(`GITHUB_EVENT_PATH ${file} holds no JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** What the action needs to know about the run, derived from the runner's variables and the event payload. */
export interface GithubContext {
  readonly eventName: string;
  /** Full ref, e.g. `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/42/merge`. */
  readonly ref: string;
  /** The commit the image is built from: the PR head for pull-request events, else GITHUB_SHA. */
  readonly sha: string;
  readonly pullRequestNumber: number | undefined;
  /** For `release` events: the release's tag and whether GitHub marks it a pre-release. */
  readonly release: { readonly tagName: string; readonly prerelease: boolean } | undefined;
  readonly serverUrl: string;
  /** `owner/name`. */
  readonly repository: string;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review']);

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function pullRequestNumber(ref: string, payload: Record<string, unknown>): number | undefined {
  const pr = record(payload.pull_request);
  const n = pr?.number ?? payload.number;
  if (typeof n === 'number' && Number.isInteger(n) && n > 0) return n;
  const m = /^refs\/pull\/(\d+)\//.exec(ref);
  return m ? Number(m[1]) : undefined;
}

/** Pure: the runner's environment and the parsed event payload → GithubContext. */
export function readGithubContext(env: NodeJS.ProcessEnv, payload: Record<string, unknown>): GithubContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const ref = env.GITHUB_REF ?? '';
  let sha = env.GITHUB_SHA ?? '';
  let prNumber: number | undefined;
  if (PULL_REQUEST_EVENTS.has(eventName)) {
    prNumber = pullRequestNumber(ref, payload);
    // GITHUB_SHA is the merge commit (pull_request) or the base branch tip (pull_request_target):
    // the image is of the PR's head.
    const head = record(record(payload.pull_request)?.head)?.sha;
    if (typeof head === 'string') sha = head;
  }
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw new EnvironmentError(
      `GITHUB_SHA is ${sha ? `"${sha}", not a full commit id` : 'not set'}. Run the action in a GitHub Actions job (or set GITHUB_SHA to the 40-character commit id).`,
    );
  }
  let release: GithubContext['release'];
  const rel = record(payload.release);
  if (eventName === 'release' && rel && typeof rel.tag_name === 'string') {
    release = { tagName: rel.tag_name, prerelease: rel.prerelease === true };
  }
  return {
    eventName,
    ref,
    sha,
    pullRequestNumber: prNumber,
    release,
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    repository: env.GITHUB_REPOSITORY ?? '',
  };
}

/** A pull request whose code comes from another repository than the one the workflow runs in. */
export interface ForeignPullRequest {
  /** `owner/name` of the pull request's head, or undefined when the payload does not say. */
  readonly head: string | undefined;
  readonly base: string | undefined;
}

/**
 * Pure: under `pull_request_target` the job runs with the base repository's secrets, so building the pull
 * request's code is only safe when that code is the base repository's own. Returns the two repositories when
 * they differ — or when the payload does not name both, since sameness cannot then be shown.
 */
export function foreignPullRequestTarget(
  eventName: string,
  payload: Record<string, unknown>,
): ForeignPullRequest | undefined {
  if (eventName !== 'pull_request_target') return undefined;
  const pr = record(payload.pull_request);
  const name = (side: unknown): string | undefined => {
    const full = record(record(side)?.repo)?.full_name;
    return typeof full === 'string' && full !== '' ? full : undefined;
  };
  const head = name(pr?.head);
  const base = name(pr?.base);
  if (head !== undefined && base !== undefined && head.toLowerCase() === base.toLowerCase()) return undefined;
  return { head, base };
}
