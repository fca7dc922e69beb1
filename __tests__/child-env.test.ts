// What a child process (builder, push, probe) gets of the step's environment.
import { describe, expect, it } from 'vitest';
import { childEnvironment, isChildVariable } from '../src/child-env.ts';

describe('isChildVariable', () => {
  it.each([
    ['PATH', true],
    ['HOME', true],
    ['TMPDIR', true],
    ['LANG', true],
    ['LC_ALL', true],
    ['DOCKER_CONFIG', true],
    ['DOCKER_HOST', true],
    ['DOCKER_BUILDKIT', true],
    ['REGISTRY_AUTH_FILE', true],
    ['BUILDAH_ISOLATION', true],
    ['BUILDX_BUILDER', true],
    ['CONTAINERS_REGISTRIES_CONF', true],
    ['STORAGE_DRIVER', true],
    ['HTTPS_PROXY', true],
    ['https_proxy', true],
    ['NO_PROXY', true],
    ['SSL_CERT_FILE', true],
    ['AWS_ACCESS_KEY_ID', false],
    ['AWS_SECRET_ACCESS_KEY', false],
    ['AWS_SESSION_TOKEN', false],
    ['AWS_ENDPOINT_URL_ECR', false],
    ['INPUT_BUILD-SECRETS', false],
    ['INPUT_REPOSITORY', false],
    ['GITHUB_TOKEN', false],
    ['ACTIONS_RUNTIME_TOKEN', false],
    ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', false],
    ['DOCKER_PASSWORD', false],
    ['NPM_TOKEN', false],
    ['path', false],
  ])('%s → %s', (name, expected) => {
    expect(isChildVariable(name)).toBe(expected);
  });
});

describe('childEnvironment', () => {
  const step = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/runner',
    DOCKER_HOST: 'unix:///run/docker.sock',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'INPUT_BUILD-SECRETS': 'npm=env:NPM_TOKEN',
    NPM_TOKEN: 'npm-secret',
    UNSET: undefined,
  };

  it('keeps what builders need and drops credentials and inputs', () => {
    expect(childEnvironment(step)).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/runner',
      DOCKER_HOST: 'unix:///run/docker.sock',
    });
  });

  it('passes a variable a build secret names, and nothing else of the kind', () => {
    expect(childEnvironment(step, { pass: ['NPM_TOKEN', 'NOT_THERE'] })).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/runner',
      DOCKER_HOST: 'unix:///run/docker.sock',
      NPM_TOKEN: 'npm-secret',
    });
  });

  it("sets the command's own variables over the step's", () => {
    const env = childEnvironment(step, {
      set: { DOCKER_CONFIG: '/runner/temp/docker-config', DOCKER_BUILDKIT: '0', HOME: '/elsewhere' },
    });
    expect(env.DOCKER_CONFIG).toBe('/runner/temp/docker-config');
    expect(env.DOCKER_BUILDKIT).toBe('0');
    expect(env.HOME).toBe('/elsewhere');
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
  });
});
