// The driver's lifecycle over a scripted port: what each verdict of the wait (and of the rollback's wait)
// becomes, when a rollback is started, and that nothing one unit does stops the others.
import { describe, expect, it } from 'vitest';
import { rollbackEnding, runTarget } from '../../src/deploy/driver.ts';
import type { RollbackStart, TargetPort, Verdict } from '../../src/deploy/target.ts';
import type { DeployOptions } from '../../src/deploy/types.ts';
import { FakeClock } from '../fakes/clock.ts';
import { RecordingLog } from '../fakes/log.ts';

const DEPLOY: DeployOptions = {
  wait: true,
  timeoutMs: 600_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  dryRun: false,
};

type Step = Verdict | Error;

interface Script {
  /** Render throws this message. */
  renderError?: string;
  unchanged?: boolean;
  applyError?: string;
  /** The verdicts of the wait on our change, then of the wait on the rollback. */
  waits?: Step[];
  platformRollback?: boolean;
  rollBack?: RollbackStart<string> | Error;
}

interface Unit {
  readonly name: string;
  readonly script: Script;
}

/** A port whose every answer comes from the unit's script; it records what the driver asked of it. */
function scriptedPort(units: Unit[], clock: FakeClock) {
  const calls: string[] = [];
  const waits = new Map(units.map((u) => [u.name, [...(u.script.waits ?? [])]]));
  const port: TargetPort<Unit, string, string> = {
    units,
    nameOf: (u) => `c/${u.name}`,
    render(u, image) {
      if (u.script.renderError) throw new Error(u.script.renderError);
      return `${u.name}:${image.imageRef}`;
    },
    unchanged: (plan) => units.find((u) => plan.startsWith(`${u.name}:`))?.script.unchanged === true,
    preview: (u, plan) => [`would set ${plan}`],
    async beforeApply(items) {
      calls.push(`beforeApply ${items.map((i) => i.unit.name).join(',')}`);
    },
    async apply(u) {
      calls.push(`apply ${u.name}`);
      if (u.script.applyError) throw new Error(u.script.applyError);
      return `${u.name}#ours`;
    },
    async wait(handle, budget) {
      const name = handle.split('#')[0]!;
      calls.push(`wait ${handle} failFastAfter=${budget.failFastAfter} in=${budget.deadline - clock.now()}`);
      await clock.sleep(1000);
      const next = waits.get(name)!.shift() ?? { kind: 'completed' };
      if (next instanceof Error) throw next;
      return next;
    },
    platformRollback: (handle) =>
      units.find((u) => handle === `${u.name}#ours`)?.script.platformRollback
        ? `${handle.split('#')[0]}#platform`
        : undefined,
    async rollBack(handle) {
      const u = units.find((x) => handle === `${x.name}#ours`)!;
      calls.push(`rollBack ${handle}`);
      const r = u.script.rollBack ?? { handle: `${u.name}#rollback` };
      if (r instanceof Error) throw r;
      return r;
    },
    rollbackTarget: (handle) => `what ran before ${handle.split('#')[0]}`,
    details: () => ({ target: 'eks' }),
  };
  return { port, calls };
}

async function drive(units: Unit[], deploy: Partial<DeployOptions> = {}) {
  const clock = new FakeClock();
  const log = new RecordingLog();
  const { port, calls } = scriptedPort(units, clock);
  try {
    const results = await runTarget(
      port,
      { imageRef: 'repo@sha256:1', repositoryUri: 'repo' },
      { deploy: { ...DEPLOY, ...deploy }, clock, log },
    );
    return { results, calls, log };
  } finally {
    clock.stop();
  }
}

const failed = (reason: string, superseded = false): Verdict => ({
  kind: 'failed',
  reason,
  ...(superseded ? { superseded } : {}),
});

describe('runTarget: what each outcome becomes', () => {
  const cases: {
    name: string;
    script: Script;
    deploy?: Partial<DeployOptions>;
    status: string;
    reason?: RegExp;
    rolledBack?: boolean;
    calls: RegExp[];
    notCalls?: RegExp[];
  }[] = [
    {
      name: 'completed',
      script: {},
      status: 'completed',
      calls: [/^apply web$/, /^wait web#ours failFastAfter=2 in=600000$/],
      notCalls: [/rollBack/],
    },
    {
      name: 'failed, rolled back, the rollback completes',
      script: { waits: [failed('ErrImagePull'), { kind: 'completed' }] },
      status: 'rolled-back',
      reason: /^failed: ErrImagePull; rolled back to what ran before web$/,
      rolledBack: true,
      calls: [/^rollBack web#ours$/, /^wait web#rollback failFastAfter=0 in=600000$/],
    },
    {
      name: 'timed out, rolled back',
      script: { waits: [{ kind: 'timed-out', reason: 'not done after 10m' }, { kind: 'completed' }] },
      status: 'rolled-back',
      reason: /^timed out: not done after 10m; rolled back to/,
      calls: [/^rollBack web#ours$/],
    },
    {
      name: 'failed, rollbackOnFailure off: not rolled back',
      script: { waits: [failed('CrashLoopBackOff')] },
      deploy: { rollbackOnFailure: false },
      status: 'failed',
      reason: /^CrashLoopBackOff$/,
      calls: [/^wait web#ours/],
      notCalls: [/rollBack/],
    },
    {
      name: 'superseded by someone else: never rolled back',
      script: { waits: [failed('replaced by generation 5', true)] },
      status: 'failed',
      reason: /^replaced by generation 5$/,
      calls: [/^wait web#ours/],
      notCalls: [/rollBack/],
    },
    {
      name: 'unverified: never rolled back',
      script: { waits: [{ kind: 'unverified', reason: 'credentials expired' }] },
      status: 'unverified',
      reason: /^credentials expired$/,
      calls: [/^wait web#ours/],
      notCalls: [/rollBack/],
    },
    {
      name: 'a wait that throws is unverified, not failed, and not rolled back',
      script: { waits: [new Error('socket hang up')] },
      status: 'unverified',
      reason: /^the wait stopped after 1\.0 s: socket hang up$/,
      calls: [/^wait web#ours/],
      notCalls: [/rollBack/],
    },
    {
      name: 'the platform rolled back on its own: waited for, never a second rollback',
      script: { waits: [failed('circuit breaker'), { kind: 'completed' }], platformRollback: true },
      status: 'rolled-back',
      reason: /^failed: circuit breaker; rolled back to what ran before web$/,
      calls: [/^wait web#platform failFastAfter=0/],
      notCalls: [/rollBack/],
    },
    {
      name: 'the platform rolled back even with rollbackOnFailure off',
      script: { waits: [failed('circuit breaker'), { kind: 'completed' }], platformRollback: true },
      deploy: { rollbackOnFailure: false },
      status: 'rolled-back',
      reason: /^failed: circuit breaker; rolled back to/,
      calls: [/^wait web#platform/],
    },
    {
      name: 'the rollback is skipped, and says why',
      script: { waits: [failed('ErrImagePull')], rollBack: { skipped: 'no revision before ours' } },
      status: 'failed',
      reason: /^ErrImagePull; not rolled back: no revision before ours$/,
      calls: [/^rollBack web#ours$/],
      notCalls: [/wait web#rollback/],
    },
    {
      name: 'the rollback cannot start',
      script: { waits: [failed('ErrImagePull')], rollBack: new Error('503 Service Unavailable') },
      status: 'failed',
      reason: /^ErrImagePull; the rollback could not start: 503 Service Unavailable$/,
      calls: [/^rollBack web#ours$/],
    },
    {
      name: 'the rollback fails too',
      script: { waits: [failed('ErrImagePull'), failed('progress deadline')] },
      status: 'failed',
      reason:
        /^ErrImagePull; the rollback to what ran before web did not complete either: progress deadline$/,
      calls: [/^wait web#rollback/],
    },
    {
      name: 'the rollback cannot be verified',
      script: {
        waits: [
          { kind: 'timed-out', reason: 'slow' },
          { kind: 'unverified', reason: 'API gone' },
        ],
      },
      status: 'timed-out',
      reason: /^slow; the rollback to what ran before web could not be verified: API gone$/,
      calls: [/^wait web#rollback/],
    },
    {
      name: 'wait: false ends at the change',
      script: {},
      deploy: { wait: false },
      status: 'started',
      calls: [/^apply web$/],
      notCalls: [/^wait/],
    },
    {
      name: 'unchanged: nothing applied, no beforeApply',
      script: { unchanged: true },
      status: 'unchanged',
      calls: [],
      notCalls: [/apply/],
    },
    {
      name: 'dry run: previewed, nothing applied',
      script: {},
      deploy: { dryRun: true },
      status: 'dry-run',
      calls: [],
      notCalls: [/apply/, /wait/],
    },
    {
      name: 'apply fails',
      script: { applyError: 'AccessDenied: ecs:UpdateService' },
      status: 'failed',
      reason: /^AccessDenied: ecs:UpdateService$/,
      calls: [/^apply web$/],
      notCalls: [/^wait/, /rollBack/],
    },
    {
      name: 'render fails: the unit fails, nothing applied',
      script: { renderError: 'no container named "app"' },
      status: 'failed',
      reason: /^no container named "app"$/,
      calls: [],
      notCalls: [/apply/],
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const { results, calls } = await drive([{ name: 'web', script: c.script }], c.deploy);
      expect(results).toHaveLength(1);
      const [r] = results;
      expect(r).toMatchObject({ name: 'c/web', status: c.status, rolledBack: c.status === 'rolled-back' });
      if (c.reason) expect(r!.reason).toMatch(c.reason);
      else expect(r!.reason).toBeUndefined();
      if (c.rolledBack !== undefined) expect(r!.rolledBack).toBe(c.rolledBack);
      for (const call of c.calls)
        expect(
          calls.some((x) => call.test(x)),
          `${call} in ${calls.join(' | ')}`,
        ).toBe(true);
      for (const call of c.notCalls ?? [])
        expect(
          calls.some((x) => call.test(x)),
          `${call} not in ${calls.join(' | ')}`,
        ).toBe(false);
    });
  }
});

describe('runTarget across units', () => {
  it('runs the units in parallel, results in their order; one failing does not stop the others', async () => {
    const { results, calls } = await drive([
      { name: 'a', script: {} },
      { name: 'b', script: { waits: [failed('ErrImagePull'), { kind: 'completed' }] } },
      { name: 'c', script: { renderError: 'bad selection' } },
      { name: 'd', script: { unchanged: true } },
    ]);
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['c/a', 'completed'],
      ['c/b', 'rolled-back'],
      ['c/c', 'failed'],
      ['c/d', 'unchanged'],
    ]);
    // beforeApply once, for the units that change; both applies before either wait ends.
    expect(calls.filter((c) => c.startsWith('beforeApply'))).toEqual(['beforeApply a,b']);
    expect(calls.indexOf('apply b')).toBeLessThan(calls.findIndex((c) => c.startsWith('wait a')) + 2);
  });

  it('a beforeApply that throws fails every changing unit, and nothing is applied', async () => {
    const clock = new FakeClock();
    const log = new RecordingLog();
    const { port, calls } = scriptedPort(
      [
        { name: 'a', script: {} },
        { name: 'b', script: { unchanged: true } },
      ],
      clock,
    );
    port.beforeApply = async () => {
      throw new Error('the pre-deploy task exited 1');
    };
    const results = await runTarget(
      port,
      { imageRef: 'repo@sha256:1', repositoryUri: 'repo' },
      { deploy: DEPLOY, clock, log },
    );
    clock.stop();
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['failed', 'the pre-deploy task exited 1'],
      ['unchanged', undefined],
    ]);
    expect(calls.filter((c) => c.startsWith('apply'))).toEqual([]);
  });

  it('annotates no failure itself: each reason is a progress line, the step has the one ::error', async () => {
    const { results, log } = await drive([
      { name: 'a', script: { applyError: 'AccessDenied' } },
      { name: 'b', script: { waits: [failed('ErrImagePull'), failed('still broken')] } },
      { name: 'c', script: { renderError: 'bad selection' } },
    ]);
    expect(results.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(log.lines.filter((l) => l.startsWith('error:'))).toEqual([]);
    expect(log.text()).toMatch(/^c\/a: AccessDenied$/m);
    expect(log.text()).toMatch(/^c\/b: failed: ErrImagePull$/m);
    expect(log.text()).toMatch(/^c\/c: bad selection$/m);
  });

  it('no beforeApply when nothing changes', async () => {
    const { calls } = await drive([{ name: 'a', script: { unchanged: true } }]);
    expect(calls).toEqual([]);
  });

  it('durations come from the clock', async () => {
    const { results } = await drive([{ name: 'a', script: { waits: [failed('x'), { kind: 'completed' }] } }]);
    // One second for our wait, one for the rollback's.
    expect(results[0]!.durationSeconds).toBe(2);
  });
});

describe('rollbackEnding', () => {
  const table: [Parameters<typeof rollbackEnding>[0], Verdict, string, string][] = [
    [
      { status: 'failed', reason: 'boom' },
      { kind: 'completed' },
      'rolled-back',
      'failed: boom; rolled back to r1',
    ],
    [
      { status: 'timed-out', reason: 'slow' },
      { kind: 'completed' },
      'rolled-back',
      'timed out: slow; rolled back to r1',
    ],
    [
      { status: 'failed', reason: 'boom' },
      { kind: 'failed', reason: 'again' },
      'failed',
      'boom; the rollback to r1 did not complete either: again',
    ],
    [
      { status: 'timed-out', reason: 'slow' },
      { kind: 'timed-out', reason: 'slower' },
      'timed-out',
      'slow; the rollback to r1 did not complete either: slower',
    ],
    [
      { status: 'failed', reason: 'boom' },
      { kind: 'unverified', reason: 'gone' },
      'failed',
      'boom; the rollback to r1 could not be verified: gone',
    ],
  ];
  for (const [failure, verdict, status, reason] of table) {
    it(`${failure.status} + rollback ${verdict.kind} → ${status}`, () => {
      expect(rollbackEnding(failure, { to: 'r1', verdict })).toEqual({ status, reason });
    });
  }
});
