// EKS control plane and Kubernetes API authentication/authorization, through the real AWS SDK EKS client,
// @kubernetes/client-node and raw HTTPS.
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  EKSClient,
  ListAccessEntriesCommand,
} from '@aws-sdk/client-eks';
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  control,
  deployment,
  eksToken,
  kubeConfig,
  presignedStsUrl,
  raw,
  testCluster,
  tokenFromUrl,
  type TestCluster,
} from './eks-helpers.ts';

const eks = () => new EKSClient({ maxAttempts: 1 });
const ARN = `arn:aws:iam::123456789012:user/sandbox`;

describe('EKS control plane', () => {
  it('describes the default cluster with the API endpoint and the sandbox CA', async () => {
    const { cluster } = await eks().send(new DescribeClusterCommand({ name: 'sandbox' }));
    expect(cluster?.status).toBe('ACTIVE');
    expect(cluster?.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster?.arn).toBe('arn:aws:eks:us-east-1:123456789012:cluster/sandbox');
    const ca = Buffer.from(cluster!.certificateAuthority!.data!, 'base64').toString('utf8');
    expect(ca).toContain('BEGIN CERTIFICATE');
    // The endpoint's certificate verifies against that CA (no insecure flag).
    const res = await raw({ endpoint: cluster!.endpoint!, caPem: ca }, 'GET', '/version');
    expect(res.status).toBe(200);
    expect(res.json().major).toBe('1');
  });

  it('answers ResourceNotFoundException for an unknown cluster', async () => {
    await expect(eks().send(new DescribeClusterCommand({ name: 'no-such-cluster' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('lists and describes access entries (the sandbox principal is mapped)', async () => {
    const list = await eks().send(new ListAccessEntriesCommand({ clusterName: 'sandbox' }));
    expect(list.accessEntries).toContain(ARN);
    const { accessEntry } = await eks().send(
      new DescribeAccessEntryCommand({ clusterName: 'sandbox', principalArn: ARN }),
    );
    expect(accessEntry?.username).toBe(ARN);
    expect(accessEntry?.kubernetesGroups).toEqual(['sandbox:cluster-admins']);
    await expect(
      eks().send(
        new DescribeAccessEntryCommand({
          clusterName: 'sandbox',
          principalArn: 'arn:aws:iam::123456789012:user/nobody',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('Kubernetes API authentication (EKS tokens)', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster();
  });

  it('accepts a valid token through @kubernetes/client-node', async () => {
    const core = c.kc.makeApiClient(CoreV1Api);
    const list = await core.listNamespace();
    expect(list.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
  });

  const unauthorized = async (token: string | null) => {
    const res = await raw(c, 'GET', '/api/v1/namespaces/default/pods', { token });
    return res;
  };

  it('rejects a tampered token with 401 and a Status body', async () => {
    const url = await presignedStsUrl(c.name);
    const tampered = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, ch: string) => `X-Amz-Signature=${ch === 'a' ? 'b' : 'a'}`,
    );
    expect(tampered).not.toBe(url);
    const res = await unauthorized(tokenFromUrl(tampered));
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('rejects an expired token (X-Amz-Date older than 15 minutes)', async () => {
    const old = await eksToken(c.name, { signingDate: new Date(Date.now() - 16 * 60 * 1000) });
    expect((await unauthorized(old)).status).toBe(401);
    // …but a 10-minute-old one is still valid (X-Amz-Expires=60 is not what limits it).
    const recent = await eksToken(c.name, { signingDate: new Date(Date.now() - 10 * 60 * 1000) });
    expect((await unauthorized(recent)).status).toBe(200);
  });

  it("rejects another cluster's token and a token without the signed x-k8s-aws-id header", async () => {
    expect((await unauthorized(await eksToken('sandbox'))).status).toBe(401);
    expect((await unauthorized(await eksToken(c.name, { signedClusterHeader: null }))).status).toBe(401);
    expect((await unauthorized(await eksToken(c.name, { secretAccessKey: 'wrong' }))).status).toBe(401);
    expect(
      (
        await unauthorized(
          `k8s-aws-v1.${Buffer.from('https://evil.example.com/?Action=GetCallerIdentity').toString('base64url')}`,
        )
      ).status,
    ).toBe(401);
    // extra query parameters are refused
    const url = await presignedStsUrl(c.name);
    expect((await unauthorized(tokenFromUrl(`${url}&Extra=1`))).status).toBe(401);
  });

  it('anonymous requests are forbidden except public info', async () => {
    const res = await unauthorized(null);
    expect(res.status).toBe(403);
    expect((await raw(c, 'GET', '/version')).status).toBe(200);
  });

  it('an unmapped principal gets 401', async () => {
    const name = c.name;
    const other = await testCluster();
    await control().deleteAccessEntry(other.name, ARN);
    const res = await raw(other, 'GET', '/api/v1/namespaces', { token: other.token });
    expect(res.status).toBe(401);
    expect(res.json().reason).toBe('Unauthorized');
    expect(name).not.toBe(other.name);
  });

  it('limited RBAC: 403 worded as Kubernetes, and SelfSubjectAccessReview answers truthfully', async () => {
    const limited = await testCluster();
    const admin = limited.kc.makeApiClient(AppsV1Api);
    await admin.createNamespacedDeployment({
      namespace: 'default',
      body: deployment('web', 'nginx:1.0') as never,
    });
    await control().putAccessEntry(limited.name, ARN, ['deployers']);
    await control().setRbac(limited.name, 'Group', 'deployers', [
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['apps'],
        resources: ['deployments'],
        namespaces: ['default'],
      },
    ]);
    const apps = kubeConfig(
      limited.endpoint,
      Buffer.from(limited.caPem).toString('base64'),
      limited.token,
    ).makeApiClient(AppsV1Api);
    const got = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(got.metadata?.name).toBe('web');
    const err = await apps
      .patchNamespacedDeployment(
        { name: 'web', namespace: 'default', body: { spec: { replicas: 2 } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      )
      .then(
        () => undefined,
        (e: unknown) => e as { code: number; body: string },
      );
    expect(err?.code).toBe(403);
    const status = JSON.parse(err!.body) as Record<string, unknown>;
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: `deployments.apps "web" is forbidden: User "${ARN}" cannot patch resource "deployments" in API group "apps" in the namespace "default"`,
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    });
    const authz = kubeConfig(
      limited.endpoint,
      Buffer.from(limited.caPem).toString('base64'),
      limited.token,
    ).makeApiClient(AuthorizationV1Api);
    const review = (verb: string, namespace: string) =>
      authz.createSelfSubjectAccessReview({
        body: {
          spec: {
            resourceAttributes: { verb, group: 'apps', resource: 'deployments', namespace, name: 'web' },
          },
        },
      });
    expect((await review('get', 'default')).status?.allowed).toBe(true);
    expect((await review('patch', 'default')).status?.allowed).toBe(false);
    expect((await review('get', 'other')).status?.allowed).toBe(false);
  });
});
