import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import type { Clock } from '../deploy/clock.ts';
import { formatDuration } from '../deploy/duration.ts';
import type { Log } from '../deploy/log.ts';
import { classifyError } from '../deploy/retry.ts';
import { describeServices } from './service-api.ts';

interface Waiter {
  resolve(service: Service | undefined): void;
  reject(error: unknown): void;
}

export interface ServicePollerOptions {
  readonly ecs: ECSClient;
  readonly cluster: string;
  readonly clock: Clock;
  readonly log: Log;
  /** The pace while waiting: a fresh answer about every `intervalMs`. */
  readonly intervalMs?: number;
}

const MAX_DELAY_MS = 16_000;

/**
 * Every DescribeServices call of one cluster goes through here: whoever asks for a service gets the next
 * answer, and everyone asking for the same interval shares one call (10 services per request). A call starts
 * only `intervalMs` after the previous answer arrived, so the API never sees two within one interval; on
 * throttling and errors the pace slows down (doubling, up to 16 s) and recovers after an answer.
 */
export class ServicePoller {
  private readonly options: ServicePollerOptions;
  private readonly interval: number;
  private delay: number;
  private waiting = new Map<string, Waiter[]>();
  private running = false;
  private lastAnswer = -Infinity;

  constructor(options: ServicePollerOptions) {
    this.options = options;
    this.interval = options.intervalMs ?? 2000;
    this.delay = this.interval;
  }

  /** The service as the next DescribeServices answer has it; undefined when ECS does not know it. */
  next(service: string): Promise<Service | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(service) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(service, list);
      if (!this.running) {
        this.running = true;
        void this.loop();
      }
    });
  }

  /** Several services at once (the preparation's read), through the same pace. */
  async all(services: readonly string[]): Promise<Map<string, Service>> {
    const found = await Promise.all(services.map((s) => this.next(s)));
    const map = new Map<string, Service>();
    services.forEach((s, i) => {
      const service = found[i];
      if (service) map.set(s, service);
    });
    return map;
  }

  private async loop(): Promise<void> {
    const { clock } = this.options;
    while (this.waiting.size > 0) {
      // Even with no wait due, yield once: whoever asks in the same turn joins this call.
      await clock.sleep(Math.max(0, this.lastAnswer + this.delay - clock.now()));
      const batch = this.waiting;
      this.waiting = new Map();
      try {
        const found = await describeServices(this.options.ecs, this.options.cluster, [...batch.keys()]);
        this.delay = this.interval;
        for (const [name, waiters] of batch) for (const w of waiters) w.resolve(found.get(name));
      } catch (error) {
        if (classifyError(error) !== 'permanent') {
          this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
          if (classifyError(error) === 'throttled') {
            this.options.log.info(
              `ECS throttled the status calls; asking again in ${formatDuration(this.delay)}.`,
            );
          }
        }
        for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
      } finally {
        this.lastAnswer = clock.now();
      }
    }
    this.running = false;
  }
}
