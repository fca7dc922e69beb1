/** A failed AWS call, with what the user can do about it. */
export class AwsCallError extends Error {
  readonly operation: string;
  readonly code: string | undefined;

  constructor(operation: string, message: string, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AwsCallError';
    this.operation = operation;
    this.code = code;
  }
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
]);

export function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SdkErrorShape;
  return e.name && e.name !== 'Error' ? e.name : e.code;
}

export interface DescribeCallOptions {
  /** e.g. `ecr:DescribeRepositories` */
  readonly permission: string;
  /** What the call was about, for the message, e.g. `repository my-app`. */
  readonly subject: string;
  /** The endpoint the client talks to, for network errors. */
  readonly endpoint?: string;
}

/**
 * Turns an SDK error into one sentence that says what failed and what to do. Service-specific errors that
 * callers handle themselves (RepositoryNotFoundException, …) are not passed here.
 */
export function describeAwsError(
  operation: string,
  error: unknown,
  options: DescribeCallOptions,
): AwsCallError {
  const name = errorName(error);
  const message = (error as SdkErrorShape | undefined)?.message ?? String(error);
  const requestId = (error as SdkErrorShape | undefined)?.$metadata?.requestId;
  const suffix = requestId ? ` (request id ${requestId})` : '';
  let text: string;
  if (name === 'CredentialsProviderError') {
    text =
      `${operation} for ${options.subject}: no AWS credentials were found (${message}). ` +
      'Run aws-actions/configure-aws-credentials (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) in a step before this one.';
  } else if (name && CREDENTIAL_ERRORS.has(name)) {
    text =
      `${operation} for ${options.subject}: the AWS credentials were rejected (${name}: ${message}). ` +
      'Check that a credentials step (e.g. aws-actions/configure-aws-credentials) runs before this one and that ' +
      'the key, secret and session token belong together and have not expired.';
  } else if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    text = `${operation} for ${options.subject} was denied (${message}). Allow ${options.permission} for this role.`;
  } else if (name && NETWORK_CODES.has(name)) {
    text =
      `${operation} for ${options.subject}: could not reach ${options.endpoint ?? 'the AWS endpoint'} (${name}). ` +
      'Check the region, the network or proxy (HTTPS_PROXY, NO_PROXY), and any AWS_ENDPOINT_URL_* settings.';
  } else {
    text = `${operation} for ${options.subject} failed: ${name ? `${name}: ` : ''}${message}`;
  }
  return new AwsCallError(operation, text + suffix, name, { cause: error });
}
