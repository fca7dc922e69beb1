import { describe, expect, it } from 'vitest';
import { describeAwsError } from '../../src/aws/errors.ts';

function sdkError(name: string, message: string) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, requestId: 'req-1' } });
}

const opts = {
  permission: 'ecr:DescribeRepositories',
  subject: 'repository my-app',
  endpoint: 'https://api.ecr.eu-west-1.amazonaws.com',
};

describe('describeAwsError', () => {
  it.each([
    ['UnrecognizedClientException', /credentials were rejected.*configure-aws-credentials/],
    ['InvalidSignatureException', /credentials were rejected/],
    ['ExpiredTokenException', /have not expired/],
    ['AccessDeniedException', /was denied .*Allow ecr:DescribeRepositories/],
  ])('%s → says what to do', (name, message) => {
    const e = describeAwsError('DescribeRepositories', sdkError(name, 'boom'), opts);
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/request id req-1/);
    expect(e.code).toBe(name);
  });

  it('says which step is missing when no credentials were found at all', () => {
    const err = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const e = describeAwsError('DescribeRepositories', err, opts);
    expect(e.message).toMatch(
      /^DescribeRepositories for repository my-app: no AWS credentials were found \(Could not load credentials from any providers\)\. Run aws-actions\/configure-aws-credentials/,
    );
    expect(e.message).not.toMatch(/were rejected/);
  });

  it('names the endpoint when it cannot be reached', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const e = describeAwsError('DescribeRepositories', err, opts);
    expect(e.message).toMatch(
      /could not reach https:\/\/api\.ecr\.eu-west-1\.amazonaws\.com \(ECONNREFUSED\).*HTTPS_PROXY/,
    );
  });

  it('keeps the service message for anything else', () => {
    const e = describeAwsError('PutImage', sdkError('LimitExceededException', 'too many tags'), opts);
    expect(e.message).toBe(
      'PutImage for repository my-app failed: LimitExceededException: too many tags (request id req-1)',
    );
  });
});

describe('clientConfig', () => {
  it('routes through HTTPS_PROXY (honouring NO_PROXY) only when a proxy is configured', async () => {
    const { agentOptions } = await import('../../src/aws/clients.ts');
    const env = { HTTPS_PROXY: 'http://proxy.internal.test:3128', NO_PROXY: '169.254.169.254' };
    expect(agentOptions(env)).toEqual({ keepAlive: true, proxyEnv: env });
    expect(agentOptions({})).toEqual({ keepAlive: true });
  });
});
