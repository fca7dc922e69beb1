// Where each kind lives in the API: the built-in kinds from a table, any other through discovery
// (`/apis/<group>/<version>` lists each resource's kind, plural name and scope).
import type { KubeApi } from '../kube-client.ts';
import {
  BUILT_IN_RESOURCES,
  CLUSTER_SCOPED_KINDS,
  ManifestError,
  groupKind,
  groupOf,
  type KubeObject,
} from './objects.ts';

export interface ResourceInfo {
  readonly apiVersion: string;
  readonly kind: string;
  /** Plural REST name: `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
}

/** The version of the built-in groups asked for when only a group-kind is known (a pruned kind). */
const BUILT_IN_VERSIONS: Readonly<Record<string, string>> = {
  '': 'v1',
  apps: 'apps/v1',
  batch: 'batch/v1',
  autoscaling: 'autoscaling/v2',
  'networking.k8s.io': 'networking.k8s.io/v1',
  'rbac.authorization.k8s.io': 'rbac.authorization.k8s.io/v1',
  policy: 'policy/v1',
  'storage.k8s.io': 'storage.k8s.io/v1',
  'scheduling.k8s.io': 'scheduling.k8s.io/v1',
  'apiextensions.k8s.io': 'apiextensions.k8s.io/v1',
};

/** Pure: `/api/v1` or `/apis/apps/v1`. */
export function apiBase(apiVersion: string): string {
  return groupOf(apiVersion) ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** Pure: the REST path of an object (or of its collection when `name` is undefined). */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const ns = info.namespaced && namespace ? `/namespaces/${namespace}` : '';
  return `${apiBase(info.apiVersion)}${ns}/${info.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** Resolves kinds, asking discovery once per group-version. */
export class ResourceResolver {
  private readonly kube: KubeApi;
  private readonly lists = new Map<string, Promise<ApiResourceList>>();

  constructor(kube: KubeApi) {
    this.kube = kube;
  }

  private list(apiVersion: string): Promise<ApiResourceList> {
    let list = this.lists.get(apiVersion);
    if (!list) {
      list = this.kube.get<ApiResourceList>(apiBase(apiVersion));
      this.lists.set(apiVersion, list);
    }
    return list;
  }

  async resolve(object: Pick<KubeObject, 'apiVersion' | 'kind'>): Promise<ResourceInfo> {
    const gk = groupKind(object);
    const builtIn = BUILT_IN_RESOURCES[gk];
    if (builtIn) {
      return {
        apiVersion: object.apiVersion,
        kind: object.kind,
        resource: builtIn,
        namespaced: !CLUSTER_SCOPED_KINDS.has(object.kind),
      };
    }
    let list: ApiResourceList;
    try {
      list = await this.list(object.apiVersion);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 404) {
        throw new ManifestError(
          `the cluster does not serve ${object.apiVersion} (kind ${object.kind}): install its CustomResourceDefinition first (a CRD and its objects cannot be applied in one step).`,
        );
      }
      throw error;
    }
    const found = list.resources?.find((r) => r.kind === object.kind && !r.name.includes('/'));
    if (!found) {
      throw new ManifestError(
        `the cluster serves ${object.apiVersion} but no kind ${object.kind} in it (${(list.resources ?? [])
          .filter((r) => !r.name.includes('/'))
          .map((r) => r.kind)
          .join(', ')}).`,
      );
    }
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      resource: found.name,
      namespaced: found.namespaced,
    };
  }

  /** A group-kind only (`Widget.example.com`, from an ApplySet annotation): its group's preferred version. */
  async resolveGroupKind(gk: string): Promise<ResourceInfo> {
    const dot = gk.indexOf('.');
    const kind = dot < 0 ? gk : gk.slice(0, dot);
    const group = dot < 0 ? '' : gk.slice(dot + 1);
    let apiVersion = BUILT_IN_VERSIONS[group];
    if (!apiVersion) {
      const g = await this.kube.get<{ preferredVersion?: { groupVersion?: string } }>(`/apis/${group}`);
      apiVersion = g.preferredVersion?.groupVersion ?? `${group}/v1`;
    }
    return this.resolve({ apiVersion, kind });
  }
}
