// EKS/Kubernetes part of the sandbox control interface: `/_sandbox/eks/...` on the AWS port (plain HTTP,
// unauthenticated like the other control routes). Client: sandbox/eks/control-client.ts.
import type { RbacRule } from './auth.ts';
import type { ApiFault } from './cluster.ts';
import type { ImageScript, RuntimeMode } from './pods.ts';
import type { EksPlane } from './service.ts';

export interface ControlAnswer {
  status: number;
  body: unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

export async function handleEksControl(
  plane: EksPlane,
  method: string,
  path: string,
  _url: URL,
  raw: Buffer,
): Promise<ControlAnswer> {
  let body: Body = {};
  try {
    body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
  } catch (e) {
    return { status: 400, body: { error: `invalid JSON: ${String(e)}` } };
  }
  const ok = (b: unknown = { ok: true }): ControlAnswer => ({ status: 200, body: b });
  try {
    if (path === '/eks/clusters' && method === 'GET') {
      return ok({
        clusters: [...plane.clusters.values()].map(({ cluster: c }) => ({
          name: c.name,
          endpoint: c.endpoint,
          timeScale: c.timeScale,
          runtime: c.runtimeMode,
        })),
      });
    }
    if (path === '/eks/clusters' && method === 'POST') {
      if (typeof body.name !== 'string' || !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(body.name)) {
        return { status: 400, body: { error: 'name must match ^[0-9A-Za-z][A-Za-z0-9\\-_]*$' } };
      }
      if (body.runtime !== undefined && body.runtime !== 'containers' && body.runtime !== 'simulated')
        return { status: 400, body: { error: 'runtime must be containers or simulated' } };
      plane.create(
        body.name,
        typeof body.timeScale === 'number' ? body.timeScale : undefined,
        body.runtime as RuntimeMode | undefined,
      );
      const c = await plane.get(body.name);
      return ok({ name: c.name, endpoint: c.endpoint, timeScale: c.timeScale, runtime: c.runtimeMode });
    }
    const m = /^\/eks\/clusters\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return { status: 404, body: { error: `unknown control route ${method} ${path}` } };
    const name = decodeURIComponent(m[1]!);
    const sub = m[2] ?? '';
    if (sub === '' && method === 'DELETE') return ok({ deleted: plane.delete(name) });
    const c = await plane.get(name);
    switch (`${method} ${sub}`) {
      case 'PUT /settings':
        if (typeof body.timeScale === 'number' && body.timeScale > 0) c.timeScale = body.timeScale;
        if (typeof body.watchHistory === 'number' && body.watchHistory > 0)
          c.store.historyLimit = body.watchHistory;
        if (body.runtime === 'containers' || body.runtime === 'simulated') c.runtimeMode = body.runtime;
        return ok({ timeScale: c.timeScale, watchHistory: c.store.historyLimit, runtime: c.runtimeMode });
      case 'PUT /access-entries': {
        const e = c.putAccessEntry(
          String(body.principalArn),
          (body.groups ?? []) as string[],
          body.username as string | undefined,
        );
        return ok(e);
      }
      case 'DELETE /access-entries':
        return ok({ deleted: c.accessEntries.delete(String(body.principalArn)) });
      case 'PUT /rbac': {
        const subject = `${body.kind === 'Group' ? 'Group' : 'User'}:${String(body.name)}`;
        c.rbac.bindings.set(subject, (body.rules ?? []) as RbacRule[]);
        return ok({ subject, rules: c.rbac.bindings.get(subject) });
      }
      case 'GET /rbac':
        return ok({ bindings: Object.fromEntries(c.rbac.bindings) });
      case 'PUT /images': {
        if (typeof body.image !== 'string') return { status: 400, body: { error: 'image is required' } };
        c.scripts.set(body.image, (body.script ?? {}) as ImageScript);
        return ok();
      }
      case 'DELETE /images':
        c.scripts.clear();
        return ok();
      case 'POST /drop-watches':
        return ok({ dropped: c.dropWatches() });
      case 'POST /faults':
        return ok({ id: c.addFault(body as Omit<ApiFault, 'id'>) });
      case 'GET /faults':
        return ok({ faults: c.faults });
      case 'DELETE /faults':
        c.faults.length = 0;
        return ok();
      case 'POST /pod-refusals': {
        const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
        const r = {
          image: str(body.image),
          deployment: str(body.deployment),
          namespace: str(body.namespace),
          message: str(body.message),
        };
        if (!r.image && !r.deployment)
          return { status: 400, body: { error: 'image or deployment is required' } };
        return ok(c.controllers.addRefusal(r));
      }
      case 'GET /pod-refusals':
        return ok({ refusals: c.controllers.refusals });
      case 'DELETE /pod-refusals':
        return ok({
          removed: c.controllers.clearRefusals(typeof body.id === 'number' ? body.id : undefined),
        });
      case 'PUT /hpa': {
        // What the HPA controller would compute from metrics: the desired replica count of one HPA
        // (null: back to "no metrics", which keeps the target's count within min/max).
        if (typeof body.name !== 'string') return { status: 400, body: { error: 'name is required' } };
        const key = `${typeof body.namespace === 'string' ? body.namespace : 'default'}/${body.name}`;
        if (body.desiredReplicas === null) c.workloads.hpaDesired.delete(key);
        else if (Number.isInteger(body.desiredReplicas) && body.desiredReplicas >= 0)
          c.workloads.hpaDesired.set(key, body.desiredReplicas);
        else return { status: 400, body: { error: 'desiredReplicas must be an integer >= 0 or null' } };
        return ok({ hpa: key, desiredReplicas: c.workloads.hpaDesired.get(key) ?? null });
      }
      case 'GET /rollouts':
        return ok({ rollouts: c.controllers.rollouts });
      default:
        return { status: 404, body: { error: `unknown control route ${method} ${path}` } };
    }
  } catch (e) {
    const status = (e as { httpStatus?: number }).httpStatus ?? 500;
    return { status, body: { error: e instanceof Error ? e.message : String(e) } };
  }
}
