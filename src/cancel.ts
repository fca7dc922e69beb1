// Cancellation of the step. The runner sends SIGINT when a run is cancelled, SIGTERM about 7.5 s later and
// kills the process at about 10 s. The first signal aborts one AbortSignal that the builders, the deploy
// driver and the wait loops are given: children are stopped, every target reports where it stands, and
// (rollback-on-cancel) rollbacks are started within CANCEL_ROLLBACK_MS. Nothing ends the process early: the
// step returns, its exit code is set, and the output drains.

/** How long after the cancel a rollback may take to start (ahead of the runner's SIGTERM at ~7.5 s). */
export const CANCEL_ROLLBACK_MS = 5000;

/** What stopped: the step was cancelled. Reported as such, never as a failure of the build or deploy. */
export class CancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CancelledError';
  }
}

/** The part of `process` that delivers signals. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface StepCancellation {
  readonly signal: AbortSignal;
  /** The signal that cancelled the step, once one came. */
  readonly received: NodeJS.Signals | undefined;
  /** Removes the handlers (the default behaviour of the signals comes back). */
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Turns SIGINT/SIGTERM into an aborted signal. A second signal changes nothing: the step is already
 * stopping, and the runner's own kill is the bound.
 */
export function cancelOnSignals(source: SignalSource, say: (message: string) => void): StepCancellation {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      say(`${signal} received; still stopping after ${received}.`);
      return;
    }
    received = signal;
    say(`${signal} received: the step is cancelled; stopping builds and reporting where each target stands.`);
    controller.abort(new CancelledError(`the step was cancelled (${signal})`));
  };
  for (const s of SIGNALS) source.on(s, onSignal);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose: () => {
      for (const s of SIGNALS) source.off(s, onSignal);
    },
  };
}

/** Resolves with `promise`'s value, or with `onAbort()` as soon as `signal` aborts (the promise goes on). */
export function unlessAborted<T, U>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onAbort: () => U,
): Promise<T | U> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(onAbort());
  }
  return new Promise<T | U>((resolve, reject) => {
    const abort = () => resolve(onAbort());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
