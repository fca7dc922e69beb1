import { describe, expect, it } from 'vitest';
import { BUILD_INPUTS_LABEL, REVISION_LABEL, buildInputsHash, judgeReuse } from '../../src/image/reuse.ts';
import { parseChallenge } from '../../src/registry/registry-api.ts';

interface HashInputs {
  dockerfile: string;
  context: string;
  buildArgs: { name: string; value: string }[];
  target: string | undefined;
  platforms: string[];
}
const base: HashInputs = {
  dockerfile: '/w/app/Dockerfile',
  context: '/w/app',
  buildArgs: [{ name: 'VERSION', value: '1' }],
  target: undefined,
  platforms: ['linux/amd64', 'linux/arm64'],
};
const hash = (over: Partial<HashInputs> = {}, content = 'FROM busybox\n', workspace = '/w') =>
  buildInputsHash({ ...base, ...over }, content, workspace);

describe('buildInputsHash', () => {
  it('is stable for the same inputs, wherever the workspace is', () => {
    expect(hash()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hash()).toBe(hash());
    expect(
      buildInputsHash(
        { ...base, dockerfile: '/other/app/Dockerfile', context: '/other/app' },
        'FROM busybox\n',
        '/other',
      ),
    ).toBe(hash());
    expect(hash({ platforms: ['linux/arm64', 'linux/amd64'] })).toBe(hash());
  });

  it.each([
    ['a build-arg value', { buildArgs: [{ name: 'VERSION', value: '2' }] }],
    ['a build-arg name', { buildArgs: [{ name: 'RELEASE', value: '1' }] }],
    ['the target', { target: 'runtime' }],
    ['the platforms', { platforms: ['linux/amd64'] }],
    ['the Dockerfile path', { dockerfile: '/w/app/Dockerfile.prod' }],
  ] as [string, Partial<HashInputs>][])('changes with %s', (_what, over) => {
    expect(hash(over)).not.toBe(hash());
  });

  it('changes with the Dockerfile content', () => {
    expect(hash({}, 'FROM busybox\nRUN true\n')).not.toBe(hash());
  });
});

describe('judgeReuse', () => {
  const sha = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
  const expected = { revision: sha, hash: 'sha256:aa' };
  it.each([
    [{ [REVISION_LABEL]: sha, [BUILD_INPUTS_LABEL]: 'sha256:aa' }, true, undefined],
    [{ [REVISION_LABEL]: sha, [BUILD_INPUTS_LABEL]: 'sha256:bb' }, false, /build inputs changed/],
    [{ [REVISION_LABEL]: sha }, false, /no build-inputs label/],
    [
      { [REVISION_LABEL]: 'f'.repeat(40), [BUILD_INPUTS_LABEL]: 'sha256:aa' },
      false,
      /built from f{40}, not 6113728/,
    ],
    [{}, false, /no revision label/],
    [undefined, false, /no revision label/],
  ])('%j → reuse %s', (labels, reuse, reason) => {
    const verdict = judgeReuse(labels, expected);
    expect(verdict.reuse).toBe(reuse);
    if (!verdict.reuse) expect(verdict.reason).toMatch(reason!);
  });
});

describe('parseChallenge', () => {
  it('reads a bearer challenge', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://127.0.0.1:5000/token",service="registry",scope="repository:a:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://127.0.0.1:5000/token', service: 'registry', scope: 'repository:a:pull' },
    });
  });
  it('reads ECR basic challenge', () => {
    expect(
      parseChallenge(
        'Basic realm="https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com"',
      ),
    ).toEqual({
      scheme: 'basic',
      params: {
        realm: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/',
        service: 'ecr.amazonaws.com',
      },
    });
  });
});
