// The EKS target driven by the one driver, in-process: a scripted Kubernetes API and a fake clock.
import { afterEach, describe, expect, it } from 'vitest';
import { runTarget } from '../../src/deploy/driver.ts';
import type { DeployOptions, EksResult } from '../../src/deploy/types.ts';
import { prepareEksTarget } from '../../src/eks/target.ts';
import { FakeClock } from '../fakes/clock.ts';
import type { PatchType } from '../../src/eks/kube-client.ts';
import { FakeKube, kubeErrors, type KubeCall } from '../fakes/kube.ts';
import { RecordingLog } from '../fakes/log.ts';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web';
const V1 = `${REPO}:v1`;
const NEW = `${REPO}@sha256:${'a'.repeat(64)}`;
const BROKEN = `${REPO}@sha256:${'b'.repeat(64)}`;

const DEPLOY: DeployOptions = {
  wait: true,
  timeoutMs: 15 * 60_000,
  failFastAfter: 2,
  rollbackOnFailure: true,
  dryRun: false,
};

let worlds: { clock: FakeClock; kube: FakeKube }[] = [];
afterEach(() => {
  for (const w of worlds) {
    w.kube.stop();
    w.clock.stop();
  }
  worlds = [];
});

function world(...names: string[]) {
  const clock = new FakeClock();
  const kube = new FakeKube(clock);
  for (const name of names.length ? names : ['web']) kube.addDeployment(name, V1);
  const w = { clock, kube, log: new RecordingLog() };
  worlds.push(w);
  return w;
}

const prepare = (w: ReturnType<typeof world>, deployments = ['web']) =>
  prepareEksTarget({
    target: { kind: 'eks', cluster: 'prod', namespace: 'web', deployments, containers: [] },
    region: 'eu-west-1',
    env: {},
    clock: w.clock,
    log: w.log,
    repositoryUri: REPO,
    runUrl: 'https://github.com/octo/app/actions/runs/1',
    callerArn: async () => 'arn:aws:iam::123456789012:role/deploy',
    kube: w.kube,
    server: 'https://kube.invalid',
  });

async function deploy(
  w: ReturnType<typeof world>,
  options: { deployments?: string[]; image?: string; deploy?: Partial<DeployOptions> } = {},
): Promise<EksResult[]> {
  const port = await prepare(w, options.deployments);
  return (await runTarget(
    port,
    { imageRef: options.image ?? NEW, repositoryUri: REPO },
    { deploy: { ...DEPLOY, ...options.deploy }, clock: w.clock, log: w.log },
  )) as EksResult[];
}

const patches = (calls: readonly KubeCall[]) => calls.filter((c) => c.method === 'PATCH' && !c.error);
const image = (w: ReturnType<typeof world>, name = 'web') =>
  w.kube.deployment(name).spec.template.spec.containers[0]!.image;

describe('EKS rollouts through the driver', () => {
  it('rolls out our generation and reports the revisions; the same image again is unchanged', async () => {
    const w = world();
    const [result] = await deploy(w);
    expect(result).toMatchObject({
      target: 'eks',
      name: 'web/web',
      status: 'completed',
      revision: '2',
      previousRevision: '1',
    });
    expect(image(w)).toBe(NEW);
    expect(w.log.text()).toMatch(/deployment "web" successfully rolled out/);
    const [again] = await deploy(w);
    expect(again).toMatchObject({ status: 'unchanged', revision: '2' });
    expect(patches(w.kube.calls)).toHaveLength(1);
  });

  it('fails fast on ErrImagePull and puts the previous template back', async () => {
    const w = world();
    w.kube.script(BROKEN, 'pull-fails');
    const [result] = await deploy(w, { image: BROKEN });
    expect(result!.status).toBe('rolled-back');
    expect(result!.reason).toMatch(/^failed: pod web-2-p\d+ container app: ErrImagePull/);
    expect(result!.reason).toMatch(/rolled back to the template of revision 1$/);
    expect(image(w)).toBe(V1);
    expect(w.kube.deployment('web').status.availableReplicas).toBe(3);
  });

  it('reports CrashLoopBackOff after the restarts with the previous log lines', async () => {
    const w = world();
    w.kube.script(BROKEN, 'crashes');
    const [result] = await deploy(w, { image: BROKEN, deploy: { rollbackOnFailure: false } });
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(/CrashLoopBackOff after 2 restart\(s\); last exit code 1/);
    expect(result!.reason).toMatch(/fatal: cannot connect to the database/);
  });

  it('fail-fast-after 0 leaves the verdict to the progress deadline', async () => {
    const w = world();
    w.kube.script(BROKEN, 'pull-fails');
    w.kube.deployment('web').spec.progressDeadlineSeconds = 30;
    const started = w.clock.now();
    const [result] = await deploy(w, {
      image: BROKEN,
      deploy: { failFastAfter: 0, rollbackOnFailure: false },
    });
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(/ProgressDeadlineExceeded/);
    expect(w.clock.now() - started).toBeGreaterThanOrEqual(30_000);
  });

  it('two runs on one Deployment: the one overtaken fails without undoing the other', async () => {
    const w = world();
    w.kube.script(NEW, 'stuck');
    const OTHER = `${REPO}@sha256:${'c'.repeat(64)}`;
    w.clock.at(w.clock.now() + 3000, () => w.kube.patchOutOfBand('web', OTHER));
    const [result] = await deploy(w);
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(/someone else changed Deployment web while it rolled out/);
    expect(patches(w.kube.calls)).toHaveLength(1);
    expect(image(w)).toBe(OTHER);
  });

  it('never rolls back over a change someone made after our rollout failed', async () => {
    const w = world();
    w.kube.script(BROKEN, 'pull-fails');
    const OTHER = `${REPO}@sha256:${'c'.repeat(64)}`;
    // Someone changes it between our failure and our rollback: the rollback's generation test refuses it.
    const rollBackOriginal = w.kube.patch.bind(w.kube);
    w.kube.patch = async (path, body, type) => {
      if (type === 'json') w.kube.patchOutOfBand('web', OTHER);
      return rollBackOriginal(path, body, type);
    };
    const [result] = await deploy(w, { image: BROKEN });
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(/not rolled back: the Deployment changed since our patch/);
    expect(image(w)).toBe(OTHER);
  });

  it('times out with the last state, then rolls back with a budget of its own', async () => {
    const w = world();
    w.kube.script(NEW, 'stuck');
    const [result] = await deploy(w, { deploy: { timeoutMs: 60_000 } });
    expect(result!.status).toBe('rolled-back');
    expect(result!.reason).toMatch(
      /^timed out: not done after 1 min 0 s; last state: Waiting for deployment "web" rollout to finish/,
    );
    expect(image(w)).toBe(V1);
  });

  it('a quiet 2-minute watch says every 30 s that it is still waiting, with the elapsed time and the state', async () => {
    const w = world();
    w.kube.script(NEW, 'stuck');
    const [result] = await deploy(w, { deploy: { timeoutMs: 130_000, rollbackOnFailure: false } });
    expect(result!.status).toBe('timed-out');
    const beats = w.log.lines.filter((l) => l.includes('still waiting'));
    expect(beats).toHaveLength(4);
    expect(beats.map((l) => l.replace(/ elapsed: .*/, ''))).toEqual(
      // The last state line comes 1 s in (the controller's first status), then nothing for 30 s at a time.
      ['31.0 s', '1 min 1 s', '1 min 31 s', '2 min 1 s'].map((elapsed) => `web: still waiting, ${elapsed}`),
    );
    expect(beats[0]).toMatch(/ elapsed: Waiting for deployment "web" rollout to finish/);
  });

  it('a watch that prints something every 10 s prints no heartbeat', async () => {
    const w = world();
    w.kube.script(NEW, 'stuck');
    const start = w.clock.now();
    for (let t = 10_000; t <= 120_000; t += 10_000) {
      w.clock.at(start + t, () => w.kube.dropWatches({ error: true }));
    }
    const [result] = await deploy(w, { deploy: { timeoutMs: 130_000, rollbackOnFailure: false } });
    expect(result!.status).toBe('timed-out');
    expect(w.log.lines.filter((l) => l.includes('dropped')).length).toBeGreaterThanOrEqual(12);
    expect(w.log.lines.filter((l) => l.includes('still waiting'))).toEqual([]);
  });

  it('survives a 503 on each GET of the ReplicaSets', async () => {
    const w = world();
    w.kube.script(BROKEN, 'pull-fails');
    const t = w.clock.now();
    w.kube.failBetween(/GET .*\/replicasets/, t, t + 20_000, kubeErrors.unavailable);
    const [result] = await deploy(w, { image: BROKEN });
    expect(result!.status).toBe('rolled-back');
    expect(w.kube.calls.filter((c) => c.path.includes('/replicasets') && c.error).length).toBeGreaterThan(1);
  });

  it('an API server gone for the rest of the wait ends as unverified, with what was last seen', async () => {
    const w = world();
    w.kube.script(NEW, 'stuck');
    const t = w.clock.now();
    w.kube.failBetween(/./, t + 3000, Number.POSITIVE_INFINITY, kubeErrors.gone);
    w.clock.at(t + 3000, () => w.kube.dropWatches({ error: true }));
    const [result] = await deploy(w, { deploy: { timeoutMs: 60_000 } });
    expect(result!.status).toBe('unverified');
    expect(result!.reason).toMatch(
      /could not be watched for the last \d+\.\d s of the 1 min 0 s wait \(connect ECONNREFUSED/,
    );
    expect(result!.reason).toMatch(/the Deployment controller goes on rolling out on its own/);
    expect(patches(w.kube.calls)).toHaveLength(1);
  });

  it('a 401 mid-rollout is unverified at once, and nothing is rolled back', async () => {
    const w = world();
    w.kube.script(NEW, 'stuck');
    const t = w.clock.now();
    w.kube.failBetween(/./, t + 3000, Number.POSITIVE_INFINITY, kubeErrors.unauthorized);
    w.clock.at(t + 3000, () => w.kube.dropWatches({ error: true }));
    const [result] = await deploy(w);
    expect(result!.status).toBe('unverified');
    expect(result!.reason).toMatch(/cannot be watched .*Unauthorized/);
    expect(w.clock.now() - t).toBeLessThan(60_000);
    expect(patches(w.kube.calls)).toHaveLength(1);
  });

  it('an API server gone during the rollback: the result says the rollback could not be verified', async () => {
    const w = world();
    w.kube.script(BROKEN, 'pull-fails');
    const rollBackOriginal = w.kube.patch.bind(w.kube);
    w.kube.patch = async <T>(path: string, body: unknown, type: PatchType): Promise<T> => {
      const answer = await rollBackOriginal<T>(path, body, type);
      if (type === 'json') {
        w.kube.failBetween(/./, w.clock.now(), Number.POSITIVE_INFINITY, kubeErrors.gone);
        w.kube.dropWatches({ error: true });
      }
      return answer;
    };
    const [result] = await deploy(w, { image: BROKEN, deploy: { timeoutMs: 60_000 } });
    expect(result!.status).toBe('failed');
    expect(result!.reason).toMatch(
      /ErrImagePull.*; the rollback to the template of revision 1 could not be verified: the rollout could not be watched/s,
    );
  });

  it('resumes dropped watches and lists again after 410 Gone, reaching the right verdict', async () => {
    const w = world();
    const t = w.clock.now();
    for (const at of [2500, 4500, 6500])
      w.clock.at(t + at, () => w.kube.dropWatches({ error: at !== 4500, expire: at === 4500 }));
    const [result] = await deploy(w);
    expect(result!.status).toBe('completed');
    expect(w.log.text()).toMatch(/The watch on .* dropped/);
    expect(w.log.text()).toMatch(/expired \(410 Gone\); listing again/);
  });

  it('one Deployment of three failing is rolled back; the other two complete', async () => {
    const w = world('a', 'b', 'c');
    w.kube.script(BROKEN, 'pull-fails');
    const port = await prepare(w, ['a', 'b', 'c']);
    const render = port.render.bind(port);
    port.render = (unit, img) => render(unit, unit.name === 'b' ? { ...img, imageRef: BROKEN } : img);
    const results = await runTarget(
      port,
      { imageRef: NEW, repositoryUri: REPO },
      { deploy: DEPLOY, clock: w.clock, log: w.log },
    );
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['web/a', 'completed'],
      ['web/b', 'rolled-back'],
      ['web/c', 'completed'],
    ]);
  });

  it('refuses, before patching anything, a Deployment RBAC does not let us patch', async () => {
    const w = world();
    w.kube.allowPatch = false;
    await expect(deploy(w)).rejects.toThrow(/User "deploy" cannot patch deployments in namespace "web"/);
    expect(patches(w.kube.calls)).toEqual([]);
  });
});

describe('EKS fault table: an error at every call', () => {
  const scenarios = [
    {
      name: 'a healthy rollout',
      setup: (_w: ReturnType<typeof world>) => {},
      image: NEW,
      clean: 'completed',
    },
    {
      name: 'a failing rollout rolled back',
      setup: (w: ReturnType<typeof world>) => w.kube.script(BROKEN, 'pull-fails'),
      image: BROKEN,
      clean: 'rolled-back',
    },
  ];
  for (const scenario of scenarios) {
    for (const [fault, error] of [
      ['503', kubeErrors.unavailable],
      ['dropped connection', kubeErrors.gone],
    ] as const) {
      it(`${scenario.name}: ${fault} at each call`, async () => {
        const clean = world();
        scenario.setup(clean);
        const [cleanResult] = await deploy(clean, { image: scenario.image });
        expect(cleanResult!.status).toBe(scenario.clean);
        const calls = clean.kube.calls;
        const firstPatch = calls.findIndex((c) => c.method === 'PATCH');
        const rows: string[] = [];
        let patchesSeen = 0;
        for (const [index, call] of calls.entries()) {
          const w = world();
          scenario.setup(w);
          w.kube.failCall(index, error);
          const isPatch = call.method === 'PATCH';
          // The SelfSubjectReview is optional (only for messages); any other read before the patch failing
          // fails the preparation, with nothing changed.
          const want = call.path.endsWith('/selfsubjectreviews')
            ? scenario.clean
            : index < firstPatch
              ? 'throws'
              : isPatch && patchesSeen === 0
                ? 'failed'
                : isPatch
                  ? 'failed' // the rollback's patch: could not start
                  : scenario.clean;
          if (isPatch) patchesSeen += 1;
          try {
            const [result] = await deploy(w, { image: scenario.image });
            if (result!.status !== want)
              rows.push(
                `#${index} ${call.method} ${call.path}: ${result!.status} (${result!.reason ?? ''}), expected ${want}`,
              );
          } catch (e) {
            if (want !== 'throws')
              rows.push(`#${index} ${call.method} ${call.path}: threw ${(e as Error).message}`);
          } finally {
            w.kube.stop();
            w.clock.stop();
          }
        }
        expect(rows).toEqual([]);
        expect(calls.length).toBeGreaterThan(6);
      });
    }
  }
});
