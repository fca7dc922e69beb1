// ECS wait, side by side on the sandbox: our bundled action (dist/index.js, run as the runner runs it) vs a
// model of the AWS ECS deploy action's current release (v2.6.3): UpdateService, the SDK's
// waitUntilServicesStable with minDelay 15 s and its default maxDelay, then its check that the deployment was
// not rolled back (see runBaseline).
//
//   node_modules/.bin/node bench/ecs-wait.ts [healthyRuns=3] [failingRuns=3]
//   BENCH_ECS_TIME_SCALE (default 0.5: a rollout takes ~16 s of wall time; 1 = Fargate-like timings)
//   SANDBOX_DIR: the sandbox to reuse or start (default <repo>/.sandbox); stopped at the end only if started here.
//
// Each run gets one world per side (its own cluster and task-definition family, service `web`, desired 2,
// circuit breaker with rollback), both created identically and rolled out at the same moment, so both sides
// see the same rollout timing. Healthy: image A → image B. Failing: the new revision's tasks fail with
// CannotPullContainerError (scripted in the sandbox: the same stop reason as a missing image, but it works for
// our action too, which verifies the image through ECR before deploying). Measured against the sandbox's
// deployment timeline (COMPLETED, first definitive task failure) and its API call log.
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type ECSClientConfig,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { EcsSandboxControl, type DeploymentTimelineEntry } from '../sandbox/aws/ecs/control-client.ts';
import { SandboxControl, type CallRecord } from '../sandbox/control-client.ts';
import { defaultDir, type SandboxState } from '../sandbox/index.ts';
import { callStats, deploymentOf, sumStats, type CallStats } from './ecs-wait-lib.ts';
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

const ARGS = benchArgs('BENCH_ECS_TIME_SCALE', 0.5);
const { healthyRuns: HEALTHY_RUNS, failingRuns: FAILING_RUNS, timeScale: TIME_SCALE } = ARGS;
/** Scale while the services are created (not measured). */
const SETUP_SCALE = 0.05;
/** The baseline's maxWaitTime (the common action's default is 30 min; bounded here). */
const SDK_MAX_WAIT_S = 300;
const SDK_MIN_DELAY_S = 15;
const OURS_TIMEOUT = '5m';
const DESIRED = 2;
const SERVICE = 'web';
const REPOSITORY = 'bench-ecs';
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-0bench'], assignPublicIp: 'ENABLED' as const } };

type Side = 'sdk' | 'ours';
/** Its name is the cluster's and the task-definition family's (used to attribute logged calls). */
type World = BenchWorld<Side>;

/** `verdict` — SDK: the waiter's state (SUCCESS, FAILURE, TIMEOUT) or the error; ours: rollout-status. */
interface SideResult extends Outcome<Side> {
  readonly deploymentId?: string;
  /** Ours: when it reported the failure (first ::error:: line) — see decisionMs. */
  readonly errorLineMs?: number;
  readonly errorLine?: string;
  readonly log?: string;
}

interface Measured extends SideResult {
  readonly updateAtMs: number;
  readonly deployment?: DeploymentTimelineEntry;
  readonly rollback?: DeploymentTimelineEntry;
  /** Ours: when it decided the rollout failed (first ::error:: line or its own rollback UpdateService). */
  readonly decisionMs: number;
  readonly calls: CallStats;
}

// ---------------------------------------------------------------------------------------------------------
// The two sides

function clientConfig(state: SandboxState): ECSClientConfig {
  return { region: state.region, endpoint: state.awsEndpoint, credentials: state.credentials };
}

function repositoryOf(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

/** The common action's render: the current revision, read-only fields stripped, our repository's image set. */
function render(td: TaskDefinition, image: string): RegisterTaskDefinitionCommandInput {
  const {
    taskDefinitionArn: _arn,
    revision: _revision,
    status: _status,
    requiresAttributes: _requires,
    compatibilities: _compat,
    registeredAt: _at,
    registeredBy: _by,
    deregisteredAt: _dereg,
    ...rest
  } = td;
  return {
    ...rest,
    family: td.family!,
    containerDefinitions: (td.containerDefinitions ?? []).map((c) =>
      c.image && repositoryOf(c.image) === repositoryOf(image) ? { ...c, image } : c,
    ),
  };
}

function waiterVerdict(e: unknown): string {
  if (!(e instanceof Error)) return `error ${String(e)}`;
  if (e.name === 'TimeoutError') return 'TIMEOUT';
  try {
    const state = (JSON.parse(e.message) as { state?: string }).state;
    if (state) return state;
  } catch {
    // not the waiter's JSON
  }
  return `error ${e.name}: ${e.message.slice(0, 80)}`;
}

/**
 * Baseline: what the AWS ECS deploy action (amazon-ecs-deploy-task-definition v2.6.3, its current release) does
 * with `wait-for-service-stability: true` and default inputs: DescribeServices (the PRIMARY deployment before),
 * register, UpdateService (the PRIMARY deployment after), `waitUntilServicesStable` (minDelay 15 s, the SDK's
 * default maxDelay, maxWaitTime wait-for-minutes × 60), then one DescribeServices to verify: our deployment
 * gone (rolled back by the circuit breaker) or rolloutState FAILED → the step fails. Client: standard retries,
 * 3 attempts (its max-retries default).
 */
async function runBaseline(world: World, image: string, config: ECSClientConfig): Promise<SideResult> {
  const client = new ECSClient({
    ...config,
    customUserAgent: 'amazon-ecs-deploy-task-definition-for-github-actions',
    maxAttempts: 3,
    retryMode: 'standard',
  });
  try {
    const svc = (await client.send(new DescribeServicesCommand({ cluster: world.name, services: [SERVICE] })))
      .services?.[0];
    const beforeId = svc?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    const current = (
      await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc?.taskDefinition }))
    ).taskDefinition!;
    const registered = await client.send(new RegisterTaskDefinitionCommand(render(current, image)));
    const startMs = Date.now();
    const updated = await client.send(
      new UpdateServiceCommand({
        cluster: world.name,
        service: SERVICE,
        taskDefinition: registered.taskDefinition!.taskDefinitionArn!,
        forceNewDeployment: false,
      }),
    );
    const deploymentId = updated.service?.deployments?.find((d) => d.status === 'PRIMARY')?.id;
    let verdict: string;
    try {
      verdict = (
        await waitUntilServicesStable(
          { client, maxWaitTime: SDK_MAX_WAIT_S, minDelay: SDK_MIN_DELAY_S },
          { cluster: world.name, services: [SERVICE] },
        )
      ).state;
      if (verdict === 'SUCCESS' && deploymentId && deploymentId !== beforeId) {
        const after = (
          await client.send(new DescribeServicesCommand({ cluster: world.name, services: [SERVICE] }))
        ).services?.[0];
        const ours = after?.deployments?.find((d) => d.id === deploymentId);
        // The action's two checks after the waiter: not found (rolled back) or FAILED → setFailed.
        if (!ours || ours.rolloutState === 'FAILED') verdict = 'FAILURE';
      }
    } catch (e) {
      verdict = waiterVerdict(e);
    }
    const endMs = Date.now();
    return { world, startMs, endMs, verdict, ...(deploymentId ? { deploymentId } : {}) };
  } finally {
    client.destroy();
  }
}

const OURS_SHA = 'bec5a17e0000000000000000000000000000ec57';

/** Ours: the bundled action, run as the runner runs it, deploying the image to the world's service. */
async function runOurs(world: World, image: string, ctx: OursContext): Promise<SideResult> {
  const { run, log, ...timing } = await runOursAction(
    world,
    { image, 'ecs-cluster': world.name, 'ecs-service': SERVICE, timeout: OURS_TIMEOUT },
    OURS_SHA,
    ctx,
  );
  let outputsNote: string | undefined;
  try {
    const results = JSON.parse(run.outputs.results ?? '') as unknown;
    if (!Array.isArray(results)) outputsNote = 'results is not a JSON array';
  } catch {
    outputsNote = 'no parseable results output';
  }
  const deploymentId = run.outputs['deployment-id'];
  return {
    ...timing,
    verdict: run.outputs['rollout-status'] || `no rollout-status (exit ${run.main.exitCode})`,
    exitCode: run.main.exitCode,
    ...(deploymentId ? { deploymentId } : {}),
    log,
    ...(outputsNote ? { outputsNote } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Setup

async function createWorld(ecs: ECSClient, world: World, image: string): Promise<void> {
  await ecs.send(new CreateClusterCommand({ clusterName: world.name }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: world.name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
          healthCheck: {
            command: ['CMD-SHELL', 'wget -q -O- http://127.0.0.1:8080/ || exit 1'],
            interval: 5,
            retries: 2,
          },
        },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: world.name,
      serviceName: SERVICE,
      taskDefinition: td.taskDefinition!.taskDefinitionArn!,
      desiredCount: DESIRED,
      launchType: 'FARGATE',
      networkConfiguration: NETWORK,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        minimumHealthyPercent: 100,
        maximumPercent: 200,
      },
    }),
  );
}

async function waitSteady(control: EcsSandboxControl, worlds: readonly World[]): Promise<void> {
  await waitUntilNonePending(async () => {
    const pending: string[] = [];
    for (const w of worlds) {
      const tl = await control.deploymentTimeline({ cluster: w.name, service: SERVICE });
      if (!tl.some((d) => d.completedAt)) pending.push(w.name);
    }
    return pending;
  }, 'services not steady');
}

// ---------------------------------------------------------------------------------------------------------
// Measuring

function measure(
  r: SideResult,
  timeline: readonly DeploymentTimelineEntry[],
  calls: readonly CallRecord[],
  lines: readonly CapturedLine[],
): Measured {
  const updates = calls
    .filter((c) => c.service === 'ecs' && c.operation === 'UpdateService')
    .filter((c) => (c.params as { cluster?: string } | undefined)?.cluster?.split('/').pop() === r.world.name)
    .map((c) => Date.parse(c.time))
    .filter((t) => t >= r.startMs - 1000)
    .sort((a, b) => a - b);
  const updateAtMs = updates[0] ?? r.startMs;
  const deployment = deploymentOf(timeline, updateAtMs, r.deploymentId);
  const errorLine = r.world.side === 'ours' ? lines.find((l) => l.text.startsWith('::error')) : undefined;
  const ownRollbackMs = r.world.side === 'ours' ? updates[1] : undefined;
  // ECS's circuit-breaker rollback (rollbackOf = the deployment it returns to), or the one our rollback made.
  const rollback = deployment
    ? [...timeline]
        .sort((a, c) => Date.parse(a.createdAt) - Date.parse(c.createdAt))
        .find(
          (d) =>
            d.id !== deployment.id &&
            Date.parse(d.createdAt) >= Date.parse(deployment.createdAt) &&
            (d.rollbackOf !== undefined ||
              (ownRollbackMs !== undefined && Date.parse(d.createdAt) >= ownRollbackMs - 5)),
        )
    : undefined;
  const decisionMs = Math.min(errorLine?.t ?? r.endMs, ownRollbackMs ?? r.endMs, r.endMs);
  return {
    ...r,
    ...(errorLine ? { errorLineMs: errorLine.t, errorLine: errorLine.text } : {}),
    updateAtMs,
    ...(deployment ? { deployment } : {}),
    ...(rollback ? { rollback } : {}),
    decisionMs,
    // The wait: everything after our UpdateService call until the verdict/exit.
    calls: callStats(calls, r.world.name, updateAtMs + 1, r.endMs),
  };
}

function describeRun(m: Measured): string {
  const d = m.deployment;
  const label = m.world.side === 'sdk' ? 'sdk ' : 'ours';
  const calls = `${m.calls.describeServices} DescribeServices / ${m.calls.total} ECS calls in ${sec(m.calls.windowMs)} s`;
  const verdict = verdictText(m);
  if (m.world.kind === 'healthy') {
    const completed = ms(d?.completedAt);
    return (
      `  ${label}: rollout COMPLETED ${after(completed, m.updateAtMs)} after UpdateService; ` +
      `${verdict} ${after(m.endMs, completed)} after COMPLETED; ${calls}` +
      (m.outputsNote ? `; ${m.outputsNote}` : '')
    );
  }
  const signal = ms(d?.firstTaskStoppedAt);
  const parts = [
    `first failure ${after(signal, m.updateAtMs)} (${d?.firstTaskStoppedReason?.slice(0, 48) ?? 'none'}…)`,
    d?.failedAt ? `circuit breaker ${after(ms(d.failedAt), m.updateAtMs)}` : 'circuit breaker not tripped',
    m.rollback
      ? `${m.rollback.rollbackOf ? 'ECS' : 'our'} rollback ${m.rollback.rolloutState} ` +
        after(ms(m.rollback.completedAt ?? m.rollback.failedAt), m.updateAtMs)
      : 'no rollback',
    `${verdict} ${after(m.decisionMs, signal)} after first failure` +
      (m.endMs !== m.decisionMs ? ` (exit ${after(m.endMs, signal)})` : ''),
    calls,
  ].filter(Boolean);
  return `  ${label}: ${parts.join('; ')}${m.outputsNote ? `; ${m.outputsNote}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Main

const ours = oursAvailable('ecs-cluster', 7);
const sandbox = await openSandbox(defaultDir());
const { state, env } = sandbox;
const config = clientConfig(state);
const ecs = new ECSClient(config);
const ecsControl = new EcsSandboxControl(env);
const control = new SandboxControl(state.controlUrl);
const originalScale = await ecsControl.timeScale();
const benchStarted = Date.now();
try {
  const prepared = await prepare('ecs', ours, REPOSITORY, env);
  const { logDir, imageA, imageB } = prepared;
  const rounds = planRounds('sdk', ours.ok, HEALTHY_RUNS, FAILING_RUNS, 'bench');
  const worlds = rounds.flat();
  console.log(`services: creating ${worlds.length} (desired ${DESIRED}, circuit breaker + rollback) …`);
  await ecsControl.setTimeScale(SETUP_SCALE);
  await Promise.all(worlds.map((w) => createWorld(ecs, w, imageA)));
  await waitSteady(ecsControl, worlds);
  await ecsControl.setTimeScale(TIME_SCALE);
  announceRollout(ARGS);

  const measured: Measured[] = [];
  let lastSeq = 0;
  for (const round of rounds) {
    for (const w of round.filter((x) => x.kind === 'failing'))
      await ecsControl.failNextTasks(`${w.name}:2`, 'cannot-pull', { count: 20 });
    const { value: results, lines } = await runRound(
      round,
      (w) => runBaseline(w, imageB, config),
      (w) => runOurs(w, imageB, prepared),
    );
    const calls = await control.calls({ service: 'ecs', since: lastSeq });
    lastSeq = calls.at(-1)?.seq ?? lastSeq;
    for (const r of results) {
      const timeline = await ecsControl.deploymentTimeline({ cluster: r.world.name, service: SERVICE });
      measured.push(measure(r, timeline, calls, lines));
    }
    printRound(measured, round, describeRun);
  }

  // ---- summary
  const col = (side: Side) => {
    const h = pick(measured, side, 'healthy');
    const f = pick(measured, side, 'failing');
    const all = sumStats([...h, ...f].map((m) => m.calls));
    return {
      ...verdictColumn(
        h,
        f,
        (m) => ms(m.deployment?.completedAt),
        (m) => ms(m.deployment?.firstTaskStoppedAt),
        1,
      ),
      dsPerMin: perMinute(all.describeServices, all.windowMs),
      allPerMin: perMinute(all.total, all.windowMs),
      maxDs2s: all.maxDescribeServicesPer2s,
      errors: all.errors,
      ops: Object.entries(all.byOperation)
        .sort((a, b) => b[1] - a[1])
        .map(([op, n]) => `${op} ${n}`)
        .join(', '),
    };
  };
  const b = col('sdk');
  const o = ours.ok ? col('ours') : undefined;
  const rollout = median(
    defined(pick(measured, 'sdk', 'healthy').map((m) => ms(m.deployment?.completedAt)! - m.updateAtMs)),
  );
  console.log(
    `\nECS wait — ours (dist/index.js: fail-fast-after 2, rollback-on-failure true, timeout ${OURS_TIMEOUT}) vs ` +
      `the ECS deploy action v2.6.3's wait (waitUntilServicesStable minDelay ${SDK_MIN_DELAY_S} s, maxDelay 600 s, ` +
      `maxWaitTime ${SDK_MAX_WAIT_S} s, then its rollback check)`,
  );
  console.log(
    `sandbox ECS time scale ${TIME_SCALE} (UpdateService → COMPLETED median ${sec(rollout)} s), ` +
      `desired ${DESIRED}, circuit breaker with rollback; ${HEALTHY_RUNS} healthy + ${FAILING_RUNS} failing rollouts per side\n`,
  );
  const row = rowMaker(o !== undefined);
  console.log(
    table(
      ['metric', 'baseline (ECS deploy action v2.6.3)', 'ours', 'ours / baseline', 'target'],
      [
        ...verdictRows(row, b, o, {
          done: 'COMPLETED',
          signal: '1st failure',
          digits: 1,
          failingRuns: FAILING_RUNS,
          vs: ratio,
          healthyTarget: '≤ 3 s',
          failingTarget: '≤ 5 s',
        }),
        row(
          'waiting: DescribeServices / min',
          b.dsPerMin.toFixed(1),
          o?.dsPerMin.toFixed(1),
          ratio(o?.dsPerMin, b.dsPerMin, 'higher'),
          '≤ 30 (1 per 2 s)',
        ),
        row('waiting: max DescribeServices in 2 s', String(b.maxDs2s), o && String(o.maxDs2s), '', '≤ 1'),
        row(
          'waiting: all ECS calls / min',
          b.allPerMin.toFixed(1),
          o?.allPerMin.toFixed(1),
          ratio(o?.allPerMin, b.allPerMin, 'higher'),
          '',
        ),
        row('waiting: ECS calls answered with an error', String(b.errors), o && String(o.errors), '', ''),
      ],
    ),
  );
  console.log(`\ncalls while waiting, baseline: ${b.ops || 'none'}`);
  if (o) console.log(`calls while waiting, ours:     ${o.ops || 'none'}`);
  console.log(
    'verdict = when the waiter resolved (baseline) / ours reported the failure (first ::error:: line or its ' +
      'rollback UpdateService, whichever came first); done/exit = waiter resolved / process exited.',
  );
  printFooter(ours, logDir, benchStarted);
} finally {
  await ecsControl.setTimeScale(originalScale).catch(() => undefined);
  ecs.destroy();
  await sandbox.close();
}
