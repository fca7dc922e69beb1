import { describe, expect, it } from 'vitest';
import { chooseBuilder, type CommandRunner } from '../../src/image/builder.ts';
import { InputError } from '../../src/errors.ts';

/** A runner whose probes succeed for the listed `command args` strings. */
function runnerWith(working: string[]): CommandRunner & { probed: string[] } {
  const probed: string[] = [];
  return {
    probed,
    run: async () => ({ exitCode: 0, output: '' }),
    probe: async (command, args) => {
      const key = [command, ...args].join(' ');
      probed.push(key);
      return working.includes(key);
    },
  };
}

const none = { platforms: [], provenance: false, secrets: [], cache: undefined };

describe('chooseBuilder', () => {
  it.each([
    [['docker buildx version', 'docker info', 'buildah --version'], 'auto', 'buildx'],
    [['docker info', 'buildah --version'], 'auto', 'docker'],
    [['buildah --version'], 'auto', 'buildah'],
    [['docker buildx version', 'buildah --version'], 'buildah', 'buildah'],
    [['docker info'], 'docker', 'docker'],
  ] as const)('with %j and builder %s → %s', async (working, choice, expected) => {
    expect(await chooseBuilder(choice, none, runnerWith([...working]))).toBe(expected);
  });

  it('lets buildah take build secrets', async () => {
    const needs = { ...none, secrets: [{ id: 'x', source: { kind: 'value' as const, value: 'v' } }] };
    expect(await chooseBuilder('buildah', needs, runnerWith(['buildah --version']))).toBe('buildah');
  });

  it('fails naming the builder input when nothing can build', async () => {
    await expect(chooseBuilder('auto', none, runnerWith([]))).rejects.toThrow(
      /Input "builder": no image builder found/,
    );
  });

  it('does not fall back to buildah when docker was asked for', async () => {
    await expect(chooseBuilder('docker', none, runnerWith(['buildah --version']))).rejects.toThrow(
      /no Docker engine answers.*builder: buildah/,
    );
  });

  it('fails when buildah is asked for and missing, without probing docker', async () => {
    const runner = runnerWith(['docker info']);
    await expect(chooseBuilder('buildah', none, runner)).rejects.toThrow(/buildah was asked for/);
    expect(runner.probed).toEqual(['buildah --version']);
  });

  it.each([
    [{ ...none, platforms: ['linux/arm64'] }, 'platforms', /needs docker buildx.*setup-buildx-action/],
    [{ ...none, provenance: true }, 'provenance', /provenance attestations need docker buildx/],
    [{ ...none, cache: 'gha' as const }, 'cache', /a build cache needs docker buildx/],
    [
      { ...none, secrets: [{ id: 'x', source: { kind: 'value' as const, value: 'v' } }] },
      'build-secrets',
      /legacy Docker builder .* cannot pass build secrets.*builder: buildah/,
    ],
  ])('refuses buildx-only inputs on the legacy builder: %j', async (needs, input, message) => {
    const error = await chooseBuilder('auto', needs, runnerWith(['docker info'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe(input);
    expect((error as InputError).message).toMatch(message);
  });
});
