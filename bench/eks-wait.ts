// EKS wait, side by side on the sandbox (issue 9, "Benchmark"): our bundled action (dist/index.js, run as the
// runner runs it: patch by digest, watch, fail fast, roll back) vs a 2-second polling loop of
// `kubectl rollout status`'s rule after the same strategic-merge image patch.
//
//   node_modules/.bin/node bench/eks-wait.ts [healthyRuns=3] [failingRuns=3]
//   BENCH_EKS_TIME_SCALE (default 0.75: a rollout of 3 replicas takes ~15 s of wall time; 1 = cluster seconds)
//   BENCH_EKS_SANDBOX_DIR: the sandbox to reuse or start (default /tmp/ecr-deploy-bench-eks-sandbox, never the
//   tests' one); stopped at the end only if started here.
//
// Each run gets one sandbox EKS cluster per side (own API server, own clock), each with Deployment `web` in
// namespace `bench` (3 replicas, RollingUpdate 25%/25%, readiness probe after 5 s, progressDeadlineSeconds 30),
// created identically and rolled out at the same moment. Healthy: image A → image B. Failing: image B is
// scripted in that cluster to fail its pull (ErrImagePull → ImagePullBackOff; the image exists in ECR, so our
// action's pre-deploy image check passes as it would for a node without pull permission). Measured against the
// cluster's rollout timeline (startedAt, completedAt, first failure) and request counters on its API server.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EksControl } from '../sandbox/eks/control-client.ts';
import type { RolloutRecord } from '../sandbox/eks/controller.ts';
import { isHealthy, readState, sandboxEnv, startSandbox, stopSandbox } from '../sandbox/index.ts';
import { DIST, runAction } from '../sandbox/run-action.ts';
import { KubeClient, RequestCounter, type AwsAccess } from './eks-wait-kube.ts';
import {
  countVerdicts,
  kubectlRolloutStatus,
  median,
  ms,
  perMinute,
  ratio,
  rolloutsOf,
  sec,
  sumCounts,
  table,
  truthful,
  windowCounts,
  type DeploymentView,
  type WindowCounts,
} from './eks-wait-lib.ts';

const ROOT = resolve(import.meta.dirname, '..');
const HEALTHY_RUNS = Number(process.argv[2] ?? 3);
const FAILING_RUNS = Number(process.argv[3] ?? 3);
const TIME_SCALE = Number(process.env.BENCH_EKS_TIME_SCALE ?? 0.75);
const SANDBOX_DIR = resolve(process.env.BENCH_EKS_SANDBOX_DIR ?? '/tmp/ecr-deploy-bench-eks-sandbox');
/** Scale while the Deployments are created (not measured). */
const SETUP_SCALE = 0.05;
/** Cluster seconds; kubectl's verdict on a failing rollout waits for it (Kubernetes default 600). */
const PROGRESS_DEADLINE_S = 30;
const POLL_MS = 2000;
/** Bound of the baseline's loop (kubectl's own --timeout default is infinite). */
const BASELINE_MAX_WAIT_MS = 300_000;
const OURS_TIMEOUT = '5m';
const REPLICAS = 3;
const NAMESPACE = 'bench';
const DEPLOYMENT = 'web';
const REPOSITORY = 'bench-eks';
const DEPLOYMENT_PATH = `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${DEPLOYMENT}`;
const COUNTER_SAMPLE_MS = 100;
/** Below this, latencies against the sandbox timeline are noise (20 ms controller tick, process scheduling). */
const RESOLUTION_MS = 50;

for (const [what, n, min] of [
  ['healthyRuns', HEALTHY_RUNS, 1],
  ['failingRuns', FAILING_RUNS, 0],
] as const) {
  if (!Number.isInteger(n) || n < min || n > 10) throw new Error(`${what} must be an integer ${min}..10`);
}
if (!(TIME_SCALE > 0 && TIME_SCALE <= 2)) throw new Error('BENCH_EKS_TIME_SCALE must be in (0, 2]');

type Side = 'kubectl' | 'ours';
type Kind = 'healthy' | 'failing';

interface World {
  readonly side: Side;
  readonly kind: Kind;
  readonly index: number;
  /** The sandbox EKS cluster of this world (one per side and run). */
  readonly name: string;
}

interface SideResult {
  readonly world: World;
  readonly startMs: number;
  readonly endMs: number;
  /** Baseline: completed / failed / timeout (+ kubectl's message); ours: rollout-status. */
  readonly verdict: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly revision?: string;
  readonly previousRevision?: string;
  readonly rolledBack?: string;
  readonly outputsNote?: string;
  /** Baseline: how many times it read the Deployment. */
  readonly polls?: number;
}

interface Measured extends SideResult {
  readonly rollout?: RolloutRecord;
  /** The rollout after ours (our rollback restores the previous template as a new revision). */
  readonly next?: RolloutRecord;
  /** When the side decided: baseline = its verdict; ours = first ::error:: line or its rollback, if sooner. */
  readonly decisionMs: number;
  readonly errorLine?: string;
  readonly counts?: WindowCounts;
}

// ---------------------------------------------------------------------------------------------------------
// The two sides

const imagePatch = (image: string) => ({
  spec: { template: { spec: { containers: [{ name: 'app', image }] } } },
});

/** Baseline: the strategic-merge image patch, then kubectl rollout status's rule every 2 s. */
async function runBaseline(world: World, kube: KubeClient, image: string): Promise<SideResult> {
  const startMs = Date.now();
  await kube.json('PATCH', DEPLOYMENT_PATH, imagePatch(image), 'application/strategic-merge-patch+json');
  const maxPolls = Math.ceil(BASELINE_MAX_WAIT_MS / POLL_MS) + 1;
  for (let polls = 1; polls <= maxPolls; polls++) {
    const status = kubectlRolloutStatus(await kube.json<DeploymentView>('GET', DEPLOYMENT_PATH), DEPLOYMENT);
    if (status.state !== 'waiting') {
      const verdict = status.state === 'complete' ? 'completed' : 'failed';
      return { world, startMs, endMs: Date.now(), verdict, message: status.message, polls };
    }
    if (polls < maxPolls) await sleep(POLL_MS);
  }
  return { world, startMs, endMs: Date.now(), verdict: 'timeout', polls: maxPolls };
}

interface CapturedLine {
  readonly t: number;
  readonly text: string;
}

/** Captures (and hides) what this process writes to stdout/stderr while `fn` runs, with arrival times. */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ value: T; lines: CapturedLine[] }> {
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

const OURS_SHA = 'bec5a17e0000000000000000000000000000e4e5';

/** Ours: the bundled action, run as the runner runs it, deploying the image to the world's Deployment. */
async function runOurs(
  world: World,
  image: string,
  env: Record<string, string>,
  workspace: string,
  logDir: string,
  echo: boolean,
): Promise<SideResult> {
  const startMs = Date.now();
  const run = await runAction({
    inputs: {
      image,
      'eks-cluster': world.name,
      namespace: NAMESPACE,
      deployment: DEPLOYMENT,
      timeout: OURS_TIMEOUT,
    },
    event: { name: 'push', ref: 'refs/heads/main', sha: OURS_SHA, payload: {} },
    workspace,
    env,
    post: false,
    echo,
  });
  const endMs = Date.now();
  await run.runPost();
  writeFileSync(
    join(logDir, `${world.name}.log`),
    [
      `exit ${run.main.exitCode} after ${sec(run.main.durationMs, 2)} s`,
      `outputs: ${JSON.stringify(run.outputs, null, 2)}`,
      '--- stdout',
      run.main.stdout,
      '--- stderr',
      run.main.stderr,
    ].join('\n'),
  );
  const missing = ['rollout-status', 'revision', 'previous-revision', 'results'].filter(
    (k) => !run.outputs[k],
  );
  const notes = missing.length ? [`missing outputs: ${missing.join(', ')}`] : [];
  try {
    if (!Array.isArray(JSON.parse(run.outputs.results ?? '') as unknown))
      notes.push('results is not a JSON array');
  } catch {
    if (!missing.includes('results')) notes.push('results is not JSON');
  }
  const o = run.outputs;
  return {
    world,
    startMs,
    endMs,
    verdict: o['rollout-status'] || 'no rollout-status output',
    exitCode: run.main.exitCode,
    ...(o.revision ? { revision: o.revision } : {}),
    ...(o['previous-revision'] ? { previousRevision: o['previous-revision'] } : {}),
    ...(o['rolled-back'] ? { rolledBack: o['rolled-back'] } : {}),
    ...(notes.length ? { outputsNote: notes.join('; ') } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Setup

async function buildImage(env: Record<string, string>, workspace: string, n: number): Promise<string> {
  const sha = `${Date.now().toString(16)}${n}`.padEnd(40, '0').slice(0, 40);
  const run = await runAction({
    inputs: {
      repository: REPOSITORY,
      'create-repository': 'true',
      'build-args': `GREETING=eks-wait bench image ${n} ${sha}`,
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

function deploymentManifest(image: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: DEPLOYMENT, namespace: NAMESPACE, labels: { app: DEPLOYMENT } },
    spec: {
      replicas: REPLICAS,
      progressDeadlineSeconds: PROGRESS_DEADLINE_S,
      selector: { matchLabels: { app: DEPLOYMENT } },
      template: {
        metadata: { labels: { app: DEPLOYMENT } },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              ports: [{ containerPort: 8080 }],
              readinessProbe: {
                exec: { command: ['wget', '-q', '-O-', 'http://127.0.0.1:8080/'] },
                initialDelaySeconds: 5,
                periodSeconds: 5,
              },
            },
          ],
        },
      },
    },
  };
}

async function createWorld(
  control: EksControl,
  aws: AwsAccess,
  world: World,
  image: string,
): Promise<KubeClient> {
  await control.createCluster(world.name, SETUP_SCALE);
  const kube = await KubeClient.connect(aws, world.name);
  await kube.json('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NAMESPACE },
  });
  await kube.json('POST', `/apis/apps/v1/namespaces/${NAMESPACE}/deployments`, deploymentManifest(image));
  return kube;
}

async function waitSteady(control: EksControl, worlds: readonly World[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (let i = 0; i < 2400; i++) {
    const pending: string[] = [];
    for (const w of worlds) {
      const { rollouts } = await control.rollouts(w.name);
      if (!rollouts.some((r) => r.deployment === DEPLOYMENT && r.completedAt)) pending.push(w.name);
    }
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`Deployments not rolled out in time: ${pending.join(', ')}`);
    await sleep(250);
  }
  throw new Error('Deployments not rolled out after 2400 polls');
}

// ---------------------------------------------------------------------------------------------------------
// Measuring

function measure(
  r: SideResult,
  records: readonly RolloutRecord[],
  counter: RequestCounter | undefined,
  lines: readonly CapturedLine[],
): Measured {
  const { rollout, next } = rolloutsOf(records, DEPLOYMENT, NAMESPACE, r.startMs);
  const ours = r.world.side === 'ours';
  const errorLine = ours ? lines.find((l) => l.text.startsWith('::error')) : undefined;
  const rollbackMs = ours ? ms(next?.startedAt) : undefined;
  const decisionMs = Math.min(errorLine?.t ?? r.endMs, rollbackMs ?? r.endMs, r.endMs);
  const patchMs = ms(rollout?.startedAt);
  // The wait: from our rollout's start (the patch) to the verdict (healthy: to the exit).
  const until = r.world.kind === 'healthy' ? r.endMs : decisionMs;
  const counts =
    counter && patchMs !== undefined ? windowCounts(counter.readings, patchMs, until) : undefined;
  return {
    ...r,
    ...(rollout ? { rollout } : {}),
    ...(next ? { next } : {}),
    decisionMs,
    ...(errorLine ? { errorLine: errorLine.text } : {}),
    ...(counts ? { counts } : {}),
  };
}

const after = (t: number | undefined, from: number | undefined): string =>
  t === undefined || from === undefined ? '–' : `${t - from >= 0 ? '+' : ''}${sec(t - from, 2)} s`;

function describeRun(m: Measured): string {
  const r = m.rollout;
  const started = ms(r?.startedAt);
  const label = m.world.side === 'kubectl' ? 'kubectl' : 'ours   ';
  const c = m.counts;
  const calls = c
    ? `${c.waiting} API requests while waiting (${c.gets} GET/LIST, ${c.watches} watch) in ${sec(c.windowMs)} s`
    : 'requests: –';
  const verdict =
    `${m.verdict}${m.exitCode !== undefined ? ` (exit ${m.exitCode})` : ''}` +
    (truthful(m.world.kind, m.verdict, m.exitCode) ? '' : ' [WRONG]');
  const revs =
    m.world.side === 'ours'
      ? `; revision ${m.revision ?? '–'} (previous ${m.previousRevision ?? '–'}, rolled-back ${m.rolledBack ?? '–'})`
      : '';
  const note = m.outputsNote ? `; ${m.outputsNote}` : '';
  if (m.world.kind === 'healthy') {
    const completed = ms(r?.completedAt);
    return (
      `  ${label}: rev ${r?.revision ?? '?'} complete ${after(completed, started)} after the patch; ` +
      `${verdict} ${after(m.endMs, completed)} after complete; ${calls}${revs}${note}`
    );
  }
  const signal = ms(r?.firstFailureAt);
  const parts = [
    `first failure ${after(signal, started)} after the patch (${r?.firstFailureReason ?? 'none'})`,
    m.next
      ? `rollback rev ${m.next.revision} complete ${after(ms(m.next.completedAt), started)}`
      : 'no rollback',
    `${verdict} ${after(m.decisionMs, signal)} after first failure` +
      (m.endMs !== m.decisionMs ? ` (exit ${after(m.endMs, signal)})` : ''),
    m.message ? `"${m.message}"` : '',
    calls,
  ].filter(Boolean);
  return `  ${label}: ${parts.join('; ')}${revs}${note}`;
}

// ---------------------------------------------------------------------------------------------------------
// Main

function oursAvailable(): { ok: boolean; why: string } {
  const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  if (!/^ {2}eks-cluster:/m.test(actionYml))
    return { ok: false, why: 'action.yml has no `eks-cluster` input yet (issue 9 not landed)' };
  if (!existsSync(DIST)) return { ok: false, why: `${DIST} does not exist (run npm run package)` };
  // The bundle may be split into chunks (dynamic imports): look through every .js file of dist/.
  const distDir = dirname(DIST);
  const bundled = readdirSync(distDir)
    .filter((f) => f.endsWith('.js'))
    .some((f) => readFileSync(join(distDir, f), 'utf8').includes('eks-cluster'));
  if (!bundled) return { ok: false, why: 'dist/ does not read `eks-cluster` yet (run npm run package)' };
  return { ok: true, why: '' };
}

const ours = oursAvailable();
const existing = readState(SANDBOX_DIR);
const reuse = existing !== undefined && (await isHealthy(existing));
console.log(reuse ? `sandbox: reusing ${SANDBOX_DIR}` : `sandbox: starting in ${SANDBOX_DIR} …`);
const state = reuse ? existing : await startSandbox({ dir: SANDBOX_DIR });
const env = sandboxEnv(state);
const aws: AwsAccess = { region: state.region, endpoint: state.awsEndpoint, credentials: state.credentials };
if (new URL(state.awsEndpoint).hostname !== '127.0.0.1')
  throw new Error(`not a local sandbox: ${state.awsEndpoint}`);
const control = new EksControl(state.controlUrl);
const clusters: string[] = [];
const kubes = new Map<string, KubeClient>();
const benchStarted = Date.now();
try {
  if (!ours.ok) console.log(`ours: SKIPPED — ${ours.why}; measuring the baseline only`);
  const logDir = mkdtempSync(join(tmpdir(), 'bench-eks-wait-'));
  const workspace = mkdtempSync(join(tmpdir(), 'bench-eks-ws-'));
  cpSync(join(ROOT, 'examples', 'hello-app'), workspace, { recursive: true });

  console.log(`images: building two revisions of examples/hello-app into ECR repository ${REPOSITORY} …`);
  const imageA = await buildImage(env, workspace, 1);
  const imageB = await buildImage(env, workspace, 2);
  console.log(`  A ${imageA}\n  B ${imageB}`);

  const suffix = Date.now().toString(36);
  const sides: Side[] = ours.ok ? ['kubectl', 'ours'] : ['kubectl'];
  const rounds: World[][] = [];
  for (let i = 0; i < Math.max(HEALTHY_RUNS, FAILING_RUNS); i++) {
    const round: World[] = [];
    for (const kind of ['healthy', 'failing'] as const) {
      if (i >= (kind === 'healthy' ? HEALTHY_RUNS : FAILING_RUNS)) continue;
      for (const side of sides)
        round.push({ side, kind, index: i + 1, name: `bench-eks-${side}-${kind[0]}${i + 1}-${suffix}` });
    }
    rounds.push(round);
  }
  const worlds = rounds.flat();
  console.log(
    `clusters: creating ${worlds.length}, each with Deployment ${NAMESPACE}/${DEPLOYMENT} ` +
      `(${REPLICAS} replicas, progressDeadlineSeconds ${PROGRESS_DEADLINE_S}) on image A …`,
  );
  clusters.push(...worlds.map((w) => w.name));
  for (const w of worlds) kubes.set(w.name, await createWorld(control, aws, w, imageA));
  await waitSteady(control, worlds);
  const counters = new Map<string, RequestCounter>();
  for (const w of worlds) {
    await control.settings(w.name, { timeScale: TIME_SCALE });
    counters.set(w.name, await RequestCounter.install(state.controlUrl, w.name));
  }
  console.log(
    `rolling out: ${HEALTHY_RUNS} healthy + ${FAILING_RUNS} failing run(s) per side, time scale ${TIME_SCALE}; ` +
      `each round runs its healthy and failing pairs at once\n`,
  );

  const pullError =
    `rpc error: code = Unknown desc = failed to pull and unpack image "${imageB}": failed to resolve reference ` +
    `"${imageB}": unexpected status from HEAD request: 403 Forbidden`;
  const measured: Measured[] = [];
  for (const round of rounds) {
    for (const w of round.filter((x) => x.kind === 'failing'))
      await control.scriptImage(w.name, imageB, { pullError });
    for (const w of round) await counters.get(w.name)!.start(COUNTER_SAMPLE_MS);
    const { value: results, lines } = await captureOutput(() =>
      Promise.all(
        round.map((w) =>
          w.side === 'kubectl'
            ? runBaseline(w, kubes.get(w.name)!, imageB)
            : runOurs(w, imageB, env, workspace, logDir, w.kind === 'failing'),
        ),
      ),
    );
    for (const w of round) await counters.get(w.name)!.stop();
    for (const r of results) {
      const { rollouts } = await control.rollouts(r.world.name);
      measured.push(measure(r, rollouts, counters.get(r.world.name), lines));
    }
    for (const kind of ['healthy', 'failing'] as const) {
      const of = measured.filter((m) => round.includes(m.world) && m.world.kind === kind);
      if (of.length === 0) continue;
      console.log(`[${kind} ${of[0]!.world.index}]`);
      for (const m of of) console.log(describeRun(m));
    }
  }

  // ---- summary
  const pick = (side: Side, kind: Kind) =>
    measured.filter((m) => m.world.side === side && m.world.kind === kind);
  const completionLatency = (m: Measured) => {
    const c = ms(m.rollout?.completedAt);
    return c === undefined ? undefined : m.endMs - c;
  };
  const fromSignal = (m: Measured, t: number) => {
    const s = ms(m.rollout?.firstFailureAt);
    return s === undefined ? undefined : t - s;
  };
  const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);
  const list = (xs: (number | undefined)[]) => xs.map((x) => sec(x, 2)).join(', ');
  const perRun = (c: WindowCounts, n: number) =>
    `${(c.waiting / n).toFixed(1)} (${(c.gets / n).toFixed(1)} GET/LIST + ${(c.watches / n).toFixed(1)} watch)`;
  // The timeline is marked on the sandbox's 20 ms controller tick, and ours can see a pod's ErrImagePull before
  // it does: below RESOLUTION_MS a ratio means nothing, so only its bound is shown.
  const vs = (x: number | undefined, base: number | undefined) =>
    x !== undefined && base !== undefined && x < RESOLUTION_MS
      ? `< ${sec(RESOLUTION_MS, 2)} s (≥ ${Math.floor(base / RESOLUTION_MS)}× sooner)`
      : ratio(x, base);
  const col = (side: Side) => {
    const h = pick(side, 'healthy');
    const f = pick(side, 'failing');
    const hLat = h.map(completionLatency);
    const fDecision = f.map((m) => fromSignal(m, m.decisionMs));
    const fExit = f.map((m) => fromSignal(m, m.endMs));
    const hWait = sumCounts(h.map((m) => m.counts));
    const fWait = sumCounts(f.map((m) => m.counts));
    return {
      hMedian: median(defined(hLat)),
      hRuns: list(hLat),
      hVerdicts: countVerdicts(h.map((m) => m.verdict)),
      fVerdicts: countVerdicts(f.map((m) => m.verdict)),
      truthful: `${[...h, ...f].filter((m) => truthful(m.world.kind, m.verdict, m.exitCode)).length}/${h.length + f.length}`,
      fDecisionMedian: median(defined(fDecision)),
      fDecisionRuns: list(fDecision),
      fExitMedian: median(defined(fExit)),
      hPerMin: hWait && perMinute(hWait.waiting, hWait.windowMs),
      hPerRun: hWait && perRun(hWait, h.length),
      fPerRun: fWait && perRun(fWait, f.length),
      slackMs: Math.max(hWait?.slackMs ?? 0, fWait?.slackMs ?? 0),
    };
  };
  const b = col('kubectl');
  const o = ours.ok ? col('ours') : undefined;
  const na = o ? undefined : 'n/a';
  const rolloutS = median(
    defined(pick('kubectl', 'healthy').map((m) => ms(m.rollout?.completedAt)! - ms(m.rollout?.startedAt)!)),
  );
  const failStart = median(
    defined(
      pick('kubectl', 'failing').map((m) => ms(m.rollout?.firstFailureAt)! - ms(m.rollout?.startedAt)!),
    ),
  );
  console.log(
    `\nEKS wait — ours (dist/index.js: fail-fast-after 2, rollback-on-failure true, timeout ${OURS_TIMEOUT}) vs ` +
      `kubectl rollout status's rule polled every ${POLL_MS / 1000} s (same strategic-merge image patch)`,
  );
  console.log(
    `sandbox EKS time scale ${TIME_SCALE} (patch → complete median ${sec(rolloutS)} s wall), ${REPLICAS} replicas, ` +
      `progressDeadlineSeconds ${PROGRESS_DEADLINE_S} (= ${sec(PROGRESS_DEADLINE_S * 1000 * TIME_SCALE)} s wall); ` +
      `${HEALTHY_RUNS} healthy + ${FAILING_RUNS} failing rollouts per side\n`,
  );
  const row = (metric: string, bv: string, ov: string | undefined, r: string, target: string): string[] => [
    metric,
    bv,
    ov ?? na ?? '–',
    o ? r : '–',
    target,
  ];
  const num = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
  console.log(
    table(
      ['metric', 'baseline (kubectl rule, 2 s poll)', 'ours', 'ours / baseline', 'target'],
      [
        row(
          'healthy: complete → done, median (s)',
          sec(b.hMedian, 2),
          o && sec(o.hMedian, 2),
          vs(o?.hMedian, b.hMedian),
          '≤ 0.5 s',
        ),
        row('healthy: complete → done, runs (s)', b.hRuns, o?.hRuns, '', ''),
        row('healthy: verdicts', b.hVerdicts, o?.hVerdicts, '', 'success'),
        ...(FAILING_RUNS > 0
          ? [
              row('failing: verdicts', b.fVerdicts, o?.fVerdicts, '', 'failed / rolled-back'),
              row(
                'failing: 1st ErrImagePull → verdict, median (s)',
                sec(b.fDecisionMedian, 2),
                o && sec(o.fDecisionMedian, 2),
                vs(o?.fDecisionMedian, b.fDecisionMedian),
                '≤ 2 s',
              ),
              row('failing: 1st ErrImagePull → verdict, runs (s)', b.fDecisionRuns, o?.fDecisionRuns, '', ''),
              row(
                'failing: 1st ErrImagePull → exit, median (s)',
                sec(b.fExitMedian, 2),
                o && sec(o.fExitMedian, 2),
                '',
                '(incl. our rollback)',
              ),
            ]
          : []),
        row('verdicts telling the truth', b.truthful, o?.truthful, '', 'all'),
        row(
          'healthy: API requests / min while waiting',
          num(b.hPerMin),
          o && num(o.hPerMin),
          ratio(o?.hPerMin, b.hPerMin, 'higher'),
          '',
        ),
        row('healthy: API requests per run, patch → exit', b.hPerRun ?? '–', o && (o.hPerRun ?? '–'), '', ''),
        ...(FAILING_RUNS > 0
          ? [
              row(
                'failing: API requests per run, patch → verdict',
                b.fPerRun ?? '–',
                o && (o.fPerRun ?? '–'),
                '',
                '',
              ),
            ]
          : []),
      ],
    ),
  );
  console.log(
    `\nverdict = when the poller saw kubectl's verdict (baseline) / ours reported the failure (first ::error:: ` +
      `line or its rollback patch, whichever came first); done/exit = poller verdict / process exit.`,
  );
  console.log(
    `first ErrImagePull came ${sec(failStart, 2)} s (median) after the patch; kubectl's failure verdict needs ` +
      `Progressing=ProgressDeadlineExceeded, i.e. progressDeadlineSeconds without progress: here ` +
      `${PROGRESS_DEADLINE_S} cluster s; with the default 600 s it would be ~600 s on a real cluster ` +
      `(${sec(600_000 * TIME_SCALE, 0)} s at this time scale).`,
  );
  console.log(
    `requests: counted on each cluster's API server (0 ms latency fault rules whose counts the server consumes, ` +
      `sampled every ${COUNTER_SAMPLE_MS} ms; window = rollout start → verdict (healthy: → exit), widened by ≤ ` +
      `${Math.max(b.slackMs, o?.slackMs ?? 0)} ms of sampling; PATCH/POST excluded). EKS token minting is ` +
      `local (presigned URL): no STS call.`,
  );
  if (!ours.ok) console.log(`ours: not measured — ${ours.why}.`);
  else console.log(`ours' step logs: ${logDir}`);
  console.log(`bench took ${sec(Date.now() - benchStarted, 0)} s`);
} finally {
  for (const k of kubes.values()) k.close();
  for (const c of clusters) await control.deleteCluster(c).catch(() => undefined);
  if (!reuse) await stopSandbox(SANDBOX_DIR);
}
