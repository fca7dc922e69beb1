import { spawn } from 'node:child_process';
import * as core from '@actions/core';
import { childEnvironment } from '../child-env.ts';
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { BuilderKind, Command } from './build-command.ts';
import type { BuildInputs, BuilderChoice } from './types.ts';

/** Runs a command, streaming its output to the log, and keeps the tail of it for error messages. */
export interface CommandRunner {
  /**
   * Runs `command` with a minimal environment (see child-env.ts): the step's variables a builder needs,
   * those named in `options.pass`, and `options.env` (the caller merges `command.env` in) on top.
   */
  run(
    command: Command,
    options?: { env?: Readonly<Record<string, string>>; pass?: readonly string[] },
  ): Promise<{ exitCode: number; output: string }>;
  /** Exit code only, output discarded: how tools are probed (never by parsing their text). */
  probe(command: string, args: readonly string[]): Promise<boolean>;
}

const TAIL = 64 * 1024;
/** After SIGTERM to a cancelled child's process group, how long before SIGKILL. */
const KILL_AFTER_MS = 2000;

export interface CommandRunnerOptions {
  /** The step's environment, which children see only a part of. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The step is cancelled: every child's process group is stopped (SIGTERM, then SIGKILL). */
  readonly signal?: AbortSignal;
  /** Where children's output goes (the step's stdout and stderr). */
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
}

/**
 * Starts a child in its own process group, so that a cancel stops it with everything it started (a build's
 * helpers, a shell's commands). Resolves with the exit code once the child has ended; 127 when it cannot
 * start (not installed).
 */
function runChild(
  command: string,
  args: readonly string[],
  options: {
    env: Record<string, string>;
    signal: AbortSignal | undefined;
    onOutput?: (data: Buffer, stream: 'stdout' | 'stderr') => void;
  },
): Promise<number> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve(130);
    const child = spawn(command, [...args], {
      env: options.env,
      detached: true,
      stdio: ['ignore', options.onOutput ? 'pipe' : 'ignore', options.onOutput ? 'pipe' : 'ignore'],
    });
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), KILL_AFTER_MS);
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    const { onOutput } = options;
    if (onOutput) {
      child.stdout?.on('data', (d: Buffer) => onOutput(d, 'stdout'));
      child.stderr?.on('data', (d: Buffer) => onOutput(d, 'stderr'));
    }
    let settled = false;
    const done = (code: number) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', stop);
      if (killTimer) clearTimeout(killTimer);
      // Whatever the child's own children still are, they go with it.
      if (options.signal?.aborted) kill('SIGKILL');
      resolve(code);
    };
    child.on('error', () => done(127));
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}

export function createCommandRunner(options: CommandRunnerOptions): CommandRunner {
  const { env, signal } = options;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  return {
    async run(command, runOptions = {}) {
      let output = '';
      core.info(`[command]${[command.command, ...command.args].join(' ')}`);
      const exitCode = await runChild(command.command, command.args, {
        env: childEnvironment(env, { set: runOptions.env, pass: runOptions.pass }),
        signal,
        onOutput: (data, stream) => {
          (stream === 'stdout' ? stdout : stderr).write(data);
          output = (output + data.toString('utf8')).slice(-TAIL);
        },
      });
      return { exitCode, output };
    },
    async probe(command, args) {
      return (await runChild(command, args, { env: childEnvironment(env), signal })) === 0;
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
