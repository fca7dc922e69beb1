// Authentication and authorization of the sandbox Kubernetes API server, as EKS does them:
// - Bearer token `k8s-aws-v1.<base64url(presigned STS GetCallerIdentity URL)>` checked like
//   aws-iam-authenticator (pkg/token/token.go: host/path, allowed query parameters, `x-k8s-aws-id` signed,
//   15-minute validity from X-Amz-Date), then verified with the sandbox STS's SigV4 verification (the same
//   code that answers presigned GetCallerIdentity), which yields the caller ARN;
// - the ARN is looked up in the cluster's access entries (username, groups);
// - a small RBAC model: rules (verbs × API groups × resources × namespaces) bound to users or groups.
import { verifySigV4, type Credentials } from '../aws/sigv4.ts';
import { ApiError, qualifiedResource } from './model.ts';

export const TOKEN_PREFIX = 'k8s-aws-v1.';
/** aws-iam-authenticator: tokens are valid 15 minutes after X-Amz-Date, whatever X-Amz-Expires says. */
export const TOKEN_VALIDITY_MS = 15 * 60 * 1000;
const ALLOWED_QUERY = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

export interface TokenCheckOptions {
  clusterName: string;
  credentials: Credentials[];
  accountId: string;
  /** host:port of the sandbox STS endpoint (accepted over http as well as https). */
  sandboxStsHost: string;
  region: string;
  now?: Date;
}

export type TokenResult = { ok: true; arn: string } | { ok: false; reason: string };

function parseAmzDate(v: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

export function verifyEksToken(token: string, opts: TokenCheckOptions): TokenResult {
  if (!token.startsWith(TOKEN_PREFIX))
    return { ok: false, reason: 'token is missing expected "k8s-aws-v1." prefix' };
  const encoded = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return { ok: false, reason: 'illegal base64 data' };
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'input token was not properly formatted' };
  }
  const stsHosts = new Set(['sts.amazonaws.com', `sts.${opts.region}.amazonaws.com`, opts.sandboxStsHost]);
  const httpOk = url.protocol === 'http:' && url.host === opts.sandboxStsHost;
  if (url.protocol !== 'https:' && !httpOk)
    return { ok: false, reason: `unexpected scheme "${url.protocol}"` };
  if (!stsHosts.has(url.host))
    return { ok: false, reason: `unexpected hostname "${url.host}" in pre-signed URL` };
  if (url.pathname !== '/') return { ok: false, reason: 'unexpected path in pre-signed URL' };
  const lower = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    if (!ALLOWED_QUERY.has(k.toLowerCase()))
      return { ok: false, reason: `non-whitelisted query parameter "${k}"` };
    lower.set(k.toLowerCase(), v);
  }
  if (lower.get('action') !== 'GetCallerIdentity')
    return { ok: false, reason: 'unexpected action parameter in pre-signed URL' };
  const signed = (lower.get('x-amz-signedheaders') ?? '').split(';');
  if (!signed.includes('x-k8s-aws-id')) {
    return { ok: false, reason: 'client did not sign the x-k8s-aws-id header in the pre-signed URL' };
  }
  const date = parseAmzDate(lower.get('x-amz-date') ?? '');
  if (!date) return { ok: false, reason: 'error parsing X-Amz-Date parameter' };
  const now = opts.now ?? new Date();
  if (now.getTime() > date.getTime() + TOKEN_VALIDITY_MS) {
    return { ok: false, reason: 'X-Amz-Date parameter is expired (15 minute expiration)' };
  }
  // STS checks the signature; for GetCallerIdentity it honours the 15-minute window above rather than
  // X-Amz-Expires (see the comment on requestPresignParam in aws-iam-authenticator), so verify "as of" the
  // signing time when it is in the past.
  const result = verifySigV4(
    {
      method: 'GET',
      rawUrl: url.pathname + url.search,
      headers: { host: url.host, 'x-k8s-aws-id': opts.clusterName },
      body: Buffer.alloc(0),
    },
    {
      credentials: opts.credentials,
      expectedService: 'sts',
      now: now.getTime() < date.getTime() ? now : date,
    },
  );
  if (!result.ok) return { ok: false, reason: `sts getCallerIdentity failed: ${result.kind}` };
  return { ok: true, arn: `arn:aws:iam::${opts.accountId}:user/sandbox` };
}

export interface UserInfo {
  username: string;
  groups: string[];
  arn: string;
}

export interface RbacRule {
  verbs: string[];
  /** '' is the core group; '*' any. */
  apiGroups: string[];
  /** Plural names, `pods/log` for subresources, '*' any. */
  resources: string[];
  /** '*' (default) = every namespace and cluster-scoped resources. */
  namespaces?: string[];
  /** Optional resource names. */
  resourceNames?: string[];
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export const ADMIN_GROUP = 'sandbox:cluster-admins';

function matches(list: string[] | undefined, value: string): boolean {
  return !list || list.includes('*') || list.includes(value);
}

export class Rbac {
  /** `User:<name>` / `Group:<name>` → rules. */
  readonly bindings = new Map<string, RbacRule[]>();

  constructor() {
    this.bindings.set(`Group:${ADMIN_GROUP}`, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
  }

  allowed(user: UserInfo, a: Attributes): boolean {
    const subjects = [`User:${user.username}`, ...user.groups.map((g) => `Group:${g}`)];
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    for (const s of subjects) {
      for (const r of this.bindings.get(s) ?? []) {
        if (
          matches(r.verbs, a.verb) &&
          matches(r.apiGroups, a.group) &&
          matches(r.resources, resource) &&
          (a.namespace === undefined ? matches(r.namespaces, '*') : matches(r.namespaces, a.namespace)) &&
          (!r.resourceNames || (a.name !== undefined && r.resourceNames.includes(a.name)))
        ) {
          return true;
        }
      }
    }
    return false;
  }
}

/** The 403 `Status` the API server answers with, worded as the RBAC authorizer words it. */
export function forbidden(user: UserInfo, a: Attributes): ApiError {
  const qr = qualifiedResource({ group: a.group, plural: a.resource });
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const what = a.name ? `${qr} "${a.name}"` : qr;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const message = `${what} is forbidden: User "${user.username}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
  return new ApiError(403, 'Forbidden', message, {
    ...(a.name ? { name: a.name } : {}),
    ...(a.group ? { group: a.group } : {}),
    kind: a.resource,
  });
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}
