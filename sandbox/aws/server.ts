// The sandbox AWS endpoint: one HTTP server for every fake service. It recognises the wire protocol
// (awsJson by X-Amz-Target, awsQuery by Action, restJson1 by route), verifies SigV4, applies scripted faults,
// logs the call and serialises the answer or the error as the real protocol does.
import { randomUUID } from 'node:crypto';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AwsError,
  toJsonWire,
  xmlEscape,
  type CallContext,
  type Handler,
  type JsonService,
  type QueryService,
  type RestJsonRoute,
  type RestJsonService,
  type ServiceDefinition,
} from './protocol.ts';
import { FaultBook, faultError, sanitize, type FaultRule } from './faults.ts';
import { verifySigV4, type AuthFailure } from './sigv4.ts';
import { recordTrailEvent } from './cloudtrail.ts';
import type { World } from '../world.ts';

export interface AwsServerOptions {
  world: World;
  services: ServiceDefinition[];
  faults?: FaultBook;
}

interface Resolved {
  service: ServiceDefinition;
  operation: string;
  handler: Handler | undefined;
  input: () => unknown;
  successStatus: number;
  /** Smithy RPC v2 CBOR instead of the service's JSON protocol. */
  cbor?: boolean;
}

/** Dates become CBOR tag 1 (epoch seconds), as Smithy RPC v2 CBOR encodes timestamps. */
function toCborValue(value: unknown): unknown {
  if (value instanceof Date) return dateToTag(value);
  if (Array.isArray(value)) return value.map(toCborValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toCborValue(v)]),
    );
  }
  return value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

function routeRegex(path: string): RegExp {
  const pattern = path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) return `(?<${greedy[1]}>.+)`;
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) return `(?<${param[1]}>[^/]+)`;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${pattern}$`);
}

/** How each protocol reports a failed signature check (see README: "Signature checks"). */
function authError(failure: AuthFailure, protocol: ServiceDefinition['protocol']): AwsError {
  const query = protocol === 'query';
  switch (failure.kind) {
    case 'missing':
      return query
        ? new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
        : new AwsError('MissingAuthenticationTokenException', failure.message, 403);
    case 'incomplete':
      return new AwsError(
        query ? 'IncompleteSignature' : 'IncompleteSignatureException',
        failure.message,
        400,
      );
    case 'unknown-key':
      return query
        ? new AwsError('InvalidClientTokenId', failure.message, 403)
        : new AwsError('UnrecognizedClientException', failure.message, 400);
    case 'bad-signature':
    case 'expired':
    case 'not-yet-valid':
    case 'wrong-service':
      return query
        ? new AwsError('SignatureDoesNotMatch', failure.message, 403)
        : new AwsError('InvalidSignatureException', failure.message, 400);
  }
}

export function createAwsServer(opts: AwsServerOptions): { server: Server; faults: FaultBook } {
  const { world } = opts;
  const faults = opts.faults ?? new FaultBook();
  const jsonByPrefix = new Map<string, JsonService>();
  const cborByName = new Map<string, JsonService>();
  const queryBySigningName = new Map<string, QueryService>();
  const restRoutes: { service: RestJsonService; route: RestJsonRoute; regex: RegExp }[] = [];
  for (const s of opts.services) {
    if (s.protocol === 'json') {
      jsonByPrefix.set(s.targetPrefix, s);
      for (const alias of s.targetAliases ?? []) jsonByPrefix.set(alias, s);
      if (s.cborServiceName) cborByName.set(s.cborServiceName, s);
    } else if (s.protocol === 'query') queryBySigningName.set(s.signingName, s);
    else for (const route of s.routes) restRoutes.push({ service: s, route, regex: routeRegex(route.path) });
  }

  function resolve(req: IncomingMessage, url: URL, body: Buffer): Resolved | AwsError {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const dot = target.lastIndexOf('.');
      const service = jsonByPrefix.get(target.slice(0, dot));
      const operation = target.slice(dot + 1);
      if (!service)
        return new AwsError('UnknownOperationException', `Unknown target prefix in ${target}`, 400);
      return {
        service,
        operation,
        handler: service.operations[operation],
        input: () => (body.length === 0 ? {} : JSON.parse(body.toString('utf8'))),
        successStatus: 200,
      };
    }
    const rpc = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(url.pathname);
    if (rpc && req.method === 'POST' && req.headers['smithy-protocol'] === 'rpc-v2-cbor') {
      const service = cborByName.get(rpc[1]!);
      if (!service) return new AwsError('UnknownOperationException', `Unknown service ${rpc[1]!}`, 404);
      const operation = rpc[2]!;
      return {
        service,
        operation,
        handler: service.operations[operation],
        input: () => (body.length === 0 ? {} : cbor.deserialize(new Uint8Array(body))),
        successStatus: 200,
        cbor: true,
      };
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const form = {
      ...Object.fromEntries(url.searchParams),
      ...(contentType.startsWith('application/x-www-form-urlencoded')
        ? parseForm(body.toString('utf8'))
        : {}),
    };
    if (typeof form.Action === 'string') {
      const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
      const credential = (url.searchParams.get('X-Amz-Credential') ?? '').split('/')[3];
      const service =
        queryBySigningName.get(scope?.[1] ?? credential ?? 'sts') ?? queryBySigningName.get('sts');
      if (!service) return new AwsError('InvalidAction', `Could not find operation ${form.Action}`, 400);
      const params = Object.fromEntries(Object.entries(form).filter(([k]) => !k.startsWith('X-Amz-')));
      return {
        service,
        operation: form.Action,
        handler: service.operations[form.Action],
        input: () => params,
        successStatus: 200,
      };
    }
    for (const { service, route, regex } of restRoutes) {
      if (route.method !== req.method) continue;
      const m = regex.exec(url.pathname);
      if (!m) continue;
      const pathParams = Object.fromEntries(
        Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]),
      );
      return {
        service,
        operation: route.operation,
        handler: route.handler,
        input: () => ({
          ...Object.fromEntries(url.searchParams),
          ...(body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as object)),
          ...pathParams,
        }),
        successStatus: route.successStatus ?? 200,
      };
    }
    return new AwsError(
      'UnknownOperationException',
      `No operation matches ${req.method} ${url.pathname}`,
      404,
    );
  }

  function sendError(
    res: ServerResponse,
    protocol: ServiceDefinition['protocol'] | undefined,
    err: AwsError,
    requestId: string,
    xmlns?: string,
    json?: { service?: JsonService; cbor?: boolean },
  ): void {
    const compat = json?.service?.queryCompatible ? { 'x-amzn-query-error': `${err.type};${err.fault}` } : {};
    if (json?.cbor) {
      res.writeHead(err.httpStatus, {
        'content-type': 'application/cbor',
        'smithy-protocol': 'rpc-v2-cbor',
        'x-amzn-requestid': requestId,
        ...compat,
      });
      res.end(Buffer.from(cbor.serialize({ __type: err.type, message: err.message })));
      return;
    }
    if (protocol === 'query') {
      const xml =
        `<ErrorResponse xmlns="${xmlns ?? 'https://sts.amazonaws.com/doc/2011-06-15/'}">` +
        `<Error><Type>${err.fault}</Type><Code>${xmlEscape(err.type)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`;
      res.writeHead(err.httpStatus, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(xml);
      return;
    }
    res.writeHead(err.httpStatus, {
      'content-type':
        protocol === 'rest-json'
          ? 'application/json'
          : `application/x-amz-json-${json?.service?.jsonVersion ?? '1.1'}`,
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': err.type,
      ...compat,
    });
    res.end(JSON.stringify({ __type: err.type, message: err.message }));
  }

  async function handleAws(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const requestId = randomUUID();
    const started = Date.now();
    const resolved = resolve(req, url, body);
    if (resolved instanceof AwsError) {
      sendError(
        res,
        typeof req.headers['x-amz-target'] === 'string' ? 'json' : undefined,
        resolved,
        requestId,
      );
      return;
    }
    const { service, operation } = resolved;
    const xmlns = service.protocol === 'query' ? service.xmlNamespace : undefined;
    let params: unknown = {};
    let firedKind: FaultRule['kind'] | undefined;
    let signed: { accessKeyId: string; region: string } | undefined;
    const finish = (status: number, errorType?: string, errorMessage?: string) => {
      // CloudTrail's event history: every call whose caller is known (its signature was verified).
      if (signed) {
        const ua = req.headers['user-agent'] ?? req.headers['x-amz-user-agent'];
        recordTrailEvent(world, {
          eventTime: new Date(started),
          eventName: operation,
          eventSource: `${service.signingName}.amazonaws.com`,
          signingName: service.signingName,
          region: signed.region,
          accessKeyId: signed.accessKeyId,
          userAgent: Array.isArray(ua) ? ua.join(' ') : (ua ?? ''),
          sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          requestId,
          requestParameters: params,
          ...(errorType ? { errorCode: errorType, errorMessage: errorMessage ?? '' } : {}),
        });
      }
      faults.log({
        time: new Date(started).toISOString(),
        service: service.name,
        operation,
        status,
        ...(errorType ? { errorType } : {}),
        durationMs: Date.now() - started,
        params: sanitize(params),
        ...(firedKind ? { fault: firedKind } : {}),
      });
    };
    try {
      try {
        params = resolved.input();
      } catch {
        throw new AwsError('SerializationException', 'Request body is not valid JSON', 400);
      }
      const auth = verifySigV4(
        { method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers: req.headers, body },
        { credentials: [world.config.credentials], expectedService: service.signingName },
      );
      if (!auth.ok) throw authError(auth, service.protocol);
      signed = { accessKeyId: auth.accessKeyId, region: auth.region };
      if (!resolved.handler) {
        throw service.protocol === 'query'
          ? new AwsError('InvalidAction', `Could not find operation ${operation} for version 2011-06-15`, 400)
          : new AwsError('UnknownOperationException', `Unknown operation ${operation}`, 400);
      }
      const fired = faults.match(service.name, operation);
      for (const rule of fired) {
        firedKind = rule.kind;
        if (rule.kind === 'latency') await sleep(rule.latencyMs ?? 0);
      }
      for (const rule of fired) {
        const err = faultError(rule, service.protocol);
        if (err) {
          firedKind = rule.kind;
          throw err;
        }
      }
      const ctx: CallContext = {
        service: service.name,
        operation,
        requestId,
        accountId: world.config.accountId,
        region: auth.region,
        accessKeyId: auth.accessKeyId,
        now: () => new Date(),
        world,
      };
      const output = await resolved.handler(params, ctx);
      if (resolved.cbor) {
        res.writeHead(200, {
          'content-type': 'application/cbor',
          'smithy-protocol': 'rpc-v2-cbor',
          'x-amzn-requestid': requestId,
        });
        res.end(Buffer.from(cbor.serialize(toCborValue(output ?? {}))));
      } else if (service.protocol === 'query') {
        const xml =
          `<${operation}Response xmlns="${service.xmlNamespace}"><${operation}Result>${String(output ?? '')}</${operation}Result>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
        res.end(xml);
      } else {
        res.writeHead(resolved.successStatus, {
          'content-type':
            service.protocol === 'json'
              ? `application/x-amz-json-${service.jsonVersion ?? '1.1'}`
              : 'application/json',
          'x-amzn-requestid': requestId,
        });
        res.end(toJsonWire(output ?? {}));
      }
      finish(resolved.successStatus);
    } catch (e) {
      const err =
        e instanceof AwsError
          ? e
          : new AwsError(
              service.protocol === 'query' ? 'InternalFailure' : 'ServerException',
              `sandbox handler failed: ${e instanceof Error ? e.message : String(e)}`,
              500,
            );
      if (!(e instanceof AwsError)) console.error(`[sandbox] ${service.name}.${operation}:`, e);
      sendError(res, service.protocol, err, requestId, xmlns, {
        ...(service.protocol === 'json' ? { service } : {}),
        ...(resolved.cbor ? { cbor: true } : {}),
      });
      finish(err.httpStatus, err.type, err.message);
    }
  }

  function sendJson(res: ServerResponse, status: number, value: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  }

  async function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void> {
    const path = url.pathname.replace(/^\/_sandbox/, '');
    const method = req.method ?? 'GET';
    if (path === '/health' && method === 'GET') {
      return sendJson(res, 200, {
        ok: true,
        accountId: world.config.accountId,
        registryHost: world.registryHost,
      });
    }
    if (path === '/faults') {
      if (method === 'GET') return sendJson(res, 200, { faults: faults.list() });
      if (method === 'DELETE') {
        faults.clear();
        return sendJson(res, 200, { ok: true });
      }
      if (method === 'POST') {
        try {
          const parsed = JSON.parse(body.toString('utf8')) as FaultRule | FaultRule[];
          const ids = (Array.isArray(parsed) ? parsed : [parsed]).map((r) =>
            faults.add({ ...r, service: r.service ?? '*', operation: r.operation ?? '*' }),
          );
          return sendJson(res, 200, { ids });
        } catch (e) {
          return sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) });
        }
      }
    }
    if (path === '/calls') {
      if (method === 'GET') {
        const service = url.searchParams.get('service');
        const operation = url.searchParams.get('operation');
        const since = Number(url.searchParams.get('since') ?? '0');
        return sendJson(res, 200, {
          calls: faults.calls.filter(
            (c) =>
              (!service || c.service === service) &&
              (!operation || c.operation === operation) &&
              c.seq > since,
          ),
        });
      }
      if (method === 'DELETE') {
        faults.clearCalls();
        return sendJson(res, 200, { ok: true });
      }
    }
    if (path === '/ecr/expire-authorization-tokens' && method === 'POST') {
      const past = new Date(Date.now() - 1000);
      for (const key of world.passwords.keys()) world.passwords.set(key, past);
      return sendJson(res, 200, { expired: world.passwords.size });
    }
    if (path === '/ecr/repositories' && method === 'GET') {
      return sendJson(res, 200, { repositories: [...world.repositories.keys()] });
    }
    const contributed = world.controlRoutes.get(path.split('/')[1] ?? '');
    if (contributed) {
      const answer = await contributed(method, path, url, body);
      return sendJson(res, answer.status, answer.body);
    }
    return sendJson(res, 404, { error: `unknown control route ${method} ${url.pathname}` });
  }

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const body = await readBody(req);
        if (url.pathname.startsWith('/_sandbox/')) await handleControl(req, res, url, body);
        else await handleAws(req, res, url, body);
      } catch (e) {
        console.error('[sandbox] aws server:', e);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    })();
  });
  return { server, faults };
}
