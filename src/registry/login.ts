import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { describeAwsError } from '../aws/errors.ts';

export interface RegistryCredentials {
  /** Registry host from ECR's `proxyEndpoint`. */
  readonly host: string;
  readonly username: string;
  readonly password: string;
  /** base64(`username:password`), the form Docker's config.json stores. */
  readonly auth: string;
  readonly expiresAt: Date | undefined;
}

/** Decodes an ECR authorization token; every secret form is masked before anything else sees it. */
export function decodeAuthorizationToken(
  token: string,
  proxyEndpoint: string,
): Omit<RegistryCredentials, 'expiresAt'> {
  core.setSecret(token);
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('ECR returned an authorization token that is not base64("user:password")');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  core.setSecret(password);
  return { host: new URL(proxyEndpoint).host, username, password, auth: token };
}

/** A login for `registryId`'s registry, or the caller's own when undefined. */
export async function getRegistryCredentials(
  ecr: ECRClient,
  registryId: string | undefined,
): Promise<RegistryCredentials> {
  let out;
  try {
    out = await ecr.send(new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}));
  } catch (error) {
    throw describeAwsError('GetAuthorizationToken', error, {
      permission: 'ecr:GetAuthorizationToken',
      subject: `registry ${registryId ?? '(own account)'}`,
    });
  }
  const data = out.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new Error(`GetAuthorizationToken returned no token for registry ${registryId ?? '(own account)'}`);
  }
  return {
    ...decodeAuthorizationToken(data.authorizationToken, data.proxyEndpoint),
    expiresAt: data.expiresAt,
  };
}
