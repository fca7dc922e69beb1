// The judges are what they claim to be: each kubectl binary reports its own version, the AWS CLI runs on
// botocore, moto's server module imports. A judge that is absent skips (visibly) instead of passing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { modelViolations } from './aws-cli.ts';
import { awsCli, kubectlBinaries, kubectlJudges, motoAvailable } from './judges.ts';

const kubectls = kubectlBinaries();

describe.skipIf(kubectls.length === 0)('kubectl judges', () => {
  it.each(kubectlJudges().map((k) => [k.minor, k.path] as const))(
    'kubectl 1.%i reports its own client version',
    (minor, path) => {
      const v = JSON.parse(
        execFileSync(path, ['version', '--client', '-o', 'json'], { encoding: 'utf8' }),
      ) as {
        clientVersion: { major: string; minor: string };
      };
      expect(v.clientVersion.major).toBe('1');
      expect(Number.parseInt(v.clientVersion.minor, 10)).toBe(minor);
    },
  );
});

const aws = awsCli();
describe.skipIf(!aws)('AWS CLI judge', () => {
  it('is the botocore-based CLI v1', () => {
    const out = execFileSync(aws ?? 'aws', ['--version'], { encoding: 'utf8' });
    expect(out).toMatch(/aws-cli\/1\.\d+\.\d+ .*botocore\/1\.\d+/);
  });

  it("has a shape validator that reports what botocore's model does not allow, answer after answer", async () => {
    const repo = {
      repositoryName: 'web',
      repositoryArn: 'arn:aws:ecr:us-east-1:123456789012:repository/web',
    };
    expect(await modelViolations('ecr', 'DescribeRepositories', { repositories: [repo] })).toEqual([]);
    const wrong = {
      repositories: [{ ...repo, repositoryName: 5, imageTagMutability: 'SOMETIMES', colour: 'red' }],
    };
    expect(await modelViolations('ecr', 'DescribeRepositories', wrong)).toEqual([
      'DescribeRepositories.repositories[0].repositoryName: expected string, got int',
      expect.stringMatching(
        /^DescribeRepositories\.repositories\[0\]\.imageTagMutability: 'SOMETIMES' is not one of ImageTagMutability \[.*'IMMUTABLE'/,
      ),
      'DescribeRepositories.repositories[0].colour: not a member of Repository',
    ]);
    await expect(modelViolations('ecr', 'NoSuchOperation', {})).rejects.toThrow(/shape validator failed/);
    expect(await modelViolations('ecs', 'ListClusters', { clusterArns: ['a'] })).toEqual([]);
  });
});

describe.skipIf(!motoAvailable())('moto judge', () => {
  it('has a server module that answers --help', () => {
    const out = execFileSync('python3', ['-m', 'moto.server', '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/port/i);
  });
});
