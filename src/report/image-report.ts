import * as core from '@actions/core';
import { Output, type OutputName } from '../contract.ts';
import type { EcrRepository } from '../registry/repository.ts';

export interface ImageReport {
  readonly repo: EcrRepository;
  readonly region: string;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly primary: string;
  readonly skipped: readonly { readonly tag: string; readonly reason: string }[];
  readonly sizeBytes: number | undefined;
  readonly builder: string;
}

/** Pure: the step's outputs for a published image. */
export function imageOutputs(report: ImageReport): Record<OutputName, string> {
  return {
    [Output.Registry]: report.repo.host,
    [Output.RepositoryUri]: report.repo.uri,
    [Output.ImageUri]: `${report.repo.uri}:${report.primary}`,
    [Output.ImageDigest]: report.digest,
    [Output.ImageRef]: `${report.repo.uri}@${report.digest}`,
    [Output.Tags]: report.tags.join('\n'),
  };
}

export function consoleLink(report: ImageReport): string {
  const { region, repo, digest } = report;
  return `https://${region}.console.aws.amazon.com/ecr/repositories/private/${repo.registryId}/${repo.name}/_/image/${digest}/details?region=${region}`;
}

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return 'unknown';
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Pure: the job summary section for the image, as Markdown. */
export function imageSummary(report: ImageReport): string {
  const rows = [
    `| Image | \`${report.repo.uri}@${report.digest}\` |`,
    `| Tags | ${report.tags.map((t) => (t === report.primary ? `**${t}**` : t)).join(', ')} |`,
    `| Digest | \`${report.digest}\` |`,
    `| Size (compressed) | ${formatSize(report.sizeBytes)} |`,
    `| Built with | ${report.builder} |`,
    `| Console | [${report.repo.name} in ECR](${consoleLink(report)}) |`,
  ];
  const skipped = report.skipped.map((s) => `- \`${s.tag}\` not set: ${s.reason}`);
  return ['### Image', '', '| | |', '| --- | --- |', ...rows, '', ...skipped, ''].join('\n');
}

export function writeImageOutputs(report: ImageReport): void {
  for (const [name, value] of Object.entries(imageOutputs(report))) core.setOutput(name, value);
}

/** The summary is a courtesy: failing to write it only warns. */
export async function writeImageSummary(report: ImageReport): Promise<void> {
  try {
    await core.summary.addRaw(imageSummary(report)).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}
