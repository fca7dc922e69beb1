// EKS wait, side by side on the sandbox: our bundled action (dist/index.js, run as the runner runs it: patch by
// digest, watch, fail fast, roll back) vs what kubectl-based deploy steps run: the real `kubectl set image`
// then `kubectl rollout status` (this machine's kubectl; KUBECTL=path picks another).
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
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EksControl } from '../sandbox/eks/control-client.ts';
import type { RolloutRecord } from '../sandbox/eks/controller.ts';
import { KubeClient, RequestCounter, type AwsAccess } from './eks-wait-kube.ts';
import { rolloutsOf, sumCounts, windowCounts, type WindowCounts } from './eks-wait-lib.ts';
import {
  after,
  announceRollout,
  benchArgs,
  defined,
  median,
  ms,
  openSandbox,
  oursAvailable,
  perMinute,
  pick,
  planRounds,
  prepare,
  printFooter,
  printRound,
  ratio,
  rowMaker,
  runOursAction,
  runRound,
  sec,
  table,
  verdictColumn,
  verdictRows,
  verdictText,
  waitUntilNonePending,
  type CapturedLine,
  type OursContext,
  type Outcome,
  type World as BenchWorld,
} from './lib.ts';

const ARGS = benchArgs('BENCH_EKS_TIME_SCALE', 0.75);
const { healthyRuns: HEALTHY_RUNS, failingRuns: FAILING_RUNS, timeScale: TIME_SCALE } = ARGS;
const SANDBOX_DIR = resolve(process.env.BENCH_EKS_SANDBOX_DIR ?? '/tmp/ecr-deploy-bench-eks-sandbox');
/** Scale while the Deployments are created (not measured). */
const SETUP_SCALE = 0.05;
/** Cluster seconds; kubectl's verdict on a failing rollout waits for it (Kubernetes default 600). */
const PROGRESS_DEADLINE_S = 30;
/** The real kubectl of this machine (`which kubectl`); KUBECTL overrides it. */
const KUBECTL =
  process.env.KUBECTL ?? realpathSync(execFileSync('which', ['kubectl'], { encoding: 'utf8' }).trim());
/** Bound of the baseline's wait (kubectl's own --timeout default is infinite). */
const BASELINE_MAX_WAIT_MS = 300_000;
const OURS_TIMEOUT = '5m';
const REPLICAS = 3;
const NAMESPACE = 'bench';
const DEPLOYMENT = 'web';
const REPOSITORY = 'bench-eks';
const COUNTER_SAMPLE_MS = 100;
/** Below this, latencies against the sandbox timeline are noise (20 ms controller tick, process scheduling). */
const RESOLUTION_MS = 50;

type Side = 'kubectl' | 'ours';
/** Its name is the sandbox EKS cluster of this world (one per side and run). */
type World = BenchWorld<Side>;

/** `verdict` — baseline: completed / failed / timeout (+ kubectl's message); ours: rollout-status. */
interface SideResult extends Outcome<Side> {
  readonly message?: string;
  readonly revision?: string;
  readonly previousRevision?: string;
  readonly rolledBack?: string;
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

/** Runs real kubectl with a kubeconfig; resolves with its exit code and output (never rejects). */
function kubectl(
  kubeconfig: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, ...args],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
        timeout: BASELINE_MAX_WAIT_MS + 30_000,
      },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Baseline: what kubectl-based EKS deploy steps run — `kubectl set image`, then `kubectl rollout status` (the
 * real binary, watching the Deployment) with a bounded --timeout. Its verdict: exit 0 = completed; "exceeded
 * its progress deadline" = failed; anything else = its own message.
 */
async function runBaseline(world: World, kube: KubeClient, image: string): Promise<SideResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kubectl-'));
  const kubeconfig = join(dir, 'config');
  try {
    writeFileSync(kubeconfig, await kube.kubeconfig(), { mode: 0o600 });
    const target = ['-n', NAMESPACE, `deployment/${DEPLOYMENT}`];
    const startMs = Date.now();
    const set = await kubectl(kubeconfig, ['set', 'image', ...target, `app=${image}`]);
    if (set.code !== 0) {
      return {
        world,
        startMs,
        endMs: Date.now(),
        verdict: `set image failed: ${set.stderr.trim().slice(0, 80)}`,
      };
    }
    const status = await kubectl(kubeconfig, [
      'rollout',
      'status',
      ...target,
      `--timeout=${BASELINE_MAX_WAIT_MS / 1000}s`,
    ]);
    const endMs = Date.now();
    const message = (status.stdout + status.stderr).trim().split('\n').pop() ?? '';
    const verdict =
      status.code === 0
        ? 'completed'
        : /exceeded its progress deadline/.test(status.stderr)
          ? 'failed'
          : /timed out/.test(status.stderr)
            ? 'timeout'
            : `kubectl exit ${status.code}`;
    return { world, startMs, endMs, verdict, message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const OURS_SHA = 'bec5a17e0000000000000000000000000000e4e5';

/** Ours: the bundled action, run as the runner runs it, deploying the image to the world's Deployment. */
async function runOurs(world: World, image: string, ctx: OursContext): Promise<SideResult> {
  const {
    run,
    log: _log,
    ...timing
  } = await runOursAction(
    world,
    { image, 'eks-cluster': world.name, namespace: NAMESPACE, deployment: DEPLOYMENT, timeout: OURS_TIMEOUT },
    OURS_SHA,
    ctx,
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
    ...timing,
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
  await waitUntilNonePending(async () => {
    const pending: string[] = [];
    for (const w of worlds) {
      const { rollouts } = await control.rollouts(w.name);
      if (!rollouts.some((r) => r.deployment === DEPLOYMENT && r.completedAt)) pending.push(w.name);
    }
    return pending;
  }, 'Deployments not rolled out');
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

function describeRun(m: Measured): string {
  const r = m.rollout;
  const started = ms(r?.startedAt);
  const label = m.world.side === 'kubectl' ? 'kubectl' : 'ours   ';
  const c = m.counts;
  const calls = c
    ? `${c.waiting} API requests while waiting (${c.gets} GET/LIST, ${c.watches} watch) in ${sec(c.windowMs)} s`
    : 'requests: –';
  const verdict = verdictText(m);
  const revs =
    m.world.side === 'ours'
      ? `; revision ${m.revision ?? '–'} (previous ${m.previousRevision ?? '–'}, rolled-back ${m.rolledBack ?? '–'})`
      : '';
  const note = m.outputsNote ? `; ${m.outputsNote}` : '';
  if (m.world.kind === 'healthy') {
    const completed = ms(r?.completedAt);
    return (
      `  ${label}: rev ${r?.revision ?? '?'} complete ${after(completed, started, 2)} after the patch; ` +
      `${verdict} ${after(m.endMs, completed, 2)} after complete; ${calls}${revs}${note}`
    );
  }
  const signal = ms(r?.firstFailureAt);
  const parts = [
    `first failure ${after(signal, started, 2)} after the patch (${r?.firstFailureReason ?? 'none'})`,
    m.next
      ? `rollback rev ${m.next.revision} complete ${after(ms(m.next.completedAt), started, 2)}`
      : 'no rollback',
    `${verdict} ${after(m.decisionMs, signal, 2)} after first failure` +
      (m.endMs !== m.decisionMs ? ` (exit ${after(m.endMs, signal, 2)})` : ''),
    m.message ? `"${m.message}"` : '',
    calls,
  ].filter(Boolean);
  return `  ${label}: ${parts.join('; ')}${revs}${note}`;
}

// ---------------------------------------------------------------------------------------------------------
// Main

const ours = oursAvailable('eks-cluster', 9);
const sandbox = await openSandbox(SANDBOX_DIR);
const { state, env } = sandbox;
const aws: AwsAccess = { region: state.region, endpoint: state.awsEndpoint, credentials: state.credentials };
if (new URL(state.awsEndpoint).hostname !== '127.0.0.1')
  throw new Error(`not a local sandbox: ${state.awsEndpoint}`);
const control = new EksControl(state.controlUrl);
const clusters: string[] = [];
const kubes = new Map<string, KubeClient>();
const benchStarted = Date.now();
try {
  const prepared = await prepare('eks', ours, REPOSITORY, env);
  const { logDir, imageA, imageB } = prepared;
  const rounds = planRounds('kubectl', ours.ok, HEALTHY_RUNS, FAILING_RUNS, 'bench-eks');
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
  announceRollout(ARGS);

  const pullError =
    `rpc error: code = Unknown desc = failed to pull and unpack image "${imageB}": failed to resolve reference ` +
    `"${imageB}": unexpected status from HEAD request: 403 Forbidden`;
  const measured: Measured[] = [];
  for (const round of rounds) {
    for (const w of round.filter((x) => x.kind === 'failing'))
      await control.scriptImage(w.name, imageB, { pullError });
    for (const w of round) await counters.get(w.name)!.start(COUNTER_SAMPLE_MS);
    const { value: results, lines } = await runRound(
      round,
      (w) => runBaseline(w, kubes.get(w.name)!, imageB),
      (w) => runOurs(w, imageB, prepared),
    );
    for (const w of round) await counters.get(w.name)!.stop();
    for (const r of results) {
      const { rollouts } = await control.rollouts(r.world.name);
      measured.push(measure(r, rollouts, counters.get(r.world.name), lines));
    }
    printRound(measured, round, describeRun);
  }

  // ---- summary
  const perRun = (c: WindowCounts, n: number) =>
    `${(c.waiting / n).toFixed(1)} (${(c.gets / n).toFixed(1)} GET/LIST + ${(c.watches / n).toFixed(1)} watch)`;
  // The timeline is marked on the sandbox's 20 ms controller tick, and ours can see a pod's ErrImagePull before
  // it does: below RESOLUTION_MS a ratio means nothing, so only its bound is shown.
  const vs = (x: number | undefined, base: number | undefined) =>
    x !== undefined && base !== undefined && x < RESOLUTION_MS
      ? `< ${sec(RESOLUTION_MS, 2)} s (≥ ${Math.floor(base / RESOLUTION_MS)}× sooner)`
      : ratio(x, base);
  const col = (side: Side) => {
    const h = pick(measured, side, 'healthy');
    const f = pick(measured, side, 'failing');
    const hWait = sumCounts(h.map((m) => m.counts));
    const fWait = sumCounts(f.map((m) => m.counts));
    return {
      ...verdictColumn(
        h,
        f,
        (m) => ms(m.rollout?.completedAt),
        (m) => ms(m.rollout?.firstFailureAt),
        2,
      ),
      hPerMin: hWait && perMinute(hWait.waiting, hWait.windowMs),
      hPerRun: hWait && perRun(hWait, h.length),
      fPerRun: fWait && perRun(fWait, f.length),
      slackMs: Math.max(hWait?.slackMs ?? 0, fWait?.slackMs ?? 0),
    };
  };
  const b = col('kubectl');
  const o = ours.ok ? col('ours') : undefined;
  const rolloutS = median(
    defined(
      pick(measured, 'kubectl', 'healthy').map(
        (m) => ms(m.rollout?.completedAt)! - ms(m.rollout?.startedAt)!,
      ),
    ),
  );
  const failStart = median(
    defined(
      pick(measured, 'kubectl', 'failing').map(
        (m) => ms(m.rollout?.firstFailureAt)! - ms(m.rollout?.startedAt)!,
      ),
    ),
  );
  console.log(
    `\nEKS wait — ours (dist/index.js: fail-fast-after 2, rollback-on-failure true, timeout ${OURS_TIMEOUT}) vs ` +
      `${KUBECTL} set image + rollout status --timeout=${BASELINE_MAX_WAIT_MS / 1000}s`,
  );
  console.log(
    `sandbox EKS time scale ${TIME_SCALE} (patch → complete median ${sec(rolloutS)} s wall), ${REPLICAS} replicas, ` +
      `progressDeadlineSeconds ${PROGRESS_DEADLINE_S} (= ${sec(PROGRESS_DEADLINE_S * 1000 * TIME_SCALE)} s wall); ` +
      `${HEALTHY_RUNS} healthy + ${FAILING_RUNS} failing rollouts per side\n`,
  );
  const row = rowMaker(o !== undefined);
  const num = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
  console.log(
    table(
      ['metric', 'baseline (kubectl rollout status)', 'ours', 'ours / baseline', 'target'],
      [
        ...verdictRows(row, b, o, {
          done: 'complete',
          signal: '1st ErrImagePull',
          digits: 2,
          failingRuns: FAILING_RUNS,
          vs,
          healthyTarget: '≤ 0.5 s',
          failingTarget: '≤ 2 s',
        }),
        row(
          'healthy: API requests / min while waiting',
          num(b.hPerMin),
          o && num(o.hPerMin),
          ratio(o?.hPerMin, b.hPerMin, 'higher'),
          '',
        ),
        row(
          'healthy: API requests per run, set image/patch → exit',
          b.hPerRun ?? '–',
          o && (o.hPerRun ?? '–'),
          '',
          '',
        ),
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
  printFooter(ours, logDir, benchStarted);
} finally {
  for (const k of kubes.values()) k.close();
  for (const c of clusters) await control.deleteCluster(c).catch(() => undefined);
  await sandbox.close();
}
