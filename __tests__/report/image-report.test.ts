import { describe, expect, it } from 'vitest';
import { imageOutputs, imageSummary, type ImageReport } from '../../src/report/image-report.ts';
import { decodeAuthorizationToken } from '../../src/registry/login.ts';

const digest = `sha256:${'c3'.repeat(32)}`;
const report: ImageReport = {
  registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  repositoryUri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app',
  ecr: { registryId: '123456789012', repositoryName: 'my-app', region: 'eu-west-1' },
  digest,
  tags: ['1.2.3', 'sha-6113728'],
  primary: '1.2.3',
  skipped: [{ tag: 'latest', reason: 'the repository is immutable' }],
  held: [],
  sizeBytes: 3 * 1024 * 1024,
  origin: 'built',
  builder: 'docker',
};

describe('image outputs and summary', () => {
  it('fills every output from the report', () => {
    expect(imageOutputs(report)).toEqual({
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      'repository-uri': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app',
      'image-uri': '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:1.2.3',
      'image-digest': digest,
      'image-ref': `123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app@${digest}`,
      tags: '1.2.3\nsha-6113728',
      'tag-refs':
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:1.2.3\n123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:sha-6113728',
      json: JSON.stringify({
        tags: [
          '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:1.2.3',
          '123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-app:sha-6113728',
        ],
        labels: {},
      }),
      'image-reused': 'false',
    });
  });

  it('points image-uri at the digest when there is no tag, and says when nothing was built', () => {
    const given = {
      ...report,
      tags: [],
      primary: undefined,
      ecr: undefined,
      origin: 'given' as const,
      builder: undefined,
    };
    const out = imageOutputs(given);
    expect(out['image-uri']).toBe(`${report.repositoryUri}@${digest}`);
    expect(out['image-reused']).toBe('true');
    expect(imageSummary(given)).not.toContain('console.aws.amazon.com');
    expect(imageSummary(given)).toContain('given (image input)');
  });

  it('summarises tags, digest, size, skipped tags and the console link', () => {
    const md = imageSummary(report);
    expect(md).toContain('**1.2.3**, sha-6113728');
    expect(md).toContain('3.0 MiB');
    expect(md).toContain('`latest` not set: the repository is immutable');
    expect(md).toContain(
      `https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/123456789012/my-app/_/image/${digest}/details?region=eu-west-1`,
    );
    expect(md).not.toContain('not moved');
  });

  it('says which floating tags stayed where they were because the deploy did not complete', () => {
    const md = imageSummary({ ...report, held: ['latest', '1'] });
    expect(md).toContain('`latest` not moved: the deploy did not complete');
    expect(md).toContain('`1` not moved');
  });
});

describe('decodeAuthorizationToken', () => {
  it('splits user and password at the first colon', () => {
    const token = Buffer.from('AWS:pa:ss').toString('base64');
    expect(decodeAuthorizationToken(token, 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
      host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: 'pa:ss',
      auth: token,
    });
  });
  it('rejects a token without a user', () => {
    expect(() => decodeAuthorizationToken(Buffer.from('nocolon').toString('base64'), 'https://h')).toThrow(
      /not base64/,
    );
  });
});
