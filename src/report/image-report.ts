import { Output, type ImageOutputName } from '../contract.ts';
import { formatDuration } from '../deploy/duration.ts';

/** How the step came by the image. */
export type ImageOrigin = 'built' | 'reused' | 'given';

export interface ImageReport {
  /** Registry host, from ECR's answer (or the given reference's host for a non-ECR image). */
  readonly registry: string;
  /** `<registry>/<repository>` */
  readonly repositoryUri: string;
  /** Set for an ECR image: used for the console link. */
  readonly ecr:
    { readonly registryId: string; readonly repositoryName: string; readonly region: string } | undefined;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly primary: string | undefined;
  readonly skipped: readonly { readonly tag: string; readonly reason: string }[];
  /** Floating tags not moved to this image because the deploy did not complete. */
  readonly held: readonly string[];
  /** The labels the image was built with (read back from a reused image); none for a given image. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly sizeBytes: number | undefined;
  readonly origin: ImageOrigin;
  /** The builder, when one ran. */
  readonly builder: string | undefined;
  /** How long the build and push took, when this step built the image. */
  readonly buildSeconds?: number;
}

/** Why held floating tags were not moved to the image (see writeReport). */
export type HeldBecause = 'not-completed' | 'cancelled' | 'refused';

const HELD_BECAUSE: Record<HeldBecause, string> = {
  'not-completed': 'the deploy did not complete, so it stays on the image it was on',
  cancelled: 'the deploy was cancelled, so it stays on the image it was on',
  refused: 'the deploy completed, but moving it failed (the step’s error says why)',
};

/** Pure: the step's outputs. */
export function imageOutputs(report: ImageReport): Record<ImageOutputName, string> {
  const ref = `${report.repositoryUri}@${report.digest}`;
  return {
    [Output.Registry]: report.registry,
    [Output.RepositoryUri]: report.repositoryUri,
    [Output.ImageUri]: report.primary ? `${report.repositoryUri}:${report.primary}` : ref,
    [Output.ImageDigest]: report.digest,
    [Output.ImageRef]: ref,
    [Output.Tags]: report.tags.join('\n'),
    [Output.TagRefs]: report.tags.map((t) => `${report.repositoryUri}:${t}`).join('\n'),
    // docker/metadata-action's shape, so workflows written for it read it the same way.
    [Output.Json]: JSON.stringify({
      tags: report.tags.map((t) => `${report.repositoryUri}:${t}`),
      labels: report.labels ?? {},
    }),
    [Output.ImageReused]: String(report.origin !== 'built'),
  };
}

export function consoleLink(report: ImageReport): string | undefined {
  if (!report.ecr) return undefined;
  const { region, registryId, repositoryName } = report.ecr;
  return `https://${region}.console.aws.amazon.com/ecr/repositories/private/${registryId}/${repositoryName}/_/image/${report.digest}/details?region=${region}`;
}

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return 'unknown';
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}

const ORIGIN: Record<ImageOrigin, string> = {
  built: 'built and pushed by this step',
  reused: 'reused: already built for this commit from the same inputs',
  given: 'given (image input)',
};

/** A table cell's text: a `|` would end the cell, a line break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Pure: the job summary section for the image, as Markdown. Tags that were not set or not moved are warning
 * rows of the table, one per tag, saying why (`heldBecause`: why the held tags stayed where they were).
 */
export function imageSummary(report: ImageReport, heldBecause: HeldBecause = 'not-completed'): string {
  const link = consoleLink(report);
  const rows = [
    `| Image | \`${report.repositoryUri}@${report.digest}\` |`,
    `| Tags | ${report.tags.map((t) => (t === report.primary ? `**${t}**` : t)).join(', ') || '(none)'} |`,
    `| Digest | \`${report.digest}\` |`,
    `| Size (compressed) | ${formatSize(report.sizeBytes)} |`,
    `| Origin | ${ORIGIN[report.origin]}${report.builder ? ` (${report.builder})` : ''} |`,
    ...(report.buildSeconds !== undefined
      ? [`| Build duration | ${formatDuration(report.buildSeconds * 1000)} |`]
      : []),
    ...(link ? [`| Console | [${report.ecr?.repositoryName} in ECR](${link}) |`] : []),
    ...report.skipped.map((s) => `| ⚠️ Tag not set | \`${s.tag}\` not set: ${cell(s.reason)} |`),
    ...report.held.map((t) => `| ⚠️ Tag not moved | \`${t}\` not moved: ${HELD_BECAUSE[heldBecause]} |`),
  ];
  return ['### Image', '', '| | |', '| --- | --- |', ...rows, ''].join('\n');
}
