import * as exec from '@actions/exec';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { BuilderKind, Command } from './build-command.ts';
import type { BuildInputs, BuilderChoice } from './types.ts';

/** Runs a command, streaming its output to the log, and keeps the tail of it for error messages. */
export interface CommandRunner {
  /** Runs `command` with the step's environment plus `options.env` (the caller merges `command.env` in). */
  run(
    command: Command,
    options?: { env?: Readonly<Record<string, string>> },
  ): Promise<{ exitCode: number; output: string }>;
  /** Exit code only, output discarded: how tools are probed (never by parsing their text). */
  probe(command: string, args: readonly string[]): Promise<boolean>;
}

const TAIL = 64 * 1024;

export function createCommandRunner(): CommandRunner {
  return {
    async run(command, options = {}) {
      let output = '';
      const keep = (data: Buffer) => {
        output = (output + data.toString('utf8')).slice(-TAIL);
      };
      const exitCode = await exec.exec(command.command, [...command.args], {
        ignoreReturnCode: true,
        env: { ...(process.env as Record<string, string>), ...options.env },
        listeners: { stdout: keep, stderr: keep },
      });
      return { exitCode, output };
    },
    async probe(command, args) {
      try {
        const code = await exec.exec(command, [...args], { ignoreReturnCode: true, silent: true });
        return code === 0;
      } catch {
        return false; // not installed
      }
    },
  };
}

export type BuilderNeeds = Pick<BuildInputs, 'platforms' | 'provenance' | 'secrets' | 'cache'>;

/**
 * Picks the builder by probing: buildx where the plugin works, else the Docker engine's own builder, else
 * buildah. Inputs that only buildx can honour are errors with the others, before anything is built.
 */
export async function chooseBuilder(
  choice: BuilderChoice,
  needs: BuilderNeeds,
  runner: CommandRunner,
): Promise<BuilderKind> {
  let kind: BuilderKind | undefined;
  if (choice === 'buildah') {
    if (!(await runner.probe('buildah', ['--version']))) {
      throw new InputError(
        Input.Builder,
        'buildah was asked for but is not installed. Install buildah, or set builder: auto.',
      );
    }
    kind = 'buildah';
  } else {
    // Probed together: each is a process start, and `docker info` waits for the engine.
    const [buildx, engine, buildah] = await Promise.all([
      runner.probe('docker', ['buildx', 'version']),
      runner.probe('docker', ['info']),
      choice === 'auto' ? runner.probe('buildah', ['--version']) : Promise.resolve(false),
    ]);
    kind = buildx ? 'buildx' : engine ? 'docker' : buildah ? 'buildah' : undefined;
  }
  if (!kind) {
    throw new InputError(
      Input.Builder,
      choice === 'docker'
        ? 'no Docker engine answers (docker info failed). Start Docker, or set builder: buildah.'
        : 'no image builder found: neither docker (buildx or a running engine) nor buildah works here. Install one of them.',
    );
  }
  if (kind !== 'buildx') {
    if (needs.platforms.length > 0) {
      throw new InputError(
        Input.Platforms,
        `needs docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action before this step, or leave platforms empty.`,
      );
    }
    if (needs.cache) {
      throw new InputError(
        Input.Cache,
        `a build cache needs docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action, or leave cache empty.`,
      );
    }
    if (needs.provenance) {
      throw new InputError(
        Input.Provenance,
        `provenance attestations need docker buildx, and this runner builds with ${kind}. Add docker/setup-buildx-action, or set provenance: false.`,
      );
    }
  }
  if (kind === 'docker' && needs.secrets.length > 0) {
    throw new InputError(
      Input.BuildSecrets,
      'the legacy Docker builder (no buildx on this runner) cannot pass build secrets. Add docker/setup-buildx-action, or set builder: buildah.',
    );
  }
  return kind;
}
