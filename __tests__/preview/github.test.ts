import { describe, expect, it } from 'vitest';
import {
  COMMENT_MARKER,
  commentBody,
  deactivateDeployments,
  finishDeployment,
  startDeployment,
  upsertComment,
  type GithubApi,
} from '../../src/preview/github.ts';
import { RecordingLog } from '../fakes/log.ts';

/** A scripted GitHub REST API: comments and deployments in memory, every request recorded. */
function fakeGithub(options: { status?: (method: string, path: string) => number | undefined } = {}) {
  const requests: {
    method: string;
    path: string;
    body: Record<string, unknown> | undefined;
    auth: string;
  }[] = [];
  const comments: { id: number; body: string }[] = [{ id: 1, body: 'Looks good to me' }];
  const deployments: { id: number; environment: string; statuses: string[] }[] = [];
  let seq = 100;
  const fetchFake = (async (url: string | URL, init?: RequestInit) => {
    const u = new URL(String(url));
    const method = init?.method ?? 'GET';
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    requests.push({
      method,
      path: u.pathname + u.search,
      body,
      auth: new Headers(init?.headers).get('authorization') ?? '',
    });
    const status = options.status?.(method, u.pathname);
    if (status)
      return new Response(JSON.stringify({ message: 'Resource not accessible by integration' }), { status });
    const json = (value: unknown, s = 200) => new Response(JSON.stringify(value), { status: s });
    let m: RegExpExecArray | null;
    if (/\/issues\/\d+\/comments$/.test(u.pathname)) {
      if (method === 'GET') return json(comments);
      const c = { id: seq++, body: String(body?.body) };
      comments.push(c);
      return json(c, 201);
    }
    if ((m = /\/issues\/comments\/(\d+)$/.exec(u.pathname))) {
      const c = comments.find((x) => x.id === Number(m![1]))!;
      c.body = String(body?.body);
      return json(c);
    }
    if ((m = /\/deployments\/(\d+)\/statuses$/.exec(u.pathname))) {
      deployments.find((d) => d.id === Number(m![1]))!.statuses.push(String(body?.state));
      return json({}, 201);
    }
    if (u.pathname.endsWith('/deployments')) {
      if (method === 'GET')
        return json(deployments.filter((d) => d.environment === u.searchParams.get('environment')));
      const d = { id: seq++, environment: String(body?.environment), statuses: [] };
      deployments.push(d);
      return json(d, 201);
    }
    return json({ message: 'Not Found' }, 404);
  }) as typeof fetch;
  const api: GithubApi = {
    baseUrl: 'http://127.0.0.1:1/api/v3',
    token: 'ghs_test',
    repository: 'acme/shop',
    fetch: fetchFake,
  };
  return { api, requests, comments, deployments };
}

const facts = {
  pr: 42,
  service: 'web-pr-42',
  runUrl: 'https://github.com/acme/shop/actions/runs/1',
  commit: 'abcdef1234567890',
};

describe('commentBody', () => {
  it.each([
    [
      { ...facts, state: 'deploying' as const, url: 'https://pr-42.x.com' },
      ['⏳ Deploying the preview (PR #42)', '| URL | https://pr-42.x.com |', '| Commit | abcdef1 |'],
    ],
    [
      { ...facts, state: 'ready' as const, url: 'https://pr-42.x.com', result: 'completed' },
      ['✅ Preview ready', '| Rollout | completed |'],
    ],
    [
      { ...facts, state: 'failed' as const, result: 'failed: a | b' },
      ['❌ Preview deploy failed', '| Rollout | failed: a \\| b |'],
    ],
    [
      { ...facts, state: 'removed' as const, url: 'https://pr-42.x.com' },
      ['🧹 Preview removed', '| Service | `web-pr-42` |'],
    ],
    [
      { ...facts, state: 'ready' as const, service: 'shop-pr-42', label: 'Namespace' },
      ['| Namespace | `shop-pr-42` |'],
    ],
  ])('%j', (f, lines) => {
    const body = commentBody(f);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    for (const line of lines) expect(body).toContain(line);
    if (f.state === 'removed') expect(body).not.toContain('| URL |');
  });
});

describe('the sticky PR comment', () => {
  it('is created once, then edited, with the token and the GHES base path', async () => {
    const gh = fakeGithub();
    const log = new RecordingLog();
    await upsertComment(gh.api, log, { ...facts, state: 'deploying' });
    await upsertComment(gh.api, log, { ...facts, state: 'ready', result: 'completed' });
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[1]!.body).toContain('✅ Preview ready');
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v3/repos/acme/shop/issues/42/comments?per_page=100&page=1',
      'POST /api/v3/repos/acme/shop/issues/42/comments',
      'GET /api/v3/repos/acme/shop/issues/42/comments?per_page=100&page=1',
      `PATCH /api/v3/repos/acme/shop/issues/comments/${gh.comments[1]!.id}`,
    ]);
    expect(new Set(gh.requests.map((r) => r.auth))).toEqual(new Set(['Bearer ghs_test']));
    expect(log.lines).toEqual([]);
  });

  it('without pull-requests: write, warns naming the permission and does not throw', async () => {
    const gh = fakeGithub({ status: (method) => (method === 'POST' ? 403 : undefined) });
    const log = new RecordingLog();
    await upsertComment(gh.api, log, { ...facts, state: 'deploying' });
    expect(log.text()).toMatch(
      /^warning: Could not update the PR comment on GitHub: POST .*403 Resource not accessible by integration\. Give the job `permissions: \{ pull-requests: write \}`/,
    );
  });
});

describe('the GitHub deployment', () => {
  it('goes in_progress → success with the URL, and inactive after the teardown', async () => {
    const gh = fakeGithub();
    const log = new RecordingLog();
    const id = await startDeployment(gh.api, log, { pr: 42, commit: 'abc', runUrl: facts.runUrl });
    expect(id).toBeDefined();
    await finishDeployment(gh.api, log, id!, {
      success: true,
      url: 'https://pr-42.x.com',
      runUrl: facts.runUrl,
    });
    await deactivateDeployments(gh.api, log, 42, facts.runUrl);
    expect(gh.deployments).toEqual([
      { id, environment: 'pr-42', statuses: ['in_progress', 'success', 'inactive'] },
    ]);
    const created = gh.requests.find((r) => r.method === 'POST' && r.path.endsWith('/deployments'))!.body;
    expect(created).toMatchObject({
      ref: 'abc',
      environment: 'pr-42',
      transient_environment: true,
      required_contexts: [],
    });
    const success = gh.requests.find((r) => r.body?.state === 'success')!.body;
    expect(success).toMatchObject({ environment_url: 'https://pr-42.x.com', log_url: facts.runUrl });
    expect(log.lines).toEqual([]);
  });

  it('without deployments: write, warns naming it and reports no deployment', async () => {
    const gh = fakeGithub({ status: (_m, path) => (path.endsWith('/deployments') ? 403 : undefined) });
    const log = new RecordingLog();
    expect(
      await startDeployment(gh.api, log, { pr: 42, commit: 'abc', runUrl: facts.runUrl }),
    ).toBeUndefined();
    expect(log.text()).toContain('`permissions: { deployments: write }`');
  });
});
