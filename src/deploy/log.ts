import * as core from '@actions/core';
import type { Clock } from './clock.ts';
import { formatDuration } from './duration.ts';

/** Where the deploy reports progress; the Actions log in the action, a list in tests. */
export interface Log {
  info(message: string): void;
  /** `properties`: where the warning is annotated (a file and line). */
  warning(message: string, properties?: core.AnnotationProperties): void;
  error(message: string): void;
}

export const actionsLog: Log = {
  info: (message) => core.info(message),
  warning: (message, properties) => core.warning(message, properties ?? {}),
  error: (message) => core.error(message),
};

/** How long a wait may print nothing before it says it is still waiting. */
export const HEARTBEAT_MS = 30_000;

/** Pure: the line a quiet wait prints (`web: still waiting, 1 min 30 s elapsed: 1/2 running, …`). */
export function heartbeatLine(name: string, elapsedMs: number, state: string): string {
  return `${name}: still waiting, ${formatDuration(elapsedMs)} elapsed: ${state || 'no state seen yet'}`;
}

/**
 * The log of one wait, which knows when it last printed: a wait calls `beat` whenever it looks, and a line
 * with the elapsed time and the current state is printed only when nothing was printed for HEARTBEAT_MS, so
 * a quiet log still shows the step is alive and a busy one gets no extra lines. Time is the wait's clock.
 */
export class Heartbeat implements Log {
  private readonly log: Log;
  private readonly clock: Clock;
  private readonly name: string;
  private readonly started: number;
  private lastPrinted: number;

  constructor(options: { readonly log: Log; readonly clock: Clock; readonly name: string }) {
    this.log = options.log;
    this.clock = options.clock;
    this.name = options.name;
    this.started = this.lastPrinted = options.clock.now();
  }

  info(message: string): void {
    this.lastPrinted = this.clock.now();
    this.log.info(message);
  }

  warning(message: string, properties?: core.AnnotationProperties): void {
    this.lastPrinted = this.clock.now();
    this.log.warning(message, properties);
  }

  error(message: string): void {
    this.lastPrinted = this.clock.now();
    this.log.error(message);
  }

  /** When the next heartbeat is due (epoch ms on the clock), for a wait that sleeps until something happens. */
  get dueAt(): number {
    return this.lastPrinted + HEARTBEAT_MS;
  }

  /** Prints the heartbeat with `state` when nothing was printed for HEARTBEAT_MS; true when it did. */
  beat(state: string): boolean {
    const now = this.clock.now();
    if (now < this.dueAt) return false;
    this.info(heartbeatLine(this.name, now - this.started, state));
    return true;
  }
}
