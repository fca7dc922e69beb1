// The HTTPS front end of a sandbox cluster: Kubernetes REST paths (/api/v1, /apis/<group>/<version>),
// discovery, authentication (EKS tokens), RBAC, LIST/WATCH with selectors and resourceVersion, CREATE, PUT,
// PATCH, DELETE, pod logs, SelfSubjectAccessReview/SelfSubjectReview, and scripted faults (5xx, latency).
// https://kubernetes.io/docs/reference/using-api/api-concepts/
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { forbidden, unauthorized, verifyEksToken, type Attributes, type UserInfo } from './auth.ts';
import type { Cluster } from './cluster.ts';
import { unsupportedMediaType } from './defaults.ts';
import { fromEventsV1, toEventsV1 } from './events.ts';
import {
  ApiError,
  RESOURCES,
  apiVersionOf,
  badRequest,
  clone,
  findResource,
  notFound,
  type Json,
  type KObject,
  type ResourceType,
} from './model.ts';
import { PatchFailure, jsonPatch, mergePatch, strategicMergePatch } from './patch.ts';
import {
  SUPPORTED_FIELDS,
  fieldsMatch,
  labelsMatch,
  parseFieldSelector,
  parseLabelSelector,
  type Change,
  type FieldRequirement,
  type LabelRequirement,
} from './store.ts';

const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'], arn: '' };

interface Target {
  r: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  res.end(text);
}

function sendError(res: ServerResponse, e: ApiError): void {
  send(res, e.status.code, e.status);
}

/** Parse `/api/v1/...` or `/apis/<g>/<v>/...` into a resource target. */
function parseTarget(segments: string[]): Target | undefined {
  let group = '';
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    version = segments[1] ?? '';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    group = segments[1] ?? '';
    version = segments[2] ?? '';
    rest = segments.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const r = findResource(group, version ?? '', rest[0] ?? '');
  if (!r) return undefined;
  if (namespace !== undefined && !r.namespaced) return undefined;
  return { r, namespace, name: rest[1], subresource: rest[2] };
}

function outward(r: ResourceType, o: KObject): KObject {
  return r.group === 'events.k8s.io' ? toEventsV1(o) : o;
}

export class ApiServer {
  private readonly cluster: Cluster;
  private readonly server: Server;
  private readonly watches = new Set<ServerResponse>();

  constructor(cluster: Cluster) {
    this.cluster = cluster;
    const { serverCertPem, serverKeyPem, caPem } = cluster.world.config;
    this.server = createServer({ cert: `${serverCertPem}\n${caPem}`, key: serverKeyPem }, (req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        if (e instanceof ApiError) return sendError(res, e);
        console.error(`[sandbox eks ${cluster.name}]`, e);
        if (!res.headersSent)
          sendError(res, new ApiError(500, 'InternalError', `Internal error occurred: ${String(e)}`));
        else res.end();
      });
    });
    cluster.dropWatches = () => {
      const n = this.watches.size;
      for (const w of [...this.watches]) w.destroy();
      this.watches.clear();
      return n;
    };
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        resolve(`https://127.0.0.1:${(this.server.address() as AddressInfo).port}`);
      });
    });
  }

  close(): void {
    this.cluster.dropWatches();
    this.server.close();
    this.server.closeAllConnections();
  }

  private authenticate(req: IncomingMessage): UserInfo {
    const header = req.headers.authorization;
    if (!header) return ANONYMOUS;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m?.[1]) throw unauthorized();
    const { world } = this.cluster;
    const result = verifyEksToken(m[1], {
      clusterName: this.cluster.name,
      credentials: [world.config.credentials],
      accountId: world.config.accountId,
      region: world.config.region,
      sandboxStsHost: `127.0.0.1:${world.config.awsPort}`,
    });
    if (!result.ok) throw unauthorized();
    const entry = this.cluster.accessEntries.get(result.arn);
    if (!entry) throw unauthorized();
    return {
      username: entry.username,
      groups: [...entry.kubernetesGroups, 'system:authenticated'],
      arn: result.arn,
    };
  }

  private authorize(user: UserInfo, a: Attributes): void {
    if (!this.cluster.rbac.allowed(user, a)) throw forbidden(user, a);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const user = this.authenticate(req);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';

    for (const f of this.cluster.matchFaults(method, url.pathname, watch)) {
      if (f.kind === 'latency') await sleep(f.latencyMs ?? 0);
      else {
        const status = f.status ?? 500;
        const reason =
          status === 503
            ? 'ServiceUnavailable'
            : status === 429
              ? 'TooManyRequests'
              : status === 504
                ? 'Timeout'
                : 'InternalError';
        const message =
          status === 429
            ? 'Too many requests, please try again later.'
            : status === 503
              ? 'the server is currently unable to handle the request'
              : 'Internal error occurred: sandbox fault';
        if (status === 429) res.setHeader('retry-after', '1');
        throw new ApiError(status, reason, message);
      }
    }

    // Public info (system:public-info-viewer) and discovery.
    if (method === 'GET' && ['/version', '/healthz', '/readyz', '/livez'].includes(url.pathname)) {
      if (url.pathname !== '/version') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
        return;
      }
      return send(res, 200, {
        major: '1',
        minor: '31',
        gitVersion: 'v1.31.0-eks-sandbox',
        platform: 'linux/amd64',
        goVersion: 'go1.22',
      });
    }
    if (user === ANONYMOUS) {
      throw new ApiError(
        403,
        'Forbidden',
        `forbidden: User "system:anonymous" cannot ${method.toLowerCase()} path "${url.pathname}"`,
      );
    }
    const disc = this.discovery(method, segments);
    if (disc) return send(res, 200, disc);

    if (method === 'POST' && url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      const review = JSON.parse(body.toString('utf8') || '{}') as Json;
      const ra = review.spec?.resourceAttributes ?? {};
      const allowed = this.cluster.rbac.allowed(user, {
        verb: ra.verb ?? '',
        group: ra.group ?? '',
        resource: ra.resource ?? '',
        subresource: ra.subresource || undefined,
        namespace: ra.namespace || undefined,
        name: ra.name || undefined,
      });
      return send(res, 201, {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: { creationTimestamp: null },
        spec: review.spec ?? {},
        status: allowed ? { allowed: true, reason: 'allowed by the sandbox RBAC rules' } : { allowed: false },
      });
    }
    if (method === 'POST' && url.pathname === '/apis/authentication.k8s.io/v1/selfsubjectreviews') {
      return send(res, 201, {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        status: { userInfo: { username: user.username, groups: user.groups, extra: { arn: [user.arn] } } },
      });
    }

    const target = parseTarget(segments);
    if (!target) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const { r, namespace, name, subresource } = target;
    const verb =
      method === 'GET'
        ? name
          ? 'get'
          : watch
            ? 'watch'
            : 'list'
        : method === 'POST'
          ? 'create'
          : method === 'PUT'
            ? 'update'
            : method === 'PATCH'
              ? 'patch'
              : method === 'DELETE'
                ? name
                  ? 'delete'
                  : 'deletecollection'
                : '';
    const isNamespaceItself = r.plural === 'namespaces';
    this.authorize(user, {
      verb,
      group: r.group,
      resource: r.plural,
      subresource,
      namespace: isNamespaceItself ? name : namespace,
      name,
    });
    if (subresource && !(subresource === 'log' && r.kind === 'Pod') && subresource !== 'status') {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const store = this.cluster.store;
    switch (verb) {
      case 'list':
      case 'watch':
        return this.listOrWatch(res, r, namespace, url, watch);
      case 'get': {
        const o = store.get(r.storage, namespace, name!);
        if (!o) throw notFound(r, name!);
        if (subresource === 'log') return this.logs(res, o, url);
        return send(res, 200, outward(r, o));
      }
      case 'create': {
        let input = JSON.parse(body.toString('utf8') || '{}') as KObject;
        if (r.group === 'events.k8s.io') input = fromEventsV1(input);
        const created = this.cluster.create(r, namespace, input);
        return send(res, 201, outward(r, created));
      }
      case 'update': {
        let input = JSON.parse(body.toString('utf8') || '{}') as KObject;
        if (r.group === 'events.k8s.io') input = fromEventsV1(input);
        return send(res, 200, outward(r, this.cluster.update(r, namespace, name!, input, subresource)));
      }
      case 'patch': {
        const old = store.get(r.storage, namespace, name!);
        if (!old) throw notFound(r, name!);
        const type = String(req.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim();
        let patch: Json;
        try {
          patch = JSON.parse(body.toString('utf8'));
        } catch (e) {
          throw badRequest(`error decoding patch: ${String(e)}`);
        }
        const current = outward(r, old);
        let next: Json;
        try {
          if (type === 'application/json-patch+json') next = jsonPatch(current, patch);
          else if (type === 'application/merge-patch+json') next = mergePatch(current, patch);
          else if (type === 'application/strategic-merge-patch+json') {
            if (r.group === 'events.k8s.io') throw unsupportedMediaType(type);
            next = strategicMergePatch(current, patch);
          } else throw unsupportedMediaType(type);
        } catch (e) {
          if (e instanceof PatchFailure) throw new ApiError(422, 'Invalid', e.message);
          throw e;
        }
        if (r.group === 'events.k8s.io') next = fromEventsV1(next);
        // A patch carries no precondition unless it names a resourceVersion.
        if (patch?.metadata?.resourceVersion === undefined && next.metadata)
          next.metadata.resourceVersion = old.metadata.resourceVersion;
        return send(res, 200, outward(r, this.cluster.update(r, namespace, name!, next, subresource)));
      }
      case 'delete': {
        const deleted = this.cluster.delete(r, namespace, name!);
        if (r.kind === 'Pod' || r.kind === 'Namespace') return send(res, 200, outward(r, deleted));
        return send(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: {
            name,
            ...(r.group ? { group: r.group } : {}),
            kind: r.plural,
            uid: deleted.metadata.uid,
          },
        });
      }
      default:
        throw new ApiError(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        );
    }
  }

  private discovery(method: string, segments: string[]): unknown {
    if (method !== 'GET') return undefined;
    const path = segments.join('/');
    const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => r.group))];
    if (path === 'api')
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: this.cluster.endpoint.replace('https://', '') },
        ],
      };
    if (path === 'apis') {
      const all = [...groups, 'authorization.k8s.io', 'authentication.k8s.io'];
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: all.map((g) => ({
          name: g,
          versions: [{ groupVersion: `${g}/v1`, version: 'v1' }],
          preferredVersion: { groupVersion: `${g}/v1`, version: 'v1' },
        })),
      };
    }
    const gv = path === 'api/v1' ? 'v1' : /^apis\/[^/]+\/[^/]+$/.test(path) ? path.slice(5) : undefined;
    if (!gv) return undefined;
    const list = RESOURCES.filter((r) => apiVersionOf(r) === gv);
    if (!list.length) return undefined;
    const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
    const resources: Json[] = [];
    for (const r of list) {
      resources.push({
        name: r.plural,
        singularName: r.kind.toLowerCase(),
        namespaced: r.namespaced,
        kind: r.kind,
        verbs,
      });
      if (r.kind !== 'Event')
        resources.push({
          name: `${r.plural}/status`,
          singularName: '',
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: ['get', 'patch', 'update'],
        });
      if (r.kind === 'Pod')
        resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
  }

  private selectors(r: ResourceType, url: URL): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
    let labels: LabelRequirement[];
    let fields: FieldRequirement[];
    try {
      labels = parseLabelSelector(url.searchParams.get('labelSelector'));
      fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
    } catch (e) {
      throw badRequest(e instanceof Error ? e.message : String(e));
    }
    const key = r.group === 'events.k8s.io' ? 'events.k8s.io/events' : r.plural;
    for (const f of fields) {
      if (!SUPPORTED_FIELDS.common!(f.field) && !(SUPPORTED_FIELDS[key]?.(f.field) ?? false)) {
        throw badRequest(`field label not supported: ${f.field}`);
      }
    }
    return { labels, fields };
  }

  private matches(
    r: ResourceType,
    o: KObject,
    namespace: string | undefined,
    sel: { labels: LabelRequirement[]; fields: FieldRequirement[] },
  ): boolean {
    if (namespace !== undefined && o.metadata.namespace !== namespace) return false;
    return (
      labelsMatch(o.metadata.labels, sel.labels) &&
      fieldsMatch(outward(r, o) as unknown as Record<string, unknown>, sel.fields)
    );
  }

  private listOrWatch(
    res: ServerResponse,
    r: ResourceType,
    namespace: string | undefined,
    url: URL,
    watch: boolean,
  ): void {
    const store = this.cluster.store;
    const sel = this.selectors(r, url);
    if (!watch) {
      const items = store
        .list(r.storage, namespace)
        .filter((o) => this.matches(r, o, namespace, sel))
        .map((o) => outward(r, o));
      return send(res, 200, {
        kind: `${r.kind}List`,
        apiVersion: apiVersionOf(r),
        metadata: { resourceVersion: String(store.resourceVersion) },
        items,
      });
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
      'transfer-encoding': 'chunked',
    });
    this.watches.add(res);
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const rvParam = url.searchParams.get('resourceVersion');
    const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    let lastRv = store.resourceVersion;
    const emit = (c: Change) => {
      if (c.storage !== r.storage || !this.matches(r, c.object, namespace, sel)) return;
      lastRv = c.rv;
      write(c.type, outward(r, clone(c.object)));
    };
    if (!rvParam || rvParam === '0') {
      // "Get state and start at most recent": synthetic ADDED events for what exists now.
      for (const o of store.list(r.storage, namespace))
        if (this.matches(r, o, namespace, sel)) write('ADDED', outward(r, o));
    } else {
      const since = Number(rvParam);
      const replay = Number.isInteger(since) ? store.changesSince(since) : undefined;
      if (!replay) {
        write(
          'ERROR',
          new ApiError(410, 'Expired', `too old resource version: ${rvParam} (${store.oldestResumable + 1})`)
            .status,
        );
        this.watches.delete(res);
        res.end();
        return;
      }
      for (const c of replay) emit(c);
    }
    const unsubscribe = store.subscribe(emit);
    const bookmarkTimer = bookmarks
      ? setInterval(
          () => {
            write('BOOKMARK', {
              kind: r.kind,
              apiVersion: apiVersionOf(r),
              metadata: { resourceVersion: String(Math.max(lastRv, store.resourceVersion)) },
            });
          },
          Math.max(200, 60_000 * this.cluster.timeScale),
        )
      : undefined;
    const timeoutTimer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const cleanup = () => {
      unsubscribe();
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      if (timeoutTimer) clearTimeout(timeoutTimer);
      this.watches.delete(res);
    };
    res.on('close', cleanup);
    res.on('finish', cleanup);
  }

  private async logs(res: ServerResponse, pod: KObject, url: URL): Promise<void> {
    const containers: string[] = (pod.spec?.containers ?? []).map((c: Json) => c.name);
    const inits: string[] = (pod.spec?.initContainers ?? []).map((c: Json) => c.name);
    let container = url.searchParams.get('container') ?? undefined;
    if (!container) {
      if (containers.length !== 1) {
        throw badRequest(
          `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]${inits.length ? ` or one of the init containers: [${inits.join(' ')}]` : ''}`,
        );
      }
      container = containers[0]!;
    }
    if (![...containers, ...inits].includes(container!)) {
      throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
    }
    const previous = url.searchParams.get('previous') === 'true';
    const out = await this.cluster.runtime.logs(
      pod.metadata.namespace!,
      pod.metadata.name,
      container!,
      previous,
    );
    if (!Array.isArray(out)) throw badRequest(out.error);
    const tail = url.searchParams.get('tailLines');
    const lines = tail !== null ? out.slice(Math.max(0, out.length - Number(tail))) : out;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(lines.map((l) => `${l}\n`).join(''));
  }
}
