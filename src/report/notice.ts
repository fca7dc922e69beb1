import { SUCCESSFUL, type DeployResult } from '../deploy/types.ts';
import { formatDuration } from '../deploy/duration.ts';
import type { AuditWindow } from './deploy-report.ts';
import type { ImageReport } from './image-report.ts';

/**
 * Pure: the `::notice` of a deploy that succeeded — what was deployed where, each target's revision, and
 * the step's elapsed time. Undefined when any target did not succeed (the step's `::error` says why) or
 * nothing was deployed (a dry run).
 */
export function successNotice(
  image: ImageReport | undefined,
  results: readonly DeployResult[] | undefined,
  audit: AuditWindow | undefined,
): string | undefined {
  if (!image || !results || results.length === 0 || !audit) return undefined;
  if (results.some((r) => !SUCCESSFUL.has(r.status) || r.status === 'dry-run')) return undefined;
  const where = results.map((r) => {
    const revision = r.target === 'ecs' ? r.taskDefinitionArn?.split('/').at(-1) : r.revision;
    return `${r.name} ${r.status}${revision ? ` (${revision})` : ''}`;
  });
  const elapsed = formatDuration(audit.endedAt.getTime() - audit.startedAt.getTime());
  return `Deployed ${image.repositoryUri}@${image.digest} to ${where.join(', ')} in ${elapsed}.`;
}
