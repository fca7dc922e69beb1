// What bench/ecs-wait.ts and bench/eks-wait.ts share: statistics and the table, the arguments, the sandbox, the
// sample app's images, running our bundled action, the rounds of worlds, and the verdict part of the summary.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  isHealthy,
  readState,
  sandboxEnv,
  startSandbox,
  stopSandbox,
  type SandboxState,
} from '../sandbox/index.ts';
import { DIST, runAction, type ActionRun } from '../sandbox/run-action.ts';

const ROOT = resolve(import.meta.dirname, '..');

// ---------------------------------------------------------------------------------------------------------
// Statistics, verdicts and the table

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const ms = (iso: string | undefined): number | undefined =>
  iso === undefined ? undefined : Date.parse(iso);

/** Seconds with one decimal, or `–`. */
export function sec(millis: number | undefined, digits = 1): string {
  return millis === undefined || !Number.isFinite(millis) ? '–' : (millis / 1000).toFixed(digits);
}

/** `+1.2 s`: how long after `from` `t` came, or `–`. */
export function after(t: number | undefined, from: number | undefined, digits = 1): string {
  return t === undefined || from === undefined
    ? '–'
    : `${t - from >= 0 ? '+' : ''}${sec(t - from, digits)} s`;
}

export function perMinute(count: number, windowMs: number): number {
  return windowMs > 0 ? (count * 60_000) / windowMs : 0;
}

export const defined = (xs: readonly (number | undefined)[]): number[] =>
  xs.filter((x): x is number => x !== undefined);

/** "3× SUCCESS" / "2× completed, 1× failed". */
export function countVerdicts(verdicts: readonly string[]): string {
  if (verdicts.length === 0) return '–';
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n}× ${v}`).join(', ');
}

/** "0.08 (12.5× faster)" style ratio of ours to the baseline. */
export function ratio(
  ours: number | undefined,
  baseline: number | undefined,
  better: 'lower' | 'higher' = 'lower',
): string {
  if (ours === undefined || baseline === undefined || !Number.isFinite(ours) || !Number.isFinite(baseline))
    return '–';
  if (baseline === 0) return ours === 0 ? '1.00' : '∞';
  const r = ours / baseline;
  if (better === 'lower' && r > 0 && r < 1) return `${r.toFixed(2)} (${(1 / r).toFixed(1)}× sooner)`;
  return r.toFixed(2);
}

/** A plain-text table with left-aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const SUCCESS = new Set(['SUCCESS', 'completed']);
const FAILURE = new Set(['FAILURE', 'failed', 'rolled-back']);

/** `completed (exit 0)`, with ` [WRONG]` when the verdict does not tell the truth. */
export function verdictText(m: Outcome): string {
  return (
    `${m.verdict}${m.exitCode !== undefined ? ` (exit ${m.exitCode})` : ''}` +
    (truthful(m.world.kind, m.verdict, m.exitCode) ? '' : ' [WRONG]')
  );
}

/** Whether a verdict tells the truth: success for a healthy rollout, failure (and a failed step) otherwise. */
export function truthful(kind: Kind, verdict: string, exitCode?: number): boolean {
  if (kind === 'healthy') return SUCCESS.has(verdict) && (exitCode === undefined || exitCode === 0);
  return FAILURE.has(verdict) && (exitCode === undefined || exitCode !== 0);
}

// ---------------------------------------------------------------------------------------------------------
// Arguments, worlds and results

export type Kind = 'healthy' | 'failing';

/** One side of one run: its own ECS cluster and task-definition family, or its own sandbox EKS cluster. */
export interface World<S extends string = string> {
  readonly side: S;
  readonly kind: Kind;
  readonly index: number;
  /** Unique per world (ECS: cluster name = task-definition family; EKS: the cluster), attributes what it did. */
  readonly name: string;
}

/** What every side reports of a run; each benchmark adds its own fields. */
export interface Outcome<S extends string = string> {
  readonly world: World<S>;
  readonly startMs: number;
  readonly endMs: number;
  readonly verdict: string;
  readonly exitCode?: number;
  readonly outputsNote?: string;
}

export interface BenchArgs {
  readonly healthyRuns: number;
  readonly failingRuns: number;
  readonly timeScale: number;
}

/** `[healthyRuns=3] [failingRuns=3]` from the command line and the time scale from `scaleVariable`. */
export function benchArgs(scaleVariable: string, defaultScale: number): BenchArgs {
  const healthyRuns = Number(process.argv[2] ?? 3);
  const failingRuns = Number(process.argv[3] ?? 3);
  const timeScale = Number(process.env[scaleVariable] ?? defaultScale);
  for (const [what, n, min] of [
    ['healthyRuns', healthyRuns, 1],
    ['failingRuns', failingRuns, 0],
  ] as const) {
    if (!Number.isInteger(n) || n < min || n > 10) throw new Error(`${what} must be an integer ${min}..10`);
  }
  if (!(timeScale > 0 && timeScale <= 2)) throw new Error(`${scaleVariable} must be in (0, 2]`);
  return { healthyRuns, failingRuns, timeScale };
}

/**
 * The worlds, round by round: round i holds the i-th healthy and failing run of each side (ours only when it
 * can be measured), named `<prefix>-<side>-<h|f><i>-<suffix>`.
 */
export function planRounds<S extends string>(
  baseline: S,
  withOurs: boolean,
  healthyRuns: number,
  failingRuns: number,
  prefix: string,
): World<S | 'ours'>[][] {
  const suffix = Date.now().toString(36);
  const sides: (S | 'ours')[] = withOurs ? [baseline, 'ours'] : [baseline];
  const rounds: World<S | 'ours'>[][] = [];
  for (let i = 0; i < Math.max(healthyRuns, failingRuns); i++) {
    const round: World<S | 'ours'>[] = [];
    for (const kind of ['healthy', 'failing'] as const) {
      if (i >= (kind === 'healthy' ? healthyRuns : failingRuns)) continue;
      for (const side of sides)
        round.push({ side, kind, index: i + 1, name: `${prefix}-${side}-${kind[0]}${i + 1}-${suffix}` });
    }
    rounds.push(round);
  }
  return rounds;
}

export function announceRollout({ healthyRuns, failingRuns, timeScale }: BenchArgs): void {
  console.log(
    `rolling out: ${healthyRuns} healthy + ${failingRuns} failing run(s) per side, time scale ${timeScale}; ` +
      `each round runs its healthy and failing pairs at once\n`,
  );
}

/** Runs a round's sides at once (ours via `ours`, the baseline via `baseline`), capturing what they print. */
export function runRound<W extends World, R>(
  round: readonly W[],
  baseline: (w: W) => Promise<R>,
  ours: (w: W) => Promise<R>,
): Promise<{ value: R[]; lines: CapturedLine[] }> {
  return captureOutput(() => Promise.all(round.map((w) => (w.side === 'ours' ? ours(w) : baseline(w)))));
}

/** Prints a round's measured runs, healthy pair first, each line from `describe`. */
export function printRound<M extends { readonly world: World }>(
  measured: readonly M[],
  round: readonly World[],
  describe: (m: M) => string,
): void {
  for (const kind of ['healthy', 'failing'] as const) {
    const of = measured.filter((m) => round.includes(m.world) && m.world.kind === kind);
    if (of.length === 0) continue;
    console.log(`[${kind} ${of[0]!.world.index}]`);
    for (const m of of) console.log(describe(m));
  }
}

/** Polls `pendingOf` every 250 ms (up to 2 minutes) until no world is pending. */
export async function waitUntilNonePending(
  pendingOf: () => Promise<string[]>,
  notReady: string,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (let i = 0; i < 2400; i++) {
    const pending = await pendingOf();
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${notReady} in time: ${pending.join(', ')}`);
    await sleep(250);
  }
  throw new Error(`${notReady} after 2400 polls`);
}

// ---------------------------------------------------------------------------------------------------------
// The sandbox, the images and our action

export interface Sandbox {
  readonly dir: string;
  readonly state: SandboxState;
  readonly env: Record<string, string>;
  /** Stops the sandbox if it was started here (a reused one keeps running). */
  close(): Promise<void>;
}

/** Reuses the healthy sandbox in `dir`, or starts one there. */
export async function openSandbox(dir: string): Promise<Sandbox> {
  const existing = readState(dir);
  const reuse = existing !== undefined && (await isHealthy(existing));
  console.log(reuse ? `sandbox: reusing ${dir}` : `sandbox: starting in ${dir} …`);
  const state = reuse ? existing : await startSandbox({ dir });
  return {
    dir,
    state,
    env: sandboxEnv(state),
    close: async () => {
      if (!reuse) await stopSandbox(dir);
    },
  };
}

/** Whether ours can be measured: action.yml has the input `input` and dist/ (all its chunks) reads it. */
export function oursAvailable(input: string, issue: number): { ok: boolean; why: string } {
  const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  if (!new RegExp(`^ {2}${input}:`, 'm').test(actionYml))
    return { ok: false, why: `action.yml has no \`${input}\` input yet (issue ${issue} not landed)` };
  if (!existsSync(DIST)) return { ok: false, why: `${DIST} does not exist (run npm run package)` };
  // The bundle may be split into chunks (dynamic imports): look through every .js file of dist/.
  const distDir = dirname(DIST);
  const bundled = readdirSync(distDir)
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(join(distDir, f), 'utf8').includes(input));
  if (!bundled) return { ok: false, why: `dist/ does not read \`${input}\` yet (run npm run package)` };
  return { ok: true, why: '' };
}

async function buildImage(
  env: Record<string, string>,
  workspace: string,
  repository: string,
  greeting: string,
  n: number,
): Promise<string> {
  const sha = `${Date.now().toString(16)}${n}`.padEnd(40, '0').slice(0, 40);
  const run = await runAction({
    inputs: {
      repository,
      'create-repository': 'true',
      'build-args': `GREETING=${greeting} ${n} ${sha}`,
    },
    event: { name: 'push', ref: 'refs/heads/main', sha, payload: {} },
    workspace,
    env,
  });
  const ref = run.outputs['image-ref'];
  if (run.main.exitCode !== 0 || !ref)
    throw new Error(`building the bench image failed:\n${run.main.stdout}\n${run.main.stderr}`);
  return ref;
}

export interface Prepared extends OursContext {
  /** `workspace`: a copy of examples/hello-app, the workspace of every action run. */
  readonly imageA: string;
  readonly imageB: string;
}

/**
 * Temp folders `bench-<bench>-wait-…` (logs) and `bench-<bench>-ws-…` (workspace), and two revisions of the
 * sample app built and pushed into ECR repository `repository` by our action.
 */
export async function prepare(
  bench: 'ecs' | 'eks',
  ours: { ok: boolean; why: string },
  repository: string,
  env: Record<string, string>,
): Promise<Prepared> {
  if (!ours.ok) console.log(`ours: SKIPPED — ${ours.why}; measuring the baseline only`);
  const logDir = mkdtempSync(join(tmpdir(), `bench-${bench}-wait-`));
  const workspace = mkdtempSync(join(tmpdir(), `bench-${bench}-ws-`));
  cpSync(join(ROOT, 'examples', 'hello-app'), workspace, { recursive: true });

  console.log(`images: building two revisions of examples/hello-app into ECR repository ${repository} …`);
  const greeting = `${bench}-wait bench image`;
  const imageA = await buildImage(env, workspace, repository, greeting, 1);
  const imageB = await buildImage(env, workspace, repository, greeting, 2);
  console.log(`  A ${imageA}\n  B ${imageB}`);
  return { env, logDir, workspace, imageA, imageB };
}

export interface CapturedLine {
  readonly t: number;
  readonly text: string;
}

/** Captures (and hides) what this process writes to stdout/stderr while `fn` runs, with arrival times. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value: T; lines: CapturedLine[] }> {
  const lines: CapturedLine[] = [];
  const out = process.stdout.write;
  const err = process.stderr.write;
  const grab = ((chunk: string | Uint8Array) => {
    const t = Date.now();
    for (const text of String(chunk).split('\n')) if (text) lines.push({ t, text });
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = grab;
  process.stderr.write = grab;
  try {
    return { value: await fn(), lines };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Where and how ours runs: the sandbox's environment, the workspace, the folder of its step logs. */
export interface OursContext {
  readonly env: Record<string, string>;
  readonly workspace: string;
  readonly logDir: string;
}

/**
 * Ours: the bundled action with `inputs`, run as the runner runs it (main, then post) on a push of commit `sha`,
 * its output echoed on failing runs; its exit, outputs and output go to `<logDir>/<world>.log`.
 * `startMs`/`endMs` bracket the main step.
 */
export async function runOursAction<W extends World>(
  world: W,
  inputs: Record<string, string>,
  sha: string,
  ctx: OursContext,
): Promise<{ run: ActionRun; log: string; world: W; startMs: number; endMs: number }> {
  const startMs = Date.now();
  const run = await runAction({
    inputs,
    event: { name: 'push', ref: 'refs/heads/main', sha, payload: {} },
    workspace: ctx.workspace,
    env: ctx.env,
    post: false,
    echo: world.kind === 'failing',
  });
  const endMs = Date.now();
  await run.runPost();
  const log = join(ctx.logDir, `${world.name}.log`);
  writeFileSync(
    log,
    [
      `exit ${run.main.exitCode} after ${sec(run.main.durationMs, 2)} s`,
      `outputs: ${JSON.stringify(run.outputs, null, 2)}`,
      '--- stdout',
      run.main.stdout,
      '--- stderr',
      run.main.stderr,
    ].join('\n'),
  );
  return { run, log, world, startMs, endMs };
}

// ---------------------------------------------------------------------------------------------------------
// The summary

/** The runs of one side and kind. */
export function pick<M extends { readonly world: World }>(
  measured: readonly M[],
  side: M['world']['side'],
  kind: Kind,
): M[] {
  return measured.filter((m) => m.world.side === side && m.world.kind === kind);
}

/** A side's verdict figures; times in ms, runs as a list of seconds with `digits` decimals. */
export interface VerdictColumn {
  readonly hMedian: number | undefined;
  readonly hRuns: string;
  readonly hVerdicts: string;
  readonly fVerdicts: string;
  readonly truthful: string;
  readonly fDecisionMedian: number | undefined;
  readonly fDecisionRuns: string;
  readonly fExitMedian: number | undefined;
}

/**
 * Healthy: from `doneAt` (rollout complete) to the side's exit. Failing: from `signalAt` (first failure) to its
 * decision and to its exit.
 */
export function verdictColumn<M extends Outcome & { readonly decisionMs: number }>(
  healthy: readonly M[],
  failing: readonly M[],
  doneAt: (m: M) => number | undefined,
  signalAt: (m: M) => number | undefined,
  digits: number,
): VerdictColumn {
  const since = (from: number | undefined, t: number) => (from === undefined ? undefined : t - from);
  const list = (xs: (number | undefined)[]) => xs.map((x) => sec(x, digits)).join(', ');
  const hLat = healthy.map((m) => since(doneAt(m), m.endMs));
  const fDecision = failing.map((m) => since(signalAt(m), m.decisionMs));
  const fExit = failing.map((m) => since(signalAt(m), m.endMs));
  const all = [...healthy, ...failing];
  return {
    hMedian: median(defined(hLat)),
    hRuns: list(hLat),
    hVerdicts: countVerdicts(healthy.map((m) => m.verdict)),
    fVerdicts: countVerdicts(failing.map((m) => m.verdict)),
    truthful: `${all.filter((m) => truthful(m.world.kind, m.verdict, m.exitCode)).length}/${all.length}`,
    fDecisionMedian: median(defined(fDecision)),
    fDecisionRuns: list(fDecision),
    fExitMedian: median(defined(fExit)),
  };
}

export type Row = (metric: string, bv: string, ov: string | undefined, r: string, target: string) => string[];

/** A table row maker: without ours its cells say `n/a` and `–`. */
export function rowMaker(withOurs: boolean): Row {
  return (metric, bv, ov, r, target) => [
    metric,
    bv,
    ov ?? (withOurs ? '–' : 'n/a'),
    withOurs ? r : '–',
    target,
  ];
}

/**
 * The verdict rows: healthy `<done> → done`, verdicts, and (with failing runs) `<signal> → verdict / exit`, then
 * the count of truthful verdicts. `vs` is the ratio shown for the medians.
 */
export function verdictRows(
  row: Row,
  b: VerdictColumn,
  o: VerdictColumn | undefined,
  opts: {
    readonly done: string;
    readonly signal: string;
    readonly digits: number;
    readonly failingRuns: number;
    readonly vs: (ours: number | undefined, baseline: number | undefined) => string;
    readonly healthyTarget: string;
    readonly failingTarget: string;
  },
): string[][] {
  const s = (x: number | undefined) => sec(x, opts.digits);
  return [
    row(
      `healthy: ${opts.done} → done, median (s)`,
      s(b.hMedian),
      o && s(o.hMedian),
      opts.vs(o?.hMedian, b.hMedian),
      opts.healthyTarget,
    ),
    row(`healthy: ${opts.done} → done, runs (s)`, b.hRuns, o?.hRuns, '', ''),
    row('healthy: verdicts', b.hVerdicts, o?.hVerdicts, '', 'success'),
    ...(opts.failingRuns > 0
      ? [
          row('failing: verdicts', b.fVerdicts, o?.fVerdicts, '', 'failed / rolled-back'),
          row(
            `failing: ${opts.signal} → verdict, median (s)`,
            s(b.fDecisionMedian),
            o && s(o.fDecisionMedian),
            opts.vs(o?.fDecisionMedian, b.fDecisionMedian),
            opts.failingTarget,
          ),
          row(`failing: ${opts.signal} → verdict, runs (s)`, b.fDecisionRuns, o?.fDecisionRuns, '', ''),
          row(
            `failing: ${opts.signal} → exit, median (s)`,
            s(b.fExitMedian),
            o && s(o.fExitMedian),
            '',
            '(incl. our rollback)',
          ),
        ]
      : []),
    row('verdicts telling the truth', b.truthful, o?.truthful, '', 'all'),
  ];
}

/** The last lines: where ours' logs are (or why it was not measured) and how long the bench took. */
export function printFooter(ours: { ok: boolean; why: string }, logDir: string, benchStarted: number): void {
  if (!ours.ok) console.log(`ours: not measured — ${ours.why}.`);
  else console.log(`ours' step logs: ${logDir}`);
  console.log(`bench took ${sec(Date.now() - benchStarted, 0)} s`);
}
