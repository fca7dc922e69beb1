// The HTTPS front end of a sandbox cluster: Kubernetes REST paths (/api/v1, /apis/<group>/<version>),
// discovery, authentication (EKS tokens), RBAC, LIST/WATCH with selectors and resourceVersion, CREATE, PUT,
// PATCH, DELETE, pod logs, SelfSubjectAccessReview/SelfSubjectReview, and scripted faults (5xx, latency).
// https://kubernetes.io/docs/reference/using-api/api-concepts/
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
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
  conflict,
  findResource,
  notFound,
  type Json,
  type KObject,
  type ResourceType,
} from './model.ts';
import { v2Json, v2Protobuf, v3Document, v3Index } from './openapi.ts';
import { PatchFailure, jsonPatch, mergePatch, strategicMergePatch } from './patch.ts';
import { STATUS_SUBRESOURCE } from './cluster.ts';
import { serverSideApply, type Writer } from './server-side-apply.ts';
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
  if (e.status.code === 504 || e.status.code === 429) res.setHeader('retry-after', '1');
  send(res, e.status.code, e.status);
}

function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
}

/**
 * The body of a create, update or review: JSON or YAML, as the API server accepts them. Protobuf (which
 * kubectl sends for built-in kinds where it can) is not served here: 415 with the Status the API server
 * sends for a media type it does not serve, which client-go answers by retrying in JSON.
 */
export function decodeBody(type: string, body: Buffer): Json {
  const text = body.toString('utf8');
  if (type === '' || type === 'application/json') {
    try {
      return JSON.parse(text || '{}') as Json;
    } catch (e) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
    }
  }
  if (type === 'application/yaml') {
    try {
      return (parseYaml(text) as Json) ?? {};
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
    }
  }
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
  );
}

/** A PATCH body applied by its media type (strategic merge only where the kind is served with it). */
function applyPatch(
  type: string,
  body: Buffer,
  current: Json,
  strategic = true,
): { patch: Json; next: Json } {
  let patch: Json;
  try {
    patch = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw badRequest(`error decoding patch: ${String(e)}`);
  }
  try {
    if (type === 'application/json-patch+json') return { patch, next: jsonPatch(current, patch) };
    if (type === 'application/merge-patch+json') return { patch, next: mergePatch(current, patch) };
    if (type === 'application/strategic-merge-patch+json' && strategic)
      return { patch, next: strategicMergePatch(current, patch) };
    throw unsupportedMediaType(type);
  } catch (e) {
    if (e instanceof PatchFailure) throw new ApiError(422, 'Invalid', e.message);
    throw e;
  }
}

/** `dryRun=All` or nothing; any other value is refused as the API server refuses it. */
function dryRunOf(url: URL): boolean {
  const values = url.searchParams.getAll('dryRun');
  for (const v of values)
    if (v !== 'All') throw new ApiError(400, 'BadRequest', `Invalid dry run value: ${v}; supported: All`);
  return values.length > 0;
}

const SHORT_NAMES: Record<string, string[]> = {
  namespaces: ['ns'],
  services: ['svc'],
  configmaps: ['cm'],
  serviceaccounts: ['sa'],
  nodes: ['no'],
  ingresses: ['ing'],
  horizontalpodautoscalers: ['hpa'],
  cronjobs: ['cj'],
  pods: ['po'],
  events: ['ev'],
  deployments: ['deploy'],
  replicasets: ['rs'],
  statefulsets: ['sts'],
  daemonsets: ['ds'],
};
const IN_ALL = new Set([
  'pods',
  'services',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'horizontalpodautoscalers',
  'jobs',
  'cronjobs',
]);
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

/** The Scale (autoscaling/v1) view of a scalable workload: its `/scale` subresource. */
function scaleOf(o: KObject): Json {
  const labels = o.spec?.selector?.matchLabels ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 1 },
    status: {
      replicas: o.status?.replicas ?? 0,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(','),
    },
  };
}

interface ContinueToken {
  rv: number;
  after: string;
}

function keyOf(o: KObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
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

const APPLY = 'application/apply-patch+yaml';

/**
 * The field manager of a write: `fieldManager` (at most 128 printable characters; required for an apply),
 * else the User-Agent's program name, as the API server derives it. `force` is for apply patches only.
 */
function writerOf(req: IncomingMessage, url: URL, apply: boolean, subresource?: string): Writer {
  const given = url.searchParams.get('fieldManager');
  const invalidOptions = (field: string, detail: string) =>
    new ApiError(422, 'Invalid', `PatchOptions.meta.k8s.io "" is invalid: ${field}: ${detail}`, {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: detail, field }],
    });
  if (apply && !given) throw invalidOptions('fieldManager', 'Required value: is required for apply patch');
  if (!apply && url.searchParams.has('force'))
    throw invalidOptions('force', 'Forbidden: may not be specified for non-apply patch');
  if (given && (given.length > 128 || !/^[\x20-\x7e]+$/.test(given)))
    throw new ApiError(
      400,
      'BadRequest',
      `fieldManager: Invalid value: "${given}": must be at most 128 printable characters`,
    );
  const agent = String(req.headers['user-agent'] ?? '')
    .split('/')[0]!
    .trim();
  return { manager: given || agent || 'unknown', ...(subresource ? { subresource } : {}) };
}

function decodeApplyBody(body: Buffer): Json {
  try {
    const v = parseYaml(body.toString('utf8')) as Json;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
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
    if (url.pathname === '/openapi/v2' || url.pathname.startsWith('/openapi/v3')) {
      if (user !== ANONYMOUS) return this.openapi(req, res, url);
    }
    if (user === ANONYMOUS && !parseTarget(segments)) {
      throw new ApiError(
        403,
        'Forbidden',
        `forbidden: User "system:anonymous" cannot ${method.toLowerCase()} path "${url.pathname}"`,
      );
    }
    const disc = this.discovery(method, segments);
    if (disc) return send(res, 200, disc);

    if (method === 'POST' && url.pathname === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      const review = decodeBody(mediaType(req), body);
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
      decodeBody(mediaType(req), body);
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
    if (
      subresource &&
      !(subresource === 'log' && r.kind === 'Pod') &&
      !(subresource === 'scale' && SCALABLE.has(r.kind)) &&
      subresource !== 'status'
    ) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const store = this.cluster.store;
    const dryRun = method === 'GET' ? false : dryRunOf(url);
    if (subresource === 'scale') return this.scale(req, res, url, r, namespace, name!, verb, body, dryRun);
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
        let input = decodeBody(mediaType(req), body) as KObject;
        if (r.group === 'events.k8s.io') input = fromEventsV1(input);
        const created = this.cluster.create(r, namespace, input, dryRun, writerOf(req, url, false));
        return send(res, 201, outward(r, created));
      }
      case 'update': {
        let input = decodeBody(mediaType(req), body) as KObject;
        if (r.group === 'events.k8s.io') input = fromEventsV1(input);
        return send(
          res,
          200,
          outward(
            r,
            this.cluster.update(
              r,
              namespace,
              name!,
              input,
              subresource,
              dryRun,
              writerOf(req, url, false, subresource),
            ),
          ),
        );
      }
      case 'patch': {
        if (mediaType(req) === APPLY) return this.apply(req, res, url, target, body, dryRun);
        const old = store.get(r.storage, namespace, name!);
        if (!old) throw notFound(r, name!);
        const applied = applyPatch(mediaType(req), body, outward(r, old), r.group !== 'events.k8s.io');
        const patch = applied.patch;
        let next = applied.next;
        if (r.group === 'events.k8s.io') next = fromEventsV1(next);
        // A patch carries no precondition unless it names a resourceVersion.
        if (patch?.metadata?.resourceVersion === undefined && next.metadata)
          next.metadata.resourceVersion = old.metadata.resourceVersion;
        return send(
          res,
          200,
          outward(
            r,
            this.cluster.update(
              r,
              namespace,
              name!,
              next,
              subresource,
              dryRun,
              writerOf(req, url, false, subresource),
            ),
          ),
        );
      }
      case 'delete': {
        const deleted = this.cluster.delete(r, namespace, name!, dryRun);
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

  /**
   * A server-side apply (`PATCH` with `application/apply-patch+yaml`): creates the object when it is absent,
   * else merges the configuration as `fieldManager`, with conflicts unless `force=true`.
   */
  private apply(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    target: Target,
    body: Buffer,
    dryRun: boolean,
  ): void {
    const { r, namespace, name, subresource } = target;
    if (subresource || r.group === 'events.k8s.io') throw unsupportedMediaType(APPLY);
    const writer = writerOf(req, url, true);
    const force = ['true', '1'].includes(url.searchParams.get('force') ?? '');
    const config = decodeApplyBody(body);
    const want = apiVersionOf(r);
    if (!config.apiVersion || !config.kind)
      throw badRequest(`Object 'Kind' is missing in '${body.toString('utf8').slice(0, 200)}'`);
    if (config.apiVersion !== want || config.kind !== r.kind)
      throw badRequest(
        `the API version in the data (${String(config.apiVersion)}) does not match the expected API version (${want})`,
      );
    if (config.metadata?.name !== undefined && config.metadata.name !== name)
      throw badRequest(
        `the name of the object (${String(config.metadata.name)}) does not match the name on the URL (${name})`,
      );
    if (r.namespaced && config.metadata?.namespace !== undefined && config.metadata.namespace !== namespace)
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    const live = this.cluster.store.get(r.storage, namespace, name!);
    const result = serverSideApply({
      live,
      config: { ...config, metadata: { ...(config.metadata ?? {}), name } },
      manager: writer.manager,
      force,
      apiVersion: want,
      statusSubresource: STATUS_SUBRESOURCE.has(r.storage),
    });
    const w: Writer = { ...writer, managedFields: result.managedFields };
    if (!live) {
      const created = this.cluster.create(r, namespace, result.object, dryRun, w);
      return send(res, 201, created);
    }
    const next = result.object;
    if (config.metadata?.resourceVersion === undefined)
      next.metadata = { ...next.metadata, resourceVersion: live.metadata.resourceVersion };
    return send(res, 200, this.cluster.update(r, namespace, name!, next, undefined, dryRun, w));
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
      const all = [...groups, 'authentication.k8s.io', 'authorization.k8s.io'];
      const versionsOf = (g: string) => {
        const vs = [...new Set(RESOURCES.filter((r) => r.group === g).map((r) => r.version))];
        return vs.length ? vs : ['v1'];
      };
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: all.map((g) => ({
          name: g,
          versions: versionsOf(g).map((v) => ({ groupVersion: `${g}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${g}/${versionsOf(g)[0]}`, version: versionsOf(g)[0] },
        })),
      };
    }
    const gv = path === 'api/v1' ? 'v1' : /^apis\/[^/]+\/[^/]+$/.test(path) ? path.slice(5) : undefined;
    if (!gv) return undefined;
    const reviews: Record<string, Json> = {
      'authentication.k8s.io/v1': { name: 'selfsubjectreviews', kind: 'SelfSubjectReview' },
      'authorization.k8s.io/v1': { name: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
    };
    if (reviews[gv]) {
      const rv = reviews[gv];
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gv,
        resources: [{ ...rv, singularName: rv.kind.toLowerCase(), namespaced: false, verbs: ['create'] }],
      };
    }
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
        ...(SHORT_NAMES[r.plural] ? { shortNames: SHORT_NAMES[r.plural] } : {}),
        ...(IN_ALL.has(r.plural) ? { categories: ['all'] } : {}),
      });
      if (SCALABLE.has(r.kind))
        resources.push({
          name: `${r.plural}/scale`,
          singularName: '',
          namespaced: true,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
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

  private async listOrWatch(
    res: ServerResponse,
    r: ResourceType,
    namespace: string | undefined,
    url: URL,
    watch: boolean,
  ): Promise<void> {
    const store = this.cluster.store;
    const sel = this.selectors(r, url);
    if (!watch) {
      // `limit`/`continue` (chunked lists, as kubectl get asks for them): items in key order, a continue
      // token naming the last key returned and the list's resourceVersion. Unlike etcd, later pages are read
      // from the current state, not a snapshot at that resourceVersion.
      const limit = Number(url.searchParams.get('limit') ?? 0);
      const token = url.searchParams.get('continue');
      let from: ContinueToken | undefined;
      if (token) {
        try {
          from = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
          if (typeof from.rv !== 'number' || typeof from.after !== 'string') throw new Error('shape');
        } catch {
          throw badRequest('continue key is not valid: the continue token is malformed');
        }
        if (from.rv <= store.oldestResumable)
          throw new ApiError(
            410,
            'Expired',
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          );
      }
      let items = store
        .list(r.storage, namespace)
        .filter((o) => this.matches(r, o, namespace, sel))
        .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
      if (from) items = items.filter((o) => keyOf(o) > from.after);
      const rv = from?.rv ?? store.resourceVersion;
      const metadata: Json = { resourceVersion: String(rv) };
      if (Number.isInteger(limit) && limit > 0 && items.length > limit) {
        metadata.remainingItemCount = items.length - limit;
        items = items.slice(0, limit);
        const next: ContinueToken = { rv, after: keyOf(items[items.length - 1]!) };
        metadata.continue = Buffer.from(JSON.stringify(next)).toString('base64url');
      }
      return send(res, 200, {
        kind: `${r.kind}List`,
        apiVersion: apiVersionOf(r),
        metadata,
        items: items.map((o) => outward(r, o)),
      });
    }
    const rvParam = url.searchParams.get('resourceVersion');
    if (rvParam && /^\d+$/.test(rvParam) && Number(rvParam) > store.resourceVersion) {
      // A watch from a resourceVersion the store has not reached: the API server waits up to 3 s for it,
      // then answers 504 "Too large resource version".
      const wanted = Number(rvParam);
      const deadline = Date.now() + 3000;
      while (store.resourceVersion < wanted && Date.now() < deadline) await sleep(50);
      if (store.resourceVersion < wanted)
        throw new ApiError(
          504,
          'Timeout',
          `Timeout: Too large resource version: ${wanted}, current: ${store.resourceVersion}`,
          { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] },
        );
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

  /** `/openapi/v2` (gnostic protobuf, or JSON when asked for) and `/openapi/v3[/<group-version>]`. */
  private openapi(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (url.pathname === '/openapi/v2') {
      const accept = String(req.headers.accept ?? '');
      if (accept.includes('protobuf')) {
        res.writeHead(200, {
          'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
          'cache-control': 'no-cache, private',
        });
        res.end(v2Protobuf());
        return;
      }
      return send(res, 200, v2Json());
    }
    const rest = url.pathname.slice('/openapi/v3'.length).replace(/^\//, '');
    const doc = rest ? v3Document(rest) : v3Index();
    if (!doc) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    return send(res, 200, doc);
  }

  /** The `/scale` subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and StatefulSets. */
  private scale(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    verb: string,
    body: Buffer,
    dryRun: boolean,
  ): void {
    const o = this.cluster.store.get(r.storage, namespace, name);
    if (!o) throw notFound(r, name);
    const current = scaleOf(o);
    if (verb === 'get') return send(res, 200, current);
    let next: Json;
    if (verb === 'update') next = decodeBody(mediaType(req), body);
    else if (verb === 'patch') next = applyPatch(mediaType(req), body, current).next;
    else
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
    const rv = next?.metadata?.resourceVersion;
    if (verb === 'update' && rv && rv !== o.metadata.resourceVersion) throw conflict(r, name);
    const replicas = next?.spec?.replicas;
    if (!Number.isInteger(replicas) || replicas < 0) {
      throw new ApiError(
        422,
        'Invalid',
        `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
        { name, group: 'autoscaling', kind: 'Scale' },
      );
    }
    const updated = clone(o);
    updated.spec = { ...updated.spec, replicas };
    const stored = this.cluster.update(r, namespace, name, updated, 'scale', dryRun, {
      ...writerOf(req, url, false),
      subresource: 'scale',
    });
    return send(res, 200, scaleOf(stored));
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
