// The sandbox's AWS side judged by the real AWS CLI v1: every operation the action calls (ECR, ECS, EKS, STS)
// and every error it relies on, driven only through `aws`, whose botocore parses each answer with AWS's own
// service models; each answer is also checked member by member against the operation's output shape.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControl } from '../sandbox/control-client.ts';
import { IdentityControl } from '../sandbox/oidc/control-client.ts';
import { aws, modelViolations, type CliOptions, type CliResult } from './aws-cli.ts';
import { awsCli } from './judges.ts';

const cli = awsCli();
const ACCOUNT = '123456789012';
let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

function run(service: string, args: string[], options?: CliOptions): Promise<CliResult> {
  return aws(cli ?? 'aws', service, args, options);
}

/** A successful call whose answer conforms to the model; returns the parsed answer. */
async function ok<T = Record<string, unknown>>(
  service: string,
  operation: string,
  args: string[],
  options?: CliOptions,
): Promise<T> {
  const r = await run(service, args, options);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(await modelViolations(service, operation, r.json ?? {})).toEqual([]);
  return (r.json ?? {}) as T;
}

async function fails(service: string, args: string[], options?: CliOptions): Promise<CliResult> {
  const r = await run(service, args, options);
  expect(r.exitCode, r.stdout).not.toBe(0);
  return r;
}

function docker(
  args: string[],
  env: NodeJS.ProcessEnv,
  input?: string,
): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = execFile(
      'docker',
      args,
      { env, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout + stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

/** GET https://<registry>/token with Basic AWS:<password> (what docker login does): the data plane's status. */
function registryStatus(host: string, password: string): Promise<number> {
  const ca = readFileSync(process.env.NODE_EXTRA_CA_CERTS ?? '', 'utf8');
  const [hostname, port] = host.split(':');
  return new Promise((done, fail) => {
    const req = request(
      {
        hostname,
        port: Number(port),
        path: '/token?service=registry&scope=repository:busybox:pull',
        ca,
        headers: { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}` },
      },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    );
    req.on('error', fail);
    req.end();
  });
}

describe.skipIf(!cli)('the AWS CLI judges the sandbox', () => {
  const control = (): SandboxControl => new SandboxControl();
  afterAll(async () => {
    await control().clearFaults();
  });

  describe('STS', () => {
    it('GetCallerIdentity answers the account, an ARN and a user id', async () => {
      const id = await ok<{ Account: string; Arn: string; UserId: string }>('sts', 'GetCallerIdentity', [
        'get-caller-identity',
      ]);
      expect(id.Account).toBe(ACCOUNT);
      expect(id.Arn).toMatch(new RegExp(`^arn:aws:(iam|sts)::${ACCOUNT}:`));
      expect(id.UserId).toMatch(/^[A-Z0-9:._-]+$/);
    });

    it('an unknown access key is InvalidClientTokenId; a wrong secret is SignatureDoesNotMatch', async () => {
      const unknown = await fails('sts', ['get-caller-identity'], {
        env: { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNSANDBOX00' },
      });
      expect(unknown.errorCode).toBe('InvalidClientTokenId');
      const wrong = await fails('sts', ['get-caller-identity'], {
        env: { AWS_SECRET_ACCESS_KEY: 'not-the-secret-of-this-key-0000000000000' },
      });
      expect(wrong.errorCode).toBe('SignatureDoesNotMatch');
    });

    it('a garbage session token with the keys is InvalidClientTokenId', async () => {
      const r = await fails('sts', ['get-caller-identity'], { env: { AWS_SESSION_TOKEN: 'garbage-token' } });
      expect(r.errorCode).toBe('InvalidClientTokenId');
      expect(r.stderr).toMatch(/security token included in the request is invalid/);
    });

    it('throttling and an expired token are the STS codes (Throttling, ExpiredToken)', async () => {
      await control().addFaults({
        service: 'sts',
        operation: 'GetCallerIdentity',
        kind: 'throttle',
        count: 1,
      });
      expect((await fails('sts', ['get-caller-identity'])).errorCode).toBe('Throttling');
      await control().addFaults({
        service: 'sts',
        operation: 'GetCallerIdentity',
        kind: 'expired-credentials',
        count: 1,
      });
      expect((await fails('sts', ['get-caller-identity'])).errorCode).toBe('ExpiredToken');
      await ok('sts', 'GetCallerIdentity', ['get-caller-identity']);
    });

    describe('AssumeRoleWithWebIdentity with a GitHub OIDC token from the sandbox issuer', () => {
      const identity = () => new IdentityControl();
      const noKeys = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
      async function idToken(audience: string): Promise<string> {
        const { requestToken, requestUrl } = await identity().requestToken({
          repository: 'octo-org/hello-app',
          ref: 'refs/heads/main',
        });
        const res = await fetch(`${requestUrl}&audience=${audience}`, {
          headers: { authorization: `Bearer ${requestToken}` },
        });
        return ((await res.json()) as { value: string }).value;
      }
      const assume = (roleArn: string, token: string, extra: string[] = []) => [
        'assume-role-with-web-identity',
        '--role-arn',
        roleArn,
        '--role-session-name',
        'cli-judge',
        '--web-identity-token',
        token,
        ...extra,
      ];
      afterAll(async () => {
        await identity().setProviderClientIds(['sts.amazonaws.com']);
      });

      it('answers credentials, the assumed role and the subject in the model’s shape, unsigned; they sign later calls until they expire', async () => {
        const roleArn = await identity().putRole({
          roleName: unique('cli-role'),
          subjects: ['repo:octo-org/*'],
        });
        const answer = await ok<{
          Credentials: {
            AccessKeyId: string;
            SecretAccessKey: string;
            SessionToken: string;
            Expiration: string;
          };
          AssumedRoleUser: { Arn: string };
          SubjectFromWebIdentityToken: string;
        }>(
          'sts',
          'AssumeRoleWithWebIdentity',
          assume(roleArn, await idToken('sts.amazonaws.com'), ['--duration-seconds', '900']),
          {
            env: noKeys,
          },
        );
        expect(answer.SubjectFromWebIdentityToken).toBe('repo:octo-org/hello-app:ref:refs/heads/main');
        expect(answer.AssumedRoleUser.Arn).toMatch(
          new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/cli-role-.*/cli-judge$`),
        );
        const session = {
          AWS_ACCESS_KEY_ID: answer.Credentials.AccessKeyId,
          AWS_SECRET_ACCESS_KEY: answer.Credentials.SecretAccessKey,
          AWS_SESSION_TOKEN: answer.Credentials.SessionToken,
        };
        const me = await ok<{ Arn: string }>('sts', 'GetCallerIdentity', ['get-caller-identity'], {
          env: session,
        });
        expect(me.Arn).toBe(answer.AssumedRoleUser.Arn);
        await ok('ecr', 'DescribeRepositories', ['describe-repositories'], { env: session });
        await identity().expireSessions({ accessKeyId: answer.Credentials.AccessKeyId });
        expect((await fails('ecr', ['describe-repositories'], { env: session })).errorCode).toBe(
          'ExpiredTokenException',
        );
        expect((await fails('sts', ['get-caller-identity'], { env: session })).errorCode).toBe(
          'ExpiredToken',
        );
      });

      it('refusals parse as their codes: AccessDenied (trust), InvalidIdentityToken (audience, signature), ValidationError', async () => {
        const roleArn = await identity().putRole({
          roleName: unique('cli-tags'),
          subjects: ['repo:octo-org/hello-app:ref:refs/tags/*'],
        });
        const token = await idToken('sts.amazonaws.com');
        expect((await fails('sts', assume(roleArn, token), { env: noKeys })).errorCode).toBe('AccessDenied');
        const other = await idToken('https://github.com/octo-org');
        const aud = await fails('sts', assume(roleArn, other), { env: noKeys });
        expect(aud.errorCode).toBe('InvalidIdentityToken');
        expect(aud.stderr).toMatch(/Incorrect token audience/);
        const [h, p] = token.split('.');
        expect((await fails('sts', assume(roleArn, `${h}.${p}.AAAA`), { env: noKeys })).errorCode).toBe(
          'InvalidIdentityToken',
        );
        const trusting = await identity().putRole({ roleName: unique('cli-any'), subjects: ['repo:*'] });
        expect(
          (await fails('sts', assume(trusting, token, ['--duration-seconds', '7200']), { env: noKeys }))
            .errorCode,
        ).toBe('ValidationError');
      });
    });
  });

  describe('ECR', () => {
    it('GetAuthorizationToken: AWS:<password>, an https proxyEndpoint and an expiry; get-login-password logs in', async () => {
      const out = await ok<{
        authorizationData: { authorizationToken: string; proxyEndpoint: string; expiresAt: number }[];
      }>('ecr', 'GetAuthorizationToken', ['get-authorization-token']);
      const data = out.authorizationData[0] ?? { authorizationToken: '', proxyEndpoint: '', expiresAt: 0 };
      const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
      expect(decoded).toMatch(/^AWS:.+/);
      expect(data.proxyEndpoint).toBe(`https://${process.env.SANDBOX_REGISTRY_HOST}`);
      const hours = (data.expiresAt * 1000 - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(11.9);
      expect(hours).toBeLessThanOrEqual(12);

      const login = await run('ecr', ['get-login-password']);
      expect(login.exitCode, login.stderr).toBe(0);
      const password = login.stdout.trim();
      expect(password.length).toBeGreaterThan(20);
      const host = new URL(data.proxyEndpoint).host;
      expect(await registryStatus(host, password)).toBe(200);
      expect(await registryStatus(host, `${password}x`)).toBe(401);
    });

    it('CreateRepository / DescribeRepositories: the repositoryUri the action deploys from; errors by code', async () => {
      const name = unique('conf-aws/app');
      const created = await ok<{ repository: Record<string, unknown> }>('ecr', 'CreateRepository', [
        'create-repository',
        '--repository-name',
        name,
        '--image-tag-mutability',
        'IMMUTABLE',
        '--image-scanning-configuration',
        'scanOnPush=true',
      ]);
      expect(created.repository).toMatchObject({
        repositoryName: name,
        registryId: ACCOUNT,
        repositoryUri: `${process.env.SANDBOX_REGISTRY_HOST}/${name}`,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${name}`,
      });
      const again = await fails('ecr', ['create-repository', '--repository-name', name]);
      expect(again.errorCode).toBe('RepositoryAlreadyExistsException');

      const described = await ok<{ repositories: { repositoryUri: string; imageTagMutability: string }[] }>(
        'ecr',
        'DescribeRepositories',
        ['describe-repositories', '--repository-names', name],
      );
      expect(described.repositories).toHaveLength(1);
      expect(described.repositories[0]?.repositoryUri).toBe(created.repository.repositoryUri);

      const missing = await fails('ecr', ['describe-repositories', '--repository-names', unique('absent')]);
      expect(missing.errorCode).toBe('RepositoryNotFoundException');
      const badName = await fails('ecr', ['describe-repositories', '--repository-names', 'Upper_Case!']);
      expect(badName.errorCode).toBe('InvalidParameterException');
    });

    it('DescribeImages / ListImages / BatchGetImage on the seeded busybox image', async () => {
      const images = await ok<{
        imageDetails: {
          imageDigest: string;
          imageTags: string[];
          imagePushedAt: number;
          imageManifestMediaType: string;
          imageSizeInBytes: number;
        }[];
      }>('ecr', 'DescribeImages', [
        'describe-images',
        '--repository-name',
        'busybox',
        '--image-ids',
        'imageTag=latest',
      ]);
      const detail = images.imageDetails[0] ?? {
        imageDigest: '',
        imageTags: [],
        imagePushedAt: 0,
        imageManifestMediaType: '',
        imageSizeInBytes: 0,
      };
      expect(detail.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(detail.imageTags).toContain('latest');
      expect(detail.imagePushedAt * 1000).toBeLessThanOrEqual(Date.now());
      expect(detail.imageSizeInBytes).toBeGreaterThan(0);

      const listed = await ok<{ imageIds: { imageDigest: string; imageTag?: string }[] }>(
        'ecr',
        'ListImages',
        ['list-images', '--repository-name', 'busybox', '--filter', 'tagStatus=TAGGED'],
      );
      expect(listed.imageIds).toContainEqual({ imageDigest: detail.imageDigest, imageTag: 'latest' });

      const got = await ok<{
        images: { imageId: { imageDigest: string }; imageManifest: string; imageManifestMediaType: string }[];
        failures: { failureCode: string }[];
      }>('ecr', 'BatchGetImage', [
        'batch-get-image',
        '--repository-name',
        'busybox',
        '--image-ids',
        `imageDigest=${detail.imageDigest}`,
        `imageDigest=sha256:${'0'.repeat(64)}`,
        '--accepted-media-types',
        detail.imageManifestMediaType,
      ]);
      expect(got.images).toHaveLength(1);
      expect(got.images[0]?.imageId.imageDigest).toBe(detail.imageDigest);
      expect(JSON.parse(got.images[0]?.imageManifest ?? 'null')).toHaveProperty('schemaVersion', 2);
      expect(got.failures.map((f) => f.failureCode)).toEqual(['ImageNotFound']);

      const missingTag = await fails('ecr', [
        'describe-images',
        '--repository-name',
        'busybox',
        '--image-ids',
        `imageTag=${unique('absent')}`,
      ]);
      expect(missingTag.errorCode).toBe('ImageNotFoundException');
      const noRepo = await fails('ecr', ['describe-images', '--repository-name', unique('absent')]);
      expect(noRepo.errorCode).toBe('RepositoryNotFoundException');
    });

    describe('an immutable repository with a pushed image', () => {
      const repository = unique('conf-aws/immutable');
      let dockerConfig = '';
      let digest = '';
      let manifest = '';
      let mediaType = '';
      beforeAll(async () => {
        await ok('ecr', 'CreateRepository', [
          'create-repository',
          '--repository-name',
          repository,
          '--image-tag-mutability',
          'IMMUTABLE',
          '--image-scanning-configuration',
          'scanOnPush=true',
        ]);
        // The documented login: get-login-password piped to docker login --password-stdin.
        dockerConfig = mkdtempSync(join(tmpdir(), 'conf-aws-docker-'));
        const env = { ...process.env, DOCKER_CONFIG: dockerConfig };
        const host = process.env.SANDBOX_REGISTRY_HOST ?? '';
        const password = (await run('ecr', ['get-login-password'])).stdout.trim();
        const login = await docker(['login', '--username', 'AWS', '--password-stdin', host], env, password);
        expect(login.code, login.out).toBe(0);
        for (const args of [
          ['tag', 'busybox:latest', `${host}/${repository}:v1`],
          ['push', `${host}/${repository}:v1`],
          ['rmi', `${host}/${repository}:v1`],
        ]) {
          const r = await docker(args, env);
          expect(r.code, r.out).toBe(0);
        }
        const got = await ok<{
          images: {
            imageId: { imageDigest: string };
            imageManifest: string;
            imageManifestMediaType: string;
          }[];
        }>('ecr', 'BatchGetImage', [
          'batch-get-image',
          '--repository-name',
          repository,
          '--image-ids',
          'imageTag=v1',
        ]);
        digest = got.images[0]?.imageId.imageDigest ?? '';
        manifest = got.images[0]?.imageManifest ?? '';
        mediaType = got.images[0]?.imageManifestMediaType ?? '';
      }, 180_000);
      afterAll(() => {
        if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
      });

      it('PutImage adds a tag to the same manifest; the same tag again is ImageAlreadyExistsException', async () => {
        const put = await ok<{ image: { imageId: { imageDigest: string; imageTag: string } } }>(
          'ecr',
          'PutImage',
          [
            'put-image',
            '--repository-name',
            repository,
            '--image-manifest',
            manifest,
            '--image-manifest-media-type',
            mediaType,
            '--image-digest',
            digest,
            '--image-tag',
            '1.0.0',
          ],
        );
        expect(put.image.imageId).toEqual({ imageDigest: digest, imageTag: '1.0.0' });
        const again = await fails('ecr', [
          'put-image',
          '--repository-name',
          repository,
          '--image-manifest',
          manifest,
          '--image-tag',
          '1.0.0',
        ]);
        expect(again.errorCode).toBe('ImageAlreadyExistsException');
      });

      it('PutImage of an existing immutable tag with another manifest is ImageTagAlreadyExistsException', async () => {
        const other = JSON.stringify({ ...JSON.parse(manifest), annotations: { variant: 'two' } });
        const r = await fails('ecr', [
          'put-image',
          '--repository-name',
          repository,
          '--image-manifest',
          other,
          '--image-manifest-media-type',
          mediaType,
          '--image-tag',
          'v1',
        ]);
        expect(r.errorCode).toBe('ImageTagAlreadyExistsException');
      });

      it('BatchCheckLayerAvailability: pushed layers AVAILABLE, others failures by code', async () => {
        const layers = (JSON.parse(manifest) as { layers: { digest: string; size: number }[] }).layers;
        const out = await ok<{
          layers: { layerDigest: string; layerAvailability: string; layerSize: number }[];
          failures: { layerDigest: string; failureCode: string }[];
        }>('ecr', 'BatchCheckLayerAvailability', [
          'batch-check-layer-availability',
          '--repository-name',
          repository,
          '--layer-digests',
          layers[0]?.digest ?? '',
          `sha256:${'1'.repeat(64)}`,
        ]);
        expect(out.layers).toEqual([
          expect.objectContaining({
            layerDigest: layers[0]?.digest,
            layerAvailability: 'AVAILABLE',
            layerSize: layers[0]?.size,
          }),
        ]);
        expect(out.failures).toEqual([
          expect.objectContaining({
            layerDigest: `sha256:${'1'.repeat(64)}`,
            failureCode: 'MissingLayerDigest',
          }),
        ]);
      });

      it('DescribeImageScanFindings: COMPLETE with scan on push; ScanNotFoundException without; ImageNotFoundException', async () => {
        const out = await ok<{
          imageId: { imageDigest: string };
          imageScanStatus: { status: string };
          imageScanFindings: { findings: unknown[]; findingSeverityCounts: Record<string, number> };
        }>('ecr', 'DescribeImageScanFindings', [
          'describe-image-scan-findings',
          '--repository-name',
          repository,
          '--image-id',
          'imageTag=v1',
        ]);
        expect(out.imageId.imageDigest).toBe(digest);
        expect(out.imageScanStatus.status).toBe('COMPLETE');
        expect(out.imageScanFindings.findings).toEqual([]);
        const notScanned = await fails('ecr', [
          'describe-image-scan-findings',
          '--repository-name',
          'busybox',
          '--image-id',
          'imageTag=latest',
        ]);
        expect(notScanned.errorCode).toBe('ScanNotFoundException');
        const noImage = await fails('ecr', [
          'describe-image-scan-findings',
          '--repository-name',
          repository,
          '--image-id',
          'imageTag=absent',
        ]);
        expect(noImage.errorCode).toBe('ImageNotFoundException');
      });

      it('BatchDeleteImage by tag removes that tag only; by digest the image and its tags', async () => {
        const byTag = await ok<{ imageIds: { imageTag?: string }[]; failures: unknown[] }>(
          'ecr',
          'BatchDeleteImage',
          [
            'batch-delete-image',
            '--repository-name',
            repository,
            '--image-ids',
            'imageTag=1.0.0',
            'imageTag=absent',
          ],
        );
        expect(byTag.imageIds).toEqual([{ imageDigest: digest, imageTag: '1.0.0' }]);
        expect(byTag.failures).toEqual([
          expect.objectContaining({ imageId: { imageTag: 'absent' }, failureCode: 'ImageNotFound' }),
        ]);
        const left = await ok<{ imageIds: unknown[] }>('ecr', 'ListImages', [
          'list-images',
          '--repository-name',
          repository,
        ]);
        expect(left.imageIds).toEqual([{ imageDigest: digest, imageTag: 'v1' }]);

        const byDigest = await ok<{ imageIds: unknown[] }>('ecr', 'BatchDeleteImage', [
          'batch-delete-image',
          '--repository-name',
          repository,
          '--image-ids',
          `imageDigest=${digest}`,
        ]);
        expect(byDigest.imageIds).toEqual([{ imageDigest: digest, imageTag: 'v1' }]);
        const none = await ok<{ imageIds: unknown[] }>('ecr', 'ListImages', [
          'list-images',
          '--repository-name',
          repository,
        ]);
        expect(none.imageIds).toEqual([]);
      });
    });

    it('credentials: unknown key UnrecognizedClientException, wrong secret InvalidSignatureException, garbage session token UnrecognizedClientException', async () => {
      expect(
        (
          await fails('ecr', ['describe-repositories'], {
            env: { AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNSANDBOX00' },
          })
        ).errorCode,
      ).toBe('UnrecognizedClientException');
      expect(
        (
          await fails('ecr', ['describe-repositories'], {
            env: { AWS_SECRET_ACCESS_KEY: 'not-the-secret-of-this-key-0000000000000' },
          })
        ).errorCode,
      ).toBe('InvalidSignatureException');
      expect(
        (await fails('ecr', ['get-authorization-token'], { env: { AWS_SESSION_TOKEN: 'garbage-token' } }))
          .errorCode,
      ).toBe('UnrecognizedClientException');
    });

    it('throttling is ThrottlingException; an expired token ExpiredTokenException', async () => {
      await control().addFaults({
        service: 'ecr',
        operation: 'DescribeRepositories',
        kind: 'throttle',
        count: 1,
      });
      expect((await fails('ecr', ['describe-repositories', '--repository-names', 'busybox'])).errorCode).toBe(
        'ThrottlingException',
      );
      await control().addFaults({
        service: 'ecr',
        operation: 'DescribeRepositories',
        kind: 'expired-credentials',
        count: 1,
      });
      expect((await fails('ecr', ['describe-repositories', '--repository-names', 'busybox'])).errorCode).toBe(
        'ExpiredTokenException',
      );
    });
  });

  describe('Application Auto Scaling', () => {
    const endpoint = (): CliOptions => ({ endpoint: process.env.AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING });
    const svc = 'application-autoscaling';
    let resourceId: string;
    beforeAll(async () => {
      const cluster = unique('aas');
      const family = unique('aas-app');
      expect((await run('ecs', ['create-cluster', '--cluster-name', cluster])).exitCode).toBe(0);
      const td = await run('ecs', [
        'register-task-definition',
        '--family',
        family,
        '--container-definitions',
        JSON.stringify([{ name: 'app', image: 'busybox', memory: 64, essential: true }]),
      ]);
      expect(td.exitCode, td.stderr).toBe(0);
      const created = await run('ecs', [
        'create-service',
        '--cluster',
        cluster,
        '--service-name',
        'web',
        '--task-definition',
        family,
        '--desired-count',
        '1',
      ]);
      expect(created.exitCode, created.stderr).toBe(0);
      resourceId = `service/${cluster}/web`;
    });
    const scope = () => [
      '--service-namespace',
      'ecs',
      '--resource-id',
      resourceId,
      '--scalable-dimension',
      'ecs:service:DesiredCount',
    ];

    it('RegisterScalableTarget / DescribeScalableTargets: capacities, suspended state, the target ARN', async () => {
      const registered = await ok<{ ScalableTargetARN: string }>(
        svc,
        'RegisterScalableTarget',
        ['register-scalable-target', ...scope(), '--min-capacity', '1', '--max-capacity', '3'],
        endpoint(),
      );
      expect(registered.ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:/);
      await ok(
        svc,
        'RegisterScalableTarget',
        [
          'register-scalable-target',
          ...scope(),
          '--suspended-state',
          'DynamicScalingInSuspended=true,DynamicScalingOutSuspended=false,ScheduledScalingSuspended=false',
        ],
        endpoint(),
      );
      const described = await ok<{ ScalableTargets: Record<string, unknown>[] }>(
        svc,
        'DescribeScalableTargets',
        ['describe-scalable-targets', '--service-namespace', 'ecs', '--resource-ids', resourceId],
        endpoint(),
      );
      expect(described.ScalableTargets).toEqual([
        expect.objectContaining({
          ResourceId: resourceId,
          MinCapacity: 1,
          MaxCapacity: 3,
          ScalableTargetARN: registered.ScalableTargetARN,
          SuspendedState: {
            DynamicScalingInSuspended: true,
            DynamicScalingOutSuspended: false,
            ScheduledScalingSuspended: false,
          },
        }),
      ]);
    });

    it('PutScalingPolicy / DescribeScalingPolicies / DeleteScalingPolicy with target tracking', async () => {
      const put = await ok<{ PolicyARN: string; Alarms: unknown[] }>(
        svc,
        'PutScalingPolicy',
        [
          'put-scaling-policy',
          ...scope(),
          '--policy-name',
          'cpu60',
          '--policy-type',
          'TargetTrackingScaling',
          '--target-tracking-scaling-policy-configuration',
          JSON.stringify({
            TargetValue: 60,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          }),
        ],
        endpoint(),
      );
      expect(put.PolicyARN).toMatch(/:scalingPolicy:.*:policyName\/cpu60$/);
      expect(put.Alarms).toHaveLength(2);
      const policies = await ok<{ ScalingPolicies: Record<string, unknown>[] }>(
        svc,
        'DescribeScalingPolicies',
        ['describe-scaling-policies', '--service-namespace', 'ecs', '--resource-id', resourceId],
        endpoint(),
      );
      expect(policies.ScalingPolicies.map((p) => p.PolicyName)).toEqual(['cpu60']);
      await ok(
        svc,
        'DeleteScalingPolicy',
        ['delete-scaling-policy', ...scope(), '--policy-name', 'cpu60'],
        endpoint(),
      );
      expect(
        (await fails(svc, ['delete-scaling-policy', ...scope(), '--policy-name', 'cpu60'], endpoint()))
          .errorCode,
      ).toBe('ObjectNotFoundException');
    });

    it('errors by code: ValidationException (min > max), ObjectNotFoundException (no target)', async () => {
      expect(
        (
          await fails(
            svc,
            ['register-scalable-target', ...scope(), '--min-capacity', '4', '--max-capacity', '2'],
            endpoint(),
          )
        ).errorCode,
      ).toBe('ValidationException');
      await ok(svc, 'DeregisterScalableTarget', ['deregister-scalable-target', ...scope()], endpoint());
      expect((await fails(svc, ['deregister-scalable-target', ...scope()], endpoint())).errorCode).toBe(
        'ObjectNotFoundException',
      );
      expect(
        (
          await fails(
            svc,
            [
              'put-scaling-policy',
              ...scope(),
              '--policy-name',
              'x',
              '--policy-type',
              'TargetTrackingScaling',
              '--target-tracking-scaling-policy-configuration',
              '{"TargetValue":50,"PredefinedMetricSpecification":{"PredefinedMetricType":"ECSServiceAverageCPUUtilization"}}',
            ],
            endpoint(),
          )
        ).errorCode,
      ).toBe('ObjectNotFoundException');
    });
  });

  describe('CloudWatch Logs', () => {
    const at = { endpoint: process.env.AWS_ENDPOINT_URL_ECS };
    it('stores events and answers GetLogEvents (latest first page, from the head, tokens) as the model says', async () => {
      const group = `/ecs/${unique('conf')}`;
      await ok('logs', 'CreateLogGroup', ['create-log-group', '--log-group-name', group], at);
      expect((await fails('logs', ['create-log-group', '--log-group-name', group], at)).errorCode).toBe(
        'ResourceAlreadyExistsException',
      );
      await ok(
        'logs',
        'CreateLogStream',
        ['create-log-stream', '--log-group-name', group, '--log-stream-name', 'ecs/app/t1'],
        at,
      );
      const t0 = Date.now() - 10_000;
      const events = [1, 2, 3, 4, 5].map((i) => ({ timestamp: t0 + i, message: `line ${i}` }));
      await ok(
        'logs',
        'PutLogEvents',
        [
          'put-log-events',
          '--log-group-name',
          group,
          '--log-stream-name',
          'ecs/app/t1',
          '--log-events',
          JSON.stringify(events),
        ],
        at,
      );
      const last = await ok<{
        events: { message: string }[];
        nextForwardToken: string;
        nextBackwardToken: string;
      }>(
        'logs',
        'GetLogEvents',
        ['get-log-events', '--log-group-name', group, '--log-stream-name', 'ecs/app/t1', '--limit', '2'],
        at,
      );
      expect(last.events.map((e) => e.message)).toEqual(['line 4', 'line 5']);
      const before = await ok<{ events: { message: string }[] }>(
        'logs',
        'GetLogEvents',
        [
          'get-log-events',
          '--log-group-name',
          group,
          '--log-stream-name',
          'ecs/app/t1',
          '--limit',
          '2',
          '--next-token',
          last.nextBackwardToken,
        ],
        at,
      );
      expect(before.events.map((e) => e.message)).toEqual(['line 2', 'line 3']);
      const head = await ok<{ events: { message: string }[] }>(
        'logs',
        'GetLogEvents',
        [
          'get-log-events',
          '--log-group-name',
          group,
          '--log-stream-name',
          'ecs/app/t1',
          '--limit',
          '2',
          '--start-from-head',
        ],
        at,
      );
      expect(head.events.map((e) => e.message)).toEqual(['line 1', 'line 2']);
      // At the end of the stream the forward token comes back unchanged.
      const end = await ok<{ events: unknown[]; nextForwardToken: string }>(
        'logs',
        'GetLogEvents',
        [
          'get-log-events',
          '--log-group-name',
          group,
          '--log-stream-name',
          'ecs/app/t1',
          '--next-token',
          last.nextForwardToken,
        ],
        at,
      );
      expect(end.events).toEqual([]);
      expect(end.nextForwardToken).toBe(last.nextForwardToken);
      const streams = await ok<{ logStreams: { logStreamName: string; lastEventTimestamp: number }[] }>(
        'logs',
        'DescribeLogStreams',
        ['describe-log-streams', '--log-group-name', group, '--log-stream-name-prefix', 'ecs/'],
        at,
      );
      expect(streams.logStreams).toMatchObject([{ logStreamName: 'ecs/app/t1', lastEventTimestamp: t0 + 5 }]);
    });

    it('a missing group or stream is ResourceNotFoundException', async () => {
      const group = `/ecs/${unique('conf')}`;
      expect(
        (await fails('logs', ['get-log-events', '--log-group-name', group, '--log-stream-name', 's'], at))
          .errorCode,
      ).toBe('ResourceNotFoundException');
      await ok('logs', 'CreateLogGroup', ['create-log-group', '--log-group-name', group], at);
      expect(
        (await fails('logs', ['get-log-events', '--log-group-name', group, '--log-stream-name', 's'], at))
          .errorCode,
      ).toBe('ResourceNotFoundException');
    });
  });

  describe('CloudTrail', () => {
    const at = { endpoint: process.env.AWS_ENDPOINT_URL_ECS };
    it('LookupEvents finds the calls made, by attribute and time, with the caller’s user agent', async () => {
      const start = new Date(Date.now() - 1000).toISOString();
      const group = `/trail/${unique('conf')}`;
      await ok('logs', 'CreateLogGroup', ['create-log-group', '--log-group-name', group], at);
      const found = await ok<{
        Events: { EventName: string; EventSource: string; ReadOnly: string; CloudTrailEvent: string }[];
      }>(
        'cloudtrail',
        'LookupEvents',
        [
          'lookup-events',
          '--lookup-attributes',
          'AttributeKey=EventName,AttributeValue=CreateLogGroup',
          '--start-time',
          start,
        ],
        at,
      );
      const mine = found.Events.filter(
        (e) =>
          (JSON.parse(e.CloudTrailEvent) as { requestParameters?: { logGroupName?: string } })
            .requestParameters?.logGroupName === group,
      );
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        EventName: 'CreateLogGroup',
        EventSource: 'logs.amazonaws.com',
        ReadOnly: 'false',
      });
      const record = JSON.parse(mine[0]?.CloudTrailEvent ?? '{}') as {
        userAgent: string;
        userIdentity: { accessKeyId: string };
      };
      expect(record.userAgent).toMatch(/^aws-cli\//);
      expect(record.userIdentity.accessKeyId).toBe(process.env.AWS_ACCESS_KEY_ID);
      // An end before the call: nothing of it.
      const earlier = await ok<{ Events: unknown[] }>(
        'cloudtrail',
        'LookupEvents',
        [
          'lookup-events',
          '--lookup-attributes',
          'AttributeKey=EventName,AttributeValue=CreateLogGroup',
          '--start-time',
          new Date(Date.now() - 60_000).toISOString(),
          '--end-time',
          new Date(Date.parse(start) - 1000).toISOString(),
        ],
        at,
      );
      expect(earlier.Events.filter((e) => JSON.stringify(e).includes(group))).toEqual([]);
    });

    it('rejects two lookup attributes and a start after the end as CloudTrail does', async () => {
      expect(
        (
          await fails(
            'cloudtrail',
            [
              'lookup-events',
              '--lookup-attributes',
              'AttributeKey=EventName,AttributeValue=A',
              'AttributeKey=EventSource,AttributeValue=ecs.amazonaws.com',
            ],
            at,
          )
        ).errorCode,
      ).toBe('InvalidLookupAttributesException');
      expect(
        (
          await fails(
            'cloudtrail',
            [
              'lookup-events',
              '--start-time',
              new Date().toISOString(),
              '--end-time',
              new Date(Date.now() - 60_000).toISOString(),
            ],
            at,
          )
        ).errorCode,
      ).toBe('InvalidTimeRangeException');
    });
  });

  describe('CloudWatch (the CLI speaks Smithy RPC v2 CBOR)', () => {
    const at = { endpoint: process.env.AWS_ENDPOINT_URL_ECS };
    it('PutMetricAlarm, SetAlarmState and DescribeAlarms as the model says', async () => {
      const name = unique('conf-alarm');
      await ok(
        'cloudwatch',
        'PutMetricAlarm',
        [
          'put-metric-alarm',
          '--alarm-name',
          name,
          '--metric-name',
          'CPUUtilization',
          '--namespace',
          'AWS/ECS',
          '--statistic',
          'Average',
          '--period',
          '60',
          '--evaluation-periods',
          '1',
          '--threshold',
          '80',
          '--comparison-operator',
          'GreaterThanThreshold',
        ],
        at,
      );
      const fresh = await ok<{ MetricAlarms: { AlarmName: string; StateValue: string }[] }>(
        'cloudwatch',
        'DescribeAlarms',
        ['describe-alarms', '--alarm-names', name],
        at,
      );
      expect(fresh.MetricAlarms).toMatchObject([{ AlarmName: name, StateValue: 'INSUFFICIENT_DATA' }]);
      await ok(
        'cloudwatch',
        'SetAlarmState',
        ['set-alarm-state', '--alarm-name', name, '--state-value', 'ALARM', '--state-reason', 'testing'],
        at,
      );
      const fired = await ok<{
        MetricAlarms: { StateValue: string; StateReason: string; StateUpdatedTimestamp: string }[];
      }>(
        'cloudwatch',
        'DescribeAlarms',
        ['describe-alarms', '--alarm-names', name, '--state-value', 'ALARM'],
        at,
      );
      expect(fired.MetricAlarms).toMatchObject([{ StateValue: 'ALARM', StateReason: 'testing' }]);
      // CLI v1 prints timestamps as the wire gave them (cli_timestamp_format none): CBOR tag 1, epoch seconds.
      expect(Number(fired.MetricAlarms[0]?.StateUpdatedTimestamp) * 1000).toBeGreaterThan(
        Date.now() - 120_000,
      );
    });

    it('an unknown alarm is ResourceNotFound (query-compatible code)', async () => {
      expect(
        (
          await fails(
            'cloudwatch',
            ['set-alarm-state', '--alarm-name', unique('nope'), '--state-value', 'OK', '--state-reason', 'x'],
            at,
          )
        ).errorCode,
      ).toBe('ResourceNotFound');
    });
  });
});
