// Typed client of the EKS part of the sandbox control interface (`/_sandbox/eks/...`, see control.ts).
import type { RbacRule } from './auth.ts';
import type { ApiFault } from './cluster.ts';
import type { PodCreationRefusal, RolloutRecord } from './controller.ts';
import type { ImageScript, RuntimeMode } from './pods.ts';

export class EksControl {
  private readonly base: string;
  constructor(base = process.env.SANDBOX_CONTROL_URL ?? '') {
    if (!base) throw new Error('SANDBOX_CONTROL_URL is not set');
    this.base = base.replace(/\/$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}/eks${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${parsed.error ?? ''}`);
    return parsed;
  }

  /** `runtime`: pods in real containers (`containers`, the server's default) or `simulated`. */
  createCluster(
    name: string,
    timeScale?: number,
    runtime?: RuntimeMode,
  ): Promise<{ name: string; endpoint: string; timeScale: number; runtime: RuntimeMode }> {
    return this.call('POST', '/clusters', { name, timeScale, runtime });
  }
  deleteCluster(name: string): Promise<{ deleted: boolean }> {
    return this.call('DELETE', `/clusters/${encodeURIComponent(name)}`);
  }
  settings(
    cluster: string,
    s: { timeScale?: number; watchHistory?: number; runtime?: RuntimeMode },
  ): Promise<{ timeScale: number; watchHistory: number; runtime: RuntimeMode }> {
    return this.call('PUT', `/clusters/${encodeURIComponent(cluster)}/settings`, s);
  }
  putAccessEntry(
    cluster: string,
    principalArn: string,
    groups: string[],
    username?: string,
  ): Promise<unknown> {
    return this.call('PUT', `/clusters/${encodeURIComponent(cluster)}/access-entries`, {
      principalArn,
      groups,
      username,
    });
  }
  deleteAccessEntry(cluster: string, principalArn: string): Promise<{ deleted: boolean }> {
    return this.call('DELETE', `/clusters/${encodeURIComponent(cluster)}/access-entries`, { principalArn });
  }
  setRbac(cluster: string, kind: 'User' | 'Group', name: string, rules: RbacRule[]): Promise<unknown> {
    return this.call('PUT', `/clusters/${encodeURIComponent(cluster)}/rbac`, { kind, name, rules });
  }
  scriptImage(cluster: string, image: string, script: ImageScript): Promise<unknown> {
    return this.call('PUT', `/clusters/${encodeURIComponent(cluster)}/images`, { image, script });
  }
  dropWatches(cluster: string): Promise<{ dropped: number }> {
    return this.call('POST', `/clusters/${encodeURIComponent(cluster)}/drop-watches`);
  }
  addFault(cluster: string, fault: Omit<ApiFault, 'id'>): Promise<{ id: number }> {
    return this.call('POST', `/clusters/${encodeURIComponent(cluster)}/faults`, fault);
  }
  clearFaults(cluster: string): Promise<unknown> {
    return this.call('DELETE', `/clusters/${encodeURIComponent(cluster)}/faults`);
  }
  /**
   * The ReplicaSet controller's pod creates are refused for ReplicaSets whose template uses `image` and/or that
   * Deployment `deployment` controls (optionally only in `namespace`). `message`: the API error's text
   * (`{pod}` → the pod's generateName); default `pods "<rs>-" is forbidden: exceeded quota: sandbox-quota, …`.
   */
  refusePodCreation(cluster: string, refusal: Omit<PodCreationRefusal, 'id'>): Promise<PodCreationRefusal> {
    return this.call('POST', `/clusters/${encodeURIComponent(cluster)}/pod-refusals`, refusal);
  }
  podCreationRefusals(cluster: string): Promise<{ refusals: PodCreationRefusal[] }> {
    return this.call('GET', `/clusters/${encodeURIComponent(cluster)}/pod-refusals`);
  }
  /** Removes refusal `id`, or every refusal of the cluster. */
  clearPodCreationRefusals(cluster: string, id?: number): Promise<{ removed: number }> {
    return this.call(
      'DELETE',
      `/clusters/${encodeURIComponent(cluster)}/pod-refusals`,
      id === undefined ? {} : { id },
    );
  }
  /**
   * The HPA controller's desired replica count for HPA `name` (what metrics would say; null = no metrics
   * again): the controller scales the target through `/scale`, clamped to [minReplicas, maxReplicas].
   */
  setHpaDesiredReplicas(
    cluster: string,
    namespace: string,
    name: string,
    desiredReplicas: number | null,
  ): Promise<{ hpa: string; desiredReplicas: number | null }> {
    return this.call('PUT', `/clusters/${encodeURIComponent(cluster)}/hpa`, {
      namespace,
      name,
      desiredReplicas,
    });
  }
  rollouts(cluster: string): Promise<{ rollouts: RolloutRecord[] }> {
    return this.call('GET', `/clusters/${encodeURIComponent(cluster)}/rollouts`);
  }
}
