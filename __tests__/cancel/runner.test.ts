// runAction under a cancel: the step gets the signal, the failure says it was cancelled, the exit code is
// set (never process.exit), and only a cancelled step is ended once its output is flushed.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../../src/cancel.ts';
import { runAction, type StepProcess } from '../../src/runner.ts';

function fakeProcess() {
  const events = new EventEmitter();
  const proc: StepProcess & { exits: number; emit: (s: NodeJS.Signals) => void; listeners: () => number } = {
    exits: 0,
    on: (e, l) => events.on(e, l),
    off: (e, l) => events.off(e, l),
    exitWhenFlushed() {
      proc.exits += 1;
    },
    emit: (s) => events.emit(s, s),
    listeners: () => events.listenerCount('SIGINT') + events.listenerCount('SIGTERM'),
  };
  return proc;
}

const saved = { ...process.env };
afterEach(() => {
  process.exitCode = undefined;
  process.env = { ...saved };
  vi.restoreAllMocks();
});

describe('runAction', () => {
  it('cancels the step at SIGINT, fails it as cancelled and lets the output drain', async () => {
    delete process.env.STATE_isPost;
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const proc = fakeProcess();
    let seen: AbortSignal | undefined;
    const running = runAction(
      {
        main:
          async () =>
          async ({ signal }) => {
            seen = signal;
            await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
            throw new CancelledError(
              'The step was cancelled (SIGINT) while deploying: each target says where it stands.',
            );
          },
        post: async () => async () => undefined,
      },
      proc,
    );
    await vi.waitFor(() => expect(seen).toBeDefined());
    expect(seen?.aborted).toBe(false);
    proc.emit('SIGINT');
    await running;
    expect(seen?.aborted).toBe(true);
    expect(process.exitCode).toBe(1);
    expect(written.join('')).toContain('::error::The step was cancelled (SIGINT) while deploying');
    expect(proc.exits).toBe(1);
    expect(exit).not.toHaveBeenCalled();
    // The handlers stay: the runner's SIGTERM that follows does not cut the output short.
    expect(proc.listeners()).toBe(2);
  });

  it('a step that is not cancelled ends as always, its signal handlers removed', async () => {
    delete process.env.STATE_isPost;
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const proc = fakeProcess();
    await runAction(
      { main: async () => async () => undefined, post: async () => async () => undefined },
      proc,
    );
    expect(process.exitCode).toBeUndefined();
    expect(proc.exits).toBe(0);
    expect(proc.listeners()).toBe(0);
  });
});
