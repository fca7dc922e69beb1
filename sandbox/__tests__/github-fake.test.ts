// The GitHub API fake answers as GitHub's REST docs say: token check, 403 with the accepted permissions,
// pages with a Link header, PR state scripted over the control route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GithubFake } from '../github/fake.ts';

const TOKEN = 'ghs_fake0123456789';
const fake = new GithubFake(TOKEN, 'o/r');
let url: string;
beforeAll(async () => {
  url = await fake.start();
});
afterAll(() => fake.stop());

const call = (path: string, init: RequestInit = {}, token = TOKEN) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });

describe('the sandbox GitHub API fake', () => {
  it('answers 401 Bad credentials to another token, and records nothing', async () => {
    const before = fake.requests.length;
    const res = await call('/repos/o/r/pulls/1', {}, 'ghs_wrong');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toBe('Bad credentials');
    expect(fake.requests.length).toBe(before);
  });

  it('serves the PR state the control route sets, 404 for an unknown PR', async () => {
    expect(
      (await fetch(`${url}/_control/pulls/7`, { method: 'POST', body: '{"state":"closed"}' })).status,
    ).toBe(204);
    expect(await (await call('/repos/o/r/pulls/7')).json()).toEqual({ number: 7, state: 'closed' });
    expect((await call('/repos/o/r/pulls/8')).status).toBe(404);
    const open = (await (await call('/repos/o/r/pulls?state=closed')).json()) as { number: number }[];
    expect(open.map((p) => p.number)).toEqual([7]);
  });

  it('answers 403 with x-accepted-github-permissions when the permission is withheld', async () => {
    await fetch(`${url}/_control/withheld`, { method: 'POST', body: '{"permissions":["pull_requests"]}' });
    const res = await call('/repos/o/r/pulls/7');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-accepted-github-permissions')).toBe('pull_requests=read');
    expect(((await res.json()) as { message: string }).message).toBe(
      'Resource not accessible by integration',
    );
    await fetch(`${url}/_control/withheld`, { method: 'POST', body: '{"permissions":[]}' });
    expect((await call('/repos/o/r/pulls/7')).status).toBe(200);
  });

  it('pages comments 30 by default, with next/last and prev/first links', async () => {
    for (let i = 0; i < 35; i++) {
      await call('/repos/o/r/issues/9/comments', { method: 'POST', body: JSON.stringify({ body: `c${i}` }) });
    }
    const first = await call('/repos/o/r/issues/9/comments');
    expect(((await first.json()) as unknown[]).length).toBe(30);
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(/<[^>]*page=2[^>]*>; rel="next"/);
    expect(link).toMatch(/<[^>]*page=2[^>]*>; rel="last"/);
    const next = /<([^>]*)>; rel="next"/.exec(link)![1]!;
    const second = await fetch(next, { headers: { authorization: `Bearer ${TOKEN}` } });
    const bodies = ((await second.json()) as { body: string }[]).map((c) => c.body);
    expect(bodies).toEqual(['c30', 'c31', 'c32', 'c33', 'c34']);
    expect(second.headers.get('link')).toMatch(/rel="prev".*rel="first"/);
    expect(second.headers.get('link')).not.toMatch(/rel="next"/);
  });
});
