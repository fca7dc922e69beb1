// Fake Amazon EKS control plane (restJson1) and the registry of sandbox clusters, each with its own HTTPS
// Kubernetes API server (cluster.ts, apiserver.ts). A default cluster `sandbox` exists from the start.
// https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html
// https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeAccessEntry.html
import { AwsError, type RestJsonService } from '../aws/protocol.ts';
import type { World } from '../world.ts';
import { ApiServer } from './apiserver.ts';
import { Cluster } from './cluster.ts';
import { handleEksControl } from './control.ts';
import type { RuntimeMode } from './pods.ts';

export const DEFAULT_CLUSTER = 'sandbox';
export const KUBERNETES_VERSION = '1.31';

export class EksPlane {
  readonly world: World;
  readonly clusters = new Map<string, { cluster: Cluster; server: ApiServer; ready: Promise<void> }>();

  constructor(world: World) {
    this.world = world;
  }

  create(name: string, timeScale?: number, runtime?: RuntimeMode): Cluster {
    const existing = this.clusters.get(name);
    if (existing)
      throw new AwsError('ResourceInUseException', `Cluster already exists with name: ${name}`, 409);
    const envScale = Number(process.env.SANDBOX_EKS_TIME_SCALE ?? '');
    const cluster = new Cluster({
      name,
      world: this.world,
      timeScale: timeScale ?? (Number.isFinite(envScale) && envScale > 0 ? envScale : 1),
      runtime,
    });
    const server = new ApiServer(cluster);
    const ready = server.listen().then((endpoint) => {
      cluster.endpoint = endpoint;
      cluster.start();
    });
    this.clusters.set(name, { cluster, server, ready });
    return cluster;
  }

  async get(name: string): Promise<Cluster> {
    const entry = this.clusters.get(name);
    if (!entry) throw new AwsError('ResourceNotFoundException', `No cluster found for name: ${name}.`, 404);
    await entry.ready;
    return entry.cluster;
  }

  delete(name: string): boolean {
    const entry = this.clusters.get(name);
    if (!entry) return false;
    entry.cluster.stop();
    entry.server.close();
    this.clusters.delete(name);
    return true;
  }

  describe(c: Cluster): Record<string, unknown> {
    const { accountId, region } = this.world.config;
    return {
      name: c.name,
      arn: c.arn,
      createdAt: c.createdAt,
      version: KUBERNETES_VERSION,
      endpoint: c.endpoint,
      roleArn: `arn:aws:iam::${accountId}:role/eks-cluster-role`,
      resourcesVpcConfig: {
        subnetIds: [],
        securityGroupIds: [],
        vpcId: 'vpc-sandbox',
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4' },
      // As the API reference's example: one entry naming the five control-plane log types, all off.
      logging: {
        clusterLogging: [
          { types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false },
        ],
      },
      identity: { oidc: { issuer: `https://oidc.eks.${region}.amazonaws.com/id/SANDBOX` } },
      status: 'ACTIVE',
      certificateAuthority: { data: Buffer.from(this.world.config.caPem).toString('base64') },
      platformVersion: 'eks.1',
      tags: {},
      accessConfig: { authenticationMode: 'API' },
    };
  }
}

export function createEksService(world: World): RestJsonService {
  const plane = new EksPlane(world);
  plane.create(DEFAULT_CLUSTER);
  world.controlRoutes.set('eks', (method, path, url, body) =>
    handleEksControl(plane, method, path, url, body),
  );
  const entryOut = (e: ReturnType<Cluster['putAccessEntry']>) => ({ ...e });
  return {
    protocol: 'rest-json',
    name: 'eks',
    signingName: 'eks',
    routes: [
      {
        method: 'GET',
        path: '/clusters',
        operation: 'ListClusters',
        handler: () => ({ clusters: [...plane.clusters.keys()].sort() }),
      },
      {
        method: 'GET',
        path: '/clusters/{name}',
        operation: 'DescribeCluster',
        handler: async (input: { name: string }) => ({
          cluster: plane.describe(await plane.get(input.name)),
        }),
      },
      {
        method: 'GET',
        path: '/clusters/{name}/access-entries',
        operation: 'ListAccessEntries',
        handler: async (input: { name: string }) => ({
          accessEntries: [...(await plane.get(input.name)).accessEntries.keys()].sort(),
        }),
      },
      {
        method: 'GET',
        path: '/clusters/{name}/access-entries/{principalArn}',
        operation: 'DescribeAccessEntry',
        handler: async (input: { name: string; principalArn: string }) => {
          const c = await plane.get(input.name);
          const e = c.accessEntries.get(input.principalArn);
          if (!e) {
            throw new AwsError(
              'ResourceNotFoundException',
              `The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.`,
              404,
            );
          }
          return { accessEntry: entryOut(e) };
        },
      },
      {
        method: 'POST',
        path: '/clusters/{name}/access-entries',
        operation: 'CreateAccessEntry',
        handler: async (input: {
          name: string;
          principalArn?: string;
          kubernetesGroups?: string[];
          username?: string;
        }) => {
          const c = await plane.get(input.name);
          if (!input.principalArn)
            throw new AwsError('InvalidParameterException', 'principalArn is required');
          if (c.accessEntries.has(input.principalArn)) {
            throw new AwsError(
              'ResourceInUseException',
              `The specified access entry resource is already in use on this cluster.`,
              409,
            );
          }
          if ((input.kubernetesGroups ?? []).some((g) => g.startsWith('system:'))) {
            throw new AwsError(
              'InvalidParameterException',
              `The kubernetes group name system:* is invalid, it cannot start with system:`,
            );
          }
          return {
            accessEntry: entryOut(
              c.putAccessEntry(input.principalArn, input.kubernetesGroups ?? [], input.username),
            ),
          };
        },
      },
      {
        method: 'DELETE',
        path: '/clusters/{name}/access-entries/{principalArn}',
        operation: 'DeleteAccessEntry',
        handler: async (input: { name: string; principalArn: string }) => {
          const c = await plane.get(input.name);
          if (!c.accessEntries.delete(input.principalArn)) {
            throw new AwsError(
              'ResourceNotFoundException',
              `The specified principalArn could not be found.`,
              404,
            );
          }
          return {};
        },
      },
    ],
  };
}
