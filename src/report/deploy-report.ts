import { Output } from '../contract.ts';
import type { DeployResult } from '../deploy/types.ts';

/** Pure: `results` always; the scalar outputs when there is exactly one target. */
export function deployOutputs(results: readonly DeployResult[]): Record<string, string> {
  const outputs: Record<string, string> = { [Output.Results]: JSON.stringify(results) };
  const [only, ...more] = results;
  if (only && more.length === 0) {
    if (only.status !== 'dry-run') outputs[Output.RolloutStatus] = only.status;
    outputs[Output.RolledBack] = String(only.rolledBack);
    const scalar: [string, string | undefined][] =
      only.target === 'ecs'
        ? [
            [Output.TaskDefinitionArn, only.taskDefinitionArn],
            [Output.PreviousTaskDefinitionArn, only.previousTaskDefinitionArn],
            [Output.DeploymentId, only.deploymentId],
          ]
        : [
            [Output.Revision, only.revision],
            [Output.PreviousRevision, only.previousRevision],
          ];
    for (const [name, value] of scalar) if (value) outputs[name] = value;
  }
  return outputs;
}

const ICON: Record<DeployResult['status'], string> = {
  completed: '✅ completed',
  unchanged: '⏸️ unchanged',
  started: '▶️ started (not waited for)',
  'dry-run': '📝 dry run',
  failed: '❌ failed',
  'timed-out': '⌛ timed out',
  'rolled-back': '↩️ rolled back',
  unverified: '❔ unverified (outcome unknown)',
  cancelled: '🛑 cancelled',
};

/** Where and when the deploy's AWS calls happened, for the CloudTrail pointer of the summary. */
export interface AuditWindow {
  readonly region: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** GITHUB_RUN_ID: every call's user agent carries `gh-run/<id>`. */
  readonly runId: string | undefined;
}

/** Pure: how to find this deploy's calls in CloudTrail's event history (console and CLI), for the window. */
export function auditLines(w: AuditWindow): string[] {
  // Whole seconds, one minute of slack each side: CloudTrail's eventTime is the service's clock, not ours.
  const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const start = iso(w.startedAt.getTime() - 60_000);
  const end = iso(w.endedAt.getTime() + 60_000);
  const console = `https://${w.region}.console.aws.amazon.com/cloudtrail/home?region=${w.region}#/events`;
  const filter = w.runId ? ` | jq -c 'select(.userAgent | test("gh-run/${w.runId}( |$)"))'` : '';
  return [
    `Audit: the AWS calls of this step are in [CloudTrail event history](${console}) between ${start} and ${end}` +
      (w.runId ? `, each with \`gh-run/${w.runId}\` in its user agent:` : ':'),
    '',
    '```sh',
    `aws cloudtrail lookup-events --region ${w.region} --start-time ${start} --end-time ${end} \\`,
    `  --query 'Events[].CloudTrailEvent' --output text${filter}`,
    '```',
    '',
  ];
}

/**
 * Pure: a target's revision as the deploy moved it: `web:7 → web:8` (ECS task definitions), `3 → 4` (the
 * Deployment's revision); only the one it runs when nothing moved or nothing was there before.
 */
export function revisionChange(r: DeployResult): string {
  const name = (arn: string | undefined) => arn?.split('/').at(-1);
  const [before, now] =
    r.target === 'ecs'
      ? [name(r.previousTaskDefinitionArn), name(r.taskDefinitionArn)]
      : [r.previousRevision, r.revision];
  if (!now) return before ?? '';
  return before && before !== now ? `${before} → ${now}` : now;
}

/** Pure: one summary row per target, the reasons of the ones that did not complete, auto scaling, audit. */
export function deploySummary(results: readonly DeployResult[], audit?: AuditWindow): string {
  const revision = (r: DeployResult) => revisionChange(r);
  const rows = results.map(
    (r) =>
      `| ${r.consoleUrl ? `[${r.name}](${r.consoleUrl})` : r.name} | ${revision(r)} | ${r.target === 'ecs' ? (r.deploymentId ?? '') : ''} | ${ICON[r.status]} | ${r.durationSeconds} s |`,
  );
  const reasons = results.filter((r) => r.reason).map((r) => `- **${r.name}**: ${r.reason}`);
  const scaling = results.flatMap((r) =>
    r.autoScaling ? [`- **${r.name}**: auto scaling ${r.autoScaling}`] : [],
  );
  // A dry run of manifests: what applying would change, per workload (the first one also lists the rest).
  const diffs = results.flatMap((r) =>
    r.target === 'eks' && r.diff
      ? [
          '<details><summary>' + r.name + ': what would change</summary>',
          '',
          '```diff',
          r.diff,
          '```',
          '',
          '</details>',
          '',
        ]
      : [],
  );
  return [
    '### Deploy',
    '',
    '| target | revision (previous → new) | deployment | result | duration |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...reasons,
    '',
    ...(scaling.length ? [...scaling, ''] : []),
    ...diffs,
    ...(audit ? auditLines(audit) : []),
  ].join('\n');
}

/** Pure: the summary section of a cancelled step. */
export function cancelledSummary(what: string): string {
  return ['### Cancelled', '', what, ''].join('\n');
}
