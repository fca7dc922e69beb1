import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeRepositoriesCommand, ECRServiceException } from '@aws-sdk/client-ecr';
import { GetCallerIdentityCommand, STSServiceException } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { control, ecrClient, sandboxState, stsClient } from './helpers.ts';

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** The hash constructor SignatureV4 expects, from node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  reset(): void {
    throw new Error('not needed by SignatureV4');
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** The error a call failed with (the test fails if it succeeded). */
async function failure(
  call: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as ECRServiceException | STSServiceException;
    return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  throw new Error('expected the call to fail');
}

afterEach(async () => {
  await control().clearFaults();
});

describe('SigV4 verification', () => {
  it('rejects an unknown access key with UnrecognizedClientException (JSON) and InvalidClientTokenId (STS)', async () => {
    const credentials = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'whatever' };
    const ecr = await failure(ecrClient({ credentials }).send(new DescribeRepositoriesCommand({})));
    expect(ecr).toMatchObject({
      name: 'UnrecognizedClientException',
      status: 400,
      message: 'The security token included in the request is invalid.',
    });
    const sts = await failure(stsClient({ credentials }).send(new GetCallerIdentityCommand({})));
    expect(sts).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });

  it('rejects a wrong secret with InvalidSignatureException (JSON) and SignatureDoesNotMatch (STS)', async () => {
    const credentials = {
      accessKeyId: sandboxState().credentials.accessKeyId,
      secretAccessKey: 'wrong-secret',
    };
    const ecr = await failure(ecrClient({ credentials }).send(new DescribeRepositoriesCommand({})));
    expect(ecr).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
    expect(ecr.message).toMatch(/^The request signature we calculated does not match/);
    const sts = await failure(stsClient({ credentials }).send(new GetCallerIdentityCommand({})));
    expect(sts).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('rejects a signature made more than 5 minutes ago with "Signature expired"', async () => {
    const client = ecrClient({ systemClockOffset: -20 * 60_000 });
    const err = await failure(client.send(new DescribeRepositoriesCommand({})));
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it('rejects a request without any signature with MissingAuthenticationTokenException', async () => {
    const res = await fetch(sandboxState().awsEndpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories',
        'content-type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await res.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });
});

describe('STS', () => {
  it('answers GetCallerIdentity for the sandbox account', async () => {
    const out = await stsClient().send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/sandbox' });
    expect(out.UserId).toMatch(/^AIDA/);
  });

  async function presignedEksUrl(
    cluster: string,
    opts: { secret?: string; signingDate?: Date } = {},
  ): Promise<URL> {
    const state = sandboxState();
    const endpoint = new URL(state.awsEndpoint);
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: state.credentials.accessKeyId,
        secretAccessKey: opts.secret ?? state.credentials.secretAccessKey,
      },
      region: state.region,
      service: 'sts',
      sha256: Sha256,
    });
    const req = {
      method: 'GET',
      protocol: 'http:',
      hostname: endpoint.hostname,
      port: Number(endpoint.port),
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: endpoint.host, 'x-k8s-aws-id': cluster },
    };
    const signed = await signer.presign(req, {
      expiresIn: 60,
      ...(opts.signingDate ? { signingDate: opts.signingDate } : {}),
    });
    const url = new URL(`http://${endpoint.host}/`);
    for (const [k, v] of Object.entries(signed.query ?? {})) url.searchParams.set(k, String(v));
    return url;
  }

  it('verifies a presigned GetCallerIdentity URL (EKS token) with its x-k8s-aws-id header', async () => {
    const url = await presignedEksUrl('demo');
    const res = await fetch(url, { headers: { 'x-k8s-aws-id': 'demo' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<Account>123456789012</Account>');
  });

  it('refuses a tampered, wrongly signed or expired presigned URL', async () => {
    const url = await presignedEksUrl('demo');
    const otherCluster = await fetch(url, { headers: { 'x-k8s-aws-id': 'other' } });
    expect(otherCluster.status).toBe(403);
    expect(await otherCluster.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const tampered = new URL(url);
    tampered.searchParams.set('X-Amz-Expires', '900');
    expect((await fetch(tampered, { headers: { 'x-k8s-aws-id': 'demo' } })).status).toBe(403);

    const wrongSecret = await presignedEksUrl('demo', { secret: 'nope' });
    expect((await fetch(wrongSecret, { headers: { 'x-k8s-aws-id': 'demo' } })).status).toBe(403);

    const old = await presignedEksUrl('demo', { signingDate: new Date(Date.now() - 10 * 60_000) });
    const expired = await fetch(old, { headers: { 'x-k8s-aws-id': 'demo' } });
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Signature expired');
  });
});

describe('faults and the call log', () => {
  it('throttles N calls of one operation, then answers normally', async () => {
    await control().addFaults({
      service: 'ecr',
      operation: 'DescribeRepositories',
      kind: 'throttle',
      count: 2,
    });
    const ecr = ecrClient();
    const first = await failure(ecr.send(new DescribeRepositoriesCommand({})));
    expect(first).toMatchObject({ name: 'ThrottlingException', status: 400, message: 'Rate exceeded' });
    await expect(ecr.send(new DescribeRepositoriesCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    await expect(ecr.send(new DescribeRepositoriesCommand({}))).resolves.toHaveProperty('repositories');
  });

  it('lets the SDK retry through throttling, visible in the call log', async () => {
    const c = control();
    await c.clearCalls();
    await c.addFaults({ service: 'ecr', operation: 'DescribeRepositories', kind: 'throttle', count: 1 });
    await ecrClient({ maxAttempts: 3 }).send(new DescribeRepositoriesCommand({}));
    const calls = await c.calls({ service: 'ecr', operation: 'DescribeRepositories' });
    expect(calls.map((x) => [x.status, x.errorType ?? null])).toEqual([
      [400, 'ThrottlingException'],
      [200, null],
    ]);
  });

  it('throttles at a seeded rate deterministically', async () => {
    async function pattern(): Promise<boolean[]> {
      await control().clearFaults();
      await control().addFaults({
        service: 'sts',
        operation: 'GetCallerIdentity',
        kind: 'throttle',
        rate: 0.5,
        seed: 42,
      });
      const out: boolean[] = [];
      for (let i = 0; i < 12; i++) {
        out.push(
          await stsClient()
            .send(new GetCallerIdentityCommand({}))
            .then(
              () => false,
              (e: Error) => e.name === 'Throttling',
            ),
        );
      }
      return out;
    }
    const a = await pattern();
    const b = await pattern();
    expect(a).toEqual(b);
    expect(a.filter(Boolean).length).toBeGreaterThan(0);
    expect(a.filter(Boolean).length).toBeLessThan(12);
  });

  it('returns 5xx InternalFailure and ServiceUnavailable', async () => {
    await control().addFaults(
      { service: 'ecr', operation: 'DescribeImages', kind: 'error', httpStatus: 500, count: 1 },
      { service: 'ecr', operation: 'DescribeImages', kind: 'error', httpStatus: 503, count: 1 },
    );
    const ecr = ecrClient();
    const { DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
    expect(await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'busybox' })))).toMatchObject({
      name: 'InternalFailure',
      status: 500,
    });
    expect(await failure(ecr.send(new DescribeImagesCommand({ repositoryName: 'busybox' })))).toMatchObject({
      name: 'ServiceUnavailable',
      status: 503,
    });
  });

  it('adds latency and simulates expired credentials', async () => {
    await control().addFaults({ service: 'sts', operation: '*', kind: 'latency', latencyMs: 300, count: 1 });
    const started = Date.now();
    await stsClient().send(new GetCallerIdentityCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    await control().addFaults({ service: '*', operation: '*', kind: 'expired-credentials', count: 2 });
    expect(await failure(ecrClient().send(new DescribeRepositoriesCommand({})))).toMatchObject({
      name: 'ExpiredTokenException',
      status: 400,
    });
    expect(await failure(stsClient().send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'ExpiredToken',
    });
  });

  it('logs calls with sanitized parameters and never the registry password', async () => {
    const c = control();
    await c.clearCalls();
    const { GetAuthorizationTokenCommand } = await import('@aws-sdk/client-ecr');
    const token = await ecrClient().send(new GetAuthorizationTokenCommand({}));
    await ecrClient().send(new DescribeRepositoriesCommand({ repositoryNames: ['busybox'] }));
    const calls = await c.calls({ service: 'ecr' });
    expect(calls.map((x) => x.operation)).toEqual(['GetAuthorizationToken', 'DescribeRepositories']);
    expect(calls[1]!.params).toEqual({ repositoryNames: ['busybox'] });
    const password = Buffer.from(token.authorizationData![0]!.authorizationToken!, 'base64')
      .toString()
      .slice(4);
    expect(JSON.stringify(calls)).not.toContain(password);
  });
});
