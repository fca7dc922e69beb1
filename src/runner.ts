import * as core from '@actions/core';
import { cancelOnSignals, type SignalSource } from './cancel.ts';
import { State } from './contract.ts';
import { reportFailure } from './report/annotation.ts';
import type { StepContext } from './main.ts';

export type Step = (context: StepContext) => Promise<void>;

/** The process the step runs in: its signals, and how it ends when something still holds it open. */
export interface StepProcess extends SignalSource {
  /** After a cancelled step has reported: ends the process once its output is flushed. */
  exitWhenFlushed(): void;
}

/** After a cancelled step returned, how long anything left (a wait that did not stop) may hold it. */
const CANCELLED_EXIT_AFTER_MS = 1000;

const nodeProcess: StepProcess = {
  on: (event, listener) => process.on(event, listener),
  off: (event, listener) => process.off(event, listener),
  exitWhenFlushed() {
    // Unref'd: fires only when something still holds the event loop open. The exit code is the one
    // setFailed set; stdout and stderr are flushed before the process ends, so no line is lost.
    setTimeout(() => {
      process.stdout.write('', () => process.stderr.write('', () => process.exit()));
    }, CANCELLED_EXIT_AFTER_MS).unref();
  },
};

/**
 * The one place an error becomes `setFailed`. The runner calls the same bundle for `main` and `post`; saved
 * state tells them apart. Each step's module is loaded only when that step runs. While `main` runs, SIGINT
 * and SIGTERM cancel it (see cancel.ts) instead of ending the process mid-way.
 */
export async function runAction(
  steps: {
    main: () => Promise<Step>;
    post: () => Promise<Step>;
  },
  proc: StepProcess = nodeProcess,
): Promise<void> {
  const isPost = core.getState(State.IsPost) === 'true';
  const cancellation = isPost ? undefined : cancelOnSignals(proc, (m) => core.info(m));
  const signal = cancellation?.signal ?? new AbortController().signal;
  try {
    if (isPost) {
      await (
        await steps.post()
      )({ signal });
    } else {
      core.saveState(State.IsPost, 'true');
      await (
        await steps.main()
      )({ signal });
    }
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    if (err.stack) core.debug(err.stack);
    // One annotation per failure (each bad input its own), with the file and line when the error has them;
    // exit code 1.
    reportFailure(err);
  } finally {
    if (cancellation?.received) proc.exitWhenFlushed();
    // A cancelled step keeps its handlers: the runner's SIGTERM must not cut the output short.
    else cancellation?.dispose();
  }
}
