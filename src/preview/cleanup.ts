// `preview: cleanup`: every target lists the previews it holds, GitHub tells each PR's state, and the
// previews of closed PRs are torn down with the same teardown a `closed` event runs. Each target plugs in
// through PreviewTarget (ECS services here; EKS namespaces the same way). Teardowns are independent: one
// failing does not stop the others; the step fails at the end, naming each failure.
import { Input } from '../contract.ts';
import { InputError } from '../errors.ts';
import type { Log } from '../deploy/log.ts';
import { GithubCallError } from './github.ts';

/** A preview a target found: its PR and what a person recognises it by. */
export interface FoundPreview {
  readonly pr: number;
  /** e.g. `service web-pr-42`. */
  readonly what: string;
}

export interface TeardownOutcome {
  readonly headline: string;
  /** Pieces that could not be removed; empty when the teardown is complete. */
  readonly left: readonly string[];
}

/** The seam a platform's previews plug into. */
export interface PreviewTarget {
  /** e.g. `ECS cluster preview`. */
  readonly name: string;
  list(): Promise<FoundPreview[]>;
  tearDown(pr: number): Promise<TeardownOutcome>;
}

export type PullState = 'open' | 'closed' | { readonly unknown: string };

/** Pure: `<base>-pr-<N>` → N, when `name` is exactly the preview name `expected(N)` gives; else undefined. */
export function previewNumberOf(name: string, expected: (pr: number) => string): number | undefined {
  const m = /-pr-([1-9][0-9]{0,9})$/.exec(name);
  if (!m) return undefined;
  const pr = Number(m[1]);
  return Number.isSafeInteger(pr) && expected(pr) === name ? pr : undefined;
}

export interface CleanupPlan {
  readonly tearDown: readonly FoundPreview[];
  readonly keep: readonly FoundPreview[];
  /** PR state unknown (GitHub answered 404 or failed): left alone, with why. */
  readonly unknown: readonly (FoundPreview & { readonly why: string })[];
}

/** Pure: which previews are stale (their PR closed), which stay (open), which cannot be judged. */
export function planCleanup(
  found: readonly FoundPreview[],
  states: ReadonlyMap<number, PullState>,
): CleanupPlan {
  const tearDown: FoundPreview[] = [];
  const keep: FoundPreview[] = [];
  const unknown: (FoundPreview & { why: string })[] = [];
  for (const p of found) {
    const state = states.get(p.pr);
    if (state === 'closed') tearDown.push(p);
    else if (state === 'open') keep.push(p);
    else unknown.push({ ...p, why: state?.unknown ?? 'PR state not asked' });
  }
  return { tearDown, keep, unknown };
}

export interface CleanupReport {
  readonly tornDown: readonly string[];
  readonly kept: readonly string[];
  readonly failed: readonly string[];
  /** Markdown lines for the job summary. */
  readonly summary: readonly string[];
}

/** The error a refused PR lookup becomes: 401/403 end the cleanup (nothing can be judged); others are per PR. */
function pullStateError(error: unknown, pr: number): InputError | string {
  const status = error instanceof GithubCallError ? error.status : 0;
  const message = (error as Error).message;
  if (status === 401) {
    return new InputError(
      Input.GithubToken,
      `was rejected by the GitHub API (${message}). preview: cleanup reads each PR's state: give a valid token (the default \${{ github.token }}) with the job permission pull-requests: read.`,
    );
  }
  if (status === 403) {
    return new InputError(
      Input.GithubToken,
      `may not read pull requests (${message}). Give the job \`permissions: { pull-requests: read }\` so preview: cleanup can read each PR's state.`,
    );
  }
  return status === 404 ? `PR #${pr} not found on GitHub (404)` : `PR #${pr}: ${message}`;
}

/**
 * Lists every target's previews, asks each PR's state once, tears down the closed ones. Open PRs' previews
 * and those whose PR cannot be found are left alone and listed.
 */
export async function runPreviewCleanup(options: {
  readonly targets: readonly PreviewTarget[];
  readonly pullState: (pr: number) => Promise<'open' | 'closed'>;
  readonly log: Log;
}): Promise<CleanupReport> {
  const { targets, log } = options;
  const found: { target: PreviewTarget; previews: FoundPreview[] }[] = [];
  const failed: string[] = [];
  for (const target of targets) {
    try {
      const previews = await target.list();
      found.push({ target, previews });
      log.info(`${target.name}: ${previews.length} preview${previews.length === 1 ? '' : 's'} found`);
    } catch (error) {
      failed.push(`${target.name}: could not list the previews: ${(error as Error).message}`);
    }
  }
  const states = new Map<number, PullState>();
  for (const pr of new Set(found.flatMap((f) => f.previews.map((p) => p.pr)))) {
    try {
      states.set(pr, await options.pullState(pr));
    } catch (error) {
      const why = pullStateError(error, pr);
      if (why instanceof InputError) throw why;
      log.warning(`${why}: its preview is left alone.`);
      states.set(pr, { unknown: why });
    }
  }
  const tornDown: string[] = [];
  const kept: string[] = [];
  for (const { target, previews } of found) {
    const plan = planCleanup(previews, states);
    for (const p of plan.keep) kept.push(`${p.what} (PR #${p.pr} is open)`);
    for (const p of plan.unknown) kept.push(`${p.what} (${p.why})`);
    for (const p of plan.tearDown) {
      try {
        const outcome = await target.tearDown(p.pr);
        if (outcome.left.length) failed.push(`${p.what} (PR #${p.pr}): ${outcome.left.join('; ')}`);
        else tornDown.push(`${p.what} (PR #${p.pr} is closed): ${outcome.headline}`);
      } catch (error) {
        failed.push(`${p.what} (PR #${p.pr}): ${(error as Error).message}`);
      }
    }
  }
  const section = (title: string, items: readonly string[]) =>
    items.length ? [`**${title}**`, '', ...items.map((i) => `- ${i}`), ''] : [];
  const summary = [
    ...section('Torn down', tornDown),
    ...section('Kept', kept),
    ...section('Failed', failed),
    ...(tornDown.length + kept.length + failed.length === 0 ? ['No previews found.', ''] : []),
  ];
  return { tornDown, kept, failed, summary };
}
