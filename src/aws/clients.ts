import https from 'node:https';
import http from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ECRClient } from '@aws-sdk/client-ecr';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsClientOptions {
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
}

/** This action's version (package.json's; a unit test keeps them equal). */
export const ACTION_VERSION = '0.1.0';

/**
 * The user agent every AWS call carries, so CloudTrail's `userAgent` ties each event to the run:
 * `ecr-deploy/<version> gh-repo/<owner>/<name> gh-run/<run id> gh-attempt/<attempt>` (parts the runner does
 * not give are left out). Pairs as the SDK's `customUserAgent` takes them; it escapes what a user agent cannot hold.
 */
export function userAgentPairs(env: NodeJS.ProcessEnv): [string, string?][] {
  const token = (v: string | undefined) => (v && /^[\w.-]+(?:\/[\w.-]+)*$/.test(v) ? v : undefined);
  const repository = token(env.GITHUB_REPOSITORY);
  const run = token(env.GITHUB_RUN_ID);
  const attempt = token(env.GITHUB_RUN_ATTEMPT);
  return [
    ['ecr-deploy', ACTION_VERSION],
    ...(repository ? [[`gh-repo/${repository}`] as [string]] : []),
    ...(run ? [['gh-run', run] as [string, string]] : []),
    ...(attempt ? [['gh-attempt', attempt] as [string, string]] : []),
  ];
}

/** Agent options for every HTTP client of the action: Node 24 agents honour HTTPS_PROXY/NO_PROXY given `proxyEnv`. */
export function agentOptions(env: NodeJS.ProcessEnv): https.AgentOptions {
  const proxied = Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
  return { keepAlive: true, ...(proxied ? { proxyEnv: env } : {}) };
}

let stepCredentials: AwsCredentialIdentityProvider | undefined;

/**
 * The credentials every client of this step uses from now on (role-to-assume's renewing session). Unset: the
 * SDK's default chain.
 */
export function useStepCredentials(provider: AwsCredentialIdentityProvider | undefined): void {
  stepCredentials = provider;
}

/** The step's own credentials provider, when it has one (for signers outside SDK clients, e.g. the EKS token). */
export function stepCredentialsProvider(): AwsCredentialIdentityProvider | undefined {
  return stepCredentials;
}

/**
 * Shared client settings. Endpoints come from the SDK's standard configuration (AWS_ENDPOINT_URL_<SERVICE>,
 * profiles), credentials from the step's own provider (useStepCredentials) or else the SDK's default chain.
 * Retries are adaptive: throttling slows the client down instead of failing the step.
 */
export function clientConfig({ region, env }: AwsClientOptions) {
  const options = agentOptions(env);
  return {
    region,
    retryMode: 'adaptive' as const,
    maxAttempts: 5,
    ...(stepCredentials ? { credentials: stepCredentials } : {}),
    customUserAgent: userAgentPairs(env),
    requestHandler: new NodeHttpHandler({
      httpsAgent: new https.Agent(options),
      httpAgent: new http.Agent(options),
      connectionTimeout: 10_000,
      requestTimeout: 60_000,
    }),
  };
}

export function createEcrClient(options: AwsClientOptions): ECRClient {
  return new ECRClient(clientConfig(options));
}

/** Application Auto Scaling (the `auto-scaling` input, `desired-count` checks): loaded only when used. */
export async function createScalingClient(options: AwsClientOptions) {
  const { ApplicationAutoScalingClient } = await import('@aws-sdk/client-application-auto-scaling');
  return new ApplicationAutoScalingClient(clientConfig(options));
}

/** Waiting code is time-critical: the ECS client is loaded only when an ECS target is deployed. */
export async function createEcsClient(options: AwsClientOptions) {
  const { ECSClient } = await import('@aws-sdk/client-ecs');
  return new ECSClient(clientConfig(options));
}

/** Only previews with a listener talk to Elastic Load Balancing. */
export async function createElbClient(options: AwsClientOptions) {
  const { ElasticLoadBalancingV2Client } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  return new ElasticLoadBalancingV2Client(clientConfig(options));
}

/** CloudWatch Logs, loaded only when a failed ECS task's log lines are read (one client per log region). */
export async function createLogsClient(options: AwsClientOptions) {
  const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
  return new CloudWatchLogsClient(clientConfig(options));
}

/** CloudWatch, loaded only when alarms are watched. */
export async function createCloudWatchClient(options: AwsClientOptions) {
  const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
  return new CloudWatchClient(clientConfig(options));
}
