// The deploy lifecycle, once for every target: render → apply → wait → roll back → result, for each unit in
// parallel, with one error policy: whatever goes wrong with a unit becomes its result, with the reason.
// The driver logs what happens as progress lines (in the deploy's group); the one `::error` of a failed
// deploy is the step's, from its results (see runner.ts), so no failure is annotated twice.
import { CANCEL_ROLLBACK_MS, unlessAborted } from '../cancel.ts';
import type { Clock } from './clock.ts';
import { formatDuration } from './duration.ts';
import type { Log } from './log.ts';
import type { DeployImage, TargetPort, Verdict } from './target.ts';
import type { DeployOptions, DeployResult, ResultStatus } from './types.ts';

export interface DriverOptions {
  readonly deploy: DeployOptions;
  readonly clock: Clock;
  readonly log: Log;
  /**
   * The step is cancelled: waits end with where each unit stands, nothing more is changed, and with
   * `deploy.rollbackOnCancel` the rollback of a unit in flight is started (within CANCEL_ROLLBACK_MS).
   */
  readonly signal?: AbortSignal;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** After the cancel, how long a target's wait may take to stop and say what it saw last. */
const WAIT_STOP_GRACE_MS = 1000;

interface Ending {
  readonly status: ResultStatus;
  readonly reason?: string;
}

/** Pure: the wording of a failure that was rolled back, or whose rollback did not complete. */
export function rollbackEnding(
  failure: Ending & { readonly status: 'failed' | 'timed-out' },
  rollback: { readonly to: string; readonly verdict: Verdict },
): Ending {
  const what = failure.status === 'timed-out' ? 'timed out' : 'failed';
  const { verdict } = rollback;
  if (verdict.kind === 'completed') {
    return {
      status: 'rolled-back',
      reason: `${what}: ${failure.reason ?? ''}; rolled back to ${rollback.to}`,
    };
  }
  const why =
    verdict.kind === 'unverified'
      ? `the rollback to ${rollback.to} could not be verified: ${verdict.reason}`
      : `the rollback to ${rollback.to} did not complete either: ${verdict.reason}`;
  return { status: failure.status, reason: `${failure.reason ?? ''}; ${why}` };
}

/**
 * Runs every unit of the target to its result. Never throws: an error applying, waiting or rolling back
 * one unit is that unit's result, and the others go on. Results come in the order of `target.units`.
 */
export async function runTarget<Unit, Plan, Handle>(
  target: TargetPort<Unit, Plan, Handle>,
  image: DeployImage,
  options: DriverOptions,
): Promise<DeployResult[]> {
  const { deploy, clock, log } = options;
  type Item = { readonly unit: Unit; readonly plan: Plan } | { readonly unit: Unit; readonly error: string };
  const items = target.units.map((unit): Item => {
    try {
      return { unit, plan: target.render(unit, image) };
    } catch (error) {
      return { unit, error: message(error) };
    }
  });
  const result = (unit: Unit, handle: Handle | undefined, ending: Ending, startedAt: number) =>
    ({
      ...target.details(unit, handle, ending.status),
      name: target.nameOf(unit),
      status: ending.status,
      rolledBack: ending.status === 'rolled-back',
      durationSeconds: Math.round((clock.now() - startedAt) / 100) / 10,
      ...(ending.reason ? { reason: ending.reason } : {}),
    }) as DeployResult;

  if (deploy.dryRun) {
    return items.map((item) => {
      const name = target.nameOf(item.unit);
      if ('error' in item) return result(item.unit, undefined, { status: 'failed', reason: item.error }, 0);
      for (const line of target.preview(item.unit, item.plan)) log.info(`${name}: ${line}`);
      return result(item.unit, undefined, { status: 'dry-run' }, clock.now());
    });
  }

  const changing = items.flatMap((i) => ('error' in i || target.unchanged(i.plan) ? [] : [i]));
  let refused: string | undefined;
  const { signal } = options;
  const cancelled = () => signal?.aborted === true;
  let cancelledAt: number | undefined;
  signal?.addEventListener('abort', () => (cancelledAt = clock.now()), { once: true });
  if (changing.length > 0 && target.beforeApply && !cancelled()) {
    try {
      await unlessAborted(target.beforeApply(changing), signal, () => undefined);
    } catch (error) {
      refused = message(error);
      log.info(refused);
    }
  }

  const runUnit = async (item: Item): Promise<DeployResult> => {
    const { unit } = item;
    const name = target.nameOf(unit);
    const startedAt = clock.now();
    if ('error' in item) {
      log.info(`${name}: ${item.error}`);
      return result(unit, undefined, { status: 'failed', reason: item.error }, startedAt);
    }
    if (target.unchanged(item.plan)) return result(unit, undefined, { status: 'unchanged' }, startedAt);
    if (cancelled()) {
      return result(
        unit,
        undefined,
        {
          status: 'cancelled',
          reason: 'the step was cancelled before this was changed; nothing was deployed to it',
        },
        startedAt,
      );
    }
    if (refused !== undefined)
      return result(unit, undefined, { status: 'failed', reason: refused }, startedAt);

    let handle: Handle;
    try {
      handle = await target.apply(unit, item.plan);
    } catch (error) {
      log.info(`${name}: ${message(error)}`);
      return result(unit, undefined, { status: 'failed', reason: message(error) }, startedAt);
    }
    if (!deploy.wait) return result(unit, handle, { status: 'started' }, startedAt);

    const verdict = await safeWait(target, handle, {
      deadline: clock.now() + deploy.timeoutMs,
      failFastAfter: deploy.failFastAfter,
    });
    if (verdict.kind === 'completed') return result(unit, handle, { status: 'completed' }, startedAt);
    if (cancelled()) {
      const ending = await cancelEnding(name, handle, `our change is in flight: ${verdict.reason}`);
      return result(unit, handle, ending, startedAt);
    }
    log.info(`${name}: ${verdict.kind}: ${verdict.reason}`);
    // Only a definitive failure of our own revision, or a time-out, is rolled back.
    if (verdict.kind === 'unverified' || (verdict.kind === 'failed' && verdict.superseded)) {
      return result(unit, handle, { status: verdict.kind, reason: verdict.reason }, startedAt);
    }
    const failure = { status: verdict.kind, reason: verdict.reason };
    let rollback = target.platformRollback(handle);
    if (!rollback) {
      if (!deploy.rollbackOnFailure) return result(unit, handle, failure, startedAt);
      try {
        const started = await target.rollBack(handle);
        if ('skipped' in started) {
          log.info(`${name}: not rolled back: ${started.skipped}`);
          return result(
            unit,
            handle,
            { ...failure, reason: `${failure.reason}; not rolled back: ${started.skipped}` },
            startedAt,
          );
        }
        rollback = started.handle;
      } catch (error) {
        log.info(`${name}: the rollback could not start: ${message(error)}`);
        return result(
          unit,
          handle,
          { ...failure, reason: `${failure.reason}; the rollback could not start: ${message(error)}` },
          startedAt,
        );
      }
    }
    // The rollback has its own budget, and nothing of it ends early: it is the known-good revision.
    const rollbackVerdict = await safeWait(target, rollback, {
      deadline: clock.now() + deploy.timeoutMs,
      failFastAfter: 0,
    });
    if (cancelled() && rollbackVerdict.kind !== 'completed') {
      const reason = `${failure.reason}; the step was cancelled while rolling back to ${target.rollbackTarget(rollback)}: ${rollbackVerdict.reason}`;
      log.info(`${name}: ${reason}`);
      return result(unit, handle, { status: 'cancelled', reason }, startedAt);
    }
    const ending = rollbackEnding(failure, { to: target.rollbackTarget(rollback), verdict: rollbackVerdict });
    if (ending.status === 'rolled-back')
      log.info(`${name}: rolled back to ${target.rollbackTarget(rollback)}.`);
    else log.info(`${name}: ${ending.reason ?? ''}`);
    return result(unit, handle, ending, startedAt);
  };

  return Promise.all(items.map(runUnit));

  /**
   * A unit whose change is in flight when the step is cancelled: says where it stands and, with
   * rollback-on-cancel, starts the rollback, bounded so that it starts before the runner kills the step.
   */
  async function cancelEnding(name: string, handle: Handle, stands: string): Promise<Ending> {
    let reason = `the step was cancelled; ${stands}`;
    if (deploy.rollbackOnCancel) {
      const left = (cancelledAt ?? clock.now()) + CANCEL_ROLLBACK_MS - clock.now();
      const budget = new AbortController();
      const outOfTime = clock.sleep(Math.max(0, left), budget.signal).then(() => 'out-of-time' as const);
      try {
        const started = await Promise.race([target.rollBack(handle), outOfTime]);
        if (started === 'out-of-time') {
          reason += `; the rollback did not start within ${formatDuration(CANCEL_ROLLBACK_MS)} of the cancel`;
        } else if ('skipped' in started) {
          reason += `; not rolled back: ${started.skipped}`;
        } else {
          reason += `; rollback to ${target.rollbackTarget(started.handle)} started (not waited for)`;
        }
      } catch (error) {
        reason += `; the rollback could not start: ${message(error)}`;
      } finally {
        budget.abort();
      }
    }
    log.info(`${name}: ${reason}`);
    return { status: 'cancelled', reason };
  }

  async function safeWait(t: typeof target, handle: Handle, budget: Parameters<typeof t.wait>[1]) {
    try {
      const waiting = t.wait(handle, signal ? { ...budget, signal } : budget);
      if (!signal) return await waiting;
      // The target's wait ends at the cancel with what it saw last; one that does not is not waited for
      // longer than WAIT_STOP_GRACE_MS (and the grace's timer goes as soon as the wait ends).
      const settled = new AbortController();
      void waiting.then(
        () => settled.abort(),
        () => settled.abort(),
      );
      const gaveUp = unlessAborted(new Promise<never>(() => undefined), signal, () => undefined).then(
        async (): Promise<Verdict> => {
          await clock.sleep(WAIT_STOP_GRACE_MS, settled.signal);
          return {
            kind: 'unverified',
            reason: 'the wait was stopped; the platform goes on with the rollout on its own',
          };
        },
      );
      return await Promise.race([waiting, gaveUp]);
    } catch (error) {
      // A wait that broke off has seen no outcome: the state is unknown, not failed.
      return {
        kind: 'unverified',
        reason: `the wait stopped after ${formatDuration(clock.now() - (budget.deadline - deploy.timeoutMs))}: ${message(error)}`,
      } satisfies Verdict;
    }
  }
}
