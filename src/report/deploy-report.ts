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

/** Pure: one summary row per target, and the reasons of the ones that did not complete. */
export function deploySummary(results: readonly DeployResult[]): string {
  const revision = (r: DeployResult) =>
    (r.target === 'ecs' ? r.taskDefinitionArn?.split('/').at(-1) : r.revision) ?? '';
  const rows = results.map(
    (r) =>
      `| ${r.consoleUrl ? `[${r.name}](${r.consoleUrl})` : r.name} | ${revision(r)} | ${r.target === 'ecs' ? (r.deploymentId ?? '') : ''} | ${ICON[r.status]} | ${r.durationSeconds} s |`,
  );
  const reasons = results.filter((r) => r.reason).map((r) => `- **${r.name}**: ${r.reason}`);
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
    '| target | revision | deployment | result | duration |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...reasons,
    '',
    ...diffs,
  ].join('\n');
}

/** Pure: the summary section of a cancelled step. */
export function cancelledSummary(what: string): string {
  return ['### Cancelled', '', what, ''].join('\n');
}
