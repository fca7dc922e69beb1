import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_VERSION, clientConfig, userAgentPairs } from '../../src/aws/clients.ts';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('the user agent every AWS call carries', () => {
  it('names the action’s own version', () => {
    expect(ACTION_VERSION).toBe(version);
  });

  it.each([
    [
      'a full run',
      { GITHUB_REPOSITORY: 'octo/shop', GITHUB_RUN_ID: '4711', GITHUB_RUN_ATTEMPT: '2' },
      [['ecr-deploy', version], ['gh-repo/octo/shop'], ['gh-run', '4711'], ['gh-attempt', '2']],
    ],
    ['outside Actions', {}, [['ecr-deploy', version]]],
    [
      'a value a user agent cannot hold is left out',
      { GITHUB_REPOSITORY: 'octo/shop app', GITHUB_RUN_ID: '12 34', GITHUB_RUN_ATTEMPT: '1' },
      [
        ['ecr-deploy', version],
        ['gh-attempt', '1'],
      ],
    ],
  ])('%s', (_name, env, expected) => {
    expect(userAgentPairs(env)).toEqual(expected);
  });

  it('is what every client is configured with', () => {
    const config = clientConfig({ region: 'eu-west-1', env: { GITHUB_RUN_ID: '9' } });
    expect(config.customUserAgent).toEqual([
      ['ecr-deploy', version],
      ['gh-run', '9'],
    ]);
  });
});
