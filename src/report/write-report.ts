import * as core from '@actions/core';
import type { DeployResult } from '../deploy/types.ts';
import { cancelledSummary, deployOutputs, deploySummary, type AuditWindow } from './deploy-report.ts';
import { imageOutputs, imageSummary, type HeldBecause, type ImageReport } from './image-report.ts';
import { successNotice } from './notice.ts';

/**
 * Pure: the heading of this step's part of the job summary, so several ecr-deploy steps of one job are told
 * apart: the step's `id` (GITHUB_ACTION; a step without one gets a generated `__owner_repo…` name, not shown),
 * and what it published and deployed.
 */
export function stepHeading(
  stepId: string | undefined,
  image: ImageReport | undefined,
  results: readonly DeployResult[] | undefined,
): string {
  const id = stepId && !stepId.startsWith('__') ? ` \`${stepId}\`` : '';
  const repository = image?.repositoryUri.split('/').slice(1).join('/');
  const targets = results?.map((r) => r.name).join(', ');
  const what = [repository, targets].filter(Boolean).join(' → ');
  return `## ecr-deploy${id}${what ? `: ${what}` : ''}\n`;
}

/** Pure: why held tags were not moved, from how the step ended. */
export function heldBecause(report: {
  readonly cancelled?: string;
  readonly stepFails?: boolean;
  readonly results: readonly DeployResult[] | undefined;
}): HeldBecause {
  if (report.cancelled || report.results?.some((r) => r.status === 'cancelled')) return 'cancelled';
  return report.stepFails ? 'refused' : 'not-completed';
}

/**
 * The step's one report: the outputs, then the job summary (written once, image and deploy together). A
 * dry run has no image outputs. The summary is a courtesy: failing to write it only warns.
 */
export async function writeReport(report: {
  readonly image: ImageReport | undefined;
  readonly results: readonly DeployResult[] | undefined;
  /** The step was cancelled: what it was doing, and what was left as it was. */
  readonly cancelled?: string;
  /** Where to find the deploy's AWS calls in CloudTrail (with results only). */
  readonly audit?: AuditWindow;
  /** The deploy succeeded but the step fails after all (the held tags could not be moved): no success notice. */
  readonly stepFails?: boolean;
}): Promise<void> {
  const outputs = {
    ...(report.image ? imageOutputs(report.image) : {}),
    ...(report.results ? deployOutputs(report.results) : {}),
  };
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
  // After the deploy's group has ended: the outcome is read without opening it.
  const notice = report.stepFails ? undefined : successNotice(report.image, report.results, report.audit);
  if (notice) core.notice(notice, { title: 'ecr-deploy' });
  const sections = [
    ...(report.image ? [imageSummary(report.image, heldBecause(report))] : []),
    ...(report.results ? [deploySummary(report.results, report.audit)] : []),
    ...(report.cancelled ? [cancelledSummary(report.cancelled)] : []),
  ];
  if (sections.length === 0) return;
  try {
    const heading = stepHeading(process.env.GITHUB_ACTION, report.image, report.results);
    await core.summary.addRaw([heading, ...sections].join('\n')).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}
