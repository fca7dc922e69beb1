// A GitHub REST API on 127.0.0.1 for the preview's tests: issue comments (list/create/update), deployments
// and their statuses, pulls (list/get, state open/closed). It checks the token (401 "Bad credentials" for
// any other), answers 403 "Resource not accessible by integration" with `x-accepted-github-permissions` when
// a permission is withheld, and pages lists with `per_page`/`page` and a `Link` header as GitHub does.
// Tests script it in process (the methods below) or over HTTP (`POST /_control/...`). It records requests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Permission = 'pull_requests' | 'issues' | 'deployments';
type Level = 'read' | 'write';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
}

export class GithubFake {
  readonly requests: RecordedRequest[] = [];
  readonly comments = new Map<number, { id: number; body: string }[]>();
  readonly deployments: {
    id: number;
    environment: string;
    ref: string;
    statuses: Record<string, unknown>[];
  }[] = [];
  readonly pulls = new Map<number, { number: number; state: 'open' | 'closed' }>();
  /** Permissions the token lacks (`pull_requests` → every pulls and PR-comment call is 403). */
  readonly withheld = new Set<Permission>();
  private seq = 1;
  private server: Server | undefined;
  url = '';

  readonly token: string;
  readonly repository: string;

  constructor(token: string, repository: string) {
    this.token = token;
    this.repository = repository;
  }

  setPull(number: number, state: 'open' | 'closed'): void {
    this.pulls.set(number, { number, state });
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url || 'http://127.0.0.1');
      let body: Record<string, unknown> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON' });
      }
      if (url.pathname.startsWith('/_control/'))
        return this.control(req.method ?? '', url.pathname, body, res);
      if (
        req.headers.authorization !== `Bearer ${this.token}` &&
        req.headers.authorization !== `token ${this.token}`
      )
        return send(res, 401, {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
        });
      this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
      this.route(req.method ?? 'GET', url, body, res);
    });
  }

  private control(method: string, path: string, body: Record<string, unknown>, res: ServerResponse): void {
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/_control\/pulls\/(\d+)$/.exec(path))) {
      this.setPull(Number(m[1]), body.state === 'closed' ? 'closed' : 'open');
      return send(res, 204, undefined);
    }
    if (method === 'POST' && path === '/_control/withheld') {
      this.withheld.clear();
      for (const p of (body.permissions as Permission[] | undefined) ?? []) this.withheld.add(p);
      return send(res, 204, undefined);
    }
    return send(res, 404, { message: 'Not Found' });
  }

  /** 403 as GitHub answers a token without the permission; true when it answered. */
  private refused(permission: Permission, level: Level, res: ServerResponse): boolean {
    if (!this.withheld.has(permission)) return false;
    send(
      res,
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      },
      { 'x-accepted-github-permissions': `${permission}=${level}` },
    );
    return true;
  }

  private route(method: string, url: URL, body: Record<string, unknown>, res: ServerResponse): void {
    const base = `/repos/${this.repository}`;
    const path = url.pathname;
    const write: Level = method === 'GET' ? 'read' : 'write';
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(path))) {
      // PR comments are issue comments; a PR's need pull_requests (or issues) permission.
      if (this.refused('pull_requests', write, res)) return;
      const list = this.comments.get(Number(m[1])) ?? [];
      this.comments.set(Number(m[1]), list);
      if (method === 'GET') return page(res, url, list);
      const c = { id: this.seq++, body: String(body.body) };
      list.push(c);
      return send(res, 201, c);
    }
    if ((m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(path)) && method === 'PATCH') {
      if (this.refused('pull_requests', 'write', res)) return;
      const c = [...this.comments.values()].flat().find((x) => x.id === Number(m![1]));
      if (!c) return send(res, 404, { message: 'Not Found' });
      c.body = String(body.body);
      return send(res, 200, c);
    }
    if ((m = new RegExp(`^${base}/deployments/(\\d+)/statuses$`).exec(path))) {
      if (this.refused('deployments', write, res)) return;
      const d = this.deployments.find((x) => x.id === Number(m![1]));
      if (!d) return send(res, 404, { message: 'Not Found' });
      if (method === 'GET') return page(res, url, d.statuses);
      const status = { id: this.seq++, ...body };
      d.statuses.push(status);
      return send(res, 201, status);
    }
    if (path === `${base}/deployments`) {
      if (this.refused('deployments', write, res)) return;
      if (method === 'GET') {
        const env = url.searchParams.get('environment');
        // Newest first, as GitHub lists them.
        return page(
          res,
          url,
          [...this.deployments].reverse().filter((d) => !env || d.environment === env),
        );
      }
      const d = {
        id: this.seq++,
        environment: String(body.environment),
        ref: String(body.ref),
        statuses: [],
      };
      this.deployments.push(d);
      return send(res, 201, d);
    }
    if (path === `${base}/pulls` && method === 'GET') {
      if (this.refused('pull_requests', 'read', res)) return;
      const state = url.searchParams.get('state') ?? 'open';
      const list = [...this.pulls.values()].filter((p) => state === 'all' || p.state === state);
      return page(res, url, list);
    }
    if ((m = new RegExp(`^${base}/pulls/(\\d+)$`).exec(path)) && method === 'GET') {
      if (this.refused('pull_requests', 'read', res)) return;
      const pull = this.pulls.get(Number(m[1]));
      return pull ? send(res, 200, pull) : send(res, 404, { message: 'Not Found' });
    }
    return send(res, 404, { message: 'Not Found' });
  }
}

function send(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...(value === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  });
  res.end(value === undefined ? undefined : JSON.stringify(value));
}

/** `per_page` (default 30, at most 100) and `page` (from 1), with `Link: <…>; rel="next"` etc. as GitHub does. */
function page(res: ServerResponse, url: URL, items: readonly unknown[]): void {
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page')) || 30, 1), 100);
  const current = Math.max(Number(url.searchParams.get('page')) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const u = new URL(url);
    u.searchParams.set('per_page', String(perPage));
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links = [
    ...(current > 1 ? [link(current - 1, 'prev'), link(1, 'first')] : []),
    ...(current < last ? [link(current + 1, 'next'), link(last, 'last')] : []),
  ];
  send(
    res,
    200,
    items.slice((current - 1) * perPage, current * perPage),
    links.length ? { link: links.join(', ') } : {},
  );
}
