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

  it.each([
    [
      'a skipped tag',
      { skipped: [{ tag: 'latest', reason: 'immutable | no filter' }] },
      'not-completed' as const,
      ['| ⚠️ Tag not set | `latest` not set: immutable \\| no filter |'],
    ],
    [
      'held tags of a deploy that did not complete',
      { skipped: [], held: ['latest', '1'] },
      'not-completed' as const,
      [
        '| ⚠️ Tag not moved | `latest` not moved: the deploy did not complete, so it stays on the image it was on |',
        '| ⚠️ Tag not moved | `1` not moved: the deploy did not complete, so it stays on the image it was on |',
      ],
    ],
    [
      'held tags of a cancelled deploy',
      { skipped: [], held: ['main'] },
      'cancelled' as const,
      [
        '| ⚠️ Tag not moved | `main` not moved: the deploy was cancelled, so it stays on the image it was on |',
      ],
    ],
    [
      'held tags that could not be moved after the deploy completed',
      { skipped: [], held: ['latest'] },
      'refused' as const,
      [
        '| ⚠️ Tag not moved | `latest` not moved: the deploy completed, but moving it failed (the step’s error says why) |',
      ],
    ],
    ['tags all set and moved', { skipped: [] }, 'not-completed' as const, []],
  ])('a warning row per tag not set or not moved: %s', (_what, over, because, warnings) => {
    const md = imageSummary({ ...report, ...over }, because);
    expect(md.split('\n').filter((l) => l.startsWith('| ⚠️'))).toEqual(warnings);
  });

  it.each([
    [{ buildSeconds: 72.4 }, '| Build duration | 1 min 12 s |'],
    [{ buildSeconds: 8.25 }, '| Build duration | 8.3 s |'],
  ])('shows the build duration: %j', (over, row) => {
    expect(imageSummary({ ...report, ...over }).split('\n')).toContain(row);
  });

  it('has no build duration row for an image this step did not build', () => {
    expect(imageSummary({ ...report, origin: 'reused', builder: undefined })).not.toContain('Build duration');
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
