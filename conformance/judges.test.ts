// The judges are what they claim to be: each kubectl binary reports its own version, the AWS CLI runs on
// botocore, moto's server module imports. A judge that is absent skips (visibly) instead of passing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
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
});

describe.skipIf(!motoAvailable())('moto judge', () => {
  it('has a server module that answers --help', () => {
    const out = execFileSync('python3', ['-m', 'moto.server', '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/port/i);
  });
});
