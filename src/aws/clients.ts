import https from 'node:https';
import http from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ECRClient } from '@aws-sdk/client-ecr';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

export interface AwsClientOptions {
  readonly region: string;
  readonly env: NodeJS.ProcessEnv;
}

const USER_AGENT: [string, string] = ['ecr-deploy', '1'];

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
    customUserAgent: [[...USER_AGENT]] as [string, string][],
    ...(stepCredentials ? { credentials: stepCredentials } : {}),
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
