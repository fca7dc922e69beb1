// A clock for in-process tests: time moves only when everything that runs is waiting on it. Each time the
// event loop comes round (after every promise chain has settled), the earliest sleeper wakes and the clock
// jumps to its time, so a 15-minute rollout runs in milliseconds, in a deterministic order.
import type { Clock } from '../../src/deploy/clock.ts';

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly wake: () => void;
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(start = Date.UTC(2026, 11, 2, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper: Sleeper = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        },
      };
      const abort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.sleepers.push(sleeper);
      this.schedule();
    });
  }

  /** Runs `fn` at `at` (epoch ms on this clock), as a sleeper that wakes then. */
  at(at: number, fn: () => void): void {
    void this.sleep(at - this.time).then(fn);
  }

  /** No more wake-ups: background loops of fakes stop advancing time. */
  stop(): void {
    this.stopped = true;
    this.sleepers = [];
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped || this.sleepers.length === 0) return;
      this.sleepers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.sleepers.shift();
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.wake();
      this.schedule();
    });
  }
}
