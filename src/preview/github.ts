// The preview on GitHub: one sticky PR comment (made once, then edited) and a deployment of environment
// `pr-<N>` with its statuses, through the REST API with the job's token. GitHub is a courtesy here: an
// API error only warns (naming the permission when it is one), the deploy's outcome is the step's.
import type { Log } from '../deploy/log.ts';

/** Marks the one comment this action keeps on a PR. */
export const COMMENT_MARKER = '<!-- ecr-deploy:preview -->';

export interface GithubApi {
  /** `GITHUB_API_URL`, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  readonly baseUrl: string;
  readonly token: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly fetch?: typeof fetch;
}

export interface CommentFacts {
  readonly pr: number;
  readonly state: 'deploying' | 'ready' | 'failed' | 'removed';
  readonly url?: string;
  readonly commit?: string;
  /** The preview's service (ECS) or namespace (EKS). */
  readonly service: string;
  /** What `service` is, for the row's title; default `Service`. */
  readonly label?: string;
  readonly result?: string;
  readonly runUrl: string;
}

const HEADLINE: Record<CommentFacts['state'], string> = {
  deploying: '⏳ Deploying the preview',
  ready: '✅ Preview ready',
  failed: '❌ Preview deploy failed',
  removed: '🧹 Preview removed',
};

/** Pure: the sticky comment's body. */
export function commentBody(facts: CommentFacts): string {
  const rows = [
    ['Status', facts.state],
    ...(facts.url && facts.state !== 'removed' ? [['URL', facts.url]] : []),
    ...(facts.commit ? [['Commit', facts.commit.slice(0, 7)]] : []),
    [facts.label ?? 'Service', `\`${facts.service}\``],
    ...(facts.result ? [['Rollout', facts.result]] : []),
    ['Run', facts.runUrl],
  ];
  return [
    COMMENT_MARKER,
    `### ${HEADLINE[facts.state]} (PR #${facts.pr})`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
    '',
  ].join('\n');
}

/** Pure: the permission a 403/404 of a call most likely lacks. */
export function missingPermission(path: string): string {
  return path.includes('/deployments') ? 'deployments: write' : 'pull-requests: write';
}

export class GithubCallError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

async function call<T>(api: GithubApi, method: string, path: string, body?: unknown): Promise<T> {
  const doFetch = api.fetch ?? fetch;
  const res = await doFetch(`${api.baseUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'ecr-deploy',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: the text as it is
    }
    throw new GithubCallError(`${method} ${path}: ${res.status} ${message}`, res.status);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Runs one GitHub step; failures become a warning (with the permission to grant on 403/404). */
async function courtesy<T>(
  log: Log,
  what: string,
  path: string,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const status = error instanceof GithubCallError ? error.status : 0;
    const hint =
      status === 403 || status === 404
        ? ` Give the job \`permissions: { ${missingPermission(path)} }\` (GITHUB_TOKEN).`
        : '';
    log.warning(
      `Could not ${what} on GitHub: ${(error as Error).message}.${hint} The deploy is reported in the job summary.`,
    );
    return undefined;
  }
}

/** Creates the sticky comment, or edits it when an earlier run made it. */
export async function upsertComment(api: GithubApi, log: Log, facts: CommentFacts): Promise<void> {
  const list = `/repos/${api.repository}/issues/${facts.pr}/comments`;
  await courtesy(log, 'update the PR comment', list, async () => {
    let existing: { id: number } | undefined;
    for (let page = 1; page <= 10 && !existing; page++) {
      const comments = await call<{ id: number; body?: string }[]>(
        api,
        'GET',
        `${list}?per_page=100&page=${page}`,
      );
      existing = comments.find((c) => c.body?.startsWith(COMMENT_MARKER));
      if (comments.length < 100) break;
    }
    const body = commentBody(facts);
    if (existing)
      await call(api, 'PATCH', `/repos/${api.repository}/issues/comments/${existing.id}`, { body });
    else await call(api, 'POST', list, { body });
  });
}

/** A deployment of environment `pr-<N>` for the commit, set in progress; undefined when GitHub refused. */
export async function startDeployment(
  api: GithubApi,
  log: Log,
  options: { readonly pr: number; readonly commit: string; readonly runUrl: string },
): Promise<number | undefined> {
  const path = `/repos/${api.repository}/deployments`;
  return courtesy(log, 'create the deployment', path, async () => {
    const created = await call<{ id: number }>(api, 'POST', path, {
      ref: options.commit,
      environment: `pr-${options.pr}`,
      transient_environment: true,
      auto_merge: false,
      required_contexts: [],
      description: `Preview of PR #${options.pr}`,
    });
    await call(api, 'POST', `${path}/${created.id}/statuses`, {
      state: 'in_progress',
      log_url: options.runUrl,
    });
    return created.id;
  });
}

export async function finishDeployment(
  api: GithubApi,
  log: Log,
  id: number,
  options: {
    readonly success: boolean;
    readonly url?: string;
    readonly runUrl: string;
    readonly description?: string;
  },
): Promise<void> {
  const path = `/repos/${api.repository}/deployments/${id}/statuses`;
  await courtesy(log, 'set the deployment status', path, () =>
    call(api, 'POST', path, {
      state: options.success ? 'success' : 'failure',
      log_url: options.runUrl,
      ...(options.url && options.success ? { environment_url: options.url } : {}),
      ...(options.description ? { description: options.description.slice(0, 140) } : {}),
    }),
  );
}

/** After a teardown: every deployment of the PR's environment becomes inactive. */
export async function deactivateDeployments(
  api: GithubApi,
  log: Log,
  pr: number,
  runUrl: string,
): Promise<void> {
  const path = `/repos/${api.repository}/deployments`;
  await courtesy(log, 'mark the deployments inactive', path, async () => {
    const list = await call<{ id: number }[]>(
      api,
      'GET',
      `${path}?environment=${encodeURIComponent(`pr-${pr}`)}&per_page=100`,
    );
    for (const d of list)
      await call(api, 'POST', `${path}/${d.id}/statuses`, { state: 'inactive', log_url: runUrl });
  });
}

/** `GET /repos/{owner}/{repo}/pulls/{N}`: the PR's state. Throws GithubCallError (status) when GitHub refuses. */
export async function pullRequestState(api: GithubApi, pr: number): Promise<'open' | 'closed'> {
  const pull = await call<{ state?: string }>(api, 'GET', `/repos/${api.repository}/pulls/${pr}`);
  if (pull.state !== 'open' && pull.state !== 'closed') {
    throw new GithubCallError(`GET /repos/${api.repository}/pulls/${pr}: no state in the answer`, 0);
  }
  return pull.state;
}
